// The MarathonApp resource: a Marathon app definition (Marathon's own field names) run as Kubernetes workloads.
// The schema types Marathon's fields (what the API server can check); fields it does not know are kept as sent,
// never pruned. Cross-field rules and defaults live in src/marathon (validate.ts, normalize.ts).
import type { V1ObjectMeta } from '@kubernetes/client-node';
import { z } from 'zod';
import { withRules } from './cel.ts';
import { marathonAppStatusSchema } from './marathon-app-status.ts';
import type { MarathonAppStatus } from './marathon-app-status.ts';
import { defineResource, type ResourceDefinition } from './crd.ts';
import type { API_GROUP_VERSION } from './group.ts';
import {
  appConstraintSchema,
  CONSTRAINT_OPERATORS,
  MAX_CONSTRAINT_PART_LENGTH,
  MAX_CONSTRAINTS,
} from './marathon-constraints.ts';
import { marathonMessage, parseMarathon, type ParseResult } from './marathon-errors.ts';
import { pathIdSchema } from './marathon-path-id.ts';

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

// Marathon's RAML types (docs/docs/rest-api/public/api/v2/types). Every object is loose: legacy and misplaced
// fields (container.forcePullImage, docker.requirePorts, ...) paste in unchanged and are kept as sent.
// Defaults live in normalize (src/marathon/normalize.ts), not here, so that the parsed spec is what was sent.

/** strings.LegacyName: port and port-mapping names. */
const LEGACY_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** strings.NetworkName. */
const NETWORK_NAME = /^[a-z0-9]([-a-z0-9_]*[a-z0-9])?$/;
/** app.raml's executor pattern, anchored as Java's matches() reads it (the original relies on full matching). */
const EXECUTOR = /^(?:\/\/cmd|\/?[^/]+(?:\/[^/]+)*)?$/;
const EXECUTOR_MESSAGE = "must fully match regular expression '^(//cmd)|(/?[^/]+(/[^/]+)*)|$'";

const port = (what: string) => z.int32().min(0).max(65535).describe(what);
const seconds = (what: string) => z.int32().min(0).describe(what);
const labelsSchema = z.record(z.string(), z.string());
const protocolSchema = z
  .enum(['tcp', 'udp', 'udp,tcp'])
  .describe('tcp (default), udp, or "udp,tcp" for both.');
const legacyName = (what: string) => z.string().regex(LEGACY_NAME).describe(what);

const envValueSchema = z
  .union([z.string(), z.object({ secret: z.string().min(1).describe('Name of an entry in secrets.') })], {
    error: 'must be a string or an object {"secret": "<name of an entry in secrets>"}',
  })
  .describe('A value, or {"secret": "<name>"} to take it from an entry of secrets.');

const portMappingSchema = z
  .object({
    containerPort: port('Port the app listens on in the container; 0 (default) means the same as hostPort.'),
    hostPort: port('Host port; 0 picks a random one. Bridge mode defaults to 0; container mode to none.'),
    servicePort: port('Load-balancer port; 0 (default) assigns one from 10000 upward.'),
    protocol: protocolSchema,
    name: legacyName('Name of the port (unique in the app); also gives the PORT_<NAME> variable.'),
    labels: labelsSchema.describe('Port labels (VIP_0, ...).'),
    networkNames: z
      .array(z.string())
      .describe('Container networks this mapping applies to (required with hostPort and several networks).'),
  })
  .partial()
  .loose()
  .describe('A port of a container on a bridge or container network.');

const portMappingsSchema = z
  .array(portMappingSchema)
  .describe(
    'Ports of a container on a bridge or container network. Absent: one default port; [] means none.',
  );

const dockerSchema = z
  .object({
    image: z.string().min(1, 'must not be empty').describe('The Docker image to run.'),
    forcePullImage: z.boolean().optional().describe('Pull the image on every start (default false).'),
    privileged: z.boolean().optional().describe('Run privileged (DOCKER containerizer only; default false).'),
    parameters: z
      .array(
        z
          .object({ key: z.string().min(1, 'must not be empty'), value: z.string() })
          .loose()
          .describe('A raw docker run option: --<key>=<value>.'),
      )
      .optional()
      .describe('Raw docker run options.'),
    network: z
      .enum(['BRIDGE', 'HOST', 'NONE', 'USER'])
      .optional()
      .describe('Deprecated (use networks): HOST, BRIDGE or USER.'),
    portMappings: portMappingsSchema.optional().describe('Deprecated: use container.portMappings.'),
    pullConfig: z
      .object({
        secret: z.string().min(1).describe('Name of an entry in secrets holding a docker config.json.'),
      })
      .loose()
      .optional()
      .describe('Registry credentials for the Mesos containerizer, from a secret.'),
    credential: z
      .object({ principal: z.string(), secret: z.string().optional() })
      .loose()
      .optional()
      .describe('Deprecated registry credential (principal and secret).'),
  })
  .loose()
  .describe('Docker image settings.');

const persistentSchema = z
  .object({
    type: z.enum(['root', 'path', 'mount']).optional().describe('Mesos disk type; root by default.'),
    size: z.int().min(0).describe('Size in MiB.'),
    maxSize: z.int().min(0).optional().describe('Largest mount disk to accept, in MiB (mount volumes only).'),
    profileName: z.string().optional().describe('Storage profile the volume must come from.'),
    constraints: z.array(z.array(z.string())).optional().describe('Constraints on the disk path.'),
  })
  .loose()
  .describe('A local persistent volume; makes the app resident.');

const volumeSchema = z
  .object({
    containerPath: z
      .string()
      .min(1, 'must not be empty')
      .describe('Where the volume appears in the container (relative: in the sandbox).'),
    hostPath: z.string().min(1, 'must not be empty').optional().describe('Host volume: a path on the node.'),
    mode: z.enum(['RO', 'RW']).optional().describe('RO or RW.'),
    persistent: persistentSchema.optional(),
    external: z
      .object({
        name: z.string().min(1, 'must not be empty').describe('Name of the volume.'),
        provider: z.string().min(1, 'must not be empty').describe('dvdi or csi.'),
        size: z.int().min(0).optional().describe('Size in GiB.'),
        options: z.object({}).loose().optional().describe('Provider options.'),
        shared: z.boolean().optional().describe('Several apps may use the volume.'),
      })
      .loose()
      .optional()
      .describe('An external (network) volume.'),
    secret: z.string().min(1).optional().describe('Secret volume: the name of an entry in secrets.'),
  })
  .loose()
  .describe('A host, persistent, external or secret volume.');

const containerSchema = z
  .object({
    type: z
      .enum(['DOCKER', 'MESOS', 'APPC'])
      .optional()
      .describe('DOCKER (default) or MESOS (the Mesos containerizer, which may also run a Docker image).'),
    docker: dockerSchema.optional(),
    appc: z
      .object({ image: z.string().min(1, 'must not be empty').describe('The image to run.') })
      .loose()
      .optional()
      .describe('App Container (appc) image settings.'),
    volumes: z.array(volumeSchema).optional().describe('Volumes of the container.'),
    portMappings: portMappingsSchema.optional(),
    linuxInfo: z
      .object({
        seccomp: z
          .object({ profileName: z.string().optional(), unconfined: z.boolean().optional() })
          .loose()
          .optional(),
        ipcInfo: z
          .object({
            mode: z.enum(['PRIVATE', 'SHARE_PARENT']).optional(),
            shmSize: z.int32().min(0).optional(),
          })
          .loose()
          .optional(),
      })
      .loose()
      .optional()
      .describe('Linux settings: seccomp and IPC.'),
  })
  .loose()
  .describe('Container settings: type, docker, volumes, portMappings, linuxInfo.');

const healthCheckSchema = z
  .object({
    protocol: z
      .enum(['HTTP', 'HTTPS', 'TCP', 'COMMAND', 'MESOS_HTTP', 'MESOS_HTTPS', 'MESOS_TCP'])
      .describe('HTTP (default), HTTPS, TCP, COMMAND, MESOS_HTTP, MESOS_HTTPS or MESOS_TCP.'),
    path: z.string().describe('HTTP(S) path; / by default.'),
    portIndex: port('Index into the app ports; 0 when neither port nor portIndex is given.'),
    port: port('A fixed port to check.'),
    command: z
      .object({ value: z.string().describe('Shell command; exit code 0 means healthy.') })
      .loose()
      .describe('COMMAND checks: the command to run.'),
    gracePeriodSeconds: seconds('Failures are ignored this long after start (default 300).'),
    intervalSeconds: seconds('Time between checks (default 60).'),
    timeoutSeconds: seconds('Time a check may take (default 20).'),
    maxConsecutiveFailures: seconds('Failures before the instance is killed; 0 never kills (default 3).'),
    delaySeconds: seconds('Mesos checks: time before the first check (default 15).'),
    ignoreHttp1xx: z.boolean().describe('Ignore 1xx answers.'),
    ipProtocol: z.enum(['IPv4', 'IPv6']).describe('IPv4 (default) or IPv6.'),
  })
  .partial()
  .loose()
  .describe('A health check.');

const readinessCheckSchema = z
  .object({
    name: z.string().min(1).describe('Name of the check (default readinessCheck).'),
    protocol: z.enum(['HTTP', 'HTTPS']).describe('HTTP (default) or HTTPS.'),
    path: z.string().min(1).max(1024).describe('Path to query (default /).'),
    portName: legacyName('Name of the port to query (default http-api).'),
    intervalSeconds: seconds('Time between checks (default 30).'),
    timeoutSeconds: z
      .int32()
      .min(1)
      .describe('Time a check may take (default 10); less than intervalSeconds.'),
    httpStatusCodesForReady: z
      .array(z.int32().min(100).max(999))
      .min(1)
      .describe('Status codes that mean ready (default [200]).'),
    preserveLastResponse: z.boolean().describe('Keep the last response for the deployment status.'),
  })
  .partial()
  .loose()
  .describe('A readiness check, used while a deployment replaces instances.');

const objectConstraintSchema = z
  .object({
    fieldName: z.string().max(MAX_CONSTRAINT_PART_LENGTH),
    operator: z.string().max(MAX_CONSTRAINT_PART_LENGTH),
    value: z.string().max(MAX_CONSTRAINT_PART_LENGTH).optional(),
  })
  .loose();

const CONSTRAINT_FORM_MESSAGE =
  'must be an array [field, OPERATOR, value?] or an object {"fieldName", "operator", "value"}';

/**
 * A constraint in either form. The API server cannot type an array-or-object value, so the CRD keeps it as
 * sent (x-kubernetes-preserve-unknown-fields) and only this runtime check applies Marathon's rules.
 */
const constraintSchema = z
  .unknown()
  .superRefine((value, ctx) => {
    const forward = (issues: readonly z.core.$ZodIssue[], map: (p: PropertyKey[]) => PropertyKey[]) => {
      for (const issue of issues) {
        ctx.addIssue({ code: 'custom', message: issue.message, path: map(issue.path), input: value });
      }
    };
    if (Array.isArray(value)) {
      const r = appConstraintSchema.safeParse(value, { error: marathonMessage });
      if (!r.success) forward(r.error.issues, (p) => p);
      return;
    }
    if (!isRecord(value)) {
      ctx.addIssue({ code: 'custom', message: CONSTRAINT_FORM_MESSAGE, input: value });
      return;
    }
    const o = objectConstraintSchema.safeParse(value, { error: marathonMessage });
    if (!o.success) return forward(o.error.issues, (p) => p);
    const { fieldName, operator, value: v } = o.data;
    const r = appConstraintSchema.safeParse([fieldName, operator, ...(v === undefined ? [] : [v])], {
      error: marathonMessage,
    });
    const fields = ['fieldName', 'operator', 'value'];
    if (!r.success)
      forward(r.error.issues, (p) => p.map((s) => (typeof s === 'number' ? (fields[s] ?? s) : s)));
  })
  .describe(
    'A placement rule: [field, OPERATOR] or [field, OPERATOR, value], or {"fieldName", "operator", "value"}. ' +
      'field is hostname, @hostname, @region, @zone or an agent attribute (a node label); OPERATOR is one of ' +
      `${CONSTRAINT_OPERATORS.join(', ')} (any case).`,
  );

const unitInterval = (what: string) =>
  z.number().min(0, 'is less than 0').max(1, 'is greater than 1').describe(what);

const resourceLimitSchema = z
  .union([z.number().min(0), z.literal('unlimited')], { error: 'must be a number or "unlimited"' })
  .describe('A limit, or "unlimited".');

const hasCmd = (s: { cmd?: unknown }): boolean => typeof s.cmd === 'string';
const hasArgs = (s: { args?: unknown }): boolean => Array.isArray(s.args) && s.args.length > 0;
const hasImage = (s: { container?: unknown }): boolean =>
  isRecord(s.container) && (isRecord(s.container.docker) || isRecord(s.container.appc));

/** Dependencies per app; bounds the cost of the id rule the API server runs on each. */
export const MAX_DEPENDENCIES = 128;

export const marathonAppSpecSchema = withRules(
  z
    .object({
      id: pathIdSchema
        .optional()
        .describe(
          'Marathon app id: a path such as /prod/web; relative ids are resolved against /. ' +
            'When omitted, the operator derives it from the namespace and name.',
        ),
      cmd: z
        .string()
        .min(1, 'must not be an empty string')
        .optional()
        .describe('Shell command, run as /bin/sh -c <cmd>. Mutually exclusive with args.'),
      args: z
        .array(z.string())
        .optional()
        .describe(
          'Command as an argument vector; with a container image it replaces the image CMD and keeps its ' +
            'ENTRYPOINT. Mutually exclusive with cmd.',
        ),
      user: z.string().optional().describe('Unix user the task runs as.'),
      instances: z
        .int32()
        .min(0)
        .default(1)
        .describe('Number of instances to run; 0 suspends the app. Changed by kubectl scale. Default 1.'),
      cpus: z
        .number()
        .min(0.001)
        .default(1)
        .describe('CPU shares per instance; fractions allowed. Default 1.'),
      mem: z.number().min(0).default(128).describe('Memory per instance in MiB. Default 128.'),
      disk: z.number().min(0).default(0).describe('Scratch disk space per instance in MiB. Default 0.'),
      gpus: z.int32().min(0).default(0).describe('GPUs per instance (Mesos containerizer only). Default 0.'),
      resourceLimits: z
        .object({ cpus: resourceLimitSchema.optional(), mem: resourceLimitSchema.optional() })
        .loose()
        .optional()
        .describe('Limits above the requested cpus and mem: a number or "unlimited".'),
      env: z
        .record(z.string(), envValueSchema)
        .optional()
        .describe(
          'Environment variables: NAME to a value, or to {"secret": "<name of an entry in secrets>"}.',
        ),
      secrets: z
        .record(
          z.string().min(1),
          z
            .object({
              source: z.string().min(1).describe('Where the secret comes from (a secret store path).'),
            })
            .loose(),
        )
        .optional()
        .describe('Secrets the app refers to by name (from env and volumes).'),
      labels: labelsSchema
        .optional()
        .describe('Free-form string labels (HAPROXY_*, DCOS_* and others are read by tools).'),
      container: containerSchema.optional(),
      networks: z
        .array(
          z
            .object({
              mode: z
                .enum(['host', 'container', 'container/bridge'])
                .optional()
                .describe('host, container (default) or container/bridge.'),
              name: z.string().max(63).regex(NETWORK_NAME).optional().describe('Container network name.'),
              labels: labelsSchema.optional().describe('Network labels.'),
            })
            .loose(),
        )
        .optional()
        .describe('Networks the task joins; [{"mode": "host"}] by default.'),
      portDefinitions: z
        .array(
          z
            .object({
              port: port('Service port; 0 (default) assigns one from 10000 upward.'),
              protocol: protocolSchema,
              name: legacyName('Name of the port (unique in the app).'),
              labels: labelsSchema.describe('Port labels (VIP_0, ...).'),
            })
            .partial()
            .loose(),
        )
        .optional()
        .describe('Ports of a host-network app. Absent: one default port; [] means none.'),
      ports: z
        .array(port('A service port; 0 assigns one.'))
        .optional()
        .describe('Deprecated: use portDefinitions.'),
      requirePorts: z
        .boolean()
        .optional()
        .describe('Host networking: use the given ports as host ports (default false).'),
      ipAddress: z
        .object({
          networkName: z.string().min(1).optional().describe('Network to join.'),
          groups: z.array(z.string()).optional().describe('Ignored.'),
          labels: labelsSchema.optional().describe('Network labels.'),
          discovery: z
            .object({
              ports: z
                .array(
                  z
                    .object({
                      number: port('Container port.'),
                      name: legacyName('Name of the port.'),
                      protocol: protocolSchema,
                      labels: labelsSchema,
                    })
                    .partial()
                    .loose(),
                )
                .optional(),
            })
            .loose()
            .optional()
            .describe('Ports the task exposes (Mesos containerizer only).'),
        })
        .loose()
        .optional()
        .describe('Deprecated (use networks): IP-per-task networking.'),
      healthChecks: z.array(healthCheckSchema).optional().describe('Health checks; all must pass.'),
      readinessChecks: z
        .array(readinessCheckSchema)
        .optional()
        .describe('At most one readiness check, used during deployments.'),
      check: z.object({}).loose().optional().describe('A Mesos check (informational); kept as sent.'),
      constraints: z
        .array(constraintSchema)
        .max(MAX_CONSTRAINTS)
        .optional()
        .describe('Placement constraints; all must hold for an instance to be placed on a node.'),
      acceptedResourceRoles: z
        .array(z.string().min(1))
        .min(1)
        .optional()
        .describe('Mesos roles whose resources the app may use; ["slave_public"] means the public agents.'),
      role: z.string().min(1).optional().describe('Mesos role to reserve resources with.'),
      upgradeStrategy: z
        .object({
          minimumHealthCapacity: unitInterval(
            'Share of instances kept healthy during an upgrade (default 1).',
          ),
          maximumOverCapacity: unitInterval(
            'Share of extra instances allowed during an upgrade (default 1).',
          ),
        })
        .partial()
        .loose()
        .optional()
        .describe('How instances are replaced: both values in [0, 1]; 0.5/0 for resident apps.'),
      unreachableStrategy: z
        .union(
          [
            z.literal('disabled'),
            z
              .object({
                inactiveAfterSeconds: z.int().min(0).optional(),
                expungeAfterSeconds: z.int().min(0).optional(),
              })
              .loose(),
          ],
          { error: 'must be "disabled" or an object {"inactiveAfterSeconds", "expungeAfterSeconds"}' },
        )
        .optional()
        .describe(
          '"disabled", or when to replace and forget instances on an unreachable node (default 0/0).',
        ),
      killSelection: z
        .enum(['YOUNGEST_FIRST', 'OLDEST_FIRST'])
        .optional()
        .describe('Which instances go first when scaling down (default YOUNGEST_FIRST).'),
      residency: z
        .object({
          relaunchEscalationTimeoutSeconds: z.int().min(0).optional(),
          taskLostBehavior: z.enum(['WAIT_FOREVER', 'RELAUNCH_AFTER_TIMEOUT']).optional(),
        })
        .loose()
        .optional()
        .describe('Deprecated, no effect: resident-task settings.'),
      backoffSeconds: seconds('Delay before relaunching a failed instance (default 1).').optional(),
      backoffFactor: z
        .number()
        .min(1)
        .optional()
        .describe('Factor applied to the delay after each failure (default 1.15).'),
      maxLaunchDelaySeconds: seconds('Largest relaunch delay (default 300).').optional(),
      fetch: z
        .array(
          z
            .object({
              uri: z.string().min(1).max(1024).describe('What to download.'),
              extract: z.boolean().optional().describe('Unpack archives (default true).'),
              executable: z.boolean().optional().describe('Make the file executable (default false).'),
              cache: z.boolean().optional().describe('Cache the download (default false).'),
              destPath: z.string().min(1).max(1024).optional().describe('File name in the sandbox.'),
            })
            .loose(),
        )
        .optional()
        .describe('Artifacts downloaded into the sandbox before the task starts.'),
      uris: z.array(z.string().min(1)).optional().describe('Deprecated: use fetch.'),
      dependencies: z
        .array(pathIdSchema)
        .max(MAX_DEPENDENCIES)
        .optional()
        .describe('Ids of apps or groups this app waits for (relative ids: against its group).'),
      taskKillGracePeriodSeconds: seconds('Time between SIGTERM and SIGKILL.').optional(),
      executor: z
        .string()
        .regex(EXECUTOR, EXECUTOR_MESSAGE)
        .optional()
        .describe('"" or "//cmd": the command executor; anything else is a custom executor.'),
      executorResources: z.object({}).loose().optional().describe('Resources of a custom executor.'),
      tty: z.boolean().optional().describe('Allocate a TTY.'),
    })
    .loose()
    .describe(
      "A Marathon app definition, with Marathon's field names and defaults. Fields not listed here are kept " +
        'as sent (and reported when Marathon does not know them).',
    ),
  [
    {
      cel: '!has(self.cmd) || !has(self.args) || size(self.args) == 0',
      message:
        "'cmd' and 'args' are mutually exclusive: give a shell command or an argument vector, not both",
      reason: 'FieldValueForbidden',
      fieldPath: '.args',
      holds: (s) => !(hasCmd(s) && hasArgs(s)),
    },
    {
      cel:
        'has(self.cmd) || (has(self.args) && size(self.args) > 0) || ' +
        '(has(self.container) && (has(self.container.docker) || has(self.container.appc)))',
      message: "AppDefinition must either contain one of 'cmd' or 'args', and/or a 'container'.",
      reason: 'FieldValueRequired',
      holds: (s) => hasCmd(s) || hasArgs(s) || hasImage(s),
    },
  ],
).superRefine((spec, ctx) => {
  // Only the runtime can check this one: env values are any JSON to the API server (string or object).
  if (!isRecord(spec.env)) return;
  const secrets = isRecord(spec.secrets) ? spec.secrets : {};
  for (const [name, value] of Object.entries(spec.env)) {
    if (isRecord(value) && typeof value.secret === 'string' && !Object.hasOwn(secrets, value.secret)) {
      ctx.addIssue({
        code: 'custom',
        message: `references an undefined secret named '${value.secret}'`,
        path: ['env', name, 'secret'],
        input: value.secret,
      });
    }
  }
});

/** The spec as parsed: Marathon defaults filled in, unknown Marathon fields kept. */
export type MarathonAppSpec = z.output<typeof marathonAppSpecSchema>;
/** The spec as written by users. */
export type MarathonAppSpecInput = z.input<typeof marathonAppSpecSchema>;

export { marathonAppStatusSchema } from './marathon-app-status.ts';
export type { MarathonAppStatus } from './marathon-app-status.ts';

export interface MarathonApp {
  apiVersion: typeof API_GROUP_VERSION;
  kind: 'MarathonApp';
  metadata: V1ObjectMeta;
  spec: MarathonAppSpecInput;
  status?: MarathonAppStatus;
}

const readyCondition = '.status.conditions[?(@.type=="Ready")]';

export const marathonAppResource: ResourceDefinition = defineResource({
  kind: 'MarathonApp',
  plural: 'marathonapps',
  singular: 'marathonapp',
  shortNames: ['mapp'],
  scope: 'Namespaced',
  description:
    'MarathonApp runs a Marathon (DC/OS) app definition on Kubernetes. spec is the app definition, with ' +
    "Marathon's field names, defaults and validation rules.",
  spec: marathonAppSpecSchema,
  status: marathonAppStatusSchema,
  printerColumns: [
    { name: 'Instances', type: 'integer', jsonPath: '.spec.instances', description: 'Desired instances.' },
    { name: 'Running', type: 'integer', jsonPath: '.status.tasksRunning', description: 'Running instances.' },
    { name: 'Healthy', type: 'integer', jsonPath: '.status.tasksHealthy', description: 'Healthy instances.' },
    { name: 'Ready', type: 'string', jsonPath: `${readyCondition}.status`, description: 'Ready condition.' },
    {
      name: 'Status',
      type: 'string',
      jsonPath: `${readyCondition}.reason`,
      description: 'Deployed, Deploying, …',
    },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
  scale: {
    specReplicasPath: '.spec.instances',
    statusReplicasPath: '.status.instances',
    labelSelectorPath: '.status.selector',
  },
});

/** Parses a MarathonApp spec (or a bare Marathon app definition), with Marathon-style per-field errors. */
export function parseMarathonAppSpec(input: unknown): ParseResult<MarathonAppSpec> {
  return parseMarathon(marathonAppSpecSchema, input);
}
