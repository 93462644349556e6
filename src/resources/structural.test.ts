import assert from 'node:assert/strict';
import { z } from 'zod';
import { toStructural } from './structural.ts';
import { lintStructural } from './structural-lint.ts';
import { zodToOpenApi } from './zod-openapi.ts';
import type { JsonSchemaProps } from './schema-props.ts';

const PRESERVE = 'x-kubernetes-preserve-unknown-fields';

/** Converts a field schema and checks that the result is structural. */
function field(schema: z.ZodType): JsonSchemaProps {
  const out = zodToOpenApi(schema);
  assert.deepEqual(lintStructural(out, '', 'field'), [], JSON.stringify(out));
  return out;
}

describe('zod → structural schema (the §4.1 table)', () => {
  it('io input, no additionalProperties: false', () => {
    assert.deepEqual(field(z.strictObject({ a: z.string() })), {
      type: 'object',
      properties: { a: { type: 'string' } },
      required: ['a'],
    });
  });

  it('.loose() / passthrough → x-kubernetes-preserve-unknown-fields', () => {
    assert.deepEqual(field(z.object({ a: z.string().optional() }).loose()), {
      type: 'object',
      properties: { a: { type: 'string' } },
      [PRESERVE]: true,
    });
    assert.deepEqual(field(z.object({}).loose()), { type: 'object', [PRESERVE]: true });
    // a catchall next to declared fields cannot be a typed map in Kubernetes: keep unknown fields instead
    assert.deepEqual(field(z.object({ a: z.string() }).catchall(z.number())), {
      type: 'object',
      properties: { a: { type: 'string' } },
      required: ['a'],
      [PRESERVE]: true,
    });
  });

  it('maps stay typed maps', () => {
    assert.deepEqual(field(z.record(z.string(), z.string())), {
      type: 'object',
      additionalProperties: { type: 'string' },
    });
    assert.deepEqual(field(z.record(z.string(), z.unknown())), { type: 'object', [PRESERVE]: true });
  });

  it('int | string → x-kubernetes-int-or-string', () => {
    assert.deepEqual(field(z.union([z.int(), z.string()]).describe('port')), {
      description: 'port',
      'x-kubernetes-int-or-string': true,
    });
  });

  it('object | string → any value, checked at runtime', () => {
    assert.deepEqual(field(z.union([z.string(), z.object({ secret: z.string() })]).describe('v')), {
      description: 'v',
      [PRESERVE]: true,
    });
  });

  it('discriminated unions flatten to one object', () => {
    const schema = z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('a'), a: z.string(), both: z.int() }),
      z.object({ kind: z.literal('b'), b: z.number(), both: z.int() }),
    ]);
    assert.deepEqual(field(schema), {
      type: 'object',
      properties: {
        kind: { type: 'string', enum: ['a', 'b'] },
        a: { type: 'string' },
        both: { type: 'integer', format: 'int64' },
        b: { type: 'number' },
      },
      required: ['kind', 'both'],
    });
  });

  it('unions of one scalar type keep their value validations in anyOf', () => {
    assert.deepEqual(field(z.union([z.literal('x'), z.literal('y')])), { type: 'string', enum: ['x', 'y'] });
    assert.deepEqual(field(z.union([z.string().regex(/^a/), z.string().max(3)])), {
      type: 'string',
      anyOf: [{ pattern: '^a' }, { maxLength: 3 }],
    });
    assert.deepEqual(field(z.union([z.string(), z.string().max(3)])), { type: 'string' });
    assert.deepEqual(field(z.union([z.int(), z.number().min(0)])), {
      type: 'number',
      anyOf: [{ format: 'int64' }, { minimum: 0 }],
    });
    assert.deepEqual(field(z.union([z.array(z.string()), z.array(z.int())])), {
      type: 'array',
      items: { 'x-kubernetes-int-or-string': true },
    });
  });

  it('several checks of one string become allOf value validations', () => {
    assert.deepEqual(field(z.string().regex(/^a/).regex(/b$/)), {
      type: 'string',
      allOf: [{ pattern: '^a' }, { pattern: 'b$' }],
    });
  });

  it('nullable', () => {
    assert.deepEqual(field(z.string().nullable()), { type: 'string', nullable: true });
    assert.deepEqual(field(z.union([z.string(), z.null()])), { type: 'string', nullable: true });
  });

  it('z.unknown() / z.any() → preserve unknown fields', () => {
    assert.deepEqual(field(z.unknown().describe('anything')), { description: 'anything', [PRESERVE]: true });
    assert.deepEqual(field(z.object({ a: z.any() })), {
      type: 'object',
      properties: { a: { [PRESERVE]: true } },
    });
  });

  it('z.date() → date-time string; string formats without zod regexes', () => {
    assert.deepEqual(field(z.date()), { type: 'string', format: 'date-time' });
    assert.deepEqual(field(z.iso.datetime()), { type: 'string', format: 'date-time' });
    assert.deepEqual(field(z.email()), { type: 'string', format: 'email' });
    assert.deepEqual(field(z.uuid()), { type: 'string', format: 'uuid' });
  });

  it('.refine() is dropped; CEL rides on .meta()', () => {
    const rules = [{ rule: 'self.min <= self.max', message: 'min must not exceed max' }];
    const schema = z
      .object({ min: z.int32(), max: z.int32() })
      .refine((v) => v.min <= v.max)
      .meta({ 'x-kubernetes-validations': rules });
    assert.deepEqual(field(schema)['x-kubernetes-validations'], rules);
  });

  it('recursion is cut with preserve-unknown-fields', () => {
    interface Tree {
      name: string;
      children?: Tree[];
    }
    const tree: z.ZodType<Tree> = z.object({
      name: z.string(),
      get children() {
        return z.array(tree).optional();
      },
    });
    assert.deepEqual(field(z.object({ root: tree })), {
      type: 'object',
      properties: {
        root: {
          type: 'object',
          properties: {
            name: { type: 'string' },
            children: { type: 'array', items: { type: 'object', [PRESERVE]: true } },
          },
          required: ['name'],
        },
      },
      required: ['root'],
    });
  });

  it('schemas registered with an id are inlined, not referenced', () => {
    const name = z.string().min(1).meta({ id: 'Name' });
    assert.deepEqual(field(z.object({ a: name, b: name })), {
      type: 'object',
      properties: { a: { type: 'string', minLength: 1 }, b: { type: 'string', minLength: 1 } },
      required: ['a', 'b'],
    });
  });

  it('integers get a format instead of zod’s range bounds', () => {
    assert.deepEqual(field(z.int()), { type: 'integer', format: 'int64' });
    assert.deepEqual(field(z.int().min(0)), { type: 'integer', format: 'int64', minimum: 0 });
    assert.deepEqual(field(z.int32()), { type: 'integer', format: 'int32' });
    assert.deepEqual(field(z.int32().min(1).max(10)), { type: 'integer', minimum: 1, maximum: 10 });
    assert.deepEqual(field(z.bigint()), { type: 'integer', format: 'int64' });
  });

  it('.meta() passes list types and descriptions through; deprecated is dropped', () => {
    const schema = z
      .array(z.object({ name: z.string() }))
      .meta({ 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'], deprecated: true })
      .describe('named things');
    assert.deepEqual(field(schema), {
      description: 'named things',
      type: 'array',
      items: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
    });
  });

  it('tuples become one item schema with bounds', () => {
    assert.deepEqual(field(z.tuple([z.string(), z.string()])), {
      type: 'array',
      minItems: 2,
      maxItems: 2,
      items: { type: 'string' },
    });
  });

  it('patterns are written without JavaScript’s escaped slashes', () => {
    assert.equal(field(z.string().regex(/^a\/b$/)).pattern, '^a/b$');
  });

  it('puts description first and x-kubernetes-* last', () => {
    const out = field(z.object({ a: z.string() }).loose().describe('d'));
    assert.deepEqual(Object.keys(out), ['description', 'type', 'properties', 'required', PRESERVE]);
  });
});

describe('toStructural on plain JSON Schema', () => {
  it('drops keywords a CRD cannot carry and rewrites draft-2020 forms', () => {
    const out = toStructural({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'x',
      type: 'object',
      properties: {
        c: { const: 'fixed' },
        e: { type: 'number', exclusiveMinimum: 0, examples: [1, 2] },
        n: { type: ['string', 'null'], readOnly: true },
        u: { type: 'array', items: { type: 'string' }, uniqueItems: true },
        o: { type: 'array', items: { type: 'object' }, uniqueItems: true },
        p: { type: 'object', propertyNames: { pattern: '^a' }, additionalProperties: { type: 'string' } },
        f: { type: 'object', properties: { x: { type: 'string' } }, additionalProperties: false },
        t: { type: 'object', properties: { x: { type: 'string' } }, additionalProperties: true },
      },
    });
    assert.deepEqual(out, {
      type: 'object',
      properties: {
        c: { type: 'string', enum: ['fixed'] },
        e: { type: 'number', minimum: 0, exclusiveMinimum: true, example: 1 },
        n: { type: 'string', nullable: true },
        u: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
        o: { type: 'array', items: { type: 'object' } },
        p: { type: 'object', additionalProperties: { type: 'string' } },
        f: { type: 'object', properties: { x: { type: 'string' } } },
        t: { type: 'object', properties: { x: { type: 'string' } }, [PRESERVE]: true },
      },
    });
    assert.deepEqual(lintStructural(out), []);
  });

  it('resolves $defs and cuts a self-reference to the root', () => {
    const out = toStructural({
      type: 'object',
      properties: { child: { $ref: '#' }, name: { $ref: '#/$defs/Name' } },
      $defs: { Name: { type: 'string', description: 'a name' } },
    });
    assert.deepEqual(out, {
      type: 'object',
      properties: {
        child: { type: 'object', [PRESERVE]: true },
        name: { description: 'a name', type: 'string' },
      },
    });
    assert.throws(() => toStructural({ $ref: 'https://example.com/s.json' }), /cannot resolve/);
  });

  it('keeps value-only junctors that are already structural', () => {
    const schema = {
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: 'string' } },
      anyOf: [{ required: ['a'] }, { required: ['b'] }],
    };
    assert.deepEqual(toStructural(schema), schema);
    const exactlyOne = { ...schema, anyOf: undefined, oneOf: schema.anyOf };
    delete exactlyOne.anyOf;
    assert.deepEqual(toStructural(exactlyOne), exactlyOne);
  });

  it('moves CEL rules and structure out of allOf', () => {
    const out = toStructural({
      allOf: [
        { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
        {
          type: 'object',
          properties: { b: { type: 'integer', format: 'int32' } },
          'x-kubernetes-validations': [{ rule: 'true' }],
        },
      ],
    });
    assert.deepEqual(out, {
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: 'integer', format: 'int32' } },
      required: ['a'],
      'x-kubernetes-validations': [{ rule: 'true' }],
    });
  });

  it('does not modify its input', () => {
    const input = { type: 'object', properties: { a: { anyOf: [{ type: 'integer' }, { type: 'string' }] } } };
    const copy = structuredClone(input);
    toStructural(input);
    assert.deepEqual(input, copy);
  });
});
