import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { readPackageDirectory } from './package-directory.ts';
import { hasServiceNameOption, installErrorLines, planInstall } from './install-plan.ts';
import type { InstallPlan } from './install-plan.ts';
import type { PackageEntry } from './package-entry.ts';

const fixtures = path.resolve(import.meta.dirname, '../../../shared/fixtures/universe/packages');
const b64 = (s: string) => Buffer.from(s).toString('base64');

function entry(template: unknown, over: Partial<PackageEntry> = {}): PackageEntry {
  return {
    packagingVersion: '4.0',
    name: 'demo',
    version: '1.0.0',
    releaseVersion: 3,
    marathon: {
      v2AppMustacheTemplate: b64(typeof template === 'string' ? template : JSON.stringify(template)),
    },
    config: {
      type: 'object',
      properties: {
        service: { type: 'object', properties: { name: { type: 'string', default: 'demo' } } },
        demo: {
          type: 'object',
          properties: { key: { type: 'string' }, count: { type: 'integer', default: 1, minimum: 1 } },
          required: ['key'],
        },
      },
    },
    resource: { assets: { container: { docker: { 'demo-image': 'example/demo:1.0' } } } },
    ...over,
  };
}
const TEMPLATE =
  '{"id":"/{{service.name}}","cmd":"run {{demo.key}}","instances":{{demo.count}},' +
  '"container":{"type":"DOCKER","docker":{"image":"{{resource.assets.container.docker.demo-image}}"}},' +
  '"env":{"KEY":"{{demo.key}}","NAME":"{{service.name}}"},"labels":{"OWN":"yes"}}';

const ok = (p: ReturnType<typeof planInstall>): InstallPlan => {
  assert.ok(p.ok, p.ok ? '' : installErrorLines(p).join('\n'));
  return p;
};

describe('planInstall', () => {
  it('renders with defaults ⊕ options and resource.json, decorates labels and keeps the template’s', () => {
    const p = ok(
      planInstall({ entry: entry(TEMPLATE), source: 'builtin', options: { demo: { key: 'a "b"\n' } } }),
    );
    assert.equal(p.appId, '/demo');
    assert.equal(p.app.instances, 1);
    assert.deepEqual(p.app.env, { KEY: 'a "b"\n', NAME: 'demo' });
    assert.deepEqual((p.app.container as { docker: unknown }).docker, { image: 'example/demo:1.0' });
    const labels = p.app.labels as Record<string, string>;
    assert.equal(labels.OWN, 'yes');
    assert.equal(labels.DCOS_PACKAGE_NAME, 'demo');
    assert.deepEqual(p.userOptions, { demo: { key: 'a "b"\n' } });
    assert.deepEqual(p.resolvedOptions, { service: { name: 'demo' }, demo: { key: 'a "b"\n', count: 1 } });
  });

  it('names every missing required option and every invalid one', () => {
    const p = planInstall({ entry: entry(TEMPLATE), source: 'builtin', options: { demo: { count: 0 } } });
    assert.equal(p.ok, false);
    if (p.ok) return;
    assert.equal(p.type, 'JsonSchemaMismatch');
    assert.deepEqual(p.optionErrors?.map((e) => e.path).sort(), ['demo.count', 'demo.key']);
    assert.match(installErrorLines(p).join('\n'), /demo\.key: is required/);
  });

  it('puts a service name into service.name and the app id; elsewhere only into the app id', () => {
    const p = ok(
      planInstall({
        entry: entry(TEMPLATE),
        source: 'x',
        options: { demo: { key: 'k' } },
        serviceName: 'team/demo-2',
      }),
    );
    assert.equal(p.appId, '/team/demo-2');
    assert.equal((p.app.env as Record<string, string>).NAME, 'team/demo-2');
    assert.deepEqual(p.userOptions.service, { name: 'team/demo-2' });
    // An explicit service.name option wins over the service name for the option, not for the id.
    const q = ok(
      planInstall({
        entry: entry(TEMPLATE),
        source: 'x',
        options: { demo: { key: 'k' }, service: { name: 'mine' } },
        serviceName: 'other',
      }),
    );
    assert.deepEqual([q.appId, (q.app.env as Record<string, string>).NAME], ['/other', 'mine']);
    const noOption = entry({ id: '/fixed', cmd: 'x' }, { config: undefined });
    const r = ok(planInstall({ entry: noOption, source: 'x', serviceName: 'web-b' }));
    assert.equal(r.appId, '/web-b');
    assert.equal(hasServiceNameOption(noOption.config), false);
  });

  it('refuses group templates, non-string labels, missing templates and options without a schema', () => {
    const group = planInstall({
      entry: entry({ id: '/g', apps: [{ id: 'a', cmd: 'x' }] }, { config: undefined }),
      source: 'x',
    });
    assert.equal(group.ok || group.type, 'GroupTemplateNotSupported');
    const labels = planInstall({
      entry: entry({ id: '/a', cmd: 'x', labels: { n: 1 } }, { config: undefined }),
      source: 'x',
    });
    assert.equal(labels.ok || labels.type, 'MarathonTemplateLabelsNotStrings');
    const cli = planInstall({ entry: { ...entry('{}'), marathon: undefined }, source: 'x' });
    assert.equal(cli.ok || cli.type, 'ServiceMarathonTemplateNotFound');
    const noSchema = planInstall({
      entry: entry({ id: '/a', cmd: 'x' }, { config: undefined }),
      source: 'x',
      options: { a: 1 },
    });
    assert.equal(noSchema.ok || noSchema.type, 'OptionsNotAllowed');
  });

  it('relays Marathon’s validation of the rendered app as MarathonBadResponse', () => {
    const p = planInstall({
      entry: entry({ id: '/a', cmd: 'x', args: ['y'] }, { config: undefined }),
      source: 'x',
    });
    assert.equal(p.ok, false);
    if (p.ok) return;
    assert.equal(p.type, 'MarathonBadResponse');
    assert.ok(p.appErrors?.length);
  });
});

describe('every shared fixture package', function () {
  this.timeout(20_000);
  let entries: PackageEntry[] = [];
  before(async function () {
    if (!existsSync(fixtures)) this.skip();
    entries = (await readPackageDirectory(fixtures)).entries;
  });

  // Measured against Cosmos's documented behaviour: namerd splices a JSON fragment with {{{…}}} (legacy
  // only); etcd and kafka (DC/OS 1.11+) quote values that legacy rendering leaves unescaped.
  const modernFails: Record<string, string> = { namerd: 'MarathonTemplateInvalidJson' };
  const legacyFails: Record<string, string> = {
    etcd: 'MarathonTemplateInvalidJson',
    kafka: 'MarathonTemplateInvalidJson',
  };
  const kinds: Record<string, string> = {
    arangodb: 'framework',
    arangodb3: 'framework',
    elasticsearch: 'framework',
    etcd: 'sdk-framework',
    exhibitor: 'app',
    helloworld: 'app',
    hue: 'app',
    jenkins: 'framework',
    kafka: 'sdk-framework',
    linkerd: 'app',
    'marathon-lb': 'app',
    'mr-redis': 'framework',
    namerd: 'app',
    nginx: 'app',
    openvpn: 'app',
    spark: 'framework',
    storm: 'framework',
    swarm: 'framework',
  };

  for (const mode of ['modern', 'legacy'] as const)
    it(`renders with its defaults in ${mode} mode to an app that passes MarathonApp validation`, () => {
      assert.equal(entries.length, 18);
      const outcome: Record<string, string> = {};
      for (const e of entries) {
        const p = planInstall({ entry: e, source: 'builtin', rendering: mode });
        outcome[e.name] = p.ok ? p.kind.kind : p.type;
        if (p.ok) assert.equal(p.appId, p.app.id);
      }
      const expected = Object.fromEntries(
        Object.entries(kinds).map(([n, k]) => [n, (mode === 'modern' ? modernFails : legacyFails)[n] ?? k]),
      );
      assert.deepEqual(outcome, expected);
    });
});
