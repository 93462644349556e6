import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Mustache from 'mustache';
import type { RenderingMode, TemplateResult } from './render-template.ts';
import { renderTemplate, renderTemplateText } from './render-template.ts';

const fixtures = path.resolve(import.meta.dirname, '../../../shared/fixtures/universe/packages');

const readJson = (file: string): Record<string, unknown> =>
  JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** config.json defaults: a property's `default`, else its nested properties' defaults when non-empty. */
function defaultsOf(schema: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const properties = isObject(schema.properties) ? schema.properties : {};
  for (const [key, prop] of Object.entries(properties)) {
    if (!isObject(prop)) continue;
    if ('default' in prop) out[key] = prop.default;
    else {
      const nested = defaultsOf(prop);
      if (Object.keys(nested).length > 0) out[key] = nested;
    }
  }
  return out;
}

function fixture(name: string, rev: string): { template: string; context: Record<string, unknown> } {
  const dir = path.join(fixtures, name, rev);
  return {
    template: fs.readFileSync(path.join(dir, 'marathon.json.mustache'), 'utf8'),
    context: {
      ...defaultsOf(readJson(path.join(dir, 'config.json'))),
      resource: readJson(path.join(dir, 'resource.json')),
    },
  };
}

const text = (template: string, context: Record<string, unknown>, mode: RenderingMode = 'modern') =>
  renderTemplateText(template, context, mode);

function rendered(r: TemplateResult): Record<string, unknown> {
  assert.ok(r.ok, `expected success, got ${JSON.stringify(r)}`);
  return r.app;
}

function failed(r: TemplateResult): Extract<TemplateResult, { ok: false }> {
  assert.equal(r.ok, false, `expected failure, got ${JSON.stringify(r)}`);
  return r;
}

describe('renderTemplate (modern)', () => {
  it('JSON-encodes strings so "{{x}}" and "{{{x}}}" are valid string literals', () => {
    for (const x of [
      'say "hi"',
      'back\\slash',
      'two\nlines\ttab\r',
      'ünïcødé ✓ 😀',
      '\u0001\u001f',
      '</script>&=',
    ]) {
      const app = rendered(renderTemplate('{"a": "{{x}}", "b": "{{{x}}}", "c": "{{& x}}"}', { x }, 'modern'));
      assert.deepEqual(app, { a: x, b: x, c: x });
    }
    assert.equal(text('{{x}}', { x: 'a"b\\c\nd' }), 'a\\"b\\\\c\\nd');
  });

  it('does not HTML-escape', () => {
    assert.equal(
      text('{{x}}|{{{x}}}', { x: `<a href='x'>&amp;=\`</a>` }),
      `<a href='x'>&amp;=\`</a>|<a href='x'>&amp;=\`</a>`,
    );
  });

  it('prints arrays as Java lists whose string elements keep their quotes', () => {
    assert.equal(text('{{x}}', { x: ['a', 'b'] }), '["a", "b"]');
    const app = rendered(
      renderTemplate(
        '{"x": {{x}}, "y": {{{y}}}, "z": {{z}}}',
        {
          x: ['one', 'two'],
          y: [
            [1, 'q"uote'],
            [true, null, 0.5],
          ],
          z: [],
        },
        'modern',
      ),
    );
    assert.deepEqual(app, {
      x: ['one', 'two'],
      y: [
        [1, 'q"uote'],
        [true, null, 0.5],
      ],
      z: [],
    });
  });

  it('prints numbers like Cosmos: integers in full, other doubles as Java Double.toString', () => {
    const cases: [number, string][] = [
      [3, '3'],
      [-7, '-7'],
      [256.0, '256'],
      [12345678901, '12345678901'],
      [1e21, '1000000000000000000000'],
      [2.5e7, '25000000'],
      [0.5, '0.5'],
      [1.25, '1.25'],
      [-0.25, '-0.25'],
      [0.001, '0.001'],
      [1e-4, '1.0E-4'],
      [1.5e-7, '1.5E-7'],
      [-2.5e-5, '-2.5E-5'],
      [12345678.5, '1.23456785E7'],
    ];
    for (const [n, expected] of cases) {
      assert.equal(text('{{n}}', { n }), expected, `number ${n}`);
      assert.equal(text('{{{n}}}', { n }), expected, `number ${n} (raw)`);
    }
    assert.deepEqual(rendered(renderTemplate('{"n": {{n}}}', { n: 1e-4 }, 'modern')), { n: 1e-4 });
  });

  it('prints booleans and nothing for null or missing', () => {
    assert.equal(
      text('{{t}},{{f}},{{n}},{{missing}},{{a.b.c}}', { t: true, f: false, n: null }),
      'true,false,,,',
    );
  });

  it('skips sections for missing, null, false, "" and [], and renders them once for 0 and other values', () => {
    const context = { n: null, f: false, e: '', l: [], zero: 0, neg: -1, t: true, s: 'x', o: { k: 'v' } };
    const section = (name: string) => text(`{{#${name}}}Y{{/${name}}}`, context);
    const inverted = (name: string) => text(`{{^${name}}}Y{{/${name}}}`, context);
    for (const name of ['missing', 'n', 'f', 'e', 'l', 'o.missing']) {
      assert.equal(section(name), '', name);
      assert.equal(inverted(name), 'Y', name);
    }
    for (const name of ['zero', 'neg', 't', 's', 'o', 'o.k']) {
      assert.equal(section(name), 'Y', name);
      assert.equal(inverted(name), '', name);
    }
    assert.equal(text('{{#zero}}[{{.}}]{{/zero}}', context), '[0]');
    assert.equal(text('{{#o}}{{k}}{{/o}}', context), 'v');
  });

  it('iterates arrays, with {{.}}, field lookups and lookups up the context stack', () => {
    assert.equal(text('{{#xs}}[{{.}}]{{/xs}}', { xs: [1, 0, 2.5, true] }), '[1][0][2.5][true]');
    assert.equal(
      text('{{#ps}}{{key}}={{value}}@{{host}};{{/ps}}', {
        host: 'h',
        ps: [
          { key: 'a', value: '1' },
          { key: 'b', value: 'x"y', host: 'own' },
        ],
      }),
      'a=1@h;b=x\\"y@own;',
    );
    // Array string elements keep their quotes in modern mode, also when iterated.
    assert.equal(text('{{#xs}}{{.}},{{/xs}}', { xs: ['a', 'b'] }), '"a","b",');
  });

  it('handles nested negations', () => {
    const t = '{{^a.enabled}}{{#b.enabled}}X{{/b.enabled}}{{/a.enabled}}';
    assert.equal(text(t, { a: { enabled: false }, b: { enabled: true } }), 'X');
    assert.equal(text(t, { a: { enabled: true }, b: { enabled: true } }), '');
    assert.equal(text(t, { a: { enabled: false }, b: { enabled: false } }), '');
    assert.equal(text(t, { b: { enabled: true } }), 'X');
  });

  it('resolves dotted names whose keys contain dashes', () => {
    const context = {
      resource: { assets: { container: { docker: { 'nginx-docker': 'bitnami/nginx:1.10.3-r1' } } } },
      namerd: { 'resource-roles': 'slave_public' },
    };
    assert.equal(
      text('{{resource.assets.container.docker.nginx-docker}}|{{namerd.resource-roles}}', context),
      'bitnami/nginx:1.10.3-r1|slave_public',
    );
  });

  it('prints objects as Java maps', () => {
    assert.equal(
      text('{{o}}', { o: { k1: 'v1', k2: 2, n: null, l: ['x', 0.5], m: { b: true } } }),
      '{k1=v1, k2=2, n=null, l=["x", 0.5], m={b=true}}',
    );
    assert.equal(text('{{o}}', { o: {} }), '{}');
  });

  it('does not treat Object.prototype members as context keys', () => {
    assert.equal(text('{{#o}}{{toString}}{{constructor}}{{/o}}', { o: { a: 1 }, toString: 'top' }), 'top');
  });
});

describe('renderTemplate (legacy)', () => {
  it('HTML-escapes {{x}} like mustache.java', () => {
    const table: [string, string][] = [
      ['&', '&amp;'],
      ['<', '&lt;'],
      ['>', '&gt;'],
      ['"', '&quot;'],
      ["'", '&#39;'],
      ['`', '&#96;'],
      ['=', '&#61;'],
      ['\u0000', '&#0;'],
      ['\u0007', '&#7;'],
      ['\t', '&#9;'],
      ['\n', '&#10;'],
      ['\r', '&#13;'],
      ['\u000e', '\u000e'],
      ['/', '/'],
      ['\\', '\\'],
      ['é', 'é'],
    ];
    for (const [input, expected] of table) {
      assert.equal(text('{{x}}', { x: input }, 'legacy'), expected, JSON.stringify(input));
    }
    assert.equal(text('{{x}}', { x: 'a < b && "c"' }, 'legacy'), 'a &lt; b &amp;&amp; &quot;c&quot;');
  });

  it('inserts {{{x}}} and {{& x}} raw, without JSON-encoding', () => {
    const x = '"*", "slave_public"\\\n<&>';
    assert.equal(text('{{{x}}}|{{& x}}', { x }, 'legacy'), `${x}|${x}`);
  });

  it('prints arrays with unquoted string elements', () => {
    assert.equal(text('{{{x}}}', { x: ['a', 'b', 1, [true, null]] }, 'legacy'), '[a, b, 1, [true, null]]');
    assert.equal(text('{{x}}', { x: ['a=b'] }, 'legacy'), '[a&#61;b]');
    assert.equal(text('{{#xs}}{{.}},{{/xs}}', { xs: ['a', 'b'] }, 'legacy'), 'a,b,');
  });

  it('shares number, boolean and section rules with modern mode', () => {
    const t = '{{n}} {{d}} {{b}} {{#zero}}Z{{/zero}}{{#e}}E{{/e}}{{^l}}L{{/l}}';
    assert.equal(
      text(t, { n: 12345678901, d: 1e-4, b: true, zero: 0, e: '', l: [] }, 'legacy'),
      '12345678901 1.0E-4 true ZL',
    );
  });
});

describe('asJson lambda', () => {
  const context = { cfg: '{"a": [1, 2], "b": "x\\"y"}', num: 5 };

  for (const mode of ['modern', 'legacy'] as const) {
    it(`emits a top-level JSON string raw (${mode})`, () => {
      const app = rendered(renderTemplate('{"x": {{#asJson}} cfg {{/asJson}}}', context, mode));
      assert.deepEqual(app, { x: { a: [1, 2], b: 'x"y' } });
    });
  }

  it('emits null for missing, nested or non-string keys', () => {
    assert.equal(text('{{#asJson}}nope{{/asJson}},{{#asJson}}num{{/asJson}}', context), 'null,null');
    assert.equal(text('{{#o}}{{#asJson}}inner{{/asJson}}{{/o}}', { o: { inner: '{}' } }), 'null');
  });

  it('yields to a context key named asJson', () => {
    assert.equal(text('{{asJson}}|{{#asJson}}cfg{{/asJson}}', { asJson: 'mine', cfg: '{}' }), 'mine|cfg');
  });
});

describe('renderTemplate results', () => {
  it('rejects output that is JSON but not an object', () => {
    for (const template of ['[{{n}}]', '{{n}}', 'null', '"{{s}}"']) {
      const r = failed(renderTemplate(template, { n: 1, s: 'x' }, 'modern'));
      assert.equal(r.type, 'MarathonTemplateMustBeJsonObject', template);
      assert.equal(r.message, 'Rendered Marathon JSON must be a JSON object');
    }
  });

  it('reports invalid JSON with the rendered text', () => {
    const r = failed(renderTemplate('{"a": {{x}}}', { x: 'not json' }, 'modern'));
    assert.equal(r.type, 'MarathonTemplateInvalidJson');
    assert.match(r.message, /^Rendered Marathon JSON is not valid JSON: ./);
    assert.equal(r.text, '{"a": not json}');
  });

  it('reports mustache syntax errors', () => {
    const r = failed(renderTemplate('{"a": "{{#x}}"}', { x: true }, 'modern'));
    assert.equal(r.type, 'MarathonTemplateRenderError');
    assert.match(r.message, /Unclosed section "x"/);
    assert.throws(() => renderTemplateText('{{#x}}', {}, 'modern'), /Unclosed section/);
    assert.equal(failed(renderTemplate('{{/x}}', {}, 'legacy')).type, 'MarathonTemplateRenderError');
  });

  it('never throws, whatever the input', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const cases: [unknown, unknown][] = [
      [42, {}],
      ['{}', null],
      ['{{self}}', circular],
    ];
    for (const [template, context] of cases) {
      const r = renderTemplate(template as string, context as Record<string, unknown>, 'modern');
      assert.equal(failed(r).type, 'MarathonTemplateRenderError');
    }
  });

  it('does not mutate the context nor the global mustache escape', () => {
    const context = { s: 'a"b', l: ['x', 1, { y: 'z' }], o: { n: 0, d: 0.5 }, t: true };
    const before = structuredClone(context);
    for (const mode of ['modern', 'legacy'] as const) {
      renderTemplate(
        '{"s": "{{s}}", "l": {{{l}}}, "o": "{{o}}", "x": {{#asJson}}s{{/asJson}}}',
        context,
        mode,
      );
    }
    assert.deepEqual(context, before);
    assert.equal(Object.getOwnPropertySymbols(context.l).length, 0);
    assert.ok(!('asJson' in context));
    assert.equal(Mustache.render('{{x}}', { x: '<"' }), '&lt;&quot;');
  });
});

describe('renderTemplate on Universe fixtures', () => {
  it('namerd/4 is invalid JSON in modern mode but renders in legacy mode', () => {
    const { template, context } = fixture('namerd', '4');
    const modern = failed(renderTemplate(template, context, 'modern'));
    assert.equal(modern.type, 'MarathonTemplateInvalidJson');
    assert.match(modern.text ?? '', /"acceptedResourceRoles": \[\\"\*\\", \\"slave_public\\"\]/);

    const app = rendered(renderTemplate(template, context, 'legacy'));
    assert.deepEqual(app.acceptedResourceRoles, ['*', 'slave_public']);
    assert.equal(app.id, 'namerd');
    assert.equal(app.cpus, 0.25);
    assert.equal(app.mem, 256);
    assert.deepEqual(app.ports, [9001, 4180, 4100]);
    assert.deepEqual(app.uris, ['https://s3.amazonaws.com/buoyant-dcos/namerd-dcos-060.yaml']);
    assert.deepEqual(app.container, {
      type: 'DOCKER',
      docker: {
        image: 'buoyantio/namerd:0.7.0-dcos',
        network: 'BRIDGE',
        privileged: true,
        portMappings: [9001, 4180, 4100].map((p) => ({
          containerPort: p,
          hostPort: p,
          servicePort: 0,
          protocol: 'tcp',
        })),
      },
    });
  });

  it('nginx/6 renders its defaults and resource image', () => {
    const { template, context } = fixture('nginx', '6');
    const app = rendered(renderTemplate(template, context, 'modern'));
    assert.equal(app.id, '/nginx');
    assert.equal(app.instances, 1);
    assert.equal(app.mem, 1024);
    assert.deepEqual(app.acceptedResourceRoles, ['*']);
    assert.ok(!('cmd' in app) && !('uris' in app));
    assert.deepEqual(app.container, {
      type: 'DOCKER',
      docker: {
        image: 'bitnami/nginx:1.10.3-r1',
        network: 'BRIDGE',
        portMappings: [
          { containerPort: 80, hostPort: 0 },
          { containerPort: 443, hostPort: 0 },
        ],
      },
    });
    assert.deepEqual(app.labels, {
      DCOS_SERVICE_NAME: 'nginx',
      DCOS_SERVICE_SCHEME: 'http',
      DCOS_SERVICE_PORT_INDEX: '0',
    });
  });

  it('marathon-lb/45 renders its defaults and resource image', () => {
    const { template, context } = fixture('marathon-lb', '45');
    const app = rendered(renderTemplate(template, context, 'modern'));
    assert.equal(app.id, 'marathon-lb');
    const container = app.container as { docker: { image: string; parameters: unknown[] } };
    assert.equal(container.docker.image, 'mesosphere/marathon-lb:v1.15.0');
    assert.deepEqual(container.docker.parameters, [
      { key: 'label', value: 'created_by=marathon' },
      { key: 'label', value: 'dcos_pkg_name=marathon-lb' },
    ]);
    assert.deepEqual(app.acceptedResourceRoles, ['slave_public']);
    assert.deepEqual(app.upgradeStrategy, { minimumHealthCapacity: 0.5, maximumOverCapacity: 0.2 });
    assert.equal((app.healthChecks as { portIndex: number }[])[0]?.portIndex, 2);
    const args = app.args as string[];
    assert.ok(args.includes('--haproxy-map') && !args.includes('--dont-bind-http-https'));
    assert.deepEqual(args.slice(-6), [
      '--max-reload-retries',
      '10',
      '--reload-interval',
      '10',
      '--group',
      'external',
    ]);
    // template-url and secret_name default to "", which skips their sections.
    assert.ok(!('uris' in app) && !('secrets' in app));
    const ports = app.ports as number[];
    assert.deepEqual(ports.slice(0, 3), [80, 443, 9090]);
    assert.equal(ports.at(-1), 10100);
  });

  it('kafka/1200 renders in modern mode and keeps a quoted placement constraint intact', () => {
    const { template, context } = fixture('kafka', '1200');
    const defaults = rendered(renderTemplate(template, context, 'modern'));
    assert.equal(defaults.id, 'kafka');
    assert.equal(
      (defaults.env as Record<string, string>).PLACEMENT_CONSTRAINTS,
      '[["hostname", "MAX_PER", "1"]]',
    );

    const constraint = '[["hostname", "UNIQUE"]]';
    const custom = structuredClone(context);
    (custom.service as Record<string, unknown>).placement_constraint = constraint;
    const app = rendered(renderTemplate(template, custom, 'modern'));
    const env = app.env as Record<string, string>;
    assert.equal(env.PLACEMENT_CONSTRAINTS, constraint);
    assert.equal(env.KAFKA_URI, 'https://downloads.mesosphere.com/kafka/assets/kafka_2.12-2.4.0.tgz');
    assert.ok(!('TASKCFG_ALL_BROKER_COUNT' in env) && !('secrets' in app));

    // Kafka assumes modern escaping; legacy mode inserts the quotes raw.
    assert.equal(failed(renderTemplate(template, custom, 'legacy')).type, 'MarathonTemplateInvalidJson');
  });
});
