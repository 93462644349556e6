import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { dumpYaml } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { buildCrd, crdName } from './crd.ts';
import { RESOURCES } from './registry.ts';
import {
  CHART_CRDS_DIR,
  type CrdFile,
  crdObjects,
  GENERATED_HEADER,
  HELM_KEEP_ANNOTATIONS,
  renderCrdFiles,
  writeCrdFiles,
} from './render.ts';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const committed = path.join(repoRoot, 'crds');
const committedChart = path.join(repoRoot, CHART_CRDS_DIR);
const outOfDate = (dir: string) =>
  `${dir}/ is out of date with src/resources/: run \`npm run gen:crds\` and commit the result`;
const OUT_OF_DATE = outOfDate('crds');

// Rendering walks every zod schema: do it once per variant for the tests that only read the result.
let renderedOnce: { plain: CrdFile[]; chart: CrdFile[] } | undefined;
const rendered = () =>
  (renderedOnce ??= { plain: renderCrdFiles(), chart: renderCrdFiles(undefined, 'chart') });

async function yamlFilesIn(dir: string): Promise<string[]> {
  return existsSync(dir) ? (await readdir(dir)).filter((f) => f.endsWith('.yaml')).sort() : [];
}

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
    const { plain } = rendered();
    assert.deepEqual(await yamlFilesIn(committed), plain.map((f) => f.file).sort(), OUT_OF_DATE);
    for (const { file, yaml } of plain) {
      assert.equal(await readFile(path.join(committed, file), 'utf8'), yaml, `${file}: ${OUT_OF_DATE}`);
    }
  });

  it(`${CHART_CRDS_DIR}/ matches the schemas`, async () => {
    const { chart } = rendered();
    const message = outOfDate(CHART_CRDS_DIR);
    assert.deepEqual(await yamlFilesIn(committedChart), chart.map((f) => f.file).sort(), message);
    for (const { file, yaml } of chart) {
      assert.equal(await readFile(path.join(committedChart, file), 'utf8'), yaml, `${file}: ${message}`);
    }
  });

  it('the chart copy is each CRD plus helm.sh/resource-policy: keep, and nothing else', () => {
    const { plain, chart } = rendered();
    assert.deepEqual(
      chart.map((f) => f.file),
      plain.map((f) => f.file),
    );
    for (const [i, f] of chart.entries()) {
      assert.ok(f.yaml.startsWith(GENERATED_HEADER));
      const expected = parse(plain[i]!.yaml) as { metadata: Record<string, unknown> };
      expected.metadata.annotations = { ...HELM_KEEP_ANNOTATIONS };
      assert.deepEqual(parse(f.yaml), expected, f.file);
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

    it('writes the chart variant', async () => {
      await writeCrdFiles(dir, undefined, 'chart');
      for (const { file, yaml } of rendered().chart)
        assert.equal(await readFile(path.join(dir, file), 'utf8'), yaml);
    });

    it('creates the folder', async () => {
      const nested = path.join(dir, 'a', 'b');
      await writeCrdFiles(nested);
      assert.equal((await readdir(nested)).length, renderCrdFiles().length);
    });
  });
});
