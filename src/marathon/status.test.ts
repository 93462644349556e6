import assert from 'node:assert/strict';
import type {
  CoreV1Event,
  V1ContainerStatus,
  V1Deployment,
  V1Pod,
  V1PodCondition,
  V1StatefulSet,
} from '@kubernetes/client-node';
import {
  countTasks,
  deploymentId,
  isQueued,
  lastTaskFailure,
  rolloutState,
  taskId,
  taskState,
  whyWaiting,
  hasWaitingProblem,
  WHY_WAITING_MAX,
} from './status.ts';
import { appStatus as appStatusOf } from './app-status.ts';
import { readAppDefinition } from './definition.ts';

// Objects shaped like what the scheduler, the kubelet and the node controller write. Timestamps are
// strings, as watch events deliver them; a few tests use Date to cover list responses.
const T0 = Date.parse('2026-03-01T10:00:00Z');
const at = (s: number): string => new Date(T0 + s * 1000).toISOString();
const IMAGE = 'docker.io/library/nginx:1.27';

type Status = NonNullable<V1Pod['status']>;

function cond(type: string, status: 'True' | 'False', extra: Partial<V1PodCondition> = {}): V1PodCondition {
  return { type, status, lastTransitionTime: at(0) as unknown as Date, ...extra };
}

function podOf(
  name: string,
  node: string | undefined,
  status: Status,
  meta: Partial<V1Pod['metadata']> = {},
): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'test',
      uid: `uid-${name}`,
      creationTimestamp: at(0) as unknown as Date,
      labels: { 'dcos-operator.dev/app': 'web' },
      annotations: { 'dcos-operator.dev/app-version': '2026-02-28T09:00:00.000Z' },
      ...meta,
    },
    spec: {
      ...(node ? { nodeName: node } : {}),
      containers: [{ name: 'app', image: IMAGE }],
    },
    status,
  };
}

const running = (startedAt = at(5)): V1ContainerStatus['state'] => ({
  running: { startedAt: startedAt as unknown as Date },
});

function appStatus(
  state: V1ContainerStatus['state'],
  extra: Partial<V1ContainerStatus> = {},
): V1ContainerStatus {
  return {
    name: 'app',
    image: IMAGE,
    imageID: '',
    restartCount: 0,
    ready: false,
    started: false,
    state,
    ...extra,
  };
}

/** Bound, all containers running and Ready (what kwok and a healthy kubelet report). */
function readyPod(name: string, node = 'node-1'): V1Pod {
  return podOf(name, node, {
    phase: 'Running',
    startTime: at(1) as unknown as Date,
    podIP: '10.244.1.7',
    conditions: ['PodReadyToStartContainers', 'Initialized', 'PodScheduled', 'ContainersReady', 'Ready'].map(
      (t) => cond(t, 'True'),
    ),
    containerStatuses: [appStatus(running(), { ready: true, started: true })],
  });
}

/** Running, started, failing its readiness (a failing Marathon health check). */
function notReadyPod(name: string, started = true): V1Pod {
  return podOf(name, 'node-1', {
    phase: 'Running',
    startTime: at(1) as unknown as Date,
    conditions: [
      cond('PodScheduled', 'True'),
      cond('Initialized', 'True'),
      cond('ContainersReady', 'False', {
        reason: 'ContainersNotReady',
        message: 'containers with unready status: [app]',
      }),
      cond('Ready', 'False', {
        reason: 'ContainersNotReady',
        message: 'containers with unready status: [app]',
      }),
    ],
    containerStatuses: [appStatus(running(), { ready: false, started })],
  });
}

/** Pending, not bound: what the scheduler leaves when no node fits. */
function unschedulablePod(name: string, message: string): V1Pod {
  return podOf(name, undefined, {
    phase: 'Pending',
    conditions: [cond('PodScheduled', 'False', { reason: 'Unschedulable', message })],
  });
}

function gatedPod(name: string, gate = 'dcos-operator.dev/placement'): V1Pod {
  const p = podOf(name, undefined, {
    phase: 'Pending',
    conditions: [
      cond('PodScheduled', 'False', {
        reason: 'SchedulingGated',
        message: 'Scheduling is blocked due to non-empty scheduling gates',
      }),
    ],
  });
  p.spec = { ...p.spec!, schedulingGates: [{ name: gate }] };
  return p;
}

/** Bound, main container waiting with `reason` (Pending phase, as for pull and config errors). */
function waitingPod(name: string, reason: string, message: string): V1Pod {
  return podOf(name, 'node-2', {
    phase: 'Pending',
    startTime: at(1) as unknown as Date,
    conditions: [
      cond('PodScheduled', 'True'),
      cond('Initialized', 'True'),
      cond('ContainersReady', 'False', { reason: 'ContainersNotReady' }),
      cond('Ready', 'False', { reason: 'ContainersNotReady' }),
    ],
    containerStatuses: [appStatus({ waiting: { reason, message } })],
  });
}

/** Restarted after crashing; now in CrashLoopBackOff (phase stays Running under restartPolicy Always). */
function crashLoopPod(name: string, exitCode = 1, reason = 'Error', finishedAt = at(30)): V1Pod {
  return podOf(name, 'node-1', {
    phase: 'Running',
    startTime: at(1) as unknown as Date,
    conditions: [
      cond('PodScheduled', 'True'),
      cond('ContainersReady', 'False', { reason: 'ContainersNotReady' }),
      cond('Ready', 'False', { reason: 'ContainersNotReady' }),
    ],
    containerStatuses: [
      appStatus(
        {
          waiting: {
            reason: 'CrashLoopBackOff',
            message: `back-off 40s restarting failed container=app pod=${name}_test(uid-${name})`,
          },
        },
        {
          restartCount: 3,
          lastState: {
            terminated: {
              exitCode,
              reason,
              startedAt: at(20) as unknown as Date,
              finishedAt: finishedAt as unknown as Date,
              containerID: 'containerd://abc',
            },
          },
        },
      ),
    ],
  });
}

function event(
  pod: V1Pod,
  type: 'Warning' | 'Normal',
  reason: string,
  message: string,
  last: number,
): CoreV1Event {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${pod.metadata?.name}.18a2b3c4d5e6f${last}`, namespace: 'test' },
    involvedObject: {
      apiVersion: 'v1',
      kind: 'Pod',
      name: pod.metadata?.name,
      namespace: 'test',
      uid: pod.metadata?.uid,
      fieldPath: 'spec.containers{app}',
    },
    reason,
    message,
    type,
    source: { component: 'kubelet', host: pod.spec?.nodeName },
    count: 1,
    firstTimestamp: at(last) as unknown as Date,
    lastTimestamp: at(last) as unknown as Date,
  };
}

const deleting = (p: V1Pod): V1Pod => ({
  ...p,
  metadata: { ...p.metadata, deletionTimestamp: at(100) as unknown as Date, deletionGracePeriodSeconds: 30 },
});

describe('marathon status', () => {
  describe('taskState', () => {
    const nodeLost = readyPod('lost');
    nodeLost.status!.conditions = nodeLost.status!.conditions!.map((c) =>
      c.type === 'Ready' ? { ...c, status: 'False' } : c,
    );
    const initRunning = podOf('init', 'node-1', {
      phase: 'Pending',
      conditions: [
        cond('PodScheduled', 'True'),
        cond('Initialized', 'False', { reason: 'ContainersNotInitialized' }),
      ],
      initContainerStatuses: [{ ...appStatus(running()), name: 'fetch' }],
      containerStatuses: [appStatus({ waiting: { reason: 'PodInitializing' } })],
    });
    const initFailed = podOf('initfail', 'node-1', {
      phase: 'Pending',
      initContainerStatuses: [
        {
          ...appStatus({
            terminated: { exitCode: 1, reason: 'Error', finishedAt: at(9) as unknown as Date },
          }),
          name: 'fetch',
        },
      ],
      containerStatuses: [appStatus({ waiting: { reason: 'PodInitializing' } })],
    });
    const creating = podOf('creating', 'node-1', {
      phase: 'Running',
      containerStatuses: [appStatus({ waiting: { reason: 'ContainerCreating' } })],
    });
    const exited0 = podOf('exited0', 'node-1', {
      phase: 'Running',
      containerStatuses: [appStatus({ terminated: { exitCode: 0, reason: 'Completed' } })],
    });
    const cases: [string, V1Pod, string][] = [
      ['no status yet', podOf('new', undefined, {}), 'TASK_STAGING'],
      [
        'unschedulable',
        unschedulablePod('u', '0/3 nodes are available: 3 Insufficient cpu.'),
        'TASK_STAGING',
      ],
      ['bound, containers being created', waitingPod('c', 'ContainerCreating', ''), 'TASK_STAGING'],
      ['init container (fetch) running', initRunning, 'TASK_STAGING'],
      ['init container failed', initFailed, 'TASK_FAILED'],
      [
        'image pull back-off',
        waitingPod('i', 'ImagePullBackOff', `Back-off pulling image "${IMAGE}"`),
        'TASK_FAILED',
      ],
      [
        'missing secret',
        waitingPod('s', 'CreateContainerConfigError', 'secret "db" not found'),
        'TASK_FAILED',
      ],
      ['running phase, container not started yet', creating, 'TASK_STARTING'],
      ['running and ready', readyPod('r'), 'TASK_RUNNING'],
      ['running, failing health checks', notReadyPod('n'), 'TASK_RUNNING'],
      ['crash loop', crashLoopPod('cl'), 'TASK_FAILED'],
      ['exited 0, restarting in place', exited0, 'TASK_FINISHED'],
      ['being deleted', deleting(readyPod('d')), 'TASK_KILLING'],
      ['succeeded', podOf('ok', 'node-1', { phase: 'Succeeded' }), 'TASK_FINISHED'],
      [
        'failed',
        podOf('f', 'node-1', { phase: 'Failed', reason: 'Evicted', message: 'low on memory' }),
        'TASK_FAILED',
      ],
      ['failed and being deleted', deleting(podOf('fd', 'node-1', { phase: 'Failed' })), 'TASK_FAILED'],
      [
        'node shut down',
        podOf('sd', 'node-1', {
          phase: 'Failed',
          reason: 'Terminated',
          message: 'Pod was terminated in response to imminent node shutdown.',
        }),
        'TASK_GONE',
      ],
      ['phase Unknown', podOf('unk', 'node-1', { phase: 'Unknown' }), 'TASK_UNREACHABLE'],
      ['node controller marked it not ready', nodeLost, 'TASK_UNREACHABLE'],
      [
        'NodeLost reason',
        podOf('nl', 'node-1', { phase: 'Running', reason: 'NodeLost' }),
        'TASK_UNREACHABLE',
      ],
    ];
    for (const [what, pod, want] of cases) {
      it(`${what} → ${want}`, () => assert.equal(taskState(pod), want));
    }

    it('does not take a readiness-gated pod for an unreachable one', () => {
      const gated = structuredClone(nodeLost);
      gated.spec!.readinessGates = [{ conditionType: 'example.com/lb-ready' }];
      assert.equal(taskState(gated), 'TASK_RUNNING');
    });
  });

  describe('isQueued', () => {
    const cases: [string, V1Pod, boolean][] = [
      ['unschedulable', unschedulablePod('u', '0/3 nodes are available'), true],
      ['scheduling-gated', gatedPod('g'), true],
      ['just created', podOf('n', undefined, {}), true],
      ['bound and pulling', waitingPod('p', 'ContainerCreating', ''), false],
      ['running', readyPod('r'), false],
      ['deleted before it was bound', deleting(gatedPod('dg')), false],
    ];
    for (const [what, pod, want] of cases) it(`${what} → ${want}`, () => assert.equal(isQueued(pod), want));
  });

  it('builds Marathon 1.5+ task ids from the pod uid', () => {
    const id = taskId('/prod/web', readyPod('web-7d9c-x2'));
    assert.equal(id, 'prod_web.instance-uid-web-7d9c-x2._app.1');
    assert.match(id, /^(.+)\.(instance-|marathon-)([^.]+)\._app\.\d+$/);
  });

  describe('countTasks', () => {
    const pods = [
      readyPod('a'),
      readyPod('b'),
      notReadyPod('c'),
      notReadyPod('d', false), // still in its startup probe (grace period)
      unschedulablePod('e', '0/3 nodes are available: 3 Insufficient memory.'),
      gatedPod('f'),
      waitingPod('g', 'ImagePullBackOff', 'Back-off pulling image'),
      crashLoopPod('h'),
      deleting(readyPod('i')),
      podOf('j', 'node-1', { phase: 'Failed', reason: 'Evicted' }),
      podOf('k', 'node-1', { phase: 'Unknown' }),
    ];

    it('counts instances, staged and running like Marathon', () => {
      const c = countTasks(pods, { healthChecks: 1 });
      assert.equal(c.instances, 9, 'deleting and failed pods are not instances');
      assert.equal(c.tasksRunning, 4);
      assert.equal(c.tasksStaged, 4, 'queued, gated, pulling and crash-looping');
      assert.equal(c.tasksHealthy, 2);
      assert.equal(c.tasksUnhealthy, 1, 'a pod still in its startup probe is neither healthy nor unhealthy');
    });

    it('reports no health without health checks', () => {
      const c = countTasks(pods, { healthChecks: 0 });
      assert.deepEqual([c.tasksHealthy, c.tasksUnhealthy, c.tasksRunning], [0, 0, 4]);
    });

    it('treats a container without the started field as started once it runs', () => {
      const p = notReadyPod('old-kubelet');
      delete p.status!.containerStatuses![0]!.started;
      assert.equal(countTasks([p], { healthChecks: 1 }).tasksUnhealthy, 1);
    });

    it('counts nothing for no pods', () => {
      assert.deepEqual(countTasks([], { healthChecks: 2 }), {
        instances: 0,
        tasksRunning: 0,
        tasksHealthy: 0,
        tasksUnhealthy: 0,
        tasksStaged: 0,
      });
    });
  });

  describe('lastTaskFailure', () => {
    it('is undefined while nothing failed', () => {
      assert.equal(lastTaskFailure('/web', [readyPod('a'), gatedPod('b')], []), undefined);
    });

    it("reports a crash from the container's last state in Marathon's shape", () => {
      const p = crashLoopPod('web-1', 2, 'Error', at(30));
      assert.deepEqual(lastTaskFailure('/prod/web', [readyPod('web-0'), p]), {
        appId: '/prod/web',
        host: 'node-1',
        message: 'container "app" failed: exit code 2 (Error)',
        state: 'TASK_FAILED',
        taskId: 'prod_web.instance-uid-web-1._app.1',
        timestamp: at(30),
        version: '2026-02-28T09:00:00.000Z',
        slaveId: 'node-1',
      });
    });

    it('names OOM kills', () => {
      const f = lastTaskFailure('/web', [crashLoopPod('web-1', 137, 'OOMKilled')]);
      assert.equal(
        f?.message,
        'container "app" failed: killed for exceeding its memory limit (OOMKilled, exit code 137)',
      );
    });

    it('ignores clean exits', () => {
      const p = crashLoopPod('web-1', 0, 'Completed');
      assert.equal(lastTaskFailure('/web', [p]), undefined);
    });

    it('reports failed init containers (artifact fetch)', () => {
      const p = podOf('web-1', 'node-3', {
        phase: 'Pending',
        initContainerStatuses: [
          {
            ...appStatus({
              terminated: {
                exitCode: 8,
                reason: 'Error',
                message: 'wget: server returned error: HTTP/1.1 404 Not Found',
                finishedAt: at(12) as unknown as Date,
              },
            }),
            name: 'fetch',
          },
        ],
      });
      const f = lastTaskFailure('/web', [p]);
      assert.equal(
        f?.message,
        'init container "fetch" failed: exit code 8 (Error): wget: server returned error: HTTP/1.1 404 Not Found',
      );
      assert.equal(f?.host, 'node-3');
    });

    it('reports failed pods with their reason', () => {
      const p = podOf('web-1', 'node-2', {
        phase: 'Failed',
        reason: 'Evicted',
        message: 'The node was low on resource: memory. ',
        startTime: at(1) as unknown as Date,
      });
      const f = lastTaskFailure('/web', [p]);
      assert.equal(f?.message, 'pod failed: Evicted: The node was low on resource: memory.');
      assert.equal(f?.state, 'TASK_FAILED');
      assert.equal(f?.timestamp, new Date(at(1)).toISOString());
    });

    it('takes failures from warning events, the newest winning', () => {
      const p = notReadyPod('web-1');
      const q = waitingPod('web-2', 'ImagePullBackOff', 'Back-off pulling image');
      const events = [
        event(
          p,
          'Warning',
          'Unhealthy',
          'Readiness probe failed: HTTP probe failed with statuscode: 503',
          50,
        ),
        event(p, 'Warning', 'Unhealthy', 'Liveness probe failed: HTTP probe failed with statuscode: 500', 40),
        event(
          q,
          'Warning',
          'Failed',
          `Failed to pull image "${IMAGE}": rpc error: code = NotFound desc = not found`,
          30,
        ),
        event(q, 'Warning', 'Failed', 'Error: ErrImagePull', 60),
      ];
      const f = lastTaskFailure('/web', [p, q], events);
      assert.equal(f?.message, 'Liveness probe failed: HTTP probe failed with statuscode: 500');
      assert.equal(f?.state, 'TASK_KILLED');
      assert.equal(f?.taskId, 'web.instance-uid-web-1._app.1');

      const later = [
        ...events,
        event(q, 'Warning', 'BackOff', 'Back-off restarting failed container app in pod web-2', 70),
      ];
      assert.equal(
        lastTaskFailure('/web', [p, q], later)?.message,
        'Back-off restarting failed container app in pod web-2',
      );
    });

    it('treats the kubelet killing a container for a failed liveness probe as a kill', () => {
      const p = readyPod('web-1');
      const f = lastTaskFailure(
        '/web',
        [p],
        [
          event(p, 'Normal', 'Killing', 'Container app failed liveness probe, will be restarted', 20),
          event(p, 'Normal', 'Killing', 'Stopping container app', 90),
        ],
      );
      assert.equal(f?.state, 'TASK_KILLED');
      assert.equal(f?.message, 'Container app failed liveness probe, will be restarted');
    });

    it("ignores events about other objects and other pods' incarnations", () => {
      const p = readyPod('web-0');
      const stale = event(p, 'Warning', 'BackOff', 'Back-off restarting failed container', 10);
      stale.involvedObject.uid = 'uid-of-a-deleted-pod-with-the-same-name';
      const deploymentEvent = event(p, 'Warning', 'Failed', 'something', 20);
      deploymentEvent.involvedObject = { kind: 'Deployment', name: 'web', namespace: 'test' };
      assert.equal(lastTaskFailure('/web', [p], [stale, deploymentEvent]), undefined);
    });

    it('accepts Date timestamps (list responses) as well as strings (watch events)', () => {
      const p = crashLoopPod('web-1');
      p.status!.containerStatuses![0]!.lastState!.terminated!.finishedAt = new Date(T0 + 45_000);
      assert.equal(lastTaskFailure('/web', [p])?.timestamp, new Date(T0 + 45_000).toISOString());
    });

    it('omits the version when the pod does not carry it', () => {
      const p = crashLoopPod('web-1');
      p.metadata!.annotations = {};
      const f = lastTaskFailure('/web', [p]);
      assert.ok(f && !('version' in f));
    });
  });

  describe('hasWaitingProblem', () => {
    it('is false while instances are only starting, true once one is held by a problem', () => {
      const pending = podOf('p', undefined, { phase: 'Pending' });
      assert.equal(hasWaitingProblem([pending, notReadyPod('s'), readyPod('r')], []), false);
      assert.equal(hasWaitingProblem([], []), false);
      assert.equal(hasWaitingProblem([pending, unschedulablePod('u', '0/1 nodes are available')], []), true);
      assert.equal(hasWaitingProblem([waitingPod('i', 'ImagePullBackOff', 'Back-off')], []), true);
      assert.equal(hasWaitingProblem([crashLoopPod('c')], []), true);
      // A deleted instance's trouble is not the rollout's.
      assert.equal(hasWaitingProblem([deleting(crashLoopPod('c'))], []), false);
    });
  });

  describe('whyWaiting', () => {
    const unschedulable =
      '0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 Insufficient cpu. preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod.';

    it('is undefined when every instance runs and is ready, or there are none', () => {
      assert.equal(whyWaiting([readyPod('a'), readyPod('b')], []), undefined);
      assert.equal(whyWaiting([], []), undefined);
      assert.equal(whyWaiting([deleting(notReadyPod('x'))], []), undefined);
    });

    const single: [string, () => [V1Pod[], CoreV1Event[]], string][] = [
      [
        'unschedulable (scheduler condition, preemption part dropped)',
        () => [[unschedulablePod('a', unschedulable)], []],
        '1 instance: cannot be scheduled: 0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 Insufficient cpu.',
      ],
      [
        'unschedulable (from the FailedScheduling event when the condition has no message)',
        () => {
          const p = unschedulablePod('a', '');
          return [
            [p],
            [
              event(
                p,
                'Warning',
                'FailedScheduling',
                "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector.",
                5,
              ),
            ],
          ];
        },
        "1 instance: cannot be scheduled: 0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector.",
      ],
      [
        'placement gate',
        () => [[gatedPod('a'), gatedPod('b')], []],
        '2 instances: waiting for the operator to place it within its constraints',
      ],
      [
        'foreign scheduling gate',
        () => [[gatedPod('a', 'example.com/quota')], []],
        '1 instance: held by scheduling gates: example.com/quota',
      ],
      [
        'image pull error, with the registry answer from the event',
        () => {
          const p = waitingPod('a', 'ImagePullBackOff', `Back-off pulling image "${IMAGE}"`);
          const e = event(
            p,
            'Warning',
            'Failed',
            `Failed to pull image "${IMAGE}": rpc error: code = NotFound desc = failed to pull and unpack image "${IMAGE}": not found`,
            8,
          );
          return [[p], [e]];
        },
        `1 instance: cannot pull image "${IMAGE}": failed to pull and unpack image "${IMAGE}": not found`,
      ],
      [
        'image pull error, from the container status alone',
        () => [
          [
            waitingPod(
              'a',
              'ErrImagePull',
              'rpc error: code = Unknown desc = failed to resolve reference "registry.example.com/app:1": unauthorized',
            ),
          ],
          [],
        ],
        `1 instance: cannot pull image "${IMAGE}": failed to resolve reference "registry.example.com/app:1": unauthorized`,
      ],
      [
        'missing Secret',
        () => [[waitingPod('a', 'CreateContainerConfigError', 'secret "db-password" not found')], []],
        '1 instance: container "app" cannot be created (CreateContainerConfigError): secret "db-password" not found',
      ],
      [
        'crash loop',
        () => [[crashLoopPod('a', 137, 'OOMKilled')], []],
        '1 instance: container "app" keeps crashing (CrashLoopBackOff): last failure: killed for exceeding its memory limit (OOMKilled, exit code 137)',
      ],
      [
        'failing readiness probe (events before the current container start are ignored)',
        () => {
          const p = notReadyPod('a');
          return [
            [p],
            [
              event(p, 'Warning', 'Unhealthy', 'Liveness probe failed: old incarnation', 2),
              event(
                p,
                'Warning',
                'Unhealthy',
                'Readiness probe failed: HTTP probe failed with statuscode: 503',
                20,
              ),
            ],
          ];
        },
        '1 instance: Readiness probe failed: HTTP probe failed with statuscode: 503',
      ],
      [
        'started but not ready, no probe events yet',
        () => [[notReadyPod('a')], []],
        '1 instance: started, not ready yet',
      ],
      [
        'started but not ready, probe failures only from an earlier container',
        () => {
          const p = notReadyPod('a');
          return [[p], [event(p, 'Warning', 'Unhealthy', 'Liveness probe failed: connection refused', 2)]];
        },
        '1 instance: started, not ready yet',
      ],
      [
        'a container that just exited',
        () => {
          const p = podOf('a', 'node-1', {
            phase: 'Running',
            conditions: [cond('Ready', 'False'), cond('ContainersReady', 'False')],
            containerStatuses: [
              appStatus({ terminated: { exitCode: 3, reason: 'Error', message: 'panic: no config' } }),
            ],
          });
          return [[p], []];
        },
        '1 instance: container "app" exited: last failure: exit code 3 (Error): panic: no config',
      ],
      [
        'artifact fetch failing',
        () => {
          const p = podOf('a', 'node-1', {
            phase: 'Pending',
            initContainerStatuses: [
              {
                ...appStatus(
                  {
                    waiting: {
                      reason: 'CrashLoopBackOff',
                      message: 'back-off 20s restarting failed container=fetch',
                    },
                  },
                  {
                    lastState: {
                      terminated: {
                        exitCode: 1,
                        reason: 'Error',
                        message: 'wget: bad address',
                        finishedAt: at(9) as unknown as Date,
                      },
                    },
                  },
                ),
                name: 'fetch',
              },
            ],
            containerStatuses: [appStatus({ waiting: { reason: 'PodInitializing' } })],
          });
          return [[p], []];
        },
        '1 instance: fetching artifacts (init container "fetch") failed: exit code 1 (Error): wget: bad address',
      ],
      [
        'volume cannot be mounted',
        () => {
          const p = waitingPod('a', 'ContainerCreating', '');
          const e = event(
            p,
            'Warning',
            'FailedMount',
            'MountVolume.SetUp failed for volume "certs" : secret "tls" not found',
            7,
          );
          return [[p], [e]];
        },
        '1 instance: volumes cannot be mounted: MountVolume.SetUp failed for volume "certs" : secret "tls" not found',
      ],
      [
        'node unreachable',
        () => [[podOf('a', 'node-9', { phase: 'Unknown' })], []],
        '1 instance: its node "node-9" is unreachable',
      ],
      [
        'being started',
        () => [[waitingPod('a', 'ContainerCreating', '')], []],
        '1 instance: being started on its node',
      ],
    ];
    for (const [what, build, want] of single) {
      it(what, () => {
        const [pods, events] = build();
        assert.equal(whyWaiting(pods, events), want);
      });
    }

    it('puts the most important reason first and counts instances per reason', () => {
      const pods = [
        readyPod('ok'),
        gatedPod('g1'),
        unschedulablePod('u1', unschedulable),
        unschedulablePod('u2', unschedulable),
        waitingPod('s1', 'CreateContainerConfigError', 'secret "db-password" not found'),
        notReadyPod('n1'),
      ];
      const why = whyWaiting(pods, []);
      assert.equal(
        why,
        [
          '1 instance: container "app" cannot be created (CreateContainerConfigError): secret "db-password" not found',
          '2 instances: cannot be scheduled: 0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 Insufficient cpu.',
          '1 instance: waiting for the operator to place it within its constraints',
          '1 instance: started, not ready yet',
        ].join('; '),
      );
    });

    it('groups pods with the same problem and shows the newest detail', () => {
      const a = crashLoopPod('a', 1, 'Error', at(30));
      const b = crashLoopPod('b', 2, 'Error', at(40));
      assert.equal(
        whyWaiting([a, b], []),
        '2 instances: container "app" keeps crashing (CrashLoopBackOff): last failure: exit code 2 (Error)',
      );
    });

    it('stays within its length bound and says how many reasons it left out', () => {
      const pods = Array.from({ length: 12 }, (_, i) =>
        unschedulablePod(`p${i}`, `0/${i + 1} nodes are available: ${'reason '.repeat(30)}`),
      );
      const why = whyWaiting(pods, []) ?? '';
      assert.ok(why.length <= WHY_WAITING_MAX, `${why.length}`);
      assert.match(why, /; and \d+ more reasons$/);
      assert.ok(why.startsWith('1 instance: cannot be scheduled: 0/1 nodes'), why.slice(0, 60));
    });

    it('clips a single very long reason', () => {
      const p = unschedulablePod('a', 'y'.repeat(5000));
      const why = whyWaiting([p], []) ?? '';
      assert.ok(why.length <= WHY_WAITING_MAX);
      assert.ok(why.endsWith('…'));
    });
  });

  describe('rolloutState', () => {
    function deployment(
      gen: number,
      status: NonNullable<V1Deployment['status']>,
      replicas = 3,
    ): V1Deployment {
      return {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: 'test', generation: gen },
        spec: { replicas, selector: { matchLabels: {} }, template: {} },
        status,
      };
    }
    function statefulSet(status: NonNullable<V1StatefulSet['status']>, replicas = 2): V1StatefulSet {
      // As a list response item: no kind.
      return {
        metadata: { name: 'db', namespace: 'test', generation: 4 },
        spec: { replicas, serviceName: 'db', selector: { matchLabels: {} }, template: {} },
        status,
      };
    }
    const withRevision = (p: V1Pod, rev: string): V1Pod => ({
      ...p,
      metadata: { ...p.metadata, labels: { ...p.metadata?.labels, 'controller-revision-hash': rev } },
    });

    it('is not complete without a workload', () => {
      assert.deepEqual(rolloutState(undefined, []), {
        complete: false,
        desired: 0,
        updated: 0,
        ready: 0,
        message: 'the workload does not exist yet',
      });
    });

    it('completes a Deployment when all instances are updated and ready and no old ones are left', () => {
      const d = deployment(5, {
        observedGeneration: 5,
        replicas: 3,
        updatedReplicas: 3,
        readyReplicas: 3,
        availableReplicas: 3,
      });
      const r = rolloutState(d, [readyPod('a'), readyPod('b'), readyPod('c')]);
      assert.deepEqual(r, {
        complete: true,
        desired: 3,
        updated: 3,
        ready: 3,
        message: '3 of 3 instances updated and ready',
      });
    });

    const incomplete: [string, V1Deployment, V1Pod[], string][] = [
      [
        'the controller has not seen the new spec',
        deployment(6, { observedGeneration: 5, replicas: 3, updatedReplicas: 3, readyReplicas: 3 }),
        [],
        'waiting for the Deployment controller to observe the change; 3 of 3 instances updated, 3 ready',
      ],
      [
        'old instances are still running (surge)',
        deployment(6, { observedGeneration: 6, replicas: 4, updatedReplicas: 1, readyReplicas: 3 }),
        [],
        '1 of 3 instances updated, 3 ready; 3 old instances still running',
      ],
      [
        'an old instance is still terminating',
        deployment(6, { observedGeneration: 6, replicas: 3, updatedReplicas: 3, readyReplicas: 3 }),
        [readyPod('a'), readyPod('b'), readyPod('c'), deleting(readyPod('old'))],
        '3 of 3 instances updated, 3 ready; 1 instance terminating',
      ],
      [
        'new instances are not ready, progress deadline exceeded',
        deployment(6, {
          observedGeneration: 6,
          replicas: 3,
          updatedReplicas: 3,
          readyReplicas: 1,
          conditions: [
            {
              type: 'Progressing',
              status: 'False',
              reason: 'ProgressDeadlineExceeded',
              message: 'ReplicaSet "web-6c9f8" has timed out progressing.',
            },
          ],
        }),
        [],
        '3 of 3 instances updated, 1 ready; stalled: ReplicaSet "web-6c9f8" has timed out progressing.',
      ],
    ];
    for (const [what, d, pods, message] of incomplete) {
      it(`is not complete while ${what}`, () => {
        const r = rolloutState(d, pods);
        assert.equal(r.complete, false);
        assert.equal(r.message, message);
      });
    }

    it('completes a Deployment scaled to 0 once its pods are gone', () => {
      const d = deployment(7, { observedGeneration: 7, replicas: 0 }, 0);
      assert.equal(rolloutState(d, [deleting(readyPod('a'))]).complete, false);
      assert.deepEqual(rolloutState(d, []), {
        complete: true,
        desired: 0,
        updated: 0,
        ready: 0,
        message: 'scaled to 0 instances',
      });
    });

    it('counts StatefulSet pods by revision (status lags and OnDelete never completes the revisions)', () => {
      const s = statefulSet({
        observedGeneration: 4,
        replicas: 2,
        readyReplicas: 2,
        updatedReplicas: 0,
        currentRevision: 'db-5b8f',
        updateRevision: 'db-7c9d',
      });
      const mid = rolloutState(s, [
        withRevision(readyPod('db-0'), 'db-7c9d'),
        withRevision(readyPod('db-1'), 'db-5b8f'),
      ]);
      assert.deepEqual(
        [mid.complete, mid.updated, mid.ready, mid.message],
        [false, 1, 1, '1 of 2 instances updated, 1 ready; 1 old instance still running'],
      );
      const starting = rolloutState(s, [
        withRevision(readyPod('db-0'), 'db-7c9d'),
        withRevision(notReadyPod('db-1'), 'db-7c9d'),
      ]);
      assert.deepEqual([starting.complete, starting.updated, starting.ready], [false, 2, 1]);
      const done = rolloutState(s, [
        withRevision(readyPod('db-0'), 'db-7c9d'),
        withRevision(readyPod('db-1'), 'db-7c9d'),
      ]);
      assert.deepEqual([done.complete, done.message], [true, '2 of 2 instances updated and ready']);
    });
  });

  describe('deploymentId', () => {
    it('is a deterministic RFC 4122 version-5 UUID', () => {
      const a = deploymentId('/test/app@2026-03-01T10:00:00.000Z');
      assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.equal(deploymentId('/test/app@2026-03-01T10:00:00.000Z'), a);
      assert.notEqual(deploymentId('/test/app@2026-03-01T10:00:00.001Z'), a);
      assert.notEqual(deploymentId(''), deploymentId(' '));
    });
  });
});

describe('MarathonApp status: when a deployment is over', () => {
  const read = readAppDefinition({ cmd: 'sleep 3600', instances: 1 }, { id: '/web' });
  if (!read.ok) throw new Error('fixture');
  const version = {
    version: at(50),
    versionInfo: { lastScalingAt: at(50), lastConfigChangeAt: at(50) },
    configHash: 'h',
    targetInstances: 1,
  };
  const workload: V1Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'test', generation: 2 },
    spec: { replicas: 1, selector: { matchLabels: {} }, template: {} },
    status: {
      observedGeneration: 2,
      replicas: 1,
      updatedReplicas: 1,
      readyReplicas: 1,
      availableReplicas: 1,
    },
  };
  const input = (pods: V1Pod[]) => ({
    app: read.value,
    appUid: 'uid-app',
    version,
    pods,
    events: [],
    workload,
    desiredReplicas: 1,
    dependencies: { ready: true, waitingFor: [] },
    dependenciesHeld: false,
    notes: [],
    previous: undefined,
    selector: { 'dcos-operator.dev/app': 'web' },
  });
  const statusWith = (pods: V1Pod[]) => appStatusOf(input(pods));

  it("does not take the previous version's finished rollout, in a cache behind the apply, for this one", () => {
    const stale = {
      ...workload,
      metadata: {
        ...workload.metadata,
        annotations: {
          'dcos-operator.dev/version-state': JSON.stringify({ ...version, version: at(10) }),
        },
      },
    };
    const before = appStatusOf({ ...input([readyPod('old')]), workload: stale });
    assert.equal(before.phase.state, 'progressing');
    assert.equal((before.fields.deployments as unknown[]).length, 1);
    const shown = {
      ...stale,
      metadata: {
        ...stale.metadata,
        annotations: { 'dcos-operator.dev/version-state': JSON.stringify(version) },
      },
    };
    assert.equal(appStatusOf({ ...input([readyPod('new')]), workload: shown }).phase.state, 'ready');
  });

  it('lasts while a replaced instance is still being killed, as Marathon waited for TASK_KILLED', () => {
    const during = statusWith([readyPod('new'), deleting(readyPod('old'))]);
    assert.equal(during.phase.state, 'progressing');
    assert.equal((during.fields.deployments as unknown[]).length, 1);
    const after = statusWith([readyPod('new')]);
    assert.equal(after.phase.state, 'ready');
    assert.deepEqual(after.fields.deployments, []);
  });
});
