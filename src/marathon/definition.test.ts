import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { ParseResult } from '../resources/marathon-errors.ts';
import type { NormalizedApp } from './app.ts';
import { readAppDefinition, readAppJson } from './definition.ts';
import { APP_FIELDS, normalizeApp } from './normalize.ts';
import { validateApp } from './validate.ts';

const responses = path.resolve(import.meta.dirname, '../../../shared/fixtures/marathon/responses');
const opts = { id: '/ns/app' };

/** Reads `input` every way there is, checking nothing throws and every answer is well formed. */
function readSafely(input: unknown): ParseResult<NormalizedApp> {
  const result = readAppDefinition(input, opts);
  if (!result.ok) {
    assert.ok(result.details.length > 0, 'a rejection says why');
    for (const d of result.details) {
      assert.match(d.path, /^\//);
      assert.ok(d.errors.length > 0 && d.errors.every((e) => typeof e === 'string' && e !== ''));
      // the catch-all in readAppDefinition is for bugs: no input may reach it
      assert.ok(!d.errors.some((e) => e.startsWith('cannot read the app definition')), JSON.stringify(d));
    }
  }
  // the steps on their own never throw either, whatever reaches them
  if (typeof input === 'object' && input !== null && !Array.isArray(input)) {
    const spec = input as Record<string, unknown>;
    const normalized = normalizeApp(spec, opts);
    if (normalized.ok) validateApp(spec, normalized.value);
  }
  return result;
}

/** A small deterministic PRNG, so a failing fuzz case can be reproduced. */
function prng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

describe('read app definition', () => {
  describe('JSON text', () => {
    it('answers 400 for malformed JSON', () => {
      for (const text of ['{"cmd": ', '', 'nope', '{cmd: "x"}', '['.repeat(100_000)]) {
        const result = readAppJson(text, opts);
        assert.equal(result.ok, false, text.slice(0, 20));
        if (result.ok) continue;
        assert.equal(result.status, 400);
        assert.equal(result.body.message, 'Invalid JSON');
        assert.equal(result.body.details[0]?.path, '/');
      }
    });

    it('answers 422 for JSON that is not a valid app definition', () => {
      assert.deepEqual(readAppJson('{"cmd": "x", "instances": -1}', opts), {
        ok: false,
        status: 422,
        body: {
          message: 'Object is not valid',
          details: [{ path: '/instances', errors: ['got -1, expected 0 or more'] }],
        },
      });
      assert.deepEqual(readAppJson('[{"cmd": "x"}]', opts), {
        ok: false,
        status: 422,
        body: {
          message: 'Object is not valid',
          details: [{ path: '/', errors: ['expected object, got array'] }],
        },
      });
    });

    it('returns the normalized app for a valid one', () => {
      const result = readAppJson('{"cmd": "sleep 1", "ports": [0]}', opts);
      assert.ok(result.ok);
      assert.equal(result.value.id, '/ns/app');
      assert.deepEqual(result.value.portDefinitions, [{ port: 10000, protocol: 'tcp', labels: {} }]);
    });
  });

  describe('reporting', () => {
    it('reports schema and cross-field problems together', () => {
      assert.deepEqual(
        readAppDefinition({ cmd: 'x', instances: -1, uris: ['a'], fetch: [{ uri: 'b' }] }, opts),
        {
          ok: false,
          details: [
            { path: '/instances', errors: ['got -1, expected 0 or more'] },
            { path: '/uris', errors: ['may not be set in conjunction with fetch'] },
          ],
        },
      );
    });

    it('leaves out rule problems on a field the schema rejected', () => {
      const result = readAppDefinition({ cmd: 'x', readinessChecks: [{ portName: 'Not A Name' }] }, opts);
      assert.deepEqual(result, {
        ok: false,
        details: [
          {
            path: '/readinessChecks(0)/portName',
            errors: ["must fully match regular expression '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'"],
          },
        ],
      });
    });

    it('reports normalization failures', () => {
      const ports = Array.from({ length: 10_002 }, () => 0);
      assert.deepEqual(readAppDefinition({ cmd: 'x', ports }, opts), {
        ok: false,
        details: [{ path: '/portDefinitions', errors: ['no free service port left in 10000-20000'] }],
      });
    });
  });

  describe('what users paste', () => {
    it('reads null fields as absent, as Marathon does', () => {
      const result = readAppDefinition(
        {
          cmd: 'x',
          args: null,
          user: null,
          container: null,
          ipAddress: null,
          env: { A: null },
          labels: null,
        },
        opts,
      );
      assert.ok(result.ok, JSON.stringify(result.ok ? null : result.details));
      assert.deepEqual([result.value.container, result.value.env, result.value.labels], [undefined, {}, {}]);
    });

    it('reads GET /v2/apps responses of Marathon 1.x', function () {
      if (!fs.existsSync(responses)) this.skip();
      for (const file of ['zdd_app_blue.json', 'marathon15_apps.json']) {
        const body = JSON.parse(fs.readFileSync(path.join(responses, file), 'utf8')) as { apps: unknown[] };
        for (const app of body.apps) {
          const result = readAppDefinition(app, opts);
          assert.ok(result.ok, `${file}: ${JSON.stringify(result.ok ? null : result.details)}`);
          assert.deepEqual(result.value.unknownFields, [], file);
        }
      }
    });

    it('keeps unknown fields and lists them', () => {
      const result = readAppDefinition({ cmd: 'x', instanses: 3 }, opts);
      assert.ok(result.ok);
      assert.deepEqual([result.value.instances, result.value.unknownFields], [1, ['instanses']]);
    });
  });

  describe('never crashes', () => {
    let deepArray: unknown = 'x';
    let deepObject: unknown = 'x';
    for (let i = 0; i < 10_000; i++) {
      deepArray = [deepArray];
      deepObject = { a: deepObject };
    }
    const odd: unknown[] = [
      null,
      undefined,
      0,
      -1,
      1.5,
      1e308,
      Number.MAX_SAFE_INTEGER + 2,
      '',
      'x',
      'x'.repeat(100_000),
      true,
      [],
      [null],
      [[[]]],
      {},
      { a: { b: {} } },
      deepArray,
      deepObject,
      JSON.parse('{"__proto__": {"x": 1}, "constructor": "c"}'),
    ];

    it('on any top-level value', () => {
      for (const input of odd) assert.equal(readSafely(input).ok, false);
    });

    it('on odd values in every Marathon field', () => {
      for (const field of APP_FIELDS) {
        for (const value of odd) readSafely({ cmd: 'x', [field]: value });
      }
    });

    it('on odd values inside nested fields', () => {
      const wrap: ((v: unknown) => Record<string, unknown>)[] = [
        (v) => ({ container: { docker: v } }),
        (v) => ({ container: { type: 'MESOS', volumes: [v] } }),
        (v) => ({ container: { type: 'MESOS', volumes: [{ containerPath: 'a', persistent: v }] } }),
        (v) => ({ container: { type: 'MESOS', volumes: [{ containerPath: 'a', external: v }] } }),
        (v) => ({ container: { docker: { image: 'x', network: 'BRIDGE', portMappings: [v] } } }),
        (v) => ({ networks: [{ mode: 'container/bridge' }], container: { portMappings: [v] } }),
        (v) => ({ networks: [v] }),
        (v) => ({ portDefinitions: [v] }),
        (v) => ({ healthChecks: [v] }),
        (v) => ({ healthChecks: [{ command: v }] }),
        (v) => ({ readinessChecks: [v] }),
        (v) => ({ constraints: [v] }),
        (v) => ({ constraints: [['hostname', v]] }),
        (v) => ({ ipAddress: { discovery: { ports: [v] } } }),
        (v) => ({ ipAddress: v, container: { type: 'MESOS' } }),
        (v) => ({ fetch: [v] }),
        (v) => ({ env: { A: v } }),
        (v) => ({ secrets: { s: v } }),
        (v) => ({ upgradeStrategy: { minimumHealthCapacity: v } }),
        (v) => ({ unreachableStrategy: { inactiveAfterSeconds: v } }),
      ];
      for (const at of wrap) for (const value of odd) readSafely({ cmd: 'x', ...at(value) });
    });

    it('on random definitions', () => {
      const random = prng(20260101);
      const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
      const keys = [
        ...APP_FIELDS,
        ...[
          'docker',
          'type',
          'image',
          'network',
          'portMappings',
          'volumes',
          'persistent',
          'external',
          'secret',
        ],
        ...['hostPath', 'containerPath', 'port', 'portIndex', 'protocol', 'command', 'value', 'name', 'mode'],
        ...['discovery', 'number', 'fieldName', 'operator', 'size', 'maxSize', 'source', 'uri', '__proto__'],
      ];
      const scalars = [
        ...[null, 0, -1, 1.5, 65536, '', 'x', true, 'HOST', 'BRIDGE', 'USER', 'NONE', 'MESOS', 'DOCKER'],
        ...['disabled', 'host', 'container', 'container/bridge', 'COMMAND', 'MESOS_HTTP', 'udp,tcp', 'like'],
      ];
      const value = (depth: number): unknown => {
        const r = random();
        if (depth > 3 || r < 0.35) return pick(scalars);
        const size = Math.floor(random() * 4);
        if (r < 0.6) return Array.from({ length: size }, () => value(depth + 1));
        return Object.fromEntries(Array.from({ length: size }, () => [pick(keys), value(depth + 1)]));
      };
      let accepted = 0;
      for (let i = 0; i < 1500; i++) {
        const spec = Object.fromEntries(
          Array.from({ length: Math.floor(random() * 6) }, () => [pick(keys), value(0)]),
        );
        if (readSafely({ cmd: 'x', ...spec }).ok) accepted++;
      }
      assert.ok(accepted > 0, 'some random definitions are valid');
    });
  });
});
