import assert from 'node:assert/strict';
import type { KubernetesObject } from '@kubernetes/client-node';
import { ApiError } from '../api-error.ts';
import type { ResourceAttributes } from '../auth.ts';
import type { ApiRequest } from '../request.ts';
import {
  appDeploymentId,
  REQUESTED_DEPLOYMENT_ANNOTATION,
  REQUESTED_VERSION_ANNOTATION,
} from '../../marathon/deployments.ts';
import type { AppObject } from '../../marathon/deployments.ts';
import { APP_ID_ANNOTATION } from '../../marathon/names.ts';
import { silentLogger } from '../../runtime/logger.ts';
import { AppIndex } from './app-index.ts';
import type { Spec } from './app-update.ts';
import { mergeUpdate } from './app-update.ts';
import { writeApps } from './app-writer.ts';
import type { MarathonApiContext } from './context.ts';
import { EventHub } from './event-hub.ts';
import type { MarathonEvent } from './event-hub.ts';

type Handler = (o: KubernetesObject) => void;

/** The informer cache: what the API server has written, shown `lagMs` later. */
class FakeCache {
  readonly objects = new Map<string, AppObject>();
  private readonly handlers: Record<string, Handler[]> = { add: [], update: [], delete: [] };
  lagMs = 0;
  on(event: string, h: Handler): void {
    this.handlers[event]!.push(h);
  }
  get(name: string, namespace?: string): AppObject | undefined {
    const o = this.objects.get(`${namespace}/${name}`);
    return o && structuredClone(o);
  }
  list(): AppObject[] {
    return [...this.objects.values()].map((o) => structuredClone(o));
  }
  show(o: AppObject, gone = false): void {
    const apply = () => {
      const key = `${o.metadata?.namespace}/${o.metadata?.name}`;
      const had = this.objects.has(key);
      if (gone) this.objects.delete(key);
      else this.objects.set(key, structuredClone(o));
      for (const h of this.handlers[gone ? 'delete' : had ? 'update' : 'add']!) h(o);
    };
    if (this.lagMs) setTimeout(apply, this.lagMs);
    else apply();
  }
}

/** A minimal API server for MarathonApps: create, get, update with resourceVersion checks, delete. */
class FakeServer {
  readonly stored = new Map<string, AppObject>();
  readonly calls: { method: string; path: string; body?: unknown }[] = [];
  private rv = 100;
  private uids = 0;
  private readonly cache: FakeCache;
  constructor(cache: FakeCache) {
    this.cache = cache;
  }

  /** A change made behind the API's back (kubectl), seen by the cache later. */
  external(key: string, change: (o: AppObject) => void, showInCache = true): void {
    const o = this.stored.get(key)!;
    change(o);
    o.metadata!.resourceVersion = String(++this.rv);
    if (showInCache) this.cache.show(o);
  }

  seed(o: AppObject): AppObject {
    const obj = structuredClone(o);
    obj.metadata = {
      ...obj.metadata,
      uid: `uid-${++this.uids}`,
      resourceVersion: String(++this.rv),
      generation: 1,
    };
    this.stored.set(`${obj.metadata.namespace}/${obj.metadata.name}`, obj);
    this.cache.show(obj);
    return obj;
  }

  json = <T>(method: string, path: string, opts: { body?: unknown } = {}): Promise<T> => {
    this.calls.push({ method, path, ...(opts.body !== undefined ? { body: opts.body } : {}) });
    const m = /namespaces\/([^/]+)\/marathonapps(?:\/([^/]+))?$/.exec(path);
    if (!m) return Promise.reject(Object.assign(new Error(`unexpected ${path}`), { code: 404 }));
    const key = `${m[1]}/${m[2] ?? (opts.body as AppObject).metadata?.name}`;
    const current = this.stored.get(key);
    const fail = (code: number) => Promise.reject(Object.assign(new Error(`HTTP ${code}`), { code }));
    switch (method) {
      case 'POST': {
        if (current) return fail(409);
        return Promise.resolve(this.seed(opts.body as AppObject) as T);
      }
      case 'GET':
        return current ? Promise.resolve(structuredClone(current) as T) : fail(404);
      case 'PUT': {
        const body = structuredClone(opts.body as AppObject);
        if (!current) return fail(404);
        if (body.metadata?.resourceVersion !== current.metadata?.resourceVersion) return fail(409);
        const specChanged = JSON.stringify(body.spec) !== JSON.stringify(current.spec);
        const next = {
          ...body,
          status: current.status,
          metadata: {
            ...body.metadata,
            resourceVersion: String(++this.rv),
            generation: (current.metadata?.generation ?? 1) + (specChanged ? 1 : 0),
          },
        };
        this.stored.set(key, next);
        this.cache.show(next);
        return Promise.resolve(structuredClone(next) as T);
      }
      case 'DELETE':
        if (!current) return fail(404);
        this.stored.delete(key);
        this.cache.show(current, true);
        return Promise.resolve({} as T);
      default:
        return fail(405);
    }
  };
}

function setup() {
  const cache = new FakeCache();
  const server = new FakeServer(cache);
  const index = new AppIndex(cache);
  const events = new EventHub();
  const published: MarathonEvent[] = [];
  events.subscribe({ send: (e) => (published.push(e), true) });
  let clock = Date.parse('2026-04-01T08:00:00.000Z');
  const ctx = {
    apps: cache,
    index,
    podsByApp: { get: () => [] },
    json: server.json,
    events,
    settings: {
      apiNamespace: 'marathon',
      defaultImage: 'img',
      maxVersions: 10,
      identity: 'me',
      advertisedAddress: '',
    },
    leader: () => 'me',
    now: () => new Date((clock += 1000)),
    log: silentLogger(),
  } as unknown as MarathonApiContext;
  const authorized: ResourceAttributes[] = [];
  const req = {
    path: '/v2/apps',
    raw: { socket: { remoteAddress: '10.1.2.3' } },
    authorize: (attrs: ResourceAttributes) => {
      authorized.push(attrs);
      return Promise.resolve();
    },
  } as unknown as ApiRequest;
  return { cache, server, ctx, req, published, authorized };
}

const app = (ns: string, name: string, spec: Spec, status?: AppObject['status']): AppObject => ({
  apiVersion: 'dcos-operator.dev/v1alpha1',
  kind: 'MarathonApp',
  metadata: { name, namespace: ns },
  spec,
  ...(status ? { status } : {}),
});

async function rejects(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('no error');
}

describe('Marathon app writer', () => {
  it('creates a MarathonApp in the API namespace, stamped, and announces it', async () => {
    const { server, ctx, req, published, authorized } = setup();
    const r = await writeApps(
      ctx,
      req,
      [{ id: '/shop/web', mode: 'create', spec: () => ({ id: '/shop/web', cmd: 'x' }) }],
      {
        force: false,
      },
    );
    const created = server.stored.get('marathon/shop-web')!;
    assert.deepEqual(created.spec, { id: '/shop/web', cmd: 'x' });
    assert.equal(created.metadata?.annotations?.[REQUESTED_VERSION_ANNOTATION], r.version);
    assert.equal(created.metadata?.annotations?.[APP_ID_ANNOTATION], '/shop/web');
    assert.equal(r.deploymentId, appDeploymentId(created.metadata.uid!, r.version));
    assert.equal(r.apps[0]?.created, true);
    assert.deepEqual(authorized, [
      { verb: 'create', namespace: 'marathon', group: 'dcos-operator.dev', resource: 'marathonapps' },
    ]);
    assert.equal(published.length, 1);
    const event = published[0]!;
    assert.equal(event.eventType, 'api_post_event');
    assert.equal(event.clientIp, '10.1.2.3');
    assert.equal(event.uri, '/v2/apps');
    assert.equal((event.appDefinition as { id: string }).id, '/shop/web');
    assert.equal((event.appDefinition as { version: string }).version, r.version);
  });

  it('validates every app before writing any', async () => {
    const { server, ctx, req } = setup();
    const err = await rejects(
      writeApps(
        ctx,
        req,
        [
          { id: '/a', mode: 'upsert', spec: () => ({ cmd: 'x' }), path: '/0' },
          { id: '/b', mode: 'upsert', spec: () => ({ cmd: 'x', mem: -1 }), path: '/1' },
        ],
        { force: false },
      ),
    );
    assert.equal(err.status, 422);
    assert.deepEqual(
      (err.body as { details: { path: string }[] }).details.map((d) => d.path),
      ['/1/mem'],
    );
    assert.deepEqual(server.calls, []);
  });

  it('refuses a change to an app under deployment unless forced', async () => {
    const { server, ctx, req } = setup();
    server.seed(app('team', 'web', { id: '/web', cmd: 'x' })); // never observed: its creation is pending
    const err = await rejects(
      writeApps(ctx, req, [{ id: '/web', mode: 'update', spec: (c) => ({ ...c, instances: 2 }) }], {
        force: false,
      }),
    );
    assert.equal(err.status, 409);
    assert.equal(server.calls.length, 0);
    const r = await writeApps(
      ctx,
      req,
      [{ id: '/web', mode: 'update', spec: (c) => ({ ...c!, instances: 2 }) }],
      {
        force: true,
      },
    );
    // Updated in place, in the namespace it lives in.
    assert.equal((server.stored.get('team/web')?.spec as Spec).instances, 2);
    assert.equal(r.apps[0]?.created, false);
  });

  it('redoes a write that conflicts with a concurrent change, on the fresh copy', async () => {
    const { server, ctx, req } = setup();
    const settled = { observedGeneration: 1, version: '2026-01-01T00:00:00.000Z', deployments: [] };
    server.seed(app('team', 'web', { id: '/web', cmd: 'x', labels: { a: '1' } }, settled));
    // kubectl changes the app; the cache has not seen it yet.
    server.external('team/web', (o) => ((o.spec as Spec).env = { FROM: 'kubectl' }), false);
    await writeApps(
      ctx,
      req,
      [{ id: '/web', mode: 'update', spec: (c) => mergeUpdate(c!, { instances: 3 }) }],
      {
        force: false,
      },
    );
    const stored = server.stored.get('team/web')!;
    assert.deepEqual(stored.spec, {
      id: '/web',
      cmd: 'x',
      labels: { a: '1' },
      env: { FROM: 'kubectl' },
      instances: 3,
    });
    assert.deepEqual(
      server.calls.map((c) => c.method),
      ['PUT', 'GET', 'PUT'],
    );
  });

  it('gives several apps one version and one deployment id', async () => {
    const { server, ctx, req } = setup();
    const r = await writeApps(
      ctx,
      req,
      [
        { id: '/g/a', mode: 'upsert', spec: () => ({ cmd: 'x' }) },
        { id: '/g/b', mode: 'upsert', spec: () => ({ cmd: 'y' }) },
      ],
      { force: false },
    );
    for (const name of ['g-a', 'g-b']) {
      const a = server.stored.get(`marathon/${name}`)!.metadata!.annotations!;
      assert.equal(a[REQUESTED_VERSION_ANNOTATION], r.version);
      assert.equal(a[REQUESTED_DEPLOYMENT_ANNOTATION], r.deploymentId);
    }
  });

  it('answers only once the cache shows the write, and deletes', async () => {
    const { cache, server, ctx, req } = setup();
    cache.lagMs = 80;
    const r = await writeApps(
      ctx,
      req,
      [{ id: '/slow', mode: 'create', spec: () => ({ id: '/slow', cmd: 'x' }) }],
      {
        force: false,
      },
    );
    const cached = cache.get('slow', 'marathon');
    assert.equal(cached?.metadata?.annotations?.[REQUESTED_VERSION_ANNOTATION], r.version);
    // Its creation is still deploying: deleting it takes force (DELETE /v2/apps/{id}'s default).
    const locked = await rejects(writeApps(ctx, req, [{ id: '/slow', mode: 'delete' }], { force: false }));
    assert.equal(locked.status, 409);
    const del = await writeApps(ctx, req, [{ id: '/slow', mode: 'delete' }], { force: true });
    assert.equal(cache.get('slow', 'marathon'), undefined);
    assert.ok(del.version > r.version);
    assert.equal(server.stored.size, 0);
    const missing = await rejects(writeApps(ctx, req, [{ id: '/slow', mode: 'delete' }], { force: true }));
    assert.equal(missing.status, 404);
  });
});
