import assert from 'node:assert/strict';
import type { V1ContainerStatus, V1Deployment, V1Pod } from '@kubernetes/client-node';
import {
  countTasks,
  hasWaitingProblem,
  isQueued,
  lastTaskFailure,
  rolloutState,
  taskState,
  whyWaiting,
} from '../marathon/status.ts';
import { slimPod, slimWorkload } from './slim.ts';

// Shaped like what a real kubelet writes (kwok writes less): container statuses carry resources, mounts
// and users, pods carry both address forms and probe times.
const IMAGE = 'registry.example.com/team/web:1.4.2';

function kubeletStatus(state: V1ContainerStatus['state'], extra: Partial<V1ContainerStatus> = {}) {
  return {
    name: 'app',
    image: IMAGE,
    imageID: `${IMAGE}@sha256:${'a'.repeat(64)}`,
    containerID: `containerd://${'b'.repeat(64)}`,
    restartCount: 0,
    ready: false,
    started: false,
    state,
    lastState: {},
    allocatedResources: { cpu: '100m', memory: '64Mi' },
    resources: { limits: { memory: '64Mi' }, requests: { cpu: '100m', memory: '64Mi' } },
    volumeMounts: [{ name: 'kube-api-access', mountPath: '/var/run/secrets', readOnly: true }],
    user: { linux: { uid: 0, gid: 0, supplementalGroups: [0] } },
    ...extra,
  } as V1ContainerStatus;
}

function pod(name: string, phase: string, statuses: V1ContainerStatus[], ready: boolean): V1Pod {
  const t = '2026-03-01T10:00:00Z';
  const cond = (type: string, status: string) => ({
    type,
    status,
    lastProbeTime: null,
    lastTransitionTime: t,
  });
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'prod',
      uid: `uid-${name}`,
      creationTimestamp: t,
      labels: { 'dcos-operator.dev/app': 'web' },
      annotations: { 'dcos-operator.dev/app-version': '2026-02-28T09:00:00.000Z' },
      managedFields: [{ manager: 'kubelet', operation: 'Update', fieldsV1: { 'f:status': {} } }],
    },
    spec: {
      nodeName: 'aks-agentpool-1',
      containers: [{ name: 'app', image: IMAGE, env: [{ name: 'A', value: 'x'.repeat(200) }] }],
      volumes: [{ name: 'kube-api-access', projected: { sources: [] } }],
    },
    status: {
      phase,
      hostIP: '10.240.0.4',
      hostIPs: [{ ip: '10.240.0.4' }],
      podIP: '10.244.1.7',
      podIPs: [{ ip: '10.244.1.7' }],
      qosClass: 'Burstable',
      startTime: t,
      conditions: [
        cond('PodScheduled', 'True'),
        cond('Initialized', 'True'),
        cond('ContainersReady', ready ? 'True' : 'False'),
        cond('Ready', ready ? 'True' : 'False'),
      ],
      containerStatuses: statuses,
    },
  } as unknown as V1Pod;
}

const pods: V1Pod[] = [
  pod(
    'running',
    'Running',
    [
      kubeletStatus({ running: { startedAt: '2026-03-01T10:00:05Z' } } as never, {
        ready: true,
        started: true,
      }),
    ],
    true,
  ),
  pod(
    'pulling',
    'Pending',
    [kubeletStatus({ waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image' } })],
    false,
  ),
  pod(
    'crashing',
    'Running',
    [
      kubeletStatus(
        { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container' } },
        {
          restartCount: 4,
          lastState: {
            terminated: {
              exitCode: 3,
              reason: 'Error',
              message: 'config missing',
              finishedAt: '2026-03-01T10:01:00Z',
            },
          } as never,
        },
      ),
    ],
    false,
  ),
];

describe('slim cache copies', () => {
  it('a slim pod reads the same as the full one: task states, counts, waiting reasons, failures', () => {
    const slim = pods.map(slimPod);
    assert.deepEqual(slim.map(taskState), pods.map(taskState));
    assert.deepEqual(slim.map(isQueued), pods.map(isQueued));
    assert.deepEqual(countTasks(slim, { healthChecks: 0 }), countTasks(pods, { healthChecks: 0 }));
    assert.equal(whyWaiting(slim), whyWaiting(pods));
    assert.ok(whyWaiting(slim), 'the waiting reasons are there to compare');
    assert.equal(hasWaitingProblem(slim), hasWaitingProblem(pods));
    assert.deepEqual(lastTaskFailure('/web', slim), lastTaskFailure('/web', pods));
    assert.ok(lastTaskFailure('/web', slim), 'the crash is there to compare');
  });

  it('a slim pod drops what is never read', () => {
    const [slim] = [slimPod(pods[0]!)];
    const text = JSON.stringify(slim);
    for (const gone of ['managedFields', 'podIPs', 'qosClass', 'volumeMounts', 'allocatedResources', 'env'])
      assert.ok(!text.includes(gone), gone);
    assert.ok(text.length < JSON.stringify(pods[0]).length / 2);
    assert.equal(slim?.status?.podIP, '10.244.1.7');
    assert.equal(slim?.status?.hostIP, '10.240.0.4');
  });

  it('a slim workload gives the same rollout state as the full one', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'prod', uid: 'd1', generation: 3, managedFields: [] },
      spec: {
        replicas: 3,
        selector: {},
        template: { spec: { containers: [{ name: 'app', image: IMAGE }] } },
      },
      status: {
        observedGeneration: 3,
        replicas: 3,
        updatedReplicas: 2,
        readyReplicas: 2,
        availableReplicas: 2,
      },
    } as unknown as V1Deployment;
    const slim = slimWorkload(deployment);
    assert.deepEqual(rolloutState(slim, pods), rolloutState(deployment, pods));
    assert.equal((slim.spec as { template?: unknown }).template, undefined);
  });
});
