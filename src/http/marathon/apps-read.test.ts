import assert from 'node:assert/strict';
import type { KubernetesObject, V1Node, V1Pod } from '@kubernetes/client-node';
import { APP_SELECTOR_LABEL, APP_VERSION_ANNOTATION } from '../../marathon/names.ts';
import { HISTORY_KEY } from '../../marathon/versions.ts';
import type { JsonRequester } from '../../runtime/kube-client.ts';
import { silentLogger } from '../../runtime/logger.ts';
import type { Authorizer, ResourceAttributes } from '../auth.ts';
import { NoAuth } from '../auth.ts';
import { Router } from '../router.ts';
import { startHttpServer } from '../server.ts';
import type { HttpServer } from '../server.ts';
import { AppIndex } from './app-index.ts';
import { registerAppReadRoutes } from './apps-read.ts';
import type { MarathonApiContext } from './context.ts';

type Handler<T> = (o: T) => void;

class FakeInformer<T extends KubernetesObject> {
  readonly objects = new Map<string, T>();
  private readonly handlers: Record<string, Handler<T>[]> = { add: [], update: [], delete: [] };
  on(event: 'add' | 'update' | 'delete', h: Handler<T>): void {
    this.handlers[event]!.push(h);
  }
  get(name: string, namespace?: string): T | undefined {
    const o = this.objects.get(`${namespace ?? ''}/${name}`);
    return o && (JSON.parse(JSON.stringify(o)) as T);
  }
  list(): T[] {
    return [...this.objects.values()];
  }
  put(o: T): void {
    const key = `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
    const event = this.objects.has(key) ? 'update' : 'add';
    this.objects.set(key, o);
    for (const h of this.handlers[event]!) h(o);
  }
}

const V1 = '2024-05-01T09:00:00.000Z';
const V0 = '2024-04-01T09:00:00.000Z';

function marathonApp(
  namespace: string,
  name: string,
  spec: Record<string, unknown>,
  rv = '1',
): KubernetesObject {
  return {
    metadata: {
      namespace,
      name,
      uid: `uid-${namespace}-${name}`,
      resourceVersion: rv,
      generation: 1,
      creationTimestamp: '2024-05-01T08:00:00Z' as unknown as Date,
    },
    spec,
    status: {
      observedGeneration: 1,
      version: V1,
      versionInfo: { lastScalingAt: V1, lastConfigChangeAt: V1 },
    },
  } as KubernetesObject;
}

function pod(
  namespace: string,
  app: string,
  name: string,
  phase: 'Running' | 'Pending',
  node = 'agent-1',
): V1Pod {
  return {
    metadata: {
      namespace,
      name,
      uid: `uid-${name}`,
      resourceVersion: '1',
      labels: { [APP_SELECTOR_LABEL]: app },
      annotations: { [APP_VERSION_ANNOTATION]: V1 },
      creationTimestamp: '2024-05-01T10:00:00Z' as unknown as Date,
    },
    spec: { containers: [{ name: 'main' }], nodeName: node },
    status: {
      phase,
      podIP: '10.0.0.9',
      conditions: [{ type: 'Ready', status: phase === 'Running' ? 'True' : 'False' }],
      containerStatuses: [
        {
          name: 'main',
          ready: phase === 'Running',
          restartCount: 0,
          image: 'x',
          imageID: '',
          state:
            phase === 'Running'
              ? { running: { startedAt: '2024-05-01T10:00:02Z' as unknown as Date } }
              : { waiting: {} },
        },
      ],
    },
  };
}

interface Fixture {
  server: HttpServer;
  apps: FakeInformer<KubernetesObject>;
  pods: FakeInformer<V1Pod>;
  get(
    path: string,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: unknown; text: string; type: string }>;
  configMapReads: string[];
}

async function start(authorizer: Authorizer = new NoAuth()): Promise<Fixture> {
  const apps = new FakeInformer<KubernetesObject>();
  const pods = new FakeInformer<V1Pod>();
  const nodes = new FakeInformer<V1Node>();
  nodes.put({ metadata: { name: 'agent-1', labels: { 'topology.kubernetes.io/zone': 'eastus-1' } } });
  const configMapReads: string[] = [];
  const json: JsonRequester = <T>(method: string, path: string): Promise<T> => {
    configMapReads.push(`${method} ${path}`);
    if (path === '/api/v1/namespaces/prod/configmaps/web-versions')
      return Promise.resolve({
        data: {
          [HISTORY_KEY]: JSON.stringify([
            { version: V0, app: { id: '/prod/web', cmd: 'sleep old', instances: 1 } },
          ]),
        },
      } as T);
    return Promise.reject(Object.assign(new Error('not found'), { code: 404 }));
  };
  const ctx = {
    apps,
    index: new AppIndex(apps),
    pods,
    podsByApp: {
      get: (key: string) =>
        pods
          .list()
          .filter((p) => `${p.metadata?.namespace}/${p.metadata?.labels?.[APP_SELECTOR_LABEL]}` === key),
    },
    nodes,
    json,
    now: () => new Date('2024-05-01T10:00:12Z'),
    log: silentLogger(),
  } as unknown as MarathonApiContext;
  const router = new Router();
  registerAppReadRoutes(router, ctx);
  const server = await startHttpServer('127.0.0.1:0', {
    api: { router, authenticator: new NoAuth(), authorizer },
    log: silentLogger(),
  });
  return {
    server,
    apps,
    pods,
    configMapReads,
    async get(path, headers = {}) {
      const r = await fetch(`http://127.0.0.1:${server.port}${path}`, { headers });
      const text = await r.text();
      const type = r.headers.get('content-type') ?? '';
      return {
        status: r.status,
        text,
        type,
        body: type.startsWith('application/json') ? JSON.parse(text) : text,
      };
    },
  };
}

function seed(f: Fixture): void {
  f.apps.put(
    marathonApp('prod', 'web', {
      id: '/prod/web',
      cmd: 'python -m http.server $PORT0',
      instances: 2,
      labels: { HAPROXY_GROUP: 'external', tier: 'web' },
    }),
  );
  f.apps.put(marathonApp('prod', 'db', { id: '/prod/db', cmd: 'postgres', labels: { tier: 'db' } }));
  f.apps.put(marathonApp('dev', 'tool', { cmd: 'sleep 100' })); // id derived: /dev/tool
  f.pods.put(pod('prod', 'web', 'web-1', 'Running'));
  f.pods.put(pod('prod', 'web', 'web-2', 'Pending'));
}

type Apps = { apps: Record<string, unknown>[] };
const ids = (b: unknown) => (b as Apps).apps.map((a) => a.id);

describe('Marathon API app reads (routes)', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await start();
    seed(f);
  });
  afterEach(() => f.server.close());

  it('lists every app with counts and deployments, sorted by id, under the Admin Router prefixes too', async () => {
    for (const path of ['/v2/apps', '/marathon/v2/apps/', '/service/marathon/v2/apps']) {
      const r = await f.get(path);
      assert.equal(r.status, 200);
      assert.match(r.type, /^application\/json/);
      assert.deepEqual(ids(r.body), ['/dev/tool', '/prod/db', '/prod/web']);
    }
    const web = ((await f.get('/v2/apps')).body as Apps).apps[2]!;
    assert.equal(web.tasksRunning, 1);
    assert.equal(web.tasksStaged, 1);
    assert.deepEqual(web.deployments, []);
    assert.ok(!('tasks' in web));
    const embedded = ((await f.get('/v2/apps?embed=apps.tasks&embed=apps.lastTaskFailure')).body as Apps)
      .apps[2]!;
    assert.equal((embedded.tasks as unknown[]).length, 2);
  });

  it('filters by id and cmd (case-insensitive substrings) and by label selector', async () => {
    assert.deepEqual(ids((await f.get('/v2/apps?id=PROD')).body), ['/prod/db', '/prod/web']);
    assert.deepEqual(ids((await f.get('/v2/apps?cmd=HTTP.server')).body), ['/prod/web']);
    assert.deepEqual(ids((await f.get(`/v2/apps?label=${encodeURIComponent('tier==db')}`)).body), [
      '/prod/db',
    ]);
    assert.deepEqual(
      ids((await f.get(`/v2/apps?label=${encodeURIComponent('tier in (web, db), HAPROXY_GROUP')}`)).body),
      ['/prod/web'],
    );
    const bad = await f.get(`/v2/apps?label=${encodeURIComponent('tier ==')}`);
    assert.equal(bad.status, 422);
    assert.match(
      (bad.body as { message: string }).message,
      /^Can not parse label selector tier ==\. Reason: /,
    );
  });

  it('shows one app with tasks, and 404 in Marathon words for an unknown one', async () => {
    const r = await f.get('/v2/apps/prod/web');
    assert.equal(r.status, 200);
    const app = (r.body as { app: Record<string, unknown> }).app;
    assert.equal(app.id, '/prod/web');
    assert.equal((app.tasks as unknown[]).length, 2);
    assert.equal((await f.get('/v2/apps//prod/web')).status, 200);
    const missing = await f.get('/v2/apps/prod/nope');
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, { message: "App '/prod/nope' does not exist" });
  });

  it('lists the apps of a group with /{group}/*', async () => {
    const r = await f.get('/v2/apps/prod/*');
    assert.equal(r.status, 200);
    assert.deepEqual(
      (r.body as { '*': { id: string }[] })['*'].map((a) => a.id),
      ['/prod/db', '/prod/web'],
    );
    assert.equal(((await f.get('/v2/apps/*')).body as { '*': unknown[] })['*'].length, 3);
    const missing = await f.get('/v2/apps/nope/*');
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, { message: "Group '/nope' does not exist" });
  });

  it('lists an app’s tasks as JSON, or as text for a client that accepts only text/plain', async () => {
    const r = await f.get('/v2/apps/prod/web/tasks');
    const tasks = (r.body as { tasks: Record<string, unknown>[] }).tasks;
    assert.deepEqual(
      tasks.map((t) => [t.id, t.state, t.zone]),
      [
        ['prod_web.instance-uid-web-1._app.1', 'TASK_RUNNING', 'eastus-1'],
        ['prod_web.instance-uid-web-2._app.1', 'TASK_STAGING', 'eastus-1'],
      ],
    );
    const text = await f.get('/v2/apps/prod/web/tasks', { accept: 'text/plain' });
    assert.match(text.type, /^text\/plain/);
    assert.equal(text.text, 'prod_web\t10000\tagent-1:10000\t\n');
    assert.equal((await f.get('/v2/apps/prod/nope/tasks')).status, 404);
  });

  it('lists all tasks, filtered by status', async () => {
    const all = (await f.get('/v2/tasks')).body as { tasks: { state: string }[] };
    assert.equal(all.tasks.length, 2);
    for (const q of ['status=running', 'status[]=running', 'status=RUNNING&status=bogus']) {
      const r = (await f.get(`/v2/tasks?${q}`)).body as { tasks: { state: string }[] };
      assert.deepEqual(
        r.tasks.map((t) => t.state),
        ['TASK_RUNNING'],
        q,
      );
    }
    const both = (await f.get('/v2/tasks?status=running&status=staging')).body as { tasks: unknown[] };
    assert.equal(both.tasks.length, 2);
    const text = await f.get('/v2/tasks', { accept: 'text/plain' });
    assert.equal(
      text.text,
      'dev_tool\t10000\t\n' + 'prod_db\t10000\t\n' + 'prod_web\t10000\tagent-1:10000\t\n',
    );
  });

  it('lists versions newest first and shows the app at one, from the history ConfigMap', async () => {
    const versions = await f.get('/v2/apps/prod/web/versions');
    assert.deepEqual(versions.body, { versions: [V1, V0] });
    assert.deepEqual(f.configMapReads, ['GET /api/v1/namespaces/prod/configmaps/web-versions']);
    const old = (await f.get(`/v2/apps/prod/web/versions/${V0}`)).body as Record<string, unknown>;
    assert.equal(old.cmd, 'sleep old');
    assert.equal(old.version, V0);
    assert.deepEqual(old.versionInfo, { lastScalingAt: V0, lastConfigChangeAt: V0 });
    assert.ok(!('tasksRunning' in old), 'a version is an App, not an AppInfo');
    const current = (await f.get(`/v2/apps/prod/web/versions/2024-05-01T09:00:00Z`)).body as Record<
      string,
      unknown
    >;
    assert.equal(current.cmd, 'python -m http.server $PORT0');
    const missing = await f.get('/v2/apps/prod/web/versions/2020-01-01T00:00:00.000Z');
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, {
      message: "App '/prod/web' does not exist in version 2020-01-01T00:00:00.000Z",
    });
    // an app without history: its own versions only
    assert.deepEqual((await f.get('/v2/apps/prod/db/versions')).body, { versions: [V1] });
    assert.equal((await f.get('/v2/apps/prod/nope/versions')).status, 404);
  });

  it('follows app and pod changes in the cache, also in a list it answered before', async () => {
    const cmdOf = async () => ((await f.get('/v2/apps?id=db')).body as Apps).apps.map((a) => a.cmd);
    assert.deepEqual(await cmdOf(), ['postgres']);
    assert.deepEqual(await cmdOf(), ['postgres']);
    f.apps.put(
      marathonApp('prod', 'db', { id: '/prod/db', cmd: 'postgres -N 10', labels: { tier: 'db' } }, '2'),
    );
    assert.deepEqual(await cmdOf(), ['postgres -N 10']);
    const db = ((await f.get('/v2/apps/prod/db')).body as { app: { cmd: string } }).app;
    assert.equal(db.cmd, 'postgres -N 10');
    const running = async () => ((await f.get('/v2/apps?id=web')).body as Apps).apps[0]!.tasksRunning;
    assert.equal(await running(), 1);
    f.pods.put(pod('prod', 'web', 'web-2', 'Running'));
    assert.equal(await running(), 2);
  });
});

describe('Marathon API app reads (authorization)', () => {
  const calls: ResourceAttributes[] = [];
  /** May list and get MarathonApps in prod only, and list pods nowhere. */
  const authorizer: Authorizer = {
    allowed: (_caller, a) => {
      calls.push(a);
      return Promise.resolve(a.resource === 'marathonapps' && a.namespace === 'prod');
    },
  };
  let f: Fixture;
  before(async () => {
    f = await start(authorizer);
    seed(f);
  });
  after(() => f.server.close());

  it('lists only the apps of namespaces where the caller may list MarathonApps', async () => {
    assert.deepEqual(ids((await f.get('/v2/apps')).body), ['/prod/db', '/prod/web']);
    assert.ok(calls.some((c) => c.verb === 'list' && c.namespace === 'dev'));
  });

  it('refuses one app of another namespace with 403, and tasks without the right to list pods', async () => {
    assert.equal((await f.get('/v2/apps/dev/tool')).status, 403);
    const web = await f.get('/v2/apps/prod/web');
    assert.equal(web.status, 200);
    assert.deepEqual((web.body as { app: { tasks: unknown[] } }).app.tasks, [], 'no pods to see');
    assert.equal((await f.get('/v2/apps/prod/web/tasks')).status, 403);
    assert.deepEqual((await f.get('/v2/tasks')).body, { tasks: [] });
  });
});
