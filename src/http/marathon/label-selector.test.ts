import assert from 'node:assert/strict';
import { ApiError } from '../api-error.ts';
import type { LabelSelector } from './label-selector.ts';
import { labelSelectorOrThrow, matchesLabels, parseLabelSelector } from './label-selector.ts';

const parse = (s: string): LabelSelector[] => {
  const r = parseLabelSelector(s);
  assert.ok(r.ok, `${s}: ${!r.ok ? r.reason : ''}`);
  return r.value;
};

describe('Marathon label selector', () => {
  const parsed: [string, LabelSelector[]][] = [
    ['existence', [{ key: 'existence', op: 'exists' }]],
    ['foo == one', [{ key: 'foo', op: '==', value: 'one' }]],
    ['foo==one', [{ key: 'foo', op: '==', value: 'one' }]],
    ['foo != one', [{ key: 'foo', op: '!=', value: 'one' }]],
    ['environment in (production, qa)', [{ key: 'environment', op: 'in', values: ['production', 'qa'] }]],
    ['tier notin (frontend,backend)', [{ key: 'tier', op: 'notin', values: ['frontend', 'backend'] }]],
    ['tier in ()', [{ key: 'tier', op: 'in', values: [] }]],
    [
      'a in (t1, t2, t3), b notin (t1), c, d',
      [
        { key: 'a', op: 'in', values: ['t1', 't2', 't3'] },
        { key: 'b', op: 'notin', values: ['t1'] },
        { key: 'c', op: 'exists' },
        { key: 'd', op: 'exists' },
      ],
    ],
    [
      '\\!\\!\\! in (\\-\\-\\-, \\&\\&\\&, \\+\\+\\+)',
      [{ key: '!!!', op: 'in', values: ['---', '&&&', '+++'] }],
    ],
    ['HAPROXY_GROUP==external', [{ key: 'HAPROXY_GROUP', op: '==', value: 'external' }]],
    ['a.b-c_d == 1.2', [{ key: 'a.b-c_d', op: '==', value: '1.2' }]],
    ['msg == a\\ b\\,c', [{ key: 'msg', op: '==', value: 'a b,c' }]],
    ['  spaced   ==   out  ', [{ key: 'spaced', op: '==', value: 'out' }]],
    ['', []],
  ];
  for (const [text, want] of parsed)
    it(`parses ${JSON.stringify(text)}`, () => assert.deepEqual(parse(text), want));

  const bad = ['foo ==', '!!!', 'a b', 'a,', ',a', 'a in (x', 'a in (x,)', 'a = b', 'a == b == c', 'a in x'];
  for (const text of bad)
    it(`refuses ${JSON.stringify(text)} with Marathon's 422`, () => {
      assert.equal(parseLabelSelector(text).ok, false);
      assert.throws(
        () => labelSelectorOrThrow(text),
        (e: unknown) =>
          e instanceof ApiError &&
          e.status === 422 &&
          (e.body as { message: string }).message.startsWith(
            `Can not parse label selector ${text}. Reason: `,
          ),
      );
    });

  it('matches labels: all terms must hold, and a missing key never matches', () => {
    const labels = { env: 'prod', tier: 'web', 'a b': 'x' };
    const m = (s: string) => matchesLabels(parse(s), labels);
    assert.equal(m('env'), true);
    assert.equal(m('missing'), false);
    assert.equal(m('env==prod'), true);
    assert.equal(m('env==qa'), false);
    assert.equal(m('env!=qa'), true);
    assert.equal(m('missing!=qa'), false, 'Marathon requires the key for != too');
    assert.equal(m('env in (qa, prod)'), true);
    assert.equal(m('env notin (qa, prod)'), false);
    assert.equal(m('env==prod, tier==web'), true);
    assert.equal(m('env==prod, tier==db'), false);
    assert.equal(m('a\\ b==x'), true);
    assert.equal(m(''), true);
    assert.equal(matchesLabels(parse('constructor'), {}), false, 'no prototype keys');
  });
});
