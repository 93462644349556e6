// The UniversePackage resource: `dcos package install NAME [--package-version V] --options FILE`, as an
// object. The operator renders the package the way Cosmos did and owns the one MarathonApp it yields.
import { z } from 'zod';
import { statusBaseSchema } from './conditions.ts';
import { defineResource, type ResourceDefinition } from './crd.ts';

export const PACKAGE_NAME = /^[a-z][a-z0-9-]*[a-z0-9]$/;
export const RENDERING_MODES = ['modern', 'legacy'] as const;

export const universePackageSpecSchema = z
  .object({
    packageName: z
      .string()
      .min(2)
      .max(128)
      .regex(PACKAGE_NAME)
      .describe('Universe package name, as in `dcos package install NAME` (nginx, marathon-lb, …).'),
    packageVersion: z
      .string()
      .min(1)
      .max(128)
      .optional()
      .describe(
        'Package version. Absent: the newest one at install time, kept afterwards. Changing it upgrades or ' +
          'downgrades only where the package allows it (upgradesFrom / downgradesTo).',
      ),
    repository: z
      .string()
      .min(1)
      .max(253)
      .optional()
      .describe('Name of the UniverseRepository to take the package from. Absent: all, by priority.'),
    options: z
      .record(z.string(), z.unknown())
      .optional()
      .describe(
        'The options JSON of `--options=FILE`, validated against the package’s config.json and merged with its ' +
          'defaults.',
      ),
    serviceName: z
      .string()
      .min(1)
      .max(200)
      .regex(/^\/?[a-z0-9]([a-z0-9.-]*[a-z0-9])?(\/[a-z0-9]([a-z0-9.-]*[a-z0-9])?)*$/)
      .optional()
      .describe(
        'Service name of a multi-instance install: the Marathon app id (Cosmos’s appId) and, for packages ' +
          'with a service.name option the options leave unset, that option.',
      ),
    rendering: z
      .enum(RENDERING_MODES)
      .default('modern')
      .describe(
        'modern: DC/OS 1.10+ template rendering (strings JSON-escaped, no HTML escaping); legacy: DC/OS ≤ 1.9 ' +
          '(HTML-escaped {{x}}, raw {{{x}}}) for packages written for it.',
      ),
    runFrameworkScheduler: z
      .boolean()
      .default(false)
      .describe(
        'Deploy the app of a Mesos framework package (its scheduler) even though, without a Mesos master, it ' +
          'launches nothing. Default: such packages are not deployed and the object says why.',
      ),
  })
  .describe('A Universe package install: which package, which version, which options.');

export type UniversePackageSpec = z.output<typeof universePackageSpecSchema>;

export const universePackageStatusSchema = statusBaseSchema
  .extend({
    packageVersion: z.string().max(128).optional().describe('Installed package version.'),
    releaseVersion: z.int().min(0).optional().describe('Installed package revision (releaseVersion).'),
    repository: z
      .object({ name: z.string().max(253), uri: z.string().max(4096) })
      .optional()
      .describe('Repository the installed package came from.'),
    appId: z.string().max(1024).optional().describe('Marathon id of the installed app.'),
    marathonApp: z.string().max(253).optional().describe('Name of the MarathonApp the install created.'),
    kind: z
      .enum(['app', 'framework', 'sdk-framework', 'cli-only'])
      .optional()
      .describe('app: a plain Marathon app; framework / sdk-framework: a Mesos framework scheduler.'),
    postInstallNotes: z.string().max(16384).optional().describe('The package’s postInstallNotes.'),
    appGeneration: z
      .int()
      .min(0)
      .optional()
      .describe('metadata.generation of the MarathonApp as the operator last applied it (drift detection).'),
  })
  .describe('Observed state of the install, written by the operator.');

export type UniversePackageStatus = z.output<typeof universePackageStatusSchema>;

const readyCondition = ".status.conditions[?(@.type=='Ready')]";

export const universePackageResource: ResourceDefinition = defineResource({
  kind: 'UniversePackage',
  plural: 'universepackages',
  singular: 'universepackage',
  shortNames: ['upkg'],
  scope: 'Namespaced',
  description:
    'UniversePackage installs a DC/OS Universe package the way Cosmos did: options validated against its ' +
    'config.json, marathon.json.mustache rendered, and the resulting Marathon app run as an owned MarathonApp.',
  spec: universePackageSpecSchema,
  status: universePackageStatusSchema,
  printerColumns: [
    { name: 'Package', type: 'string', jsonPath: '.spec.packageName' },
    { name: 'Version', type: 'string', jsonPath: '.status.packageVersion' },
    { name: 'App', type: 'string', jsonPath: '.status.appId' },
    { name: 'Ready', type: 'string', jsonPath: `${readyCondition}.status` },
    { name: 'Status', type: 'string', jsonPath: `${readyCondition}.reason` },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
});
