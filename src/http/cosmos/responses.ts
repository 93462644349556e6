// Response bodies of the Cosmos package API, shaped from catalog entries and install records as Cosmos
// printed them (nulls dropped). Pure functions; the handlers pick the version the client negotiated.
import { packageMetadata } from '../../universe/cosmos-labels.ts';
import type { PackageEntry } from '../../universe/package-entry.ts';
import { withoutNulls } from '../../universe/package-entry.ts';

/** A copy as it goes on the wire: null and undefined members dropped. */
const clean = <T>(value: T): T => JSON.parse(JSON.stringify(withoutNulls(value))) as T;

/** describe-response v3: the whole package definition (Cosmos's v4 model) under `package`. */
export function describeV3(entry: PackageEntry): { package: PackageEntry } {
  return { package: clean(entry) };
}

/** describe-response v2: the package flattened, without releaseVersion and the upgrade fields. */
export function describeV2(entry: PackageEntry): Record<string, unknown> {
  // The descriptive fields are the ones DCOS_PACKAGE_METADATA carries (without its images); describe
  // always had maintainer and description, if only empty.
  const { images: _images, ...described } = packageMetadata(entry);
  return clean({
    ...described,
    maintainer: entry.maintainer ?? '',
    description: entry.description ?? '',
    minDcosReleaseVersion: entry.minDcosReleaseVersion,
    marathon: entry.marathon,
    resource: entry.resource,
    config: entry.config,
    command: entry.command,
  });
}

export interface InstalledPackageInformation {
  packageDefinition: Record<string, unknown>;
  resourceDefinition?: { images: unknown };
}

/**
 * `packageInformation` of a list entry, from DCOS_PACKAGE_METADATA's content (package.json's descriptive
 * fields plus `images`): the fields as packageDefinition, the images as resourceDefinition.
 */
export function installedInformation(metadata: Record<string, unknown>): InstalledPackageInformation {
  const { images, ...fields } = metadata;
  const packageDefinition = clean({
    packagingVersion: fields.packagingVersion ?? '2.0',
    name: fields.name,
    version: fields.version,
    maintainer: fields.maintainer ?? '',
    description: fields.description ?? '',
    tags: fields.tags ?? [],
    selected: fields.selected,
    scm: fields.scm,
    website: fields.website,
    framework: fields.framework,
    preInstallNotes: fields.preInstallNotes,
    postInstallNotes: fields.postInstallNotes,
    postUninstallNotes: fields.postUninstallNotes,
    licenses: fields.licenses,
  });
  return images !== undefined && images !== null
    ? { packageDefinition, resourceDefinition: { images } }
    : { packageDefinition };
}

/** The metadata Cosmos recorded for an entry (what DCOS_PACKAGE_METADATA carries). */
export const metadataOf = (entry: PackageEntry): Record<string, unknown> => packageMetadata(entry);

/** DCOS_PACKAGE_METADATA decoded, or undefined when absent or unreadable. */
export function decodeMetadataLabel(label: string | undefined): Record<string, unknown> | undefined {
  if (!label) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(label, 'base64').toString('utf8'));
    return v !== null &&
      typeof v === 'object' &&
      !Array.isArray(v) &&
      typeof (v as { name?: unknown }).name === 'string'
      ? (v as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** install-response v2 (appId absent for a package that only installs a CLI) or v1. */
export function installResponse(
  version: number,
  r: { entry: PackageEntry; appId?: string | undefined },
): Record<string, unknown> {
  const base = { packageName: r.entry.name, packageVersion: r.entry.version };
  if (version === 1) return { ...base, appId: r.appId };
  const cli = (r.entry.resource as { cli?: unknown } | null | undefined)?.cli;
  return clean({
    ...base,
    appId: r.appId,
    postInstallNotes: r.entry.postInstallNotes,
    cli,
  });
}
