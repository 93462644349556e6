// Translates an ACS / acs-engine DC/OS cluster definition into the AKS agent pools that stand in for it: one
// User pool per agentPoolProfile, whose nodes carry the Mesos role and attributes acs-engine gave the agents
// (src/mesos/agent-labels.ts), and one System pool `master` sized like the DC/OS masters. Pure: validation
// first, then a body per pool in the SDK's flattened AgentPool shape.
import type { AgentPool } from '@azure/arm-containerservice';
import {
  MESOS_ROLE_LABEL,
  PUBLIC_AGENT_LABEL,
  PUBLIC_AGENT_TAINT,
  attributeLabelKey,
  attributeLabelValue,
} from '../mesos/agent-labels.ts';
import type { AcsDefinition, AcsError, Decoded } from './acs-definition.ts';
import type { AcsApiVersion } from './acs-schema.ts';
import { checkAcsDefinition } from './acs-validate.ts';
import { isPublicPool, publicPorts } from './public-pools.ts';
import { unmappedFields } from './unmapped-fields.ts';
import type { UnmappedField } from './unmapped-fields.ts';

/** The pool tag that marks a pool as owned by one DcosCluster (value: the ownerTag option). */
export const OWNER_TAG_KEY = 'dcos-operator-cluster';
/** The System pool derived from masterProfile; no agent pool may take this name. */
export const MASTER_POOL_NAME = 'master';
/** Node label of the System pool that stands for the DC/OS masters. */
export const DCOS_MASTER_LABEL = 'dcos-operator.dev/dcos-master';
/** DC/OS masters ran no tasks: only critical add-ons (and what tolerates it, like the operator) go there. */
export const CRITICAL_ADDONS_ONLY_TAINT = 'CriticalAddonsOnly=true:NoSchedule';
/** What ACS gave masters before masterProfile.vmSize existed (acs-engine convertertoapi.go). */
export const DEFAULT_MASTER_VM_SIZE = 'Standard_D2_v2';
export const PUBLIC_AGENT_TAINT_STRING = `${PUBLIC_AGENT_TAINT.key}=${PUBLIC_AGENT_TAINT.value}:${PUBLIC_AGENT_TAINT.effect}`;

export type MesosRole = 'slave' | 'slave_public' | 'master';

export interface PoolPlan {
  name: string;
  /** Where the pool comes from: `properties.masterProfile` or `properties.agentPoolProfiles[1]`. */
  sourcePath: string;
  public: boolean;
  role: MesosRole;
  /** Ports the ACS public load balancer opened (80, 443, 8080 unless given); [] for private pools. */
  publicPorts: number[];
  body: AgentPool;
}

export interface ClusterPlan {
  apiVersion: AcsApiVersion;
  /** The definition gave no usable apiVersion: see inferApiVersion. */
  apiVersionInferred: boolean;
  orchestratorType: 'DCOS';
  /** orchestratorVersion, else orchestratorRelease, as given. */
  orchestratorVersion?: string;
  masterCount: number;
  /** The operator runs one replica per DC/OS master, under leader election. */
  operatorReplicas: number;
  /** The System pool `master` first, then the agent pools in definition order. */
  pools: PoolPlan[];
  unmapped: UnmappedField[];
}

export interface PlanOptions {
  /** Value of the OWNER_TAG_KEY tag on every pool. */
  ownerTag: string;
}

export type PlanResult = { ok: true; plan: ClusterPlan } | { ok: false; errors: AcsError[] };

/** Validates `raw` and, when it is valid, plans its pools. Never throws. */
export function planCluster(raw: unknown, options: PlanOptions): PlanResult {
  const { definition, errors } = checkAcsDefinition(raw);
  if (!definition || errors.length > 0) {
    return {
      ok: false,
      errors: errors.length > 0 ? errors : [{ path: '', message: 'not a cluster definition' }],
    };
  }
  return { ok: true, plan: planDefinition(definition, options) };
}

function planDefinition(def: AcsDefinition, options: PlanOptions): ClusterPlan {
  const tags = { [OWNER_TAG_KEY]: options.ownerTag };
  const masterCount = def.master?.number('count') ?? 1;
  const version =
    def.orchestrator?.string('orchestratorVersion') || def.orchestrator?.string('orchestratorRelease');
  return {
    apiVersion: def.apiVersion,
    apiVersionInferred: def.apiVersionInferred,
    orchestratorType: 'DCOS',
    ...(version ? { orchestratorVersion: version } : {}),
    masterCount,
    operatorReplicas: masterCount,
    pools: [masterPool(def, masterCount, tags), ...def.pools.map((p) => agentPool(p, def.apiVersion, tags))],
    unmapped: unmappedFields(def),
  };
}

function masterPool(def: AcsDefinition, count: number, tags: Record<string, string>): PoolPlan {
  const master = def.master;
  const body: AgentPool = {
    count,
    vmSize: master?.string('vmSize') || DEFAULT_MASTER_VM_SIZE,
    osType: 'Linux',
    mode: 'System',
    nodeLabels: { [DCOS_MASTER_LABEL]: 'true' },
    nodeTaints: [CRITICAL_ADDONS_ONLY_TAINT],
    tags: { ...tags },
    enableAutoScaling: false,
    ...(master ? diskAndSubnet(master) : { osDiskType: 'Managed' }),
  };
  return {
    name: MASTER_POOL_NAME,
    sourcePath: master?.path ?? 'properties.masterProfile',
    public: false,
    role: 'master',
    publicPorts: [],
    body,
  };
}

function agentPool(pool: Decoded, version: AcsApiVersion, tags: Record<string, string>): PoolPlan {
  const isPublic = isPublicPool(pool, version);
  const windows = pool.string('osType') === 'Windows';
  const role: MesosRole = isPublic ? 'slave_public' : 'slave';
  const body: AgentPool = {
    count: pool.number('count') ?? 1,
    vmSize: pool.string('vmSize'),
    osType: windows ? 'Windows' : 'Linux',
    mode: 'User',
    nodeLabels: agentLabels(pool, role, windows),
    nodeTaints: isPublic ? [PUBLIC_AGENT_TAINT_STRING] : [],
    tags: { ...tags },
    ...scaling(pool),
    ...spot(pool),
    ...diskAndSubnet(pool),
  };
  const zones = pool.strings('availabilityZones') ?? [];
  if (zones.length > 0) body.availabilityZones = zones;
  return {
    name: pool.string('name') ?? '',
    sourcePath: pool.path,
    public: isPublic,
    role,
    publicPorts: publicPorts(pool, version),
    body,
  };
}

/**
 * The node labels of an agent pool: its Mesos role, the public-agent marker, and the Mesos attributes exactly as
 * acs-engine wrote MESOS_ATTRIBUTES: `os:<osType>` (Linux, or windows on its Windows path), `public_ip:yes` on
 * public pools, then each customNodeLabels entry. A custom attribute named like a built-in one yields to it, as
 * Marathon matched the first attribute of a name.
 */
function agentLabels(pool: Decoded, role: MesosRole, windows: boolean): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [name, value] of Object.entries(pool.stringMap('customNodeLabels') ?? {})) {
    labels[attributeLabelKey(name)] = attributeLabelValue(value);
  }
  labels[attributeLabelKey('os')] = attributeLabelValue(windows ? 'windows' : 'Linux');
  if (role === 'slave_public') labels[attributeLabelKey('public_ip')] = attributeLabelValue('yes');
  labels[MESOS_ROLE_LABEL] = role;
  if (role === 'slave_public') labels[PUBLIC_AGENT_LABEL] = 'true';
  return labels;
}

/** AKS autoscaling (an extension of the ACS format); without it the autoscaler is explicitly off. */
function scaling(pool: Decoded): Partial<AgentPool> {
  const min = pool.number('minCount');
  const max = pool.number('maxCount');
  if (pool.boolean('enableAutoScaling') !== true || min === undefined || max === undefined) {
    return { enableAutoScaling: false };
  }
  // ACS-era definitions may leave count out (the resource provider defaulted it to 1): start within the bounds.
  const count = Math.min(Math.max(pool.number('count') ?? min, min), max);
  return { enableAutoScaling: true, minCount: min, maxCount: max, count };
}

/** acs-engine's Low priority scale sets are AKS Spot pools; eviction defaults to Delete as in both. */
function spot(pool: Decoded): Partial<AgentPool> {
  const priority = pool.string('scaleSetPriority');
  if (priority !== 'Low' && priority !== 'Spot') return {};
  const eviction = pool.string('scaleSetEvictionPolicy') === 'Deallocate' ? 'Deallocate' : 'Delete';
  const price = pool.number('spotMaxPrice');
  return {
    scaleSetPriority: 'Spot',
    scaleSetEvictionPolicy: eviction,
    ...(price !== undefined ? { spotMaxPrice: price } : {}),
  };
}

/** OS disk and subnet, shared by masterProfile and agent pools. */
function diskAndSubnet(profile: Decoded): Partial<AgentPool> {
  const out: Partial<AgentPool> = {};
  const size = profile.number('osDiskSizeGB');
  if (size !== undefined && size > 0) out.osDiskSizeGB = size; // 0 asked for the VM size's default
  // Storage-account (unmanaged) disks have no AKS counterpart: AKS then picks its default (see unmapped).
  if (profile.string('storageProfile') !== 'StorageAccount') out.osDiskType = 'Managed';
  const subnet = profile.string('vnetSubnetID');
  if (subnet) out.vnetSubnetID = subnet;
  return out;
}
