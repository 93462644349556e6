// The MarathonApp resource: a Marathon app definition (Marathon's own field names) run as Kubernetes workloads.
// This version types and validates the core fields; every other Marathon field is kept as sent, never pruned.
import type { V1ObjectMeta } from '@kubernetes/client-node';
import { z } from 'zod';
import { withRules } from './cel.ts';
import { statusBaseSchema } from './conditions.ts';
import { defineResource, type ResourceDefinition } from './crd.ts';
import type { API_GROUP_VERSION } from './group.ts';
import { appConstraintsSchema } from './marathon-constraints.ts';
import { parseMarathon, type ParseResult } from './marathon-errors.ts';
import { pathIdSchema } from './marathon-path-id.ts';

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const envValueSchema = z
  .union([z.string(), z.object({ secret: z.string().min(1).describe('Name of an entry in secrets.') })], {
    error: 'must be a string or an object {"secret": "<name of an entry in secrets>"}',
  })
  .describe('A value, or {"secret": "<name>"} to take it from an entry of secrets.');

const containerSchema = z
  .object({
    docker: z
      .object({})
      .loose()
      .optional()
      .describe('Docker image settings (image, forcePullImage, parameters, ...). Kept as sent for now.'),
    appc: z
      .object({})
      .loose()
      .optional()
      .describe('App Container (appc) image settings. Kept as sent for now.'),
  })
  .loose()
  .describe(
    'Container settings: type (DOCKER, the default, or MESOS), docker, volumes, portMappings, ... ' +
      'Kept as sent for now.',
  );

const hasCmd = (s: { cmd?: unknown }): boolean => typeof s.cmd === 'string';
const hasArgs = (s: { args?: unknown }): boolean => Array.isArray(s.args) && s.args.length > 0;
const hasImage = (s: { container?: unknown }): boolean =>
  isRecord(s.container) && (isRecord(s.container.docker) || isRecord(s.container.appc));

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
      instances: z
        .int32()
        .min(0)
        .default(1)
        .describe('Number of instances to run; 0 suspends the app. Changed by kubectl scale. Default 1.'),
      cpus: z.number().min(0).default(1).describe('CPU shares per instance; fractions allowed. Default 1.'),
      mem: z.number().min(0).default(128).describe('Memory per instance in MiB. Default 128.'),
      disk: z.number().min(0).default(0).describe('Scratch disk space per instance in MiB. Default 0.'),
      gpus: z.int32().min(0).default(0).describe('GPUs per instance. Default 0.'),
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
      labels: z
        .record(z.string(), z.string())
        .optional()
        .describe('Free-form string labels (HAPROXY_*, DCOS_* and others are read by tools).'),
      container: containerSchema.optional(),
      constraints: appConstraintsSchema.optional(),
    })
    .loose()
    .describe(
      'A Marathon app definition, with Marathon field names and defaults. Fields not listed here ' +
        '(portDefinitions, healthChecks, upgradeStrategy, ...) are kept as sent.',
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

const count = (what: string) => z.int32().min(0).optional().describe(what);

export const marathonAppStatusSchema = statusBaseSchema
  .extend({
    instances: count('Instances that currently exist; the scale subresource reports it as replicas.'),
    tasksRunning: count('Instances running.'),
    tasksHealthy: count('Instances whose health checks all pass.'),
    tasksUnhealthy: count('Instances with a failing health check.'),
    tasksStaged: count('Instances being started (pending or initialising).'),
    selector: z
      .string()
      .optional()
      .describe("Label selector of the app's pods in string form, for the scale subresource (HPA, KEDA)."),
  })
  .describe('Observed state of the app, written by the operator.');

export type MarathonAppStatus = z.output<typeof marathonAppStatusSchema>;

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
    { name: 'Reason', type: 'string', jsonPath: `${readyCondition}.reason`, description: 'Why (not) ready.' },
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
