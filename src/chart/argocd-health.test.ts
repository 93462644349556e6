// The Argo CD health checks of charts/dcos-operator/argocd: one Lua script per kind of the operator, and
// argocd-cm.yaml carrying each script verbatim under resource.customizations.health.<group>_<Kind>.
// UPDATE_ARGOCD_CM=1 rewrites argocd-cm.yaml's data from the scripts instead of failing.
// (What the scripts decide is checked against kstatus by test/integration/gitops.test.ts.)
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { RESOURCES } from '../resources/registry.ts';

const dir = path.resolve(import.meta.dirname, '../../charts/dcos-operator/argocd');
const cmFile = path.join(dir, 'argocd-cm.yaml');
const KEY_PREFIX = 'resource.customizations.health.';

const scriptName = (group: string, kind: string) => `${group}_${kind}.lua`;
const scripts = RESOURCES.map((r) => ({
  key: `${KEY_PREFIX}${r.group}_${r.kind}`,
  file: scriptName(r.group, r.kind),
  kind: r.kind,
}));
const read = (file: string) => readFileSync(path.join(dir, file), 'utf8');

/** argocd-cm.yaml with its data rebuilt from the scripts (the part above `data:` kept). */
function rendered(current: string): string {
  const head = current.slice(0, current.search(/^data:\n/m));
  const body = scripts.map(({ key, file }) => {
    const lines = read(file)
      .replace(/\n$/, '')
      .split('\n')
      .map((l) => (l ? `    ${l}` : ''));
    return `  ${key}: |\n${lines.join('\n')}\n`;
  });
  return `${head}data:\n${body.join('')}`;
}

describe('Argo CD health checks (charts/dcos-operator/argocd)', () => {
  if (process.env.UPDATE_ARGOCD_CM) {
    before(() => writeFileSync(cmFile, rendered(readFileSync(cmFile, 'utf8'))));
  }

  it('has one script per kind of the operator, named as Argo CD keys health customizations', () => {
    const lua = readdirSync(dir)
      .filter((f) => f.endsWith('.lua'))
      .sort();
    assert.deepEqual(lua, scripts.map((s) => s.file).sort());
  });

  it('argocd-cm.yaml holds every script verbatim under its resource.customizations.health key', () => {
    const cm = YAML.parse(readFileSync(cmFile, 'utf8')) as {
      apiVersion: string;
      kind: string;
      metadata: { name: string };
      data: Record<string, string>;
    };
    assert.equal(cm.apiVersion, 'v1');
    assert.equal(cm.kind, 'ConfigMap');
    assert.equal(cm.metadata.name, 'argocd-cm');
    assert.deepEqual(Object.keys(cm.data).sort(), scripts.map((s) => s.key).sort());
    for (const { key, file } of scripts)
      assert.equal(
        cm.data[key],
        read(file),
        `${key} differs from ${file}: run UPDATE_ARGOCD_CM=1 mocha src/chart/argocd-health.test.ts`,
      );
  });

  it('the scripts are one text: MarathonApp’s Suspended rule is keyed on obj.kind', () => {
    const texts = new Set(scripts.map((s) => read(s.file)));
    assert.equal(texts.size, 1, 'the per-kind scripts differ');
    const [text] = texts;
    assert.match(text!, /obj\.kind == "MarathonApp" and instances == 0/);
  });

  it('uses the base and table libraries only (Argo CD gives argocd-cm scripts no string or math)', () => {
    for (const { file } of scripts) {
      const code = read(file)
        .split('\n')
        .filter((l) => !l.trimStart().startsWith('--'))
        .join('\n');
      assert.doesNotMatch(code, /\b(string|math|os|io|package|debug|coroutine)\.\w/, file);
      assert.doesNotMatch(code, /\b(require|dofile|loadfile|load|loadstring)\s*\(/, file);
      assert.doesNotMatch(code, /:\s*\w+\s*\(/, `${file}: no string methods (s:sub(...))`);
    }
  });
});
