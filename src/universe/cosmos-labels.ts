// The labels Cosmos put on every app it installed (DC/OS 1.10–1.11, Cosmos v0.4–v0.6.1), and the older set
// (DC/OS ≤ 1.9) written in legacy mode. They are the whole install record: list and uninstall find packages
// by DCOS_PACKAGE_NAME, service describe reads the options back from DCOS_PACKAGE_OPTIONS.
import { gzipSync } from 'node:zlib';
import type { PackageEntry } from './package-entry.ts';
import { packagingVersionOf, withoutNulls } from './package-entry.ts';

export const PACKAGE_NAME_LABEL = 'DCOS_PACKAGE_NAME';
export const PACKAGE_VERSION_LABEL = 'DCOS_PACKAGE_VERSION';
export const PACKAGE_SOURCE_LABEL = 'DCOS_PACKAGE_SOURCE';
export const PACKAGE_METADATA_LABEL = 'DCOS_PACKAGE_METADATA';
export const PACKAGE_OPTIONS_LABEL = 'DCOS_PACKAGE_OPTIONS';
export const PACKAGE_DEFINITION_LABEL = 'DCOS_PACKAGE_DEFINITION';
export const FRAMEWORK_NAME_LABEL = 'DCOS_PACKAGE_FRAMEWORK_NAME';

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');

/** package.json's descriptive fields plus the images, as DCOS_PACKAGE_METADATA carried them. */
export function packageMetadata(entry: PackageEntry): Record<string, unknown> {
  const images = (entry.resource as { images?: unknown } | null | undefined)?.images ?? entry.images;
  return withoutNulls({
    packagingVersion: packagingVersionOf(entry),
    name: entry.name,
    version: entry.version,
    maintainer: entry.maintainer,
    description: entry.description,
    tags: entry.tags ?? [],
    selected: entry.selected ?? false,
    scm: entry.scm,
    website: entry.website,
    framework: entry.framework ?? false,
    preInstallNotes: entry.preInstallNotes,
    postInstallNotes: entry.postInstallNotes,
    postUninstallNotes: entry.postUninstallNotes,
    licenses: entry.licenses,
    images,
  });
}

/** The media type of a stored package definition: the major packaging version (3.0 → v3). */
export function packageMediaType(entry: PackageEntry): string {
  const v = packagingVersionOf(entry).split('.')[0];
  return `application/vnd.dcos.universe.package+json;charset=utf-8;version=v${v}`;
}

/** The storage envelope of DCOS_PACKAGE_DEFINITION: the whole entry, gzipped, wrapped in JSON, base64. */
export function packageDefinitionLabel(entry: PackageEntry): string {
  const data = gzipSync(JSON.stringify(withoutNulls(entry)));
  const envelope = {
    metadata: { 'Content-Type': packageMediaType(entry), 'Content-Encoding': 'gzip' },
    data: b64(data),
  };
  return b64(JSON.stringify(envelope));
}

export interface InstallRecord {
  entry: PackageEntry;
  /** URI of the repository the package came from. */
  source: string;
  /** The options as the user gave them (not merged with defaults). */
  userOptions: Record<string, unknown>;
}

/** Labels Cosmos (v0.4–v0.6.1) wrote over the template's own. */
export function cosmosLabels(r: InstallRecord): Record<string, string> {
  return {
    [PACKAGE_METADATA_LABEL]: b64(JSON.stringify(packageMetadata(r.entry))),
    [PACKAGE_NAME_LABEL]: r.entry.name,
    [PACKAGE_VERSION_LABEL]: r.entry.version,
    [PACKAGE_SOURCE_LABEL]: r.source,
    [PACKAGE_OPTIONS_LABEL]: b64(JSON.stringify(r.userOptions)),
    [PACKAGE_DEFINITION_LABEL]: packageDefinitionLabel(r.entry),
  };
}

/** Labels Cosmos ≤ v0.3 (DC/OS ≤ 1.9) wrote; the template's own labels override them. */
export function legacyCosmosLabels(r: InstallRecord): Record<string, string> {
  const e = r.entry;
  return {
    [PACKAGE_METADATA_LABEL]: b64(JSON.stringify(packageMetadata(e))),
    DCOS_PACKAGE_REGISTRY_VERSION: packagingVersionOf(e),
    [PACKAGE_NAME_LABEL]: e.name,
    [PACKAGE_VERSION_LABEL]: e.version,
    [PACKAGE_SOURCE_LABEL]: r.source,
    DCOS_PACKAGE_RELEASE: String(e.releaseVersion),
    DCOS_PACKAGE_IS_FRAMEWORK: String(e.framework ?? false),
  };
}

/** Decorates the rendered app's labels the way the chosen Cosmos generation did. */
export function decorateLabels(
  templateLabels: Record<string, string>,
  r: InstallRecord,
  mode: 'modern' | 'legacy',
): Record<string, string> {
  if (mode === 'modern') return { ...templateLabels, ...cosmosLabels(r) };
  const command: Record<string, string> = r.entry.command
    ? { DCOS_PACKAGE_COMMAND: b64(JSON.stringify(r.entry.command)) }
    : {};
  return { ...legacyCosmosLabels(r), ...templateLabels, ...command };
}

/** Reads DCOS_PACKAGE_OPTIONS back (the user options of an install), or undefined. */
export function decodeOptionsLabel(
  labels: Record<string, string> | undefined,
): Record<string, unknown> | undefined {
  const raw = labels?.[PACKAGE_OPTIONS_LABEL];
  if (!raw) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(raw, 'base64').toString('utf8'));
    return v !== null && typeof v === 'object' && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
