// Status of a MarathonApp: Marathon's own app status fields (what GET /v2/apps/{id} showed) plus kstatus.
import { z } from 'zod';
import { statusBaseSchema } from './conditions.ts';

const count = (what: string) => z.int32().min(0).optional().describe(what);
const timestamp = (what: string) => z.string().max(64).optional().describe(what);

export const marathonAppStatusSchema = statusBaseSchema
  .extend({
    appId: z
      .string()
      .max(512)
      .optional()
      .describe('The Marathon app id (spec.id, or derived from namespace/name).'),
    instances: count('Instances that currently exist; the scale subresource reports it as replicas.'),
    tasksRunning: count('Instances running.'),
    tasksHealthy: count('Running instances whose health checks pass.'),
    tasksUnhealthy: count('Running instances with a failing health check.'),
    tasksStaged: count('Instances being started (queued, pulling or initialising).'),
    selector: z
      .string()
      .optional()
      .describe("Label selector of the app's pods in string form, for the scale subresource (HPA, KEDA)."),
    version: timestamp('Marathon version: when the app last changed (definition or instance count).'),
    versionInfo: z
      .object({
        lastScalingAt: timestamp('Last change of the definition or of the instance count.'),
        lastConfigChangeAt: timestamp('Last change of the definition (the version pods run).'),
      })
      .optional()
      .describe("Marathon's versionInfo: when the app was last scaled and last reconfigured."),
    configHash: z.string().max(64).optional().describe('Hash of the definition without instances.'),
    targetInstances: count('Instance count the current version was computed for.'),
    deployments: z
      .array(
        z.object({
          id: z.string().max(64).describe('Marathon deployment id.'),
          version: timestamp('Version being deployed.'),
          desired: count('Instances wanted.'),
          updated: count('Instances of the new version.'),
          ready: count('Instances of the new version that are ready.'),
          progress: z.string().max(1024).optional().describe('What the rollout is doing.'),
        }),
      )
      .max(16)
      .optional()
      .describe('Deployments (rollouts) in progress; empty when the app is deployed.'),
    lastTaskFailure: z
      .object({
        appId: z.string().max(512).optional(),
        host: z.string().max(512).optional(),
        message: z.string().max(4096).optional(),
        state: z.string().max(64).optional(),
        taskId: z.string().max(1024).optional(),
        timestamp: z.string().max(64).optional(),
        version: z.string().max(64).optional(),
        slaveId: z.string().max(512).optional(),
      })
      .optional()
      .describe("The most recent task failure, in Marathon's shape."),
    notes: z
      .array(
        z.object({
          path: z.string().max(1024).describe('Marathon field, e.g. /healthChecks(1).'),
          kind: z.enum(['approximated', 'ignored', 'enforced']),
          message: z.string().max(2048),
        }),
      )
      .max(200)
      .optional()
      .describe('Fields whose Kubernetes form is not exact, and what the operator does instead.'),
  })
  .describe('Observed state of the app, written by the operator.');

export type MarathonAppStatus = z.output<typeof marathonAppStatusSchema>;
