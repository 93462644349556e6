import assert from 'node:assert/strict';
import { conditionSchema, conditionsSchema, statusBaseSchema, type Condition } from './conditions.ts';
import { zodToOpenApi } from './zod-openapi.ts';

const ready: Condition = {
  type: 'Ready',
  status: 'True',
  observedGeneration: 3,
  lastTransitionTime: '2026-03-01T12:00:00Z',
  reason: 'Succeeded',
  message: '',
};

const rejects = (patch: Record<string, unknown>) =>
  assert.equal(conditionSchema.safeParse({ ...ready, ...patch }).success, false, JSON.stringify(patch));

describe('conditions', () => {
  it('accepts metav1.Condition values', () => {
    assert.deepEqual(conditionSchema.parse(ready), ready);
    for (const patch of [
      { type: 'dcos-operator.dev/NodePoolReady' },
      { type: 'a'.repeat(316) },
      { status: 'Unknown' },
      { reason: 'Quota_Exceeded:Cores,2' },
      { reason: 'a'.repeat(1024) },
      { lastTransitionTime: '2026-03-01T12:00:00.123456+02:00' },
      { message: 'x'.repeat(32768) },
      { observedGeneration: 0 },
      { observedGeneration: undefined },
    ]) {
      assert.ok(conditionSchema.safeParse({ ...ready, ...patch }).success, JSON.stringify(patch));
    }
  });

  it('rejects what the API server rejects', () => {
    rejects({ type: 'a'.repeat(317) });
    rejects({ type: 'Not Ready' });
    rejects({ type: 'Example.com/Ready' });
    rejects({ status: 'true' });
    rejects({ observedGeneration: -1 });
    rejects({ observedGeneration: 1.5 });
    rejects({ lastTransitionTime: undefined });
    rejects({ lastTransitionTime: 'yesterday' });
    rejects({ reason: '' });
    rejects({ reason: 'Has Space' });
    rejects({ reason: '1Leading' });
    rejects({ reason: 'Trailing,' });
    rejects({ reason: 'a'.repeat(1025) });
    rejects({ message: 'x'.repeat(32769) });
    rejects({ message: undefined });
  });

  it('renders the exact metav1.Condition schema', () => {
    const items = zodToOpenApi(conditionSchema);
    assert.deepEqual(items.required, ['type', 'status', 'lastTransitionTime', 'reason', 'message']);
    const p = items.properties ?? {};
    assert.equal(p.type?.maxLength, 316);
    assert.deepEqual(p.status?.enum, ['True', 'False', 'Unknown']);
    assert.deepEqual(
      {
        type: p.observedGeneration?.type,
        format: p.observedGeneration?.format,
        minimum: p.observedGeneration?.minimum,
      },
      { type: 'integer', format: 'int64', minimum: 0 },
    );
    assert.deepEqual(
      {
        type: p.lastTransitionTime?.type,
        format: p.lastTransitionTime?.format,
        pattern: p.lastTransitionTime?.pattern,
      },
      { type: 'string', format: 'date-time', pattern: undefined },
    );
    assert.equal(p.reason?.pattern, '^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$');
    assert.deepEqual([p.reason?.minLength, p.reason?.maxLength], [1, 1024]);
    assert.equal(p.message?.maxLength, 32768);
    for (const [name, prop] of Object.entries(p)) assert.ok(prop.description, `${name} has a description`);
  });

  it('declares conditions as a list-map keyed by type', () => {
    const list = zodToOpenApi(conditionsSchema);
    assert.equal(list['x-kubernetes-list-type'], 'map');
    assert.deepEqual(list['x-kubernetes-list-map-keys'], ['type']);
  });

  it('provides the shared status fields', () => {
    const status = zodToOpenApi(statusBaseSchema);
    assert.deepEqual(Object.keys(status.properties ?? {}), ['observedGeneration', 'conditions']);
    assert.equal(statusBaseSchema.safeParse({ observedGeneration: -1 }).success, false);
    assert.deepEqual(statusBaseSchema.parse({}), {});
  });
});
