import assert from 'node:assert/strict';
import { findCondition, kstatus, summarize } from './conditions.ts';
import type { Condition, Phase } from './conditions.ts';

const t0 = new Date('2026-01-01T00:00:00.123Z');
const t1 = new Date('2026-01-01T00:05:00Z');
const statuses = (cs: Condition[]) => Object.fromEntries(cs.map((c) => [c.type, `${c.status}/${c.reason}`]));

describe('kstatus conditions', () => {
  const table: Array<[string, Phase, Record<string, string>]> = [
    [
      'ready',
      { state: 'ready', message: 'ok' },
      { Ready: 'True/Succeeded', Reconciling: 'False/Succeeded', Stalled: 'False/Succeeded' },
    ],
    [
      'progressing',
      { state: 'progressing', reason: 'NodePoolProvisioning', message: 'pool creating' },
      {
        Ready: 'False/NodePoolProvisioning',
        Reconciling: 'True/NodePoolProvisioning',
        Stalled: 'False/NodePoolProvisioning',
      },
    ],
    [
      'retrying',
      { state: 'retrying', reason: 'AzureThrottled', message: '429' },
      {
        Ready: 'False/AzureThrottled',
        Reconciling: 'True/ProgressingWithRetry',
        Stalled: 'False/AzureThrottled',
      },
    ],
    [
      'stalled',
      { state: 'stalled', reason: 'InvalidSpec', message: 'bad' },
      { Ready: 'False/InvalidSpec', Reconciling: 'False/InvalidSpec', Stalled: 'True/InvalidSpec' },
    ],
    [
      'deleting',
      { state: 'deleting', message: 'bye' },
      { Ready: 'False/Deleting', Reconciling: 'True/Deleting', Stalled: 'False/Deleting' },
    ],
  ];
  for (const [name, phase, want] of table) {
    it(`maps the ${name} phase to the state table`, () => {
      const cs = summarize(phase, 3, undefined, t0);
      assert.deepEqual(statuses(cs), want);
      assert.ok(cs.every((c) => c.observedGeneration === 3 && c.message === phase.message));
    });
  }

  it('moves lastTransitionTime only when a status flips', () => {
    const first = summarize({ state: 'progressing', reason: 'Progressing', message: 'a' }, 1, undefined, t0);
    assert.equal(findCondition(first, 'Ready')!.lastTransitionTime, '2026-01-01T00:00:00Z');
    const second = summarize({ state: 'retrying', reason: 'ApiError', message: 'b' }, 2, first, t1);
    assert.equal(
      findCondition(second, 'Ready')!.lastTransitionTime,
      '2026-01-01T00:00:00Z',
      'reason change only',
    );
    assert.equal(findCondition(second, 'Ready')!.observedGeneration, 2);
    const third = summarize({ state: 'ready', message: 'c' }, 2, second, t1);
    assert.equal(findCondition(third, 'Ready')!.lastTransitionTime, '2026-01-01T00:05:00Z');
    assert.equal(findCondition(third, 'Reconciling')!.lastTransitionTime, '2026-01-01T00:05:00Z');
    assert.equal(findCondition(third, 'Stalled')!.lastTransitionTime, '2026-01-01T00:00:00Z');
  });

  it('keeps domain conditions and puts observedGeneration at the top level too', () => {
    const s = kstatus({ state: 'ready', message: 'ok' }, 7, undefined, t0, [
      { type: 'WorkloadAvailable', status: 'True', reason: 'MinimumReplicasAvailable', message: '3/3' },
    ]);
    assert.equal(s.observedGeneration, 7);
    assert.equal(findCondition(s.conditions, 'WorkloadAvailable')!.observedGeneration, 7);
  });

  it('refuses reasons that are not CamelCase and bounds messages', () => {
    assert.throws(
      () => summarize({ state: 'stalled', reason: 'invalid spec', message: '' }, 1, undefined, t0),
      /CamelCase/,
    );
    const long = summarize({ state: 'ready', message: 'x'.repeat(40000) }, 1, undefined, t0);
    assert.equal(long[0]!.message.length, 32768);
  });
});
