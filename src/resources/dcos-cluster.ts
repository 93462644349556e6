// The DcosCluster resource: an ACS (Azure Container Service) DC/OS cluster definition, pasted as is, plus the AKS
// cluster its agent pools go to. The CRD types only what the API server can check without changing ACS's
// meaning: ACS read keys case-insensitively (Go's encoding/json), so `properties` keeps every key as sent and
// ACS's own rules, in ACS's words, live in src/cluster (acs-validate.ts).
import { z } from 'zod';
import { statusBaseSchema } from './conditions.ts';
import { defineResource, type ResourceDefinition } from './crd.ts';

/** AKS managed cluster names (the agentPools API's resourceName parameter). */
export const MANAGED_CLUSTER_NAME = /^[a-zA-Z0-9]$|^[a-zA-Z0-9][-_a-zA-Z0-9]{0,61}[a-zA-Z0-9]$/;
/** Azure resource group names. */
export const RESOURCE_GROUP_NAME = /^[-\w._()]+$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** The subscription the local emulator answers for when none is given. */
export const LOCAL_SUBSCRIPTION_ID = '00000000-0000-0000-0000-000000000000';

export const PROVIDERS = ['aks', 'local'] as const;
export type Provider = (typeof PROVIDERS)[number];

const anyObject = (what: string) => z.record(z.string(), z.unknown()).describe(what);

const propertiesSchema = z
  .object({
    orchestratorProfile: anyObject(
      'orchestratorType (DCOS), orchestratorVersion, orchestratorRelease, …',
    ).optional(),
    masterProfile: anyObject(
      'count (1, 3 or 5), dnsPrefix, vmSize: becomes the System agent pool that hosts the operator.',
    ).optional(),
    agentPoolProfiles: z
      .array(
        anyObject(
          'name, count, vmSize, osType, dnsPrefix/ports (public agents), customNodeLabels (Mesos attributes), ' +
            'availabilityZones, scaleSetPriority, …: becomes an AKS User agent pool.',
        ),
      )
      .max(100)
      .optional(),
    linuxProfile: anyObject(
      'adminUsername and ssh.publicKeys: cluster-level on AKS, reported in status.',
    ).optional(),
    windowsProfile: anyObject(
      'adminUsername and adminPassword: cluster-level on AKS, never echoed.',
    ).optional(),
  })
  .catchall(z.unknown())
  .describe(
    'The ACS containerServices properties as written (any key casing ACS accepted). Fields with no AKS agent ' +
      'pool counterpart are listed in status.unmapped.',
  );

const targetSchema = z
  .object({
    provider: z
      .enum(PROVIDERS)
      .default('local')
      .describe(
        'aks: the Azure Resource Manager API; local: the built-in AKS emulator (development, tests).',
      ),
    subscriptionId: z
      .string()
      .regex(UUID)
      .optional()
      .describe(
        "Azure subscription id (a UUID) of the AKS cluster. Default: the operator's --azure-subscription-id; " +
          'for provider local, the emulator’s all-zero subscription.',
      ),
    resourceGroup: z
      .string()
      .min(1)
      .max(90)
      .regex(RESOURCE_GROUP_NAME)
      .optional()
      .describe(
        "Resource group of the AKS cluster. Default: the operator's --azure-resource-group, else dcos.",
      ),
    managedClusterName: z
      .string()
      .min(1)
      .max(63)
      .regex(MANAGED_CLUSTER_NAME)
      .optional()
      .describe(
        "Name of the AKS managed cluster that receives the agent pools. Default: the operator's " +
          '--azure-managed-cluster-name, else dcos.',
      ),
  })
  .describe('The AKS cluster the agent pools go to.');

export const dcosClusterSpecSchema = z
  .object({
    apiVersion: z
      .string()
      .max(32)
      .optional()
      .describe(
        'ACS API version the definition is written in: 2016-03-30, 2016-09-30, 2017-01-31, 2017-07-01 or ' +
          'vlabs (acs-engine). Inferred from the fields when absent.',
      ),
    location: z.string().max(64).optional().describe('Azure region of the ACS cluster (informational).'),
    properties: propertiesSchema,
    target: targetSchema.prefault({}),
  })
  .describe('An ACS DC/OS cluster definition ({apiVersion, properties}) and the AKS cluster it maps onto.');

export type DcosClusterSpec = z.output<typeof dcosClusterSpecSchema>;

const count = (what: string) => z.int32().min(0).optional().describe(what);

const poolStatusSchema = z.object({
  name: z.string().max(12).describe('Agent pool name (kept from the ACS profile).'),
  role: z.enum(['slave', 'slave_public', 'master']).optional().describe('Mesos role of the pool’s agents.'),
  mode: z.string().max(16).optional().describe('AKS pool mode: System or User.'),
  vmSize: z.string().max(64).optional(),
  provisioningState: z.string().max(64).optional().describe('AKS provisioningState, as Azure reports it.'),
  desiredCount: count('Nodes the definition asks for.'),
  count: count('Nodes AKS reports for the pool.'),
  readyNodes: count('Nodes of the pool (kubernetes.azure.com/agentpool) that are Ready.'),
  operation: z
    .object({
      kind: z.enum(['put', 'delete']),
      startedAt: z.string().max(64),
      state: z
        .string()
        .max(64 * 1024)
        .describe('Serialized poller of the Azure long-running operation, resumed after a restart.'),
    })
    .optional()
    .describe('The Azure long-running operation under way on this pool.'),
  error: z
    .object({ code: z.string().max(256), message: z.string().max(4096) })
    .optional()
    .describe('Last Azure error on this pool, with ARM’s code and message.'),
});

export const dcosClusterStatusSchema = statusBaseSchema
  .extend({
    clusterId: z.string().max(64).optional().describe('Stable id of this DC/OS cluster (the object’s uid).'),
    managedClusterId: z.string().max(1024).optional().describe('ARM id of the AKS managed cluster.'),
    apiVersion: z.string().max(32).optional().describe('ACS API version the definition was read as.'),
    masters: count('masterProfile.count: size of the System pool.'),
    operatorReplicas: count('Operator replicas to run under leader election (one per master).'),
    desiredNodes: count('Nodes all pools should have.'),
    readyNodes: count('Ready nodes across the pools.'),
    pools: z.array(poolStatusSchema).max(64).optional().describe('Each agent pool, as Azure reports it.'),
    unmapped: z
      .array(
        z.object({
          path: z.string().max(1024).describe('ACS field, e.g. properties.linuxProfile.'),
          disposition: z.enum(['status', 'warning', 'ignored']),
          reason: z.string().max(2048),
        }),
      )
      .max(200)
      .optional()
      .describe('ACS fields that have no AKS agent pool counterpart, and what the operator does with them.'),
  })
  .describe('Observed state of the cluster’s agent pools, written by the operator.');

export type DcosClusterStatus = z.output<typeof dcosClusterStatusSchema>;
export type PoolStatus = z.output<typeof poolStatusSchema>;

const readyCondition = ".status.conditions[?(@.type=='Ready')]";

export const dcosClusterResource: ResourceDefinition = defineResource({
  kind: 'DcosCluster',
  plural: 'dcosclusters',
  singular: 'dcoscluster',
  shortNames: ['dcosc'],
  scope: 'Namespaced',
  description:
    'DcosCluster turns an Azure Container Service (ACS) DC/OS cluster definition into AKS agent pools whose ' +
    'nodes carry the Mesos roles and attributes Marathon constraints expect.',
  spec: dcosClusterSpecSchema,
  status: dcosClusterStatusSchema,
  printerColumns: [
    { name: 'Provider', type: 'string', jsonPath: '.spec.target.provider' },
    { name: 'AKS', type: 'string', jsonPath: '.spec.target.managedClusterName', priority: 1 },
    { name: 'Nodes', type: 'integer', jsonPath: '.status.readyNodes', description: 'Ready nodes.' },
    { name: 'Desired', type: 'integer', jsonPath: '.status.desiredNodes', description: 'Nodes wanted.' },
    { name: 'Ready', type: 'string', jsonPath: `${readyCondition}.status` },
    { name: 'Status', type: 'string', jsonPath: `${readyCondition}.reason` },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
});
