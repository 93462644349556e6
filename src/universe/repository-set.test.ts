import assert from 'node:assert/strict';
import type { PackageEntry } from './package-entry.ts';
import { CatalogViews, catalogView, orderRepositories } from './repository-set.ts';
import type { RepositoryContent } from './repository-set.ts';

const e = (name: string, version: string, releaseVersion: number): PackageEntry => ({
  name,
  version,
  releaseVersion,
});
const content = (uri: string, ...entries: PackageEntry[]): RepositoryContent => ({
  uri,
  entries,
  summaries: [],
  digest: `${uri}:${entries.map((x) => `${x.name}@${x.version}`).join(',')}`,
});
const builtin = content('builtin', e('nginx', '1.0', 1));

describe('catalogView', () => {
  it('searches the built-in catalog only while no repository is declared', () => {
    const v = catalogView([], new Map(), builtin);
    assert.deepEqual(v.searched, ['builtin']);
    assert.equal(v.catalog.resolve('nginx').ok, true);
    const declared = catalogView([{ name: 'mine', uri: 'http://x', priority: 0 }], new Map(), builtin);
    assert.equal(declared.catalog.resolve('nginx').ok, false);
    assert.deepEqual(declared.pending, ['mine']);
  });

  it('orders by priority, higher first, then by name', () => {
    const order = orderRepositories([
      { name: 'b', uri: 'u', priority: 0 },
      { name: 'a', uri: 'u', priority: 0 },
      { name: 'top', uri: 'u', priority: 5 },
    ]).map((r) => r.name);
    assert.deepEqual(order, ['top', 'a', 'b']);
    const loaded = new Map([
      ['low', content('http://low', e('web', '2.0', 2))],
      ['high', content('http://high', e('web', '1.0', 1))],
    ]);
    const v = catalogView(
      [
        { name: 'low', uri: 'http://low', priority: 1 },
        { name: 'high', uri: 'http://high', priority: 9 },
      ],
      loaded,
      builtin,
    );
    const found = v.catalog.resolve('web');
    assert.ok(found.ok);
    assert.deepEqual([found.entry.version, found.repository.name], ['1.0', 'high']);
  });

  it('restricts to one named repository, and says when it does not exist', () => {
    const loaded = new Map([['a', content('http://a', e('x', '1', 1))]]);
    const declared = [
      { name: 'a', uri: 'http://a', priority: 0 },
      { name: 'b', uri: 'http://b', priority: 0 },
    ];
    assert.deepEqual(catalogView(declared, loaded, builtin, 'a').searched, ['a']);
    assert.equal(catalogView(declared, loaded, builtin, 'zzz').missing, 'zzz');
    assert.deepEqual(catalogView([], new Map(), builtin, 'builtin').searched, ['builtin']);
  });

  it('reuses a view until the repositories or their content change', () => {
    const views = new CatalogViews();
    const declared = [{ name: 'a', uri: 'http://a', priority: 0 }];
    const loaded = new Map([['a', content('http://a', e('x', '1', 1))]]);
    const first = views.view(declared, loaded, builtin);
    assert.equal(views.view(declared, loaded, builtin), first);
    assert.notEqual(views.view(declared, loaded, builtin, 'a'), first);
    loaded.set('a', content('http://a', e('x', '2', 2)));
    const second = views.view(declared, loaded, builtin);
    assert.notEqual(second, first);
    const found = second.catalog.resolve('x');
    assert.ok(found.ok);
    assert.equal(found.entry.version, '2');
    assert.notEqual(views.view([{ ...declared[0]!, priority: 3 }], loaded, builtin), second);
  });
});
