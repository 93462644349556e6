// The write side of the Marathon API against the test control plane: apps created, changed, restarted,
// rolled back and deleted through /v2/apps become MarathonApp changes the operator rolls out; the
// deployment ids the API answers with are the ones /v2/deployments lists until the rollout completes;
// task kills delete pods (and lower the instance count with scale=true).
import assert from 'node:assert/strict';
import { nameForId, RESTARTED_AT_ANNOTATION } from '../../src/marathon/names.ts';
import { taskId } from '../../src/marathon/status.ts';
import { kubectlJson, useNamespace, waitFor } from './helpers.ts';
import type { OperatorProcess } from './operator-process.ts';
import { apiCall, deploymentResult, startApiOperator } from './api-operator.ts';
import type { Reply } from './api-operator.ts';

interface Obj {
  metadata: {
    name: string;
    uid: string;
    annotations?: Record<string, string>;
    deletionTimestamp?: string;
  };
  spec: Record<string, unknown> & { nodeName?: string };
  status?: {
    version?: string;
    versionInfo?: { lastScalingAt: string; lastConfigChangeAt: string };
    deployments?: { id: string }[];
    conditions?: { type: string; status: string }[];
    phase?: string;
  };
}

interface Deployment {
  id: string;
  version: string;
  affectedApps: string[];
  affectedPods: string[];
  steps: { actions: { action: string; app: string }[] }[];
  currentActions: { action: string; app: string; readinessCheckResults: unknown[] }[];
  currentStep: number;
  totalSteps: number;
}

describe('Marathon API writes', function () {
  this.timeout(180_000);
  const ns = useNamespace({ scope: 'suite', prefix: 'mapi' });
  let op: OperatorProcess;

  before(async () => {
    op = await startApiOperator(ns());
  });
  after(async () => {
    await op?.stop('SIGTERM');
  });

  const call = (method: string, path: string, body?: unknown): Promise<Reply> =>
    apiCall(op, method, path, body);
  const deployments = async () => (await call('GET', '/v2/deployments')).body as Deployment[];
  const getApp = (id: string) => kubectlJson<Obj>(['get', 'marathonapp', nameForId(id), '-n', ns()]);
  const ready = (o: Obj) => o.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
  async function livePods(id: string): Promise<Obj[]> {
    const list = await kubectlJson<{ items: Obj[] }>([
      'get',
      'pods',
      '-n',
      ns(),
      '-l',
      `dcos-operator.dev/app=${nameForId(id)}`,
    ]);
    return list.items.filter((p) => !p.metadata.deletionTimestamp);
  }
  /** Waits until the app is Ready at `version` with `instances` running pods and no deployment is listed. */
  async function deployed(id: string, version: string, instances: number): Promise<Obj> {
    return waitFor(
      async () => {
        const app = await getApp(id);
        const pods = await livePods(id);
        const listed = (await deployments()).some((d) => d.affectedApps.includes(id));
        return ready(app) &&
          app.status?.version === version &&
          pods.length === instances &&
          pods.every((p) => p.status?.phase === 'Running') &&
          !listed
          ? app
          : undefined;
      },
      { timeoutMs: 90_000, message: `${id} deployed at ${version} with ${instances} instances` },
    );
  }

  it('creates an app: 201, the deployment listed at once, gone when the app runs', async () => {
    const definition = {
      id: 'api/web',
      cmd: 'sleep 3600',
      instances: 2,
      cpus: 0.1,
      mem: 32,
      labels: { tier: 'web' },
    };
    const r = await call('POST', '/v2/apps', definition);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.headers.get('location'), '/v2/apps/api/web');
    const deploymentId = r.headers.get('marathon-deployment-id');
    const body = r.body as Record<string, unknown>;
    assert.equal(body.id, '/api/web');
    assert.deepEqual(body.deployments, [{ id: deploymentId }]);
    assert.deepEqual(
      [body.tasksStaged, body.tasksRunning, body.tasksHealthy, body.tasksUnhealthy, body.instances],
      [0, 0, 0, 0, 2],
    );
    // Exactly this one deployment, right after the POST (the python client's check).
    const listed = await deployments();
    assert.equal(listed.length, 1);
    assert.equal(listed[0]!.id, deploymentId);
    assert.deepEqual(listed[0]!.affectedApps, ['/api/web']);
    assert.equal(listed[0]!.steps[0]!.actions[0]!.action, 'StartApplication');
    // Stored as written, id made absolute, in the API namespace.
    const app = await getApp('/api/web');
    // (plus the defaults the CRD's schema fills in)
    for (const [k, v] of Object.entries({ ...definition, id: '/api/web' })) assert.deepEqual(app.spec[k], v);
    // The operator adopts the version the API answered with: the ids match all the way.
    const done = await deployed('/api/web', body.version as string, 2);
    assert.equal(done.status?.versionInfo?.lastConfigChangeAt, body.version);

    const again = await call('POST', '/v2/apps', definition);
    assert.equal(again.status, 409);
    assert.deepEqual(again.body, { message: 'An app with id [/api/web] already exists.' });
  });

  it('refuses an invalid definition with 422 and writes nothing', async () => {
    const r = await call('POST', '/v2/apps', { id: '/api/bad', cmd: 'sleep 1', instances: -1, cpus: 'lots' });
    assert.equal(r.status, 422);
    const body = r.body as { message: string; details: { path: string; errors: string[] }[] };
    assert.equal(body.message, 'Object is not valid');
    assert.deepEqual(body.details.map((d) => d.path).sort(), ['/cpus', '/instances']);
    await assert.rejects(getApp('/api/bad'), /NotFound|not found/);
    // An update that would make an existing app invalid leaves it as it was.
    const before = await getApp('/api/web');
    const put = await call('PUT', '/v2/apps/api/web?force=true', { instances: 1, mem: -5 });
    assert.equal(put.status, 422);
    assert.deepEqual((await getApp('/api/web')).spec, before.spec);
    // Not JSON at all: 400.
    assert.equal((await call('POST', '/v2/apps', '{"id": ')).status, 400);
    // A group is not an app.
    assert.equal((await call('POST', '/v2/apps', { id: '/g', apps: [{ id: 'a', cmd: 'x' }] })).status, 422);
  });

  it('updates partially with PUT and PATCH, and scales without a new config version', async () => {
    const before = await getApp('/api/web');
    const r = await call('PUT', '/v2/apps/api/web', { instances: 3 });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const { version } = deploymentResult(r);
    const app = await getApp('/api/web');
    assert.equal(app.spec.instances, 3);
    assert.equal(app.spec.cmd, 'sleep 3600');
    const done = await deployed('/api/web', version, 3);
    assert.equal(
      done.status?.versionInfo?.lastConfigChangeAt,
      before.status?.versionInfo?.lastConfigChangeAt,
    );
    assert.equal(done.status?.versionInfo?.lastScalingAt, version);

    const p = await call('PATCH', '/v2/apps/api/web', { labels: { tier: 'front' } });
    assert.equal(p.status, 200, JSON.stringify(p.body));
    const patched = await getApp('/api/web');
    assert.deepEqual(patched.spec.labels, { tier: 'front' });
    assert.equal(patched.spec.instances, 3);
    await deployed('/api/web', deploymentResult(p).version, 3);
    assert.equal((await call('PATCH', '/v2/apps/api/nothing', { instances: 1 })).status, 404);

    // The same definition again: a new version, recorded without a rollout.
    const uids = (await livePods('/api/web')).map((x) => x.metadata.uid).sort();
    const same = await call('PUT', '/v2/apps/api/web', { labels: { tier: 'front' } });
    assert.equal(same.status, 200);
    const sameVersion = deploymentResult(same).version;
    const recorded = await deployed('/api/web', sameVersion, 3);
    assert.equal(
      recorded.status?.versionInfo?.lastConfigChangeAt,
      patched.metadata.annotations?.['dcos-operator.dev/requested-version'],
    );
    assert.deepEqual((await livePods('/api/web')).map((x) => x.metadata.uid).sort(), uids);
  });

  it('locks an app while a deployment runs, unless force; DELETE /v2/deployments?force drops it', async () => {
    // Its instance can never be placed: the deployment stays.
    const r = await call('POST', '/v2/apps', {
      id: '/api/stuck',
      cmd: 'sleep 3600',
      cpus: 0.1,
      mem: 32,
      constraints: [['hostname', 'LIKE', 'no-such-node']],
    });
    assert.equal(r.status, 201);
    const first = r.headers.get('marathon-deployment-id')!;
    const locked = await call('PUT', '/v2/apps/api/stuck', { instances: 2 });
    assert.equal(locked.status, 409);
    assert.deepEqual(locked.body, {
      message:
        "App is locked by one or more deployments. Override with the option '?force=true'. " +
        `View details at '/v2/deployments/${first}'.`,
      deployments: [{ id: first }],
    });
    assert.equal((await call('POST', '/v2/apps/api/stuck/restart')).status, 409);
    const forced = await call('PUT', '/v2/apps/api/stuck?force=true', { instances: 2 });
    assert.equal(forced.status, 200);
    const { deploymentId } = deploymentResult(forced);
    const listed = await deployments();
    assert.deepEqual(
      listed.filter((d) => d.affectedApps.includes('/api/stuck')).map((d) => d.id),
      [deploymentId],
    );
    const stop = await call('DELETE', `/v2/deployments/${deploymentId}?force=true`);
    assert.equal(stop.status, 202);
    assert.ok(!(await deployments()).some((d) => d.id === deploymentId));
    assert.equal((await call('DELETE', `/v2/deployments/${deploymentId}`)).status, 404);
    // Nothing holds the app now: a change goes through without force.
    const next = await call('PUT', '/v2/apps/api/stuck', { instances: 1 });
    assert.equal(next.status, 200);
  });

  it('rolls back a deployment that cannot finish (DELETE /v2/deployments/{id})', async () => {
    const r = await call('POST', '/v2/apps', { id: '/api/roll', cmd: 'sleep 3600', cpus: 0.1, mem: 32 });
    const created = (r.body as { version: string }).version;
    await deployed('/api/roll', created, 1);
    const broken = await call('PUT', '/v2/apps/api/roll', {
      constraints: [['hostname', 'LIKE', 'no-such-node']],
    });
    assert.equal(broken.status, 200);
    const { deploymentId } = deploymentResult(broken);
    // Observed and stuck: the status reports the rollout.
    await waitFor(
      async () => (await getApp('/api/roll')).status?.deployments?.some((d) => d.id === deploymentId),
      {
        message: 'the stuck rollout in the status',
      },
    );
    const undo = await call('DELETE', `/v2/deployments/${deploymentId}`);
    assert.equal(undo.status, 200, JSON.stringify(undo.body));
    const revert = deploymentResult(undo);
    assert.notEqual(revert.deploymentId, deploymentId);
    const app = await getApp('/api/roll');
    assert.equal(app.spec.constraints, undefined);
    await deployed('/api/roll', revert.version, 1);
  });

  it('rolls back to a stored version with PUT {"version"}', async () => {
    const r = await call('POST', '/v2/apps', { id: '/api/ver', cmd: 'sleep 100', cpus: 0.1, mem: 32 });
    const v1 = (r.body as { version: string }).version;
    await deployed('/api/ver', v1, 1);
    const change = await call('PUT', '/v2/apps/api/ver', { cmd: 'sleep 200' });
    await deployed('/api/ver', deploymentResult(change).version, 1);
    const mixed = await call('PUT', '/v2/apps/api/ver', { version: v1, cmd: 'sleep 300' });
    assert.equal(mixed.status, 422);
    assert.deepEqual((mixed.body as { details: unknown }).details, [
      { path: '/', errors: ["The 'version' field may only be combined with the 'id' field."] },
    ]);
    assert.equal(
      (await call('PUT', '/v2/apps/api/ver', { version: '2001-01-01T00:00:00.000Z' })).status,
      404,
    );
    const back = await call('PUT', '/v2/apps/api/ver', { version: v1 });
    assert.equal(back.status, 200, JSON.stringify(back.body));
    assert.equal((await getApp('/api/ver')).spec.cmd, 'sleep 100');
    await deployed('/api/ver', deploymentResult(back).version, 1);
  });

  it('restarts an app: every task replaced, a new config version', async () => {
    const uids = (await livePods('/api/ver')).map((p) => p.metadata.uid);
    const r = await call('POST', '/v2/apps/api/ver/restart');
    assert.equal(r.status, 200);
    const { version } = deploymentResult(r);
    assert.equal((await getApp('/api/ver')).metadata.annotations?.[RESTARTED_AT_ANNOTATION], version);
    const app = await deployed('/api/ver', version, 1);
    assert.equal(app.status?.versionInfo?.lastConfigChangeAt, version);
    assert.ok((await livePods('/api/ver')).every((p) => !uids.includes(p.metadata.uid)));
    assert.equal((await call('POST', '/v2/apps/api/none/restart')).status, 404);
  });

  it('kills tasks: replaced without scale, instances lowered with scale', async () => {
    const pods = await livePods('/api/web');
    assert.equal(pods.length, 3);
    const victim = pods[0]!;
    const id = taskId('/api/web', victim as never);
    const one = await call('DELETE', `/v2/apps/api/web/tasks/${id}`);
    assert.equal(one.status, 200, JSON.stringify(one.body));
    assert.equal((one.body as { task: { id: string; appId: string } }).task.id, id);
    await waitFor(
      async () => {
        const now = await livePods('/api/web');
        return now.length === 3 && !now.some((p) => p.metadata.uid === victim.metadata.uid);
      },
      { message: 'the killed task replaced' },
    );
    assert.equal((await getApp('/api/web')).spec.instances, 3);
    assert.equal((await call('DELETE', '/v2/apps/api/web/tasks/api_web.instance-nope._app.1')).status, 404);

    // POST /v2/tasks/delete with scale: one fewer instance, a deployment.
    const [target] = await livePods('/api/web');
    const del = await call('POST', '/v2/tasks/delete?scale=True', {
      ids: [taskId('/api/web', target as never)],
    });
    assert.equal(del.status, 200, JSON.stringify(del.body));
    await deployed('/api/web', deploymentResult(del).version, 2);
    assert.equal((await getApp('/api/web')).spec.instances, 2);
    assert.equal((await call('POST', '/v2/tasks/delete', { ids: ['not a task id'] })).status, 400);

    // Every task of the app with scale=true: scaled to 0.
    const all = await call('DELETE', '/v2/apps/api/web/tasks?scale=true');
    assert.equal(all.status, 200, JSON.stringify(all.body));
    await deployed('/api/web', deploymentResult(all).version, 0);
    assert.equal((await getApp('/api/web')).spec.instances, 0);
  });

  it('serves the Jenkins patterns: PUT as create-or-update, delete then forced re-create at once', async () => {
    const definition = { id: '/api/jenkins', cmd: 'sleep 3600', cpus: 0.1, mem: 32, instances: 1 };
    const created = await call('PUT', '/v2/apps/api/jenkins?force=true', definition);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.headers.get('location'), '/v2/apps/api/jenkins');
    deploymentResult(created);
    const updated = await call('PUT', '/v2/apps/api/jenkins?force=true', {
      ...definition,
      env: { BUILD: '2' },
    });
    assert.equal(updated.status, 200);
    const v2 = deploymentResult(updated).version;
    await deployed('/api/jenkins', v2, 1);

    // Created and deleted at once (a deployment still running): DELETE's force defaults to true.
    const quick = await call('POST', '/v2/apps', { id: '/api/quick', cmd: 'sleep 1', cpus: 0.1, mem: 32 });
    assert.equal(quick.status, 201);
    const gone = await call('DELETE', '/v2/apps/api/quick');
    assert.equal(gone.status, 200);
    deploymentResult(gone);
    await assert.rejects(getApp('/api/quick'), /NotFound|not found/);

    // The ACS plugin: DELETE, then at once POST ?force=true of the same id.
    const del = await call('DELETE', '/v2/apps/api/jenkins');
    assert.equal(del.status, 200);
    const again = await call('POST', '/v2/apps?force=true', { ...definition, env: { BUILD: '3' } });
    assert.equal(again.status, 201, JSON.stringify(again.body));
    const app = await deployed('/api/jenkins', (again.body as { version: string }).version, 1);
    assert.deepEqual(app.spec.env, { BUILD: '3' });
    assert.equal((await call('DELETE', '/v2/apps/api/nothing')).status, 404);
  });

  it('writes several apps as one deployment (PUT /v2/apps)', async () => {
    const r = await call('PUT', '/v2/apps', [
      { id: '/api/bulk/a', cmd: 'sleep 3600', cpus: 0.1, mem: 32 },
      { id: '/api/bulk/b', cmd: 'sleep 3600', cpus: 0.1, mem: 32 },
    ]);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const { deploymentId, version } = deploymentResult(r);
    const listed = (await deployments()).filter((d) => d.id === deploymentId);
    assert.equal(listed.length, 1);
    assert.deepEqual(listed[0]!.affectedApps, ['/api/bulk/a', '/api/bulk/b']);
    await deployed('/api/bulk/a', version, 1);
    await deployed('/api/bulk/b', version, 1);
    // One invalid item: nothing is written.
    const bad = await call('PUT', '/v2/apps', [
      { id: '/api/bulk/a', instances: 2 },
      { id: '/api/bulk/c', cmd: 'sleep 1', mem: -1 },
    ]);
    assert.equal(bad.status, 422);
    assert.equal((bad.body as { details: { path: string }[] }).details[0]!.path, '/1/mem');
    assert.equal((await getApp('/api/bulk/a')).spec.instances, 1);
    await assert.rejects(getApp('/api/bulk/c'), /NotFound|not found/);
  });

  it('kills a resident task with wipe=true: its claim goes with it and the replacement gets a new one', async () => {
    const persistent = { containerPath: 'data', mode: 'RW', persistent: { size: 64 } };
    const r = await call('POST', '/v2/apps', {
      id: '/api/vault',
      cmd: 'sleep 3600',
      cpus: 0.1,
      mem: 32,
      instances: 1,
      container: { type: 'MESOS', volumes: [persistent] },
      upgradeStrategy: { minimumHealthCapacity: 0.5, maximumOverCapacity: 0 },
      unreachableStrategy: 'disabled',
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const name = nameForId('/api/vault');
    const claim = async () =>
      (await kubectlJson<{ items: Obj[] }>(['get', 'pvc', '-n', ns(), '-o', 'json'])).items.find(
        (c) => c.metadata.name === `data-${name}-0` && !c.metadata.deletionTimestamp,
      );
    const [pod, first] = await waitFor(
      async () => {
        const [p] = await livePods('/api/vault');
        const c = await claim();
        return p && c ? ([p, c] as const) : undefined;
      },
      { message: 'the resident task and its claim' },
    );
    const id = taskId('/api/vault', pod as never);
    const kill = await call('DELETE', `/v2/apps/api/vault/tasks/${id}?wipe=true`);
    assert.equal(kill.status, 200, JSON.stringify(kill.body));
    await waitFor(
      async () => {
        const [p] = await livePods('/api/vault');
        const c = await claim();
        return p && p.metadata.uid !== pod.metadata.uid && c && c.metadata.uid !== first.metadata.uid;
      },
      { timeoutMs: 90_000, message: 'a replacement task with a new claim' },
    );
  });
});
