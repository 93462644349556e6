import assert from 'node:assert/strict';
import type { PackageEntry } from '../../universe/package-entry.ts';
import { summarizeEntries } from '../../universe/repository-index.ts';
import type { RepositoryContent } from '../../universe/repository-set.ts';
import { CatalogSource } from './catalog-source.ts';

const content = (uri: string, names: string[]): RepositoryContent => {
  const entries: PackageEntry[] = names.map((name) => ({
    name,
    version: '1.0',
    releaseVersion: 0,
    description: name,
    tags: [],
  }));
  return { uri, entries, summaries: summarizeEntries(entries), digest: `${uri}:${names.join(',')}` };
};

describe('Cosmos catalog source', () => {
  let now = 0;
  const loads: string[] = [];
  const served = new Map<string, RepositoryContent | Error>();
  const leader = new Map<string, RepositoryContent>();
  const source = () =>
    new CatalogSource({
      contents: () => leader,
      builtin: content('builtin', ['nginx']),
      load: (uri) => {
        loads.push(uri);
        const c = served.get(uri);
        // Loads take a moment, as fetches do.
        return new Promise((resolve, reject) =>
          setTimeout(() => (c instanceof Error || !c ? reject(c ?? new Error('404')) : resolve(c)), 5),
        );
      },
      refreshMs: 60_000,
      retryMs: 5_000,
      now: () => now,
    });
  beforeEach(() => {
    now = 0;
    loads.length = 0;
    served.clear();
    leader.clear();
  });

  it('uses the built-in catalog while no repository is declared', async () => {
    const view = await source().view([]);
    assert.deepEqual(
      view.catalog.search().map((s) => s.name),
      ['nginx'],
    );
    assert.deepEqual(loads, []);
  });

  it('uses what the leader loaded, and loads what it has not (a follower, a repository just added)', async () => {
    leader.set('a', content('https://a/repo', ['alpha']));
    served.set('https://b/repo', content('https://b/repo', ['beta']));
    const src = source();
    const declared = [
      { name: 'a', uri: 'https://a/repo', priority: 1 },
      { name: 'b', uri: 'https://b/repo', priority: 0 },
    ];
    const view = await src.view(declared);
    assert.deepEqual(
      view.catalog.search().map((s) => s.name),
      ['alpha', 'beta'],
    );
    assert.deepEqual(loads, ['https://b/repo']);
    // Fresh content is not loaded again.
    await src.view(declared);
    assert.deepEqual(loads, ['https://b/repo']);
    // Stale content is served at once while it reloads.
    now = 61_000;
    served.set('https://b/repo', content('https://b/repo', ['beta', 'gamma']));
    const stale = await src.view(declared);
    assert.deepEqual(
      stale.catalog.search().map((s) => s.name),
      ['alpha', 'beta'],
    );
    await new Promise((r) => setTimeout(r, 20));
    const fresh = await src.view(declared);
    assert.deepEqual(
      fresh.catalog.search().map((s) => s.name),
      ['alpha', 'beta', 'gamma'],
    );
  });

  it('leaves out a repository that cannot be loaded, retrying after the retry period', async () => {
    const src = source();
    const declared = [{ name: 'x', uri: 'https://x/repo', priority: 0 }];
    const view = await src.view(declared);
    assert.deepEqual(view.pending, ['x']);
    assert.equal(src.loadError('x'), '404');
    await src.view(declared);
    assert.equal(loads.length, 1, 'not retried within the retry period');
    now = 6_000;
    served.set('https://x/repo', content('https://x/repo', ['xray']));
    const again = await src.view(declared);
    assert.deepEqual(again.pending, []);
    assert.equal(loads.length, 2);
  });

  it('serves content remembered by repository/add without loading it again', async () => {
    const src = source();
    src.remember('r', content('https://r/repo', ['remembered']));
    const view = await src.view([{ name: 'r', uri: 'https://r/repo', priority: 0 }]);
    assert.deepEqual(
      view.catalog.search().map((s) => s.name),
      ['remembered'],
    );
    assert.deepEqual(loads, []);
  });
});
