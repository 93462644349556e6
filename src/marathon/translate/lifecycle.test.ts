import assert from 'node:assert/strict';
import type { NormalizedApp } from '../app.ts';
import { testApp, testContext } from '../test-app.ts';
import { emptyDraft, type Draft } from './draft.ts';
import { applyLifecycle } from './lifecycle.ts';

function run(overrides: Partial<NormalizedApp>, kind: Draft['kind'] = 'Deployment'): Draft {
  const d = emptyDraft();
  d.kind = kind;
  applyLifecycle(testApp(overrides), testContext(), d);
  return d;
}
const notes = (d: Draft) => d.notes.map((n) => [n.path, n.kind]);

describe('translate lifecycle', () => {
  it('adds nothing for the defaults', () => {
    const d = run({});
    assert.equal(d.pod.terminationGracePeriodSeconds, undefined);
    assert.deepEqual(d.notes, []);
  });

  it('maps taskKillGracePeriodSeconds to terminationGracePeriodSeconds', () => {
    assert.equal(run({ taskKillGracePeriodSeconds: 30 }).pod.terminationGracePeriodSeconds, 30);
    assert.equal(run({ taskKillGracePeriodSeconds: 0 }).pod.terminationGracePeriodSeconds, 0);
  });

  it('notes killSelection OLDEST_FIRST per workload kind (table)', () => {
    const table: [NormalizedApp['killSelection'], Draft['kind'], string[][]][] = [
      ['YOUNGEST_FIRST', 'Deployment', []],
      ['YOUNGEST_FIRST', 'StatefulSet', []],
      ['OLDEST_FIRST', 'Deployment', [['/killSelection', 'enforced']]],
      ['OLDEST_FIRST', 'StatefulSet', [['/killSelection', 'approximated']]],
    ];
    for (const [killSelection, kind, expected] of table) {
      assert.deepEqual(notes(run({ killSelection }, kind)), expected, `${killSelection} ${kind}`);
    }
  });

  it('notes a non-default back-off once (table)', () => {
    const table: [Partial<NormalizedApp>, string[][]][] = [
      [{ backoffSeconds: 1, backoffFactor: 1.15, maxLaunchDelaySeconds: 300 }, []],
      [{ backoffSeconds: 5 }, [['/backoffSeconds', 'approximated']]],
      [{ backoffFactor: 2 }, [['/backoffFactor', 'approximated']]],
      [{ maxLaunchDelaySeconds: 3600 }, [['/maxLaunchDelaySeconds', 'approximated']]],
      [{ backoffFactor: 2, maxLaunchDelaySeconds: 3600 }, [['/backoffFactor', 'approximated']]],
    ];
    for (const [app, expected] of table) assert.deepEqual(notes(run(app)), expected, JSON.stringify(app));
    assert.match(
      run({ backoffFactor: 2, maxLaunchDelaySeconds: 3600 }).notes[0]?.message ?? '',
      /^backoffFactor 2, maxLaunchDelaySeconds 3600 /,
    );
  });

  it('notes residency RELAUNCH_AFTER_TIMEOUT only', () => {
    const residency = (taskLostBehavior: string) => ({
      relaunchEscalationTimeoutSeconds: 3600,
      taskLostBehavior,
    });
    assert.deepEqual(notes(run({ residency: residency('WAIT_FOREVER') }, 'StatefulSet')), []);
    assert.deepEqual(notes(run({ residency: residency('RELAUNCH_AFTER_TIMEOUT') }, 'StatefulSet')), [
      ['/residency/taskLostBehavior', 'approximated'],
    ]);
  });
});
