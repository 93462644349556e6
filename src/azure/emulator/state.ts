// The emulator's model of ARM: managed clusters, their agent pools and the asynchronous operations that
// change them. No HTTP here. Time comes from an injectable clock. An operation completes when its time is up;
// completion is applied lazily whenever state is read, and also by a timer at the due time so that
// onPoolsChanged listeners hear about it without anyone polling.
import { randomUUID } from 'node:crypto';
import { realClock } from '../../runtime/clock.ts';
import type { Cancel, Clock } from '../../runtime/clock.ts';
import { createSpec, liveFrom, mergeSpec, seedSystemPoolSpec } from './defaults.ts';
import type { PoolSpec } from './defaults.ts';
import { ArmError } from './errors.ts';
import type {
  AgentPoolProperties,
  AgentPoolSnapshot,
  ClusterInfo,
  ClusterRef,
  LivePool,
  PoolRef,
} from './model.ts';
import { armTimestamp } from './operations.ts';
import type { OperationKind, OperationRecord } from './operations.ts';
import { parsePoolRequest } from './request.ts';
import { poolId } from './resources.ts';
import type { PoolView } from './resources.ts';
import { checkImmutables, validatePoolName, validateSpec } from './validation.ts';

export const DEFAULT_KUBERNETES_VERSION = '1.33.5';
export const DEFAULT_LOCATION = 'eastus';
export const SEED_POOL_NAME = 'nodepool1';
const CLUSTER_NAME_RE = /^[a-zA-Z0-9]$|^[a-zA-Z0-9][-_a-zA-Z0-9]{0,61}[a-zA-Z0-9]$/;

export interface AksStateOptions {
  clock?: Clock;
  /** How long each PUT and DELETE runs; default 2000 ms. */
  operationDurationMs?: number;
  /** How long an abort takes to cancel (the pool shows Canceling meanwhile); default operationDurationMs. */
  abortDurationMs?: number;
  /** Create an unknown cluster on first use, with the seeded System pool; default true. */
  autoCreateClusters?: boolean;
  defaultLocation?: string;
  defaultKubernetesVersion?: string;
  /** Operation ids and eTags; random UUIDs by default. */
  newId?: () => string;
  /** Asked once per accepted PUT or DELETE: true makes that operation end Failed (fault injection). */
  operationFails?: () => boolean;
  /** Finished operations kept for status polls; the oldest are forgotten beyond this. Default 10000. */
  operationHistory?: number;
  log?: (msg: string) => void;
}

export interface AddClusterOptions {
  kubernetesVersion?: string;
  location?: string;
  /** Give the cluster AKS's initial System pool `nodepool1`; default true. */
  seedSystemPool?: boolean;
}

/** ARM's conditional headers, compared with the pool's eTag. */
export interface Preconditions {
  ifMatch?: string;
  ifNoneMatch?: string;
}

export type PoolsListener = (cluster: ClusterInfo, pools: AgentPoolSnapshot[]) => void;

export interface PutResult {
  created: boolean;
  pool: PoolView;
  operation: OperationRecord;
}

interface PoolRecord {
  name: string;
  props: AgentPoolProperties;
  extras: Record<string, unknown>;
  live?: LivePool;
  /** The running operation, if any. */
  opId?: string;
  /** The spec the running PUT applies when it succeeds. */
  pending?: PoolSpec;
}

interface ClusterRecord {
  info: ClusterInfo;
  pools: Map<string, PoolRecord>;
  /** The snapshot listeners last saw, to fire only on change. */
  lastEmitted?: string;
}

export class AksState {
  private readonly clock: Clock;
  private durationMs: number;
  private readonly abortDurationMs: number;
  private readonly autoCreate: boolean;
  private readonly location: string;
  private readonly version: string;
  private readonly newId: () => string;
  private readonly operationFails: () => boolean;
  private readonly history: number;
  private readonly log: (msg: string) => void;
  private readonly clusters = new Map<string, ClusterRecord>();
  // Every operation still answerable by id (insertion order = age), and the ones still running.
  private readonly operations = new Map<string, OperationRecord>();
  private readonly running = new Map<string, OperationRecord>();
  private readonly timers = new Set<Cancel>();
  private readonly listeners = new Set<PoolsListener>();
  private readonly dirty = new Set<string>();

  /** How long operations started from now on take (tests lengthen it to catch one in flight). */
  setOperationDuration(ms: number): void {
    this.durationMs = ms;
  }

  constructor(opts: AksStateOptions = {}) {
    this.clock = opts.clock ?? realClock;
    this.durationMs = opts.operationDurationMs ?? 2000;
    this.abortDurationMs = opts.abortDurationMs ?? this.durationMs;
    this.autoCreate = opts.autoCreateClusters ?? true;
    this.location = opts.defaultLocation ?? DEFAULT_LOCATION;
    this.version = opts.defaultKubernetesVersion ?? DEFAULT_KUBERNETES_VERSION;
    this.newId = opts.newId ?? randomUUID;
    this.operationFails = opts.operationFails ?? (() => false);
    this.history = opts.operationHistory ?? 10_000;
    this.log = opts.log ?? (() => {});
  }

  /** Registers a cluster (or returns the existing one, unchanged). */
  addCluster(ref: ClusterRef, opts: AddClusterOptions = {}): ClusterInfo {
    const existing = this.clusters.get(clusterKey(ref));
    if (existing) return { ...existing.info };
    const info: ClusterInfo = {
      subscriptionId: ref.subscriptionId,
      resourceGroup: ref.resourceGroup,
      cluster: ref.cluster,
      location: opts.location ?? this.location,
      kubernetesVersion: opts.kubernetesVersion ?? this.version,
    };
    const c: ClusterRecord = { info, pools: new Map() };
    this.clusters.set(clusterKey(ref), c);
    if (opts.seedSystemPool ?? true) {
      const spec = seedSystemPoolSpec(info);
      c.pools.set(SEED_POOL_NAME, {
        name: SEED_POOL_NAME,
        props: { ...spec, provisioningState: 'Succeeded', eTag: this.newId() },
        extras: {},
        live: liveFrom(spec),
      });
    }
    this.touch(c);
    this.flush();
    return { ...info };
  }

  getCluster(ref: ClusterRef): { info: ClusterInfo; pools: PoolView[] } {
    this.settle();
    const c = this.cluster(ref);
    return { info: { ...c.info }, pools: [...c.pools.values()].map((p) => this.view(c, p)) };
  }

  getPool(ref: PoolRef): PoolView {
    this.settle();
    const c = this.cluster(ref);
    return this.view(c, this.pool(c, ref.pool));
  }

  listPools(ref: ClusterRef): PoolView[] {
    return this.getCluster(ref).pools;
  }

  /** PUT agentPools/{pool}: validates, then starts a create or update operation. */
  putPool(ref: PoolRef, body: unknown, pre: Preconditions = {}): PutResult {
    this.settle();
    const c = this.cluster(ref);
    const req = parsePoolRequest(body);
    const rec = c.pools.get(ref.pool.toLowerCase());
    validatePoolName(ref.pool, req.osType ?? rec?.props.osType ?? 'Linux');
    checkPreconditions(rec, pre);
    if (rec) this.checkIdle(rec);
    if (rec) checkImmutables(rec.props, req);
    const spec = rec ? mergeSpec(rec.props, req, c.info) : createSpec(req, c.info);
    validateSpec(req, spec, {
      cluster: c.info,
      ...(rec ? { current: rec.props } : {}),
      otherSystemPools: this.otherSystemPools(c, ref.pool),
    });

    const kind: OperationKind = rec ? 'update' : 'create';
    const poolState = rec ? updateState(rec.props, spec) : 'Creating';
    const op = this.startOperation(kind, c, ref.pool, poolState, this.durationMs);
    op.willFail = this.operationFails();
    const props: AgentPoolProperties = { ...spec, provisioningState: poolState, eTag: this.newId() };
    const next: PoolRecord = rec
      ? { ...rec, props, extras: { ...rec.extras, ...req.extras }, opId: op.id, pending: spec }
      : { name: ref.pool, props, extras: req.extras, opId: op.id, pending: spec };
    c.pools.set(ref.pool.toLowerCase(), next);
    this.log(`${kind} ${ref.pool} in ${c.info.cluster}: operation ${op.id} (${poolState})`);
    this.touch(c);
    this.flush();
    return { created: !rec, pool: this.view(c, next), operation: { ...op } };
  }

  /** DELETE agentPools/{pool}: starts a delete operation, or returns undefined when the pool is not there. */
  deletePool(ref: PoolRef, pre: Preconditions = {}): OperationRecord | undefined {
    this.settle();
    const c = this.cluster(ref);
    const rec = c.pools.get(ref.pool.toLowerCase());
    checkPreconditions(rec, pre);
    if (!rec) return undefined;
    this.checkIdle(rec);
    if (rec.props.mode === 'System' && this.otherSystemPools(c, rec.name) === 0)
      throw new ArmError(
        400,
        'OperationNotAllowed',
        c.pools.size === 1
          ? 'There has to be at least one agent pool.'
          : `There has to be at least one system agent pool: ${rec.name} is the last system pool of the cluster and can't be deleted.`,
      );
    const op = this.startOperation('delete', c, rec.name, 'Deleting', this.durationMs);
    op.willFail = this.operationFails();
    rec.props = { ...rec.props, provisioningState: 'Deleting', eTag: this.newId() };
    rec.opId = op.id;
    this.log(`delete ${rec.name} in ${c.info.cluster}: operation ${op.id}`);
    this.touch(c);
    this.flush();
    return { ...op };
  }

  /** POST agentPools/{pool}/abort: cancels the running operation (the pool shows Canceling, then Canceled). */
  abortPool(ref: PoolRef): OperationRecord {
    this.settle();
    const c = this.cluster(ref);
    const rec = this.pool(c, ref.pool);
    const target = rec.opId ? this.running.get(rec.opId) : undefined;
    if (!target)
      throw new ArmError(
        409,
        'OperationNotAllowed',
        `Operation is not allowed: there is no operation in progress on agent pool ${rec.name} to abort.`,
      );
    if (target.kind === 'abort') this.checkIdle(rec);
    const op = this.startOperation('abort', c, rec.name, 'Canceling', this.abortDurationMs);
    op.aborts = target.id;
    target.dueAt = undefined;
    rec.props = { ...rec.props, provisioningState: 'Canceling' };
    rec.opId = op.id;
    this.log(`abort ${rec.name} in ${c.info.cluster}: operation ${op.id} cancels ${target.id}`);
    this.touch(c);
    this.flush();
    return { ...op };
  }

  operation(id: string): OperationRecord | undefined {
    this.settle();
    const op = this.operations.get(id.toLowerCase());
    return op && { ...op };
  }

  /** The cluster autoscaler at work: sets an autoscaled pool's count within its bounds, outside any operation. */
  autoscale(ref: PoolRef, count: number): AgentPoolSnapshot {
    this.settle();
    const c = this.cluster(ref);
    const rec = this.pool(c, ref.pool);
    const { enableAutoScaling, minCount = 0, maxCount = 0 } = rec.props;
    if (!enableAutoScaling)
      throw new Error(`autoscale: agent pool ${rec.name} does not have autoscaling enabled`);
    if (!Number.isInteger(count) || count < minCount || count > maxCount)
      throw new RangeError(`autoscale: count ${count} is outside [${minCount}, ${maxCount}] for ${rec.name}`);
    if (rec.opId) throw new Error(`autoscale: agent pool ${rec.name} has an operation in progress`);
    rec.props = { ...rec.props, count, eTag: this.newId() };
    if (rec.live) rec.live = { ...rec.live, count };
    this.touch(c);
    this.flush();
    return this.view(c, rec).snapshot;
  }

  /** The cluster, without creating it; undefined when unknown. */
  clusterInfo(ref: ClusterRef): ClusterInfo | undefined {
    const c = this.clusters.get(clusterKey(ref));
    return c && { ...c.info };
  }

  /** A copy of the cluster's pools; empty when the cluster is unknown (it is not created). */
  pools(ref: ClusterRef): AgentPoolSnapshot[] {
    this.settle();
    const c = this.clusters.get(clusterKey(ref));
    return c ? [...c.pools.values()].map((p) => this.view(c, p).snapshot) : [];
  }

  /**
   * Calls `listener` after anything about a cluster's pools changes: a pool added or removed, a write
   * accepted, an operation completing, an autoscale. Returns a function that unsubscribes.
   */
  onPoolsChanged(listener: PoolsListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Completes every operation whose time is up, in the order they fall due. */
  settle(): void {
    const now = this.clock.now();
    const due = [...this.running.values()]
      .filter((op) => op.dueAt !== undefined && op.dueAt <= now)
      .sort((a, b) => (a.dueAt ?? 0) - (b.dueAt ?? 0));
    for (const op of due) this.complete(op, now);
    this.flush();
  }

  /** Cancels the completion timers and drops listeners. */
  dispose(): void {
    for (const cancel of this.timers) cancel();
    this.timers.clear();
    this.listeners.clear();
  }

  private complete(op: OperationRecord, now: number): void {
    const dueAt = op.dueAt ?? now;
    const end = armTimestamp(this.clock.wallNow() - (now - dueAt));
    this.running.delete(op.id);
    op.dueAt = undefined;
    op.endTime = end;
    const c = this.clusters.get(clusterKey(op.pool));
    const rec = c?.pools.get(op.pool.pool.toLowerCase());
    if (op.kind === 'abort') {
      const target = op.aborts ? this.running.get(op.aborts) : undefined;
      if (target) {
        this.running.delete(target.id);
        target.status = 'Canceled';
        target.endTime = end;
      }
      op.status = 'Succeeded';
      if (rec) rec.props = { ...rec.props, provisioningState: 'Canceled' };
    } else if (op.willFail) {
      op.status = 'Failed';
      op.error = {
        code: 'InternalOperationError',
        message: `The ${op.kind} operation on agent pool ${op.pool.pool} failed: an injected fault ended it.`,
      };
      if (rec) rec.props = { ...rec.props, provisioningState: 'Failed' };
    } else {
      op.status = 'Succeeded';
      if (op.kind === 'delete') c?.pools.delete(op.pool.pool.toLowerCase());
      else if (rec) {
        rec.props = { ...rec.props, provisioningState: 'Succeeded' };
        if (rec.pending) rec.live = liveFrom(rec.pending);
      }
    }
    if (rec && (rec.opId === op.id || rec.opId === op.aborts)) {
      delete rec.opId;
      delete rec.pending;
    }
    this.log(`operation ${op.id} (${op.kind} ${op.pool.pool}) ended ${op.status}`);
    if (c) this.touch(c);
  }

  private startOperation(
    kind: OperationKind,
    c: ClusterRecord,
    pool: string,
    poolState: string,
    durationMs: number,
  ): OperationRecord {
    const op: OperationRecord = {
      id: this.newId().toLowerCase(),
      kind,
      pool: { ...refOf(c.info), pool },
      location: c.info.location,
      status: 'InProgress',
      poolState,
      dueAt: this.clock.now() + durationMs,
      startTime: armTimestamp(this.clock.wallNow()),
      willFail: false,
    };
    this.operations.set(op.id, op);
    this.running.set(op.id, op);
    this.forgetOldOperations();
    const cancel = this.clock.setTimeout(() => {
      this.timers.delete(cancel);
      this.settle();
    }, durationMs);
    this.timers.add(cancel);
    return op;
  }

  private forgetOldOperations(): void {
    if (this.operations.size <= this.history) return;
    for (const [id, op] of this.operations) {
      if (this.operations.size <= this.history) break;
      if (!this.running.has(id) && op.status !== 'InProgress') this.operations.delete(id);
    }
  }

  /** 409 while the pool has an operation in flight. */
  private checkIdle(rec: PoolRecord): void {
    if (!rec.opId) return;
    throw new ArmError(
      409,
      'OperationNotAllowed',
      `Operation is not allowed: Another agentpool operation (${rec.name} - ${rec.props.provisioningState}) is in progress, please wait for it to finish before starting a new operation. See https://aka.ms/aks-pending-operation for more details`,
    );
  }

  private otherSystemPools(c: ClusterRecord, pool: string): number {
    let n = 0;
    for (const [key, p] of c.pools)
      if (key !== pool.toLowerCase() && p.props.mode === 'System' && p.props.provisioningState !== 'Deleting')
        n++;
    return n;
  }

  private cluster(ref: ClusterRef): ClusterRecord {
    const c = this.clusters.get(clusterKey(ref));
    if (c) return c;
    if (this.autoCreate && CLUSTER_NAME_RE.test(ref.cluster)) {
      this.addCluster(ref);
      const created = this.clusters.get(clusterKey(ref));
      if (created) return created;
    }
    throw new ArmError(
      404,
      'ResourceNotFound',
      `The Resource 'Microsoft.ContainerService/managedClusters/${ref.cluster}' under resource group '${ref.resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
    );
  }

  private pool(c: ClusterRecord, name: string): PoolRecord {
    const rec = c.pools.get(name.toLowerCase());
    if (!rec)
      throw new ArmError(
        404,
        'NotFound',
        `Agent pool '${name}' was not found in managed cluster '${c.info.cluster}'.`,
      );
    return rec;
  }

  private view(c: ClusterRecord, rec: PoolRecord): PoolView {
    return {
      snapshot: {
        id: poolId(c.info, rec.name),
        name: rec.name,
        properties: structuredClone(rec.props),
        ...(rec.live ? { live: structuredClone(rec.live) } : {}),
      },
      extras: structuredClone(rec.extras),
    };
  }

  private touch(c: ClusterRecord): void {
    this.dirty.add(clusterKey(c.info));
  }

  // Tells listeners about every cluster whose pools differ from what they last saw.
  private flush(): void {
    for (const key of this.dirty) {
      this.dirty.delete(key);
      const c = this.clusters.get(key);
      if (!c || this.listeners.size === 0) continue;
      const pools = [...c.pools.values()].map((p) => this.view(c, p).snapshot);
      const seen = JSON.stringify(pools);
      if (seen === c.lastEmitted) continue;
      c.lastEmitted = seen;
      for (const listener of this.listeners) {
        try {
          listener({ ...c.info }, structuredClone(pools));
        } catch (err) {
          this.log(`onPoolsChanged listener threw: ${String(err)}`);
        }
      }
    }
  }
}

function clusterKey(ref: ClusterRef): string {
  return `${ref.subscriptionId}/${ref.resourceGroup}/${ref.cluster}`.toLowerCase();
}

function refOf(c: ClusterRef): ClusterRef {
  return { subscriptionId: c.subscriptionId, resourceGroup: c.resourceGroup, cluster: c.cluster };
}

function stripETag(tag: string): string {
  return tag
    .trim()
    .replace(/^W\//, '')
    .replace(/^"(.*)"$/, '$1');
}

function checkPreconditions(rec: PoolRecord | undefined, pre: Preconditions): void {
  const fail = (message: string) => new ArmError(412, 'PreconditionFailed', message);
  if (pre.ifMatch !== undefined) {
    const want = stripETag(pre.ifMatch);
    if (!rec)
      throw fail(
        `Operation is not allowed: If-Match '${pre.ifMatch}' was given but the agent pool does not exist.`,
      );
    if (want !== '*' && want !== rec.props.eTag)
      throw fail(
        `Operation is not allowed: If-Match '${pre.ifMatch}' does not match the agent pool's current eTag.`,
      );
  }
  if (pre.ifNoneMatch !== undefined && rec) {
    const want = stripETag(pre.ifNoneMatch);
    if (want === '*' || want === rec.props.eTag)
      throw fail(
        `Operation is not allowed: If-None-Match '${pre.ifNoneMatch}' matched the existing agent pool.`,
      );
  }
}

// The provisioningState AKS shows while an update runs.
function updateState(before: AgentPoolProperties, after: PoolSpec): string {
  if (before.powerState.code !== after.powerState.code)
    return after.powerState.code === 'Stopped' ? 'Stopping' : 'Starting';
  if (before.currentOrchestratorVersion !== after.currentOrchestratorVersion) return 'Upgrading';
  const { provisioningState: _p, eTag: _e, count: beforeCount, ...restBefore } = before;
  const { count: afterCount, ...restAfter } = after;
  if (beforeCount !== afterCount && canonical(restBefore) === canonical(restAfter)) return 'Scaling';
  return 'Updating';
}

function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b)))
      : x,
  );
}
