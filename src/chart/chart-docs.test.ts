// The chart's README against the chart itself, without helm: the RBAC table lists exactly the rules of the
// RBAC templates, and the values table names every top-level value. (The integration suite renders and
// installs the chart and compares the permissions the API server grants.)
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';

const chartDir = path.resolve(import.meta.dirname, '../../charts/dcos-operator');
const read = (file: string) => readFile(path.join(chartDir, file), 'utf8');

/** Rows of the Markdown table whose header starts with `firstColumn`, cells trimmed and unquoted. */
function tableRows(markdown: string, firstColumn: string): string[][] {
  const lines = markdown.split('\n');
  const header = lines.findIndex((l) => new RegExp(`^\\|\\s*${firstColumn}\\s*\\|`, 'i').test(l));
  assert.ok(header >= 0, `README has a table starting with "${firstColumn}"`);
  const rows: string[][] = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim().replace(/`/g, '')),
    );
  }
  return rows;
}

/** `group resource verbs` of every rule in a template: one resource per rule, as the chart writes them. */
function templateRules(text: string): string[] {
  const rules: string[] = [];
  const re =
    /- apiGroups: \[("[^"]*")\]\s*\n\s*resources: \[("[^"]*")\]\s*\n\s*verbs: \[((?:"[a-z]+"(?:, )?)+)\]/g;
  for (const m of text.matchAll(re)) {
    const group = JSON.parse(m[1]!) as string;
    const resource = JSON.parse(m[2]!) as string;
    const verbs = JSON.parse(`[${m[3]!}]`) as string[];
    rules.push(`${group || 'core'} ${resource} ${verbs.join(', ')}`);
  }
  return rules;
}

describe('chart README', () => {
  it('RBAC table lists exactly the rules of the templates, in order', async () => {
    const templates = [
      ...templateRules(await read('templates/_rbac.tpl')),
      ...templateRules(await read('templates/leader-election-role.yaml')),
    ];
    const rows = tableRows(await read('README.md'), 'API group');
    const documented = rows.map(([group, resource, verbs]) => `${group} ${resource} ${verbs}`);
    // The template lists namespaced rules first; the table follows the kinds. Compare as sets, then count.
    assert.deepEqual([...documented].sort(), [...templates].sort());
    assert.equal(documented.length, templates.length);
    for (const row of rows) assert.ok(row[4], `row ${row[1]} says which controller uses it`);
    assert.ok(!templates.some((r) => r.includes('*')), 'no wildcards');
  });

  it('values table names every top-level value', async () => {
    const values = parse(await read('values.yaml')) as Record<string, unknown>;
    const keys = tableRows(await read('README.md'), 'key')
      .map((r) => r[0]!)
      .join(' ');
    for (const key of Object.keys(values)) assert.match(keys, new RegExp(`\\b${key}\\b`), key);
  });
});
