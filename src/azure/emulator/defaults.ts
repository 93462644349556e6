// What AKS fills in and rewrites on an agent pool: server defaults on create, the field-by-field merge of an
// update (an omitted field keeps its value; `{}`/`[]` clear labels, taints and tags) and the label and
// taint it adds to every Spot pool on each write.
import type { AgentPoolProperties, ClusterInfo, LivePool, OsType } from './model.ts';
import type { PoolRequest } from './request.ts';
import { resolveVersion } from './versions.ts';

export const SPOT_LABEL = 'kubernetes.azure.com/scalesetpriority';
export const SPOT_TAINT = `${SPOT_LABEL}=spot:NoSchedule`;
export const DEFAULT_VM_SIZE = 'Standard_D4s_v3';
export const DEFAULT_MAX_PODS = 110;
export const DEFAULT_OS_DISK_GB = 128;

/** The pool properties a write decides; provisioningState and eTag belong to the operation. */
export type PoolSpec = Omit<AgentPoolProperties, 'provisioningState' | 'eTag'>;

export function defaultOsSku(osType: OsType): string {
  return osType === 'Windows' ? 'Windows2022' : 'Ubuntu';
}

// Shaped like the image names AKS reports; the date part is arbitrary.
const IMAGE_BY_SKU: Record<string, string> = {
  Ubuntu: 'AKSUbuntu-2204gen2containerd-202510.19.0',
  Ubuntu2204: 'AKSUbuntu-2204gen2containerd-202510.19.0',
  Ubuntu2404: 'AKSUbuntu-2404gen2containerd-202510.19.0',
  AzureLinux: 'AKSAzureLinux-V2gen2-202510.19.0',
  AzureLinux3: 'AKSAzureLinux-V3gen2-202510.19.0',
  CBLMariner: 'AKSCBLMariner-V2gen2-202510.19.0',
  Windows2019: 'AKSWindows-2019-containerd-17763.7922.251014',
  Windows2022: 'AKSWindows-2022-containerd-20348.4294.251014',
  Windows2025: 'AKSWindows-2025-containerd-26100.6899.251014',
};

export function nodeImageVersion(osSku: string): string {
  return IMAGE_BY_SKU[osSku] ?? `AKS${osSku}-gen2-202510.19.0`;
}

/** A new pool: the request plus every server default. */
export function createSpec(req: PoolRequest, cluster: ClusterInfo): PoolSpec {
  const osType = req.osType ?? 'Linux';
  const osSKU = req.osSKU ?? defaultOsSku(osType);
  const version = req.orchestratorVersion ? req.orchestratorVersion : cluster.kubernetesVersion;
  const spec: PoolSpec = {
    count: req.count ?? 1,
    vmSize: req.vmSize ?? DEFAULT_VM_SIZE,
    osDiskSizeGB: req.osDiskSizeGB ?? DEFAULT_OS_DISK_GB,
    osDiskType: req.osDiskType ?? 'Managed',
    kubeletDiskType: req.kubeletDiskType ?? 'OS',
    maxPods: req.maxPods ?? DEFAULT_MAX_PODS,
    type: req.type ?? 'VirtualMachineScaleSets',
    osType,
    osSKU,
    mode: req.mode ?? 'User',
    orchestratorVersion: version,
    currentOrchestratorVersion: resolveVersion(version, cluster.kubernetesVersion),
    nodeImageVersion: nodeImageVersion(osSKU),
    powerState: req.powerState ?? { code: 'Running' },
    enableAutoScaling: req.enableAutoScaling ?? false,
    scaleSetPriority: req.scaleSetPriority ?? 'Regular',
    ...(req.availabilityZones ? { availabilityZones: req.availabilityZones } : {}),
    ...(req.nodeLabels ? { nodeLabels: req.nodeLabels } : {}),
    ...(req.nodeTaints ? { nodeTaints: req.nodeTaints } : {}),
    ...(req.tags ? { tags: req.tags } : {}),
    ...(req.vnetSubnetID ? { vnetSubnetID: req.vnetSubnetID } : {}),
    ...(req.upgradeSettings ? { upgradeSettings: req.upgradeSettings } : {}),
    enableFIPS: req.enableFIPS ?? false,
    enableNodePublicIP: req.enableNodePublicIP ?? false,
  };
  // Kept even without autoscaling, so validation can reject them there.
  if (req.minCount !== undefined) spec.minCount = req.minCount;
  if (req.maxCount !== undefined) spec.maxCount = req.maxCount;
  return normalize(spec, req);
}

/**
 * An update: each field the request leaves out keeps its current value. Immutable fields (see
 * validation.ts) always keep theirs: a request may only restate them, possibly in another casing.
 */
export function mergeSpec(current: AgentPoolProperties, req: PoolRequest, cluster: ClusterInfo): PoolSpec {
  const { provisioningState: _p, eTag: _e, ...base } = current;
  const spec: PoolSpec = structuredClone(base);
  const set = <K extends keyof PoolSpec>(key: K, value: PoolSpec[K] | undefined) => {
    if (value !== undefined) spec[key] = value;
  };
  set('count', req.count);
  set('osDiskSizeGB', req.osDiskSizeGB);
  set('kubeletDiskType', req.kubeletDiskType);
  set('osSKU', req.osSKU);
  set('mode', req.mode);
  set('powerState', req.powerState);
  set('enableAutoScaling', req.enableAutoScaling);
  set('nodeLabels', req.nodeLabels);
  set('nodeTaints', req.nodeTaints);
  set('tags', req.tags);
  set('upgradeSettings', req.upgradeSettings);
  set('enableFIPS', req.enableFIPS);
  set('enableNodePublicIP', req.enableNodePublicIP);
  if (req.orchestratorVersion) {
    spec.orchestratorVersion = req.orchestratorVersion;
    spec.currentOrchestratorVersion = resolveVersion(req.orchestratorVersion, cluster.kubernetesVersion);
  }
  if (req.osSKU) spec.nodeImageVersion = nodeImageVersion(req.osSKU);
  // Bounds stay with the autoscaler; turning it off drops them unless the request (wrongly) restates them.
  if (req.minCount !== undefined) spec.minCount = req.minCount;
  else if (!spec.enableAutoScaling) delete spec.minCount;
  if (req.maxCount !== undefined) spec.maxCount = req.maxCount;
  else if (!spec.enableAutoScaling) delete spec.maxCount;
  return normalize(spec, req);
}

// Spot settings and the Spot label and taint; empty maps and lists are dropped (GET omits them).
function normalize(spec: PoolSpec, req: PoolRequest): PoolSpec {
  if (spec.scaleSetPriority === 'Spot') {
    spec.scaleSetEvictionPolicy = req.scaleSetEvictionPolicy ?? spec.scaleSetEvictionPolicy ?? 'Delete';
    spec.spotMaxPrice = req.spotMaxPrice ?? spec.spotMaxPrice ?? -1;
    spec.nodeLabels = { ...spec.nodeLabels, [SPOT_LABEL]: 'spot' };
    spec.nodeTaints = [...(spec.nodeTaints ?? []).filter((t) => t !== SPOT_TAINT), SPOT_TAINT];
  } else {
    delete spec.scaleSetEvictionPolicy;
    delete spec.spotMaxPrice;
  }
  for (const key of ['nodeLabels', 'tags'] as const) {
    const map = spec[key];
    if (map && Object.keys(map).length === 0) delete spec[key];
  }
  for (const key of ['nodeTaints', 'availabilityZones'] as const) {
    if (spec[key]?.length === 0) delete spec[key];
  }
  return spec;
}

/** The machines a pool has once its spec is applied. */
export function liveFrom(p: PoolSpec): LivePool {
  return {
    count: p.count,
    vmSize: p.vmSize,
    osType: p.osType,
    osSKU: p.osSKU,
    mode: p.mode,
    maxPods: p.maxPods,
    scaleSetPriority: p.scaleSetPriority,
    availabilityZones: [...(p.availabilityZones ?? [])],
    nodeLabels: { ...p.nodeLabels },
    nodeTaints: [...(p.nodeTaints ?? [])],
    orchestratorVersion: p.currentOrchestratorVersion,
    nodeImageVersion: p.nodeImageVersion,
    powerState: p.powerState.code,
  };
}

/** The System pool AKS creates with every cluster. */
export function seedSystemPoolSpec(cluster: ClusterInfo): PoolSpec {
  return createSpec(
    {
      count: 1,
      vmSize: DEFAULT_VM_SIZE,
      osType: 'Linux',
      mode: 'System',
      nodeTaints: ['CriticalAddonsOnly=true:NoSchedule'],
      extras: {},
    },
    cluster,
  );
}
