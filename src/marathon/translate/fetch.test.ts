import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FetchUri } from '../app.ts';
import { MESOS_SANDBOX } from '../app.ts';
import { testApp, testContext } from '../test-app.ts';
import { emptyDraft, SANDBOX_VOLUME, type Draft } from './draft.ts';
import { FETCH_SCRIPT, applyFetch, fetchBasename } from './fetch.ts';

const ctx = testContext({ fetchImage: 'example.com/fetcher:1' });
const uri = (u: string, extra: Partial<FetchUri> = {}): FetchUri => ({
  uri: u,
  extract: true,
  executable: false,
  cache: false,
  ...extra,
});

function run(fetch: FetchUri[]): Draft {
  const d = emptyDraft();
  d.pod.volumes.push({ name: SANDBOX_VOLUME, emptyDir: {} });
  applyFetch(testApp({ fetch }), ctx, d);
  return d;
}

describe('translate fetch', () => {
  it('adds nothing without URIs, or with only Docker credential URIs', () => {
    for (const fetch of [[], [uri('file:///home/centos/docker.tar.gz')]]) {
      const d = run(fetch);
      assert.deepEqual(d.initContainers, []);
      assert.equal(d.pod.volumes.length, 1);
      assert.deepEqual(d.notes, []);
    }
  });

  it('downloads into the sandbox with one init container (app.json fixture)', () => {
    const d = run([
      uri('https://foo.com/setup.py', { extract: false }),
      uri('https://foo.com/archive.zip', { cache: true, destPath: 'newname.zip' }),
      uri('http://downloads.mesosphere.com/tutorials/RailsHello.tgz'),
      uri('ftp://host/bin/tool', { executable: true, extract: false }),
    ]);
    assert.deepEqual(d.initContainers, [
      {
        name: 'fetch',
        image: 'example.com/fetcher:1',
        command: ['sh', '-c', FETCH_SCRIPT, 'fetch'],
        args: [
          ...['https://foo.com/setup.py', 'setup.py', '0', '0'],
          ...['https://foo.com/archive.zip', 'newname.zip', '1', '0'],
          ...['http://downloads.mesosphere.com/tutorials/RailsHello.tgz', 'RailsHello.tgz', '1', '0'],
          ...['ftp://host/bin/tool', 'tool', '0', '1'],
        ],
        workingDir: MESOS_SANDBOX,
        volumeMounts: [{ name: SANDBOX_VOLUME, mountPath: MESOS_SANDBOX }],
      },
    ]);
    assert.deepEqual(d.notes, [
      {
        path: '/fetch(1)/cache',
        kind: 'ignored',
        message: 'there is no fetcher cache: the URI is downloaded for every pod',
      },
    ]);
  });

  it('names downloads like the Mesos fetcher (table)', () => {
    const table: [string, string][] = [
      ['http://h/a/b/c.tar.gz', 'c.tar.gz'],
      ['https://h:8080/file', 'file'],
      ['http://h/dir/', 'dir'],
      ['http://h/x.tgz?sig=1', 'x.tgz?sig=1'],
      ['http://h', 'download'],
    ];
    for (const [u, base] of table) assert.equal(fetchBasename(u), base, u);
  });

  it('copies file:// URIs from a read-only hostPath mount of their directory', () => {
    const d = run([
      uri('file:///opt/artifacts/app.tgz'),
      uri('/opt/artifacts/run.sh', { executable: true, extract: false }),
      uri('file:///srv/my%20file.txt', { destPath: '/conf/file.txt', extract: false }),
    ]);
    assert.deepEqual(d.pod.volumes.slice(1), [
      { name: 'fetch-host-0', hostPath: { path: '/opt/artifacts', type: 'Directory' } },
      { name: 'fetch-host-1', hostPath: { path: '/srv', type: 'Directory' } },
    ]);
    const c = d.initContainers[0];
    assert.deepEqual(c?.volumeMounts, [
      { name: SANDBOX_VOLUME, mountPath: MESOS_SANDBOX },
      { name: 'fetch-host-0', mountPath: '/mnt/dcos-operator/fetch/0', readOnly: true },
      { name: 'fetch-host-1', mountPath: '/mnt/dcos-operator/fetch/1', readOnly: true },
    ]);
    assert.deepEqual(c?.args, [
      ...['/mnt/dcos-operator/fetch/0/app.tgz', 'app.tgz', '1', '0'],
      ...['/mnt/dcos-operator/fetch/0/run.sh', 'run.sh', '0', '1'],
      ...['/mnt/dcos-operator/fetch/1/my file.txt', 'conf/file.txt', '0', '0'],
    ]);
  });

  it('notes URIs it cannot fetch', () => {
    const d = run([uri('hdfs://namenode/app.jar'), uri('http://h/ok')]);
    assert.deepEqual(d.initContainers[0]?.args, ['http://h/ok', 'ok', '1', '0']);
    assert.deepEqual(
      d.notes.map((n) => [n.path, n.kind]),
      [['/fetch(0)/uri', 'ignored']],
    );
  });

  it('the script copies, extracts and marks executable like the Mesos fetcher', function () {
    const tmp = mkdtempSync(path.join(tmpdir(), 'fetch-test-'));
    try {
      const agent = path.join(tmp, 'agent');
      const sandbox = path.join(tmp, 'sandbox');
      mkdirSync(path.join(agent, 'pkg'), { recursive: true });
      mkdirSync(sandbox);
      writeFileSync(path.join(agent, 'pkg', 'hello.txt'), 'hello\n');
      execFileSync('tar', ['-czf', path.join(agent, 'pkg.tgz'), '-C', agent, 'pkg']);
      writeFileSync(path.join(agent, 'notes.txt'), 'plain\n');
      execFileSync('gzip', ['-k', path.join(agent, 'notes.txt')]);
      writeFileSync(path.join(agent, 'run.sh'), '#!/bin/sh\n');
      chmodSync(path.join(agent, 'run.sh'), 0o644);
      const evil = '$(touch pwned); `touch pwned2`';
      writeFileSync(path.join(agent, evil), 'x');

      execFileSync(
        'sh',
        [
          '-c',
          FETCH_SCRIPT,
          'fetch',
          ...[path.join(agent, 'pkg.tgz'), 'pkg.tgz', '1', '0'],
          ...[path.join(agent, 'notes.txt.gz'), 'sub/notes.txt.gz', '1', '0'],
          ...[path.join(agent, 'run.sh'), 'bin/run.sh', '1', '1'],
          ...[path.join(agent, 'pkg.tgz'), 'kept.tgz', '0', '0'],
          ...[path.join(agent, evil), '-odd name', '0', '0'],
        ],
        { cwd: sandbox, stdio: 'pipe' },
      );
      const read = (p: string) => readFileSync(path.join(sandbox, p), 'utf8');
      assert.equal(read('pkg/hello.txt'), 'hello\n', 'extracted into the sandbox');
      assert.ok(statSync(path.join(sandbox, 'pkg.tgz')).isFile(), 'archive kept');
      assert.equal(read('sub/notes.txt'), 'plain\n', '.gz decompressed beside itself');
      assert.equal(statSync(path.join(sandbox, 'bin/run.sh')).mode & 0o777, 0o755);
      assert.ok(statSync(path.join(sandbox, 'kept.tgz')).isFile());
      assert.equal(read('-odd name'), 'x');
      assert.throws(() => statSync(path.join(sandbox, 'pwned')));
      assert.throws(() => statSync(path.join(sandbox, 'pwned2')));
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('the script fails when a download fails', () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'fetch-test-'));
    try {
      assert.throws(() =>
        execFileSync('sh', ['-c', FETCH_SCRIPT, 'fetch', path.join(tmp, 'missing'), 'x', '0', '0'], {
          cwd: tmp,
          stdio: 'pipe',
        }),
      );
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
