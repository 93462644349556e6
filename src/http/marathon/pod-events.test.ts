import assert from 'node:assert/strict';
import type { V1Pod } from '@kubernetes/client-node';
import type { MarathonEvent } from './event-hub.ts';
import { podEvents, reportedState } from './pod-events.ts';

const ts = '2025-03-01T10:00:00.000Z';
const VERSION = '2025-03-01T09:59:00.000Z';

function pod(over: {
  node?: string;
  phase?: string;
  ready?: boolean;
  running?: boolean;
  deleting?: boolean;
  waiting?: { reason: string; message?: string };
  terminated?: { exitCode: number; reason?: string };
}): V1Pod {
  return {
    metadata: {
      name: 'web-abc',
      namespace: 'shop',
      uid: 'uid-1',
      annotations: {
        'dcos-operator.dev/app-id': '/shop/web',
        'dcos-operator.dev/marathonapp': 'web',
        'dcos-operator.dev/app-version': VERSION,
      },
      ...(over.deleting ? { deletionTimestamp: new Date(ts) } : {}),
    },
    spec: { containers: [{ name: 'main' }], ...(over.node ? { nodeName: over.node } : {}) },
    status: {
      phase: over.phase ?? 'Pending',
      ...(over.node && over.phase === 'Running' ? { podIP: '10.1.2.3' } : {}),
      conditions: [{ type: 'Ready', status: over.ready ? 'True' : 'False' }],
      containerStatuses: [
        {
          name: 'main',
          ready: !!over.ready,
          restartCount: 0,
          image: 'x',
          imageID: '',
          state: over.running
            ? { running: { startedAt: new Date(ts) } }
            : over.waiting
              ? { waiting: over.waiting }
              : over.terminated
                ? { terminated: over.terminated }
                : { waiting: { reason: 'ContainerCreating' } },
        },
      ],
    },
  };
}

const queued = pod({});
const staging = pod({ node: 'agent-1' });
const running = pod({ node: 'agent-1', phase: 'Running', running: true });
const healthy = pod({ node: 'agent-1', phase: 'Running', running: true, ready: true });
const killing = pod({ node: 'agent-1', phase: 'Running', running: true, ready: true, deleting: true });

const ctx = (healthChecks = false) => ({
  timestamp: ts,
  hasHealthChecks: () => healthChecks,
  ports: () => [10000],
});
const types = (es: MarathonEvent[]) =>
  es.map((e) => `${e.eventType}:${String(e.taskStatus ?? e.condition ?? e.alive)}`);

describe('pod events', () => {
  it('reports no task while the pod waits for a node, only a Scheduled instance', () => {
    assert.equal(reportedState(queued), undefined);
    assert.deepEqual(types(podEvents(undefined, queued, ctx())), ['instance_changed_event:Scheduled']);
  });

  it('reports each task state change with the task fields marathon-lb reads', () => {
    const staged = podEvents(queued, staging, ctx());
    assert.deepEqual(types(staged), ['status_update_event:TASK_STAGING', 'instance_changed_event:Staging']);
    const up = podEvents(staging, running, ctx());
    assert.deepEqual(types(up), ['status_update_event:TASK_RUNNING', 'instance_changed_event:Running']);
    assert.deepEqual(up[0], {
      slaveId: 'agent-1',
      taskId: 'shop_web.instance-uid-1._app.1',
      taskStatus: 'TASK_RUNNING',
      message: '',
      appId: '/shop/web',
      host: 'agent-1',
      ipAddresses: [{ ipAddress: '10.1.2.3', protocol: 'IPv4' }],
      ports: [10000],
      version: VERSION,
      eventType: 'status_update_event',
      timestamp: ts,
    });
    assert.deepEqual(up[1], {
      instanceId: 'shop_web.instance-uid-1',
      condition: 'Running',
      runSpecId: '/shop/web',
      agentId: 'agent-1',
      host: 'agent-1',
      runSpecVersion: VERSION,
      eventType: 'instance_changed_event',
      timestamp: ts,
    });
  });

  it('says nothing when an update does not change what Marathon would report', () => {
    assert.deepEqual(podEvents(running, { ...running }, ctx()), []);
    // readiness of an app without health checks is not news
    assert.deepEqual(podEvents(running, healthy, ctx(false)), []);
  });

  it('reports a killed task: Killing, then TASK_KILLED when the pod is gone', () => {
    assert.deepEqual(types(podEvents(healthy, killing, ctx())), [
      'status_update_event:TASK_KILLING',
      'instance_changed_event:Killing',
    ]);
    const gone = podEvents(killing, undefined, ctx());
    assert.deepEqual(types(gone), ['status_update_event:TASK_KILLED', 'instance_changed_event:Killed']);
    assert.equal(gone[0]!.message, 'Container was killed');
    // a pod deleted before it had a node never had a task
    assert.deepEqual(types(podEvents(queued, undefined, ctx())), ['instance_changed_event:Killed']);
  });

  it('reports a failing launch with the kubelet reason as the message', () => {
    const failing = pod({ node: 'agent-1', waiting: { reason: 'ImagePullBackOff', message: 'pull failed' } });
    const e = podEvents(staging, failing, ctx());
    assert.deepEqual(types(e), ['status_update_event:TASK_FAILED', 'instance_changed_event:Failed']);
    assert.equal(e[0]!.message, 'ImagePullBackOff: pull failed');
    // a failed pod that is then deleted has nothing more to report
    const failedPod = pod({ node: 'agent-1', phase: 'Failed', terminated: { exitCode: 1, reason: 'Error' } });
    assert.deepEqual(types(podEvents(failing, failedPod, ctx())), []);
    assert.deepEqual(podEvents(failedPod, undefined, ctx()), []);
  });

  it('reports health flips of running tasks of apps with health checks', () => {
    const up = podEvents(running, healthy, ctx(true));
    assert.deepEqual(types(up), ['health_status_changed_event:true']);
    assert.deepEqual(up[0], {
      appId: '/shop/web',
      instanceId: 'shop_web.instance-uid-1',
      version: VERSION,
      alive: true,
      eventType: 'health_status_changed_event',
      timestamp: ts,
    });
    assert.deepEqual(types(podEvents(healthy, running, ctx(true))), ['health_status_changed_event:false']);
    // starting unhealthy is no flip; starting healthy is
    assert.deepEqual(types(podEvents(staging, running, ctx(true))), [
      'status_update_event:TASK_RUNNING',
      'instance_changed_event:Running',
    ]);
    assert.deepEqual(
      types(podEvents(staging, healthy, ctx(true))).at(-1),
      'health_status_changed_event:true',
    );
  });

  it('ignores pods that do not belong to a Marathon app', () => {
    const stray: V1Pod = { metadata: { name: 'x', namespace: 'y' }, spec: { containers: [] } };
    assert.deepEqual(podEvents(undefined, stray, ctx()), []);
  });
});
