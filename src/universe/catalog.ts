// Package lookup across repositories in priority order, by Cosmos's rules (PackageCollection): for the same
// (name, version) the higher repository wins; a package's default version is its highest releaseVersion in
// the highest repository that has it; search returns one summary per name.
import type { PackageEntry } from './package-entry.ts';
import type { PackageSummary } from './repository-index.ts';
import { byReleaseDescending, sortSummaries, summarizeEntries } from './repository-index.ts';

export interface CatalogRepository {
  name: string;
  uri: string;
  entries: PackageEntry[];
  summaries: PackageSummary[];
}

export interface RepositoryRef {
  name: string;
  uri: string;
}

export interface CatalogEntry {
  entry: PackageEntry;
  repository: RepositoryRef;
}

export type ResolveResult =
  | { ok: true; entry: PackageEntry; repository: RepositoryRef }
  | { ok: false; type: 'PackageNotFound' | 'VersionNotFound'; message: string };

export type UpgradePath =
  { ok: true; direction: 'upgrade' | 'downgrade' | 'same' } | { ok: false; message: string };

interface Indexed {
  repository: RepositoryRef;
  /** Summaries of every package the repository lists, whether or not it carries its files. */
  summaries: Map<string, PackageSummary>;
}

const listText = (list: readonly string[] | null | undefined) =>
  list === undefined || list === null ? 'not set' : `[${list.join(', ')}]`;

export class Catalog {
  readonly #repos: Indexed[] = [];
  /** name → entries with distinct versions, in resolution order. */
  readonly #byName = new Map<string, CatalogEntry[]>();

  constructor(repositories: readonly CatalogRepository[]) {
    for (const repo of repositories) {
      const repository = { name: repo.name, uri: repo.uri };
      const summaries = new Map(repo.summaries.map((s) => [s.name, s]));
      // The entries are the truth where present; supplied summaries only fill in summary-only packages.
      for (const s of summarizeEntries(repo.entries)) summaries.set(s.name, s);
      this.#repos.push({ repository, summaries });
      for (const entry of [...repo.entries].sort(byReleaseDescending)) {
        const list = this.#byName.get(entry.name) ?? [];
        if (!list.some((c) => c.entry.version === entry.version)) list.push({ entry, repository });
        this.#byName.set(entry.name, list);
      }
    }
  }

  repositoryNames(): string[] {
    return this.#repos.map((r) => r.repository.name);
  }

  /** Every reachable revision of the package, default first: one per version, from the highest repository. */
  entries(name: string): CatalogEntry[] {
    return [...(this.#byName.get(name) ?? [])];
  }

  resolve(name: string, version?: string): ResolveResult {
    const list = this.#byName.get(name);
    if (!list) {
      const listedBy = this.#repos.find((r) => r.summaries.has(name));
      const why = listedBy
        ? ` (repository ${listedBy.repository.name} lists it without its package files: its index is a summary only)`
        : '';
      return { ok: false, type: 'PackageNotFound', message: `Package [${name}] not found${why}` };
    }
    const found = version === undefined ? list[0] : list.find((c) => c.entry.version === version);
    if (!found)
      return {
        ok: false,
        type: 'VersionNotFound',
        message: `Version [${version}] of package [${name}] not found`,
      };
    return { ok: true, entry: found.entry, repository: found.repository };
  }

  /** version → releaseVersion of every version of the package (list-versions). */
  versions(name: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const r of this.#repos)
      for (const [version, release] of Object.entries(r.summaries.get(name)?.versions ?? {}))
        if (!(version in out)) out[version] = release;
    return out;
  }

  search(query?: string): PackageSummary[] {
    const byName = new Map<string, PackageSummary>();
    for (const r of this.#repos)
      for (const s of r.summaries.values()) {
        const seen = byName.get(s.name);
        if (!seen) byName.set(s.name, { ...s, versions: { ...s.versions } });
        else
          for (const [v, rel] of Object.entries(s.versions))
            if (!(v in seen.versions)) seen.versions[v] = rel;
      }
    const matches = searchPredicate(query);
    return sortSummaries([...byName.values()].filter(matches));
  }

  /** Whether the installed fromVersion may move to toVersion, by the target's upgradesFrom / the installed one's downgradesTo. */
  upgradePath(name: string, fromVersion: string, toVersion: string): UpgradePath {
    if (fromVersion === toVersion) return { ok: true, direction: 'same' };
    const target = this.resolve(name, toVersion);
    if (!target.ok) return { ok: false, message: target.message };
    const to = target.entry;
    const installed = this.resolve(name, fromVersion);
    const from = installed.ok ? installed.entry : undefined;
    const accepts = (list: readonly string[] | null | undefined, version: string) =>
      (list ?? []).some((v) => v === '*' || v === version);

    if (!from || to.releaseVersion > from.releaseVersion) {
      if (accepts(to.upgradesFrom, fromVersion)) return { ok: true, direction: 'upgrade' };
      const gone = from
        ? ''
        : ` (${fromVersion} is no longer in any repository, so a downgrade cannot be judged)`;
      return {
        ok: false,
        message: `${name} ${toVersion} cannot be upgraded from ${fromVersion}: its upgradesFrom is ${listText(to.upgradesFrom)}${gone}`,
      };
    }
    if (accepts(from.downgradesTo, toVersion)) return { ok: true, direction: 'downgrade' };
    return {
      ok: false,
      message: `${name} ${fromVersion} cannot be downgraded to ${toVersion}: its downgradesTo is ${listText(from.downgradesTo)}`,
    };
  }
}

/** Cosmos's search predicate: with `*`, an anchored case-sensitive pattern; otherwise a case-insensitive substring. */
export function searchPredicate(query?: string): (s: PackageSummary) => boolean {
  if (!query) return () => true;
  let test: (text: string) => boolean;
  if (query.includes('*')) {
    const source = query
      .split('*')
      .map((part) => part.replace(/[\\^$.|?+()[\]{}]/g, '\\$&'))
      .join('.*');
    const re = new RegExp(`^${source}$`);
    test = (text) => re.test(text);
  } else {
    const q = query.toLowerCase();
    test = (text) => text.toLowerCase().includes(q);
  }
  return (s) => test(s.name) || test(s.description) || s.tags.some(test);
}
