import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { issuesText } from '../runtime/errors.ts';
import { parseDuration } from '../runtime/config.ts';
import {
  chartValuesJsonSchema,
  chartValuesSchema,
  DURATION_PATTERN,
  renderValuesSchemaJson,
  VALUES_SCHEMA_FILE,
} from './values-schema.ts';

const root = path.resolve(import.meta.dirname, '../..');
const chartDir = path.join(root, 'charts/dcos-operator');

async function defaultValues(): Promise<Record<string, unknown>> {
  return parse(await readFile(path.join(chartDir, 'values.yaml'), 'utf8')) as Record<string, unknown>;
}

/** The issues of validating values.yaml with the dotted keys set (like `--set`), as one line ('' when valid). */
async function problemsWith(changes: Record<string, unknown>): Promise<string> {
  const values = await defaultValues();
  for (const [key, value] of Object.entries(changes)) {
    const parts = key.split('.');
    let at = values;
    for (const part of parts.slice(0, -1)) at = at[part] as Record<string, unknown>;
    at[parts.at(-1)!] = value;
  }
  const parsed = chartValuesSchema.safeParse(values);
  return parsed.success ? '' : issuesText(parsed.error);
}

describe('chart values schema', () => {
  it('values.schema.json is up to date', async () => {
    assert.equal(
      await readFile(path.join(root, VALUES_SCHEMA_FILE), 'utf8'),
      renderValuesSchemaJson(),
      `${VALUES_SCHEMA_FILE} is out of date with src/chart/values-schema.ts: run \`npm run gen:chart\``,
    );
  });

  it('is draft-07 JSON Schema that rejects unknown top-level keys', () => {
    const schema = chartValuesJsonSchema();
    assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
    assert.equal(schema.additionalProperties, false);
    assert.ok(schema.description);
  });

  it('describes every top-level value', () => {
    const props = chartValuesJsonSchema().properties as Record<string, { description?: string }>;
    for (const [key, prop] of Object.entries(props)) assert.ok(prop.description, `${key} has a description`);
  });

  it('accepts values.yaml, and values.yaml sets every key but global', async () => {
    const values = await defaultValues();
    const parsed = chartValuesSchema.safeParse(values);
    assert.ok(parsed.success, parsed.success ? '' : issuesText(parsed.error));
    assert.deepEqual(
      Object.keys(values).sort(),
      Object.keys(chartValuesSchema.shape)
        .filter((k) => k !== 'global')
        .sort(),
    );
  });

  it('has the documented defaults', async () => {
    const v = await defaultValues();
    assert.equal(v.replicaCount, 2);
    assert.deepEqual(v.image, {
      repository: 'ghcr.io/dcos-operator/dcos-operator',
      tag: '',
      pullPolicy: 'IfNotPresent',
    });
    assert.deepEqual(v.crds, { install: true });
    assert.equal(v.watchNamespace, '');
    assert.deepEqual(v.localProvider, { enabled: false });
    assert.equal(v.heapMb, 192);
  });

  it('uses the operator duration syntax', () => {
    for (const s of ['500ms', '15s', '2m', '1h', '1.5s', '0s'])
      assert.ok(DURATION_PATTERN.test(s) && parseDuration(s) !== undefined, s);
    for (const s of ['15', 's', '1m30s', '-1s', '15 s', '1d', ''])
      assert.ok(!DURATION_PATTERN.test(s), `${s} is not a duration`);
  });

  it('rejects bad values with messages naming the key', async () => {
    const cases: [string, unknown, RegExp][] = [
      ['replicaCount', 0, /^replicaCount: replicaCount must be at least 1$/],
      ['replicaCount', 1.5, /^replicaCount: .*int/i],
      ['image.pullPolicy', 'Sometimes', /^image\.pullPolicy: .*"Always"\|"IfNotPresent"\|"Never"/],
      ['replicas', 2, /Unrecognized key: "replicas"/],
      ['leaderElection.leaseDurration', '15s', /^leaderElection: Unrecognized key: "leaseDurration"/],
      [
        'operator.resyncPeriod',
        '10',
        /^operator\.resyncPeriod: expected a duration such as 500ms, 15s, 2m or 1h$/,
      ],
      ['heapMb', 32, /^heapMb: heapMb must be at least 64$/],
      ['heapMb', 8192, /^heapMb: heapMb must be at most 4096$/],
      ['azure.subscriptionId', 'my-subscription', /^azure\.subscriptionId: expected a UUID or empty$/],
      ['watchNamespace', 'Apps', /^watchNamespace: expected a namespace name or empty$/],
      ['crds.install', 'yes', /^crds\.install: .*boolean/],
    ];
    for (const [key, value, expected] of cases)
      assert.match(await problemsWith({ [key]: value }), expected, `${key}=${JSON.stringify(value)}`);
  });

  it('accepts the documented variations', async () => {
    assert.equal(
      await problemsWith({
        watchNamespace: 'apps',
        'azure.workloadIdentity.enabled': true,
        'azure.workloadIdentity.clientId': '00000000-0000-0000-0000-000000000000',
        'podDisruptionBudget.minAvailable': '50%',
        'operator.extraArgs': ['--max-retries=10'],
        tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }],
        global: { imageRegistry: 'example.com' },
      }),
      '',
    );
  });
});
