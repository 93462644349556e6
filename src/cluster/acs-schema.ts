// The fields of an ACS / acs-engine DC/OS cluster definition, per API version, as the versioned Go types of
// Azure/acs-engine (pkg/api/v20160330 … vlabs) and the ACS swaggers declare them. A field a version does not
// declare was ignored by that version's decoder, so it is ignored here too (and reported as unmapped).

export const ACS_API_VERSIONS = ['2016-03-30', '2016-09-30', '2017-01-31', '2017-07-01', 'vlabs'] as const;
export type AcsApiVersion = (typeof ACS_API_VERSIONS)[number];

export const isAcsApiVersion = (v: unknown): v is AcsApiVersion =>
  typeof v === 'string' && (ACS_API_VERSIONS as readonly string[]).includes(v);

/** The hosted ACS resource provider's versions before 2017-07-01, where a dnsPrefix made a pool public. */
export const isAcsEra = (v: AcsApiVersion): boolean =>
  v === '2016-03-30' || v === '2016-09-30' || v === '2017-01-31';

/**
 * Where a field exists: `acs` in every version, `2017-07-01` in that version and vlabs, `vlabs` in acs-engine's
 * vlabs only, `extension` in every version although no ACS version had it (AKS-style fields this operator accepts).
 */
export type Since = 'acs' | '2017-07-01' | 'vlabs' | 'extension';

export function versionHas(version: AcsApiVersion, since: Since): boolean {
  switch (since) {
    case 'acs':
    case 'extension':
      return true;
    case '2017-07-01':
      return version === '2017-07-01' || version === 'vlabs';
    case 'vlabs':
      return version === 'vlabs';
  }
}

/** The JSON a field must hold; `any` fields are only carried, never read, so their content is not checked. */
export type FieldKind =
  | 'string'
  | 'integer'
  | 'number'
  | 'boolean'
  | 'object'
  | 'array'
  | 'integers'
  | 'strings'
  | 'stringMap'
  | 'any';

export interface FieldSpec {
  kind: FieldKind;
  since: Since;
}

/** Canonical field name → spec. */
export type Schema = Readonly<Record<string, FieldSpec>>;

const f = (kind: FieldKind, since: Since = 'acs'): FieldSpec => ({ kind, since });

export const ROOT_FIELDS: Schema = {
  apiVersion: f('any'), // read by acs-api-version.ts, which reports its own errors
  location: f('any'),
  properties: f('object'),
  id: f('any'),
  name: f('any'),
  type: f('any'),
  plan: f('any'),
  tags: f('any'),
};

export const PROPERTIES_FIELDS: Schema = {
  provisioningState: f('any'),
  orchestratorProfile: f('object'),
  masterProfile: f('object'),
  agentPoolProfiles: f('array'),
  linuxProfile: f('object'),
  windowsProfile: f('object'),
  diagnosticsProfile: f('any'),
  servicePrincipalProfile: f('any'),
  customProfile: f('any'),
  jumpboxProfile: f('any'),
  certificateProfile: f('any', 'vlabs'),
  aadProfile: f('any', 'vlabs'),
  extensionProfiles: f('any', 'vlabs'),
};

export const ORCHESTRATOR_FIELDS: Schema = {
  orchestratorType: f('string'),
  orchestratorVersion: f('string', '2017-07-01'),
  orchestratorRelease: f('string', 'vlabs'),
  dcosConfig: f('any'),
  kubernetesConfig: f('any'),
  openShiftConfig: f('any', 'vlabs'),
};

export const MASTER_FIELDS: Schema = {
  count: f('integer'),
  dnsPrefix: f('string'),
  fqdn: f('any'),
  vmSize: f('string', '2017-07-01'),
  osDiskSizeGB: f('integer', '2017-07-01'),
  vnetSubnetID: f('string', '2017-07-01'),
  firstConsecutiveStaticIP: f('any', '2017-07-01'),
  storageProfile: f('string', '2017-07-01'),
  availabilityProfile: f('string', 'vlabs'),
  vnetCidr: f('any', 'vlabs'),
  ipAddressCount: f('any', 'vlabs'),
  distro: f('any', 'vlabs'),
  imageReference: f('any', 'vlabs'),
  customFiles: f('any', 'vlabs'),
  extensions: f('any', 'vlabs'),
  preProvisionExtension: f('any', 'vlabs'),
  oauthEnabled: f('any', 'vlabs'),
};

export const POOL_FIELDS: Schema = {
  name: f('string'),
  count: f('integer'),
  vmSize: f('string'),
  osType: f('string'),
  dnsPrefix: f('string'),
  fqdn: f('any'),
  ports: f('integers', '2017-07-01'),
  storageProfile: f('string', '2017-07-01'),
  osDiskSizeGB: f('integer', '2017-07-01'),
  vnetSubnetID: f('string', '2017-07-01'),
  availabilityProfile: f('string', 'vlabs'),
  customNodeLabels: f('stringMap', 'vlabs'),
  availabilityZones: f('strings', 'vlabs'),
  scaleSetPriority: f('string', 'vlabs'),
  scaleSetEvictionPolicy: f('string', 'vlabs'),
  diskSizesGB: f('any', 'vlabs'),
  distro: f('any', 'vlabs'),
  imageReference: f('any', 'vlabs'),
  role: f('any', 'vlabs'),
  extensions: f('any', 'vlabs'),
  preProvisionExtension: f('any', 'vlabs'),
  singlePlacementGroup: f('any', 'vlabs'),
  acceleratedNetworkingEnabled: f('any', 'vlabs'),
  ipAddressCount: f('any', 'vlabs'),
  // AKS's own autoscaling and Spot price fields, accepted as an extension.
  enableAutoScaling: f('boolean', 'extension'),
  minCount: f('integer', 'extension'),
  maxCount: f('integer', 'extension'),
  spotMaxPrice: f('number', 'extension'),
};
