// The ARM resource bodies: ids (ARM writes `/resourcegroups/` in lower case), agent pools, the managed
// cluster and the upgrade profile, in wire format with every setting under `properties`.
import type { AgentPoolSnapshot, ClusterInfo, ClusterRef } from './model.ts';
import { compareVersions, parseVersion } from './versions.ts';

export const POOL_TYPE = 'Microsoft.ContainerService/managedClusters/agentPools';
export const CLUSTER_TYPE = 'Microsoft.ContainerService/ManagedClusters';

export function clusterId(c: ClusterRef): string {
  return `/subscriptions/${c.subscriptionId}/resourcegroups/${c.resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${c.cluster}`;
}

export function poolId(c: ClusterRef, pool: string): string {
  return `${clusterId(c)}/agentPools/${pool}`;
}

/** The node resource group AKS creates for a cluster's machines. */
export function nodeResourceGroup(c: ClusterInfo): string {
  return `MC_${c.resourceGroup}_${c.cluster}_${c.location}`;
}

export interface PoolView {
  snapshot: AgentPoolSnapshot;
  /** Settings the emulator does not model, echoed as sent. */
  extras: Record<string, unknown>;
}

export function poolResource(view: PoolView): Record<string, unknown> {
  const { snapshot } = view;
  return {
    id: snapshot.id,
    name: snapshot.name,
    type: POOL_TYPE,
    properties: { ...view.extras, ...snapshot.properties },
  };
}

export function clusterResource(c: ClusterInfo, pools: PoolView[]): Record<string, unknown> {
  const dnsPrefix = `${c.cluster}-dns`.slice(0, 54);
  return {
    id: clusterId(c),
    location: c.location,
    name: c.cluster,
    type: CLUSTER_TYPE,
    sku: { name: 'Base', tier: 'Free' },
    properties: {
      provisioningState: 'Succeeded',
      powerState: { code: 'Running' },
      kubernetesVersion: c.kubernetesVersion,
      currentKubernetesVersion: c.kubernetesVersion,
      dnsPrefix,
      fqdn: `${dnsPrefix.toLowerCase()}.hcp.${c.location}.azmk8s.io`,
      agentPoolProfiles: pools.map((p) => ({ name: p.snapshot.name, ...p.extras, ...p.snapshot.properties })),
      nodeResourceGroup: nodeResourceGroup(c),
      enableRBAC: true,
      maxAgentPools: 100,
    },
  };
}

export function upgradeProfileResource(c: ClusterInfo, pool: AgentPoolSnapshot): Record<string, unknown> {
  const current = pool.properties.currentOrchestratorVersion;
  const a = parseVersion(current);
  const b = parseVersion(c.kubernetesVersion);
  const behind = a && b && compareVersions(a, b) < 0;
  return {
    id: `${pool.id}/upgradeProfiles/default`,
    name: 'default',
    type: `${POOL_TYPE}/upgradeProfiles`,
    properties: {
      kubernetesVersion: current,
      osType: pool.properties.osType,
      upgrades: behind ? [{ kubernetesVersion: c.kubernetesVersion, isPreview: false }] : [],
      latestNodeImageVersion: pool.properties.nodeImageVersion,
    },
  };
}
