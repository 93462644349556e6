// Whether an AKS agent pool still matches the body the operator wants, and what to PUT if not. Only what the
// desired body sets is compared, and what AKS changes on the server is not drift (CAPZ looped forever on both):
// - the label kubernetes.azure.com/scalesetpriority=spot and taint …=spot:NoSchedule AKS adds to Spot pools
//   (more generally, labels and taints under AKS's reserved prefixes that the desired body does not set);
// - the node count of an autoscaled pool, which the autoscaler owns;
// - server defaults (maxPods, osDiskSizeGB, osDiskType, osSKU, …), compared only when the desired body sets them;
// - the order of availabilityZones and nodeTaints, the case of VM sizes and resource ids;
// - tags other than those the desired body sets.
import type { AgentPool } from '@azure/arm-containerservice';

/** Fields AKS cannot change in place: a different value means a new pool. */
export const IMMUTABLE_POOL_FIELDS: readonly string[] = [
  'vmSize',
  'osType',
  'osDiskType',
  'availabilityZones',
  'maxPods',
  'scaleSetPriority',
  'vnetSubnetID',
];

export interface PoolUpdate {
  action: 'none' | 'update' | 'replace-required';
  /** Every field that differs, sorted. */
  changed: string[];
  /** The changed fields AKS cannot update in place. */
  immutable: string[];
  /** For 'update': the PUT body, the full desired body. */
  body?: AgentPool;
}

/** Label and taint key prefixes only AKS may write: such entries on the actual pool are AKS's own. */
const SERVER_PREFIXES = ['kubernetes.azure.com/', 'kubernetes.io/'];
const isServerKey = (key: string): boolean => SERVER_PREFIXES.some((p) => key.startsWith(p));

/** Azure compares these case-insensitively (VM sizes, resource ids, enum values). */
const CASE_INSENSITIVE = new Set([
  'vmSize',
  'vnetSubnetID',
  'podSubnetID',
  'osType',
  'osSKU',
  'osDiskType',
  'mode',
]);

/** Reported by AKS, never sent. */
const READ_ONLY = new Set([
  'id',
  'name',
  'type',
  'systemData',
  'eTag',
  'provisioningState',
  'currentOrchestratorVersion',
  'virtualMachineNodesStatus',
  'status',
]);

type Field = keyof AgentPool;
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function poolUpdate(desired: AgentPool, actual: AgentPool): PoolUpdate {
  const changed = new Set<string>();
  const autoscaled = desired.enableAutoScaling === true;
  // The keys of an AgentPool are its fields.
  for (const field of Object.keys(desired) as Field[]) {
    if (READ_ONLY.has(field) || desired[field] === undefined) continue;
    if (field === 'count' && autoscaled) continue; // the autoscaler's
    if (!sameField(field, desired, actual)) changed.add(field);
  }
  // A pool wanted Regular that is Spot (or the reverse) differs even when the body leaves the priority out.
  if (!sameField('scaleSetPriority', desired, actual)) changed.add('scaleSetPriority');

  const fields = [...changed].sort();
  const immutable = fields.filter((f) => IMMUTABLE_POOL_FIELDS.includes(f));
  if (immutable.length > 0) return { action: 'replace-required', changed: fields, immutable };
  if (fields.length === 0) return { action: 'none', changed: [], immutable: [] };
  return { action: 'update', changed: fields, immutable: [], body: updateBody(desired, actual) };
}

function sameField(field: Field, desired: AgentPool, actual: AgentPool): boolean {
  switch (field) {
    case 'nodeLabels':
      return sameLabels(desired.nodeLabels ?? {}, actual.nodeLabels ?? {});
    case 'nodeTaints':
      return sameTaints(desired.nodeTaints ?? [], actual.nodeTaints ?? []);
    case 'tags': {
      const have = actual.tags ?? {};
      return Object.entries(desired.tags ?? {}).every(([k, v]) => have[k] === v);
    }
    case 'availabilityZones':
      return sameSet(desired.availabilityZones ?? [], actual.availabilityZones ?? []);
    case 'enableAutoScaling':
      return (desired.enableAutoScaling === true) === (actual.enableAutoScaling === true);
    case 'scaleSetPriority':
      return (desired.scaleSetPriority ?? 'Regular') === (actual.scaleSetPriority ?? 'Regular');
    default:
      return sameValue(desired[field], actual[field], CASE_INSENSITIVE.has(field));
  }
}

/** Equal, except labels under AKS's prefixes that only the actual pool has. */
function sameLabels(desired: Record<string, string>, actual: Record<string, string>): boolean {
  const own = Object.entries(actual).filter(([k]) => !(isServerKey(k) && !(k in desired)));
  return own.length === Object.keys(desired).length && own.every(([k, v]) => desired[k] === v);
}

/** Equal as sets, except taints under AKS's prefixes that only the actual pool has. */
function sameTaints(desired: string[], actual: string[]): boolean {
  const want = new Set(desired.map((t) => t.trim()));
  const own = actual.map((t) => t.trim()).filter((t) => !(isServerKey(t) && !want.has(t)));
  return sameSet([...want], own);
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((x) => sb.has(x));
}

/** `desired` equals `actual` where `desired` says something: objects compare only the keys desired sets. */
function sameValue(desired: unknown, actual: unknown, caseInsensitive = false): boolean {
  if (desired === undefined) return true;
  if (typeof desired === 'string' && typeof actual === 'string' && caseInsensitive) {
    return desired.toLowerCase() === actual.toLowerCase();
  }
  if (Array.isArray(desired)) {
    return (
      Array.isArray(actual) &&
      desired.length === actual.length &&
      desired.every((d, i) => sameValue(d, actual[i]))
    );
  }
  if (isRecord(desired)) {
    return isRecord(actual) && Object.entries(desired).every(([k, v]) => sameValue(v, actual[k]));
  }
  return desired === actual;
}

/**
 * The full desired body, with `{}`/`[]` for absent labels/taints (omitting them would keep the old ones), the
 * tags others put on the pool kept next to the desired ones, and, on an autoscaled pool, the actual count moved
 * into [minCount, maxCount] instead of a stale one.
 */
function updateBody(desired: AgentPool, actual: AgentPool): AgentPool {
  const body: AgentPool = {
    ...Object.fromEntries(Object.entries(desired).filter(([k]) => !READ_ONLY.has(k))),
    nodeLabels: { ...(desired.nodeLabels ?? {}) },
    nodeTaints: [...(desired.nodeTaints ?? [])],
  };
  if (desired.tags) body.tags = { ...(actual.tags ?? {}), ...desired.tags };
  if (desired.enableAutoScaling === true) {
    const min = desired.minCount ?? 0;
    const max = desired.maxCount ?? Number.MAX_SAFE_INTEGER;
    body.count = Math.min(Math.max(actual.count ?? desired.count ?? min, min), max);
  }
  return body;
}
