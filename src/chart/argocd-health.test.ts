// The Argo CD health check of charts/dcos-operator/argocd: one Lua script, health.lua, for every kind of
// the operator, and argocd-cm.yaml carrying it verbatim under resource.customizations.health.<group>_<Kind>
// for each kind (argocd-cm keys cannot hold wildcards, so the text repeats there and only there).
// UPDATE_ARGOCD_CM=1 rewrites argocd-cm.yaml's data from health.lua instead of failing.
// (What the script decides is checked against kstatus by test/integration/gitops.test.ts.)
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { RESOURCES } from '../resources/registry.ts';

const dir = path.resolve(import.meta.dirname, '../../charts/dcos-operator/argocd');
const cmFile = path.join(dir, 'argocd-cm.yaml');
const script = readFileSync(path.join(dir, 'health.lua'), 'utf8');
const keys = RESOURCES.map((r) => `resource.customizations.health.${r.group}_${r.kind}`);

/** argocd-cm.yaml with its data rebuilt from health.lua (the part above `data:` kept). */
function rendered(current: string): string {
  const head = current.slice(0, current.search(/^data:\n/m));
  const lines = script
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => (l ? `    ${l}` : ''))
    .join('\n');
  return `${head}data:\n${keys.map((key) => `  ${key}: |\n${lines}\n`).join('')}`;
}

describe('Argo CD health check (charts/dcos-operator/argocd)', () => {
  if (process.env.UPDATE_ARGOCD_CM) {
    before(() => writeFileSync(cmFile, rendered(readFileSync(cmFile, 'utf8'))));
  }

  it('argocd-cm.yaml holds health.lua verbatim under the resource.customizations.health key of every kind', () => {
    const cm = YAML.parse(readFileSync(cmFile, 'utf8')) as {
      apiVersion: string;
      kind: string;
      metadata: { name: string };
      data: Record<string, string>;
    };
    assert.equal(cm.apiVersion, 'v1');
    assert.equal(cm.kind, 'ConfigMap');
    assert.equal(cm.metadata.name, 'argocd-cm');
    assert.deepEqual(Object.keys(cm.data).sort(), [...keys].sort());
    for (const key of keys)
      assert.equal(
        cm.data[key],
        script,
        `${key} differs from health.lua: run UPDATE_ARGOCD_CM=1 mocha src/chart/argocd-health.test.ts`,
      );
  });

  it('serves every kind with one text: MarathonApp’s Suspended rule is keyed on obj.kind', () => {
    assert.match(script, /obj\.kind == "MarathonApp" and instances == 0/);
  });

  it('uses the base and table libraries only (Argo CD gives argocd-cm scripts no string or math)', () => {
    const code = script
      .split('\n')
      .filter((l) => !l.trimStart().startsWith('--'))
      .join('\n');
    assert.doesNotMatch(code, /\b(string|math|os|io|package|debug|coroutine)\.\w/);
    assert.doesNotMatch(code, /\b(require|dofile|loadfile|load|loadstring)\s*\(/);
    assert.doesNotMatch(code, /:\s*\w+\s*\(/, 'no string methods (s:sub(...))');
  });
});
