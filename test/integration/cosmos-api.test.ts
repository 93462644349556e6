// The Cosmos package API served by the operator, against the test control plane: the catalog questions
// (search, describe, render) from the built-in catalog, install / list / uninstall through UniversePackages
// whose MarathonApps the controllers create and remove, repository add / list / delete through
// UniverseRepositories (a repository served over HTTP on loopback), and Cosmos's error bodies. Requests carry
// the headers the dcos CLI sends (dcos/cosmos.py: Content-Type request v1, Accept the response version).
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { kubectl, kubectlJson, uniqueName, useNamespace, waitFor } from './helpers.ts';
import type { OperatorProcess } from './operator-process.ts';
import { startApiOperator } from './api-operator.ts';

const ERROR_TYPE = 'application/vnd.dcos.package.error+json;charset=utf-8;version=v1';
const mediaType = (kind: string, version: number) =>
  `application/vnd.dcos.package.${kind}+json;charset=utf-8;version=v${version}`;

interface Reply {
  status: number;
  contentType: string;
  body: Record<string, unknown> & {
    type?: string;
    message?: string;
    packages?: Record<string, unknown>[];
    repositories?: { name: string; uri: string }[];
    results?: Record<string, unknown>[];
  };
}

interface Obj {
  metadata: { name: string; annotations?: Record<string, string> };
  spec: Record<string, unknown> & { labels?: Record<string, string>; priority?: number; uri?: string };
}

/** A package of our own in the shape Universe indexes carry (v4). */
function helloEntry() {
  const template = JSON.stringify({
    id: '/{{service.name}}',
    cmd: 'sleep 3600',
    instances: 1,
    cpus: 0.1,
    mem: 32,
  });
  return {
    packagingVersion: '4.0',
    name: 'hello-cosmos',
    version: '1.0.0',
    releaseVersion: 0,
    maintainer: 'team@example.com',
    description: 'A package served by a test repository',
    tags: ['test'],
    marathon: { v2AppMustacheTemplate: Buffer.from(template).toString('base64') },
    config: {
      type: 'object',
      properties: {
        service: { type: 'object', properties: { name: { type: 'string', default: 'hello-cosmos' } } },
      },
    },
  };
}

describe('Cosmos API', function () {
  this.timeout(240_000);
  const ns = useNamespace({ scope: 'suite', prefix: 'cosmos' });
  let op: OperatorProcess;

  /** POST /package/<op> as the dcos CLI sends it. */
  async function call(op_: string, body: unknown, version = 1, headers: Record<string, string> = {}) {
    if (op.port === undefined) await op.waitForLog(/^serving/);
    const kind = op_.replace(/\//g, '.');
    const r = await fetch(`http://127.0.0.1:${op.port}/package/${op_}`, {
      method: 'POST',
      headers: {
        'content-type': mediaType(`${kind}-request`, 1),
        accept: mediaType(`${kind}-response`, version),
        ...headers,
      },
      body: JSON.stringify(body),
    });
    const text = await r.text();
    return {
      status: r.status,
      contentType: r.headers.get('content-type') ?? '',
      body: JSON.parse(text) as Reply['body'],
    } satisfies Reply;
  }

  before(async () => {
    // The built-in catalog is what is searched while no UniverseRepository exists.
    await kubectl(['delete', 'universerepositories', '--all', '--wait=true']);
    op = await startApiOperator(ns(), { args: ['--universe-retry=1s'] });
  });
  after(async () => {
    await op.stop('SIGTERM');
    await kubectl(['delete', 'universerepositories', '--all', '--wait=true']);
  });

  it('searches, describes and renders packages of the built-in catalog', async () => {
    const search = await call('search', { query: 'nginx' });
    assert.equal(search.status, 200);
    assert.equal(search.contentType, mediaType('search-response', 1));
    const nginx = search.body.packages?.find((p) => p.name === 'nginx');
    assert.deepEqual(nginx?.versions, { '1.10.3': '6' });
    assert.equal(nginx?.currentVersion, '1.10.3');
    assert.equal(nginx?.framework, false);

    // The dcos CLI's describe asks for v2: the package flattened, from its package.json, config.json, ….
    const v2 = await call('describe', { packageName: 'nginx' }, 2);
    assert.equal(v2.status, 200);
    assert.equal(v2.contentType, mediaType('describe-response', 2));
    assert.equal(v2.body.name, 'nginx');
    assert.equal(v2.body.version, '1.10.3');
    assert.equal(v2.body.postInstallNotes, 'Nginx has been installed.');
    assert.equal(typeof v2.body.maintainer, 'string');
    assert.ok((v2.body.config as { properties?: { nginx?: unknown } }).properties?.nginx);
    const v3 = await call('describe', { packageName: 'nginx' }, 3);
    assert.equal((v3.body.package as { releaseVersion?: number }).releaseVersion, 6);

    const render = await call('render', {
      packageName: 'nginx',
      appId: `/${ns()}-rendered`,
      options: { nginx: { instances: 2 } },
    });
    assert.equal(render.status, 200);
    const app = render.body.marathonJson as {
      id: string;
      instances: number;
      container: { docker: { image: string } };
      labels: Record<string, string>;
    };
    assert.equal(app.id, `/${ns()}-rendered`);
    assert.equal(app.instances, 2);
    assert.equal(app.container.docker.image, 'bitnami/nginx:1.10.3-r1');
    assert.equal(app.labels.DCOS_PACKAGE_NAME, 'nginx');
    // Rendering deploys nothing.
    const apps = await kubectlJson<{ items: Obj[] }>(['get', 'marathonapps', '-n', ns()]);
    assert.deepEqual(apps.items, []);
  });

  it('installs a package as a UniversePackage whose MarathonApp runs, lists it and uninstalls it', async () => {
    const appId = `/${ns()}-web`;
    const installed = await call(
      'install',
      { packageName: 'nginx', appId, options: { nginx: { mem: 256 } } },
      2,
    );
    assert.equal(installed.status, 200, JSON.stringify(installed.body));
    assert.equal(installed.contentType, mediaType('install-response', 2));
    assert.deepEqual(installed.body, {
      packageName: 'nginx',
      packageVersion: '1.10.3',
      appId,
      postInstallNotes: 'Nginx has been installed.',
    });

    const packages = await kubectlJson<{ items: Obj[] }>(['get', 'universepackages', '-n', ns()]);
    assert.equal(packages.items.length, 1);
    assert.deepEqual(packages.items[0]!.spec, {
      packageName: 'nginx',
      packageVersion: '1.10.3',
      options: { nginx: { mem: 256 } },
      serviceName: appId,
      rendering: 'modern',
      runFrameworkScheduler: false,
    });
    const app = await waitFor(
      async () =>
        (await kubectlJson<{ items: Obj[] }>(['get', 'marathonapps', '-n', ns()])).items.find(
          (a) => a.metadata.annotations?.['dcos-operator.dev/app-id'] === appId,
        ),
      { message: `the MarathonApp of ${appId}` },
    );
    assert.equal(app.spec.labels?.DCOS_PACKAGE_NAME, 'nginx');
    assert.equal(app.spec.id, appId);
    await waitFor(() => kubectl(['get', 'deployment', app.metadata.name, '-n', ns(), '-o', 'name']), {
      message: 'the Deployment of the app',
    });

    const list = await call('list', {});
    assert.equal(list.status, 200);
    assert.equal(list.contentType, mediaType('list-response', 1));
    assert.deepEqual(
      list.body.packages?.map((p) => p.appId),
      [appId],
    );
    const info = list.body.packages?.[0]?.packageInformation as {
      packageDefinition: { name: string; version: string };
    };
    assert.deepEqual([info.packageDefinition.name, info.packageDefinition.version], ['nginx', '1.10.3']);

    const again = await call('install', { packageName: 'nginx', appId }, 2);
    assert.deepEqual([again.status, again.body.type], [409, 'PackageAlreadyInstalled']);
    assert.equal(again.contentType, ERROR_TYPE);

    const uninstalled = await call('uninstall', { packageName: 'nginx', appId });
    assert.equal(uninstalled.status, 200, JSON.stringify(uninstalled.body));
    assert.deepEqual(uninstalled.body.results, [
      {
        packageName: 'nginx',
        appId,
        packageVersion: '1.10.3',
        postUninstallNotes: 'Nginx was uninstalled successfully.',
      },
    ]);
    assert.deepEqual((await call('list', {})).body.packages, []);
    await waitFor(
      async () =>
        (await kubectl([
          'get',
          'marathonapp',
          app.metadata.name,
          '-n',
          ns(),
          '--ignore-not-found',
          '-o',
          'name',
        ])) === '',
      { message: 'the MarathonApp garbage-collected' },
    );
    const gone = await call('uninstall', { packageName: 'nginx', appId });
    assert.deepEqual([gone.status, gone.body.type], [400, 'UninstallNonExistentAppForPackage']);
  });

  it('answers unknown packages, bad media types and bad bodies with Cosmos errors, writing nothing', async () => {
    const unknown = await call('describe', { packageName: 'no-such-package' }, 2);
    assert.equal(unknown.status, 400);
    assert.equal(unknown.contentType, ERROR_TYPE);
    assert.deepEqual(unknown.body, {
      type: 'PackageNotFound',
      message: 'Package [no-such-package] not found',
      data: { packageName: 'no-such-package' },
    });
    const install = await call('install', { packageName: 'no-such-package' }, 2);
    assert.equal(install.body.type, 'PackageNotFound');

    // describe-response v1 is not produced (the dcos CLI falls back to it only after a 400 for v2).
    const accept = await call('describe', { packageName: 'nginx' }, 1);
    assert.equal(accept.status, 400);
    assert.equal(accept.body.type, 'not_valid');
    assert.match(accept.body.message ?? '', /Accept/);
    const contentType = await call('search', {}, 1, { 'content-type': 'text/plain' });
    assert.deepEqual([contentType.status, contentType.body.type], [400, 'not_valid']);
    assert.match(contentType.body.message ?? '', /Content-Type/);
    const bad = await call('install', { packageName: 'nginx', options: { nginx: { instances: 'many' } } }, 2);
    assert.equal(bad.body.type, 'JsonSchemaMismatch');
    const notJson = await fetch(`http://127.0.0.1:${op.port}/package/install`, {
      method: 'POST',
      headers: { 'content-type': mediaType('install-request', 1) },
      body: '{"packageName": "nginx",',
    });
    assert.equal(notJson.status, 400);
    assert.equal(((await notJson.json()) as { type: string }).type, 'json_error');

    const packages = await kubectlJson<{ items: Obj[] }>(['get', 'universepackages', '-n', ns()]);
    assert.deepEqual(packages.items, []);
  });

  it('adds, lists and deletes repositories as UniverseRepositories, in Cosmos’s order', async () => {
    const index = JSON.stringify({ packages: [helloEntry()] });
    const server = http.createServer((req, res) => {
      if (req.url !== '/repo' && req.url !== '/repo2') return res.writeHead(404).end();
      res.writeHead(200, {
        'content-type': 'application/vnd.dcos.universe.repo+json;charset=utf-8;version=v4',
      });
      res.end(index);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      assert.deepEqual((await call('repository/list', {})).body.repositories, [
        { name: 'builtin', uri: 'builtin' },
      ]);

      const down = await call('repository/add', { name: 'down', uri: `${base}/missing` });
      assert.deepEqual([down.status, down.body.type], [400, 'UniverseClientHttpError']);
      assert.equal(
        (await kubectlJson<{ items: Obj[] }>(['get', 'universerepositories'])).items.length,
        0,
        'a repository that cannot be loaded is not added',
      );

      // A Cosmos name that is not a Kubernetes name, put first.
      const first = `Hello ${uniqueName('repo')}`;
      const added = await call('repository/add', { name: first, uri: `${base}/repo`, index: 0 });
      assert.equal(added.status, 200, JSON.stringify(added.body));
      assert.equal(added.contentType, mediaType('repository.add-response', 1));
      assert.deepEqual(added.body.repositories, [
        { name: first, uri: `${base}/repo` },
        { name: 'builtin', uri: 'builtin' },
      ]);
      // Searchable at once, and nginx still is: the built-in catalog stayed in the list.
      const search = await call('search', {});
      const names = search.body.packages?.map((p) => p.name);
      assert.ok(names?.includes('hello-cosmos') && names.includes('nginx'), String(names));
      assert.equal((await call('describe', { packageName: 'hello-cosmos' }, 2)).body.version, '1.0.0');

      // Between the two: no priority fits ("c-…" sorts between "builtin" and "hello-…"), so the first is raised.
      const second = uniqueName('c');
      const between = await call('repository/add', { name: second, uri: `${base}/repo2`, index: 1 });
      assert.equal(between.status, 200, JSON.stringify(between.body));
      assert.deepEqual(
        between.body.repositories?.map((r) => r.name),
        [first, second, 'builtin'],
      );
      const objects = (await kubectlJson<{ items: Obj[] }>(['get', 'universerepositories'])).items;
      const priority = (uri: string) => objects.find((o) => o.spec.uri === uri)?.spec.priority;
      assert.deepEqual([priority(`${base}/repo`), priority(`${base}/repo2`), priority('builtin')], [2, 1, 0]);
      assert.equal(
        objects.find((o) => o.spec.uri === `${base}/repo`)?.metadata.annotations?.[
          'dcos-operator.dev/repository-name'
        ],
        first,
      );
      assert.deepEqual((await call('repository/list', {})).body.repositories, between.body.repositories);

      const dup = await call('repository/add', { name: 'other', uri: `${base}/repo` });
      assert.deepEqual([dup.status, dup.body.type], [400, 'RepositoryAlreadyPresent']);

      const byUri = await call('repository/delete', { uri: `${base}/repo2` });
      assert.deepEqual(
        byUri.body.repositories?.map((r) => r.name),
        [first, 'builtin'],
      );
      const byName = await call('repository/delete', { name: first });
      assert.deepEqual(byName.body.repositories, [{ name: 'builtin', uri: 'builtin' }]);
      const missing = await call('repository/delete', { name: first });
      assert.deepEqual([missing.status, missing.body.type], [400, 'RepositoryNotPresent']);
      const left = (await kubectlJson<{ items: Obj[] }>(['get', 'universerepositories'])).items;
      assert.deepEqual(
        left.map((o) => o.spec.uri),
        ['builtin'],
      );
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
