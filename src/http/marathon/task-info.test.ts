import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { readAppDefinition } from '../../marathon/definition.ts';
import { APP_VERSION_ANNOTATION } from '../../marathon/names.ts';
import type { TaskSource } from './task-info.ts';
import { isTask, taskInfo, taskSourceOf, tasksText, wantsText } from './task-info.ts';

const fixtures = path.resolve(import.meta.dirname, '../../../../shared/fixtures/marathon');

/** Fields of marathon-python 0.13's MarathonTask (it raises TypeError on any other). */
const PYTHON_TASK_FIELDS = new Set([
  'appId',
  'healthCheckResults',
  'host',
  'id',
  'ports',
  'servicePorts',
  'slaveId',
  'stagedAt',
  'startedAt',
  'version',
  'ipAddresses',
  'state',
  'localVolumes',
  'region',
  'zone',
  'role',
]);
/** marathon-python's timestamp formats. */
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

type T = Date; // raw watch JSON carries strings where the model says Date
const at = (s: string) => s as unknown as T;

function pod(opts: {
  name?: string;
  phase?: string;
  node?: string;
  ready?: boolean;
  started?: boolean;
  deleting?: boolean;
  ip?: string;
}): V1Pod {
  const phase = opts.phase ?? 'Running';
  const running = phase === 'Running' && opts.started !== false;
  return {
    metadata: {
      name: opts.name ?? 'web-abc',
      namespace: 'prod',
      uid: `uid-${opts.name ?? 'web-abc'}`,
      creationTimestamp: at('2024-05-01T10:00:00Z'),
      annotations: { [APP_VERSION_ANNOTATION]: '2024-05-01T09:00:00.000Z' },
      ...(opts.deleting ? { deletionTimestamp: at('2024-05-01T11:00:00Z') } : {}),
    },
    spec: {
      containers: [{ name: 'main' }],
      ...(opts.node !== '' ? { nodeName: opts.node ?? 'agent-1' } : {}),
    },
    status: {
      phase,
      ...(opts.ip !== '' ? { podIP: opts.ip ?? '10.1.2.3' } : {}),
      startTime: at('2024-05-01T10:00:01Z'),
      conditions: [
        {
          type: 'Ready',
          status: opts.ready === false ? 'False' : 'True',
          lastTransitionTime: at('2024-05-01T10:00:05Z'),
          ...(opts.ready === false
            ? { reason: 'ContainersNotReady', message: 'containers with unready status: [main]' }
            : {}),
        },
      ],
      containerStatuses: [
        {
          name: 'main',
          ready: opts.ready !== false,
          restartCount: 0,
          image: 'x',
          imageID: '',
          started: running,
          state: running
            ? { running: { startedAt: at('2024-05-01T10:00:03Z') } }
            : { waiting: { reason: 'ContainerCreating' } },
        },
      ],
    },
  };
}

const node: V1Node = {
  metadata: {
    name: 'agent-1',
    labels: { 'topology.kubernetes.io/region': 'eastus', 'topology.kubernetes.io/zone': 'eastus-1' },
  },
};

function sourceOf(spec: Record<string, unknown>): TaskSource {
  const read = readAppDefinition(spec, { id: '/prod/web' });
  assert.ok(read.ok, JSON.stringify(!read.ok && read.details));
  return taskSourceOf(read.value);
}

describe('Marathon tasks (taskInfo)', () => {
  it('has the task fields of app_tasks.json and nothing marathon-python does not accept', () => {
    const fixture = (
      JSON.parse(readFileSync(path.join(fixtures, 'responses', 'app_tasks.json'), 'utf8')) as {
        tasks: Record<string, unknown>[];
      }
    ).tasks[0]!;
    const task = taskInfo(pod({}), sourceOf({ cmd: 'sleep 1' }), node) as unknown as Record<string, unknown>;
    for (const k of Object.keys(fixture)) assert.ok(k in task, k);
    for (const k of Object.keys(task)) assert.ok(PYTHON_TASK_FIELDS.has(k), k);
    for (const k of ['stagedAt', 'startedAt', 'version']) assert.match(task[k] as string, TIMESTAMP, k);
  });

  it('names the task and its host as Marathon 1.5+ and the node do', () => {
    const task = taskInfo(pod({}), sourceOf({ cmd: 'sleep 1' }), node);
    assert.equal(task.id, 'prod_web.instance-uid-web-abc._app.1');
    assert.equal(task.appId, '/prod/web');
    assert.equal(task.host, 'agent-1');
    assert.equal(task.slaveId, 'agent-1');
    assert.equal(task.state, 'TASK_RUNNING');
    assert.deepEqual(task.ipAddresses, [{ ipAddress: '10.1.2.3', protocol: 'IPv4' }]);
    assert.equal(task.stagedAt, '2024-05-01T10:00:00.000Z');
    assert.equal(task.startedAt, '2024-05-01T10:00:03.000Z');
    assert.equal(task.version, '2024-05-01T09:00:00.000Z');
    assert.equal(task.region, 'eastus');
    assert.equal(task.zone, 'eastus-1');
    assert.equal(task.role, '*');
    assert.deepEqual(task.healthCheckResults, []);
    assert.deepEqual(task.localVolumes, []);
    // without the node in the cache: no fault domain
    const bare = taskInfo(pod({}), sourceOf({ cmd: 'sleep 1' }));
    assert.ok(!('region' in bare) && !('zone' in bare));
  });

  it('reports the ports the instance binds and the service ports, per port definition or mapping', () => {
    const host = taskInfo(pod({}), sourceOf({ cmd: 'x', portDefinitions: [{ port: 0 }, { port: 8080 }] }));
    assert.deepEqual(host.ports, [10000, 8080]);
    assert.deepEqual(host.servicePorts, [10000, 8080]);
    const bridge = taskInfo(
      pod({}),
      sourceOf({
        container: {
          type: 'DOCKER',
          docker: { image: 'nginx' },
          portMappings: [
            { containerPort: 80, hostPort: 0 },
            { containerPort: 443, hostPort: 31443, servicePort: 10443 },
          ],
        },
        networks: [{ mode: 'container/bridge' }],
      }),
    );
    assert.deepEqual(bridge.ports, [80, 31443]);
    assert.deepEqual(bridge.servicePorts, [10000, 10443]);
  });

  it('maps pod states to Mesos task states and lists only placed, unfinished pods', () => {
    const src = sourceOf({ cmd: 'x' });
    assert.equal(taskInfo(pod({ phase: 'Pending', started: false }), src).state, 'TASK_STAGING');
    assert.equal(taskInfo(pod({ deleting: true }), src).state, 'TASK_KILLING');
    const staging = taskInfo(pod({ phase: 'Pending', started: false, ip: '' }), src);
    assert.ok(!('startedAt' in staging));
    assert.deepEqual(staging.ipAddresses, []);
    assert.equal(isTask(pod({})), true);
    assert.equal(isTask(pod({ phase: 'Pending', node: '' })), false, 'queued');
    assert.equal(isTask(pod({ phase: 'Succeeded' })), false);
    assert.equal(isTask(pod({ phase: 'Failed' })), false);
  });

  it('reports a health result per health check from readiness, alive only when Ready', () => {
    const src = sourceOf({ cmd: 'x', healthChecks: [{ protocol: 'HTTP' }, { protocol: 'TCP' }] });
    const healthy = taskInfo(pod({}), src);
    assert.deepEqual(healthy.healthCheckResults, [
      {
        alive: true,
        consecutiveFailures: 0,
        firstSuccess: '2024-05-01T10:00:05.000Z',
        lastSuccess: '2024-05-01T10:00:05.000Z',
        instanceId: 'prod_web.instance-uid-web-abc',
      },
      {
        alive: true,
        consecutiveFailures: 0,
        firstSuccess: '2024-05-01T10:00:05.000Z',
        lastSuccess: '2024-05-01T10:00:05.000Z',
        instanceId: 'prod_web.instance-uid-web-abc',
      },
    ]);
    const sick = taskInfo(pod({ ready: false }), src).healthCheckResults[0]!;
    assert.equal(sick.alive, false);
    assert.equal(sick.lastFailureCause, 'containers with unready status: [main]');
    assert.equal(sick.lastFailure, '2024-05-01T10:00:05.000Z');
    // not started yet (grace period): no result, as before Marathon's first check
    assert.deepEqual(taskInfo(pod({ phase: 'Pending', started: false }), src).healthCheckResults, []);
  });
});

describe('Marathon text/plain task listing (tasksText)', () => {
  it('writes a line per service port with host:port of each running task, tab-separated and sorted', () => {
    const src = sourceOf({ id: '/prod/web', cmd: 'x', portDefinitions: [{ port: 0 }, { port: 0 }] });
    const tasks = [
      taskInfo(pod({ name: 'b', node: 'agent-2' }), src),
      taskInfo(pod({ name: 'a', node: 'agent-1' }), src),
      taskInfo(pod({ name: 'c', phase: 'Pending', started: false }), src),
    ];
    assert.equal(
      tasksText([{ source: src, tasks }]),
      'prod_web\t10000\tagent-1:10000\tagent-2:10000\t\n' +
        'prod_web\t10001\tagent-1:10001\tagent-2:10001\t\n',
    );
  });

  it('writes one line with a blank port and bare hosts for an app without ports', () => {
    const src = sourceOf({ id: '/tools/cron', cmd: 'x', portDefinitions: [] });
    const tasks = [taskInfo(pod({ node: 'agent-3' }), src)];
    assert.equal(tasksText([{ source: src, tasks }]), 'tools_cron\t \tagent-3 \n');
  });

  it('is chosen only when the client accepts text/plain and nothing JSON satisfies', () => {
    assert.equal(wantsText('text/plain'), true);
    assert.equal(wantsText('text/*'), true);
    assert.equal(wantsText('text/plain; charset=utf-8'), true);
    assert.equal(wantsText(undefined), false);
    assert.equal(wantsText('*/*'), false);
    assert.equal(wantsText('application/json'), false);
    assert.equal(wantsText('text/plain, application/json'), false);
    assert.equal(wantsText('text/plain, */*;q=0.8'), false);
    assert.equal(wantsText('text/plain, application/json;q=0'), true);
  });
});
