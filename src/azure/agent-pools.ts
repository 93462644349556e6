// The AKS agentPools calls the DcosCluster reconciler makes, in a shape that never blocks a worker: a write
// submits the long-running operation and returns its serialized poller; a later reconcile (possibly in
// another process, after a restart) resumes that poller for one poll. Writes go through a per-subscription
// token bucket so the operator stays under ARM's write rate.
import type { AgentPool, ContainerServiceClient } from '@azure/arm-containerservice';
import { restorePoller } from '@azure/arm-containerservice';
import type { OperationState, PollerLike } from '@azure/core-lro';
import { TokenBucket } from '../runtime/token-bucket.ts';
import type { ArmConnection } from './arm-client.ts';
import { createContainerServiceClient } from './arm-client.ts';
import { classifyArmError } from './arm-errors.ts';
import type { ArmError } from './arm-errors.ts';

export interface ManagedClusterRef {
  subscriptionId: string;
  resourceGroup: string;
  clusterName: string;
}

/** A long-running operation in flight, as kept in status between reconciles. */
export interface PendingOperation {
  kind: 'put' | 'delete';
  /** The SDK poller's serialized state (URLs to poll; no credentials). */
  state: string;
}

export type WriteOutcome =
  | { kind: 'started'; operation: PendingOperation }
  | { kind: 'done'; pool?: AgentPool }
  /** The local write budget is spent: try again after retryAfterMs, nothing was sent. */
  | { kind: 'rate-limited'; retryAfterMs: number };

export type PollOutcome =
  { done: false } | { done: true; pool?: AgentPool } | { done: true; error: ArmError };

export class ArmCallError extends Error {
  override name = 'ArmCallError';
  readonly arm: ArmError;
  constructor(arm: ArmError) {
    super(`${arm.code}: ${arm.message}`);
    this.arm = arm;
  }
}

export interface AgentPoolsGatewayOptions {
  /** ARM writes (PUT, DELETE) per second per subscription; ARM's own limit is far above, AKS's is about 10. */
  writesPerSecond: number;
  /** Polling interval the SDK would wait between polls (also what it tells us to wait). */
  pollIntervalMs?: number;
  /** Counts every ARM call by verb and outcome (metrics). */
  observe?: (verb: string, outcome: string) => void;
}

export class AgentPoolsGateway {
  private readonly conn: ArmConnection;
  private readonly opts: AgentPoolsGatewayOptions;
  private readonly clients = new Map<string, ContainerServiceClient>();
  private readonly writeBudgets = new Map<string, TokenBucket>();

  constructor(conn: ArmConnection, opts: AgentPoolsGatewayOptions) {
    this.conn = conn;
    this.opts = opts;
  }

  async list(ref: ManagedClusterRef): Promise<AgentPool[]> {
    const pools: AgentPool[] = [];
    await this.call('list', async () => {
      for await (const pool of this.client(ref).agentPools.list(ref.resourceGroup, ref.clusterName))
        pools.push(pool);
    });
    return pools;
  }

  /** The managed cluster's node resource group: AKS labels every node with it (kubernetes.azure.com/cluster). */
  async nodeResourceGroup(ref: ManagedClusterRef): Promise<string | undefined> {
    return this.call('get-cluster', async () => {
      const cluster = await this.client(ref).managedClusters.get(ref.resourceGroup, ref.clusterName);
      return cluster.nodeResourceGroup;
    });
  }

  /** Starts a create or update of one pool. */
  async put(ref: ManagedClusterRef, name: string, body: AgentPool): Promise<WriteOutcome> {
    const wait = this.takeWrite(ref);
    if (wait !== undefined) return { kind: 'rate-limited', retryAfterMs: wait };
    return this.call('put', async () => {
      const poller = this.client(ref).agentPools.createOrUpdate(
        ref.resourceGroup,
        ref.clusterName,
        name,
        body,
        {
          updateIntervalInMs: this.opts.pollIntervalMs,
        },
      );
      await poller.submitted();
      if (poller.isDone) return { kind: 'done', pool: await poller };
      return { kind: 'started', operation: { kind: 'put', state: await poller.serialize() } };
    });
  }

  /** Starts deleting one pool; done at once when it is already gone. */
  async delete(ref: ManagedClusterRef, name: string): Promise<WriteOutcome> {
    const wait = this.takeWrite(ref);
    if (wait !== undefined) return { kind: 'rate-limited', retryAfterMs: wait };
    return this.call('delete', async () => {
      const poller = this.client(ref).agentPools.delete(ref.resourceGroup, ref.clusterName, name, {
        updateIntervalInMs: this.opts.pollIntervalMs,
      });
      await poller.submitted();
      if (poller.isDone) {
        await poller;
        return { kind: 'done' };
      }
      return { kind: 'started', operation: { kind: 'delete', state: await poller.serialize() } };
    });
  }

  /**
   * Polls a pending operation once. A failed or canceled operation is an outcome, not a throw; a failed
   * poll request (throttled, network) throws an ArmCallError and the operation stays pending.
   */
  async poll(ref: ManagedClusterRef, op: PendingOperation): Promise<PollOutcome> {
    const client = this.client(ref);
    // restorePoller finds the deserializer by the URL in the state; the source operation only names it.
    const source = (op.kind === 'put' ? client.agentPools.createOrUpdate : client.agentPools.delete) as (
      ...args: unknown[]
    ) => PollerLike<OperationState<AgentPool | undefined>, AgentPool | undefined>;
    let poller: PollerLike<OperationState<AgentPool | undefined>, AgentPool | undefined>;
    try {
      poller = restorePoller(client, op.state, source, { updateIntervalInMs: this.opts.pollIntervalMs });
    } catch (err) {
      // A state this SDK cannot read (an upgrade changed its format): forget it; the next reconcile reads the pool.
      return {
        done: true,
        error: { class: 'transient', code: 'PollerStateUnreadable', message: String(err) },
      };
    }
    try {
      await poller.poll();
    } catch (err) {
      const arm = classifyArmError(err);
      // 404: the operation is unknown (it expired, or the emulator restarted); the pool itself tells the rest.
      if (arm.class === 'operation-failed' || arm.class === 'not-found') return { done: true, error: arm };
      this.opts.observe?.('poll', arm.class);
      throw new ArmCallError(arm);
    }
    this.opts.observe?.('poll', 'ok');
    const state = poller.operationState;
    if (!poller.isDone || !state || state.status === 'running' || state.status === 'notStarted')
      return { done: false };
    if (state.status === 'succeeded') return { done: true, ...(state.result ? { pool: state.result } : {}) };
    if (state.status === 'canceled') {
      return {
        done: true,
        error: { class: 'operation-failed', code: 'Canceled', message: 'the operation was canceled' },
      };
    }
    return {
      done: true,
      error: classifyArmError(state.error ?? new Error('The long-running operation has failed')),
    };
  }

  private async call<T>(verb: string, fn: () => Promise<T>): Promise<T> {
    try {
      const out = await fn();
      this.opts.observe?.(verb, 'ok');
      return out;
    } catch (err) {
      const arm = classifyArmError(err);
      this.opts.observe?.(verb, arm.class);
      throw new ArmCallError(arm);
    }
  }

  /** undefined when a write may go now, else how long until one may. */
  private takeWrite(ref: ManagedClusterRef): number | undefined {
    let bucket = this.writeBudgets.get(ref.subscriptionId);
    if (!bucket) {
      const qps = this.opts.writesPerSecond;
      bucket = new TokenBucket({ qps, burst: Math.max(1, Math.floor(qps)) });
      this.writeBudgets.set(ref.subscriptionId, bucket);
    }
    if (bucket.tryTake()) return undefined;
    return Math.ceil(1000 / this.opts.writesPerSecond);
  }

  private client(ref: ManagedClusterRef): ContainerServiceClient {
    let client = this.clients.get(ref.subscriptionId);
    if (!client) {
      client = createContainerServiceClient(this.conn, ref.subscriptionId);
      this.clients.set(ref.subscriptionId, client);
    }
    return client;
  }
}
