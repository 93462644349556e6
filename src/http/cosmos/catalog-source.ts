// The catalog the Cosmos API answers from. The leader's repository controller keeps every repository's
// content in memory; a replica that is not the leader (its controllers idle) or a repository added a moment
// ago has none yet, so the API loads what is missing itself, keeps it for the refresh period, and serves the
// last good content while a reload runs. A repository that cannot be loaded is left out (listed as pending).
import type { CatalogView, DeclaredRepository, RepositoryContent } from '../../universe/repository-set.ts';
import { CatalogViews } from '../../universe/repository-set.ts';

export interface CatalogSourceDeps {
  /** Content the repository controller loaded (empty on a replica that is not leading). */
  contents(): ReadonlyMap<string, RepositoryContent>;
  builtin: RepositoryContent;
  load(uri: string): Promise<RepositoryContent>;
  /** How long loaded content is used before it is loaded again, and how soon a failed load is retried. */
  refreshMs: number;
  retryMs: number;
  now?: () => number;
}

interface Fetched {
  uri: string;
  at: number;
  content?: RepositoryContent;
  error?: string;
}

export class CatalogSource {
  private readonly deps: CatalogSourceDeps;
  private readonly views = new CatalogViews();
  private readonly fetched = new Map<string, Fetched>();
  private readonly inflight = new Map<string, Promise<void>>();

  constructor(deps: CatalogSourceDeps) {
    this.deps = deps;
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  /** Content just loaded by the API itself (repository/add), so the next search sees it at once. */
  remember(name: string, content: RepositoryContent): void {
    this.fetched.set(name, { uri: content.uri, at: this.now(), content });
  }

  /** Why a declared repository has no content here, if the API tried to load it and failed. */
  loadError(name: string): string | undefined {
    return this.fetched.get(name)?.error;
  }

  async view(declared: readonly DeclaredRepository[]): Promise<CatalogView> {
    const leader = this.deps.contents();
    const loaded = new Map<string, RepositoryContent>();
    const missing: DeclaredRepository[] = [];
    for (const r of declared) {
      const c = leader.get(r.name);
      if (c && c.uri === r.uri) loaded.set(r.name, c);
      else missing.push(r);
    }
    await Promise.all(missing.map((r) => this.ensure(r)));
    for (const r of missing) {
      const f = this.fetched.get(r.name);
      if (f?.content && f.uri === r.uri) loaded.set(r.name, f.content);
    }
    const names = new Set(declared.map((r) => r.name));
    for (const name of this.fetched.keys()) if (!names.has(name)) this.fetched.delete(name);
    return this.views.view(declared, loaded, this.deps.builtin);
  }

  /** Loads the repository unless fresh content (or a recent failure) is at hand; stale content is served at once. */
  private ensure(r: DeclaredRepository): Promise<void> {
    const f = this.fetched.get(r.name);
    const same = f !== undefined && f.uri === r.uri;
    const age = same ? this.now() - f.at : Infinity;
    if (same && age < (f.content ? this.deps.refreshMs : this.deps.retryMs)) return Promise.resolve();
    const key = `${r.name}\n${r.uri}`;
    let running = this.inflight.get(key);
    if (!running) {
      running = this.deps
        .load(r.uri)
        .then(
          (content) => this.fetched.set(r.name, { uri: r.uri, at: this.now(), content }),
          (err: unknown) => {
            const previous = this.fetched.get(r.name);
            this.fetched.set(r.name, {
              uri: r.uri,
              at: this.now(),
              error: err instanceof Error ? err.message : String(err),
              ...(previous?.uri === r.uri && previous.content ? { content: previous.content } : {}),
            });
          },
        )
        .then(() => undefined)
        .finally(() => this.inflight.delete(key));
      this.inflight.set(key, running);
    }
    return same && f.content ? Promise.resolve() : running;
  }
}
