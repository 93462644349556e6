// The Marathon REST API proven with real clients, under real authentication: a ServiceAccount's token from
// the TokenRequest API, sent as DC/OS clients send theirs (`Authorization: token=<jwt>`). Debian's
// python3-marathon runs the scenarios marathon-python's own integration suite checks; go-marathon creates,
// updates, scales and deletes an app waiting on SSE deployment events as the Terraform provider does; curl
// runs Marathon's documented examples, the Jenkins plugin's create-or-update and the ACS Jenkins plugin's
// delete-then-recreate. An app applied with kubectl reads back through the API as it was written.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { curl, ensureClients, explain, jsonOf, runGoMarathon, runPythonScenarios } from '../clients/index.ts';
import type { CurlResponse } from '../clients/index.ts';
import { kubectl, useNamespace, waitFor } from './helpers.ts';
import type { OperatorProcess } from './operator-process.ts';
import { startApiOperator } from './api-operator.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../../shared/fixtures/marathon/apps');
const fixture = async (name: string): Promise<Record<string, unknown>> =>
  JSON.parse(await readFile(path.join(FIXTURES, name), 'utf8')) as Record<string, unknown>;

interface Task {
  id: string;
  state?: string;
  version?: string;
}
interface App {
  id: string;
  instances?: number;
  tasksRunning?: number;
  cmd?: string;
  version?: string;
  versionInfo?: { lastConfigChangeAt?: string };
  deployments?: { id: string }[];
  tasks?: Task[];
  container?: { docker?: { image?: string } };
}

/** What the clients need in the namespace: the Marathon API maps apps to MarathonApps and tasks to pods. */
const clientRole = (ns: string) => `
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: { name: marathon-client, namespace: ${ns} }
rules:
  - apiGroups: [dcos-operator.dev]
    resources: [marathonapps, marathonapps/status, marathonapps/scale]
    verbs: [get, list, watch, create, update, patch, delete]
  - apiGroups: ['']
    resources: [pods]
    verbs: [get, list, watch, delete]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: marathon-client, namespace: ${ns} }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: marathon-client }
subjects:
  - { kind: ServiceAccount, name: marathon-client, namespace: ${ns} }
`;

/**
 * Paths where `got` differs from what was written (extra fields in `got` are fine: defaults, status). Two
 * changes are Marathon's own and expected: a relative id comes back absolute, and a service port written as
 * 0 ("assign one") comes back assigned.
 */
function differences(written: unknown, got: unknown, at = ''): string[] {
  if (Array.isArray(written)) {
    if (!Array.isArray(got) || got.length !== written.length)
      return [`${at || '/'}: wrote ${JSON.stringify(written)}, got ${JSON.stringify(got)}`];
    return written.flatMap((w, i) => differences(w, got[i], `${at}/${i}`));
  }
  if (written !== null && typeof written === 'object') {
    if (got === null || typeof got !== 'object' || Array.isArray(got))
      return [`${at || '/'}: wrote an object, got ${JSON.stringify(got)}`];
    return Object.entries(written).flatMap(([k, w]) =>
      differences(w, (got as Record<string, unknown>)[k], `${at}/${k}`),
    );
  }
  if (at === '/id' && typeof written === 'string' && !written.startsWith('/') && got === `/${written}`)
    return [];
  if (written === 0 && /\/(portDefinitions\/\d+\/port|portMappings\/\d+\/servicePort)$/.test(at))
    return typeof got === 'number' && got >= 10000 && got <= 20000
      ? []
      : [`${at}: wrote 0, got ${JSON.stringify(got)}`];
  return written === got ? [] : [`${at}: wrote ${JSON.stringify(written)}, got ${JSON.stringify(got)}`];
}

describe('Marathon API real clients', function () {
  this.timeout(600_000);
  const ns = useNamespace({ scope: 'suite', prefix: 'mclients' });
  let op: OperatorProcess;
  let base = '';
  let token = '';
  let tmp = '';

  /** curl with the client's token, as every example is run against an authenticated cluster. */
  const api = (args: string[], bearer = token): Promise<CurlResponse> =>
    curl([...(bearer ? ['-H', `Authorization: token=${bearer}`] : []), ...args]);
  const getApp = async (url: string, id: string): Promise<App | undefined> => {
    const res = await api([`${url}/v2/apps${id}`]);
    return res.status === 200 ? jsonOf<{ app: App }>(res).app : undefined;
  };
  /** Waits until the app runs `n` tasks and has no deployment left. */
  const settled = (url: string, id: string, n: number): Promise<App> =>
    waitFor(
      async () => {
        const app = await getApp(url, id);
        return app && app.instances === n && app.tasksRunning === n && app.deployments?.length === 0
          ? app
          : undefined;
      },
      { timeoutMs: 120_000, message: `${id} running ${n} tasks with no deployment` },
    );
  /**
   * Follows deployment `deploymentId` of app `id` until it is over, sampling the app and /v2/deployments,
   * and fails if the deployment was not listed (in both) at a moment the app had not reached `done` yet:
   * clients that poll for "no deployment left" (the dcos CLI, marathon-python users, CI plugins) would
   * take the change for finished.
   */
  const followDeployment = async (
    url: string,
    id: string,
    deploymentId: string,
    done: (app: App) => boolean,
  ): Promise<App> => {
    const unlisted: string[] = [];
    const end = Date.now() + 120_000;
    for (;;) {
      const app = (await getApp(url, id))!;
      const listed = jsonOf<{ id: string }[]>(await api([`${url}/v2/deployments`])).map((d) => d.id);
      const inApp = (app.deployments ?? []).map((d) => d.id);
      const finished = done(app);
      // The two reads are not one snapshot: a rollout that ended between them is not a gap, which a
      // third read, finding the app rolled out, tells apart.
      if (
        !finished &&
        !(listed.includes(deploymentId) && inApp.includes(deploymentId)) &&
        !done((await getApp(url, id))!)
      )
        unlisted.push(
          `tasksRunning=${app.tasksRunning}/${app.instances} tasks=${app.tasks?.length} ` +
            `app.deployments=${JSON.stringify(inApp)} /v2/deployments=${JSON.stringify(listed)}`,
        );
      if (finished && !listed.includes(deploymentId) && inApp.length === 0) {
        assert.deepEqual(unlisted, [], `deployment ${deploymentId} of ${id} not listed while under way`);
        return app;
      }
      if (Date.now() > end) throw new Error(`deployment ${deploymentId} of ${id} did not finish`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  /** Every task runs the current configuration, as many as asked for. */
  const rolledOut = (n: number) => (app: App) =>
    app.tasksRunning === n &&
    app.tasks?.length === n &&
    app.tasks.every((t) => (t.version ?? '') >= (app.versionInfo?.lastConfigChangeAt ?? '~'));
  /** A JSON body in a file, for `curl -d @file` as the examples do. */
  const bodyFile = async (name: string, body: unknown): Promise<string> => {
    const f = path.join(tmp, name);
    await writeFile(f, JSON.stringify(body, null, 2));
    return f;
  };

  before(async function () {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'marathon-clients-'));
    const clients = ensureClients(); // built while the operator starts
    await kubectl(['create', 'serviceaccount', 'marathon-client', '-n', ns()]);
    await kubectl(['create', 'serviceaccount', 'no-rbac', '-n', ns()]);
    await kubectl(['apply', '-f', '-'], { input: clientRole(ns()) });
    token = (await kubectl(['create', 'token', 'marathon-client', '-n', ns(), '--duration=2h'])).trim();
    op = await startApiOperator(ns(), { auth: 'kubernetes' });
    base = `http://127.0.0.1:${op.port}`;
    await clients;
  });
  after(async () => {
    await op?.stop('SIGTERM');
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.log(`operator log (tail):\n${op?.dump()}`);
  });

  it('answers 401 without a token and with one the API server does not know', async () => {
    const none = await api([`${base}/v2/apps`], '');
    assert.equal(none.status, 401, none.body);
    assert.ok(jsonOf<{ message?: string }>(none).message, none.body);
    const bad = await api([`${base}/v2/apps`], 'not-a-token');
    assert.equal(bad.status, 401, bad.body);
  });

  it('answers 403 to a valid token whose account RBAC does not allow the call', async () => {
    const noRbac = (await kubectl(['create', 'token', 'no-rbac', '-n', ns(), '--duration=10m'])).trim();
    const body = await bodyFile('forbidden.json', { id: '/forbidden', cmd: 'sleep 1', cpus: 0.1, mem: 16 });
    const res = await api(
      ['-X', 'POST', '-H', 'Content-Type: application/json', `${base}/v2/apps`, '-d', `@${body}`],
      noRbac,
    );
    assert.equal(res.status, 403, res.body);
    assert.ok(jsonOf<{ message?: string }>(res).message, res.body);
    const left = await kubectl(['get', 'marathonapps', '-n', ns(), '-o', 'name']);
    assert.doesNotMatch(left, /forbidden/);
  });

  it('python3-marathon (Debian): the scenarios of marathon-python’s integration suite', async () => {
    const run = await runPythonScenarios({ url: base, token, prefix: '/python' });
    assert.ok(run.verdicts.length > 0, explain('scenarios.py', run));
    assert.equal(run.code, 0, explain('scenarios.py', run));
  });

  it('python3-marathon through the Admin Router prefix /service/marathon', async () => {
    const run = await runPythonScenarios({
      url: `${base}/service/marathon`,
      token,
      prefix: '/python-prefixed',
    });
    assert.ok(run.verdicts.length > 0, explain('scenarios.py', run));
    assert.equal(run.code, 0, explain('scenarios.py', run));
  });

  it('go-marathon over SSE: create, deployment_success, update, scale, delete, ApplicationOK', async () => {
    // With a DC/OS token go-marathon itself puts /marathon before every REST path (it expects the
    // cluster's root URL), and reads events from /v2/events without it.
    const run = await runGoMarathon({ url: base, token, app: '/go/smoke' });
    assert.ok(run.verdicts.length > 0, explain('go-marathon-smoke', run));
    assert.equal(run.code, 0, explain('go-marathon-smoke', run));
  });

  for (const [label, prefix] of [
    ['', ''],
    [' through /service/marathon', '/service/marathon'],
  ] as const) {
    it(`curl: Marathon's documented examples (POST, GET, PUT instances, DELETE)${label}`, async () => {
      const url = `${base}${prefix}`;
      const id = prefix ? '/docs-prefixed/simple' : '/docs/simple';
      const app = { ...(await fixture('app-simple.json')), id };
      const json = ['-H', 'Content-Type: application/json'];

      const created = await api([
        '-X',
        'POST',
        `${url}/v2/apps`,
        '-d',
        `@${await bodyFile('simple.json', app)}`,
        ...json,
      ]);
      assert.equal(created.status, 201, created.body);
      const body = jsonOf<App>(created);
      assert.equal(body.id, id);
      const deploymentId = created.headers['marathon-deployment-id'];
      assert.ok(deploymentId, `no Marathon-Deployment-Id header: ${JSON.stringify(created.headers)}`);
      assert.deepEqual(
        body.deployments?.map((d) => d.id),
        [deploymentId],
      );
      assert.match(created.headers.location ?? '', new RegExp(`/v2/apps${id}$`));

      const got = await getApp(url, id);
      assert.equal(got?.cmd, 'sleep 1000');
      await settled(url, id, 2);

      const scaled = await api(['-X', 'PUT', `${url}/v2/apps${id}`, '-d', '{"instances": 3}', ...json]);
      assert.equal(scaled.status, 200, scaled.body);
      const result = jsonOf<{ deploymentId?: string; version?: string }>(scaled);
      assert.ok(result.deploymentId && result.version, scaled.body);
      assert.equal(scaled.headers['marathon-deployment-id'], result.deploymentId);
      await followDeployment(url, id, result.deploymentId, rolledOut(3));

      const deleted = await api(['-X', 'DELETE', `${url}/v2/apps${id}`]);
      assert.equal(deleted.status, 200, deleted.body);
      assert.ok(jsonOf<{ deploymentId?: string }>(deleted).deploymentId, deleted.body);
      const gone = await api([`${url}/v2/apps${id}`]);
      assert.equal(gone.status, 404, gone.body);
      assert.equal(jsonOf<{ message: string }>(gone).message, `App '${id}' does not exist`);
    });
  }

  it('curl: the Jenkins marathon plugin’s PUT /v2/apps/{id}?force=true creates, then updates', async () => {
    const id = '/jenkins/web';
    const definition = (image: string) => ({
      id,
      cmd: 'nginx -g "daemon off;"',
      instances: 1,
      cpus: 0.1,
      mem: 32,
      container: { type: 'DOCKER', docker: { image } },
      labels: { BUILD: image },
    });
    const put = async (image: string) =>
      api([
        '-X',
        'PUT',
        '-H',
        'Content-Type: application/json',
        `${base}/v2/apps${id}?force=true`,
        '-d',
        `@${await bodyFile('jenkins.json', definition(image))}`,
      ]);

    const created = await put('nginx:1.25');
    assert.equal(created.status, 201, created.body);
    assert.ok(jsonOf<{ deploymentId?: string }>(created).deploymentId, created.body);
    await settled(base, id, 1);

    const updated = await put('nginx:1.26');
    assert.equal(updated.status, 200, updated.body);
    const { deploymentId } = jsonOf<{ deploymentId?: string }>(updated);
    assert.ok(deploymentId, updated.body);
    const app = await followDeployment(base, id, deploymentId, rolledOut(1));
    assert.equal(app.container?.docker?.image, 'nginx:1.26');
    await api(['-X', 'DELETE', `${base}/v2/apps${id}`]);
  });

  it('curl: the ACS Jenkins plugin’s DELETE then immediate POST ?force=true of the same id', async () => {
    const id = '/acs/web';
    const url = `${base}/marathon`; // the plugin calls http://localhost/marathon/v2/apps over SSH
    const file = await bodyFile('acs.json', {
      id,
      instances: 2,
      cpus: 0.1,
      mem: 32,
      container: {
        type: 'DOCKER',
        docker: {
          image: 'nginx:1.25',
          network: 'BRIDGE',
          portMappings: [{ containerPort: 80, hostPort: 0 }],
        },
      },
      uris: ['file:///mnt/docker.tar.gz'],
    });
    const post = (query = '') =>
      api(['-H', 'Content-Type: application/json', '-d', `@${file}`, `${url}/v2/apps${query}`]);

    const first = await post();
    assert.equal(first.status, 201, first.body);
    const before = await settled(url, id, 2);
    const oldTasks = new Set((before.tasks ?? []).map((t) => t.id));

    const deleted = await api(['-X', 'DELETE', `${url}/v2/apps${id}`]);
    assert.equal(deleted.status, 200, deleted.body);
    const again = await post('?force=true');
    assert.equal(again.status, 201, again.body);

    const after = await waitFor(
      async () => {
        const app = await settled(url, id, 2);
        return (app.tasks ?? []).every((t) => !oldTasks.has(t.id)) ? app : undefined;
      },
      { timeoutMs: 120_000, message: `${id} running 2 new tasks` },
    );
    assert.equal(after.tasks?.length, 2);
    await api(['-X', 'DELETE', `${url}/v2/apps${id}`]);
  });

  for (const name of ['docker_bridge.json', 'readiness-and-health-app.json', 'labels.json']) {
    it(`an app applied with kubectl reads back through the API as written (${name})`, async () => {
      const spec = await fixture(name);
      const crName = `roundtrip-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`.replace(/-json$/, '');
      await kubectl(['apply', '-f', '-'], {
        input: JSON.stringify({
          apiVersion: 'dcos-operator.dev/v1alpha1',
          kind: 'MarathonApp',
          metadata: { name: crName, namespace: ns() },
          spec,
        }),
      });
      const id = `/${String(spec.id).replace(/^\//, '')}`;
      const got = await waitFor(() => getApp(base, id), { message: `GET /v2/apps${id}` });
      assert.deepEqual(differences(spec, got), [], `GET /v2/apps${id} differs from what was applied`);
      await kubectl(['delete', 'marathonapp', crName, '-n', ns(), '--wait=false']);
    });
  }
});
