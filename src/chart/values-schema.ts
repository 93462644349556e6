// The values of the Helm chart charts/dcos-operator as a zod schema. `npm run gen:chart` turns it into the
// chart's values.schema.json, which Helm checks on install, upgrade, template and lint; the unit tests
// check values.yaml against the same schema. Pure: no file access here (see gen-chart.ts).
import { z } from 'zod';

/** Where the generated JSON Schema lives, relative to the repository root. */
export const VALUES_SCHEMA_FILE = 'charts/dcos-operator/values.schema.json';

/**
 * The operator's duration syntax (src/runtime/config.ts, parseDuration): a number and one unit of ms, s, m, h.
 * Written for both JavaScript and Go's RE2 (Helm's validator), so no lookarounds.
 */
export const DURATION_PATTERN = /^[0-9]+(\.[0-9]+)?(ms|s|m|h)$/;
/** Prometheus durations (ServiceMonitor interval): units may be combined, e.g. 1m30s. */
const PROMETHEUS_DURATION_PATTERN = /^(([0-9]+)(ms|s|m|h|d|w|y))+$/;
const UUID_OR_EMPTY = /^$|^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/** A namespace name (RFC 1123 label), or empty. */
const NAMESPACE_OR_EMPTY = /^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const duration = (what: string) =>
  z
    .string()
    .regex(DURATION_PATTERN, 'expected a duration such as 500ms, 15s, 2m or 1h')
    .describe(`${what} (a number and one unit of ms, s, m, h)`);
const stringMap = (what: string) => z.record(z.string(), z.string()).describe(what);
const image = (what: string) => z.string().min(1, 'expected an image reference').describe(what);

const imageSchema = z
  .strictObject({
    repository: z.string().min(1, 'expected an image repository').describe('Image of the operator.'),
    tag: z.string().describe('Image tag; empty means the chart appVersion.'),
    pullPolicy: z
      .enum(['Always', 'IfNotPresent', 'Never'])
      .describe('Kubernetes imagePullPolicy of the operator container.'),
  })
  .describe('The operator container image.');

const leaderElectionSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .describe('Use a Lease in the release namespace so that only one replica reconciles (--leader-elect).'),
    leaseDuration: duration('How long a lease is valid without renewal (--lease-duration)'),
    renewDeadline: duration(
      'How long the leader keeps trying to renew before it steps down (--renew-deadline); shorter than leaseDuration',
    ),
    retryPeriod: duration('Interval between attempts to acquire or renew the lease (--retry-period)'),
  })
  .describe('Leader election between the replicas.');

const operatorSchema = z
  .strictObject({
    workers: z.int().min(1).max(64).describe('Concurrent reconciles per controller (--workers).'),
    logLevel: z.enum(['error', 'warn', 'info', 'debug']).describe('Log level (--log-level); logs are JSON.'),
    resyncPeriod: duration('Periodic full requeue, the level-triggered safety net (--resync-period)'),
    kubeApiQps: z
      .number()
      .positive()
      .describe('Client-side Kubernetes API request rate per second (--kube-api-qps).'),
    kubeApiBurst: z.int().min(1).describe('Client-side Kubernetes API request burst (--kube-api-burst).'),
    defaultImage: image(
      'Image for Marathon apps that give only cmd/args; Mesos ran those on the agent OS (--default-image).',
    ),
    fetchImage: image(
      'Image of the init container that downloads fetch/uris artifacts; needs sh, wget, tar, unzip (--fetch-image).',
    ),
    maxVersions: z
      .int()
      .min(1)
      .describe('Previous Marathon app versions kept per app for rollback (--max-versions).'),
    extraArgs: z
      .array(z.string())
      .describe('More operator flags, e.g. ["--max-retries=10"]; see `dcos-operator run --help`.'),
  })
  .describe('Settings of the operator process (its command-line flags).');

const workloadIdentitySchema = z
  .strictObject({
    enabled: z
      .boolean()
      .describe(
        'Use Microsoft Entra Workload ID: labels the pod azure.workload.identity/use and annotates the service account.',
      ),
    clientId: z
      .string()
      .regex(UUID_OR_EMPTY, 'expected a UUID or empty')
      .describe('Client id of the managed identity or app registration; required when enabled.'),
    tenantId: z
      .string()
      .regex(UUID_OR_EMPTY, 'expected a UUID or empty')
      .describe('Tenant id; empty means the tenant of the cluster.'),
  })
  .describe('Azure Workload Identity for the operator service account.');

const azureSchema = z
  .strictObject({
    subscriptionId: z
      .string()
      .regex(UUID_OR_EMPTY, 'expected a UUID or empty')
      .describe(
        'Default subscription of DcosClusters (provider aks) whose spec.target leaves it out (--azure-subscription-id).',
      ),
    resourceGroup: z
      .string()
      .max(90)
      .describe(
        'Default resource group of DcosClusters whose spec.target leaves it out (--azure-resource-group).',
      ),
    managedClusterName: z
      .string()
      .max(63)
      .describe(
        'Default AKS cluster of DcosClusters whose spec.target leaves it out (--azure-managed-cluster-name).',
      ),
    armEndpoint: z
      .string()
      .regex(/^https?:\/\/[^\s]+$/, 'expected an http(s) URL')
      .describe('Azure Resource Manager endpoint (--arm-endpoint).'),
    workloadIdentity: workloadIdentitySchema,
  })
  .describe('Azure settings for DcosClusters with provider aks.');

const resourceQuantities = z
  .record(z.string(), z.union([z.string(), z.number()]))
  .describe('Resource name to quantity, e.g. cpu: 100m, memory: 256Mi.');

export const chartValuesSchema = z
  .strictObject({
    global: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('Global values a parent chart passes down; not used by this chart.'),
    replicaCount: z
      .int()
      .min(1, 'replicaCount must be at least 1')
      .describe(
        'Operator replicas; one leads, the others stand by (2 or more needs leaderElection.enabled).',
      ),
    image: imageSchema,
    imagePullSecrets: z
      .array(z.strictObject({ name: z.string().min(1) }))
      .describe('Secrets for pulling the operator image, e.g. [{name: regcred}].'),
    nameOverride: z.string().max(63).describe('Replaces the chart name in resource names.'),
    fullnameOverride: z.string().max(63).describe('Replaces the full name (release-chart) of resources.'),
    crds: z
      .strictObject({
        install: z
          .boolean()
          .describe(
            'Install and upgrade the CRDs with the release; they are kept on uninstall (helm.sh/resource-policy: keep).',
          ),
      })
      .describe('CustomResourceDefinitions of dcos-operator.dev.'),
    watchNamespace: z
      .string()
      .regex(NAMESPACE_OR_EMPTY, 'expected a namespace name or empty')
      .max(63)
      .describe(
        'Only reconcile objects in this namespace (namespaced RBAC there); empty means all namespaces.',
      ),
    leaderElection: leaderElectionSchema,
    operator: operatorSchema,
    azure: azureSchema,
    api: z
      .strictObject({
        enabled: z
          .boolean()
          .describe(
            'Serve the Marathon and Cosmos REST APIs on the http port (--api); callers send a Kubernetes token, checked by TokenReview and authorized per call by SubjectAccessReview.',
          ),
        namespace: z
          .string()
          .regex(NAMESPACE_OR_EMPTY, 'expected a namespace name or empty')
          .max(63)
          .describe(
            'Namespace of the MarathonApps and UniversePackages the APIs create (--api-namespace); empty: watchNamespace, else "marathon". It must exist.',
          ),
      })
      .describe('The Marathon and Cosmos REST APIs.'),
    localProvider: z
      .strictObject({
        enabled: z
          .boolean()
          .describe(
            'Grant what DcosClusters with provider local (the built-in AKS emulator) need: patch and delete on nodes, as the operator creates and deletes kwok Nodes for them.',
          ),
      })
      .describe('The built-in AKS emulator (provider local), for tests and demos.'),
    serviceAccount: z
      .strictObject({
        create: z.boolean().describe('Create the service account.'),
        name: z.string().describe('Its name; empty means the full name.'),
        annotations: stringMap('Annotations of the service account.'),
      })
      .describe('The operator service account.'),
    service: z
      .strictObject({
        type: z.enum(['ClusterIP', 'NodePort', 'LoadBalancer']).describe('Service type.'),
        port: z.int().min(1).max(65535).describe('Service port of http (health, metrics, Marathon API).'),
      })
      .describe('The Service in front of the operator HTTP port.'),
    serviceMonitor: z
      .strictObject({
        enabled: z
          .boolean()
          .describe('Create a Prometheus Operator ServiceMonitor (only if its CRD is installed).'),
        interval: z
          .string()
          .regex(PROMETHEUS_DURATION_PATTERN, 'expected a Prometheus duration such as 30s or 1m')
          .describe('Scrape interval.'),
        labels: stringMap('Extra labels, e.g. the release label your Prometheus selects.'),
      })
      .describe('Prometheus scraping of /metrics.'),
    resources: z
      .strictObject({
        requests: resourceQuantities.optional(),
        limits: resourceQuantities.optional(),
      })
      .describe('Resource requests and limits of the operator container.'),
    heapMb: z
      .int()
      .min(64, 'heapMb must be at least 64')
      .max(4096, 'heapMb must be at most 4096')
      .describe(
        'V8 old-space limit in MiB (NODE_OPTIONS --max-old-space-size); keep it below the memory limit.',
      ),
    podDisruptionBudget: z
      .strictObject({
        enabled: z.boolean().describe('Create a PodDisruptionBudget (only when replicaCount > 1).'),
        minAvailable: z
          .union([z.int().min(0), z.string().regex(/^[0-9]+%$/, 'expected a count or a percentage')])
          .describe('Replicas that must stay available during voluntary disruptions.'),
      })
      .describe('PodDisruptionBudget of the operator.'),
    topologySpreadConstraints: z
      .strictObject({
        enabled: z
          .boolean()
          .describe('Spread replicas over nodes and zones (ScheduleAnyway: a preference, not a rule).'),
        maxSkew: z.int().min(1).describe('Allowed replica difference between nodes, and between zones.'),
      })
      .describe('Topology spread of the replicas.'),
    nodeSelector: stringMap('Node labels the operator pods require.'),
    tolerations: z.array(z.looseObject({})).describe('Tolerations of the operator pods.'),
    affinity: z.looseObject({}).describe('Affinity of the operator pods.'),
    podAnnotations: stringMap('Extra annotations of the operator pods.'),
    podLabels: stringMap('Extra labels of the operator pods.'),
    priorityClassName: z.string().describe('PriorityClass of the operator pods.'),
  })
  .meta({ title: 'dcos-operator chart values' })
  .describe('Values of the dcos-operator Helm chart.');

export type ChartValues = z.input<typeof chartValuesSchema>;

/** The values schema as JSON Schema draft-07 (what Helm validates values against). */
export function chartValuesJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(chartValuesSchema, { target: 'draft-07', io: 'input' });
}

/** The content of values.schema.json: pretty JSON with a trailing newline. */
export function renderValuesSchemaJson(): string {
  return JSON.stringify(chartValuesJsonSchema(), null, 2) + '\n';
}
