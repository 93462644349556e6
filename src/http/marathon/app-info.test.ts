import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { V1Pod } from '@kubernetes/client-node';
import type { AppObject } from '../../marathon/deployments.ts';
import { appDeploymentId, REQUESTED_VERSION_ANNOTATION } from '../../marathon/deployments.ts';
import { configHash } from '../../marathon/desired.ts';
import { APP_VERSION_ANNOTATION } from '../../marathon/names.ts';
import { readAppDefinition } from '../../marathon/definition.ts';
import { appInfo, appJson, appVersion, infoFields, infoInput, renderApp, withFields } from './app-info.ts';
import { listEmbed, parseEmbed, singleEmbed } from './embed.ts';

const fixtures = path.resolve(import.meta.dirname, '../../../../shared/fixtures/marathon');
const response = (name: string) =>
  JSON.parse(readFileSync(path.join(fixtures, 'responses', name), 'utf8')) as {
    apps: Record<string, unknown>[];
  };

/** AppInfo fields and server-set fields: what a GET response has beyond the definition. */
const INFO_FIELDS = [
  'tasksStaged',
  'tasksRunning',
  'tasksHealthy',
  'tasksUnhealthy',
  'deployments',
  'tasks',
  'lastTaskFailure',
  'readinessCheckResults',
  'taskStats',
];

/** A GET response entry turned back into the definition it was made from, with its version as status. */
function fromResponse(entry: Record<string, unknown>): AppObject {
  const spec: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(entry))
    if (!INFO_FIELDS.includes(k) && k !== 'version' && k !== 'versionInfo' && v !== null) spec[k] = v;
  return {
    metadata: { name: 'app', namespace: 'ns', uid: 'uid-1', generation: 1 },
    spec,
    status: {
      observedGeneration: 1,
      version: entry.version as string,
      versionInfo: entry.versionInfo as { lastScalingAt: string; lastConfigChangeAt: string },
    },
  };
}

/** Fields of marathon-python 0.13's MarathonApp (it raises TypeError on any other). */
const PYTHON_APP_FIELDS = new Set([
  'acceptedResourceRoles',
  'args',
  'backoffFactor',
  'backoffSeconds',
  'cmd',
  'constraints',
  'container',
  'cpus',
  'dependencies',
  'deployments',
  'disk',
  'env',
  'executor',
  'healthChecks',
  'id',
  'role',
  'instances',
  'killSelection',
  'labels',
  'lastTaskFailure',
  'maxLaunchDelaySeconds',
  'mem',
  'ports',
  'requirePorts',
  'storeUrls',
  'taskRateLimit',
  'tasks',
  'tasksRunning',
  'tasksStaged',
  'tasksHealthy',
  'taskKillGracePeriodSeconds',
  'tasksUnhealthy',
  'upgradeStrategy',
  'unreachableStrategy',
  'uris',
  'user',
  'version',
  'versionInfo',
  'ipAddress',
  'fetch',
  'taskStats',
  'readinessChecks',
  'readinessCheckResults',
  'secrets',
  'portDefinitions',
  'residency',
  'gpus',
  'networks',
]);

/** Fields every stored app has in Marathon 1.9+ output. */
const ALWAYS = [
  'id',
  'backoffFactor',
  'backoffSeconds',
  'cpus',
  'disk',
  'executor',
  'instances',
  'labels',
  'maxLaunchDelaySeconds',
  'mem',
  'gpus',
  'networks',
  'requirePorts',
  'upgradeStrategy',
  'version',
  'versionInfo',
  'killSelection',
  'unreachableStrategy',
  'role',
];

function pod(
  name: string,
  opts: { ready?: boolean; phase?: string; node?: string; version?: string } = {},
): V1Pod {
  const running = (opts.phase ?? 'Running') === 'Running';
  return {
    metadata: {
      name,
      namespace: 'ns',
      uid: `uid-${name}`,
      creationTimestamp: '2024-05-01T10:00:00Z' as unknown as Date,
      annotations: { [APP_VERSION_ANNOTATION]: opts.version ?? '2024-05-01T09:00:00.000Z' },
    },
    spec: {
      containers: [{ name: 'main' }],
      ...(opts.node !== '' ? { nodeName: opts.node ?? 'agent-1' } : {}),
    },
    status: {
      phase: opts.phase ?? 'Running',
      podIP: '10.0.0.5',
      conditions: [
        {
          type: 'Ready',
          status: opts.ready === false ? 'False' : 'True',
          lastTransitionTime: '2024-05-01T10:00:05Z' as unknown as Date,
        },
      ],
      containerStatuses: running
        ? [
            {
              name: 'main',
              ready: opts.ready !== false,
              restartCount: 0,
              image: 'x',
              imageID: '',
              started: true,
              state: { running: { startedAt: '2024-05-01T10:00:03Z' as unknown as Date } },
            },
          ]
        : [],
    },
  };
}

function app(spec: Record<string, unknown>, status: AppObject['status'] = {}): AppObject {
  return {
    metadata: {
      name: 'web',
      namespace: 'ns',
      uid: 'uid-web',
      generation: 1,
      creationTimestamp: '2024-05-01T08:00:00Z' as unknown as Date,
    },
    spec,
    status: {
      observedGeneration: 1,
      version: '2024-05-01T09:00:00.000Z',
      versionInfo: {
        lastScalingAt: '2024-05-01T09:00:00.000Z',
        lastConfigChangeAt: '2024-05-01T09:00:00.000Z',
      },
      ...status,
    },
  };
}

describe('Marathon app JSON (appJson)', () => {
  it('renders marathon15_apps.json exactly as Marathon returned it, plus the 1.9+ role', () => {
    const entry = response('marathon15_apps.json').apps[0]!;
    const expected = Object.fromEntries(Object.entries(entry).filter(([k]) => !INFO_FIELDS.includes(k)));
    assert.deepEqual(appJson(fromResponse(entry)), { ...expected, role: '*' });
  });

  it('renders the legacy app_list.json and zdd_app_blue.json apps in canonical form, with Marathon key sets', () => {
    const legacy = [
      'args',
      'user',
      'uris',
      'ports',
      'storeUrls',
      'ipAddress',
      'container',
      'acceptedResourceRoles',
    ];
    // app_list.json: a 0.x host-networking command app with legacy ports and uris
    const list = response('app_list.json').apps[0]!;
    const listJson = appJson(fromResponse(list));
    const listKeys = Object.keys(list).filter(
      (k) =>
        !INFO_FIELDS.includes(k) && !legacy.includes(k) && !(Array.isArray(list[k]) && list[k].length === 0),
    );
    assert.deepEqual(
      new Set(Object.keys(listJson)),
      new Set([
        ...listKeys,
        'fetch',
        'portDefinitions',
        'networks',
        'gpus',
        'killSelection',
        'unreachableStrategy',
        'role',
      ]),
    );
    assert.deepEqual(listJson.portDefinitions, [
      { port: 10013, protocol: 'tcp' },
      { port: 10015, protocol: 'tcp' },
    ]);
    assert.deepEqual(listJson.fetch, [
      {
        uri: 'https://raw.github.com/mesosphere/marathon/master/README.md',
        extract: true,
        executable: false,
        cache: false,
      },
    ]);
    assert.deepEqual(listJson.constraints, [['hostname', 'UNIQUE', '']]);
    assert.deepEqual(listJson.networks, [{ mode: 'host' }]);

    // zdd_app_blue.json: docker BRIDGE with docker.portMappings → container/bridge and container.portMappings
    const zdd = response('zdd_app_blue.json').apps[0]!;
    const zddJson = appJson(fromResponse(zdd));
    assert.deepEqual(zddJson.networks, [{ mode: 'container/bridge' }]);
    assert.equal('portDefinitions' in zddJson, false);
    assert.deepEqual(zddJson.container, {
      type: 'DOCKER',
      docker: {
        forcePullImage: true,
        image: 'brndnmtthws/nginx-echo-sleep',
        parameters: [],
        privileged: false,
      },
      volumes: [],
      portMappings: [{ containerPort: 8080, hostPort: 0, labels: {}, protocol: 'tcp', servicePort: 10000 }],
    });
    assert.deepEqual(zddJson.healthChecks, [
      {
        gracePeriodSeconds: 15,
        ignoreHttp1xx: false,
        intervalSeconds: 3,
        maxConsecutiveFailures: 10,
        path: '/',
        portIndex: 0,
        protocol: 'HTTP',
        ipProtocol: 'IPv4',
        timeoutSeconds: 15,
        delaySeconds: 15,
      },
    ]);
    assert.deepEqual(zddJson.acceptedResourceRoles, ['*', 'slave_public']);
    assert.deepEqual(zddJson.versionInfo, zdd.versionInfo);
  });

  it('gives every fixture app the fields Marathon always writes, and no empty omitEmpty collections', () => {
    const dir = path.join(fixtures, 'apps');
    let checked = 0;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      let spec: unknown;
      try {
        spec = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
      } catch {
        continue; // the malformed-JSON fixture
      }
      if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) continue;
      if (!readAppDefinition(spec, { id: '/ns/web' }).ok) continue;
      const json = appJson(app(spec as Record<string, unknown>));
      checked++;
      for (const k of ALWAYS) assert.ok(k in json, `${file}: ${k}`);
      for (const k of ['args', 'constraints', 'dependencies', 'fetch', 'healthChecks', 'readinessChecks'])
        assert.ok(!(k in json) || (json[k] as unknown[]).length > 0, `${file}: empty ${k}`);
      for (const k of ['env', 'secrets'])
        assert.ok(!(k in json) || Object.keys(json[k] as object).length > 0);
      const host = (json.networks as { mode: string }[]).some((n) => n.mode === 'host');
      assert.equal('portDefinitions' in json, host, `${file}: portDefinitions only in host mode`);
      for (const c of (json.constraints as unknown[] | undefined) ?? []) assert.ok(Array.isArray(c), file);
      for (const k of ['ports', 'uris', 'ipAddress', 'storeUrls'])
        assert.ok(!(k in json), `${file}: legacy ${k}`);
      if (!('check' in json))
        for (const k of Object.keys(json)) assert.ok(PYTHON_APP_FIELDS.has(k), `${file}: ${k}`);
    }
    assert.ok(checked >= 25, `checked ${checked} fixtures`);
  });

  it('fills the defaults of persistent volumes: residency, disabled unreachable strategy, 0.5/0 upgrades', () => {
    const spec = JSON.parse(
      readFileSync(path.join(fixtures, 'apps', 'persistent-volume-app.json'), 'utf8'),
    ) as Record<string, unknown>;
    const json = appJson(app(spec));
    assert.equal(json.unreachableStrategy, 'disabled');
    assert.deepEqual(json.upgradeStrategy, { maximumOverCapacity: 0, minimumHealthCapacity: 0.5 });
    assert.deepEqual(json.residency, {
      relaunchEscalationTimeoutSeconds: 3600,
      taskLostBehavior: 'WAIT_FOREVER',
    });
    const volume = (json.container as { volumes: Record<string, unknown>[] }).volumes[0]!;
    assert.deepEqual(Object.keys(volume), ['containerPath', 'mode', 'persistent']);
  });

  it('assigns the default port on host networking, with the service port the operator assigned', () => {
    const json = appJson(app({ cmd: 'sleep 1' }));
    assert.deepEqual(json.portDefinitions, [{ port: 10000, protocol: 'tcp', name: 'default' }]);
    assert.equal(json.id, '/ns/web'); // no spec.id: derived from namespace and name
    assert.equal(json.cpus, 1);
    assert.equal(json.mem, 128);
    assert.equal(json.maxLaunchDelaySeconds, 300);
    assert.deepEqual(json.unreachableStrategy, { inactiveAfterSeconds: 0, expungeAfterSeconds: 0 });
  });

  it('still renders an app whose definition the operator rejects', () => {
    const json = appJson(app({ id: '/bad', cmd: 'x', cpus: -1, instances: 'many' }));
    assert.equal(json.id, '/bad');
    assert.equal(json.instances, 1);
  });
});

describe('Marathon app versions (appVersion)', () => {
  it('shows the version a REST write asked for until the operator adopts it; a scale keeps lastConfigChangeAt', () => {
    const spec = { id: '/web', cmd: 'sleep 1', instances: 1 };
    const read = readAppDefinition(spec, { id: '/web' });
    assert.ok(read.ok);
    const base = app(spec, { configHash: configHash(read.value) });
    assert.deepEqual(appVersion(base, read.value).version, '2024-05-01T09:00:00.000Z');

    const requested = '2024-05-02T00:00:00.000Z';
    const scaled = app({ ...spec, instances: 3 }, { configHash: configHash(read.value) });
    scaled.metadata!.annotations = { [REQUESTED_VERSION_ANNOTATION]: requested };
    const scaledRead = readAppDefinition(scaled.spec, { id: '/web' });
    assert.ok(scaledRead.ok);
    assert.deepEqual(appVersion(scaled, scaledRead.value), {
      version: requested,
      versionInfo: { lastScalingAt: requested, lastConfigChangeAt: '2024-05-01T09:00:00.000Z' },
    });

    const changed = app({ ...spec, cmd: 'sleep 2' }, { configHash: configHash(read.value) });
    changed.metadata!.annotations = { [REQUESTED_VERSION_ANNOTATION]: requested };
    assert.equal(renderApp(changed).version.versionInfo.lastConfigChangeAt, requested);
  });

  it('uses the creation time before the operator stamped a version', () => {
    const obj = app({ cmd: 'sleep 1' });
    obj.status = {};
    assert.equal(appJson(obj).version, '2024-05-01T08:00:00.000Z');
  });
});

describe('Marathon AppInfo (appInfo)', () => {
  const spec = {
    id: '/web',
    cmd: 'sleep 1',
    instances: 3,
    healthChecks: [{ protocol: 'HTTP', path: '/health' }],
    readinessChecks: [{ name: 'ready', portName: 'default' }],
  };

  it('counts tasks from the pods and always lists deployments in a list entry', () => {
    const obj = app(spec);
    const pods = [pod('a'), pod('b', { ready: false }), pod('c', { phase: 'Pending', node: '' })];
    const info = appInfo(obj, pods, listEmbed([]));
    assert.equal(info.tasksRunning, 2);
    assert.equal(info.tasksHealthy, 1);
    assert.equal(info.tasksUnhealthy, 1);
    assert.equal(info.tasksStaged, 1);
    assert.deepEqual(info.deployments, []);
    assert.ok(!('tasks' in info));
    for (const k of Object.keys(info)) assert.ok(PYTHON_APP_FIELDS.has(k), k);
  });

  it('embeds tasks, the last failure and deployments for a single app', () => {
    const failure = {
      appId: '/web',
      host: 'agent-1',
      message: 'container "main" failed: exit code 1',
      state: 'TASK_FAILED',
      taskId: 'web.instance-x._app.1',
      timestamp: '2024-05-01T10:01:00.000Z',
      slaveId: 'agent-1',
    };
    const obj = app(spec, { lastTaskFailure: failure });
    obj.metadata!.generation = 2; // a change the operator has not observed yet: one pending deployment
    const info = appInfo(obj, [pod('a'), pod('q', { phase: 'Pending', node: '' })], singleEmbed([]));
    assert.deepEqual(info.deployments, [{ id: appDeploymentId('uid-web', 'generation-2') }]);
    assert.deepEqual(info.lastTaskFailure, failure);
    const tasks = info.tasks as Record<string, unknown>[];
    assert.equal(tasks.length, 1, 'a queued pod is no task');
    assert.equal(tasks[0]!.id, 'web.instance-uid-a._app.1');
    assert.deepEqual(
      (tasks[0]!.healthCheckResults as { alive: boolean }[]).map((r) => r.alive),
      [true],
    );
  });

  it('embeds readiness results during a deployment and task statistics on request', () => {
    const obj = app(spec);
    obj.metadata!.generation = 2;
    const pods = [pod('a'), pod('b', { ready: false, version: '2024-04-01T00:00:00.000Z' })];
    const info = appInfo(obj, pods, parseEmbed(['apps.readiness', 'app.taskStats']), {
      now: new Date('2024-05-01T10:00:13Z'),
    });
    assert.deepEqual(Object.keys(info).slice(-2), ['readinessCheckResults', 'taskStats']);
    assert.ok(!('tasks' in info) && !('tasksRunning' in info));
    assert.deepEqual(info.readinessCheckResults, [
      { name: 'ready', taskId: 'web.instance-uid-a._app.1', ready: true },
    ]);
    const stats = info.taskStats as Record<
      string,
      { stats: { counts: Record<string, number>; lifeTime?: unknown } }
    >;
    assert.deepEqual(Object.keys(stats), [
      'startedAfterLastScaling',
      'withLatestConfig',
      'withOutdatedConfig',
      'totalSummary',
    ]);
    assert.deepEqual(stats.totalSummary!.stats.counts, { staged: 0, running: 2, healthy: 1, unhealthy: 1 });
    assert.deepEqual(stats.withLatestConfig!.stats.counts, {
      staged: 0,
      running: 1,
      healthy: 1,
      unhealthy: 0,
    });
    assert.deepEqual(stats.totalSummary!.stats.lifeTime, { averageSeconds: 10, medianSeconds: 10 });
  });

  it('leaves tasks out for a caller who may not see pods', () => {
    const info = appInfo(app(spec), [pod('a')], singleEmbed([]), { showTasks: false });
    assert.deepEqual(info.tasks, []);
    assert.equal(info.tasksRunning, 1);
  });

  it('completes an app JSON head with fields as valid JSON, also with none', () => {
    const obj = app(spec);
    const rendered = renderApp(obj);
    const head = JSON.stringify(rendered.json).slice(0, -1);
    const fields = infoFields(infoInput(obj, rendered), [pod('a')], singleEmbed([]));
    assert.deepEqual(JSON.parse(withFields(head, fields)), appInfo(obj, [pod('a')], singleEmbed([])));
    assert.deepEqual(JSON.parse(withFields(head, {})), rendered.json);
  });
});
