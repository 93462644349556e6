import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

const main = path.resolve(import.meta.dirname, 'main.ts');
// No cluster: the CLI must fall back to the built-in catalog, not read a developer's kubeconfig.
const env = { ...process.env, KUBECONFIG: '', HOME: os.tmpdir(), KUBERNETES_SERVICE_HOST: '' };
const run = (...args: string[]) => spawnSync(process.execPath, [main, ...args], { encoding: 'utf8', env });

describe('package CLI', function () {
  this.timeout(30_000);
  let dir: string;
  before(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'pkg-cli-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('render package prints the MarathonApp and the objects it becomes', () => {
    const opts = path.join(dir, 'opts.json');
    writeFileSync(opts, JSON.stringify({ nginx: { name: 'site', instances: 2 } }));
    const r = run('render', 'package', 'nginx', '--options', opts, '-n', 'web');
    assert.equal(r.status, 0, r.stderr);
    const docs = parseAllDocuments(r.stdout).map(
      (d) =>
        d.toJS() as {
          kind: string;
          metadata: { name: string };
          spec: { instances?: number; labels?: Record<string, string> };
        },
    );
    assert.deepEqual(
      docs.map((d) => `${d.kind}/${d.metadata.name}`),
      ['MarathonApp/site', 'Deployment/site', 'Service/site'],
    );
    assert.equal(docs[0]?.spec.instances, 2);
    assert.equal(docs[0]?.spec.labels?.DCOS_PACKAGE_NAME, 'nginx');
  });

  it('exits 2 with the schema errors for bad options, and names the repositories for an unknown package', () => {
    const opts = path.join(dir, 'bad.json');
    writeFileSync(opts, JSON.stringify({ nginx: { instances: 0 } }));
    const bad = run('render', 'package', 'nginx', '--options', opts);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /JsonSchemaMismatch/);
    assert.match(bad.stderr, /nginx\.instances: must be >= 1/);
    const unknown = run('render', 'package', 'nope');
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /Package \[nope\] not found \(repositories searched: builtin\)/);
  });

  it('renders from a repository index file or a Universe directory given with --repo, and warns about framework packages', () => {
    const index = path.join(dir, 'repo.json');
    const template = JSON.stringify({ id: '/only-here', cmd: 'sleep 1' });
    writeFileSync(
      index,
      JSON.stringify({
        packages: [
          {
            packagingVersion: '3.0',
            name: 'only-here',
            version: '0.1',
            releaseVersion: 0,
            maintainer: 'm',
            description: 'd',
            tags: [],
            marathon: { v2AppMustacheTemplate: Buffer.from(template).toString('base64') },
          },
        ],
      }),
    );
    const r = run('render', 'package', 'only-here', '--repo', index, '--emit', 'app');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /id: \/only-here/);
    const tree = path.resolve(import.meta.dirname, '../../../shared/fixtures/universe/packages');
    const fromDir = run('render', 'package', 'helloworld', '--repo', tree, '--emit', 'app');
    assert.equal(fromDir.status, 0, fromDir.stderr);
    assert.match(fromDir.stdout, /DCOS_PACKAGE_SOURCE: .*fixtures\/universe\/packages/);
    const kafka = run('render', 'package', 'kafka', '--emit', 'app');
    assert.equal(kafka.status, 0, kafka.stderr);
    assert.match(kafka.stderr, /warning: kafka installs a dcos-commons \(SDK\) scheduler/);
  });

  it('package search lists matches, selected first; describe says whether a package works', () => {
    const all = run('package', 'search', '--json');
    assert.equal(all.status, 0, all.stderr);
    const names = (JSON.parse(all.stdout) as { packages: { name: string; selected: boolean }[] }).packages;
    assert.equal(names.length, 18);
    assert.equal(names[0]?.selected, true);
    const web = run('package', 'search', 'proxy');
    assert.match(web.stdout, /^NAME\s+VERSION\s+SELECTED\s+FRAMEWORK\s+DESCRIPTION/);
    assert.match(web.stdout, /marathon-lb/);
    const kafka = JSON.parse(run('package', 'describe', 'kafka').stdout) as {
      package: { name: string; version: string };
      kubernetes: { kind: string; works: boolean };
    };
    assert.deepEqual(
      [kafka.package.version, kafka.kubernetes.kind, kafka.kubernetes.works],
      ['2.10.0-2.4.0', 'sdk-framework', false],
    );
    const nginx = JSON.parse(run('package', 'describe', 'nginx').stdout) as {
      kubernetes: { works: boolean };
    };
    assert.equal(nginx.kubernetes.works, true);
    const missing = run('package', 'describe', 'nope');
    assert.equal(missing.status, 2);
  });
});
