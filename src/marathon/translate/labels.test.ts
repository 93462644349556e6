import assert from 'node:assert/strict';
import { APP_SELECTOR_LABEL } from '../names.ts';
import { testApp, testContext } from '../test-app.ts';
import { emptyDraft } from './draft.ts';
import type { Draft } from './draft.ts';
import { applyLabels, isValidLabelKey, MARATHON_LABELS_ANNOTATION, sanitizeLabelValue } from './labels.ts';

function run(labels: Record<string, string>, d: Draft = emptyDraft()): Draft {
  applyLabels(testApp({ labels }), testContext(), d);
  assert.deepEqual(d.notes, []);
  return d;
}

describe('translate labels', () => {
  it('no labels: no pod labels, no annotation', () => {
    const d = run({});
    assert.deepEqual(d.podLabels, {});
    assert.deepEqual(d.podAnnotations, {});
  });

  describe('pod labels', () => {
    const cases: { key: string; value: string; label?: string }[] = [
      { key: 'HAPROXY_GROUP', value: 'external', label: 'external' },
      { key: 'DCOS_SERVICE_NAME', value: 'marathon-user', label: 'marathon-user' },
      { key: 'HAPROXY_0_VHOST', value: 'web.example.com', label: 'web.example.com' },
      { key: 'DO', value: 'a deer, a female deer', label: 'a_deer__a_female_deer' },
      { key: 'team', value: '', label: '' },
      { key: 'path', value: '/api/v1/', label: 'api_v1' },
      { key: 'long', value: 'x'.repeat(62) + '-y', label: 'x'.repeat(62) },
      { key: 'example.com/tier', value: 'front', label: 'front' },
      { key: 'HAPROXY_0_BACKEND_HEAD', value: '\n  option httpchk\n', label: 'option_httpchk' },
      { key: 'has space', value: 'v' },
      { key: 'Bad_Prefix.com/x', value: 'v' },
      { key: `${'k'.repeat(64)}`, value: 'v' },
      { key: APP_SELECTOR_LABEL, value: 'hijack' },
      { key: 'app.kubernetes.io/managed-by', value: 'me' },
    ];
    for (const c of cases) {
      it(`${c.key.slice(0, 40)} → ${c.label === undefined ? 'annotation only' : JSON.stringify(c.label)}`, () => {
        const d = run({ [c.key]: c.value });
        assert.deepEqual(d.podLabels, c.label === undefined ? {} : { [c.key]: c.label });
        assert.deepEqual(JSON.parse(d.podAnnotations[MARATHON_LABELS_ANNOTATION] ?? ''), {
          [c.key]: c.value,
        });
      });
    }
  });

  it('keeps all raw labels in the annotation, keys sorted', () => {
    const labels = JSON.parse('{"b":"two words","a":"1","x y":"z","__proto__":"p"}') as Record<
      string,
      string
    >;
    const d = run(labels);
    assert.equal(
      d.podAnnotations[MARATHON_LABELS_ANNOTATION],
      '{"__proto__":"p","a":"1","b":"two words","x y":"z"}',
    );
  });

  it('does not overwrite pod labels set by earlier steps', () => {
    const d = emptyDraft();
    d.podLabels.tier = 'operator';
    run({ tier: 'user', other: 'x' }, d);
    assert.deepEqual(d.podLabels, { tier: 'operator', other: 'x' });
  });

  it('isValidLabelKey', () => {
    const cases: [string, boolean][] = [
      ['a', true],
      ['A-b_c.d', true],
      ['example.com/name', true],
      ['k'.repeat(63), true],
      ['k'.repeat(64), false],
      ['', false],
      ['-a', false],
      ['a-', false],
      ['/a', false],
      ['Example.com/a', false],
      ['example.com/', false],
      ['a/b/c', false],
      [`${'p'.repeat(254)}/a`, false],
    ];
    for (const [k, ok] of cases) assert.equal(isValidLabelKey(k), ok, k);
  });

  it('sanitizeLabelValue', () => {
    const cases: [string, string][] = [
      ['ok', 'ok'],
      ['a b', 'a_b'],
      ['__x__', 'x'],
      ['..', ''],
      ['ü-1', '1'],
      ['a'.repeat(70), 'a'.repeat(63)],
      [`${'a'.repeat(62)}.b`, 'a'.repeat(62)],
    ];
    for (const [v, expected] of cases) assert.equal(sanitizeLabelValue(v), expected, v);
  });
});
