import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  ACCEPT_REPOSITORY,
  REPO_MEDIA_TYPES,
  buildRepositoryIndex,
  parseRepositoryIndex,
  summarizeEntries,
} from './repository-index.ts';
import type { IndexResult } from './repository-index.ts';
import type { PackageEntry } from './package-entry.ts';

const fixtures = path.resolve(import.meta.dirname, '../../../shared/fixtures/universe');
const readJson = (rel: string): unknown => JSON.parse(fs.readFileSync(path.join(fixtures, rel), 'utf8'));

function loaded(result: IndexResult): Extract<IndexResult, { ok: true }> {
  if (!result.ok) assert.fail(result.message);
  return result;
}

describe('parseRepositoryIndex', () => {
  it('loads the v3 index Cosmos tested with, entry for entry', () => {
    const r = loaded(parseRepositoryIndex(readJson('index/v3/test-v3-repo-up-to-1.8.json'), 'v3.json'));
    assert.equal(r.format, 'v3');
    assert.deepEqual(r.warnings, []);
    assert.deepEqual(
      r.entries.map((e) => `${e.name}/${e.releaseVersion}`),
      [
        'nginx/1',
        'nginx/0',
        'cassandra/7',
        'cassandra/1',
        'cassandra/6',
        'cassandra/4',
        'cassandra/5',
        'cassandra/3',
        'cassandra/0',
      ],
    );
    // Summaries: selected first; the highest releaseVersion speaks for the package; a version maps to its highest.
    assert.deepEqual(
      r.summaries.map((s) => [s.name, s.currentVersion, s.selected, s.framework]),
      [
        ['cassandra', '1.0.5-2.2.5', true, true],
        ['nginx', '1.8.1', false, false],
      ],
    );
    assert.deepEqual(r.summaries[0]?.versions, {
      '1.0.5-2.2.5': '7',
      '1.0.4-2.2.5': '5',
      '1.0.2-2.2.5': '4',
      '2.2.5-0.2.0': '3',
      '0.2.0-2': '1',
      '0.2.0-1': '0',
    });
    assert.deepEqual(r.summaries[1]?.versions, { '1.8.1': '1' });
    assert.equal(r.summaries[0]?.description, 'Apache Cassandra running on DC/OS');
    assert.match(String(r.summaries[1]?.images?.['icon-small']), /^https:\/\/pbs\.twimg\.com\//);
  });

  it('reads explicit nulls as absent', () => {
    const r = loaded(parseRepositoryIndex(readJson('index/v3/expected-encoded-repo.json'), 'encoded.json'));
    assert.equal(r.format, 'v3');
    assert.equal(r.entries.length, 2);
    const [first, second] = r.entries;
    assert.equal(first?.packagingVersion, '2.0');
    assert.equal(second?.minDcosReleaseVersion, '1.8');
    for (const e of r.entries) {
      for (const key of [
        'scm',
        'website',
        'framework',
        'licenses',
        'resource',
        'config',
        'command',
        'lastUpdated',
      ])
        assert.equal(key in e, false, `${e.name}/${e.releaseVersion} has ${key}`);
      assert.equal(Buffer.from(e.marathon?.v2AppMustacheTemplate ?? '', 'base64').toString(), 'testing');
    }
    assert.equal(r.summaries[0]?.framework, false);
    assert.deepEqual(r.summaries[0]?.versions, { '3.2.1': '2', '1.2.3': '1' });
  });

  it('loads a 5.0 package as a v5 index, manager included', () => {
    const r = loaded(parseRepositoryIndex(readJson('index/v5/package-with-custom-manager.json'), 'v5.json'));
    assert.equal(r.format, 'v5');
    assert.equal(r.entries.length, 1);
    assert.deepEqual(r.entries[0]?.manager, { packageName: 'cosmos-package' });
    assert.deepEqual(r.entries[0]?.upgradesFrom, ['*']);
  });

  it('loads the zip-era meta/index.json as a summary for search', () => {
    const r = loaded(parseRepositoryIndex(readJson('index/v2-zip/meta/index.json'), 'meta/index.json'));
    assert.equal(r.format, 'v2-summary');
    assert.deepEqual(r.entries, []);
    assert.equal(r.summaries.length, 37);
    assert.deepEqual(r.warnings, []);
    const jenkins = r.summaries.find((s) => s.name === 'jenkins');
    assert.equal(jenkins?.currentVersion, '0.2.3');
    assert.equal(jenkins?.versions['0.2.1'], '4');
    assert.equal(r.summaries[0]?.selected, true);
    assert.equal(r.summaries.at(-1)?.selected, false);
  });

  it('refuses documents that are not indexes', () => {
    for (const doc of [null, 'x', [], {}, { packages: {} }, { packages: 'nginx' }]) {
      const r = parseRepositoryIndex(doc, 'bad.json');
      assert.equal(r.ok, false);
      assert.match(r.ok ? '' : r.message, /^bad\.json: not a Universe repository index/);
    }
  });

  it('skips an invalid entry with a warning and keeps the rest', () => {
    const doc = readJson('index/v3/test-v3-repo-up-to-1.8.json') as { packages: Record<string, unknown>[] };
    doc.packages[2] = { ...doc.packages[2], releaseVersion: 'seven' };
    doc.packages[3] = { ...doc.packages[3], name: 'Bad Name' };
    const r = loaded(parseRepositoryIndex(doc, 'v3.json'));
    assert.equal(r.entries.length, 7);
    assert.equal(r.warnings.length, 2);
    assert.match(r.warnings[0] ?? '', /^v3\.json: skipped package cassandra: releaseVersion: /);
    assert.match(
      r.warnings[1] ?? '',
      /^v3\.json: skipped package Bad Name releaseVersion 1: name: must be a lower-case/,
    );
    assert.equal(r.summaries.find((s) => s.name === 'cassandra')?.currentVersion, '1.0.5-2.2.5');
  });

  it('takes the format from a media type when given one, and warns when the packages do not fit it', () => {
    const v3doc = readJson('index/v3/test-v3-repo-up-to-1.8.json');
    assert.equal(loaded(parseRepositoryIndex(v3doc, 'x', REPO_MEDIA_TYPES.v5)).format, 'v5');
    assert.equal(
      loaded(
        parseRepositoryIndex(
          v3doc,
          'x',
          'application/vnd.dcos.universe.repo+json; charset=utf-8; version=v4',
        ),
      ).format,
      'v4',
    );
    assert.equal(loaded(parseRepositoryIndex(v3doc, 'x', 'application/json')).format, 'v3');
    const v5 = loaded(
      parseRepositoryIndex(readJson('index/v5/package-with-custom-manager.json'), 'x', REPO_MEDIA_TYPES.v3),
    );
    assert.equal(v5.format, 'v3');
    assert.equal(v5.entries.length, 1);
    assert.deepEqual(v5.warnings, ['x: a v3 index cannot carry packagingVersion 5.0 packages']);
  });

  it('builds the Accept header Cosmos sent', () => {
    assert.equal(
      ACCEPT_REPOSITORY,
      'application/vnd.dcos.universe.repo+json;charset=utf-8;version=v5,' +
        'application/vnd.dcos.universe.repo+json;charset=utf-8;version=v4,' +
        'application/vnd.dcos.universe.repo+json;charset=utf-8;version=v3',
    );
  });
});

describe('buildRepositoryIndex', () => {
  it('sorts by name then releaseVersion and drops nulls; the result parses back', () => {
    const e = (name: string, releaseVersion: number, extra: Record<string, unknown> = {}) =>
      ({ name, version: `1.${releaseVersion}`, releaseVersion, ...extra }) as PackageEntry;
    const index = buildRepositoryIndex([e('b', 2), e('a', 3, { scm: null }), e('b', 0), e('a', 1)]);
    assert.deepEqual(
      index.packages.map((p) => `${p.name}/${p.releaseVersion}`),
      ['a/1', 'a/3', 'b/0', 'b/2'],
    );
    assert.equal('scm' in (index.packages[1] ?? {}), false);
    const back = loaded(parseRepositoryIndex(JSON.parse(JSON.stringify(index)), 'x'));
    assert.deepEqual(back.entries, index.packages);
    assert.deepEqual(
      summarizeEntries(back.entries).map((s) => s.currentVersion),
      ['1.3', '1.2'],
    );
  });
});
