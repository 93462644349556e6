import assert from 'node:assert/strict';
import { buildCrd, type CustomResourceDefinition } from './crd.ts';
import { RESOURCES } from './registry.ts';
import type { JsonSchemaProps } from './schema-props.ts';
import { lintCrd, lintStructural } from './structural-lint.ts';

const root = (properties: Record<string, JsonSchemaProps>, extra: JsonSchemaProps = {}): JsonSchemaProps => ({
  type: 'object',
  properties,
  ...extra,
});

/** The violations of a schema with a single field `f`, as "path: message". */
function violations(f: JsonSchemaProps, extra: JsonSchemaProps = {}): string[] {
  return lintStructural(root({ f }, extra)).map((v) => `${v.path}: ${v.message}`);
}

function assertViolation(f: JsonSchemaProps, expected: RegExp, extra: JsonSchemaProps = {}): void {
  const found = violations(f, extra);
  assert.ok(
    found.some((v) => expected.test(v)),
    `expected ${String(expected)} in ${JSON.stringify(found)}`,
  );
}

describe('structural lint', () => {
  describe('accepts structural schemas', () => {
    const good: Record<string, JsonSchemaProps> = {
      scalars: { type: 'object', properties: { s: { type: 'string', maxLength: 3 }, n: { type: 'number' } } },
      map: { type: 'object', additionalProperties: { type: 'string' } },
      'preserve unknown': { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      'untyped any': { 'x-kubernetes-preserve-unknown-fields': true },
      'int-or-string': { 'x-kubernetes-int-or-string': true },
      'int-or-string with its anyOf': {
        'x-kubernetes-int-or-string': true,
        anyOf: [{ type: 'integer' }, { type: 'string' }],
      },
      'value validations in junctors': {
        type: 'object',
        properties: { a: { type: 'string' }, b: { type: 'string' } },
        anyOf: [{ required: ['a'] }, { required: ['b'] }],
        not: { properties: { a: { pattern: '^x' } } },
      },
      'list map': {
        type: 'array',
        items: { type: 'object', properties: { k: { type: 'string' } }, required: ['k'] },
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['k'],
      },
      'list set': { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
      'bounded CEL': {
        type: 'array',
        maxItems: 3,
        items: { type: 'string', maxLength: 10 },
        'x-kubernetes-validations': [
          { rule: 'self.all(x, x != "")', message: 'no empty', reason: 'FieldValueInvalid' },
        ],
      },
    };
    for (const [name, f] of Object.entries(good)) {
      it(name, () => assert.deepEqual(violations(f), []));
    }
  });

  describe('finds violations', () => {
    it('missing type', () => {
      assertViolation({ description: 'x' }, /^\.properties\.f\.type: must not be empty/);
      assertViolation(
        { type: 'array', items: { description: 'x' } },
        /\.items\.type: must not be empty \(array items\)/,
      );
      assert.match(lintStructural({ properties: {} })[0]?.message ?? '', /must not be empty \(root\)/);
    });

    it('type null and unknown types', () => {
      assertViolation({ type: 'null' } as unknown as JsonSchemaProps, /type null is not allowed/);
      assertViolation({ type: 'date' } as unknown as JsonSchemaProps, /unknown type date/);
    });

    it('forbidden and unknown keywords', () => {
      assertViolation({ $ref: '#/definitions/x' }, /\$ref is not supported/);
      assertViolation({ type: 'object', definitions: {} }, /definitions is not supported/);
      assertViolation({ type: 'object', dependencies: {} }, /dependencies is not supported/);
      assertViolation({ type: 'object', patternProperties: {} }, /patternProperties is not supported/);
      assertViolation({ type: 'string', id: 'x' }, /id is not supported/);
      assertViolation({ type: 'string', $schema: 'x' }, /\$schema/);
      assertViolation({ type: 'string', deprecated: true }, /unknown keyword "deprecated"/);
      assertViolation({ type: 'string', const: 'x' }, /unknown keyword "const"/);
      assertViolation({ type: 'object', discriminator: {} }, /unknown keyword "discriminator"/);
      assertViolation({ type: 'string', readOnly: true }, /unknown keyword "readOnly"/);
    });

    it('additionalProperties misuse', () => {
      assertViolation(
        { type: 'object', additionalProperties: false },
        /additionalProperties: false is forbidden/,
      );
      assertViolation(
        { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: { type: 'string' } },
        /mutually exclusive/,
      );
      assert.match(
        lintStructural({ type: 'object', additionalProperties: { type: 'string' } })[0]?.message ?? '',
        /must not be used at the root/,
      );
    });

    it('arrays', () => {
      assertViolation({ type: 'array' }, /items: must be specified/);
      assertViolation(
        { type: 'array', items: [{ type: 'string' }] } as unknown as JsonSchemaProps,
        /must be one schema/,
      );
      assertViolation(
        { type: 'array', items: { type: 'string' }, uniqueItems: true },
        /uniqueItems: true is forbidden/,
      );
    });

    it('structure inside junctors', () => {
      assertViolation(
        { type: 'string', anyOf: [{ type: 'string', pattern: 'a' }] },
        /anyOf\[0\]\.type: type is not allowed/,
      );
      assertViolation({ type: 'string', allOf: [{ description: 'x' }] }, /allOf\[0\]\.description/);
      assertViolation({ type: 'string', oneOf: [{ default: 'x' }] }, /oneOf\[0\]\.default/);
      assertViolation({ type: 'string', not: { nullable: true } }, /not\.nullable/);
      assertViolation(
        { type: 'object', anyOf: [{ additionalProperties: { type: 'string' } }] },
        /anyOf\[0\]\.additionalProperties/,
      );
      assertViolation(
        { type: 'object', anyOf: [{ 'x-kubernetes-preserve-unknown-fields': true }] },
        /x-kubernetes-preserve-unknown-fields is not allowed inside/,
      );
      assertViolation(
        {
          type: 'object',
          properties: { a: { type: 'string' } },
          anyOf: [{ properties: { b: { pattern: 'x' } } }],
        },
        /anyOf\[0\]\.properties\.b: must also be declared outside/,
      );
      assertViolation(
        { type: 'object', anyOf: [{ items: { pattern: 'x' } }] },
        /anyOf\[0\]\.items: must also be declared/,
      );
      // the int-or-string exception is only for exactly [{type: integer}, {type: string}]
      assertViolation(
        { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'number' }] },
        /anyOf\[1\]\.type/,
      );
    });

    it('Kubernetes extensions', () => {
      assertViolation(
        { 'x-kubernetes-int-or-string': true, 'x-kubernetes-preserve-unknown-fields': true },
        /must be false when x-kubernetes-int-or-string/,
      );
      assertViolation(
        { type: 'string', 'x-kubernetes-embedded-resource': true },
        /must be object when x-kubernetes-embedded/,
      );
      assertViolation(
        { type: 'object', 'x-kubernetes-embedded-resource': true },
        /must not be empty for an embedded/,
      );
      assertViolation({ type: 'string', 'x-kubernetes-map-type': 'atomic' }, /only applies to objects/);
    });

    it('list types', () => {
      const items = { type: 'object', properties: { k: { type: 'string' } } } as const;
      assertViolation(
        { type: 'array', items, 'x-kubernetes-list-map-keys': ['k'] },
        /requires x-kubernetes-list-type: map/,
      );
      assertViolation(
        { type: 'array', items, 'x-kubernetes-list-type': 'map' },
        /must name at least one key/,
      );
      assertViolation(
        { type: 'array', items, 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['k'] },
        /must be required or have a default/,
      );
      assertViolation(
        { type: 'array', items, 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['z'] },
        /key "z" is not a property/,
      );
      assertViolation({ type: 'array', items, 'x-kubernetes-list-type': 'set' }, /set items must be scalars/);
      assertViolation({ type: 'string', 'x-kubernetes-list-type': 'set' }, /only applies to arrays/);
    });

    it('CEL rules', () => {
      assertViolation(
        { 'x-kubernetes-preserve-unknown-fields': true, 'x-kubernetes-validations': [{ rule: 'true' }] },
        /need a typed node/,
      );
      assertViolation(
        { type: 'string', 'x-kubernetes-validations': [{ rule: 'self != ""' }] },
        /needs maxLength/,
      );
      assertViolation(
        { type: 'array', items: { type: 'string' }, 'x-kubernetes-validations': [{ rule: 'true' }] },
        /needs maxItems/,
      );
      assertViolation(
        {
          type: 'array',
          maxItems: 2,
          items: { type: 'string' },
          'x-kubernetes-validations': [{ rule: 'true' }],
        },
        /string items .* need maxLength/,
      );
      assertViolation(
        {
          type: 'object',
          additionalProperties: { type: 'string' },
          'x-kubernetes-validations': [{ rule: 'true' }],
        },
        /map with CEL rules needs maxProperties/,
      );
      assertViolation(
        {
          type: 'array',
          items: { type: 'string', maxLength: 5, 'x-kubernetes-validations': [{ rule: 'self != ""' }] },
        },
        /enclosing list or map at "\.properties\.f" needs maxItems/,
      );
      assertViolation(
        { type: 'string', maxLength: 1, 'x-kubernetes-validations': [{ rule: '' }] },
        /needs a non-empty rule/,
      );
      assertViolation(
        {
          type: 'string',
          maxLength: 1,
          'x-kubernetes-validations': [{ rule: 'true', reason: 'Oops' }],
        } as unknown as JsonSchemaProps,
        /reason: must be one of/,
      );
    });

    it('patterns RE2 cannot compile', () => {
      assertViolation({ type: 'string', pattern: '^(?!x)' }, /lookaround/);
      assertViolation({ type: 'string', pattern: '(a)\\1' }, /backreferences/);
      assertViolation({ type: 'string', pattern: '(' }, /not a valid regular expression/);
    });

    it('required fields that are not declared', () => {
      assertViolation(
        { type: 'object', properties: { a: { type: 'string' } }, required: ['b'] },
        /"b" is required but not declared/,
      );
    });

    it('root rules', () => {
      const at = (schema: JsonSchemaProps) => lintStructural(schema).map((v) => `${v.path}: ${v.message}`);
      assert.ok(at({ type: 'string' }).some((v) => /must be object at the root/.test(v)));
      assert.ok(
        at({ type: 'object', nullable: true }).some((v) =>
          /\.nullable: must not be true at the root/.test(v),
        ),
      );
      assert.ok(at(root({ kind: { type: 'integer' } })).some((v) => /kind\.type: must be string/.test(v)));
      assert.ok(
        at(root({ metadata: { type: 'object', properties: { labels: { type: 'object' } } } })).some((v) =>
          /may only restrict name and generateName/.test(v),
        ),
      );
      assert.deepEqual(
        at(root({ metadata: { type: 'object', properties: { name: { type: 'string', maxLength: 40 } } } })),
        [],
      );
    });
  });

  describe('CRD checks', () => {
    const crd = (): CustomResourceDefinition => buildCrd(RESOURCES[0] as NonNullable<(typeof RESOURCES)[0]>);

    it('finds printer columns and scale paths that the schema lacks', () => {
      const bad = crd();
      const version = bad.spec.versions[0];
      assert.ok(version);
      version.additionalPrinterColumns = [{ name: 'X', type: 'integer', jsonPath: '.status.nope' }];
      version.subresources.scale = { specReplicasPath: '.spec.cmd', statusReplicasPath: '.spec.instances' };
      bad.metadata.name = 'wrong';
      const found = lintCrd(bad).map((v) => `${v.path}: ${v.message}`);
      assert.ok(
        found.some((v) => /jsonPath: \.status\.nope is not in the schema/.test(v)),
        found.join('\n'),
      );
      assert.ok(found.some((v) => /specReplicasPath: \.spec\.cmd must be a declared integer/.test(v)));
      assert.ok(found.some((v) => /statusReplicasPath: must be under \.status\./.test(v)));
      assert.ok(found.some((v) => /metadata\.name: must be marathonapps\.dcos-operator\.dev/.test(v)));
    });

    for (const def of RESOURCES) {
      it(`the generated ${def.kind} CRD has no violations`, () => {
        assert.deepEqual(lintCrd(buildCrd(def)), []);
      });
    }
  });
});
