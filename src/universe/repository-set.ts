// Which repositories a lookup searches, in which order: the declared UniverseRepositories by priority (higher
// first, then by name), each with the content last loaded for it; with none declared, the built-in catalog
// alone (a fresh DC/OS cluster came with Universe configured). One UniversePackage may name one repository.
import { Catalog } from './catalog.ts';
import type { PackageEntry } from './package-entry.ts';
import type { PackageSummary } from './repository-index.ts';

export interface RepositoryContent {
  uri: string;
  entries: PackageEntry[];
  summaries: PackageSummary[];
  /** Changes whenever entries or summaries do. */
  digest: string;
}

export interface DeclaredRepository {
  name: string;
  uri: string;
  priority: number;
}

export interface CatalogView {
  catalog: Catalog;
  /** Repository names searched, in order. */
  searched: string[];
  /** Declared repositories whose content is not loaded (yet): a miss may be temporary. */
  pending: string[];
  /** The one repository asked for does not exist. */
  missing?: string;
}

export const BUILTIN_NAME = 'builtin';

export function orderRepositories(declared: readonly DeclaredRepository[]): DeclaredRepository[] {
  return [...declared].sort((a, b) => b.priority - a.priority || a.name.localeCompare(b.name));
}

/**
 * catalogView, built again only when the repositories or their content change: a Catalog indexes every
 * entry, and packages are reconciled far more often than repositories change.
 */
export class CatalogViews {
  private key = '';
  private readonly views = new Map<string | undefined, CatalogView>();

  view(
    declared: readonly DeclaredRepository[],
    loaded: ReadonlyMap<string, RepositoryContent>,
    builtin: RepositoryContent,
    only?: string,
  ): CatalogView {
    const key = [
      builtin.digest,
      ...orderRepositories(declared).map((r) =>
        [r.name, r.priority, r.uri, loaded.get(r.name)?.digest].join('\0'),
      ),
    ].join('\n');
    if (key !== this.key) {
      this.key = key;
      this.views.clear();
    }
    let view = this.views.get(only);
    if (!view) {
      view = catalogView(declared, loaded, builtin, only);
      this.views.set(only, view);
    }
    return view;
  }
}

export function catalogView(
  declared: readonly DeclaredRepository[],
  loaded: ReadonlyMap<string, RepositoryContent>,
  builtin: RepositoryContent,
  only?: string,
): CatalogView {
  const implicit = declared.length === 0;
  let order = implicit
    ? [{ name: BUILTIN_NAME, uri: builtin.uri, priority: 0 }]
    : orderRepositories(declared);
  if (only !== undefined) {
    order = order.filter((r) => r.name === only);
    if (order.length === 0) return { catalog: new Catalog([]), searched: [], pending: [], missing: only };
  }
  const repos: (RepositoryContent & { name: string })[] = [];
  const pending: string[] = [];
  for (const r of order) {
    const content = implicit ? builtin : loaded.get(r.name);
    if (content) repos.push({ name: r.name, ...content });
    else pending.push(r.name);
  }
  return { catalog: new Catalog(repos), searched: order.map((r) => r.name), pending };
}
