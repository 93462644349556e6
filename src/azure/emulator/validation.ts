// The checks AKS makes on an agent pool PUT before it accepts the operation. Where a real message was
// captured (pool name, Spot max surge, version skips) it is reproduced; the others are written in the same
// style and say which field is wrong. Every failure is a 400 with an ARM error code and a target.
import { SPOT_LABEL } from './defaults.ts';
import type { PoolSpec } from './defaults.ts';
import { ArmError, invalidParameter } from './errors.ts';
import type { AgentPoolProperties, ClusterInfo } from './model.ts';
import type { PoolRequest } from './request.ts';
import { compareVersions, minorDistance, parseVersion } from './versions.ts';

export const POOL_NAME_RE = /^[a-z][a-z0-9]{0,11}$/;
export const WINDOWS_POOL_NAME_MAX = 6;
export const MAX_COUNT = 1000;
export const RESERVED_LABEL_PREFIXES = ['kubernetes.azure.com/', 'kubernetes.io/'];
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const ZONES = ['1', '2', '3'];
// Changing any of these needs a new pool.
export const IMMUTABLE_FIELDS = [
  'vmSize',
  'osType',
  'osDiskType',
  'availabilityZones',
  'maxPods',
  'scaleSetPriority',
  'vnetSubnetID',
  'type',
] as const;

const field = (name: string) => `agentPoolProfile.${name}`;

export function validatePoolName(name: string, osType: string): void {
  const tooLong = osType === 'Windows' && name.length > WINDOWS_POOL_NAME_MAX;
  if (!POOL_NAME_RE.test(name) || tooLong)
    throw invalidParameter(
      field('name'),
      `The value of parameter agentPoolProfile.name is invalid. Please see https://aka.ms/aks-naming-rules for more details.`,
    );
}

/** Fields a request may restate but not change once the pool exists. */
export function checkImmutables(current: AgentPoolProperties, req: PoolRequest): void {
  for (const name of IMMUTABLE_FIELDS) {
    const wanted = req[name];
    if (wanted === undefined) continue;
    if (!sameValue(current[name], wanted))
      throw new ArmError(
        400,
        'PropertyChangeNotAllowed',
        `Changing property '${field(name)}' is not allowed. The agent pool must be deleted and created again to change it.`,
        field(name),
      );
  }
}

// Resource ids and VM sizes compare case-insensitively; zones as sets.
function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    const norm = (v: unknown) => [...((v as string[] | undefined) ?? [])].sort().join(',');
    return norm(a) === norm(b);
  }
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  return a === b;
}

export interface SpecContext {
  cluster: ClusterInfo;
  /** The pool before this write, when it is an update. */
  current?: AgentPoolProperties;
  /** System pools in the cluster besides this one that are not being deleted. */
  otherSystemPools: number;
}

/** Rules on the pool as it would be after the write (`spec`), and on what the request itself sent. */
export function validateSpec(req: PoolRequest, spec: PoolSpec, ctx: SpecContext): void {
  const creating = !ctx.current;
  if (creating && req.mode === undefined)
    throw invalidParameter(
      field('mode'),
      'The value of parameter agentPoolProfile.mode is required: System or User.',
    );
  if (creating && req.count === undefined)
    throw invalidParameter(field('count'), 'The value of parameter agentPoolProfile.count is required.');
  if (spec.type !== 'VirtualMachineScaleSets')
    throw invalidParameter(
      field('type'),
      `Agent pool type '${spec.type}' is not supported; use VirtualMachineScaleSets.`,
    );
  checkOsSku(spec);
  checkCounts(spec);
  checkSystemPool(spec, ctx);
  if (spec.maxPods < 10 || spec.maxPods > 250)
    throw invalidParameter(
      field('maxPods'),
      `The value of parameter agentPoolProfile.maxPods must be between 10 and 250.`,
    );
  for (const z of spec.availabilityZones ?? [])
    if (!ZONES.includes(z))
      throw invalidParameter(
        field('availabilityZones'),
        `Availability zone '${z}' is not supported in location '${ctx.cluster.location}'. Supported zones: ${ZONES.join(', ')}.`,
      );
  if (req.nodeLabels) checkLabels(req.nodeLabels, spec.scaleSetPriority === 'Spot');
  if (req.nodeTaints) checkTaints(req.nodeTaints);
  if (spec.scaleSetPriority === 'Spot' && spec.upgradeSettings?.maxSurge)
    throw invalidParameter(
      'agentPoolProfile.upgrade.maxSurge',
      "The value of parameter agentPoolProfile.upgrade.maxSurge is invalid. Spot pools can't set max surge.",
    );
  checkVersion(spec, ctx);
}

function checkOsSku(spec: PoolSpec): void {
  const windowsSku = spec.osSKU.startsWith('Windows');
  if (windowsSku !== (spec.osType === 'Windows'))
    throw invalidParameter(
      field('osSKU'),
      `OS SKU '${spec.osSKU}' can't be used with OS type '${spec.osType}'.`,
    );
}

function checkCounts(spec: PoolSpec): void {
  const min = spec.mode === 'System' ? 1 : 0;
  if (spec.count < min || spec.count > MAX_COUNT)
    throw invalidParameter(
      field('count'),
      `The value of parameter agentPoolProfile.count is invalid. ${spec.mode} node pools need a count between ${min} and ${MAX_COUNT}.`,
    );
  if (!spec.enableAutoScaling) {
    if (spec.minCount !== undefined || spec.maxCount !== undefined)
      throw invalidParameter(
        field(spec.minCount !== undefined ? 'minCount' : 'maxCount'),
        'agentPoolProfile.minCount and agentPoolProfile.maxCount can only be set when enableAutoScaling is true.',
      );
    return;
  }
  if (spec.minCount === undefined || spec.maxCount === undefined)
    throw invalidParameter(
      field(spec.minCount === undefined ? 'minCount' : 'maxCount'),
      'agentPoolProfile.minCount and agentPoolProfile.maxCount are required when enableAutoScaling is true.',
    );
  if (spec.minCount < min || spec.maxCount > MAX_COUNT || spec.minCount > spec.maxCount)
    throw invalidParameter(
      field('minCount'),
      `The autoscaler bounds are invalid: need ${min} <= minCount (${spec.minCount}) <= maxCount (${spec.maxCount}) <= ${MAX_COUNT}.`,
    );
  if (spec.count < spec.minCount || spec.count > spec.maxCount)
    throw invalidParameter(
      field('count'),
      `Value of agentPoolProfile.count ${spec.count} is outside [${spec.minCount}, ${spec.maxCount}] of min and max counts.`,
    );
}

function checkSystemPool(spec: PoolSpec, ctx: SpecContext): void {
  if (spec.mode === 'System') {
    if (spec.osType !== 'Linux')
      throw invalidParameter(
        field('mode'),
        'System node pools must run Linux; Windows pools can only be User pools.',
      );
    if (spec.scaleSetPriority === 'Spot')
      throw invalidParameter(
        field('mode'),
        "Spot node pools require user node pools: a System pool can't be Spot.",
      );
    if (/^standard_b/i.test(spec.vmSize))
      throw invalidParameter(
        field('vmSize'),
        `System node pools can't use B-series VM sizes (${spec.vmSize}).`,
      );
    if (spec.maxPods < 30)
      throw invalidParameter(
        field('maxPods'),
        'System node pools need agentPoolProfile.maxPods of at least 30.',
      );
  } else if (ctx.current?.mode === 'System' && ctx.otherSystemPools === 0) {
    throw new ArmError(
      400,
      'OperationNotAllowed',
      'Operation is not allowed: there has to be at least one system agent pool in the cluster, so the only system pool cannot become a user pool.',
      field('mode'),
    );
  }
}

// Label keys follow Kubernetes syntax (optional DNS prefix, name of at most 63 characters); values too.
const LABEL_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$/;
const LABEL_PREFIX = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

function checkLabels(labels: Record<string, string>, spot: boolean): void {
  for (const [key, value] of Object.entries(labels)) {
    const slash = key.lastIndexOf('/');
    const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
    const name = slash >= 0 ? key.slice(slash + 1) : key;
    if ((prefix !== undefined && !LABEL_PREFIX.test(prefix)) || !LABEL_NAME.test(name))
      throw invalidParameter(
        field('nodeLabels'),
        `Node label key '${key}' is not a valid Kubernetes label key.`,
      );
    if (value !== '' && !LABEL_NAME.test(value))
      throw invalidParameter(
        field('nodeLabels'),
        `Node label value '${value}' of '${key}' is not a valid Kubernetes label value.`,
      );
    if (spot && key === SPOT_LABEL && value === 'spot') continue;
    const reserved = RESERVED_LABEL_PREFIXES.find((p) => key.startsWith(p));
    if (reserved)
      throw invalidParameter(
        field('nodeLabels'),
        `Node label '${key}' uses the reserved prefix '${reserved}'; the prefixes ${RESERVED_LABEL_PREFIXES.join(' and ')} are reserved for AKS.`,
      );
  }
}

export interface ParsedTaint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** `key=value:Effect` or `key:Effect`; undefined when malformed. */
export function parseTaint(taint: string): ParsedTaint | undefined {
  const m = /^([^=:\s]+)(?:=([^:\s]*))?:([A-Za-z]+)$/.exec(taint);
  if (!m || !TAINT_EFFECTS.includes(m[3] ?? '')) return undefined;
  const effect = m[3] as ParsedTaint['effect'];
  return m[2] === undefined ? { key: m[1] ?? '', effect } : { key: m[1] ?? '', value: m[2], effect };
}

function checkTaints(taints: string[]): void {
  for (const t of taints)
    if (!parseTaint(t))
      throw invalidParameter(
        field('nodeTaints'),
        `Node taint '${t}' is invalid: use key=value:Effect or key:Effect with Effect one of ${TAINT_EFFECTS.join(', ')}.`,
      );
}

function checkVersion(spec: PoolSpec, ctx: SpecContext): void {
  const wanted = parseVersion(spec.currentOrchestratorVersion);
  const control = parseVersion(ctx.cluster.kubernetesVersion);
  if (!wanted || !control)
    throw invalidParameter(
      field('orchestratorVersion'),
      `Version '${spec.orchestratorVersion}' is not a valid Kubernetes version (major.minor or major.minor.patch).`,
    );
  if (compareVersions(wanted, control) > 0)
    throw new ArmError(
      400,
      'NodePoolMcVersionIncompatible',
      `Node pool version ${spec.currentOrchestratorVersion} and control plane version ${ctx.cluster.kubernetesVersion} are incompatible: a node pool can't be newer than the control plane.`,
      field('orchestratorVersion'),
    );
  if (minorDistance(wanted, control) > 3)
    throw new ArmError(
      400,
      'NodePoolMcVersionIncompatible',
      `Node pool version ${spec.currentOrchestratorVersion} and control plane version ${ctx.cluster.kubernetesVersion} are incompatible: a node pool can be at most 3 minor versions older than the control plane.`,
      field('orchestratorVersion'),
    );
  const before = ctx.current && parseVersion(ctx.current.currentOrchestratorVersion);
  if (before && (compareVersions(wanted, before) < 0 || minorDistance(before, wanted) > 1))
    throw new ArmError(
      400,
      'AgentPoolUpgradeVersionNotAllowed',
      `Upgrade agent pool version from ${ctx.current?.currentOrchestratorVersion} to ${spec.currentOrchestratorVersion} is not allowed, you can only upgrade one minor version at a time and can't downgrade.`,
      field('orchestratorVersion'),
    );
}
