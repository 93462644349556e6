// Marathon's /v2/groups against the test control plane: groups are implicit in the app ids, so a group
// POSTed from Marathon's own fixtures becomes MarathonApps (ids made absolute, dependencies resolved), reads
// back as a tree, scales by a factor, rolls back to an earlier version from the apps' history and goes
// away with its apps; bad groups write nothing. And /v2/pods answers as a Marathon without pods.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { childBaseName, nameForId } from '../../src/marathon/names.ts';
import { historyConfigMapName } from '../../src/marathon/versions.ts';
import { kubectlJson, useNamespace, waitFor } from './helpers.ts';
import type { OperatorProcess } from './operator-process.ts';
import { apiCall, deploymentResult, startApiOperator } from './api-operator.ts';
import type { Reply } from './api-operator.ts';

const GROUPS = path.resolve(import.meta.dirname, '../../../shared/fixtures/marathon/groups');
const fixture = async (name: string): Promise<Record<string, unknown>> =>
  JSON.parse(await readFile(path.join(GROUPS, name), 'utf8')) as Record<string, unknown>;

interface Obj {
  metadata: { name: string; deletionTimestamp?: string; annotations?: Record<string, string> };
  spec: Record<string, unknown>;
  status?: {
    version?: string;
    versionInfo?: { lastScalingAt: string; lastConfigChangeAt: string };
    phase?: string;
  };
}
interface GroupInfo {
  id: string;
  apps?: { id: string; instances: number; cmd?: string; tasksRunning?: number; dependencies?: string[] }[];
  groups?: GroupInfo[];
  pods?: unknown[];
  dependencies: string[];
  version?: string;
}

const SLEEP = ['/sleep-group/sleep/goodnight-1', '/sleep-group/sleep/goodnight-2'];

describe('Marathon API groups', function () {
  this.timeout(300_000);
  const ns = useNamespace({ scope: 'suite', prefix: 'mgroups' });
  let op: OperatorProcess;

  before(async () => {
    op = await startApiOperator(ns());
  });
  after(async () => {
    await op?.stop('SIGTERM');
  });

  const call = (method: string, url: string, body?: unknown): Promise<Reply> =>
    apiCall(op, method, url, body);
  const result = (r: Reply, status = 200) => deploymentResult(r, status);
  const getApp = (id: string) => kubectlJson<Obj>(['get', 'marathonapp', nameForId(id), '-n', ns()]);
  const appNames = async () =>
    (await kubectlJson<{ items: Obj[] }>(['get', 'marathonapps', '-n', ns()])).items
      .filter((o) => !o.metadata.deletionTimestamp)
      .map((o) => o.metadata.name)
      .sort();
  async function runningPods(id: string): Promise<number> {
    const list = await kubectlJson<{ items: Obj[] }>([
      'get',
      'pods',
      '-n',
      ns(),
      '-l',
      `dcos-operator.dev/app=${childBaseName(nameForId(id))}`,
    ]);
    return list.items.filter((p) => !p.metadata.deletionTimestamp && p.status?.phase === 'Running').length;
  }
  const running = (ids: string[], n: number) =>
    waitFor(async () => (await Promise.all(ids.map(runningPods))).every((c) => c === n), {
      timeoutMs: 90_000,
      message: `${n} running pods of each of ${ids.join(', ')}`,
    });

  it('creates a group from the sleep-group fixture: 201, one deployment id, apps under their groups', async () => {
    const r = await call('POST', '/v2/groups', await fixture('sleep-group.json'));
    const created = result(r, 201);
    assert.equal(r.headers.get('location'), '/v2/groups/sleep-group');
    // Both apps stamped with the one version, in the API namespace
    for (const id of SLEEP) {
      const app = await getApp(id);
      assert.equal(app.spec.id, id);
      assert.equal(app.spec.cmd, 'sleep 1000');
    }
    // Both apps carry the one deployment id, and it is the id /v2/deployments lists for them while they
    // start (kwok starts pods at once, so an app may be done before the list is read)
    for (const id of SLEEP)
      assert.equal(
        (await getApp(id)).metadata.annotations?.['dcos-operator.dev/requested-deployment'],
        created.deploymentId,
      );
    const listed = (await call('GET', '/v2/deployments')).body as { id: string; affectedApps: string[] }[];
    for (const d of listed.filter((x) => x.affectedApps.some((a) => SLEEP.includes(a))))
      assert.equal(d.id, created.deploymentId);

    const again = await call('POST', '/v2/groups', await fixture('sleep-group.json'));
    assert.equal(again.status, 409);
    assert.deepEqual(again.body, {
      message: 'Group /sleep-group is already created. Use PUT to change this group.',
    });
    await running(SLEEP, 1);
    await waitFor(
      async () => {
        const now = (await call('GET', '/v2/deployments')).body as { id: string }[];
        return !now.some((d) => d.id === created.deploymentId);
      },
      { timeoutMs: 60_000, message: 'the deployment gone once the apps run' },
    );
  });

  it('reads the tree: root, subgroups, embed, apps, and 404 for a group that is not there', async () => {
    const root = (await call('GET', '/v2/groups')).body as GroupInfo;
    assert.equal(root.id, '/');
    assert.deepEqual(root.apps, []);
    assert.deepEqual(root.pods, []);
    const sg = root.groups?.find((g) => g.id === '/sleep-group');
    assert.ok(sg, JSON.stringify(root));
    assert.deepEqual(sg.apps, []);
    assert.deepEqual(
      sg.groups?.map((g) => g.id),
      ['/sleep-group/sleep'],
    );
    assert.deepEqual(
      sg.groups?.[0]?.apps?.map((a) => a.id),
      SLEEP,
    );
    // Plain app definitions by default (no AppInfo fields), with the version the write answered
    const app = sg.groups[0].apps[0]!;
    assert.equal(app.tasksRunning, undefined);
    assert.equal(app.instances, 1);
    assert.equal(sg.groups[0].version, root.version);

    const one = (await call('GET', '/v2/groups/sleep-group/sleep')).body as GroupInfo;
    assert.deepEqual(Object.keys(one).sort(), ['apps', 'dependencies', 'groups', 'id', 'pods', 'version']);
    assert.deepEqual(one.groups, []);
    // Only what embed names; group.apps.counts adds the counts
    const counted = (
      await call('GET', '/v2/groups/sleep-group/sleep?embed=group.apps&embed=group.apps.counts')
    ).body as GroupInfo;
    assert.deepEqual(Object.keys(counted).sort(), ['apps', 'dependencies', 'id', 'version']);
    assert.deepEqual(
      counted.apps?.map((a) => a.tasksRunning),
      [1, 1],
    );
    const onlyGroups = (await call('GET', '/v2/groups/sleep-group?embed=group.groups')).body as GroupInfo;
    assert.equal(onlyGroups.apps, undefined);
    assert.equal(onlyGroups.groups?.[0]?.apps, undefined);
    // Every app below the group, at any depth
    const apps = (await call('GET', '/v2/groups/sleep-group/apps')).body as { id: string }[];
    assert.deepEqual(
      apps.map((a) => a.id),
      SLEEP,
    );

    const missing = await call('GET', '/v2/groups/nothing/here');
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, { message: "Group '/nothing/here' does not exist" });
    // An app is not a group
    assert.equal((await call('GET', `/v2/groups${SLEEP[0]}`)).status, 404);
  });

  it('scales every app of the group by a factor, also as marathon-python sends it (query, no body)', async () => {
    result(await call('PUT', '/v2/groups/sleep-group', { scaleBy: 2 }));
    for (const id of SLEEP) assert.equal((await getApp(id)).spec.instances, 2);
    await running(SLEEP, 2);
    result(await call('PUT', '/v2/groups/sleep-group/sleep?scaleBy=1.5&force=true'));
    for (const id of SLEEP) assert.equal((await getApp(id)).spec.instances, 3);
    result(await call('PUT', '/v2/groups/sleep-group?scaleBy=0.5&force=true'));
    // ceil(3 * 0.5)
    for (const id of SLEEP) assert.equal((await getApp(id)).spec.instances, 2);
    await running(SLEEP, 2);
    assert.equal((await call('PUT', '/v2/groups/nothing', { scaleBy: 2 })).status, 404);
  });

  it('updates a group (dryRun first), lists its versions and rolls back from the history', async () => {
    const before = await getApp(SLEEP[0]!);
    const createdAt = before.status!.versionInfo!.lastConfigChangeAt;
    const update = {
      id: '/sleep-group/sleep',
      apps: [
        { id: 'goodnight-1', cmd: 'sleep 2000', cpus: 0.01, mem: 32, instances: 2 },
        {
          id: 'goodnight-2',
          cmd: 'sleep 1000',
          cpus: 0.01,
          mem: 32,
          disk: 0,
          instances: 2,
          dependencies: [],
        },
      ],
    };
    const dry = await call('PUT', '/v2/groups/sleep-group/sleep?dryRun=true', update);
    assert.equal(dry.status, 200, JSON.stringify(dry.body));
    assert.deepEqual(dry.body, { steps: [{ actions: [{ action: 'RestartApplication', app: SLEEP[0] }] }] });
    assert.equal((await getApp(SLEEP[0]!)).spec.cmd, 'sleep 1000');

    const changed = result(await call('PUT', '/v2/groups/sleep-group/sleep', update));
    assert.equal((await getApp(SLEEP[0]!)).spec.cmd, 'sleep 2000');
    // goodnight-2 was given as it is: not rewritten
    assert.equal((await getApp(SLEEP[1]!)).status?.versionInfo?.lastConfigChangeAt, createdAt);
    // Once rolled out, the replaced definition is in goodnight-1's history
    await waitFor(
      async () => {
        const app = await getApp(SLEEP[0]!);
        const cm = await kubectlJson<{ data?: Record<string, string> }>([
          'get',
          'configmap',
          historyConfigMapName(childBaseName(nameForId(SLEEP[0]!))),
          '-n',
          ns(),
        ]);
        return app.status?.versionInfo?.lastConfigChangeAt === changed.version && cm.data;
      },
      { timeoutMs: 60_000, message: 'the change rolled out and the history written' },
    );
    const versions = (await call('GET', '/v2/groups/sleep-group/versions')).body as string[];
    assert.ok(versions.includes(changed.version) && versions.includes(createdAt), JSON.stringify(versions));
    assert.deepEqual([...versions].sort().reverse(), versions);
    const then = (await call('GET', `/v2/groups/sleep-group/versions/${createdAt}`)).body as GroupInfo;
    assert.deepEqual(
      then.groups?.[0]?.apps?.map((a) => a.cmd),
      ['sleep 1000', 'sleep 1000'],
    );

    result(await call('PUT', '/v2/groups/sleep-group?force=true', { version: createdAt }));
    assert.equal((await getApp(SLEEP[0]!)).spec.cmd, 'sleep 1000');
    await running(SLEEP, 2);
  });

  it('refuses bad groups with 422 and writes nothing', async () => {
    const before = await appNames();
    const outside = await call('POST', '/v2/groups', {
      id: '/bad',
      apps: [{ id: '/elsewhere/x', cmd: 'sleep 1' }],
    });
    assert.equal(outside.status, 422);
    assert.deepEqual((outside.body as { details: unknown }).details, [
      { path: '/apps(0)/id', errors: ["Identifier is not child of '/bad'"] },
    ]);
    // One valid app and one invalid one deep inside: neither is written
    const mixed = await call('POST', '/v2/groups', {
      id: '/bad',
      apps: [{ id: 'ok', cmd: 'sleep 1' }],
      groups: [{ id: 'deeper', apps: [{ id: 'broken', cmd: 'sleep 1', cpus: -1 }] }],
    });
    assert.equal(mixed.status, 422);
    const details = (mixed.body as { details: { path: string }[] }).details;
    assert.ok(
      details.some((d) => d.path.startsWith('/groups(0)/apps(0)/cpus')),
      JSON.stringify(details),
    );
    const cycle = await call('POST', '/v2/groups', {
      id: '/bad',
      apps: [
        { id: 'a', cmd: 'sleep 1', dependencies: ['b'] },
        { id: 'b', cmd: 'sleep 1', dependencies: ['a'] },
      ],
    });
    assert.equal(cycle.status, 422);
    assert.equal((await call('POST', '/v2/groups', '{"id": ')).status, 400);
    assert.deepEqual(await appNames(), before);
  });

  it('creates a group with dependencies in the order they ask for, and relative ids', async () => {
    const group = await fixture('Group.json');
    const dry = await call('PUT', '/v2/groups/department-a?dryRun=true', group);
    assert.equal(dry.status, 200, JSON.stringify(dry.body));
    const common = '/department-a/service-common';
    const a = '/department-a/product-a/service-a';
    const b = '/department-a/product-a/service-b';
    assert.deepEqual((dry.body as { steps: unknown }).steps, [
      {
        actions: [
          { action: 'StartApplication', app: a },
          { action: 'StartApplication', app: b },
          { action: 'StartApplication', app: common },
        ],
      },
      { actions: [{ action: 'ScaleApplication', app: common }] },
      { actions: [{ action: 'ScaleApplication', app: a }] },
      { actions: [{ action: 'ScaleApplication', app: b }] },
    ]);
    assert.equal((await call('GET', '/v2/groups/department-a')).status, 404);

    result(await call('POST', '/v2/groups', group), 201);
    assert.deepEqual((await getApp(b)).spec.dependencies, [a]);
    const tree = (await call('GET', '/v2/groups/department-a')).body as GroupInfo;
    assert.deepEqual(
      tree.apps?.map((x) => x.id),
      [common],
    );
    assert.deepEqual(
      tree.groups?.map((g) => [g.id, g.apps?.map((x) => x.id)]),
      [['/department-a/product-a', [a, b]]],
    );
    await running([common, a, b], 2);

    // complicated.json: relative app and group ids, resolved against their parents
    result(await call('POST', '/v2/groups', await fixture('complicated.json')), 201);
    const apps = (await call('GET', '/v2/groups/test-group/apps')).body as { id: string }[];
    assert.deepEqual(apps.map((x) => x.id).sort(), [
      '/test-group/app/sleep10',
      '/test-group/appingroups',
      '/test-group/moregroups/moregroups/sleep1',
    ]);
    assert.deepEqual((await getApp('/test-group/app/sleep10')).spec.dependencies, ['/product/database']);
  });

  it('deletes a group: every app below it goes, as one deployment', async () => {
    const r = result(await call('DELETE', '/v2/groups/sleep-group?force=true'));
    assert.ok(r.deploymentId);
    for (const id of SLEEP) await assert.rejects(getApp(id), /NotFound|not found/);
    const gone = await call('GET', '/v2/groups/sleep-group');
    assert.equal(gone.status, 404);
    assert.deepEqual(gone.body, { message: "Group '/sleep-group' does not exist" });
    assert.equal((await call('DELETE', '/v2/groups/sleep-group')).status, 404);
    await waitFor(async () => (await Promise.all(SLEEP.map(runningPods))).every((c) => c === 0), {
      timeoutMs: 60_000,
      message: 'the pods of the deleted group gone',
    });
    // The other groups are untouched
    assert.equal((await call('GET', '/v2/groups/department-a')).status, 200);
    result(await call('DELETE', '/v2/groups/test-group?force=true'));
    result(await call('DELETE', '/v2/groups/department-a?force=true'));
    assert.deepEqual(await appNames(), []);
  });

  it('answers /v2/pods as a Marathon without pods', async () => {
    const head = await fetch(`http://127.0.0.1:${op.port}/v2/pods`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.deepEqual((await call('GET', '/v2/pods')).body, []);
    assert.deepEqual((await call('GET', '/v2/pods/::status')).body, []);
    for (const url of [
      '/v2/pods/web',
      '/v2/pods/web::status',
      '/service/marathon/v2/pods/prod/web::versions',
    ]) {
      const r = await call('GET', url);
      assert.equal(r.status, 404, url);
      assert.deepEqual(r.body, {
        message: url.includes('prod') ? "Pod '/prod/web' does not exist" : "Pod '/web' does not exist",
      });
    }
    const post = await call('POST', '/v2/pods', { id: '/web', containers: [] });
    assert.equal(post.status, 422);
    assert.match((post.body as { message: string }).message, /Pods are not supported yet/);
    assert.equal((await call('PUT', '/v2/pods/web', { id: '/web' })).status, 422);
  });
});
