import assert from 'node:assert/strict';
import { z } from 'zod';
import { marathonPath, parseMarathon } from './marathon-errors.ts';

describe('Marathon-style errors', () => {
  it('writes paths as Marathon does', () => {
    assert.equal(marathonPath([]), '/');
    assert.equal(marathonPath(['instances']), '/instances');
    assert.equal(marathonPath(['constraints', 0]), '/constraints(0)');
    assert.equal(marathonPath(['container', 'volumes', 1, 'hostPath']), '/container/volumes(1)/hostPath');
    assert.equal(marathonPath([2]), '/(2)');
  });

  it('groups messages per path and uses Marathon wording', () => {
    const schema = z.object({
      n: z.number().min(0).max(1),
      m: z.number().gt(0),
      s: z.string().regex(/^a$/),
      t: z.enum(['A', 'B']),
      list: z.array(z.string()).min(1),
      own: z.string().min(3, 'custom message wins'),
    });
    const result = parseMarathon(schema, { n: 2, m: 0, s: 'b', t: 'C', list: [], own: 'x' });
    assert.equal(result.ok, false);
    assert.deepEqual(result.ok ? [] : result.details, [
      { path: '/n', errors: ['got 2, expected 1 or less'] },
      { path: '/m', errors: ['got 0, expected more than 0'] },
      { path: '/s', errors: ["must fully match regular expression '^a$'"] },
      { path: '/t', errors: ['must be one of "A", "B"'] },
      { path: '/list', errors: ['must have at least 1 items'] },
      { path: '/own', errors: ['custom message wins'] },
    ]);
  });

  it('returns the parsed value', () => {
    assert.deepEqual(parseMarathon(z.object({ a: z.int().default(1) }), {}), { ok: true, value: { a: 1 } });
  });
});
