// The UniverseRepository resource: `dcos package repo add NAME URI`, as a cluster-scoped object.
import { z } from 'zod';
import { statusBaseSchema } from './conditions.ts';
import { defineResource, type ResourceDefinition } from './crd.ts';

/** The catalog shipped inside the operator. */
export const BUILTIN_URI = 'builtin';
export const REPOSITORY_URI = /^(builtin|https?:\/\/\S+|file:\/\/\S+|\/\S*)$/;

export const universeRepositorySpecSchema = z
  .object({
    uri: z
      .string()
      .min(1)
      .max(4096)
      .regex(REPOSITORY_URI)
      .describe(
        'Where the repository is: an http(s) URL serving a Universe index (v3, v4 or v5 JSON), a file:// URL ' +
          'or absolute path in the operator’s file system (an index file or a Universe directory, for ' +
          'air-gapped clusters), or `builtin` for the catalog shipped with the operator.',
      ),
    priority: z
      .int32()
      .default(0)
      .describe(
        'Search order: higher first (ties by name). When two repositories have the same package version, ' +
          'the higher one wins; a package’s default version is the newest of the highest repository having it.',
      ),
  })
  .describe('A Universe package repository.');

export type UniverseRepositorySpec = z.output<typeof universeRepositorySpecSchema>;

export const universeRepositoryStatusSchema = statusBaseSchema
  .extend({
    format: z
      .enum(['v3', 'v4', 'v5', 'v2-summary', 'directory', 'builtin'])
      .optional()
      .describe('What the URI served.'),
    packages: z.int().min(0).optional().describe('Distinct packages in the repository.'),
    revisions: z
      .int()
      .min(0)
      .optional()
      .describe('Package revisions (name, releaseVersion) in the repository.'),
    digest: z.string().max(80).optional().describe('SHA-256 of the loaded content; changes when it does.'),
    warnings: z
      .array(z.string().max(1024))
      .max(20)
      .optional()
      .describe('Entries that were skipped, and why.'),
  })
  .describe('Observed state of the repository, written by the operator.');

export type UniverseRepositoryStatus = z.output<typeof universeRepositoryStatusSchema>;

const readyCondition = ".status.conditions[?(@.type=='Ready')]";

export const universeRepositoryResource: ResourceDefinition = defineResource({
  kind: 'UniverseRepository',
  plural: 'universerepositories',
  singular: 'universerepository',
  shortNames: ['urepo'],
  scope: 'Cluster',
  description:
    'UniverseRepository is a package repository UniversePackages install from, like `dcos package repo add`. ' +
    'With none defined, the operator’s built-in catalog is used.',
  spec: universeRepositorySpecSchema,
  status: universeRepositoryStatusSchema,
  printerColumns: [
    { name: 'URI', type: 'string', jsonPath: '.spec.uri' },
    { name: 'Priority', type: 'integer', jsonPath: '.spec.priority' },
    { name: 'Packages', type: 'integer', jsonPath: '.status.packages' },
    { name: 'Ready', type: 'string', jsonPath: `${readyCondition}.status` },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
});
