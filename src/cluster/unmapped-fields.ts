// Every field of an ACS definition that has no AKS agent-pool counterpart, and what the operator does with it:
// `status` (shown in the DcosCluster status for reference), `warning` (something the ACS cluster did is not
// done on AKS: raised as a Warning event) or `ignored` (nothing is lost). Only fields present in the input are
// listed. Reasons never contain values: some fields hold secrets (windowsProfile, servicePrincipalProfile,
// certificateProfile, dcosConfig).
import type { AcsDefinition, Decoded, PresentField } from './acs-definition.ts';
import { shown } from './acs-fields.ts';
import { isPublicPool } from './public-pools.ts';

export type Disposition = 'status' | 'warning' | 'ignored';

export interface UnmappedField {
  /** The field, keys as written: `properties.agentPoolProfiles[1].ports`. */
  path: string;
  disposition: Disposition;
  reason: string;
}

type Verdict = [Disposition, string] | 'mapped';

const status = (reason: string): Verdict => ['status', reason];
const warning = (reason: string): Verdict => ['warning', reason];
const ignored = (reason: string): Verdict => ['ignored', reason];

const PUBLIC_LB =
  "the public agents' Azure load balancer is not created: expose apps with Services of type LoadBalancer instead";
const NODE_IMAGE = 'AKS nodes run AKS node images: custom VM images and distros are not used';
const VM_EXTENSIONS = 'VM extensions are not run on AKS nodes: run the equivalent as a DaemonSet';
const ALWAYS_VMSS = 'AKS agent pools are always virtual machine scale sets';
const READ_ONLY = 'read-only ACS output';
const PLACEHOLDER = 'empty placeholder of the upstream examples';
const UNKNOWN = 'no AKS agent-pool counterpart known to dcos-operator: ignored';
const OTHER_ORCHESTRATOR = 'only used by other orchestrators than DC/OS';

const WINDOWS_PROFILE = warning(
  'cluster-level on AKS: Windows pools need the AKS cluster to have a windowsProfile; the password here is neither used nor stored',
);

const ROOT: Record<string, Verdict> = {
  apiVersion: 'mapped',
  properties: 'mapped',
  location: ignored("the agent pools are created in the AKS cluster's region"),
  id: ignored('ARM metadata of the ACS resource'),
  name: ignored('ARM metadata of the ACS resource'),
  type: ignored('ARM metadata of the ACS resource'),
  plan: ignored('ARM purchase plan of the ACS resource'),
  tags: ignored(
    "tags of the ACS resource: the pools carry dcos-operator's ownership tag; tag the AKS cluster instead",
  ),
};

const PROPERTIES: Record<string, Verdict> = {
  orchestratorProfile: 'mapped',
  masterProfile: 'mapped',
  agentPoolProfiles: 'mapped',
  provisioningState: ignored(READ_ONLY),
  linuxProfile: status(
    "cluster-level on AKS: the nodes' admin user and SSH key come from the AKS cluster's linuxProfile, not from agent pools",
  ),
  servicePrincipalProfile: ignored(
    'dcos-operator reaches Azure with workload identity: the service principal and its secret are neither used nor stored',
  ),
  diagnosticsProfile: warning('VM boot diagnostics have no agent-pool counterpart: use Azure Monitor on AKS'),
  customProfile: ignored('only used with orchestratorType Custom'),
  jumpboxProfile: ignored('no jumpbox VM is created: AKS serves the Kubernetes API'),
  certificateProfile: ignored(
    'DC/OS TLS material: AKS manages its own certificates; the keys are neither used nor stored',
  ),
  aadProfile: ignored(OTHER_ORCHESTRATOR),
  extensionProfiles: warning(VM_EXTENSIONS),
};

const ORCHESTRATOR: Record<string, Verdict> = {
  orchestratorType: 'mapped',
  orchestratorVersion: status(
    'DC/OS version of the ACS cluster (plan.orchestratorVersion): no DC/OS is installed, dcos-operator serves its APIs on AKS',
  ),
  orchestratorRelease: status(
    'DC/OS release of the ACS cluster (plan.orchestratorVersion): no DC/OS is installed, dcos-operator serves its APIs on AKS',
  ),
  dcosConfig: warning(
    'DC/OS installer settings (bootstrap, package repositories, private registry) have no AKS counterpart: ' +
      'private registry credentials must become image pull secrets',
  ),
  kubernetesConfig: ignored(OTHER_ORCHESTRATOR),
  openShiftConfig: ignored(OTHER_ORCHESTRATOR),
};

/** Fields both masterProfile and agentPoolProfiles have, with the same fate. */
const PROFILE: Record<string, Verdict> = {
  count: 'mapped',
  vmSize: 'mapped',
  osDiskSizeGB: 'mapped',
  vnetSubnetID: 'mapped',
  fqdn: ignored(READ_ONLY),
  distro: warning(NODE_IMAGE),
  imageReference: warning(NODE_IMAGE),
  extensions: warning(VM_EXTENSIONS),
  preProvisionExtension: warning(VM_EXTENSIONS),
  ipAddressCount: ignored("AKS's network plugin assigns pod addresses"),
};

const MASTER: Record<string, Verdict> = {
  ...PROFILE,
  firstConsecutiveStaticIP: warning("AKS assigns node addresses: the masters' static IPs are not kept"),
  vnetCidr: ignored("the VNET's address space is not managed by dcos-operator"),
  customFiles: warning('files copied onto the masters are not copied: use ConfigMaps or Secrets'),
  oauthEnabled: warning('DC/OS OAuth login has no counterpart on AKS'),
};

const POOL: Record<string, Verdict> = {
  ...PROFILE,
  name: 'mapped',
  osType: 'mapped',
  customNodeLabels: 'mapped',
  availabilityZones: 'mapped',
  scaleSetPriority: 'mapped',
  enableAutoScaling: 'mapped',
  minCount: 'mapped',
  maxCount: 'mapped',
  spotMaxPrice: 'mapped',
  diskSizesGB: warning('attached data disks are not created: use PersistentVolumeClaims'),
  role: ignored(OTHER_ORCHESTRATOR),
  singlePlacementGroup: ignored("AKS manages the scale set's placement groups"),
  acceleratedNetworkingEnabled: ignored('AKS enables accelerated networking on the VM sizes that support it'),
};

export function unmappedFields(def: AcsDefinition): UnmappedField[] {
  const out: UnmappedField[] = [];
  const windows = def.pools.some((p) => p.string('osType') === 'Windows');
  const report = (decoded: Decoded | undefined, table: Record<string, Verdict>, special?: Special) => {
    for (const field of decoded?.present ?? []) {
      const verdict = verdictOf(def, field, table, special);
      if (verdict !== 'mapped')
        out.push({ path: shown(field.path, 1000), disposition: verdict[0], reason: verdict[1] });
    }
  };
  report(def.root, ROOT);
  report(def.properties, PROPERTIES, (name) => {
    if (name !== 'windowsProfile') return undefined;
    return windows
      ? WINDOWS_PROFILE
      : ignored('no Windows agent pool uses it; the password is neither used nor stored');
  });
  report(def.orchestrator, ORCHESTRATOR);
  report(def.master, MASTER, (name) => {
    if (name === 'dnsPrefix')
      return def.master?.string('dnsPrefix')
        ? status(
            "prefix of the masters' public FQDN: AKS serves the Kubernetes API at its own FQDN and dcos-operator serves the DC/OS APIs",
          )
        : ignored(PLACEHOLDER);
    return def.master ? diskAndAvailability(def.master, name, 'the System pool') : undefined;
  });
  for (const pool of def.pools) {
    const isPublic = isPublicPool(pool, def.apiVersion);
    report(pool, POOL, (name) => {
      if (name === 'dnsPrefix' || name === 'ports') {
        if (isPublic) return warning(PUBLIC_LB);
        return ignored(name === 'ports' ? 'no ports given' : PLACEHOLDER);
      }
      if (name === 'scaleSetEvictionPolicy') {
        const spot = ['Low', 'Spot'].includes(pool.string('scaleSetPriority') ?? '');
        return spot ? 'mapped' : ignored('only applies to Spot (Low priority) pools');
      }
      return diskAndAvailability(pool, name, 'the pool');
    });
    out.push(...shadowedAttributes(pool, isPublic));
  }
  return out;
}

/** A verdict that depends on the definition, or undefined to use the table. */
type Special = (name: string) => Verdict | undefined;

function verdictOf(
  def: AcsDefinition,
  field: PresentField,
  table: Record<string, Verdict>,
  special: Special | undefined,
): Verdict {
  if (!field.known) return warning(UNKNOWN);
  if (!field.inVersion) return warning(`not a field of ACS API version ${def.apiVersion}, which ignored it`);
  return special?.(field.name) ?? table[field.name] ?? warning(UNKNOWN);
}

function diskAndAvailability(profile: Decoded, name: string, pool: string): Verdict | undefined {
  if (name === 'storageProfile') {
    return profile.string('storageProfile') === 'StorageAccount'
      ? warning(`AKS has no unmanaged (storage account) disks: ${pool} gets AKS's default OS disk type`)
      : 'mapped';
  }
  if (name === 'availabilityProfile') {
    return profile.string('availabilityProfile') === 'AvailabilitySet'
      ? warning(`${ALWAYS_VMSS}: ${pool} is one, not an availability set`)
      : ignored(ALWAYS_VMSS);
  }
  return undefined;
}

/**
 * customNodeLabels named like an attribute acs-engine wrote before them (os, and public_ip on public pools):
 * Marathon matched the first attribute of a name, the built-in one.
 */
function shadowedAttributes(pool: Decoded, isPublic: boolean): UnmappedField[] {
  const labels = pool.stringMap('customNodeLabels') ?? {};
  return Object.keys(labels)
    .filter((key) => key === 'os' || (isPublic && key === 'public_ip'))
    .map((key) => ({
      path: shown(`${pool.pathOf('customNodeLabels')}.${key}`, 1000),
      disposition: 'warning' as const,
      reason:
        'shadowed by the Mesos attribute of the same name that acs-engine wrote first (Marathon saw that one): the node label keeps the built-in value',
    }));
}
