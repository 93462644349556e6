// Reading and writing Universe repository indexes: the v3/v4/v5 JSON documents (one entry per package
// revision) and the v2 zip-era `meta/index.json`, which only summarises packages and can serve search alone.
import { createHash } from 'node:crypto';
import { issuesText } from '../runtime/errors.ts';
import { z } from 'zod';
import type { PackageEntry } from './package-entry.ts';
import { packageEntrySchema, withoutNulls } from './package-entry.ts';

export const REPO_MEDIA_TYPES = {
  v3: 'application/vnd.dcos.universe.repo+json;charset=utf-8;version=v3',
  v4: 'application/vnd.dcos.universe.repo+json;charset=utf-8;version=v4',
  v5: 'application/vnd.dcos.universe.repo+json;charset=utf-8;version=v5',
} as const;

/** What Cosmos asked a repository for: the newest format first. */
export const ACCEPT_REPOSITORY = [REPO_MEDIA_TYPES.v5, REPO_MEDIA_TYPES.v4, REPO_MEDIA_TYPES.v3].join(',');

export type IndexFormat = 'v3' | 'v4' | 'v5' | 'v2-summary';

/** One package as Cosmos's search returned it. */
export interface PackageSummary {
  name: string;
  currentVersion: string;
  /** version → releaseVersion, as a string. */
  versions: Record<string, string>;
  description: string;
  framework: boolean;
  tags: string[];
  selected: boolean;
  images?: Record<string, unknown>;
}

export type IndexResult =
  | {
      ok: true;
      format: IndexFormat;
      entries: PackageEntry[];
      summaries: PackageSummary[];
      warnings: string[];
    }
  | { ok: false; message: string };

const summarySchema = z
  .object({
    name: z.string().min(1),
    currentVersion: z.string().min(1),
    versions: z.record(z.string(), z.union([z.string(), z.number().int().min(0)]).transform(String)),
    description: z.string().nullish(),
    framework: z.boolean().nullish(),
    tags: z.array(z.string()).nullish(),
    selected: z.boolean().nullish(),
    images: z.record(z.string(), z.unknown()).nullish(),
  })
  .loose();

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** SHA-256 of a repository's content: changes exactly when its entries or summaries do. */
export function contentDigest(
  entries: readonly PackageEntry[],
  summaries: readonly PackageSummary[],
): string {
  return createHash('sha256').update(canonicalJson({ entries, summaries })).digest('hex');
}

/** The `version=vN` of a universe repo media type, if it is one. */
export function repoFormatOfMediaType(mediaType: string): 'v3' | 'v4' | 'v5' | undefined {
  const [type, ...params] = mediaType.split(';').map((p) => p.trim().toLowerCase());
  if (type !== 'application/vnd.dcos.universe.repo+json') return undefined;
  for (const p of params) {
    const m = /^version\s*=\s*"?(v[345])"?$/.exec(p);
    if (m) return m[1] as 'v3' | 'v4' | 'v5';
  }
  return undefined;
}

function describeEntry(raw: unknown, index: number): string {
  if (!isObject(raw)) return `#${index}`;
  const name = typeof raw.name === 'string' ? raw.name : `#${index}`;
  const rel = typeof raw.releaseVersion === 'number' ? ` releaseVersion ${raw.releaseVersion}` : '';
  return `package ${name}${rel}`;
}

const MAX_PACKAGING: Record<'v3' | 'v4' | 'v5', number> = { v3: 3, v4: 4, v5: 5 };

export function parseRepositoryIndex(json: unknown, source: string, mediaType?: string): IndexResult {
  if (!isObject(json) || !Array.isArray(json.packages))
    return {
      ok: false,
      message: `${source}: not a Universe repository index (expected a JSON object with a "packages" array)`,
    };
  const raw: unknown[] = json.packages;
  const declared = mediaType === undefined ? undefined : repoFormatOfMediaType(mediaType);
  const warnings: string[] = [];

  const looksLikeSummary = (p: unknown) => isObject(p) && 'currentVersion' in p && !('releaseVersion' in p);
  const isSummaryIndex =
    declared === undefined && (raw.length ? raw.every(looksLikeSummary) : typeof json.version === 'string');
  if (isSummaryIndex) {
    const summaries: PackageSummary[] = [];
    raw.forEach((p, i) => {
      const parsed = summarySchema.safeParse(p);
      if (!parsed.success) {
        warnings.push(`${source}: skipped ${describeEntry(p, i)}: ${issuesText(parsed.error, 3)}`);
        return;
      }
      const s = parsed.data;
      summaries.push({
        name: s.name,
        currentVersion: s.currentVersion,
        versions: s.versions,
        description: s.description ?? '',
        framework: s.framework ?? false,
        tags: s.tags ?? [],
        selected: s.selected ?? false,
        ...(s.images ? { images: s.images } : {}),
      });
    });
    return { ok: true, format: 'v2-summary', entries: [], summaries: sortSummaries(summaries), warnings };
  }

  const entries: PackageEntry[] = [];
  raw.forEach((p, i) => {
    const parsed = packageEntrySchema.safeParse(p);
    if (!parsed.success) {
      warnings.push(`${source}: skipped ${describeEntry(p, i)}: ${issuesText(parsed.error, 3)}`);
      return;
    }
    entries.push(withoutNulls(parsed.data));
  });
  const highest = Math.max(0, ...entries.map((e) => Number(e.packagingVersion ?? '2.0')));
  const format = declared ?? (highest >= 5 ? 'v5' : highest >= 4 ? 'v4' : 'v3');
  if (highest > MAX_PACKAGING[format])
    warnings.push(
      `${source}: a ${format} index cannot carry packagingVersion ${highest.toFixed(1)} packages`,
    );
  return { ok: true, format, entries, summaries: summarizeEntries(entries), warnings };
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Cosmos's search order: selected first, then by name. */
export function sortSummaries(summaries: PackageSummary[]): PackageSummary[] {
  return summaries.sort((a, b) => Number(b.selected) - Number(a.selected) || byName(a.name, b.name));
}

/** Highest releaseVersion first; ties keep their order. */
export function byReleaseDescending(a: PackageEntry, b: PackageEntry): number {
  return b.releaseVersion - a.releaseVersion;
}

function imagesOf(entry: PackageEntry): Record<string, unknown> | undefined {
  const images = entry.resource?.images ?? entry.images;
  return isObject(images) ? images : undefined;
}

/** The search result for one package, from its default (first) entry. */
export function summaryOf(first: PackageEntry): PackageSummary {
  const images = imagesOf(first);
  return {
    name: first.name,
    currentVersion: first.version,
    versions: { [first.version]: String(first.releaseVersion) },
    description: first.description ?? '',
    framework: first.framework ?? false,
    tags: first.tags ?? [],
    selected: first.selected ?? false,
    ...(images ? { images } : {}),
  };
}

/** One summary per package name: the highest releaseVersion speaks for it, each version maps to its highest. */
export function summarizeEntries(entries: readonly PackageEntry[]): PackageSummary[] {
  const out = new Map<string, PackageSummary>();
  for (const e of [...entries].sort(byReleaseDescending)) {
    const s = out.get(e.name);
    if (!s) out.set(e.name, summaryOf(e));
    else if (!(e.version in s.versions)) s.versions[e.version] = String(e.releaseVersion);
  }
  return sortSummaries([...out.values()]);
}

/** A v3+ index document: sorted by name then releaseVersion, nulls dropped. */
export function buildRepositoryIndex(entries: PackageEntry[]): { packages: PackageEntry[] } {
  const packages = [...entries]
    .sort((a, b) => byName(a.name, b.name) || a.releaseVersion - b.releaseVersion)
    .map((e) => withoutNulls(e));
  return { packages };
}

/** JSON with object keys sorted at every level, so equal content gives equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    isObject(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, v[k]]),
        )
      : v,
  );
}
