import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { dumpYaml } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { buildCrd, crdName } from './crd.ts';
import { RESOURCES } from './registry.ts';
import { crdObjects, GENERATED_HEADER, renderCrdFiles, writeCrdFiles } from './render.ts';

const committed = path.resolve(import.meta.dirname, '../../crds');
const OUT_OF_DATE = 'crds/ is out of date with src/resources/: run `npm run gen:crds` and commit the result';

describe('CRD files', () => {
  it('renders one stable file per resource', () => {
    const files = renderCrdFiles();
    assert.deepEqual(
      files.map((f) => f.file),
      RESOURCES.map((r) => `${r.plural}.${r.group}.yaml`).sort(),
    );
    assert.deepEqual(renderCrdFiles(), files, 'rendering twice gives the same output');
    for (const [i, f] of files.entries()) {
      assert.ok(f.yaml.startsWith(GENERATED_HEADER));
      assert.doesNotMatch(f.yaml, /[&*]a\d+/, 'no YAML anchors or aliases');
      const def = RESOURCES.find((r) => f.file.startsWith(`${r.plural}.`));
      assert.ok(def, `resource for ${f.file} (${i})`);
      assert.deepEqual(parse(f.yaml), JSON.parse(JSON.stringify(buildCrd(def))));
    }
  });

  it('crds/ matches the schemas', async () => {
    const rendered = renderCrdFiles();
    const present = existsSync(committed)
      ? (await readdir(committed)).filter((f) => f.endsWith('.yaml'))
      : [];
    assert.deepEqual(present.sort(), rendered.map((f) => f.file).sort(), OUT_OF_DATE);
    for (const { file, yaml } of rendered) {
      assert.equal(await readFile(path.join(committed, file), 'utf8'), yaml, `${file}: ${OUT_OF_DATE}`);
    }
  });

  it('gives client-node objects that serialize back to the exact CRD', () => {
    // KubernetesObjectApi serializes through these models; plain objects would lose x-kubernetes-* keywords
    const objects = crdObjects();
    assert.equal(objects.length, RESOURCES.length);
    for (const obj of objects) {
      const def = RESOURCES.find((r) => crdName(r) === obj.metadata?.name);
      assert.ok(def);
      assert.deepEqual(parse(dumpYaml(obj)), JSON.parse(JSON.stringify(buildCrd(def))));
    }
  });

  describe('writeCrdFiles', () => {
    let dir = '';
    beforeEach(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'crds-'));
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('writes the files and removes stale generated ones, leaving other files alone', async () => {
      await writeFile(path.join(dir, 'old.dcos-operator.dev.yaml'), `${GENERATED_HEADER}kind: Old\n`);
      await writeFile(path.join(dir, 'handwritten.yaml'), 'kind: Mine\n');
      const written = await writeCrdFiles(dir);
      assert.deepEqual(
        written,
        renderCrdFiles().map((f) => path.join(dir, f.file)),
      );
      assert.deepEqual(
        (await readdir(dir)).sort(),
        [...renderCrdFiles().map((f) => f.file), 'handwritten.yaml'].sort(),
      );
    });

    it('creates the folder', async () => {
      const nested = path.join(dir, 'a', 'b');
      await writeCrdFiles(nested);
      assert.equal((await readdir(nested)).length, renderCrdFiles().length);
    });
  });
});
