import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Catalog } from './catalog.ts';
import type { CatalogRepository } from './catalog.ts';
import type { PackageEntry } from './package-entry.ts';
import { parseRepositoryIndex, summarizeEntries } from './repository-index.ts';

const fixtures = path.resolve(import.meta.dirname, '../../../shared/fixtures/universe');

const entry = (
  name: string,
  version: string,
  releaseVersion: number,
  over: Partial<PackageEntry> = {},
): PackageEntry => ({
  packagingVersion: '4.0',
  name,
  version,
  releaseVersion,
  description: `${name} package`,
  tags: [],
  ...over,
});

const repo = (name: string, entries: PackageEntry[]): CatalogRepository => ({
  name,
  uri: `https://${name}.example/repo`,
  entries,
  summaries: summarizeEntries(entries),
});

function resolved(c: Catalog, name: string, version?: string) {
  const r = c.resolve(name, version);
  if (!r.ok) assert.fail(r.message);
  return { id: `${r.entry.version}#${r.entry.releaseVersion}`, repo: r.repository.name };
}

describe('Catalog', () => {
  const first = repo('first', [entry('nginx', '1.0', 3), entry('nginx', '2.0', 4), entry('redis', '5.0', 1)]);
  const second = repo('second', [
    entry('nginx', '2.0', 9, { description: 'shadowed' }),
    entry('nginx', '3.0', 12),
    entry('kafka', '1.0', 0),
  ]);
  const catalog = new Catalog([first, second]);

  describe('resolve', () => {
    it('takes the default version from the highest repository, then the highest releaseVersion', () => {
      assert.deepEqual(resolved(catalog, 'nginx'), { id: '2.0#4', repo: 'first' });
      assert.deepEqual(resolved(new Catalog([second, first]), 'nginx'), { id: '3.0#12', repo: 'second' });
      assert.deepEqual(resolved(catalog, 'kafka'), { id: '1.0#0', repo: 'second' });
    });

    it('lets the higher repository win for the same name and version', () => {
      assert.deepEqual(resolved(catalog, 'nginx', '2.0'), { id: '2.0#4', repo: 'first' });
      assert.deepEqual(resolved(catalog, 'nginx', '3.0'), { id: '3.0#12', repo: 'second' });
      assert.deepEqual(
        catalog
          .entries('nginx')
          .map((c) => `${c.entry.version}#${c.entry.releaseVersion}@${c.repository.name}`),
        ['2.0#4@first', '1.0#3@first', '3.0#12@second'],
      );
      const r = catalog.resolve('nginx');
      assert.deepEqual(r.ok && r.repository, { name: 'first', uri: 'https://first.example/repo' });
    });

    it('keeps the highest revision of a version a repository lists twice', () => {
      const r = parseRepositoryIndex(
        JSON.parse(fs.readFileSync(path.join(fixtures, 'index/v3/test-v3-repo-up-to-1.8.json'), 'utf8')),
        'v3',
      );
      assert.ok(r.ok);
      const c = new Catalog([{ name: 'v3', uri: 'v3', entries: r.entries, summaries: r.summaries }]);
      assert.deepEqual(resolved(c, 'nginx', '1.8.1'), { id: '1.8.1#1', repo: 'v3' });
      assert.deepEqual(resolved(c, 'cassandra'), { id: '1.0.5-2.2.5#7', repo: 'v3' });
    });

    it('answers with Cosmos’s messages when nothing matches', () => {
      assert.deepEqual(catalog.resolve('mysql'), {
        ok: false,
        type: 'PackageNotFound',
        message: 'Package [mysql] not found',
      });
      assert.deepEqual(catalog.resolve('nginx', '9.9'), {
        ok: false,
        type: 'VersionNotFound',
        message: 'Version [9.9] of package [nginx] not found',
      });
    });

    it('says when a package is only listed by a summary index', () => {
      const summary = {
        name: 'v2',
        uri: 'v2',
        entries: [],
        summaries: [
          {
            name: 'chronos',
            currentVersion: '2.4.0',
            versions: { '2.4.0': '0' },
            description: 'cron',
            framework: true,
            tags: [],
            selected: true,
          },
        ],
      };
      const c = new Catalog([first, summary]);
      const r = c.resolve('chronos');
      assert.equal(r.ok, false);
      assert.equal(r.ok || r.type, 'PackageNotFound');
      assert.match(
        r.ok ? '' : r.message,
        /^Package \[chronos\] not found \(repository v2 lists it without its package files/,
      );
      assert.deepEqual(c.versions('chronos'), { '2.4.0': '0' });
      assert.deepEqual(
        c.search('cron').map((s) => s.name),
        ['chronos'],
      );
    });
  });

  it('lists versions with the releaseVersion from the repository that wins', () => {
    assert.deepEqual(catalog.versions('nginx'), { '2.0': '4', '1.0': '3', '3.0': '12' });
    assert.deepEqual(catalog.versions('nope'), {});
    assert.deepEqual(catalog.repositoryNames(), ['first', 'second']);
  });

  describe('search', () => {
    const c = new Catalog([
      repo('one', [
        entry('marathon-lb', '1.15.0', 45, {
          description: 'HAProxy configured using Marathon state',
          tags: ['loadbalancer', 'proxy'],
        }),
        entry('nginx', '1.10.3', 6, { description: 'Nginx package', tags: ['proxy', 'Web-Server'] }),
        entry('zookeeper', '1.0', 1, { description: 'Coordination', tags: ['coordination'], selected: true }),
        entry('kafka', '2.10.0', 1200, {
          description: 'Apache Kafka',
          tags: ['message'],
          selected: true,
          framework: true,
        }),
        entry('kafka', '2.9.0', 1100, { description: 'Old description', tags: ['old-tag'] }),
      ]),
    ]);
    const names = (q?: string) => c.search(q).map((s) => s.name);

    it('returns everything, selected first then by name, for an absent or empty query', () => {
      assert.deepEqual(names(), ['kafka', 'zookeeper', 'marathon-lb', 'nginx']);
      assert.deepEqual(names(''), names());
    });

    it('builds one result per package from its default entry', () => {
      assert.deepEqual(c.search('kafka'), [
        {
          name: 'kafka',
          currentVersion: '2.10.0',
          versions: { '2.10.0': '1200', '2.9.0': '1100' },
          description: 'Apache Kafka',
          framework: true,
          tags: ['message'],
          selected: true,
        },
      ]);
      assert.equal(c.search('nginx')[0]?.framework, false);
      // Only the default entry's fields are searched.
      assert.deepEqual(names('old-tag'), []);
    });

    it('matches a substring of name, description or a tag, ignoring case', () => {
      assert.deepEqual(names('PROXY'), ['marathon-lb', 'nginx']);
      assert.deepEqual(names('web-server'), ['nginx']);
      assert.deepEqual(names('haproxy configured'), ['marathon-lb']);
      assert.deepEqual(names('ordin'), ['zookeeper']);
    });

    it('treats a query with * as an anchored, case-sensitive pattern', () => {
      assert.deepEqual(names('n*'), ['nginx']);
      assert.deepEqual(names('*keeper'), ['zookeeper']);
      assert.deepEqual(names('keeper*'), []);
      assert.deepEqual(names('Web-*'), ['nginx']);
      assert.deepEqual(names('web-*'), []);
      assert.deepEqual(names('*HAProxy*'), ['marathon-lb']);
      // Everything but * is literal: n*.x would match nginx if . were a wildcard.
      assert.deepEqual(names('n*x'), ['nginx']);
      assert.deepEqual(names('n*.x'), []);
      assert.deepEqual(names('*'), names());
    });

    it('merges versions across repositories, the higher one winning', () => {
      assert.deepEqual(catalog.search('nginx')[0]?.versions, { '2.0': '4', '1.0': '3', '3.0': '12' });
      assert.equal(catalog.search('nginx')[0]?.description, 'nginx package');
    });
  });

  describe('upgradePath', () => {
    const kafkaFixture = JSON.parse(
      fs.readFileSync(path.join(fixtures, 'packages/kafka/1200/package.json'), 'utf8'),
    ) as PackageEntry;
    const c = new Catalog([
      repo('u', [
        { ...kafkaFixture, releaseVersion: 1200 },
        entry('kafka', '2.9.0-2.4.0', 1100, { downgradesTo: ['2.8.0-2.3.0'] }),
        entry('kafka', '2.8.0-2.3.0', 1000),
        entry('kafka', '2.7.0-2.2.0', 900, { upgradesFrom: [] }),
        entry('any', '2.0', 2, { upgradesFrom: ['*'], downgradesTo: ['*'] }),
        entry('any', '1.0', 1, { downgradesTo: ['*'] }),
      ]),
    ]);

    it('allows an upgrade the target lists in upgradesFrom', () => {
      assert.deepEqual(c.upgradePath('kafka', '2.9.0-2.4.0', '2.10.0-2.4.0'), {
        ok: true,
        direction: 'upgrade',
      });
    });

    it('refuses an upgrade the target does not list, naming both versions and the list', () => {
      assert.deepEqual(c.upgradePath('kafka', '2.7.0-2.2.0', '2.10.0-2.4.0'), {
        ok: false,
        message:
          'kafka 2.10.0-2.4.0 cannot be upgraded from 2.7.0-2.2.0: its upgradesFrom is [2.9.0-2.4.0, 2.8.1-2.3.1, 2.8.0-2.3.0]',
      });
      assert.deepEqual(c.upgradePath('kafka', '2.8.0-2.3.0', '2.9.0-2.4.0'), {
        ok: false,
        message: 'kafka 2.9.0-2.4.0 cannot be upgraded from 2.8.0-2.3.0: its upgradesFrom is not set',
      });
    });

    it('reads * as any version', () => {
      assert.deepEqual(c.upgradePath('any', '1.0', '2.0'), { ok: true, direction: 'upgrade' });
      assert.deepEqual(c.upgradePath('any', '2.0', '1.0'), { ok: true, direction: 'downgrade' });
      // An installed version no repository has any more is judged by the target's upgradesFrom alone.
      assert.deepEqual(c.upgradePath('any', '0.5', '2.0'), { ok: true, direction: 'upgrade' });
    });

    it('judges a downgrade by the installed version’s downgradesTo', () => {
      assert.deepEqual(c.upgradePath('kafka', '2.9.0-2.4.0', '2.8.0-2.3.0'), {
        ok: true,
        direction: 'downgrade',
      });
      assert.deepEqual(c.upgradePath('kafka', '2.10.0-2.4.0', '2.9.0-2.4.0'), {
        ok: true,
        direction: 'downgrade',
      });
      assert.deepEqual(c.upgradePath('kafka', '2.9.0-2.4.0', '2.7.0-2.2.0'), {
        ok: false,
        message: 'kafka 2.9.0-2.4.0 cannot be downgraded to 2.7.0-2.2.0: its downgradesTo is [2.8.0-2.3.0]',
      });
      assert.deepEqual(c.upgradePath('kafka', '2.8.0-2.3.0', '2.7.0-2.2.0'), {
        ok: false,
        message: 'kafka 2.8.0-2.3.0 cannot be downgraded to 2.7.0-2.2.0: its downgradesTo is not set',
      });
    });

    it('refuses a move from a version no repository has, when the target does not accept it', () => {
      const r = c.upgradePath('kafka', '1.0.0', '2.7.0-2.2.0');
      assert.deepEqual(r, {
        ok: false,
        message:
          'kafka 2.7.0-2.2.0 cannot be upgraded from 1.0.0: its upgradesFrom is [] ' +
          '(1.0.0 is no longer in any repository, so a downgrade cannot be judged)',
      });
    });

    it('reports the same version as same, and an unknown target with Cosmos’s message', () => {
      assert.deepEqual(c.upgradePath('kafka', '2.8.0-2.3.0', '2.8.0-2.3.0'), { ok: true, direction: 'same' });
      assert.deepEqual(c.upgradePath('kafka', '2.8.0-2.3.0', '9'), {
        ok: false,
        message: 'Version [9] of package [kafka] not found',
      });
    });
  });
});
