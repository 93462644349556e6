// An HTTPS emulator of the Azure AKS agentPools API (ARM wire format, asynchronous operations, faults) and
// the Kubernetes Nodes its pools would register, for running the operator without Azure.
export { startAksEmulator, OPERATION_API_VERSION } from './server.ts';
export type { AksEmulator, AksEmulatorOptions, RequestRecord } from './server.ts';
export { createEmulatorCertificate } from './certificate.ts';
export type { EmulatorCertificate } from './certificate.ts';
export { AksState, DEFAULT_KUBERNETES_VERSION, DEFAULT_LOCATION, SEED_POOL_NAME } from './state.ts';
export type { AksStateOptions, AddClusterOptions, Preconditions, PoolsListener, PutResult } from './state.ts';
export type { Faults } from './faults.ts';
export { ArmError } from './errors.ts';
export type { ArmErrorBody } from './errors.ts';
export type {
  AgentPoolProperties,
  AgentPoolSnapshot,
  ClusterInfo,
  ClusterRef,
  LivePool,
  PoolRef,
} from './model.ts';
export type { OperationRecord, OperationStatus, OperationStatusBody } from './operations.ts';
export {
  poolNodeManifests,
  poolNodeName,
  EMULATOR_NODE_LABEL,
  AGENTPOOL_LABEL,
  MODE_LABEL,
  SCALESET_PRIORITY_LABEL,
} from './nodes.ts';
export { SPOT_LABEL, SPOT_TAINT } from './defaults.ts';
export { parseTaint } from './validation.ts';
