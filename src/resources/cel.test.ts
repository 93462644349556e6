import assert from 'node:assert/strict';
import { z } from 'zod';
import { withRules } from './cel.ts';
import { zodToOpenApi } from './zod-openapi.ts';

const range = withRules(z.object({ min: z.int32(), max: z.int32() }), [
  {
    cel: 'self.min <= self.max',
    message: 'min must not exceed max',
    reason: 'FieldValueInvalid',
    fieldPath: '.max',
    holds: (r) => r.min <= r.max,
  },
]);

describe('CEL rules paired with runtime checks', () => {
  it('writes x-kubernetes-validations into the schema', () => {
    assert.deepEqual(zodToOpenApi(range)['x-kubernetes-validations'], [
      {
        rule: 'self.min <= self.max',
        message: 'min must not exceed max',
        reason: 'FieldValueInvalid',
        fieldPath: '.max',
      },
    ]);
  });

  it('checks the same rule when parsing, at the rule’s field path', () => {
    assert.ok(range.safeParse({ min: 1, max: 2 }).success);
    const issues = range.safeParse({ min: 3, max: 2 }).error?.issues ?? [];
    assert.deepEqual(
      issues.map((i) => [i.path, i.message]),
      [[['max'], 'min must not exceed max']],
    );
  });

  it('adds to rules already on the schema and keeps its description', () => {
    const schema = withRules(
      z
        .string()
        .max(10)
        .describe('d')
        .meta({ 'x-kubernetes-validations': [{ rule: "self != 'a'" }] }),
      [{ cel: "self != 'b'", message: 'not b', holds: (s) => s !== 'b' }],
    );
    const out = zodToOpenApi(schema);
    assert.equal(out.description, 'd');
    assert.deepEqual(
      out['x-kubernetes-validations']?.map((r) => r.rule),
      ["self != 'a'", "self != 'b'"],
    );
    assert.equal(schema.safeParse('b').success, false);
  });

  it('treats a predicate that throws on malformed input as holding (the type error is reported instead)', () => {
    const schema = withRules(z.object({ list: z.array(z.string()) }), [
      { cel: 'self.list.size() > 0', message: 'empty', holds: (v) => v.list.length > 0 },
    ]);
    const issues = schema.safeParse({ list: null }).error?.issues ?? [];
    assert.deepEqual(
      issues.map((i) => i.path),
      [['list']],
    );
  });
});
