// The generated CRDs on a real API server: they are accepted and established, kubectl explain and the
// shared category work, and invalid objects are rejected by the API server itself.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { kubectl, useNamespace } from './helpers.ts';

const fixtures = path.resolve(import.meta.dirname, '../../../shared/fixtures/marathon/apps');

const app = (ns: string, name: string, spec: unknown) =>
  JSON.stringify({
    apiVersion: 'dcos-operator.dev/v1alpha1',
    kind: 'MarathonApp',
    metadata: { name, namespace: ns },
    spec,
  });

async function rejected(input: string): Promise<string> {
  try {
    await kubectl(['apply', '--server-side', '-f', '-'], { input });
  } catch (err) {
    return (err as Error).message;
  }
  assert.fail('the API server accepted an invalid object');
}

describe('generated CRDs on the API server', function () {
  this.timeout(60_000);
  const ns = useNamespace();

  it('are established, with short name, category and printer columns', async () => {
    const crd = JSON.parse(await kubectl(['get', 'crd', 'marathonapps.dcos-operator.dev', '-o', 'json'])) as {
      status: { conditions: Array<{ type: string; status: string }> };
      spec: { names: { shortNames: string[]; categories: string[] } };
    };
    assert.ok(crd.status.conditions.some((c) => c.type === 'Established' && c.status === 'True'));
    assert.ok(crd.spec.names.categories.includes('dcos'));
    await kubectl(['apply', '-f', '-'], { input: app(ns(), 'web', { cmd: 'sleep 1', instances: 2 }) });
    const table = await kubectl(['get', 'dcos', '-n', ns()]);
    assert.match(table, /web/);
    assert.match(await kubectl(['get', 'mapp', '-n', ns()]), /INSTANCES/);
  });

  it('explain documents the fields', async () => {
    const out = await kubectl(['explain', 'marathonapp.spec.instances']);
    assert.match(out, /instances/i);
    assert.match(out, /DESCRIPTION/);
  });

  it('rejects negative instances and cmd together with args', async () => {
    assert.match(await rejected(app(ns(), 'neg', { cmd: 'x', instances: -1 })), /spec\.instances/);
    assert.match(await rejected(app(ns(), 'both', { cmd: 'x', args: ['y'] })), /cmd|args/);
  });

  it('accepts a real Marathon app definition pasted under spec, keeping every field', async () => {
    const def = JSON.parse(fs.readFileSync(path.join(fixtures, 'mom.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    await kubectl(['apply', '--server-side', '-f', '-'], { input: app(ns(), 'pasted', def) });
    const stored = JSON.parse(await kubectl(['get', 'marathonapp', 'pasted', '-n', ns(), '-o', 'json'])) as {
      spec: Record<string, unknown>;
    };
    for (const key of Object.keys(def))
      assert.deepEqual(stored.spec[key], def[key], `spec.${key} kept as pasted`);
  });

  it('reads as not yet observed (kstatus InProgress) until the operator writes status', async () => {
    // No operator runs in this suite: what a GitOps tool sees right after applying.
    await kubectl(['apply', '--server-side', '-f', '-'], {
      input: app(ns(), 'unobserved', { cmd: 'sleep 1' }),
    });
    const stored = JSON.parse(
      await kubectl(['get', 'marathonapp', 'unobserved', '-n', ns(), '-o', 'json']),
    ) as { metadata: { generation: number }; status?: { observedGeneration?: number } };
    assert.equal(stored.metadata.generation, 1);
    // kstatus: status.observedGeneration present and different from metadata.generation → InProgress.
    assert.equal(stored.status?.observedGeneration, 0);
    await kubectl([
      'wait',
      '--for=condition=Ready',
      '--timeout=1s',
      'marathonapp/unobserved',
      '-n',
      ns(),
    ]).then(
      () => assert.fail('Ready before any reconcile'),
      (err: Error) => assert.match(err.message, /timed out/),
    );
  });
});
