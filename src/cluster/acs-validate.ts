// The rules ACS and acs-engine applied to a DC/OS cluster definition, in their own words where they had any
// (acs-engine pkg/api/*/validate.go and pkg/api/common/helper.go, the ACS swaggers, docs/clusterdefinition.md),
// plus the few AKS adds for the pools this operator creates. Deliberate leniencies, because nothing on AKS agent
// pools uses these fields: an empty dnsPrefix or keyData is the upstream examples' placeholder, not an error; a
// missing linuxProfile or windowsProfile is accepted; ports without a dnsPrefix are accepted in 2017-07-01.
import { attributeLabelKey } from '../mesos/agent-labels.ts';
import { decodeAcsDefinition } from './acs-definition.ts';
import type { AcsDefinition, AcsError, Decoded, DecodeResult } from './acs-definition.ts';
import { childPath, isObject, kindOf, lookup, shown } from './acs-fields.ts';
import type { JsonObject } from './acs-fields.ts';
import { isAcsEra } from './acs-schema.ts';
import { isPublicPool } from './public-pools.ts';
import type { AcsApiVersion } from './acs-schema.ts';

export type { AcsError } from './acs-definition.ts';

export const MASTER_COUNT_MESSAGE = 'MasterProfile count needs to be 1, 3, or 5';
export const POOL_COUNT_MESSAGE = 'AgentPoolProfile count needs to be in the range [1,100]';
export const SSH_KEYS_MESSAGE = 'LinuxProfile.PublicKeys requires only 1 SSH Key';
export const NO_WINDOWS_MESSAGE = 'Orchestrator DCOS does not support Windows';
export const PORT_RANGE_MESSAGE = 'AgentPoolProfile Ports must be in the range[1, 65535]';
export const TOO_MANY_PORTS_MESSAGE = 'A maximum of 150 ports may be specified.';
export const POOLS_RANGE_MESSAGE = 'A cluster can have 1 to 12 agent pool profiles';
export const ONE_POOL_MESSAGE = 'For apiVersion "2016-03-30", a cluster may have only 1 agent pool profiles';
export const NO_POOLS_MESSAGE =
  'A cluster needs at least 1 agent pool profile: DC/OS agents run the workloads';
export const MASTER_VM_SIZE_MESSAGE = 'missing Properties.MasterProfile.VMSize';
export const B_SERIES_MASTER_MESSAGE =
  "System node pools can't use B-series VM sizes: masterProfile becomes the AKS System pool 'master'";
export const POOL_VM_SIZE_MESSAGE = 'AgentPoolProfile.VMSize must be a non-empty value';
export const POOL_NAME_REQUIRED_MESSAGE = 'AgentPoolProfile.Name must be a non-empty value';
export const RESERVED_POOL_NAME_MESSAGE =
  "pool name 'master' is reserved: dcos-operator creates the System pool 'master' from masterProfile";
export const OS_TYPE_MESSAGE = 'AgentPoolProfile.osType must be either Linux or Windows';
export const VNET_MIXED_MESSAGE =
  'Multiple VNET Subnet configurations specified.  The master profile and each agent pool profile must all specify a custom VNET Subnet, or none at all';
export const VNET_DIFFERENT_MESSAGE =
  'Multiple VNETS specified.  The master profile and each agent pool must reference the same VNET (but it is ok to reference different subnets on that VNET)';
export const VNET_FORMAT_MESSAGE =
  'Unable to parse vnetSubnetID. Please use a vnetSubnetID with format /subscriptions/SUB_ID/resourceGroups/RG_NAME/providers/Microsoft.Network/virtualNetworks/VNET_NAME/subnets/SUBNET_NAME';
export const WINDOWS_PASSWORD_MESSAGE =
  'WindowsProfile.AdminPassword must be 12 to 123 characters of a-z, A-Z, 0-9 and !@#$%^&*(), with at least one lowercase letter, one uppercase letter and one of !@#$%^&*()';
export const ONLY_DCOS = 'dcos-operator only handles DC/OS clusters (orchestratorType DCOS)';
export const AUTOSCALE_BOUNDS_REQUIRED_MESSAGE =
  'minCount and maxCount are required when enableAutoScaling is true';
export const AUTOSCALE_BOUNDS_FORBIDDEN_MESSAGE =
  'minCount and maxCount are only allowed when enableAutoScaling is true';
export const AUTOSCALE_ORDER_MESSAGE = 'minCount must not be greater than maxCount';
export const AUTOSCALE_COUNT_MESSAGE =
  'count must be between minCount and maxCount when enableAutoScaling is true';
export const SPOT_PRICE_POOL_MESSAGE =
  'spotMaxPrice is only allowed on Spot pools (scaleSetPriority Low or Spot)';
export const SPOT_PRICE_VALUE_MESSAGE =
  'spotMaxPrice must be -1 (up to the on-demand price) or a price above 0';
export const PRIORITY_MESSAGE = 'AgentPoolProfile.ScaleSetPriority must be Regular, Low or Spot';
export const EVICTION_MESSAGE = 'AgentPoolProfile.ScaleSetEvictionPolicy must be Delete or Deallocate';
export const EMPTY_ATTRIBUTE_MESSAGE = 'customNodeLabels keys must not be empty: they name Mesos attributes';

export const poolNameMessage = (name: string): string =>
  `pool name '${shown(name)}' is invalid. A pool name must start with a lowercase letter, have max length of 12, and only have characters a-z0-9`;
export const windowsPoolNameMessage = (name: string): string =>
  `Windows pool name '${shown(name)}' is too long: AKS allows at most 6 characters for Windows agent pools`;
export const duplicatePoolMessage = (name: string): string =>
  `profile name '${shown(name)}' already exists, profile names must be unique across pools`;
export const dnsPrefixMessage = (prefix: string): string =>
  `DNSPrefix '${shown(prefix)}' is invalid. The DNSPrefix must contain between 3 and 45 characters and can contain only letters, numbers, and hyphens.  It must start with a letter and must end with a letter or a number. (length was ${prefix.length})`;
export const duplicatePortMessage = (pool: string, port: number): string =>
  `agent profile '${shown(pool)}' has duplicate port '${port}', ports must be unique`;
export const osDiskSizeMessage = (size: number): string =>
  `Invalid os disk size of ${shown(size)} specified.  The range of valid values are [1, 1023]`;
export const storageProfileMessage = (value: string): string =>
  `Unknown storageProfile '${shown(value)}'. Specify either StorageAccount or ManagedDisks`;
export const availabilityProfileMessage = (value: string, owner: string): string =>
  `unknown availability profile type '${shown(value)}' for ${owner}.  Specify either AvailabilitySet, or VirtualMachineScaleSets`;
export const attributeClashMessage = (a: string, b: string, label: string): string =>
  `customNodeLabels '${shown(a)}' and '${shown(b)}' both become the node label ${label}`;

const POOL_NAME = /^[a-z][a-z0-9]{0,11}$/;
const DNS_PREFIX = /^([A-Za-z][A-Za-z0-9-]{1,43}[A-Za-z0-9])$/;
const VNET_SUBNET_ID =
  /^\/subscriptions\/([^/]*)\/resourceGroups\/([^/]*)\/providers\/Microsoft\.Network\/virtualNetworks\/([^/]*)\/subnets\/([^/]*)$/i;
/** Linux admin user names: the 2016/2017-01 swaggers, then 2017-07-01 (kept by vlabs). */
const LINUX_ADMIN_OLD = /^[a-z][a-z0-9_-]*$/;
const LINUX_ADMIN = /^[A-Za-z][-A-Za-z0-9_]*$/;
/** The swaggers' `^[a-zA-Z0-9]+([._]?[a-zA-Z0-9]+)*$`, rewritten without its exponential backtracking. */
const WINDOWS_ADMIN = /^[a-zA-Z0-9]+(?:[._][a-zA-Z0-9]+)*$/;
const WINDOWS_ADMIN_SHOWN = '^[a-zA-Z0-9]+([._]?[a-zA-Z0-9]+)*$';
const WINDOWS_PASSWORD = /^(?=.*[a-z])(?=.*[A-Z])(?=.*[!@#$%^&*()])[a-zA-Z\d!@#$%^&*()]{12,123}$/;
const OTHER_ORCHESTRATORS = ['Kubernetes', 'Swarm', 'SwarmMode', 'DockerCE', 'Custom', 'Mesos', 'OpenShift'];
const MAX_PORTS = 150;
const MAX_OS_DISK_GB = 1023;

/** Every problem of the definition; [] when it can be planned. Never throws. */
export function validateAcsDefinition(raw: unknown): AcsError[] {
  return checkAcsDefinition(raw).errors;
}

/** Decodes and validates `raw`; callers go on with the definition only when there are no errors. */
export function checkAcsDefinition(raw: unknown): DecodeResult {
  const { definition, errors } = decodeAcsDefinition(raw);
  if (definition) errors.push(...definitionErrors(definition));
  const seen = new Set<string>();
  const unique = errors.filter((e) => {
    const id = `${e.path}\n${e.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  return { definition, errors: unique };
}

function definitionErrors(def: AcsDefinition): AcsError[] {
  const out: AcsError[] = [];
  const add = (path: string, message: string) => out.push({ path, message });
  const { root, properties } = def;
  if (!properties) {
    if (!root.written('properties')) add(root.pathOf('properties'), 'missing Properties');
    return out;
  }
  orchestratorRules(def, properties, add);
  masterRules(def, properties, add);
  poolListRules(def, properties, add);
  def.pools.forEach((pool) => poolRules(def.apiVersion, pool, add));
  vnetRules(def, add);
  linuxProfileRules(def.apiVersion, properties, add);
  if (def.pools.some((p) => p.string('osType') === 'Windows')) windowsProfileRules(properties, add);
  return out;
}

type Add = (path: string, message: string) => void;

function orchestratorRules({ orchestrator }: AcsDefinition, properties: Decoded, add: Add): void {
  if (!orchestrator) {
    if (!properties.written('orchestratorProfile'))
      add(properties.pathOf('orchestratorProfile'), 'missing OrchestratorProfile');
    return;
  }
  const type = orchestrator.string('orchestratorType');
  const path = orchestrator.pathOf('orchestratorType');
  // acs-engine read the orchestrator type case-insensitively.
  if (type?.toLowerCase() === 'dcos') return;
  if (type === undefined) {
    if (!orchestrator.written('orchestratorType'))
      add(path, `missing OrchestratorProfile.OrchestratorType: ${ONLY_DCOS}`);
    return;
  }
  const other = OTHER_ORCHESTRATORS.find((o) => o.toLowerCase() === type.toLowerCase());
  add(
    path,
    other
      ? `Orchestrator ${other} is not supported: ${ONLY_DCOS}`
      : `OrchestratorType has unknown orchestrator: ${shown(type)}. ${ONLY_DCOS}`,
  );
}

function masterRules({ master, apiVersion }: AcsDefinition, properties: Decoded, add: Add): void {
  if (!master) {
    if (!properties.written('masterProfile'))
      add(properties.pathOf('masterProfile'), 'missing MasterProfile');
    return;
  }
  const count = master.number('count');
  // The resource provider defaulted the count to 1; acs-engine's vlabs required it.
  const countMissing = count === undefined && apiVersion === 'vlabs' && !master.written('count');
  if (countMissing || (count !== undefined && count !== 1 && count !== 3 && count !== 5)) {
    add(master.pathOf('count'), MASTER_COUNT_MESSAGE);
  }
  // Before 2017-07-01 the masters had no vmSize: ACS used Standard_D2_v2.
  const vmSize = master.string('vmSize');
  const wrongType = master.written('vmSize') && vmSize === undefined;
  if (!isAcsEra(apiVersion) && !wrongType && !vmSize) add(master.pathOf('vmSize'), MASTER_VM_SIZE_MESSAGE);
  if (vmSize && /^standard_b/i.test(vmSize)) add(master.pathOf('vmSize'), B_SERIES_MASTER_MESSAGE);
  dnsPrefixRule(master, add);
  osDiskRule(master, add);
  storageRule(master, add);
  availabilityRule(master, 'the master profile', add);
}

function poolListRules({ apiVersion }: AcsDefinition, properties: Decoded, add: Add): void {
  const list = properties.array('agentPoolProfiles');
  if (!list && properties.written('agentPoolProfiles')) return; // wrong type, already reported
  const path = properties.pathOf('agentPoolProfiles');
  const n = list?.length ?? 0;
  if (n === 0) add(path, NO_POOLS_MESSAGE);
  else if (apiVersion === '2016-03-30' && n > 1) add(path, ONE_POOL_MESSAGE);
  else if (n > 12) add(path, POOLS_RANGE_MESSAGE);
  const seen = new Set<string>();
  (list ?? []).forEach((item, i) => {
    const found = lookup(item, 'name');
    if (typeof found?.value !== 'string' || found.value === '') return;
    if (seen.has(found.value))
      add(childPath(childPath(path, i), found.key), duplicatePoolMessage(found.value));
    seen.add(found.value);
  });
}

function poolRules(version: AcsApiVersion, pool: Decoded, add: Add): void {
  const name = pool.string('name');
  const namePath = pool.pathOf('name');
  const windows = pool.string('osType') === 'Windows';
  if (!name) {
    if (!pool.written('name') || name === '') add(namePath, POOL_NAME_REQUIRED_MESSAGE);
  } else if (!POOL_NAME.test(name)) add(namePath, poolNameMessage(name));
  else if (name === 'master') add(namePath, RESERVED_POOL_NAME_MESSAGE);
  else if (windows && name.length > 6) add(namePath, windowsPoolNameMessage(name));

  const count = pool.number('count');
  const countMissing = count === undefined && version === 'vlabs' && !pool.written('count');
  if (countMissing || (count !== undefined && (count < 1 || count > 100)))
    add(pool.pathOf('count'), POOL_COUNT_MESSAGE);

  if (pool.string('vmSize') === '' || !pool.written('vmSize'))
    add(pool.pathOf('vmSize'), POOL_VM_SIZE_MESSAGE);

  const osType = pool.string('osType');
  if (osType !== undefined && osType !== 'Linux' && osType !== 'Windows' && osType !== '') {
    add(pool.pathOf('osType'), OS_TYPE_MESSAGE);
  }
  if (windows && version !== 'vlabs') add(pool.pathOf('osType'), NO_WINDOWS_MESSAGE);

  dnsPrefixRule(pool, add);
  portRules(pool, name ?? '', add);
  osDiskRule(pool, add);
  storageRule(pool, add);
  availabilityRule(pool, `agent pool '${shown(name ?? '')}'`, add);
  attributeRules(pool, isPublicPool(pool, version), add);
  spotRules(pool, add);
  autoscaleRules(pool, add);
}

function dnsPrefixRule(profile: Decoded, add: Add): void {
  const prefix = profile.string('dnsPrefix');
  if (prefix && !DNS_PREFIX.test(prefix)) add(profile.pathOf('dnsPrefix'), dnsPrefixMessage(prefix));
}

function portRules(pool: Decoded, name: string, add: Add): void {
  const ports = pool.numbers('ports');
  if (!ports) return;
  const path = pool.pathOf('ports');
  if (ports.length > MAX_PORTS) add(path, TOO_MANY_PORTS_MESSAGE);
  const seen = new Set<number>();
  ports.forEach((port, i) => {
    if (port < 1 || port > 65535) add(childPath(path, i), PORT_RANGE_MESSAGE);
    else if (seen.has(port)) add(childPath(path, i), duplicatePortMessage(name, port));
    seen.add(port);
  });
}

function osDiskRule(profile: Decoded, add: Add): void {
  const size = profile.number('osDiskSizeGB');
  // 0 asks for the VM size's default disk.
  if (size !== undefined && (size < 0 || size > MAX_OS_DISK_GB))
    add(profile.pathOf('osDiskSizeGB'), osDiskSizeMessage(size));
}

function storageRule(profile: Decoded, add: Add): void {
  const value = profile.string('storageProfile');
  if (value && value !== 'StorageAccount' && value !== 'ManagedDisks') {
    add(profile.pathOf('storageProfile'), storageProfileMessage(value));
  }
}

function availabilityRule(profile: Decoded, owner: string, add: Add): void {
  const value = profile.string('availabilityProfile');
  if (value && value !== 'AvailabilitySet' && value !== 'VirtualMachineScaleSets') {
    add(profile.pathOf('availabilityProfile'), availabilityProfileMessage(value, owner));
  }
}

/**
 * customNodeLabels become Mesos attributes, each one node label: names must not be empty, nor two names become
 * one label. A name equal to a built-in attribute (os, public_ip) is not a clash: acs-engine wrote both and
 * Marathon saw the built-in one (reported as unmapped).
 */
function attributeRules(pool: Decoded, isPublic: boolean, add: Add): void {
  const labels = pool.stringMap('customNodeLabels');
  if (!labels) return;
  const path = pool.pathOf('customNodeLabels');
  const builtIn = isPublic ? ['os', 'public_ip'] : ['os'];
  const byLabel = new Map<string, string>(builtIn.map((name) => [attributeLabelKey(name), name]));
  for (const key of Object.keys(labels)) {
    if (key === '') {
      add(childPath(path, key), EMPTY_ATTRIBUTE_MESSAGE);
      continue;
    }
    const label = attributeLabelKey(key);
    const other = byLabel.get(label);
    if (other !== undefined && !(builtIn.includes(key) && other === key)) {
      add(childPath(path, key), attributeClashMessage(other, key, label));
    }
    byLabel.set(label, other ?? key);
  }
}

const isSpotPriority = (p: string | undefined): boolean => p === 'Low' || p === 'Spot';

function spotRules(pool: Decoded, add: Add): void {
  const priority = pool.string('scaleSetPriority');
  if (priority !== undefined && priority !== 'Regular' && !isSpotPriority(priority)) {
    add(pool.pathOf('scaleSetPriority'), PRIORITY_MESSAGE);
  }
  const eviction = pool.string('scaleSetEvictionPolicy');
  if (eviction !== undefined && eviction !== 'Delete' && eviction !== 'Deallocate') {
    add(pool.pathOf('scaleSetEvictionPolicy'), EVICTION_MESSAGE);
  }
  const price = pool.number('spotMaxPrice');
  if (price === undefined) return;
  if (!isSpotPriority(priority)) add(pool.pathOf('spotMaxPrice'), SPOT_PRICE_POOL_MESSAGE);
  else if (price !== -1 && !(price > 0)) add(pool.pathOf('spotMaxPrice'), SPOT_PRICE_VALUE_MESSAGE);
}

function autoscaleRules(pool: Decoded, add: Add): void {
  const min = pool.number('minCount');
  const max = pool.number('maxCount');
  if (pool.boolean('enableAutoScaling') !== true) {
    if (min !== undefined || max !== undefined) {
      add(pool.pathOf(min !== undefined ? 'minCount' : 'maxCount'), AUTOSCALE_BOUNDS_FORBIDDEN_MESSAGE);
    }
    return;
  }
  if (min === undefined || max === undefined) {
    if (!pool.written('minCount') || !pool.written('maxCount'))
      add(pool.pathOf('enableAutoScaling'), AUTOSCALE_BOUNDS_REQUIRED_MESSAGE);
    return;
  }
  if (min < 0 || min > 1000) add(pool.pathOf('minCount'), 'minCount must be in the range [0,1000]');
  if (max < 1 || max > 1000) add(pool.pathOf('maxCount'), 'maxCount must be in the range [1,1000]');
  if (min > max) add(pool.pathOf('minCount'), AUTOSCALE_ORDER_MESSAGE);
  const count = pool.number('count');
  if (count !== undefined && min <= max && (count < min || count > max))
    add(pool.pathOf('count'), AUTOSCALE_COUNT_MESSAGE);
}

/** A custom VNET subnet is given for the master and every pool or for none, and they all share one VNET. */
function vnetRules({ master, pools }: AcsDefinition, add: Add): void {
  const vnetOf = (profile: Decoded): string | undefined => {
    const id = profile.string('vnetSubnetID');
    if (!id) return undefined;
    const m = VNET_SUBNET_ID.exec(id);
    if (!m) {
      add(profile.pathOf('vnetSubnetID'), VNET_FORMAT_MESSAGE);
      return '';
    }
    return `${m[1]}/${m[2]}/${m[3]}`.toLowerCase();
  };
  const masterVnet = master ? vnetOf(master) : undefined;
  for (const pool of pools) {
    const vnet = vnetOf(pool);
    if (!master) continue;
    if ((vnet === undefined) !== (masterVnet === undefined))
      add(pool.pathOf('vnetSubnetID'), VNET_MIXED_MESSAGE);
    else if (vnet && masterVnet && vnet !== masterVnet)
      add(pool.pathOf('vnetSubnetID'), VNET_DIFFERENT_MESSAGE);
  }
}

function linuxProfileRules(version: AcsApiVersion, properties: Decoded, add: Add): void {
  const profile = properties.object('linuxProfile');
  if (!profile) return;
  const path = properties.pathOf('linuxProfile');
  const user = stringField(profile, 'adminUsername', path, add);
  const userPath = childPath(path, lookup(profile, 'adminUsername')?.key ?? 'adminUsername');
  const pattern = isAcsEra(version) ? LINUX_ADMIN_OLD : LINUX_ADMIN;
  if (user === '' || (user === undefined && !lookup(profile, 'adminUsername'))) {
    add(userPath, 'LinuxProfile.AdminUsername must be a non-empty value');
  } else if (user !== undefined && !pattern.test(user)) {
    add(userPath, `LinuxProfile.AdminUsername '${shown(user)}' is invalid: it must match ${pattern.source}`);
  }
  const ssh = objectField(profile, 'ssh', path, add);
  const sshPath = childPath(path, lookup(profile, 'ssh')?.key ?? 'ssh');
  if (ssh === null) return;
  const keysFound = lookup(ssh, 'publicKeys');
  const keysPath = childPath(sshPath, keysFound?.key ?? 'publicKeys');
  const keys = keysFound?.value;
  if (keys !== undefined && !Array.isArray(keys)) {
    add(keysPath, `expected an array, got ${kindOf(keys)}`);
    return;
  }
  if (keys?.length !== 1) add(keysPath, SSH_KEYS_MESSAGE);
  (keys ?? []).forEach((key, i) => {
    const at = childPath(keysPath, i);
    // An empty keyData is the examples' placeholder: only its type is checked.
    if (!isObject(key)) add(at, `expected an object, got ${kindOf(key)}`);
    else stringField(key, 'keyData', at, add);
  });
}

/** Only for clusters with Windows pools, and only on values given: the password is never repeated. */
function windowsProfileRules(properties: Decoded, add: Add): void {
  const profile = properties.object('windowsProfile');
  if (!profile) return;
  const path = properties.pathOf('windowsProfile');
  const user = stringField(profile, 'adminUsername', path, add);
  if (user && !WINDOWS_ADMIN.test(user)) {
    add(
      childPath(path, lookup(profile, 'adminUsername')?.key ?? 'adminUsername'),
      `WindowsProfile.AdminUsername '${shown(user)}' is invalid: it must match ${WINDOWS_ADMIN_SHOWN}`,
    );
  }
  const password = stringField(profile, 'adminPassword', path, add);
  if (password && (password.length > 123 || !WINDOWS_PASSWORD.test(password))) {
    add(childPath(path, lookup(profile, 'adminPassword')?.key ?? 'adminPassword'), WINDOWS_PASSWORD_MESSAGE);
  }
}

/** A string field of a nested object; a wrong type is reported (by kind only, never by value). */
function stringField(obj: JsonObject, name: string, parent: string, add: Add): string | undefined {
  const found = lookup(obj, name);
  if (!found) return undefined;
  if (typeof found.value === 'string') return found.value;
  add(childPath(parent, found.key), `expected a string, got ${kindOf(found.value)}`);
  return undefined;
}

/** An object field of a nested object: undefined when absent, null when of the wrong type (reported). */
function objectField(obj: JsonObject, name: string, parent: string, add: Add): JsonObject | undefined | null {
  const found = lookup(obj, name);
  if (!found) return undefined;
  if (isObject(found.value)) return found.value;
  add(childPath(parent, found.key), `expected an object, got ${kindOf(found.value)}`);
  return null;
}
