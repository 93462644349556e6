// DcosCluster reconciler: a thin loop over src/cluster. Each pass plans the agent pools from the ACS
// definition, lists the pools Azure has, decides per pool (pool-actions.ts) and carries the decisions out
// through the agentPools gateway. Long-running operations never hold a worker: a write stores its poller in
// status and the next pass polls it once, so a restarted operator resumes the same operation.
import type { AgentPool } from '@azure/arm-containerservice';
import type {
  CustomObjectsApi,
  KubernetesObject,
  KubernetesObjectApi,
  V1Node,
} from '@kubernetes/client-node';
import { ArmCallError } from '../azure/agent-pools.ts';
import type { AgentPoolsGateway, ManagedClusterRef, PendingOperation } from '../azure/agent-pools.ts';
import type { ArmError } from '../azure/arm-errors.ts';
import { planCluster } from '../cluster/agent-pool-plan.ts';
import type { ClusterPlan, PoolPlan } from '../cluster/agent-pool-plan.ts';
import { isOwned, poolActions } from '../cluster/pool-actions.ts';
import type { PoolAction } from '../cluster/pool-actions.ts';
import {
  dcosClusterResource,
  dcosClusterSpecSchema,
  LOCAL_SUBSCRIPTION_ID,
} from '../resources/dcos-cluster.ts';
import type { DcosClusterSpec, DcosClusterStatus, PoolStatus, Provider } from '../resources/dcos-cluster.ts';
import type { Phase } from '../runtime/conditions.ts';
import type { ReconcileResult, Reconciler } from '../runtime/controller.ts';
import { splitKey } from '../runtime/controller.ts';
import { errorMessage, issuesText } from '../runtime/errors.ts';
import type { EventRecorder } from '../runtime/events.ts';
import { addFinalizer, hasFinalizer, removeFinalizer } from '../runtime/finalizers.ts';
import type { Informer } from '../runtime/informer.ts';
import type { JsonRequester } from '../runtime/kube-client.ts';
import { getIfExists } from '../runtime/kube-client.ts';
import type { Logger } from '../runtime/logger.ts';
import { customObjectPath } from '../runtime/resource-paths.ts';
import { StatusWriter } from './status-writer.ts';

/** Removes the cluster's agent pools before the DcosCluster goes. */
export const POOLS_FINALIZER = 'dcos-operator.dev/agent-pools';
/** `detach-on-delete`: deleting the DcosCluster leaves its Azure agent pools in place (as ASO's policy does). */
export const RECONCILE_POLICY_ANNOTATION = 'dcos-operator.dev/reconcile-policy';
/** The label AKS puts on every node of a pool. */
export const AGENT_POOL_NODE_LABEL = 'kubernetes.azure.com/agentpool';
/** The label AKS puts on every node with its cluster's node resource group. */
export const NODE_RESOURCE_GROUP_LABEL = 'kubernetes.azure.com/cluster';

export interface DcosClusterSettings {
  /** How soon to look again while an operation runs. */
  pollIntervalMs: number;
  /** How soon to try again after a 409 (another operation on the pool or cluster). */
  busyRetryMs: number;
  /** How long a pool whose operation failed waits before the operator puts it again. */
  failedRetryMs: number;
  /** Re-read Azure this often when everything is in sync, to correct changes made outside the operator. */
  resyncMs: number;
  /** Where a spec.target leaves the AKS cluster out (the chart's azure.* values). */
  azureDefaults?: AzureTargetDefaults;
}

export interface AzureTargetDefaults {
  subscriptionId?: string | undefined;
  resourceGroup?: string | undefined;
  managedClusterName?: string | undefined;
}

export interface DcosClusterDeps {
  clusters: Pick<Informer<ClusterObject>, 'get'>;
  nodes: Pick<Informer<V1Node>, 'list'>;
  gateway: (provider: Provider) => Promise<AgentPoolsGateway>;
  objects: KubernetesObjectApi;
  json: JsonRequester;
  customObjects: CustomObjectsApi;
  events: EventRecorder;
  settings: DcosClusterSettings;
  log: Logger;
  now?: () => Date;
}

type ClusterObject = KubernetesObject & { spec?: unknown; status?: DcosClusterStatus };

/** Per pool, what this pass found out, merged into status. */
interface PoolNote {
  operation?: PendingOperation & { startedAt: string };
  error?: ArmError;
  state?: string;
}

interface Pass {
  notes: Map<string, PoolNote>;
  /** Problems only a spec (or Azure-side) change can fix, by reason. */
  stalled: { reason: string; message: string }[];
  /** Transient problems; retried by the operator. */
  retrying: { reason: string; message: string; afterMs: number }[];
  progressing: string[];
  requeueMs: number[];
}

export class DcosClusterReconciler implements Reconciler {
  private readonly deps: DcosClusterDeps;
  private readonly status: StatusWriter;
  private readonly now: () => Date;
  /** Managed cluster id → its node resource group, read once: it never changes. */
  private readonly nodeGroups = new Map<string, string>();
  /** `${key}/${pool}` → when a failed operation may be retried. */
  private readonly failedUntil = new Map<string, number>();

  constructor(deps: DcosClusterDeps) {
    this.deps = deps;
    this.now = deps.now ?? (() => new Date());
    this.status = new StatusWriter(deps.customObjects, dcosClusterResource, this.now);
  }

  private get(key: string): ClusterObject | undefined {
    const { namespace, name } = splitKey(key);
    return this.deps.clusters.get(name, namespace);
  }

  async reconcile(key: string): Promise<ReconcileResult> {
    const obj = this.get(key);
    if (!obj) return;
    const deleting = obj.metadata?.deletionTimestamp !== undefined;
    if (deleting && !hasFinalizer(obj, POOLS_FINALIZER)) return;
    if (deleting && obj.metadata?.annotations?.[RECONCILE_POLICY_ANNOTATION] === 'detach-on-delete') {
      this.deps.log.info('leaving the agent pools in Azure (detach-on-delete)', { key });
      await this.release(obj);
      return;
    }
    // The CRD schema guarantees the shape; defaults (target) are filled in here.
    const spec = dcosClusterSpecSchema.safeParse(obj.spec);
    if (!spec.success) {
      const message = issuesText(spec.error);
      await this.status.write(obj, { state: 'stalled', reason: 'InvalidSpec', message });
      return;
    }
    const ownerTag = `${obj.metadata?.namespace}/${obj.metadata?.name}`;
    const planned = planCluster(
      { apiVersion: spec.data.apiVersion, properties: spec.data.properties },
      { ownerTag },
    );
    if (!planned.ok && !deleting) {
      const message = planned.errors.map((e) => `${e.path}: ${e.message}`).join('\n');
      await this.status.write(
        obj,
        { state: 'stalled', reason: 'InvalidSpec', message },
        { clusterId: obj.metadata?.uid },
      );
      return;
    }
    const plan = planned.ok ? planned.plan : undefined;
    if (!deleting && !hasFinalizer(obj, POOLS_FINALIZER)) {
      await addFinalizer(this.deps.objects, obj, POOLS_FINALIZER);
    }
    const ref = clusterRef(spec.data, this.deps.settings.azureDefaults);
    if (!ref.ok && !deleting) {
      await this.status.write(
        obj,
        { state: 'stalled', reason: 'InvalidSpec', message: ref.message },
        { clusterId: obj.metadata?.uid },
      );
      return;
    }
    if (!ref.ok) {
      // Nothing can have been created without a subscription: let the object go.
      await this.release(obj);
      return;
    }
    const gateway = await this.deps.gateway(spec.data.target.provider);
    let actual: AgentPool[];
    try {
      actual = await gateway.list(ref);
    } catch (err) {
      return this.listFailed(obj, plan, err);
    }
    const pass: Pass = { notes: new Map(), stalled: [], retrying: [], progressing: [], requeueMs: [] };
    // The status this operator last wrote, even when the cache has not caught up: a second pass right after
    // the first (the finalizer's update event) must still see the operations the first one started.
    const pending = pendingOperations(this.status.newest(obj));
    const actions = poolActions({
      desired: plan?.pools ?? [],
      actual,
      pending: new Set(pending.keys()),
      ownerTag,
      deleting,
    });
    for (const action of actions) await this.act(key, obj, gateway, ref, action, pending, pass);

    if (deleting) return this.finishDeleting(obj, actual, ownerTag, pass);
    if (!plan) return;
    const status = this.statusOf(obj, plan, ref, actual, ownerTag, pass, await this.nodeGroup(gateway, ref));
    const phase = phaseOf(plan, status, pass);
    const wrote = await this.status.write(obj, phase, status);
    if (wrote === 'written' && phase.state === 'stalled')
      void this.deps.events.record(obj, 'Warning', phase.reason, phase.message);
    if (wrote === 'written' && obj.status?.unmapped === undefined) {
      for (const u of plan.unmapped.filter((f) => f.disposition === 'warning'))
        void this.deps.events.record(obj, 'Warning', 'UnmappedField', `${u.path}: ${u.reason}`);
    }
    return { requeueAfterMs: requeueOf(phase, pass, this.deps.settings) };
  }

  async onError(key: string, err: unknown, final: boolean, reason: string): Promise<void> {
    const obj = this.get(key);
    if (!obj) return;
    const message = errorMessage(err);
    await this.status.write(
      obj,
      final ? { state: 'stalled', reason, message } : { state: 'retrying', reason, message },
    );
  }

  private async act(
    key: string,
    obj: ClusterObject,
    gateway: AgentPoolsGateway,
    ref: ManagedClusterRef,
    action: PoolAction,
    pending: Map<string, PendingOperation & { startedAt: string }>,
    pass: Pass,
  ): Promise<void> {
    const { settings, log } = this.deps;
    const note = (n: PoolNote) => pass.notes.set(action.name, { ...pass.notes.get(action.name), ...n });
    const retryKey = `${key}/${action.name}`;
    try {
      switch (action.kind) {
        case 'poll': {
          const op = pending.get(action.name)!;
          const outcome = await gateway.poll(ref, op);
          if (!outcome.done) {
            note({ operation: op });
            pass.progressing.push(`${action.name}: ${op.kind === 'put' ? 'provisioning' : 'deleting'}`);
          } else if ('error' in outcome) {
            log.warn('agent pool operation failed', { key, pool: action.name, code: outcome.error.code });
            note({ error: outcome.error, state: 'Failed' });
            this.failedUntil.set(retryKey, Date.now() + settings.failedRetryMs);
            pass.retrying.push({
              reason: 'OperationFailed',
              message: `${action.name}: ${outcome.error.code}: ${outcome.error.message}`,
              afterMs: settings.failedRetryMs,
            });
          } else {
            this.failedUntil.delete(retryKey);
            // Look again at once: the pool's final state (and its nodes) decide what comes next.
            pass.requeueMs.push(0);
          }
          return;
        }
        case 'create':
        case 'update':
        case 'delete': {
          const until = this.failedUntil.get(retryKey);
          if (until !== undefined && until > Date.now()) {
            pass.retrying.push({
              reason: 'OperationFailed',
              message: `${action.name}: waiting before trying the failed operation again`,
              afterMs: until - Date.now(),
            });
            note({ error: lastError(obj.status, action.name) });
            return;
          }
          const outcome =
            action.kind === 'delete'
              ? await gateway.delete(ref, action.name)
              : await gateway.put(ref, action.name, action.body);
          if (outcome.kind === 'rate-limited') {
            pass.progressing.push(`${action.name}: waiting for the ARM write budget`);
            pass.requeueMs.push(outcome.retryAfterMs);
          } else if (outcome.kind === 'started') {
            log.info(`agent pool ${action.kind} started`, { key, pool: action.name });
            note({ operation: { ...outcome.operation, startedAt: this.now().toISOString() } });
            pass.progressing.push(`${action.name}: ${verbOf(action.kind)}`);
          } else {
            pass.requeueMs.push(0);
          }
          return;
        }
        case 'wait':
          note({ state: action.state });
          pass.progressing.push(`${action.name}: ${action.state} (an operation the operator did not start)`);
          return;
        case 'immutable':
          pass.stalled.push({
            reason: 'ImmutableFieldChanged',
            message:
              `agent pool ${action.name}: AKS cannot change ${action.fields.join(', ')} of an existing pool; ` +
              'give the pool a new name to replace it',
          });
          return;
        case 'not-owned':
          pass.stalled.push({
            reason: 'PoolNotOwned',
            message:
              `agent pool ${action.name} already exists in the AKS cluster and ` +
              (action.owner ? `belongs to DcosCluster ${action.owner}` : 'was not created by a DcosCluster') +
              '; rename the pool or remove the existing one',
          });
          return;
        case 'in-sync':
          this.failedUntil.delete(retryKey);
          return;
      }
    } catch (err) {
      if (!(err instanceof ArmCallError)) throw err;
      this.armFailed(action.name, err.arm, pass, note);
    }
  }

  private armFailed(pool: string, arm: ArmError, pass: Pass, note: (n: PoolNote) => void): void {
    const { settings } = this.deps;
    const message = `${pool}: ${arm.code}: ${arm.message}`;
    note({ error: arm });
    // A 400 cannot succeed by repetition: the definition (or the AKS cluster) must change.
    if (arm.class === 'invalid') pass.stalled.push({ reason: 'AzureRejected', message });
    else {
      const afterMs = arm.class === 'forbidden' ? settings.resyncMs / 4 : settings.busyRetryMs;
      pass.retrying.push({ reason: RETRY_REASONS[arm.class], message, afterMs: arm.retryAfterMs ?? afterMs });
    }
  }

  /**
   * The node resource group that tells this cluster's nodes apart from other clusters' (several AKS clusters
   * can have pools of the same name; the emulator even puts them in one Kubernetes cluster). Unknown when
   * Azure does not say: nodes are then matched by pool name alone.
   */
  private async nodeGroup(gateway: AgentPoolsGateway, ref: ManagedClusterRef): Promise<string | undefined> {
    const id = managedClusterId(ref).toLowerCase();
    const known = this.nodeGroups.get(id);
    if (known !== undefined) return known;
    try {
      const group = await gateway.nodeResourceGroup(ref);
      if (group) this.nodeGroups.set(id, group);
      return group;
    } catch (err) {
      if (!(err instanceof ArmCallError)) throw err;
      return undefined;
    }
  }

  /** Removes the finalizer; an object already gone (a second pass on a stale cache) is not an error. */
  private async release(obj: ClusterObject): Promise<void> {
    try {
      await removeFinalizer(this.deps.objects, obj, POOLS_FINALIZER);
    } catch (err) {
      const { namespace = '', name = '' } = obj.metadata ?? {};
      const live = await getIfExists(this.deps.json, customObjectPath(dcosClusterResource, namespace, name));
      if (live) throw err;
    }
  }

  private async listFailed(
    obj: ClusterObject,
    plan: ClusterPlan | undefined,
    err: unknown,
  ): Promise<ReconcileResult> {
    if (!(err instanceof ArmCallError)) throw err;
    const { arm } = err;
    const message = `listing agent pools: ${arm.code}: ${arm.message}`;
    const phase: Phase =
      arm.class === 'not-found'
        ? { state: 'stalled', reason: 'ManagedClusterNotFound', message }
        : { state: 'retrying', reason: arm.class === 'throttled' ? 'AzureThrottled' : 'AzureError', message };
    if (obj.metadata?.deletionTimestamp && arm.class === 'not-found') {
      // No managed cluster, no pools: nothing is left to remove.
      await this.release(obj);
      return;
    }
    await this.status.write(obj, phase, plan ? { clusterId: obj.metadata?.uid } : {});
    const s = this.deps.settings;
    return {
      requeueAfterMs: arm.retryAfterMs ?? (arm.class === 'not-found' ? s.resyncMs / 4 : s.busyRetryMs),
    };
  }

  private async finishDeleting(
    obj: ClusterObject,
    actual: AgentPool[],
    ownerTag: string,
    pass: Pass,
  ): Promise<ReconcileResult> {
    const left = actual.filter((p) => isOwned(p, ownerTag)).map((p) => p.name ?? '');
    const inFlight = [...pass.notes.entries()].filter(([, n]) => n.operation).map(([name]) => name);
    if (left.length === 0 && inFlight.length === 0) {
      this.deps.log.info('agent pools removed; releasing the DcosCluster', { cluster: ownerTag });
      await this.release(obj);
      return;
    }
    const pools = [...new Set([...left, ...inFlight])].sort();
    const status: Partial<DcosClusterStatus> = {
      pools: pools.map((name) => {
        const n = pass.notes.get(name);
        const pool: PoolStatus = { name, provisioningState: n?.state ?? 'Deleting' };
        if (n?.operation) pool.operation = opStatus(n.operation);
        if (n?.error) pool.error = { code: n.error.code, message: n.error.message };
        return pool;
      }),
    };
    await this.status.write(
      obj,
      { state: 'deleting', message: `removing agent pools: ${pools.join(', ')}` },
      status,
    );
    const retry = pass.retrying.map((r) => r.afterMs);
    return { requeueAfterMs: Math.min(this.deps.settings.pollIntervalMs, ...retry, ...pass.requeueMs) };
  }

  private statusOf(
    obj: ClusterObject,
    plan: ClusterPlan,
    ref: ManagedClusterRef,
    actual: AgentPool[],
    ownerTag: string,
    pass: Pass,
    nodeGroup: string | undefined,
  ): Partial<DcosClusterStatus> {
    const byName = new Map(actual.map((p) => [p.name ?? '', p]));
    const ready = readyNodesByPool(this.deps.nodes.list(), nodeGroup);
    const planned = new Map(plan.pools.map((p) => [p.name, p]));
    const names = new Set([...planned.keys(), ...pass.notes.keys()]);
    // Owned pools no longer in the definition stay listed until they are gone.
    for (const p of actual) if (p.name && isOwned(p, ownerTag)) names.add(p.name);
    const pools = [...names].sort().map((name) => {
      const want = planned.get(name);
      const have = byName.get(name);
      const note = pass.notes.get(name);
      const pool: PoolStatus = { name };
      if (want) Object.assign(pool, { role: want.role, mode: want.body.mode, vmSize: want.body.vmSize });
      const state = note?.state ?? (note?.operation && !have ? 'Creating' : have?.provisioningState);
      if (state) pool.provisioningState = state;
      if (want) pool.desiredCount = desiredCount(want);
      if (have?.count !== undefined) pool.count = have.count;
      pool.readyNodes = ready.get(name) ?? 0;
      if (note?.operation) pool.operation = opStatus(note.operation);
      if (note?.error) pool.error = { code: note.error.code, message: note.error.message };
      return pool;
    });
    return {
      clusterId: obj.metadata?.uid,
      managedClusterId: managedClusterId(ref),
      apiVersion: plan.apiVersion,
      masters: plan.masterCount,
      operatorReplicas: plan.operatorReplicas,
      desiredNodes: plan.pools.reduce((n, p) => n + desiredCount(p), 0),
      readyNodes: pools.filter((p) => planned.has(p.name)).reduce((n, p) => n + (p.readyNodes ?? 0), 0),
      pools,
      // The schema bounds the list; a definition full of unknown keys is cut, with a last entry saying so.
      unmapped: capUnmapped(plan.unmapped),
    };
  }
}

const RETRY_REASONS: Record<ArmError['class'], string> = {
  busy: 'AzureBusy',
  throttled: 'AzureThrottled',
  forbidden: 'AzureAuthorizationFailed',
  transient: 'AzureError',
  'not-found': 'AzureResourceNotFound',
  'operation-failed': 'OperationFailed',
  invalid: 'AzureRejected',
};

const MAX_UNMAPPED = 200;

function capUnmapped(list: ClusterPlan['unmapped']): ClusterPlan['unmapped'] {
  if (list.length <= MAX_UNMAPPED) return list;
  const more = list.length - (MAX_UNMAPPED - 1);
  return [
    ...list.slice(0, MAX_UNMAPPED - 1),
    { path: 'properties', disposition: 'warning', reason: `${more} more fields are not listed` },
  ];
}

function verbOf(kind: 'create' | 'update' | 'delete'): string {
  return kind === 'create' ? 'creating' : kind === 'update' ? 'updating' : 'deleting';
}

function opStatus(op: PendingOperation & { startedAt: string }): NonNullable<PoolStatus['operation']> {
  return { kind: op.kind, startedAt: op.startedAt, state: op.state };
}

function lastError(status: DcosClusterStatus | undefined, pool: string): ArmError | undefined {
  const e = status?.pools?.find((p) => p.name === pool)?.error;
  return e ? { class: 'operation-failed', code: e.code, message: e.message } : undefined;
}

/** Operations in flight, as the last status recorded them. */
function pendingOperations(
  status: DcosClusterStatus | undefined,
): Map<string, PendingOperation & { startedAt: string }> {
  const out = new Map<string, PendingOperation & { startedAt: string }>();
  for (const p of status?.pools ?? []) if (p.operation) out.set(p.name, p.operation);
  return out;
}

/** Nodes the pool should have: its count, or the autoscaler's lower bound. */
export function desiredCount(pool: PoolPlan): number {
  const b = pool.body;
  return b.enableAutoScaling ? (b.minCount ?? b.count ?? 0) : (b.count ?? 0);
}

export function isNodeReady(n: V1Node): boolean {
  return n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

export function readyNodesByPool(nodes: readonly V1Node[], nodeGroup?: string): Map<string, number> {
  const out = new Map<string, number>();
  const group = nodeGroup?.toLowerCase();
  for (const n of nodes) {
    const pool = n.metadata?.labels?.[AGENT_POOL_NODE_LABEL];
    if (!pool) continue;
    const nodeGroupLabel = n.metadata?.labels?.[NODE_RESOURCE_GROUP_LABEL];
    if (group && nodeGroupLabel && nodeGroupLabel.toLowerCase() !== group) continue;
    if (isNodeReady(n)) out.set(pool, (out.get(pool) ?? 0) + 1);
  }
  return out;
}

/** The AKS cluster a DcosCluster targets: its spec.target, else the operator's defaults. */
export function clusterRef(
  spec: DcosClusterSpec,
  defaults: AzureTargetDefaults = {},
): ({ ok: true } & ManagedClusterRef) | { ok: false; message: string } {
  const t = spec.target;
  const subscriptionId =
    t.subscriptionId ??
    defaults.subscriptionId ??
    (t.provider === 'local' ? LOCAL_SUBSCRIPTION_ID : undefined);
  if (!subscriptionId)
    return {
      ok: false,
      message:
        'target.subscriptionId: required for provider aks (or install the operator with azure.subscriptionId, ' +
        'its --azure-subscription-id)',
    };
  return {
    ok: true,
    subscriptionId,
    resourceGroup: t.resourceGroup ?? defaults.resourceGroup ?? 'dcos',
    clusterName: t.managedClusterName ?? defaults.managedClusterName ?? 'dcos',
  };
}

function managedClusterId(ref: ManagedClusterRef): string {
  return (
    `/subscriptions/${ref.subscriptionId}/resourceGroups/${ref.resourceGroup}` +
    `/providers/Microsoft.ContainerService/managedClusters/${ref.clusterName}`
  );
}

/** The one place that turns a pass into kstatus: stalled beats retrying beats progressing beats ready. */
export function phaseOf(plan: ClusterPlan, status: Partial<DcosClusterStatus>, pass: Pass): Phase {
  if (pass.stalled.length > 0) {
    return {
      state: 'stalled',
      reason: pass.stalled[0]!.reason,
      message: pass.stalled.map((s) => s.message).join('\n'),
    };
  }
  if (pass.retrying.length > 0) {
    return {
      state: 'retrying',
      reason: pass.retrying[0]!.reason,
      message: pass.retrying.map((r) => r.message).join('\n'),
    };
  }
  if (pass.progressing.length > 0) {
    return { state: 'progressing', reason: 'Provisioning', message: pass.progressing.join('\n') };
  }
  const pools = status.pools ?? [];
  const planned = new Set(plan.pools.map((p) => p.name));
  const extra = pools.filter((p) => !planned.has(p.name));
  if (extra.length > 0) {
    return {
      state: 'progressing',
      reason: 'Provisioning',
      message: `removing ${extra.map((p) => p.name).join(', ')}`,
    };
  }
  const notReady = pools.filter(
    (p) => p.provisioningState?.toLowerCase() !== 'succeeded' || (p.readyNodes ?? 0) < (p.desiredCount ?? 0),
  );
  if (notReady.length > 0) {
    const what = notReady.map(
      (p) =>
        `${p.name}: ${p.readyNodes ?? 0}/${p.desiredCount ?? 0} nodes Ready (${p.provisioningState ?? 'absent'})`,
    );
    return { state: 'progressing', reason: 'WaitingForNodes', message: what.join('\n') };
  }
  const nodes = status.readyNodes ?? 0;
  return {
    state: 'ready',
    reason: 'Provisioned',
    message: `${plan.pools.length} agent pools, ${nodes} nodes Ready`,
  };
}

function requeueOf(phase: Phase, pass: Pass, s: DcosClusterSettings): number {
  const soon = [...pass.requeueMs, ...pass.retrying.map((r) => r.afterMs)];
  if (phase.state === 'progressing' || pass.progressing.length > 0) soon.push(s.pollIntervalMs);
  if (phase.state === 'stalled') soon.push(s.resyncMs);
  if (soon.length === 0) return s.resyncMs;
  return Math.max(0, Math.min(...soon));
}
