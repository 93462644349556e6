import assert from 'node:assert/strict';
import type { NormalizedApp } from '../app.ts';
import { testApp, testContext } from '../test-app.ts';
import { emptyDraft, type Draft } from './draft.ts';
import { applyUpgradeStrategy, rollingParameters } from './upgrade.ts';

function run(overrides: Partial<NormalizedApp>, kind: Draft['kind'] = 'Deployment'): Draft {
  const d = emptyDraft();
  d.kind = kind;
  applyUpgradeStrategy(testApp(overrides), testContext(), d);
  return d;
}

const strategy = (instances: number, minimumHealthCapacity: number, maximumOverCapacity: number) => ({
  instances,
  upgradeStrategy: { minimumHealthCapacity, maximumOverCapacity },
});

describe('translate upgrade', () => {
  it("rollingParameters follows Marathon's TaskReplaceActor arithmetic (table)", () => {
    // [instances, minHC, maxOC, resident] → [minHealthy, maxCapacity, maxSurge, maxUnavailable]
    const table: [number, number, number, boolean, [number, number, number, number]][] = [
      [3, 1, 1, false, [3, 6, 3, 0]],
      [10, 1, 1, false, [10, 20, 10, 0]],
      // minHealthy == maxCapacity: one extra instance, or one below minHealthy for resident apps.
      [3, 1, 0, false, [3, 4, 1, 0]],
      [3, 1, 0, true, [3, 3, 0, 1]],
      [10, 1, 0, false, [10, 11, 1, 0]],
      [3, 0.5, 0, false, [2, 3, 0, 1]],
      [10, 0.5, 0, false, [5, 10, 0, 5]],
      [1, 0.5, 0, true, [1, 1, 0, 1]],
      [3, 0, 0, false, [0, 3, 0, 3]],
      [10, 0, 0, false, [0, 10, 0, 10]],
      [3, 0.6, 0.3, false, [2, 3, 0, 1]],
      [10, 0.6, 0.3, false, [6, 13, 3, 4]],
      [1, 0.6, 0.3, false, [1, 2, 1, 0]],
      // Floating point: 3 × 0.7 = 2.0999999999999996, 10 × 0.7 = 7.000000000000001, 10 × 0.1 = 1.
      [3, 0.7, 0, false, [3, 3 + 1, 1, 0]],
      [10, 0.7, 0.1, false, [7, 11, 1, 3]],
      [10, 0.3, 0.7, false, [3, 17, 7, 7]],
      [0, 1, 1, false, [0, 1, 1, 0]],
      [0, 0.5, 0, true, [0, 0, 0, 1]],
    ];
    for (const [n, minHC, maxOC, resident, [minHealthy, maxCapacity, maxSurge, maxUnavailable]] of table) {
      assert.deepEqual(
        rollingParameters(n, minHC, maxOC, resident),
        { minHealthy, maxCapacity, maxSurge, maxUnavailable },
        `${n} ${minHC}/${maxOC} resident=${resident}`,
      );
    }
  });

  it('never yields maxSurge and maxUnavailable both 0', () => {
    for (let n = 0; n <= 12; n++) {
      for (let a = 0; a <= 10; a++) {
        for (let b = 0; b <= 10; b++) {
          for (const resident of [false, true]) {
            const p = rollingParameters(n, a / 10, b / 10, resident);
            assert.ok(p.maxSurge > 0 || p.maxUnavailable > 0, `${n} ${a / 10}/${b / 10}`);
            assert.ok(p.maxSurge >= 0 && p.maxUnavailable >= 0 && p.maxUnavailable <= Math.max(n, 1));
          }
        }
      }
    }
  });

  it('gives a Deployment a RollingUpdate, or Recreate for 0/0 (table)', () => {
    const table: [Partial<NormalizedApp>, Draft['deploymentStrategy']][] = [
      [strategy(3, 1, 1), { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 0 } }],
      [strategy(3, 1, 0), { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }],
      [strategy(3, 0.5, 0), { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } }],
      [strategy(10, 0.6, 0.3), { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 4 } }],
      [strategy(3, 0, 0), { type: 'Recreate' }],
      [strategy(0, 0, 0), { type: 'Recreate' }],
      [strategy(0, 1, 1), { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }],
    ];
    for (const [app, expected] of table) {
      const d = run(app);
      assert.deepEqual(d.deploymentStrategy, expected, JSON.stringify(app));
      assert.equal(d.statefulSetUpdateStrategy, undefined);
      assert.deepEqual(d.notes, []);
    }
  });

  it('gives a StatefulSet a RollingUpdate, noting when Marathon would differ', () => {
    const table: [Partial<NormalizedApp>, number][] = [
      [strategy(1, 0.5, 0), 0],
      [strategy(2, 0.5, 0), 0],
      [strategy(3, 1, 0), 0],
      [strategy(0, 0, 0), 0],
      [strategy(4, 0.5, 0), 1],
      [strategy(3, 0, 0), 1],
    ];
    for (const [app, notes] of table) {
      const d = run(app, 'StatefulSet');
      assert.deepEqual(d.statefulSetUpdateStrategy, { type: 'RollingUpdate' });
      assert.equal(d.deploymentStrategy, undefined);
      assert.equal(d.notes.length, notes, JSON.stringify(app));
    }
    assert.deepEqual(run(strategy(4, 0.5, 0), 'StatefulSet').notes, [
      {
        path: '/upgradeStrategy',
        kind: 'approximated',
        message: 'the StatefulSet replaces one pod at a time; Marathon would have stopped up to 2 at once',
      },
    ]);
  });
});
