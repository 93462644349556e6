// Reads an agent pool PUT body into typed optional fields. A value of the wrong JSON type is rejected the
// way ARM rejects a body it cannot deserialize (400 InvalidRequestContent); an unknown enum value is a 400
// InvalidParameter. Enum values are matched case-insensitively and stored in their canonical casing. JSON
// null counts as omitted. Read-only fields (provisioningState, eTag, currentOrchestratorVersion,
// nodeImageVersion) are ignored; unknown fields are kept and echoed back, as AKS does for the many
// settings the emulator does not model.
import { invalidContent, invalidParameter } from './errors.ts';
import type { AgentPoolProperties } from './model.ts';

/** The writable pool fields a PUT may carry (read-only ones are dropped), plus what the emulator does not model. */
export type PoolRequest = Partial<Omit<AgentPoolProperties, ReadOnlyField>> & {
  /** Fields the emulator does not model, kept as sent. */
  extras: Record<string, unknown>;
};

type ReadOnlyField = 'provisioningState' | 'eTag' | 'currentOrchestratorVersion' | 'nodeImageVersion';

const READ_ONLY = new Set<string>([
  'provisioningState',
  'eTag',
  'currentOrchestratorVersion',
  'nodeImageVersion',
] satisfies ReadOnlyField[]);

type Reader = (v: unknown, field: string) => unknown;

const int: Reader = (v, field) => {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw invalidContent(`${field} must be an integer`);
  return v;
};
const num: Reader = (v, field) => {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw invalidContent(`${field} must be a number`);
  return v;
};
const str: Reader = (v, field) => {
  if (typeof v !== 'string') throw invalidContent(`${field} must be a string`);
  return v;
};
const bool: Reader = (v, field) => {
  if (typeof v !== 'boolean') throw invalidContent(`${field} must be a boolean`);
  return v;
};
const strings: Reader = (v, field) => {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
    throw invalidContent(`${field} must be an array of strings`);
  return [...(v as string[])];
};
const stringMap: Reader = (v, field) => {
  if (!isObject(v) || Object.values(v).some((x) => typeof x !== 'string'))
    throw invalidContent(`${field} must be an object with string values`);
  return { ...(v as Record<string, string>) };
};
const oneOf =
  (...allowed: string[]): Reader =>
  (v, field) => {
    const s = str(v, field) as string;
    const match = allowed.find((a) => a.toLowerCase() === s.toLowerCase());
    if (!match)
      throw invalidParameter(
        `agentPoolProfile.${field}`,
        `The value '${s}' of parameter agentPoolProfile.${field} is invalid. Allowed values are: ${allowed.join(', ')}.`,
      );
    return match;
  };
const powerState: Reader = (v, field) => {
  if (!isObject(v)) throw invalidContent(`${field} must be an object`);
  return { code: oneOf('Running', 'Stopped')(v.code, `${field}.code`) };
};
const upgradeSettings: Reader = (v, field) => {
  if (!isObject(v)) throw invalidContent(`${field} must be an object`);
  const out: Record<string, unknown> = {};
  for (const [k, read] of [
    ['maxSurge', str],
    ['maxUnavailable', str],
    ['drainTimeoutInMinutes', int],
    ['nodeSoakDurationInMinutes', int],
  ] as const)
    if (v[k] !== undefined && v[k] !== null) out[k] = read(v[k], `${field}.${k}`);
  return out;
};

const FIELDS: Record<string, Reader> = {
  count: int,
  vmSize: str,
  osDiskSizeGB: int,
  osDiskType: oneOf('Managed', 'Ephemeral'),
  kubeletDiskType: oneOf('OS', 'Temporary'),
  maxPods: int,
  type: oneOf('VirtualMachineScaleSets', 'AvailabilitySet', 'VirtualMachines'),
  osType: oneOf('Linux', 'Windows'),
  osSKU: oneOf(
    'Ubuntu',
    'Ubuntu2204',
    'Ubuntu2404',
    'AzureLinux',
    'AzureLinux3',
    'CBLMariner',
    'Windows2019',
    'Windows2022',
    'Windows2025',
  ),
  mode: oneOf('System', 'User'),
  orchestratorVersion: str,
  powerState,
  enableAutoScaling: bool,
  minCount: int,
  maxCount: int,
  scaleSetPriority: oneOf('Regular', 'Spot'),
  scaleSetEvictionPolicy: oneOf('Delete', 'Deallocate'),
  spotMaxPrice: num,
  availabilityZones: strings,
  nodeLabels: stringMap,
  nodeTaints: strings,
  tags: stringMap,
  vnetSubnetID: str,
  upgradeSettings,
  enableFIPS: bool,
  enableNodePublicIP: bool,
};

/** Parses a PUT body `{properties:{…}}`. Top-level fields besides `properties` (id, name, type) are ignored. */
export function parsePoolRequest(body: unknown): PoolRequest {
  if (!isObject(body)) throw invalidContent('the body must be a JSON object');
  const props = body.properties;
  if (props === undefined || props === null)
    throw invalidContent("required property 'properties' is missing");
  if (!isObject(props)) throw invalidContent('properties must be an object');
  const req: Record<string, unknown> = {};
  const extras: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || READ_ONLY.has(key)) continue;
    const read = FIELDS[key];
    if (read) req[key] = read(value, key);
    else extras[key] = value;
  }
  return { ...(req as Omit<PoolRequest, 'extras'>), extras };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
