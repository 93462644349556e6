// What to do with each agent pool of a DcosCluster, decided from the desired pools, the pools Azure lists
// and the operations in flight. Pure: the reconciler carries the actions out. Only pools tagged as this
// cluster's are ever changed or deleted; a pool with a desired name but someone else's tag is reported.
import type { AgentPool } from '@azure/arm-containerservice';
import { OWNER_TAG_KEY } from './agent-pool-plan.ts';
import { poolUpdate } from './pool-drift.ts';

/** provisioningStates after which a pool accepts a new operation. */
const SETTLED = new Set(['succeeded', 'failed', 'canceled']);

export interface DesiredPool {
  name: string;
  body: AgentPool;
}

export type PoolAction =
  /** An operation is in flight: poll it. */
  | { kind: 'poll'; name: string }
  | { kind: 'create'; name: string; body: AgentPool }
  | { kind: 'update'; name: string; body: AgentPool; changed: string[] }
  | { kind: 'delete'; name: string }
  /** Azure is busy with the pool (an operation this operator did not start, or lost track of). */
  | { kind: 'wait'; name: string; state: string }
  | { kind: 'in-sync'; name: string }
  /** A field AKS cannot change in place differs: the pool has to be replaced (renamed) by the user. */
  | { kind: 'immutable'; name: string; fields: string[] }
  /** A pool with this name exists but belongs to something else. */
  | { kind: 'not-owned'; name: string; owner: string | undefined };

export interface PoolActionInput {
  desired: readonly DesiredPool[];
  actual: readonly AgentPool[];
  /** Pools with an operation in flight (kept in status). */
  pending: ReadonlySet<string>;
  ownerTag: string;
  /** The DcosCluster is being deleted: remove every owned pool. */
  deleting: boolean;
}

export function isOwned(pool: AgentPool, ownerTag: string): boolean {
  return pool.tags?.[OWNER_TAG_KEY] === ownerTag;
}

export function isSettled(pool: AgentPool): boolean {
  return SETTLED.has((pool.provisioningState ?? 'Succeeded').toLowerCase());
}

export function poolActions(input: PoolActionInput): PoolAction[] {
  const { desired, pending, ownerTag, deleting } = input;
  const actual = new Map(input.actual.flatMap((p) => (p.name ? [[p.name, p] as const] : [])));
  const wanted = new Map(desired.map((d) => [d.name, d]));
  const names = [...new Set([...wanted.keys(), ...actual.keys(), ...pending])].sort();
  const actions: PoolAction[] = [];
  for (const name of names) {
    const want = deleting ? undefined : wanted.get(name);
    const have = actual.get(name);
    if (pending.has(name)) {
      actions.push({ kind: 'poll', name });
      continue;
    }
    if (!have) {
      if (want) actions.push({ kind: 'create', name, body: want.body });
      continue;
    }
    const owned = isOwned(have, ownerTag);
    if (!owned) {
      if (want) actions.push({ kind: 'not-owned', name, owner: have.tags?.[OWNER_TAG_KEY] });
      continue;
    }
    if (!isSettled(have)) {
      actions.push({ kind: 'wait', name, state: have.provisioningState ?? 'Unknown' });
      continue;
    }
    if (!want) {
      actions.push({ kind: 'delete', name });
      continue;
    }
    const update = poolUpdate(want.body, have);
    if (update.action === 'replace-required')
      actions.push({ kind: 'immutable', name, fields: update.immutable });
    else if (update.action === 'update' || have.provisioningState?.toLowerCase() === 'failed')
      // A Failed pool is repaired by putting it again, as `az aks nodepool update` does.
      actions.push({ kind: 'update', name, body: update.body ?? want.body, changed: update.changed });
    else actions.push({ kind: 'in-sync', name });
  }
  return actions;
}
