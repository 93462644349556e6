// The ACS / acs-engine DC/OS cluster definition → AKS agent pool translation: validation, the pool plan, the
// public-pool rule, and the drift check between a planned pool and the one AKS reports.
export type { AcsDefinition, AcsError, Decoded, DecodeResult, PresentField } from './acs-definition.ts';
export { decodeAcsDefinition, inferApiVersion } from './acs-definition.ts';
export { foldKey, lookup } from './acs-fields.ts';
export { ACS_API_VERSIONS, isAcsEra } from './acs-schema.ts';
export type { AcsApiVersion } from './acs-schema.ts';
export { checkAcsDefinition, validateAcsDefinition } from './acs-validate.ts';
export {
  CRITICAL_ADDONS_ONLY_TAINT,
  DCOS_MASTER_LABEL,
  DEFAULT_MASTER_VM_SIZE,
  MASTER_POOL_NAME,
  OWNER_TAG_KEY,
  PUBLIC_AGENT_TAINT_STRING,
  planCluster,
} from './agent-pool-plan.ts';
export type { ClusterPlan, MesosRole, PlanOptions, PlanResult, PoolPlan } from './agent-pool-plan.ts';
export { IMMUTABLE_POOL_FIELDS, poolUpdate } from './pool-drift.ts';
export type { PoolUpdate } from './pool-drift.ts';
export { DEFAULT_PUBLIC_PORTS, isPublicPool, publicPorts } from './public-pools.ts';
export { unmappedFields } from './unmapped-fields.ts';
export type { Disposition, UnmappedField } from './unmapped-fields.ts';
