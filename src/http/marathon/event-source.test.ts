import assert from 'node:assert/strict';
import type { KubernetesObject, V1Pod } from '@kubernetes/client-node';
import {
  appDeploymentId,
  appDeployments,
  deletionDeploymentId,
  REQUESTED_DEPLOYMENT_ANNOTATION,
  REQUESTED_VERSION_ANNOTATION,
} from '../../marathon/deployments.ts';
import type { AppObject } from '../../marathon/deployments.ts';
import { createLogger } from '../../runtime/logger.ts';
import { appJson } from './app-info.ts';
import { EventHub } from './event-hub.ts';
import type { EventScope, MarathonEvent } from './event-hub.ts';
import { MarathonEventSource } from './event-source.ts';

type Handler<T> = (o: T, old?: T) => void;

class FakeInformer<T extends KubernetesObject> {
  readonly objects = new Map<string, T>();
  private readonly handlers: Record<string, Handler<T>[]> = { add: [], update: [], delete: [] };
  synced = false;

  on(event: 'add' | 'update' | 'delete', h: Handler<T>): void {
    this.handlers[event]!.push(h);
  }
  hasSynced(): boolean {
    return this.synced;
  }
  get(name: string, namespace?: string): T | undefined {
    return this.objects.get(`${namespace ?? ''}/${name}`);
  }
  put(o: T): void {
    const key = `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
    const old = this.objects.get(key);
    this.objects.set(key, o);
    for (const h of this.handlers[old ? 'update' : 'add']!) h(o, old);
  }
  remove(o: T): void {
    const key = `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
    const old = this.objects.get(key) ?? o;
    this.objects.delete(key);
    for (const h of this.handlers.delete!) h(old);
  }
}

const log = createLogger({ level: 'error', format: 'json' });
const NOW = new Date('2025-03-01T10:00:00.000Z');
const V1 = '2025-03-01T09:00:00.000Z';
const V2 = '2025-03-01T09:30:00.000Z';

function setup() {
  const apps = new FakeInformer<KubernetesObject>();
  const pods = new FakeInformer<V1Pod>();
  const hub = new EventHub();
  const got: { event: MarathonEvent; scope: EventScope }[] = [];
  hub.subscribe({ send: (event, scope) => (got.push({ event, scope }), true) });
  const source = new MarathonEventSource({
    apps,
    pods,
    hub,
    now: () => NOW,
    renderApp: (o) => appJson(o),
    podsOf: (ns, name) =>
      [...pods.objects.values()].filter(
        (p) =>
          p.metadata?.namespace === ns && p.metadata?.annotations?.['dcos-operator.dev/marathonapp'] === name,
      ),
    log,
  }).start();
  const types = () => got.map((g) => g.event.eventType);
  const of = (type: string) => got.filter((g) => g.event.eventType === type).map((g) => g.event);
  return { apps, pods, hub, got, source, types, of };
}

interface AppOver {
  name?: string;
  uid?: string;
  generation?: number;
  observed?: number;
  version?: string;
  deploying?: string | undefined;
  ready?: boolean;
  annotations?: Record<string, string>;
  instances?: number;
}

function app(o: AppOver = {}): AppObject {
  const name = o.name ?? 'web';
  const uid = o.uid ?? `uid-${name}`;
  return {
    metadata: {
      name,
      namespace: 'shop',
      uid,
      generation: o.generation ?? 1,
      creationTimestamp: new Date(V1),
      ...(o.annotations ? { annotations: o.annotations } : {}),
    },
    spec: { id: `/shop/${name}`, cmd: 'sleep 1000', instances: o.instances ?? 2 },
    ...(o.observed !== undefined
      ? {
          status: {
            observedGeneration: o.observed,
            version: o.version ?? V1,
            versionInfo: { lastScalingAt: o.version ?? V1, lastConfigChangeAt: o.version ?? V1 },
            deployments: o.deploying ? [{ id: o.deploying, version: o.version ?? V1 }] : [],
            conditions: [
              {
                type: 'Ready',
                status: o.ready ? 'True' : 'False',
                reason: 'X',
                message: '',
                lastTransitionTime: V1,
              },
            ],
          },
        }
      : {}),
  };
}

function pod(name: string, appName: string, node?: string, phase = 'Pending'): V1Pod {
  return {
    metadata: {
      name,
      namespace: 'shop',
      uid: `pod-${name}`,
      creationTimestamp: new Date(V1),
      annotations: {
        'dcos-operator.dev/app-id': `/shop/${appName}`,
        'dcos-operator.dev/marathonapp': appName,
        'dcos-operator.dev/app-version': V1,
      },
    },
    spec: { containers: [{ name: 'main' }], ...(node ? { nodeName: node } : {}) },
    status: {
      phase,
      ...(phase === 'Running' ? { podIP: '10.0.0.9' } : {}),
      containerStatuses: [
        {
          name: 'main',
          ready: phase === 'Running',
          restartCount: 0,
          image: 'x',
          imageID: '',
          state: phase === 'Running' ? { running: {} } : { waiting: { reason: 'ContainerCreating' } },
        },
      ],
    },
  };
}

describe('MarathonEventSource', () => {
  it('publishes nothing for the initial list, but reports the end of deployments it showed', () => {
    const s = setup();
    s.apps.put(app({ observed: 1, deploying: 'dep-1' }));
    s.apps.put(app({ name: 'db', observed: 1, ready: true }));
    s.pods.put(pod('web-1', 'web', 'agent-1', 'Running'));
    assert.equal(s.got.length, 0);
    s.apps.synced = true;
    s.pods.synced = true;
    s.apps.put(app({ observed: 1, ready: true }));
    assert.deepEqual(s.types(), ['deployment_success']);
    assert.equal(s.of('deployment_success')[0]!.id, 'dep-1');
    assert.deepEqual(s.got[0]!.scope, { namespace: 'shop' });
  });

  it('follows a kubectl-created app: deployment_info, then deployment_success with the id the status shows', () => {
    const s = setup();
    s.apps.synced = true;
    s.pods.synced = true;
    const created = app();
    s.apps.put(created);
    assert.deepEqual(s.types(), ['api_post_event', 'group_change_success', 'deployment_info']);
    const pendingId = appDeployments(created)[0]!.id;
    assert.equal((s.of('deployment_info')[0]!.plan as { id: string }).id, pendingId);
    // the operator stamps the version: the status's deployment replaces the stand-in
    const id = appDeploymentId('uid-web', V1);
    s.apps.put(app({ observed: 1, deploying: id }));
    assert.deepEqual(s.types().slice(3), ['deployment_info']);
    const info = s.of('deployment_info')[1]!;
    assert.equal((info.plan as { id: string }).id, id);
    assert.deepEqual(info.currentStep, { actions: [{ action: 'ScaleApplication', app: '/shop/web' }] });
    // the API reports the same id
    assert.deepEqual(
      appDeployments(app({ observed: 1, deploying: id })).map((d) => d.id),
      [id],
    );
    s.apps.put(app({ observed: 1, ready: true }));
    assert.deepEqual(s.types().slice(4), ['deployment_success']);
    const success = s.of('deployment_success')[0]!;
    assert.equal(success.id, id);
    assert.equal((success.plan as { id: string }).id, id);
    assert.equal(s.source.openDeployments(), 0);
  });

  it('keeps the id a REST write answered with from the first event to the last', () => {
    const s = setup();
    s.apps.synced = true;
    const annotations = { [REQUESTED_VERSION_ANNOTATION]: V2 };
    const id = appDeploymentId('uid-web', V2);
    s.apps.put(app({ observed: 1, annotations }));
    s.apps.put(app({ observed: 1, version: V2, deploying: id, annotations }));
    s.apps.put(app({ observed: 1, version: V2, ready: true, annotations }));
    const ids = s.got
      .filter((g) => g.event.eventType.startsWith('deployment_'))
      .map((g) => `${g.event.eventType}:${(g.event.plan as { id: string }).id}`);
    assert.deepEqual(ids, [`deployment_info:${id}`, `deployment_success:${id}`]);
  });

  it('fails a deployment that a newer change replaced, once that change is observed', () => {
    const s = setup();
    s.apps.synced = true;
    s.apps.put(app({ observed: 1, deploying: 'dep-1' }));
    s.got.length = 0;
    // kubectl edit: generation 2, not observed yet
    s.apps.put(app({ generation: 2, observed: 1, deploying: 'dep-1', instances: 3 }));
    assert.deepEqual(s.types(), ['api_post_event', 'group_change_success', 'deployment_info']);
    s.apps.put(app({ generation: 2, observed: 2, version: V2, deploying: 'dep-2', instances: 3 }));
    assert.deepEqual(s.types().slice(3), ['deployment_failed', 'deployment_info']);
    const failed = s.of('deployment_failed')[0]!;
    assert.equal(failed.id, 'dep-1');
    assert.equal(failed.reason, 'superseded by deployment dep-2');
  });

  it('announces and ends a deployment shared by several apps once', () => {
    const s = setup();
    s.apps.synced = true;
    const annotations = { [REQUESTED_VERSION_ANNOTATION]: V2, [REQUESTED_DEPLOYMENT_ANNOTATION]: 'bulk-1' };
    s.apps.put(app({ name: 'a', observed: 1, ready: true }));
    s.apps.put(app({ name: 'b', observed: 1, ready: true }));
    s.got.length = 0;
    s.apps.put(app({ name: 'a', generation: 2, observed: 1, ready: true, annotations, instances: 3 }));
    s.apps.put(app({ name: 'b', generation: 2, observed: 1, ready: true, annotations, instances: 3 }));
    assert.equal(s.of('deployment_info').length, 1);
    s.apps.put(
      app({ name: 'a', generation: 2, observed: 2, version: V2, ready: true, annotations, instances: 3 }),
    );
    assert.equal(s.of('deployment_success').length, 0, 'b still deploys it');
    s.apps.put(
      app({ name: 'b', generation: 2, observed: 2, version: V2, ready: true, annotations, instances: 3 }),
    );
    assert.deepEqual(
      s.of('deployment_success').map((e) => e.id),
      ['bulk-1'],
    );
  });

  it('reports a removal: the open deployment fails, the stop succeeds once the pods are gone', () => {
    const s = setup();
    s.apps.synced = true;
    s.pods.synced = true;
    const running = app({ observed: 1, deploying: 'dep-1' });
    s.apps.put(running);
    const p = pod('web-1', 'web', 'agent-1', 'Running');
    s.pods.put(p);
    s.got.length = 0;
    s.apps.remove(running);
    assert.deepEqual(s.types(), [
      'deployment_failed',
      'deployment_info',
      'app_terminated_event',
      'group_change_success',
    ]);
    const stop = s.of('deployment_info')[0]!;
    assert.equal((stop.plan as { id: string }).id, deletionDeploymentId('uid-web'));
    assert.deepEqual(stop.currentStep, { actions: [{ action: 'StopApplication', app: '/shop/web' }] });
    s.pods.remove(p);
    assert.deepEqual(s.types().slice(4), [
      'status_update_event',
      'instance_changed_event',
      'deployment_success',
    ]);
    assert.equal(s.of('deployment_success')[0]!.id, deletionDeploymentId('uid-web'));
  });

  it('keeps its books while nobody listens, so a later subscriber hears the end', () => {
    const s = setup();
    s.apps.synced = true;
    s.pods.synced = true;
    let rendered = 0;
    // the shared source above listens; this one has no subscriber and must not render anything
    const hub = new EventHub();
    const lonely = new MarathonEventSource({
      apps: s.apps,
      pods: s.pods,
      hub,
      now: () => NOW,
      renderApp: () => ({ id: String(rendered++) }),
      podsOf: () => [],
      log,
    }).start();
    s.apps.put(app({ observed: 1, deploying: 'dep-1' }));
    s.pods.put(pod('web-1', 'web', 'agent-1', 'Running'));
    assert.equal(rendered, 0, 'no app rendered for nobody');
    assert.equal(lonely.openDeployments(), 1);
    const late: MarathonEvent[] = [];
    hub.subscribe({ send: (e) => (late.push(e), true) });
    s.apps.put(app({ observed: 1, ready: true }));
    assert.deepEqual(
      late.map((e) => `${e.eventType}:${String(e.id)}`),
      ['deployment_success:dep-1'],
    );
  });

  it('derives task events from pods only once the pod cache has synced', () => {
    const s = setup();
    s.apps.synced = true;
    s.apps.put(app({ observed: 1, ready: true }));
    s.got.length = 0;
    s.pods.put(pod('web-1', 'web', 'agent-1', 'Running'));
    assert.deepEqual(s.got, []);
    s.pods.synced = true;
    s.pods.put(pod('web-2', 'web'));
    s.pods.put(pod('web-2', 'web', 'agent-2'));
    s.pods.put(pod('web-2', 'web', 'agent-2', 'Running'));
    assert.deepEqual(
      s.of('status_update_event').map((e) => e.taskStatus),
      ['TASK_STAGING', 'TASK_RUNNING'],
    );
    const running = s.of('status_update_event')[1]!;
    assert.equal(running.appId, '/shop/web');
    assert.equal(running.taskId, 'shop_web.instance-pod-web-2._app.1');
    assert.deepEqual(running.ports, []);
  });
});
