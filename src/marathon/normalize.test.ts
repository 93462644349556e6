import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { AppNetwork, NormalizedApp } from './app.ts';
import { readAppDefinition } from './definition.ts';
import { normalizeApp, SERVICE_PORT_MAX, SERVICE_PORT_MIN } from './normalize.ts';

const fixtures = path.resolve(import.meta.dirname, '../../../shared/fixtures/marathon/apps');

/** Fixtures that are not complete, valid app definitions (as in src/resources/marathon-app.test.ts). */
const NOT_VALID = new Set(['app.json', 'app_patch.json', 'apps_patch.json', 'app_add_400.json']);

function normalize(spec: Record<string, unknown>, id = '/test/app'): NormalizedApp {
  const result = normalizeApp(spec, { id });
  assert.ok(result.ok, JSON.stringify(result.ok ? null : result.details));
  return result.value;
}

/** Only the named fields of the normalized app. */
function pick<K extends keyof NormalizedApp>(
  spec: Record<string, unknown>,
  ...keys: K[]
): Pick<NormalizedApp, K> {
  const app = normalize(spec);
  return Object.fromEntries(keys.map((k) => [k, app[k]])) as Pick<NormalizedApp, K>;
}

const HOST: AppNetwork = { mode: 'host', labels: {} };
const BRIDGE: AppNetwork = { mode: 'container/bridge', labels: {} };

describe('normalize app', () => {
  describe('defaults', () => {
    it('fills in every Marathon 1.10 default for a minimal app', () => {
      assert.deepEqual(normalize({ cmd: 'sleep 1' }), {
        id: '/test/app',
        cmd: 'sleep 1',
        instances: 1,
        cpus: 1,
        mem: 128,
        disk: 0,
        gpus: 0,
        env: {},
        secrets: {},
        labels: {},
        networks: [HOST],
        portDefinitions: [{ port: 10000, protocol: 'tcp', name: 'default', labels: {} }],
        portMappings: [],
        requirePorts: false,
        healthChecks: [],
        readinessChecks: [],
        constraints: [],
        upgradeStrategy: { minimumHealthCapacity: 1, maximumOverCapacity: 1 },
        unreachableStrategy: { inactiveAfterSeconds: 0, expungeAfterSeconds: 0 },
        killSelection: 'YOUNGEST_FIRST',
        backoffSeconds: 1,
        backoffFactor: 1.15,
        maxLaunchDelaySeconds: 300,
        fetch: [],
        dependencies: [],
        executor: '',
        tty: false,
        unknownFields: [],
      } satisfies NormalizedApp);
    });

    it('keeps what is given', () => {
      const app = normalize({
        id: '/a/b',
        args: ['x'],
        user: 'nobody',
        instances: 0,
        cpus: 0.5,
        mem: 64,
        disk: 10,
        gpus: 1,
        resourceLimits: { cpus: 'unlimited', mem: 256 },
        acceptedResourceRoles: ['slave_public', 'slave_public'],
        role: 'web',
        killSelection: 'OLDEST_FIRST',
        backoffSeconds: 5,
        backoffFactor: 2,
        maxLaunchDelaySeconds: 3600,
        taskKillGracePeriodSeconds: 30,
        executor: '//cmd',
        tty: true,
        check: { http: { portIndex: 0 } },
      });
      assert.deepEqual(
        [
          app.id,
          app.args,
          app.user,
          app.instances,
          app.cpus,
          app.mem,
          app.disk,
          app.gpus,
          app.resourceLimits,
        ],
        ['/a/b', ['x'], 'nobody', 0, 0.5, 64, 10, 1, { cpus: 'unlimited', mem: 256 }],
      );
      assert.deepEqual(app.acceptedResourceRoles, ['slave_public']);
      assert.deepEqual(
        [app.role, app.killSelection, app.backoffSeconds, app.backoffFactor, app.maxLaunchDelaySeconds],
        ['web', 'OLDEST_FIRST', 5, 2, 3600],
      );
      assert.deepEqual([app.taskKillGracePeriodSeconds, app.executor, app.tty], [30, '//cmd', true]);
      assert.deepEqual(app.check, { http: { portIndex: 0 } });
    });

    const checks: [string, Record<string, unknown>, Partial<NormalizedApp>][] = [
      [
        'health check defaults, portIndex 0 when the app has ports',
        { healthChecks: [{}] },
        {
          healthChecks: [
            {
              protocol: 'HTTP',
              path: '/',
              portIndex: 0,
              gracePeriodSeconds: 300,
              intervalSeconds: 60,
              timeoutSeconds: 20,
              maxConsecutiveFailures: 3,
              delaySeconds: 15,
              ignoreHttp1xx: false,
              ipProtocol: 'IPv4',
            },
          ],
        },
      ],
      [
        'no default portIndex without ports, nor next to a port',
        { portDefinitions: [], healthChecks: [{ protocol: 'TCP' }, { protocol: 'MESOS_TCP', port: 8080 }] },
        {
          healthChecks: [
            {
              protocol: 'TCP',
              path: '/',
              gracePeriodSeconds: 300,
              intervalSeconds: 60,
              timeoutSeconds: 20,
              maxConsecutiveFailures: 3,
              delaySeconds: 15,
              ignoreHttp1xx: false,
              ipProtocol: 'IPv4',
            },
            {
              protocol: 'MESOS_TCP',
              path: '/',
              port: 8080,
              gracePeriodSeconds: 300,
              intervalSeconds: 60,
              timeoutSeconds: 20,
              maxConsecutiveFailures: 3,
              delaySeconds: 15,
              ignoreHttp1xx: false,
              ipProtocol: 'IPv4',
            },
          ],
        },
      ],
      [
        'a check with a command is a COMMAND check, without portIndex',
        { healthChecks: [{ command: { value: 'true' }, maxConsecutiveFailures: 0 }] },
        {
          healthChecks: [
            {
              protocol: 'COMMAND',
              path: '/',
              command: 'true',
              gracePeriodSeconds: 300,
              intervalSeconds: 60,
              timeoutSeconds: 20,
              maxConsecutiveFailures: 0,
              delaySeconds: 15,
              ignoreHttp1xx: false,
              ipProtocol: 'IPv4',
            },
          ],
        },
      ],
      [
        'readiness check defaults',
        { readinessChecks: [{}] },
        {
          readinessChecks: [
            {
              name: 'readinessCheck',
              protocol: 'HTTP',
              path: '/',
              portName: 'http-api',
              intervalSeconds: 30,
              timeoutSeconds: 10,
              httpStatusCodesForReady: [200],
              preserveLastResponse: false,
            },
          ],
        },
      ],
      [
        'fetch item defaults',
        { fetch: [{ uri: 'http://a/b.tgz' }, { uri: 'http://a/c', extract: false, destPath: 'c.sh' }] },
        {
          fetch: [
            { uri: 'http://a/b.tgz', extract: true, executable: false, cache: false },
            { uri: 'http://a/c', extract: false, executable: false, cache: false, destPath: 'c.sh' },
          ],
        },
      ],
      [
        'a partial upgrade strategy is completed',
        { upgradeStrategy: { minimumHealthCapacity: 0.5 } },
        { upgradeStrategy: { minimumHealthCapacity: 0.5, maximumOverCapacity: 1 } },
      ],
      [
        'single-instance apps replace their instance (0/0)',
        { labels: { MARATHON_SINGLE_INSTANCE_APP: 'true' } },
        { upgradeStrategy: { minimumHealthCapacity: 0, maximumOverCapacity: 0 } },
      ],
      [
        'unreachableStrategy "disabled" is kept',
        { unreachableStrategy: 'disabled' },
        { unreachableStrategy: 'disabled' },
      ],
      [
        'a partial unreachableStrategy is completed',
        { unreachableStrategy: { expungeAfterSeconds: 600 } },
        { unreachableStrategy: { inactiveAfterSeconds: 0, expungeAfterSeconds: 600 } },
      ],
      [
        'env, secrets and labels keep their own entries only',
        {
          env: { A: 'a', B: { secret: 'pw' } },
          secrets: { pw: { source: '/db/pw' } },
          labels: { HAPROXY_GROUP: 'external' },
        },
        {
          env: { A: 'a', B: { secret: 'pw' } },
          secrets: { pw: { source: '/db/pw' } },
          labels: { HAPROXY_GROUP: 'external' },
        },
      ],
    ];
    for (const [name, spec, expected] of checks) {
      it(name, () => {
        const keys = Object.keys(expected) as (keyof NormalizedApp)[];
        assert.deepEqual(pick({ cmd: 'x', ...spec }, ...keys), expected);
      });
    }
  });

  describe('ids', () => {
    const cases: [unknown, string, string][] = [
      [undefined, '/ns/name', '/ns/name'],
      ['web', '/ns/name', '/web'],
      ['/prod/web/', '/ns/name', '/prod/web'],
      ['../a/./b', '/ns/name', '/a/b'],
    ];
    for (const [id, fallback, expected] of cases) {
      it(`${String(id)} → ${expected}`, () => {
        assert.equal(normalize({ cmd: 'x', ...(id === undefined ? {} : { id }) }, fallback).id, expected);
      });
    }

    it("resolves dependencies against the app's group", () => {
      const app = normalize({
        cmd: 'x',
        id: '/prod/web/api',
        dependencies: ['../db', 'cache', '/ops/log', 'cache'],
      });
      assert.deepEqual(app.dependencies, ['/prod/db', '/prod/web/cache', '/ops/log']);
    });
  });

  describe('legacy forms', () => {
    const docker = (extra: Record<string, unknown>) => ({
      type: 'DOCKER',
      docker: { image: 'nginx', ...extra },
    });
    const cases: [string, Record<string, unknown>, Partial<NormalizedApp>][] = [
      [
        'ports → portDefinitions without names',
        { ports: [0, 8080] },
        {
          portDefinitions: [
            { port: 10000, protocol: 'tcp', labels: {} },
            { port: 8080, protocol: 'tcp', labels: {} },
          ],
        },
      ],
      ['portDefinitions: [] means no ports', { portDefinitions: [] }, { portDefinitions: [] }],
      [
        'uris → fetch, extracting',
        { uris: ['http://a/b.zip', 'http://a/run.sh'] },
        {
          fetch: [
            { uri: 'http://a/b.zip', extract: true, executable: false, cache: false },
            { uri: 'http://a/run.sh', extract: true, executable: false, cache: false },
          ],
        },
      ],
      ['docker.network HOST → host', { container: docker({ network: 'HOST' }) }, { networks: [HOST] }],
      [
        'docker.network BRIDGE → container/bridge; docker.portMappings move; missing hostPort is 0',
        {
          container: docker({ network: 'BRIDGE', portMappings: [{ containerPort: 80, servicePort: 9000 }] }),
        },
        {
          networks: [BRIDGE],
          portDefinitions: [],
          portMappings: [{ containerPort: 80, hostPort: 0, servicePort: 9000, protocol: 'tcp', labels: {} }],
        },
      ],
      [
        'docker.network USER → an unnamed container network; no hostPort',
        { container: docker({ network: 'USER', portMappings: [{ containerPort: 80 }] }) },
        {
          networks: [{ mode: 'container', labels: {} }],
          portMappings: [{ containerPort: 80, servicePort: 10000, protocol: 'tcp', labels: {} }],
        },
      ],
      [
        'docker.network USER with ipAddress → the network named there, with its labels',
        {
          container: docker({ network: 'USER' }),
          ipAddress: { networkName: 'dcos', labels: { a: 'b' } },
        },
        { networks: [{ mode: 'container', name: 'dcos', labels: { a: 'b' } }] },
      ],
      [
        'ipAddress alone → a container network and an empty Mesos container',
        { ipAddress: { networkName: 'dcos' } },
        {
          networks: [{ mode: 'container', name: 'dcos', labels: {} }],
          container: { type: 'MESOS', forcePullImage: false, privileged: false, parameters: [], volumes: [] },
        },
      ],
      [
        'ipAddress on the Mesos bridge → container/bridge',
        { ipAddress: { networkName: 'mesos-bridge' } },
        { networks: [BRIDGE] },
      ],
      [
        'ipAddress.discovery.ports → port mappings of the Mesos container',
        {
          ipAddress: {
            networkName: 'dcos',
            discovery: { ports: [{ number: 7777, name: 'my-port', protocol: 'udp', labels: { x: 'y' } }] },
          },
        },
        {
          portMappings: [
            { containerPort: 7777, servicePort: 10000, protocol: 'udp', name: 'my-port', labels: { x: 'y' } },
          ],
        },
      ],
      [
        'ports in bridge mode: ignored, but they add mappings up to their count',
        { container: docker({ network: 'BRIDGE' }), ports: [0, 0] },
        {
          portDefinitions: [],
          portMappings: [
            {
              containerPort: 0,
              hostPort: 0,
              servicePort: 10000,
              protocol: 'tcp',
              name: 'default',
              labels: {},
            },
            { containerPort: 0, hostPort: 0, servicePort: 10001, protocol: 'tcp', labels: {} },
          ],
        },
      ],
      [
        'APPC type and appc.image → a Mesos container with that image',
        { container: { type: 'APPC', appc: { image: 'example.com/app:1', forcePullImage: true } } },
        {
          container: {
            type: 'MESOS',
            image: 'example.com/app:1',
            forcePullImage: true,
            privileged: false,
            parameters: [],
            volumes: [],
          },
        },
      ],
      [
        'array and object constraints, operators upper-cased',
        { constraints: [['hostname', 'unique'], { fieldName: 'rack', operator: 'group_by', value: '3' }] },
        {
          constraints: [
            { field: 'hostname', operator: 'UNIQUE' },
            { field: 'rack', operator: 'GROUP_BY', value: '3' },
          ],
        },
      ],
      [
        'misplaced fields are ignored (container.forcePullImage, docker.requirePorts)',
        { container: { forcePullImage: true, ...docker({ requirePorts: true }) } },
        {
          requirePorts: false,
          container: {
            type: 'DOCKER',
            image: 'nginx',
            forcePullImage: false,
            privileged: false,
            parameters: [],
            volumes: [],
          },
        },
      ],
    ];
    for (const [name, spec, expected] of cases) {
      it(name, () => {
        const keys = Object.keys(expected) as (keyof NormalizedApp)[];
        assert.deepEqual(pick({ cmd: 'x', ...spec }, ...keys), expected);
      });
    }
  });

  describe('networks and ports', () => {
    it('canonical networks; a network without mode is a container network', () => {
      assert.deepEqual(
        pick(
          { cmd: 'x', networks: [{ name: 'a' }, { mode: 'container', name: 'b', labels: { k: 'v' } }] },
          'networks',
        ),
        {
          networks: [
            { mode: 'container', name: 'a', labels: {} },
            { mode: 'container', name: 'b', labels: { k: 'v' } },
          ],
        },
      );
    });

    it('non-host networks: one default mapping, a default Mesos container, requirePorts off', () => {
      const app = normalize({ cmd: 'x', networks: [{ mode: 'container/bridge' }], requirePorts: true });
      assert.deepEqual(app.portMappings, [
        { containerPort: 0, hostPort: 0, servicePort: 10000, protocol: 'tcp', name: 'default', labels: {} },
      ]);
      assert.deepEqual(app.portDefinitions, []);
      assert.equal(app.container?.type, 'MESOS');
      assert.equal(app.requirePorts, false);
      assert.deepEqual(normalize({ cmd: 'x', networks: [{ mode: 'container', name: 'n' }] }).portMappings, [
        { containerPort: 0, servicePort: 10000, protocol: 'tcp', name: 'default', labels: {} },
      ]);
    });

    it('container.portMappings: [] means no ports; requirePorts kept in host mode', () => {
      const app = normalize({
        cmd: 'x',
        networks: [{ mode: 'container/bridge' }],
        container: { type: 'MESOS', portMappings: [] },
      });
      assert.deepEqual(app.portMappings, []);
      assert.equal(normalize({ cmd: 'x', requirePorts: true }).requirePorts, true);
    });

    it('assigns service ports from 10000 upward, skipping the numbers the app names', () => {
      const defs = normalize({
        cmd: 'x',
        portDefinitions: [{ port: 0 }, { port: 10000 }, { port: 0 }, { port: 10002 }],
      });
      assert.deepEqual(
        defs.portDefinitions.map((d) => d.port),
        [10001, 10000, 10003, 10002],
      );
      const mappings = normalize({
        cmd: 'x',
        networks: [{ mode: 'container/bridge' }],
        container: {
          type: 'MESOS',
          portMappings: [{ containerPort: 10000 }, { hostPort: 10001, servicePort: 0 }],
        },
      });
      assert.deepEqual(
        mappings.portMappings.map((m) => m.servicePort),
        [10002, 10003],
      );
    });

    it('is deterministic', () => {
      const spec = { cmd: 'x', ports: [0, 0, 10001] };
      assert.deepEqual(normalize(spec), normalize(spec));
    });

    it('fails when the service port range is used up', () => {
      const ports = Array.from({ length: SERVICE_PORT_MAX - SERVICE_PORT_MIN + 2 }, () => 0);
      assert.deepEqual(normalizeApp({ cmd: 'x', ports }, { id: '/a' }), {
        ok: false,
        details: [{ path: '/portDefinitions', errors: ['no free service port left in 10000-20000'] }],
      });
    });
  });

  describe('volumes and residency', () => {
    const mesos = (volumes: unknown[]) => ({ cmd: 'x', container: { type: 'MESOS', volumes } });

    it('reads the four kinds of volume, with defaults', () => {
      const app = normalize(
        mesos([
          { containerPath: '/etc/a', hostPath: '/etc/a', mode: 'RO' },
          { containerPath: 'data', persistent: { size: 10 } },
          { containerPath: 'fast', persistent: { size: 10, maxSize: 20, profileName: 'ssd' } },
          {
            containerPath: '/ext',
            external: {
              name: 'v',
              provider: 'csi',
              options: { pluginName: 'p', capability: { accessMode: 'X' } },
            },
          },
          { containerPath: 'pw', secret: 'pw' },
          { containerPath: 'nothing' },
        ]),
      );
      assert.deepEqual(app.container?.volumes, [
        { kind: 'host', containerPath: '/etc/a', hostPath: '/etc/a', mode: 'RO' },
        { kind: 'persistent', containerPath: 'data', mode: 'RW', type: 'root', size: 10 },
        {
          kind: 'persistent',
          containerPath: 'fast',
          mode: 'RW',
          type: 'mount',
          size: 10,
          maxSize: 20,
          profileName: 'ssd',
        },
        {
          kind: 'external',
          containerPath: '/ext',
          mode: 'RW',
          name: 'v',
          provider: 'csi',
          options: { pluginName: 'p', capability: '{"accessMode":"X"}' },
          shared: false,
        },
        { kind: 'secret', containerPath: 'pw', secret: 'pw' },
      ]);
    });

    it('resident apps: 0.5/0, unreachable disabled, default residency', () => {
      assert.deepEqual(
        pick(
          mesos([{ containerPath: 'data', persistent: { size: 10 } }]),
          'upgradeStrategy',
          'unreachableStrategy',
          'residency',
        ),
        {
          upgradeStrategy: { minimumHealthCapacity: 0.5, maximumOverCapacity: 0 },
          unreachableStrategy: 'disabled',
          residency: { relaunchEscalationTimeoutSeconds: 3600, taskLostBehavior: 'WAIT_FOREVER' },
        },
      );
    });

    it('external volumes default to 0.5/0 as well, and are not resident', () => {
      const app = normalize(mesos([{ containerPath: '/v', external: { name: 'v', provider: 'dvdi' } }]));
      assert.deepEqual(app.upgradeStrategy, { minimumHealthCapacity: 0.5, maximumOverCapacity: 0 });
      assert.deepEqual(app.unreachableStrategy, { inactiveAfterSeconds: 0, expungeAfterSeconds: 0 });
      assert.equal(app.residency, undefined);
    });

    it('residency only for resident apps', () => {
      assert.equal(
        normalize({ cmd: 'x', residency: { relaunchEscalationTimeoutSeconds: 10 } }).residency,
        undefined,
      );
    });
  });

  describe('unknown fields', () => {
    it('lists fields Marathon does not know, not the read-only ones of a GET response', () => {
      const app = normalize({
        cmd: 'x',
        instanses: 2,
        foo: {},
        version: '2016-02-01T22:57:48.784Z',
        versionInfo: {},
        tasksRunning: 1,
        tasks: [],
        deployments: [],
        lastTaskFailure: {},
        storeUrls: [],
      });
      assert.deepEqual(app.unknownFields, ['instanses', 'foo']);
    });

    it('keeps odd map keys as plain keys', () => {
      const spec = JSON.parse(
        '{"cmd": "x", "env": {"__proto__": "v"}, "labels": {"constructor": "c"}}',
      ) as Record<string, unknown>;
      const app = normalize(spec);
      assert.deepEqual(Object.keys(app.env), ['__proto__']);
      assert.equal(Object.getPrototypeOf(app.env), Object.prototype);
      assert.deepEqual(app.labels, { constructor: 'c' });
    });
  });

  describe('Marathon fixtures', () => {
    const files = fs.existsSync(fixtures) ? fs.readdirSync(fixtures).filter((f) => f.endsWith('.json')) : [];
    const read = (file: string): Record<string, unknown>[] => {
      const body: unknown = JSON.parse(fs.readFileSync(path.join(fixtures, file), 'utf8'));
      return (Array.isArray(body) ? body : [body]) as Record<string, unknown>[];
    };

    for (const file of files.filter((f) => !NOT_VALID.has(f))) {
      it(`reads ${file}`, () => {
        for (const spec of read(file)) {
          const result = readAppDefinition(spec, { id: '/default/app' });
          assert.ok(result.ok, JSON.stringify(result.ok ? null : result.details));
          assert.deepEqual(result.value, normalize(spec, '/default/app'));
          assert.ok(result.value.portMappings.every((m) => m.servicePort > 0));
          assert.ok(result.value.portDefinitions.every((d) => d.port > 0));
        }
      });
    }

    it('normalizes the legacy and resident fixtures as Marathon does', function () {
      if (files.length === 0) this.skip();
      const one = (file: string) => normalize(read(file)[0] ?? {}, '/default/app');
      assert.deepEqual(one('pinger-container-app.json').portMappings, [
        { containerPort: 7777, servicePort: 10000, protocol: 'tcp', name: 'my-port', labels: {} },
      ]);
      assert.deepEqual(one('universe.json').portMappings, [
        { containerPort: 80, hostPort: 8085, servicePort: 10000, protocol: 'tcp', labels: {} },
      ]);
      assert.equal(one('universe.json').requirePorts, false);
      assert.deepEqual(one('Play.json').fetch, [
        {
          uri: 'http://downloads.mesosphere.com/tutorials/PlayHello.zip',
          extract: true,
          executable: false,
          cache: false,
        },
      ]);
      const resident = one('persistent-volume-app.json');
      assert.equal(resident.unreachableStrategy, 'disabled');
      assert.deepEqual(resident.residency, {
        relaunchEscalationTimeoutSeconds: 3600,
        taskLostBehavior: 'WAIT_FOREVER',
      });
      assert.deepEqual(one('docker_ippc.json').networks, [{ mode: 'container', name: 'dcos', labels: {} }]);
      assert.equal(one('labels.json').id, '/labels');
    });
  });
});
