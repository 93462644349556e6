// The Marathon REST API's read side against real MarathonApps: the operator serves /v2/apps, /v2/apps/{id},
// tasks (JSON and text), label filters and the version history from its caches and the history ConfigMap.
import assert from 'node:assert/strict';
import { kubectl, useNamespace, waitFor } from './helpers.ts';
import type { OperatorProcess } from './operator-process.ts';
import { startApiOperator } from './api-operator.ts';

interface Task {
  id: string;
  appId: string;
  host: string;
  state: string;
  ports: number[];
  healthCheckResults: { alive: boolean }[];
}
interface App {
  id: string;
  cmd?: string;
  instances: number;
  labels: Record<string, string>;
  version: string;
  versionInfo: { lastScalingAt: string; lastConfigChangeAt: string };
  tasksRunning: number;
  tasksHealthy: number;
  deployments: { id: string }[];
  tasks?: Task[];
}

async function apply(ns: string, name: string, spec: Record<string, unknown>): Promise<void> {
  const obj = {
    apiVersion: 'dcos-operator.dev/v1alpha1',
    kind: 'MarathonApp',
    metadata: { name, namespace: ns },
    spec,
  };
  await kubectl(['apply', '-f', '-'], { input: JSON.stringify(obj) });
}

describe('Marathon API reads', function () {
  this.timeout(180_000);
  const ns = useNamespace({ scope: 'suite', prefix: 'mread' });
  let op: OperatorProcess;

  async function call(
    path: string,
    accept = 'application/json',
  ): Promise<{ status: number; type: string; text: string }> {
    if (op.port === undefined) await op.waitForLog(/^serving/);
    const r = await fetch(`http://127.0.0.1:${op.port}${path}`, { headers: { accept } });
    return { status: r.status, type: r.headers.get('content-type') ?? '', text: await r.text() };
  }
  async function get<T>(path: string): Promise<T> {
    const r = await call(path);
    assert.equal(r.status, 200, `${path}: ${r.text}`);
    assert.match(r.type, /^application\/json/);
    return JSON.parse(r.text) as T;
  }

  before(async () => {
    op = await startApiOperator(ns(), { apiNamespace: false });
    await apply(ns(), 'web', {
      id: '/reads/web',
      cmd: 'python3 -m http.server $PORT0',
      instances: 2,
      cpus: 0.1,
      mem: 32,
      portDefinitions: [{ port: 0, name: 'http' }],
      healthChecks: [{ protocol: 'HTTP', path: '/', portIndex: 0 }],
      labels: { HAPROXY_GROUP: 'external', tier: 'web' },
    });
    await apply(ns(), 'db', {
      id: '/reads/db',
      cmd: 'sleep 3600',
      cpus: 0.1,
      mem: 32,
      labels: { tier: 'db' },
    });
    for (const name of ['web', 'db'])
      await kubectl(['wait', '--for=condition=Ready', `marathonapp/${name}`, '-n', ns(), '--timeout=90s']);
  });
  after(async () => {
    await op.stop('SIGTERM');
  });

  it('lists the apps in canonical form with counts and deployments', async () => {
    const { apps } = await waitFor(async () => {
      const list = await get<{ apps: App[] }>('/v2/apps');
      return list.apps.every((a) => a.tasksRunning === a.instances && a.deployments.length === 0)
        ? list
        : undefined;
    });
    assert.deepEqual(
      apps.map((a) => a.id),
      ['/reads/db', '/reads/web'],
    );
    const web = apps[1]!;
    assert.equal(web.tasksRunning, 2);
    assert.equal(web.tasksHealthy, 2);
    assert.ok(!('tasks' in web), 'tasks only on request');
    assert.deepEqual((web as unknown as { portDefinitions: unknown }).portDefinitions, [
      { port: 10000, protocol: 'tcp', name: 'http' },
    ]);
    assert.match(web.version, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    // Prometheus's marathon_sd request: trailing slash, tasks embedded
    const sd = await get<{ apps: App[] }>('/v2/apps/?embed=apps.tasks');
    assert.equal(sd.apps.find((a) => a.id === '/reads/web')?.tasks?.length, 2);
  });

  it('filters by id, cmd and label selector, and refuses a bad selector', async () => {
    const ids = async (q: string) => (await get<{ apps: App[] }>(`/v2/apps?${q}`)).apps.map((a) => a.id);
    assert.deepEqual(await ids('id=WEB'), ['/reads/web']);
    assert.deepEqual(await ids('cmd=sleep'), ['/reads/db']);
    assert.deepEqual(await ids(`label=${encodeURIComponent('tier in (web, db)')}`), [
      '/reads/db',
      '/reads/web',
    ]);
    assert.deepEqual(await ids(`label=${encodeURIComponent('HAPROXY_GROUP==external')}`), ['/reads/web']);
    assert.deepEqual(await ids(`label=${encodeURIComponent('tier!=web')}`), ['/reads/db']);
    const bad = await call(`/v2/apps?label=${encodeURIComponent('tier ==')}`);
    assert.equal(bad.status, 422);
    assert.match(bad.text, /Can not parse label selector/);
  });

  it('shows one app with its tasks, as many as instances once running, all healthy', async () => {
    const { app } = await get<{ app: App }>('/service/marathon/v2/apps/reads/web');
    assert.equal(app.tasks?.length, app.instances);
    for (const t of app.tasks) {
      assert.equal(t.appId, '/reads/web');
      assert.equal(t.state, 'TASK_RUNNING');
      assert.match(t.id, /^reads_web\.instance-[0-9a-f-]+\._app\.1$/);
      assert.deepEqual(
        t.healthCheckResults.map((h) => h.alive),
        [true],
      );
    }
    const missing = await call('/v2/apps/reads/nope');
    assert.equal(missing.status, 404);
    assert.deepEqual(JSON.parse(missing.text), { message: "App '/reads/nope' does not exist" });
    const group = await get<{ '*': App[] }>('/v2/apps/reads/*');
    assert.equal(group['*'].length, 2);
  });

  it('lists tasks as JSON and text/plain, per app and for all apps', async () => {
    const { tasks } = await get<{ tasks: Task[] }>('/v2/apps/reads/web/tasks');
    assert.equal(tasks.length, 2);
    const text = await call('/v2/apps/reads/web/tasks', 'text/plain');
    assert.match(text.type, /^text\/plain/);
    const hosts = tasks.map((t) => `${t.host}:${t.ports[0]}`).sort();
    assert.equal(text.text, `reads_web\t10000\t${hosts.map((h) => `${h}\t`).join('')}\n`);
    const all = await get<{ tasks: Task[] }>('/v2/tasks?status=running');
    assert.equal(all.tasks.length, 3);
    assert.deepEqual((await get<{ tasks: Task[] }>('/v2/tasks?status=staging')).tasks, []);
    const allText = await call('/v2/tasks', 'text/plain');
    assert.equal(allText.text.split('\n').filter(Boolean).length, 2);
  });

  it('lists the versions after an update and shows the app at the earlier one', async () => {
    const before = (await get<{ app: App }>('/v2/apps/reads/db')).app;
    await kubectl([
      'patch',
      'marathonapp',
      'db',
      '-n',
      ns(),
      '--type=merge',
      '-p',
      '{"spec":{"cmd":"sleep 7200"}}',
    ]);
    const versions = await waitFor(
      async () => {
        const v = await get<{ versions: string[] }>('/v2/apps/reads/db/versions');
        return v.versions.length >= 2 ? v.versions : undefined;
      },
      { timeoutMs: 60_000, message: 'two versions of /reads/db' },
    );
    assert.equal(versions[versions.length - 1], before.version);
    assert.deepEqual([...versions].sort().reverse(), versions, 'newest first');
    const current = (await get<{ app: App }>('/v2/apps/reads/db')).app;
    assert.equal(current.cmd, 'sleep 7200');
    assert.equal(versions[0], current.version);
    const old = await get<App>(`/v2/apps/reads/db/versions/${encodeURIComponent(before.version)}`);
    assert.equal(old.cmd, 'sleep 3600');
    assert.equal(old.version, before.version);
    const gone = await call('/v2/apps/reads/db/versions/2001-01-01T00:00:00.000Z');
    assert.equal(gone.status, 404);
    assert.match(gone.text, /does not exist in version 2001-01-01T00:00:00\.000Z/);
  });
});
