// The Kubernetes Nodes an AKS agent pool would register, as manifests kwok can simulate. Names follow AKS's
// VMSS pattern (aks-<pool>-<8 digits>-vmss<6 base-36 digits>; Windows computer names are shorter:
// aks<pool><6 digits>), labels follow AKS's reserved system labels, taints come from the pool's nodeTaints.
// Nodes describe the pool's live machines: none until its create succeeded, none while it is stopped, and
// a scale or label change shows only once its operation has succeeded.
import { createHash } from 'node:crypto';
import { nodeManifest } from '../../devcluster/nodes.ts';
import type { FakeNodeSpec, NodeManifest } from '../../devcluster/nodes.ts';
import type { AgentPoolSnapshot, ClusterInfo, LivePool } from './model.ts';
import { nodeResourceGroup } from './resources.ts';
import { parseTaint } from './validation.ts';

/** Set to the cluster name on every emulator node, so tests can find and clean them up. */
export const EMULATOR_NODE_LABEL = 'dcos-operator.dev/aks-emulator';
export const AGENTPOOL_LABEL = 'kubernetes.azure.com/agentpool';
export const MODE_LABEL = 'kubernetes.azure.com/mode';
export const SCALESET_PRIORITY_LABEL = 'kubernetes.azure.com/scalesetpriority';

/** The 8 digits AKS puts in a pool's node names, stable for a given subscription, group, cluster and pool. */
export function poolNameDigits(cluster: ClusterInfo, pool: string): string {
  const key = `${cluster.subscriptionId}/${cluster.resourceGroup}/${cluster.cluster}/${pool}`.toLowerCase();
  const n = createHash('sha256').update(key).digest().readUInt32BE(0) % 100_000_000;
  return String(n).padStart(8, '0');
}

/** Node name of instance `index` (VMSS instance ids are base 36, six digits). */
export function poolNodeName(cluster: ClusterInfo, pool: string, osType: string, index: number): string {
  const instance = index.toString(36).padStart(6, '0');
  return osType === 'Windows'
    ? `aks${pool}${instance}`
    : `aks-${pool}-${poolNameDigits(cluster, pool)}-vmss${instance}`;
}

export function poolNodeManifests(cluster: ClusterInfo, pool: AgentPoolSnapshot): NodeManifest[] {
  const live = pool.live;
  if (!live || live.powerState === 'Stopped') return [];
  const base = poolLabels(cluster, pool.name, live);
  const taints = live.nodeTaints.map(parseTaint).filter((t) => t !== undefined);
  const resources = vmResources(live.vmSize);
  const ipBase = (Number(poolNameDigits(cluster, pool.name)) % 1024) * 1024 + 4;
  const manifests: NodeManifest[] = [];
  for (let i = 0; i < live.count; i++) {
    const zone = live.availabilityZones.length
      ? `${cluster.location}-${live.availabilityZones[i % live.availabilityZones.length]}`
      : '0';
    const spec: FakeNodeSpec = {
      name: poolNodeName(cluster, pool.name, live.osType, i),
      labels: { ...base, 'topology.kubernetes.io/zone': zone },
      taints,
      pods: live.maxPods,
      internalIP: subnetAddress(ipBase + i),
      ...resources,
    };
    manifests.push(nodeManifest(spec));
  }
  return manifests;
}

function poolLabels(cluster: ClusterInfo, pool: string, live: LivePool): Record<string, string> {
  return {
    // The pool's own labels first: the reserved ones below are AKS's to set.
    ...live.nodeLabels,
    [AGENTPOOL_LABEL]: pool,
    agentpool: pool,
    [MODE_LABEL]: live.mode.toLowerCase(),
    'node.kubernetes.io/instance-type': live.vmSize,
    'kubernetes.io/os': live.osType.toLowerCase(),
    'kubernetes.io/arch': /^standard_[de]\d+p/i.test(live.vmSize) ? 'arm64' : 'amd64',
    'topology.kubernetes.io/region': cluster.location,
    [SCALESET_PRIORITY_LABEL]: live.scaleSetPriority === 'Spot' ? 'spot' : 'regular',
    'kubernetes.azure.com/role': 'agent',
    'kubernetes.azure.com/cluster': nodeResourceGroup(cluster),
    'kubernetes.azure.com/os-sku': live.osSKU,
    'kubernetes.azure.com/node-image-version': live.nodeImageVersion,
    [EMULATOR_NODE_LABEL]: cluster.cluster,
  };
}

// GiB of memory per vCPU by VM family letter; sizes outside the table keep nodeManifest's defaults.
const MEMORY_PER_CPU: Record<string, number> = { A: 2, B: 4, D: 4, E: 8, F: 2, L: 8, M: 28, N: 7 };

/** Capacity of a VM size such as Standard_D4s_v3 (4 vCPU, 16 GiB); empty when the name is not recognised. */
export function vmResources(vmSize: string): { cpu?: string; memory?: string } {
  const m = /^Standard_([A-Z])[A-Z]*?(\d+)/i.exec(vmSize);
  const perCpu = m ? MEMORY_PER_CPU[(m[1] ?? '').toUpperCase()] : undefined;
  if (!m || perCpu === undefined) return {};
  const cpus = Number(m[2]);
  return { cpu: String(cpus), memory: `${cpus * perCpu}Gi` };
}

// Addresses in AKS's default node subnet 10.224.0.0/12.
function subnetAddress(offset: number): string {
  const n = offset % 2 ** 20;
  return `10.${224 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`;
}
