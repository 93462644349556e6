// What a dev cluster is made of: its components in start order, the loopback ports they listen on and
// the settings saved in the state dir so every later command (status, stop, restarting one component)
// rebuilds exactly the same command lines.

export const COMPONENTS = [
  'etcd',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kwok',
] as const;
export type ComponentName = (typeof COMPONENTS)[number];

export function isComponentName(name: string): name is ComponentName {
  return (COMPONENTS as readonly string[]).includes(name);
}

/** Non-default ports, so a dev cluster does not collide with a real local cluster or another tool. */
export interface DevClusterPorts {
  etcdClient: number;
  etcdPeer: number;
  apiserver: number;
  controllerManager: number;
  scheduler: number;
  kwok: number;
}

export const DEFAULT_PORTS: DevClusterPorts = {
  etcdClient: 23790,
  etcdPeer: 23800,
  apiserver: 26443,
  controllerManager: 26257,
  scheduler: 26259,
  kwok: 26247,
};

/** Saved as cluster.json in the state dir. */
export interface DevClusterConfig {
  binDir: string;
  ports: DevClusterPorts;
  /** Range the API server hands Service cluster IPs out of. */
  serviceCidr: string;
  /** Range kwok hands pod IPs out of (a /16, so thousands of fake pods fit). */
  podCidr: string;
  /** Seconds of the node Leases kwok renews; 0 would turn the lease heartbeat off. */
  nodeLeaseSeconds: number;
}

export function defaultConfig(binDir: string, ports: Partial<DevClusterPorts> = {}): DevClusterConfig {
  return {
    binDir,
    ports: { ...DEFAULT_PORTS, ...ports },
    serviceCidr: '10.96.0.0/16',
    podCidr: '10.244.0.1/16',
    nodeLeaseSeconds: 40,
  };
}

export function serverUrl(config: DevClusterConfig): string {
  return `https://127.0.0.1:${config.ports.apiserver}`;
}
