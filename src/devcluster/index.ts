// A real local Kubernetes control plane for tests and for running the operator without a cluster:
// etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok built from source, on loopback.
export { ensureBinaries, BINARIES } from './binaries.ts';
export {
  startDevCluster,
  stopDevCluster,
  startComponent,
  stopComponent,
  devClusterStatus,
  createFakeNodes,
  deleteFakeNodes,
  sweepAbandonedClusters,
} from './cluster.ts';
export type {
  DevCluster,
  DevClusterOptions,
  StartOptions,
  StopOptions,
  DevClusterStatus,
  ComponentStatus,
} from './cluster.ts';
export { COMPONENTS, DEFAULT_PORTS, isComponentName } from './config.ts';
export type { ComponentName, DevClusterPorts } from './config.ts';
export { cacheRoot, defaultStateDir, layout, privateStateDir } from './layout.ts';
export { addHolder, addHolderIfAlone, removeHolder, otherHolders } from './holders.ts';
export {
  defaultNodes,
  nodeManifest,
  FAKE_NODE_LABEL,
  KWOK_NODE_ANNOTATION,
  PUBLIC_AGENT_LABEL,
  ZONE_LABEL,
  REGION_LABEL,
} from './nodes.ts';
export type { FakeNodeSpec } from './nodes.ts';
export { freePorts } from './ports.ts';
export { OPERATOR_NAMESPACE, renderAuditPolicy } from './audit-policy.ts';
