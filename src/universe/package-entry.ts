// One Universe package revision as a repository index carries it (Cosmos's v4 model): package.json's fields
// plus releaseVersion (the revision folder), the base64 Marathon template, config.json, resource.json and,
// up to packaging 3.0, command.json. Indexes write absent optional fields as null; they are read as absent.
import { z } from 'zod';

export const PACKAGING_VERSIONS = ['2.0', '3.0', '4.0', '5.0'] as const;
export type PackagingVersion = (typeof PACKAGING_VERSIONS)[number];

const optionalString = z.string().nullish();
const stringList = z.array(z.string()).nullish();

export const packageEntrySchema = z
  .object({
    /** Absent in the oldest packages: 2.0, as Universe's validator assumed. */
    packagingVersion: z.enum(PACKAGING_VERSIONS).nullish(),
    name: z.string().regex(/^[a-z][a-z0-9-]*[a-z0-9]$|^[a-z]$/, 'must be a lower-case package name'),
    version: z.string().min(1),
    releaseVersion: z.number().int().min(0),
    maintainer: z.string().nullish(),
    description: z.string().nullish(),
    tags: stringList,
    selected: z.boolean().nullish(),
    framework: z.boolean().nullish(),
    scm: optionalString,
    website: optionalString,
    preInstallNotes: optionalString,
    postInstallNotes: optionalString,
    postUninstallNotes: optionalString,
    licenses: z.array(z.object({ name: z.string(), url: z.string() }).loose()).nullish(),
    minDcosReleaseVersion: optionalString,
    hasKnownIssues: z.boolean().nullish(),
    lastUpdated: z.number().nullish(),
    upgradesFrom: stringList,
    downgradesTo: stringList,
    manager: z.object({ packageName: z.string(), minPackageVersion: z.string().nullish() }).loose().nullish(),
    /** Base64 of marathon.json.mustache. */
    marathon: z.object({ v2AppMustacheTemplate: z.string() }).loose().nullish(),
    config: z.record(z.string(), z.unknown()).nullish(),
    resource: z.record(z.string(), z.unknown()).nullish(),
    command: z
      .object({ pip: z.array(z.string()) })
      .loose()
      .nullish(),
    /** Packaging 2.0 kept images here as well as in resource.json. */
    images: z.record(z.string(), z.unknown()).nullish(),
  })
  .loose();

export type PackageEntry = z.infer<typeof packageEntrySchema>;

/** The entry's packaging version; packages without one are 2.0. */
export function packagingVersionOf(entry: Pick<PackageEntry, 'packagingVersion'>): PackagingVersion {
  return entry.packagingVersion ?? '2.0';
}

/** The Marathon template as text, or undefined for CLI-only packages. */
export function marathonTemplateOf(entry: Pick<PackageEntry, 'marathon'>): string | undefined {
  const b64 = entry.marathon?.v2AppMustacheTemplate;
  return typeof b64 === 'string' ? Buffer.from(b64, 'base64').toString('utf8') : undefined;
}

/** A copy without null members (how Cosmos prints JSON: nulls dropped). */
export function withoutNulls<T>(value: T): T {
  if (Array.isArray(value)) return (value as unknown[]).map((v) => withoutNulls(v)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = withoutNulls(v);
    return out as T;
  }
  return value;
}
