import assert from 'node:assert/strict';
import type { KubernetesObject, V1Node, V1Pod } from '@kubernetes/client-node';
import { APP_SELECTOR_LABEL } from '../../marathon/names.ts';
import { CacheIndex } from '../../runtime/cache-index.ts';
import type { JsonRequester } from '../../runtime/kube-client.ts';
import { silentLogger } from '../../runtime/logger.ts';
import type { Authenticator, Authorizer, ResourceAttributes } from '../auth.ts';
import { ANONYMOUS } from '../auth.ts';
import { Router } from '../router.ts';
import { startHttpServer } from '../server.ts';
import type { HttpServer } from '../server.ts';
import { AppIndex } from './app-index.ts';
import type { MarathonApiContext } from './context.ts';
import { EventHub } from './event-hub.ts';
import { registerEventRoutes } from './events.ts';
import { registerSystemRoutes } from './system.ts';

type Handler<T> = (o: T, old?: T) => void;

class FakeInformer<T extends KubernetesObject> {
  readonly objects = new Map<string, T>();
  private readonly handlers: Record<string, Handler<T>[]> = { add: [], update: [], delete: [] };
  synced = true;
  on(event: 'add' | 'update' | 'delete', h: Handler<T>): void {
    this.handlers[event]!.push(h);
  }
  hasSynced(): boolean {
    return this.synced;
  }
  get(name: string, namespace?: string): T | undefined {
    const o = this.objects.get(`${namespace ?? ''}/${name}`);
    return o && (JSON.parse(JSON.stringify(o)) as T);
  }
  list(): T[] {
    return [...this.objects.values()].map((o) => JSON.parse(JSON.stringify(o)) as T);
  }
  keys(): string[] {
    return [...this.objects.keys()];
  }
  put(o: T): void {
    const key = `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
    const old = this.objects.get(key);
    this.objects.set(key, o);
    for (const h of this.handlers[old ? 'update' : 'add']!) h(o, old);
  }
}

const V1 = '2025-03-01T09:00:00.000Z';

function marathonApp(namespace: string, name: string, deploying?: string): KubernetesObject {
  return {
    metadata: { namespace, name, uid: `uid-${name}`, generation: 1, creationTimestamp: new Date(V1) },
    spec: { id: `/${namespace}/${name}`, cmd: 'sleep 1000', instances: 2, cpus: 64 },
    status: {
      observedGeneration: 1,
      version: V1,
      versionInfo: { lastScalingAt: V1, lastConfigChangeAt: V1 },
      deployments: deploying ? [{ id: deploying, version: V1 }] : [],
    },
  } as KubernetesObject;
}

function pod(namespace: string, app: string, name: string, node?: string): V1Pod {
  return {
    metadata: {
      namespace,
      name,
      uid: `uid-${name}`,
      creationTimestamp: new Date(V1),
      labels: { [APP_SELECTOR_LABEL]: app },
      annotations: {
        'dcos-operator.dev/marathonapp': app,
        'dcos-operator.dev/app-id': `/${namespace}/${app}`,
        'dcos-operator.dev/app-version': V1,
      },
    },
    spec: { containers: [{ name: 'main' }], ...(node ? { nodeName: node } : {}) },
    status: {
      phase: node ? 'Running' : 'Pending',
      ...(node
        ? {
            containerStatuses: [
              { name: 'main', ready: true, restartCount: 0, image: 'x', imageID: '', state: { running: {} } },
            ],
          }
        : {
            conditions: [
              {
                type: 'PodScheduled',
                status: 'False',
                reason: 'Unschedulable',
                message: '0/2 nodes are available: 2 Insufficient cpu.',
                lastTransitionTime: new Date(V1),
              },
            ],
          }),
    },
  };
}

interface World {
  server: HttpServer;
  base: string;
  apps: FakeInformer<KubernetesObject>;
  pods: FakeInformer<V1Pod>;
  hub: EventHub;
  abdicated: () => number;
  leader: { id: string | undefined };
}

/** The API with only the system and event routes, over HTTP; `allow` decides every authorization. */
async function world(allow: (a: ResourceAttributes) => boolean = () => true): Promise<World> {
  const apps = new FakeInformer<KubernetesObject>();
  const pods = new FakeInformer<V1Pod>();
  const nodes = new FakeInformer<V1Node>();
  nodes.put({ metadata: { name: 'agent-1' } });
  nodes.put({ metadata: { name: 'agent-2' } });
  const hub = new EventHub();
  let abdications = 0;
  const leader = { id: 'me_1' as string | undefined };
  const ctx: MarathonApiContext & { abdicate(): void } = {
    apps: apps as unknown as MarathonApiContext['apps'],
    index: new AppIndex(apps),
    pods: pods as unknown as MarathonApiContext['pods'],
    podsByApp: new CacheIndex<V1Pod>(pods, (p) => {
      const app = p.metadata?.labels?.[APP_SELECTOR_LABEL];
      return app ? `${p.metadata?.namespace}/${app}` : undefined;
    }),
    deployments: undefined as unknown as MarathonApiContext['deployments'],
    statefulSets: undefined as unknown as MarathonApiContext['statefulSets'],
    nodes: nodes as unknown as MarathonApiContext['nodes'],
    json: undefined as unknown as JsonRequester,
    events: hub,
    settings: {
      apiNamespace: 'marathon',
      defaultImage: 'ubuntu',
      maxVersions: 20,
      identity: 'me_1',
      advertisedAddress: '127.0.0.1:0',
    },
    leader: () => leader.id,
    now: () => new Date('2025-03-01T10:00:00.000Z'),
    log: silentLogger(),
    abdicate: () => abdications++,
  };
  const router = new Router();
  registerSystemRoutes(router, ctx);
  registerEventRoutes(router, ctx, { limits: { keepAliveMs: 0 } });
  const auth: Authenticator & Authorizer = {
    authenticate: () => Promise.resolve(ANONYMOUS),
    allowed: (_c, a) => Promise.resolve(allow(a)),
  };
  const server = await startHttpServer('127.0.0.1:0', {
    api: { router, authenticator: auth, authorizer: auth },
    log: silentLogger(),
  });
  return {
    server,
    base: `http://127.0.0.1:${server.port}`,
    apps,
    pods,
    hub,
    abdicated: () => abdications,
    leader,
  };
}

/** Reads SSE frames from a streaming fetch until `until` says enough. */
async function readEvents(
  res: Response,
  until: (events: { type: string; data: Record<string, unknown> }[]) => boolean,
): Promise<{ type: string; data: Record<string, unknown> }[]> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  const out: { type: string; data: Record<string, unknown> }[] = [];
  while (!until(out)) {
    const chunk = (await reader.read()) as { done: boolean; value?: Uint8Array };
    if (chunk.done) break;
    buf += decoder.decode(chunk.value, { stream: true });
    let i;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const frame = buf.slice(0, i);
      buf = buf.slice(i + 2);
      const type = /^event: (.*)$/m.exec(frame)?.[1];
      const data = /^data: (.*)$/m.exec(frame)?.[1];
      if (type && data) out.push({ type, data: JSON.parse(data) as Record<string, unknown> });
    }
  }
  await reader.cancel();
  return out;
}

describe('Marathon system and event routes', () => {
  let w: World;
  afterEach(async () => {
    await w.server.close();
  });

  it('answers /ping in text, or as a JSON string to JSON-only clients, without a token', async () => {
    w = await world(() => false);
    const text = await fetch(`${w.base}/ping`);
    assert.equal(text.status, 200);
    assert.match(text.headers.get('content-type') ?? '', /^text\/plain/);
    assert.equal(await text.text(), 'pong');
    const json = await fetch(`${w.base}/marathon/ping`, { headers: { accept: 'application/json' } });
    assert.equal(await json.text(), '"pong"');
  });

  it('serves /v2/info and /v2/leader, 404 without a leader, 403 to a caller who may list no apps', async () => {
    w = await world();
    const info = (await (await fetch(`${w.base}/v2/info`)).json()) as Record<string, unknown>;
    assert.equal(info.name, 'marathon');
    assert.equal(info.elected, true);
    const port = new URL(w.base).port;
    assert.deepEqual(await (await fetch(`${w.base}/v2/leader`)).json(), { leader: `127.0.0.1:${port}` });
    w.leader.id = undefined;
    const none = await fetch(`${w.base}/v2/leader`);
    assert.equal(none.status, 404);
    assert.deepEqual(await none.json(), { message: 'There is no leader' });
    await w.server.close();

    w = await world((a) => a.namespace === 'marathon');
    assert.equal((await fetch(`${w.base}/v2/info`)).status, 200, 'listing in one namespace is enough');
    await w.server.close();
    w = await world(() => false);
    const denied = await fetch(`${w.base}/v2/info`);
    assert.equal(denied.status, 403);
    assert.match(((await denied.json()) as { message: string }).message, /may not list marathonapps/);
  });

  it('abdicates only for callers that may delete Leases, and only on the leader', async () => {
    w = await world((a) => a.resource !== 'leases');
    assert.equal((await fetch(`${w.base}/v2/leader`, { method: 'DELETE' })).status, 403);
    await w.server.close();
    w = await world();
    w.leader.id = 'other_2';
    const follower = await fetch(`${w.base}/v2/leader`, { method: 'DELETE' });
    assert.equal(follower.status, 503);
    assert.match(((await follower.json()) as { message: string }).message, /other:/);
    w.leader.id = 'me_1';
    const r = await fetch(`${w.base}/v2/leader`, { method: 'DELETE' });
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), { message: 'Leadership abdicated' });
    await new Promise((res) => setTimeout(res, 20));
    assert.equal(w.abdicated(), 1, 'the stop comes after the answer');
  });

  it('serves Marathon JSON metrics with the operator figures', async () => {
    w = await world();
    w.apps.put(marathonApp('prod', 'web', 'dep-1'));
    w.pods.put(pod('prod', 'web', 'web-1', 'agent-1'));
    w.pods.put(pod('prod', 'web', 'web-2'));
    const m = (await (
      await fetch(`${w.base}/metrics`, { headers: { accept: 'application/json' } })
    ).json()) as {
      gauges: Record<string, { value: number }>;
    };
    assert.equal(m.gauges['marathon.apps.active.gauge']!.value, 1);
    assert.equal(m.gauges['marathon.instances.running.gauge']!.value, 1);
    assert.equal(m.gauges['marathon.instances.launch-overdue.gauge']!.value, 1);
    assert.equal(m.gauges['marathon.deployments.active.gauge']!.value, 1);
    assert.equal(m.gauges['marathon.groups.active.gauge']!.value, 2);
  });

  it('lists apps waiting for nodes in /v2/queue, only from namespaces the caller may list', async () => {
    w = await world((a) => a.namespace !== undefined && a.namespace !== 'secret');
    w.apps.put(marathonApp('prod', 'web'));
    w.apps.put(marathonApp('secret', 'db'));
    w.pods.put(pod('prod', 'web', 'web-1', 'agent-1'));
    w.pods.put(pod('prod', 'web', 'web-2'));
    w.pods.put(pod('secret', 'db', 'db-1'));
    const q = (await (await fetch(`${w.base}/v2/queue`)).json()) as {
      queue: {
        app: { id: string };
        count: number;
        processedOffersSummary: { rejectSummaryLastOffers: { reason: string; declined: number }[] };
      }[];
    };
    assert.deepEqual(
      q.queue.map((i) => [i.app.id, i.count]),
      [['/prod/web', 1]],
    );
    const cpus = q.queue[0]!.processedOffersSummary.rejectSummaryLastOffers.find(
      (r) => r.reason === 'InsufficientCpus',
    );
    assert.equal(cpus!.declined, 2);
    assert.equal((await fetch(`${w.base}/v2/queue/prod/web/delay`, { method: 'DELETE' })).status, 204);
    const missing = await fetch(`${w.base}/v2/queue/prod/nope/delay`, { method: 'DELETE' });
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), { message: 'Application /prod/nope not found in tasks queue.' });
  });

  it('streams events: 405 without Accept: text/event-stream, attach frame, filter, light plans', async () => {
    w = await world();
    assert.equal((await fetch(`${w.base}/v2/events`)).status, 405);
    const res = await fetch(
      `${w.base}/v2/events?event_type=event_stream_attached&event_type=deployment_info&plan-format=light`,
      {
        headers: { accept: 'text/event-stream' },
      },
    );
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    const reading = readEvents(res, (es) => es.length >= 2);
    while (w.hub.size === 0) await new Promise((r) => setTimeout(r, 5));
    w.apps.put(marathonApp('prod', 'web', 'dep-9'));
    const events = await reading;
    assert.deepEqual(
      events.map((e) => e.type),
      ['event_stream_attached', 'deployment_info'],
    );
    assert.equal(events[0]!.data.remoteAddress, '127.0.0.1');
    const plan = events[1]!.data.plan as Record<string, unknown>;
    assert.equal(plan.id, 'dep-9');
    assert.equal(plan.original, undefined);
    assert.equal(plan.target, undefined);
    for (let i = 0; i < 50 && w.hub.size > 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(w.hub.size, 0, 'the subscriber is gone with its client');
  });

  it('refuses the stream to callers who may list no apps', async () => {
    w = await world(() => false);
    const r = await fetch(`${w.base}/v2/events`, { headers: { accept: 'text/event-stream' } });
    assert.equal(r.status, 403);
  });
});
