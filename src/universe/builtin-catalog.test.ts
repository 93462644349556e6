import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { builtinRepository } from './builtin-catalog.ts';
import { writeBuiltinCatalog } from './builtin-catalog-gen.ts';
import { Catalog } from './catalog.ts';

const packagesDir = path.resolve(import.meta.dirname, '../../../shared/fixtures/universe/packages');
const committed = path.join(import.meta.dirname, 'catalog/builtin.json');

describe('builtin catalog', () => {
  it('holds the 18 fixture packages, each resolvable', () => {
    const repo = builtinRepository();
    assert.equal(repo.name, 'builtin');
    assert.equal(repo.uri, 'builtin');
    assert.equal(repo.entries.length, 18);
    assert.equal(repo.summaries.length, 18);
    const catalog = new Catalog([repo]);
    const kafka = catalog.resolve('kafka');
    assert.ok(kafka.ok);
    assert.equal(kafka.entry.version, '2.10.0-2.4.0');
    assert.equal(kafka.entry.releaseVersion, 1200);
    const helloworld = catalog.resolve('helloworld');
    assert.equal(helloworld.ok && helloworld.entry.packagingVersion, '2.0');
    assert.deepEqual(
      catalog.search('*redis*').map((s) => s.name),
      ['mr-redis'],
    );
  });

  it('is exactly what the generator makes of the fixtures now', async function () {
    if (!fs.existsSync(packagesDir)) this.skip();
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'builtin-catalog-'));
    try {
      const out = path.join(tmp, 'builtin.json');
      assert.equal(await writeBuiltinCatalog(packagesDir, out), 18);
      assert.ok(
        fs.readFileSync(out).equals(fs.readFileSync(committed)),
        'src/universe/catalog/builtin.json is stale: run node src/universe/gen-builtin-catalog.ts',
      );
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
