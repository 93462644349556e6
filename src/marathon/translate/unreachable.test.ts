import assert from 'node:assert/strict';
import type { NormalizedApp } from '../app.ts';
import { testApp, testContext } from '../test-app.ts';
import { emptyDraft } from './draft.ts';
import { applyUnreachableStrategy } from './unreachable.ts';

function run(unreachableStrategy: NormalizedApp['unreachableStrategy']) {
  const d = emptyDraft();
  applyUnreachableStrategy(testApp({ unreachableStrategy }), testContext(), d);
  return d;
}

const tolerations = (extra: object) => [
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', ...extra },
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', ...extra },
];

describe('translate unreachable', () => {
  it('maps the strategy to NoExecute tolerations (table)', () => {
    const table: [NormalizedApp['unreachableStrategy'], object, number][] = [
      ['disabled', {}, 0],
      [{ inactiveAfterSeconds: 0, expungeAfterSeconds: 0 }, { tolerationSeconds: 0 }, 0],
      [{ inactiveAfterSeconds: 300, expungeAfterSeconds: 300 }, { tolerationSeconds: 300 }, 0],
      [{ inactiveAfterSeconds: 300, expungeAfterSeconds: 600 }, { tolerationSeconds: 300 }, 1],
    ];
    for (const [strategy, extra, notes] of table) {
      const d = run(strategy);
      const msg = JSON.stringify(strategy);
      assert.deepEqual(d.pod.tolerations, tolerations(extra), msg);
      assert.equal(d.notes.length, notes, msg);
    }
  });

  it('notes expungeAfterSeconds when it differs from inactiveAfterSeconds', () => {
    assert.deepEqual(
      run({ inactiveAfterSeconds: 300, expungeAfterSeconds: 600 }).notes.map((n) => [n.path, n.kind]),
      [['/unreachableStrategy/expungeAfterSeconds', 'approximated']],
    );
  });

  it('keeps tolerations added before it', () => {
    const d = emptyDraft();
    d.pod.tolerations = [{ key: 'x', operator: 'Exists' }];
    applyUnreachableStrategy(testApp({ unreachableStrategy: 'disabled' }), testContext(), d);
    assert.deepEqual(d.pod.tolerations, [{ key: 'x', operator: 'Exists' }, ...tolerations({})]);
  });
});
