import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import AjvDraft04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import type { OptionError, OptionsResult } from './options.ts';
import { deepMerge, extractDefaults, formatOptionErrors, resolveOptions } from './options.ts';

const fixtures = path.resolve(import.meta.dirname, '../../../shared/fixtures/universe/packages');
const metaSchemaFile = path.resolve(fixtures, '../schema/config-schema.json');

const readJson = (file: string): Record<string, unknown> =>
  JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;

const fixtureConfigs = (): { name: string; config: Record<string, unknown> }[] =>
  fs
    .readdirSync(fixtures)
    .sort()
    .flatMap((name) =>
      fs.readdirSync(path.join(fixtures, name)).map((rev) => ({
        name: `${name}/${rev}`,
        config: readJson(path.join(fixtures, name, rev, 'config.json')),
      })),
    );

const config = (name: string, rev: string) => readJson(path.join(fixtures, name, rev, 'config.json'));

function failure(r: OptionsResult): Extract<OptionsResult, { ok: false }> {
  assert.equal(r.ok, false, `expected failure, got ${JSON.stringify(r)}`);
  return r;
}

function resolved(r: OptionsResult): Record<string, unknown> {
  assert.ok(r.ok, `expected success, got ${JSON.stringify(r)}`);
  return r.resolved;
}

const datadog = {
  type: 'object',
  properties: {
    datadog: {
      type: 'object',
      properties: {
        enabled: { type: 'boolean', default: false },
        api_key: { type: 'string' },
        site: { type: 'string' },
      },
      required: ['api_key'],
    },
  },
};

describe('extractDefaults', () => {
  it('keeps defaults, drops nested objects that end up without any', () => {
    const schema = {
      properties: {
        service: { properties: { name: { default: 'svc' }, user: { type: 'string' } } },
        empty: { type: 'object', properties: { a: { type: 'string' }, b: { properties: {} } } },
        count: { type: 'integer', default: 3 },
        none: { type: 'string', default: null },
      },
    };
    assert.deepEqual(extractDefaults(schema), { service: { name: 'svc' }, count: 3, none: null });
  });

  it("lets an object property's own default win over its children's", () => {
    const schema = {
      properties: {
        heap: { default: { size: 1 }, properties: { size: { default: 512 }, gc: { default: 'g1' } } },
      },
    };
    assert.deepEqual(extractDefaults(schema), { heap: { size: 1 } });
  });

  it('consults only properties/default, and never throws on malformed input', () => {
    const schema = {
      properties: {
        list: { type: 'array', items: { properties: { x: { default: 1 } } } },
        ref: { $ref: '#/definitions/x' },
        alt: { oneOf: [{ default: 1 }] },
        map: { additionalProperties: { default: 1 } },
        bad: 'not a schema',
        badProps: { properties: 7 },
      },
      definitions: { x: { default: 1 } },
    };
    assert.deepEqual(extractDefaults(schema), {});
    for (const s of [undefined, null, 42, 'x', [], { properties: [] }, { properties: null }]) {
      assert.deepEqual(extractDefaults(s), {});
    }
  });

  it('returns copies, so mutating the result leaves the schema alone', () => {
    const schema = { properties: { roles: { default: ['a'] }, o: { default: { k: 1 } } } };
    const d = extractDefaults(schema) as { roles: string[]; o: { k: number } };
    d.roles.push('b');
    d.o.k = 2;
    assert.deepEqual(schema.properties.roles.default, ['a']);
    assert.deepEqual(schema.properties.o.default, { k: 1 });
  });

  it('reads the real nginx defaults', () => {
    const d = extractDefaults(config('nginx', '6')) as { nginx: Record<string, unknown> };
    assert.equal(d.nginx.instances, 1);
    assert.equal(d.nginx.name, 'nginx');
    assert.equal(d.nginx.mem, 1024);
  });
});

describe('deepMerge', () => {
  it('merges nested objects key by key', () => {
    const base = { a: { b: 1, c: { d: 2, e: 3 } }, f: 4 };
    const over = { a: { c: { e: 30, g: 5 } }, h: 6 };
    assert.deepEqual(deepMerge(base, over), { a: { b: 1, c: { d: 2, e: 30, g: 5 } }, f: 4, h: 6 });
  });

  it('replaces arrays instead of merging them', () => {
    assert.deepEqual(deepMerge({ roles: ['a', 'b', 'c'] }, { roles: ['z'] }), { roles: ['z'] });
    assert.deepEqual(deepMerge({ x: { k: 1 } }, { x: [1] }), { x: [1] });
    assert.deepEqual(deepMerge({ x: [1] }, { x: { k: 1 } }), { x: { k: 1 } });
  });

  it('replaces scalars, and null replaces rather than deletes', () => {
    assert.deepEqual(deepMerge({ a: 1, b: 'x' }, { a: 2, b: true }), { a: 2, b: true });
    assert.deepEqual(deepMerge({ a: { b: 1 } }, { a: null }), { a: null });
    assert.deepEqual(deepMerge({ a: 1 }, { a: { b: 2 } }), { a: { b: 2 } });
    assert.equal(deepMerge(1, 'x'), 'x');
    assert.deepEqual(deepMerge({ a: 1 }, undefined), { a: 1 });
  });

  it('does not mutate or share structure with its inputs', () => {
    const base = { a: { b: [1] }, keep: { k: 1 } };
    const over = { a: { c: { d: 1 } }, add: { n: [2] } };
    const baseCopy = structuredClone(base);
    const overCopy = structuredClone(over);
    const out = deepMerge(base, over) as typeof base & typeof over & { a: { c: { d: number } } };
    assert.deepEqual(base, baseCopy);
    assert.deepEqual(over, overCopy);
    out.a.b.push(2);
    out.keep.k = 9;
    out.a.c.d = 9;
    out.add.n.push(3);
    assert.deepEqual(base, baseCopy);
    assert.deepEqual(over, overCopy);
  });

  it('treats __proto__ as an ordinary key', () => {
    const over = JSON.parse('{"__proto__": {"polluted": true}}') as unknown;
    const out = deepMerge({}, over) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(out), Object.prototype);
    assert.deepEqual(Object.keys(out), ['__proto__']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});

describe('resolveOptions', () => {
  it('reports a required option without default by its full dotted path', () => {
    const f = failure(resolveOptions(datadog, {}));
    assert.equal(f.type, 'JsonSchemaMismatch');
    assert.equal(f.message, 'Options JSON failed validation');
    assert.deepEqual(f.errors, [
      {
        path: 'datadog.api_key',
        pointer: '/datadog/api_key',
        keyword: 'required',
        message: 'is required',
        missing: 'datadog.api_key',
      },
    ]);
  });

  it('names every missing option', () => {
    const schema = structuredClone(datadog);
    schema.properties.datadog.required = ['api_key', 'site'];
    const f = failure(resolveOptions(schema, {}));
    assert.deepEqual(
      f.errors.map((e) => [e.keyword, e.missing]),
      [
        ['required', 'datadog.api_key'],
        ['required', 'datadog.site'],
      ],
    );
  });

  it('resolves defaults merged with the user options once the option is given', () => {
    const r = resolveOptions(datadog, { datadog: { api_key: 'k' } });
    assert.deepEqual(resolved(r), { datadog: { enabled: false, api_key: 'k' } });
  });

  it('reports type errors without coercing', () => {
    const f = failure(resolveOptions(config('nginx', '6'), { nginx: { instances: '2', name: 5 } }));
    assert.equal(f.type, 'JsonSchemaMismatch');
    assert.deepEqual(
      f.errors.map((e) => [e.path, e.pointer, e.keyword, e.message]),
      [
        ['nginx.instances', '/nginx/instances', 'type', 'must be integer'],
        ['nginx.name', '/nginx/name', 'type', 'must be string'],
      ],
    );
  });

  it('reports minimum violations', () => {
    const f = failure(resolveOptions(config('nginx', '6'), { nginx: { instances: 0 } }));
    assert.deepEqual(f.errors, [
      { path: 'nginx.instances', pointer: '/nginx/instances', keyword: 'minimum', message: 'must be >= 1' },
    ]);
  });

  it('reports enum violations with the allowed values', () => {
    const f = failure(resolveOptions(config('kafka', '1200'), { service: { deploy_strategy: 'fast' } }));
    assert.deepEqual(f.errors, [
      {
        path: 'service.deploy_strategy',
        pointer: '/service/deploy_strategy',
        keyword: 'enum',
        message: 'must be one of: "serial", "serial-canary", "parallel-canary", "parallel"',
      },
    ]);
  });

  it('names a typo under additionalProperties: false', () => {
    const f = failure(resolveOptions(config('exhibitor', '3'), { exhibitor: { 'http-prot': 8181 } }));
    assert.deepEqual(f.errors, [
      {
        path: 'exhibitor.http-prot',
        pointer: '/exhibitor/http-prot',
        keyword: 'additionalProperties',
        message: 'unknown option (the package does not define it)',
      },
    ]);
    const root = failure(resolveOptions(config('helloworld', '0'), { prot: 1 }));
    assert.deepEqual(
      root.errors.map((e) => e.path),
      ['prot'],
    );
  });

  it('collects all errors at once', () => {
    const f = failure(resolveOptions(config('nginx', '6'), { nginx: { instances: 0, cpus: 'x', mem: 1 } }));
    assert.deepEqual(f.errors.map((e) => `${e.path}/${e.keyword}`).sort(), [
      'nginx.cpus/type',
      'nginx.instances/minimum',
      'nginx.mem/minimum',
    ]);
  });

  it('returns the merged options for a real package', () => {
    const r = resolved(resolveOptions(config('nginx', '6'), { nginx: { instances: 3 } }));
    const nginx = r.nginx as Record<string, unknown>;
    assert.equal(nginx.instances, 3);
    assert.equal(nginx.name, 'nginx');
    assert.equal(nginx.cpus, 1);
  });

  it('refuses options when the package has no config.json', () => {
    assert.deepEqual(resolveOptions(undefined, { a: 1 }), {
      ok: false,
      type: 'OptionsNotAllowed',
      message: 'No schema available to validate the provided options',
      errors: [],
    });
    assert.deepEqual(resolveOptions(undefined, {}), { ok: true, resolved: {} });
  });

  it('ignores draft-03 boolean required', () => {
    const schema = {
      type: 'object',
      properties: {
        svc: {
          type: 'object',
          required: true,
          properties: {
            name: { type: 'string', required: true },
            port: { type: 'integer', required: false, default: 80 },
            extra: { type: 'object', default: { required: true } },
          },
        },
      },
    };
    const before = structuredClone(schema);
    assert.deepEqual(resolved(resolveOptions(schema, {})), { svc: { port: 80, extra: { required: true } } });
    assert.deepEqual(failure(resolveOptions(schema, { svc: { name: 1 } })).errors[0]?.keyword, 'type');
    assert.deepEqual(schema, before, 'schema is not mutated');
  });

  it('tolerates $schema members naming draft-03, draft-04 or no version', () => {
    for (const url of [
      'http://json-schema.org/draft-04/schema#',
      'http://json-schema.org/draft-03/schema#',
      'http://json-schema.org/schema#',
    ]) {
      const schema = { $schema: url, ...datadog };
      assert.deepEqual(resolved(resolveOptions(schema, { datadog: { api_key: 'k' } })).datadog, {
        enabled: false,
        api_key: 'k',
      });
      assert.equal(failure(resolveOptions(schema, {})).type, 'JsonSchemaMismatch');
    }
  });

  it('reports a malformed schema as InvalidConfigSchema instead of throwing', () => {
    for (const schema of [
      { properties: { a: { type: 'int' } } },
      { properties: { a: { $ref: '#/definitions/missing' } } },
      { properties: { a: { type: 'string', pattern: '([' } } },
    ]) {
      const f = failure(resolveOptions(schema, {}));
      assert.equal(f.type, 'InvalidConfigSchema', JSON.stringify(schema));
      assert.ok(f.message.length > 0);
    }
  });

  it('gives the same answers for equal schemas and does not confuse different ones', () => {
    const a = resolveOptions(structuredClone(datadog), {});
    const b = resolveOptions(structuredClone(datadog), {});
    assert.deepEqual(a, b);
    const relaxed = structuredClone(datadog) as { properties: { datadog: { required?: string[] } } };
    delete relaxed.properties.datadog.required;
    assert.equal(resolveOptions(relaxed, {}).ok, true);
    assert.equal(resolveOptions(datadog, {}).ok, false);
  });
});

describe('fixture config.json files', () => {
  it('all compile, and their own defaults validate', () => {
    const all = fixtureConfigs();
    assert.equal(all.length, 18);
    const invalid: string[] = [];
    const failingDefaults: string[] = [];
    const failingOtherThanRequired: string[] = [];
    for (const { name, config: c } of all) {
      const before = structuredClone(c);
      const r = resolveOptions(c, {});
      assert.deepEqual(c, before, `${name}: schema not mutated`);
      if (r.ok) {
        assert.deepEqual(r.resolved, extractDefaults(c), name);
        continue;
      }
      if (r.type === 'InvalidConfigSchema') invalid.push(`${name}: ${r.message}`);
      else failingDefaults.push(name);
      if (r.errors.some((e) => e.keyword !== 'required')) failingOtherThanRequired.push(name);
    }
    assert.deepEqual(invalid, []);
    assert.deepEqual(failingDefaults, []);
    assert.deepEqual(failingOtherThanRequired, []);
  });

  it('all conform to the Universe config.json meta-schema', () => {
    type AjvClass = typeof AjvDraft04Module.default;
    type FormatsPlugin = typeof addFormatsModule.default;
    const Ajv =
      (AjvDraft04Module as unknown as { default?: AjvClass }).default ??
      (AjvDraft04Module as unknown as AjvClass);
    const addFormats =
      (addFormatsModule as unknown as { default?: FormatsPlugin }).default ??
      (addFormatsModule as unknown as FormatsPlugin);
    const ajv = new Ajv({ allErrors: true, strict: false, logger: false });
    addFormats(ajv);
    const validate = ajv.compile(readJson(metaSchemaFile));
    const nonConforming = fixtureConfigs()
      .filter(({ config: c }) => !validate(c))
      .map(({ name }) => `${name}: ${ajv.errorsText(validate.errors)}`);
    assert.deepEqual(nonConforming, []);
    // The meta-schema has teeth: draft-03 boolean required is rejected by it.
    assert.equal(validate({ properties: { a: { type: 'string', required: true } } }), false);
  });
});

describe('formatOptionErrors', () => {
  it('prints one line per error, naming the option', () => {
    const errors: OptionError[] = [
      { path: 'service.name', pointer: '/service/name', keyword: 'required', message: 'is required' },
      { path: 'nginx.instances', pointer: '/nginx/instances', keyword: 'minimum', message: 'must be >= 1' },
      { path: '', pointer: '', keyword: 'type', message: 'must be object' },
    ];
    assert.deepEqual(formatOptionErrors(errors), [
      'service.name: is required',
      'nginx.instances: must be >= 1',
      '(root): must be object',
    ]);
    assert.deepEqual(formatOptionErrors([]), []);
  });

  it('formats what resolveOptions reports', () => {
    const f = failure(resolveOptions(datadog, { datadog: { site: 1 } }));
    assert.deepEqual(formatOptionErrors(f.errors), [
      'datadog.api_key: is required',
      'datadog.site: must be string',
    ]);
  });
});
