// Shapes shared by the emulator's modules. Pool properties use the wire names (what ARM puts under
// `properties`), not the SDK's flattened ones (the SDK renames `type` to `typePropertiesType`, for one).

export interface ClusterRef {
  subscriptionId: string;
  resourceGroup: string;
  cluster: string;
}

export interface PoolRef extends ClusterRef {
  pool: string;
}

/** A managed cluster as the emulator knows it: its names in their stored casing, region and version. */
export interface ClusterInfo extends ClusterRef {
  location: string;
  kubernetesVersion: string;
}

export type OsType = 'Linux' | 'Windows';
export type PoolMode = 'System' | 'User';
export type ScaleSetPriority = 'Regular' | 'Spot';
export type PowerCode = 'Running' | 'Stopped';

export interface UpgradeSettings {
  maxSurge?: string;
  maxUnavailable?: string;
  drainTimeoutInMinutes?: number;
  nodeSoakDurationInMinutes?: number;
}

/** The known fields of an agent pool's `properties`, as a GET returns them. Empty maps and lists are omitted. */
export interface AgentPoolProperties {
  provisioningState: string;
  eTag: string;
  count: number;
  vmSize: string;
  osDiskSizeGB: number;
  osDiskType: string;
  kubeletDiskType: string;
  maxPods: number;
  type: string;
  osType: OsType;
  osSKU: string;
  mode: PoolMode;
  orchestratorVersion: string;
  currentOrchestratorVersion: string;
  nodeImageVersion: string;
  powerState: { code: PowerCode };
  enableAutoScaling: boolean;
  minCount?: number;
  maxCount?: number;
  scaleSetPriority: ScaleSetPriority;
  scaleSetEvictionPolicy?: string;
  spotMaxPrice?: number;
  availabilityZones?: string[];
  nodeLabels?: Record<string, string>;
  nodeTaints?: string[];
  tags?: Record<string, string>;
  vnetSubnetID?: string;
  upgradeSettings?: UpgradeSettings;
  enableFIPS: boolean;
  enableNodePublicIP: boolean;
}

/** What the pool's machines currently look like: the spec of the last operation that succeeded. */
export interface LivePool {
  count: number;
  vmSize: string;
  osType: OsType;
  osSKU: string;
  mode: PoolMode;
  maxPods: number;
  scaleSetPriority: ScaleSetPriority;
  availabilityZones: string[];
  nodeLabels: Record<string, string>;
  nodeTaints: string[];
  orchestratorVersion: string;
  nodeImageVersion: string;
  powerState: PowerCode;
}

export interface AgentPoolSnapshot {
  id: string;
  name: string;
  /** The pool as ARM reports it (desired spec and provisioningState). */
  properties: AgentPoolProperties;
  /**
   * The machines that exist: absent while the pool's first create has not succeeded (Creating, or it failed
   * or was cancelled); during an update it still describes the state before the update.
   */
  live?: LivePool;
}
