// The Cosmos routes through the real HTTP server, with in-memory caches standing in for the informers and a
// recording stand-in for the Kubernetes API (writes land in the caches at once, as a watch would deliver them).
import assert from 'node:assert/strict';
import type { KubernetesObject } from '@kubernetes/client-node';
import { builtinContent } from '../../operator/universe-content.ts';
import { silentLogger } from '../../runtime/logger.ts';
import type { JsonRequester } from '../../runtime/kube-client.ts';
import type { RepositoryContent } from '../../universe/repository-set.ts';
import type { ResourceAttributes } from '../auth.ts';
import { ANONYMOUS } from '../auth.ts';
import { Router } from '../router.ts';
import type { HttpServer } from '../server.ts';
import { startHttpServer } from '../server.ts';
import { CatalogSource } from './catalog-source.ts';
import { cosmosMediaType } from './media-types.ts';
import { registerCosmosRoutes } from './routes.ts';

/** The fields of Cosmos responses these tests read. */
interface Body {
  type?: string;
  message?: string;
  data?: { errors?: { message: string }[] };
  packages?: {
    name: string;
    versions: unknown;
    appId: string;
    packageInformation: { packageDefinition: { name: string } };
  }[];
  name?: string;
  marathon?: { v2AppMustacheTemplate?: string };
  package?: { releaseVersion?: number };
  marathonJson?: { id: string; instances: number; labels: Record<string, string> };
  results?: unknown;
  repositories?: unknown[];
}

class Cache {
  readonly objects = new Map<string, KubernetesObject>();
  get(name: string, namespace?: string) {
    return this.objects.get(namespace ? `${namespace}/${name}` : name);
  }
  list() {
    return [...this.objects.values()];
  }
}

const ERROR_TYPE = 'application/vnd.dcos.package.error+json;charset=utf-8;version=v1';
const PRIVATE_URI = 'https://repo.test/ok';
const privateRepo: RepositoryContent = {
  uri: PRIVATE_URI,
  entries: [],
  summaries: [
    {
      name: 'private-pkg',
      currentVersion: '1.0',
      versions: { '1.0': '0' },
      description: 'ours',
      framework: false,
      tags: [],
      selected: false,
    },
  ],
  digest: 'private',
};

describe('Cosmos API routes', () => {
  let server: HttpServer;
  const packages = new Cache();
  const repositories = new Cache();
  const apps = new Cache();
  const writes: string[] = [];
  let denied: (a: ResourceAttributes) => boolean = () => false;
  let refuseWrites = false;
  /** Object keys whose deletion the stand-in API server refuses. */
  const undeletable = new Set<string>();
  let uid = 0;

  const json: JsonRequester = <T>(
    method: string,
    path: string,
    opts: { body?: unknown; query?: Record<string, unknown> } = {},
  ) => {
    const dryRun = opts.query?.dryRun === 'All';
    writes.push(`${method} ${path}${dryRun ? ' (dry run)' : ''}`);
    if (refuseWrites)
      return Promise.reject(
        Object.assign(new Error('HTTP-Code: 403\nMessage: …\nHeaders: {…}'), {
          code: 403,
          body: { message: 'universepackages is forbidden: User "operator" cannot create resource' },
        }),
      );
    const body = opts.body as KubernetesObject & { spec?: { priority?: number } };
    const pkg =
      /^\/apis\/dcos-operator\.dev\/v1alpha1\/namespaces\/([^/]+)\/(universepackages|marathonapps)(?:\/(.+))?$/.exec(
        path,
      );
    const repo = /^\/apis\/dcos-operator\.dev\/v1alpha1\/universerepositories(?:\/(.+))?$/.exec(path);
    const cache = pkg ? (pkg[2] === 'marathonapps' ? apps : packages) : repo ? repositories : undefined;
    const key = pkg ? (pkg[3] ? `${pkg[1]}/${pkg[3]}` : undefined) : repo?.[1];
    if (!cache) return Promise.reject(new Error(`unexpected ${method} ${path}`));
    if (method === 'POST') {
      const k = pkg ? `${pkg[1]}/${body.metadata!.name}` : body.metadata!.name!;
      if (cache.objects.has(k)) return Promise.reject(Object.assign(new Error('exists'), { code: 409 }));
      if (dryRun) return Promise.resolve(body as T);
      const created = { ...body, metadata: { ...body.metadata, uid: `uid-${++uid}` } };
      cache.objects.set(k, created);
      return Promise.resolve(created as T);
    }
    if (method === 'DELETE') {
      if (undeletable.has(key!))
        return Promise.reject(Object.assign(new Error('forbidden'), { code: 403, body: { message: 'no' } }));
      if (dryRun) return Promise.resolve((cache.objects.has(key!) ? {} : undefined) as T);
      if (!cache.objects.delete(key!)) return Promise.reject(Object.assign(new Error('gone'), { code: 404 }));
      return Promise.resolve({} as T);
    }
    if (method === 'PATCH') {
      const o = cache.objects.get(key!) as KubernetesObject & { spec: Record<string, unknown> };
      if (dryRun) return Promise.resolve(o as T);
      o.spec = { ...o.spec, ...(body.spec ?? {}) };
      return Promise.resolve(o as T);
    }
    return Promise.reject(new Error(`unexpected ${method} ${path}`));
  };

  const call = async (op: string, body: unknown, headers: Record<string, string> = {}, version?: number) => {
    const kind = op.replace(/\//g, '.');
    const accept =
      version === undefined
        ? cosmosMediaType('package', `${kind}-response`, 1)
        : cosmosMediaType('package', `${kind}-response`, version);
    const r = await fetch(`http://127.0.0.1:${server.port}/package/${op}`, {
      method: 'POST',
      headers: {
        'content-type': cosmosMediaType('package', `${kind}-request`, 1),
        accept,
        ...headers,
      },
      body: JSON.stringify(body),
    });
    return {
      status: r.status,
      contentType: r.headers.get('content-type') ?? '',
      body: (await r.json()) as Body,
    };
  };

  before(async () => {
    const router = registerCosmosRoutes(new Router(), {
      packages,
      repositories,
      apps,
      appIdInUse: (id) => id === '/taken',
      catalog: new CatalogSource({
        contents: () => new Map(),
        builtin: builtinContent(),
        load: (uri) =>
          uri === PRIVATE_URI
            ? Promise.resolve(privateRepo)
            : uri === 'builtin'
              ? Promise.resolve(builtinContent())
              : Promise.reject(new Error('connection refused')),
        refreshMs: 60_000,
        retryMs: 1_000,
      }),
      load: (uri) =>
        uri === PRIVATE_URI ? Promise.resolve(privateRepo) : Promise.reject(new Error('connection refused')),
      json,
      settings: { apiNamespace: 'apins', cacheWaitMs: 100 },
      log: silentLogger(),
    });
    server = await startHttpServer('127.0.0.1:0', {
      api: {
        router,
        authenticator: { authenticate: () => Promise.resolve(ANONYMOUS) },
        authorizer: { allowed: (_c, a) => Promise.resolve(!denied(a)) },
      },
      log: silentLogger(),
    });
  });
  after(() => server.close());
  beforeEach(() => {
    writes.length = 0;
    denied = () => false;
    refuseWrites = false;
    undeletable.clear();
  });

  it('answers /capabilities with package management only', async () => {
    const r = await fetch(`http://127.0.0.1:${server.port}/capabilities`, {
      headers: { accept: 'application/vnd.dcos.capabilities+json;charset=utf-8;version=v1' },
    });
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), { capabilities: [{ name: 'PACKAGE_MANAGEMENT' }] });
  });

  it('searches and describes the built-in catalog with the negotiated versions', async () => {
    const search = await call('search', { query: 'NGIN' });
    assert.equal(search.status, 200);
    assert.equal(search.contentType, cosmosMediaType('package', 'search-response', 1));
    const found = search.body.packages!;
    assert.ok(found.some((p) => p.name === 'nginx'));
    assert.ok(
      found.every((p) => /ngin/i.test(JSON.stringify(p))),
      'a case-insensitive match on every result',
    );
    assert.deepEqual(found.find((p) => p.name === 'nginx')?.versions, { '1.10.3': '6' });
    const wildcard = await call('search', { query: 'ng*x' });
    assert.deepEqual(
      wildcard.body.packages!.map((p) => p.name),
      ['nginx'],
    );

    // The dcos CLI asks for v2 first.
    const v2 = await call('describe', { packageName: 'nginx' }, {}, 2);
    assert.equal(v2.status, 200);
    assert.equal(v2.contentType, cosmosMediaType('package', 'describe-response', 2));
    assert.equal(v2.body.name, 'nginx');
    assert.ok(v2.body.marathon?.v2AppMustacheTemplate);
    const v3 = await call('describe', { packageName: 'nginx', packageVersion: '1.10.3' }, {}, 3);
    assert.equal(v3.body.package?.releaseVersion, 6);

    const v1 = await call('describe', { packageName: 'nginx' }, {}, 1);
    assert.equal(v1.status, 400);
    assert.equal(v1.contentType, ERROR_TYPE);
    assert.equal(v1.body.type, 'not_valid');
  });

  it('answers bad input with Cosmos errors', async () => {
    const missing = await call('describe', { packageName: 'no-such' }, {}, 3);
    assert.deepEqual(
      [missing.status, missing.body.type, missing.body.message],
      [400, 'PackageNotFound', 'Package [no-such] not found'],
    );
    const version = await call('describe', { packageName: 'nginx', packageVersion: '0.0' }, {}, 3);
    assert.equal(version.body.type, 'VersionNotFound');
    const ct = await call('search', {}, { 'content-type': 'text/plain' });
    assert.deepEqual([ct.status, ct.body.type], [400, 'not_valid']);
    assert.match(ct.body.message ?? '', /Content-Type/);
    const r = await fetch(`http://127.0.0.1:${server.port}/package/search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    });
    assert.equal(r.status, 400);
    assert.equal(((await r.json()) as Body).type, 'json_error');
  });

  it('lists the versions of a package', async () => {
    const r = await call('list-versions', { packageName: 'nginx', includePackageVersions: true });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.results, { '1.10.3': '6' });
    const missing = await call('list-versions', { packageName: 'no-such', includePackageVersions: true });
    assert.equal(missing.body.type, 'PackageNotFound');
  });

  it('answers a failed Kubernetes write with unhandled_exception and the API server’s own message', async () => {
    refuseWrites = true;
    const r = await call('install', { packageName: 'nginx', appId: '/refused' }, {}, 2);
    assert.equal(r.status, 500);
    assert.deepEqual(r.body, {
      type: 'unhandled_exception',
      message:
        'Kubernetes API answered 403: universepackages is forbidden: User "operator" cannot create resource',
    });
  });

  it('renders the Marathon app an install would create, and explains bad options', async () => {
    const r = await call('render', {
      packageName: 'nginx',
      appId: '/web',
      options: { nginx: { instances: 2 } },
    });
    assert.equal(r.status, 200);
    assert.equal(r.body.marathonJson?.id, '/web');
    assert.equal(r.body.marathonJson?.instances, 2);
    assert.equal(r.body.marathonJson?.labels.DCOS_PACKAGE_NAME, 'nginx');
    const bad = await call('render', { packageName: 'nginx', options: { nginx: { instances: 'two' } } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.type, 'JsonSchemaMismatch');
    assert.match(bad.body.data?.errors?.[0]?.message ?? '', /^nginx\.instances: /);
  });

  it('installs as a UniversePackage, refuses a taken id, lists and uninstalls', async () => {
    const installed = await call(
      'install',
      { packageName: 'nginx', appId: '/web', options: { nginx: {} } },
      {},
      2,
    );
    assert.equal(installed.status, 200, JSON.stringify(installed.body));
    assert.equal(installed.contentType, cosmosMediaType('package', 'install-response', 2));
    assert.deepEqual(installed.body, {
      packageName: 'nginx',
      packageVersion: '1.10.3',
      appId: '/web',
      postInstallNotes: 'Nginx has been installed.',
    });
    const obj = packages.get('web', 'apins') as KubernetesObject & { spec: unknown };
    assert.deepEqual(obj.spec, {
      packageName: 'nginx',
      packageVersion: '1.10.3',
      options: { nginx: {} },
      serviceName: '/web',
    });

    const again = await call('install', { packageName: 'nginx', appId: '/web' }, {}, 1);
    assert.deepEqual([again.status, again.body.type], [409, 'PackageAlreadyInstalled']);
    const taken = await call('install', { packageName: 'nginx', appId: '/taken' }, {}, 1);
    assert.deepEqual([taken.status, taken.body.type], [409, 'PackageAlreadyInstalled']);

    await call('install', { packageName: 'nginx', appId: '/web2' }, {}, 1);
    // What the package controller does next: the app, owned by the package, named in its status.
    const web2 = packages.get('web2', 'apins') as KubernetesObject & { status?: unknown };
    web2.status = { appId: '/web2', marathonApp: 'web2', packageVersion: '1.10.3' };
    apps.objects.set('apins/web2', {
      metadata: {
        name: 'web2',
        namespace: 'apins',
        uid: 'app-uid',
        ownerReferences: [
          {
            apiVersion: 'v',
            kind: 'UniversePackage',
            name: 'web2',
            uid: web2.metadata!.uid!,
            controller: true,
          },
        ],
      },
    });
    const list = await call('list', {});
    assert.deepEqual(
      list.body.packages!.map((p) => p.appId),
      ['/web', '/web2'],
    );
    assert.equal(list.body.packages![0]!.packageInformation.packageDefinition.name, 'nginx');

    const ambiguous = await call('uninstall', { packageName: 'nginx' });
    assert.equal(ambiguous.body.type, 'AmbiguousAppId');
    const one = await call('uninstall', { packageName: 'nginx', appId: '/web2' });
    assert.deepEqual(one.body, {
      results: [
        {
          packageName: 'nginx',
          appId: '/web2',
          packageVersion: '1.10.3',
          postUninstallNotes: 'Nginx was uninstalled successfully.',
        },
      ],
    });
    assert.equal(packages.get('web2', 'apins'), undefined);
    assert.equal(apps.get('web2', 'apins'), undefined, 'the app is deleted with its package');
    assert.deepEqual(writes.filter((w) => w.startsWith('DELETE')).slice(-2), [
      'DELETE /apis/dcos-operator.dev/v1alpha1/namespaces/apins/universepackages/web2',
      'DELETE /apis/dcos-operator.dev/v1alpha1/namespaces/apins/marathonapps/web2',
    ]);
    const rest = await call('uninstall', { packageName: 'nginx', all: true });
    assert.equal((rest.body.results as unknown[]).length, 1);
    assert.deepEqual((await call('list', {})).body, { packages: [] });
    const none = await call('uninstall', { packageName: 'nginx' });
    assert.deepEqual([none.status, none.body.type], [400, 'PackageNotInstalled']);
  });

  it('uninstalls all instances or none: one refused deletion leaves every instance in place', async () => {
    await call('install', { packageName: 'nginx', appId: '/one' }, {}, 2);
    await call('install', { packageName: 'nginx', appId: '/two' }, {}, 2);
    writes.length = 0;
    undeletable.add('apins/two');
    const refused = await call('uninstall', { packageName: 'nginx', all: true });
    assert.equal(refused.status, 500);
    assert.ok(packages.get('one', 'apins') && packages.get('two', 'apins'));
    assert.ok(
      writes.every((w) => w.endsWith('(dry run)')),
      writes.join('\n'),
    );
    undeletable.clear();
    const done = await call('uninstall', { packageName: 'nginx', all: true });
    assert.equal((done.body.results as unknown[]).length, 2);
    assert.equal(packages.objects.size, 0);
  });

  it('writes nothing for refused installs: framework packages, bad options, forbidden callers', async () => {
    const kafka = await call('install', { packageName: 'kafka' }, {}, 2);
    assert.deepEqual([kafka.status, kafka.body.type], [400, 'MesosFrameworkRequired']);
    const bad = await call('install', { packageName: 'nginx', options: { nginx: { cpus: 'x' } } }, {}, 2);
    assert.equal(bad.body.type, 'JsonSchemaMismatch');
    const badId = await call('install', { packageName: 'nginx', appId: '/Bad_Id' }, {}, 2);
    assert.equal(badId.body.type, 'MarathonBadResponse');
    denied = (a) => a.verb === 'create';
    const forbidden = await call('install', { packageName: 'nginx', appId: '/x' }, {}, 2);
    assert.deepEqual(
      [forbidden.status, forbidden.body.type, forbidden.contentType],
      [403, 'Forbidden', ERROR_TYPE],
    );
    assert.deepEqual(writes, []);
  });

  it('adds, lists and deletes repositories, keeping the built-in catalog listed', async () => {
    assert.deepEqual((await call('repository/list', {})).body, {
      repositories: [{ name: 'builtin', uri: 'builtin' }],
    });
    const unreachable = await call('repository/add', { name: 'Down', uri: 'https://down.test/repo' });
    assert.deepEqual([unreachable.status, unreachable.body.type], [400, 'UniverseClientHttpError']);
    assert.deepEqual(writes, []);

    const added = await call('repository/add', { name: 'Private', uri: PRIVATE_URI, index: 0 });
    assert.equal(added.status, 200, JSON.stringify(added.body));
    assert.deepEqual(added.body.repositories, [
      { name: 'Private', uri: PRIVATE_URI },
      { name: 'builtin', uri: 'builtin' },
    ]);
    assert.deepEqual((await call('repository/list', {})).body.repositories, added.body.repositories);
    const search = await call('search', { query: 'private' });
    assert.deepEqual(
      search.body.packages!.map((p) => p.name),
      ['private-pkg'],
    );
    const dup = await call('repository/add', { name: 'Other', uri: PRIVATE_URI });
    assert.equal(dup.body.type, 'RepositoryAlreadyPresent');

    const deleted = await call('repository/delete', { name: 'Private' });
    assert.deepEqual(deleted.body, { repositories: [{ name: 'builtin', uri: 'builtin' }] });
    const builtinGone = await call('repository/delete', { name: 'builtin' });
    assert.equal(builtinGone.status, 200, 'a declared builtin repository can be deleted');
    assert.deepEqual(builtinGone.body.repositories, [{ name: 'builtin', uri: 'builtin' }]);
    const implicit = await call('repository/delete', { name: 'builtin' });
    assert.equal(implicit.body.type, 'RepositoryNotDeletable');
    assert.equal(repositories.objects.size, 0);
  });
});
