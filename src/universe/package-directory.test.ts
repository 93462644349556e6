import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readPackageDirectory } from './package-directory.ts';

const fixtures = path.resolve(import.meta.dirname, '../../../shared/fixtures/universe');
const packagesDir = path.join(fixtures, 'packages');

describe('readPackageDirectory', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'universe-dir-'));
  });
  afterEach(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('loads every fixture package folder as its <name>/<revision>', async () => {
    const folders = fs
      .readdirSync(packagesDir)
      .flatMap((name) =>
        fs.readdirSync(path.join(packagesDir, name)).map((rev) => ({ name, rev: Number(rev) })),
      );
    assert.equal(folders.length, 18);
    const r = await readPackageDirectory(packagesDir);
    assert.equal(r.format, 'directory');
    assert.deepEqual(r.warnings, []);
    assert.equal(r.entries.length, 18);
    for (const { name, rev } of folders) {
      const entry = r.entries.find((e) => e.name === name);
      assert.ok(entry, name);
      assert.equal(entry.releaseVersion, rev, name);
      assert.ok(entry.marathon?.v2AppMustacheTemplate, `${name} has its template`);
    }
    assert.equal(r.summaries.length, 18);
    assert.deepEqual(
      r.summaries.filter((s) => s.selected).map((s) => s.name),
      ['jenkins', 'kafka', 'spark'],
    );
    const helloworld = r.entries.find((e) => e.name === 'helloworld');
    assert.equal(helloworld?.packagingVersion, '2.0');
    assert.deepEqual(helloworld?.command?.pip.length, 2);
    assert.deepEqual(r.entries.find((e) => e.name === 'kafka')?.upgradesFrom, [
      '2.9.0-2.4.0',
      '2.8.1-2.3.1',
      '2.8.0-2.3.0',
    ]);
  });

  it('loads a Universe checkout laid out as repo/packages/<L>/<name>/<rev>, ignoring hidden folders', async () => {
    fs.cpSync(path.join(packagesDir, 'nginx/6'), path.join(tmp, 'repo/packages/N/nginx/6'), {
      recursive: true,
    });
    fs.cpSync(path.join(packagesDir, 'etcd/2'), path.join(tmp, '.git/packages/E/etcd/2'), {
      recursive: true,
    });
    const r = await readPackageDirectory(tmp);
    assert.deepEqual(
      r.entries.map((e) => [e.name, e.releaseVersion, e.version]),
      [['nginx', 6, '1.10.3']],
    );
  });

  it('skips, with a warning naming it, a revision folder whose package.json names another package', async () => {
    fs.cpSync(path.join(packagesDir, 'nginx/6'), path.join(tmp, 'N/nginx/6'), { recursive: true });
    fs.cpSync(path.join(packagesDir, 'hue/0'), path.join(tmp, 'H/hugh/0'), { recursive: true });
    const r = await readPackageDirectory(tmp);
    assert.deepEqual(
      r.entries.map((e) => e.name),
      ['nginx'],
    );
    assert.deepEqual(r.warnings, [
      `${path.join(tmp, 'H/hugh/0')}: package.json name "hue" does not match its folder name "hugh"`,
    ]);
  });

  it('fails with the reasons when no package folder can be read', async () => {
    fs.cpSync(path.join(packagesDir, 'hue/0'), path.join(tmp, 'hugh/0'), { recursive: true });
    await assert.rejects(
      readPackageDirectory(tmp),
      /none of its 1 package folders could be read: .*does not match/,
    );
  });

  it('falls back to repo/meta/index.json when there are no package folders', async () => {
    fs.cpSync(path.join(fixtures, 'index/v2-zip/meta'), path.join(tmp, 'repo/meta'), { recursive: true });
    const r = await readPackageDirectory(tmp);
    assert.equal(r.format, 'v2-summary');
    assert.deepEqual(r.entries, []);
    assert.equal(r.summaries.length, 37);
  });

  it('fails clearly on a directory with neither packages nor an index', async () => {
    fs.mkdirSync(path.join(tmp, 'packages/nginx/latest'), { recursive: true });
    await assert.rejects(readPackageDirectory(tmp), (err: Error) => {
      assert.match(err.message, /no Universe packages found/);
      assert.ok(err.message.startsWith(tmp));
      return true;
    });
    await assert.rejects(readPackageDirectory(path.join(tmp, 'missing')), /not a directory/);
  });
});
