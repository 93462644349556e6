// Universe packages end to end on the test control plane: installs from the built-in catalog and from a
// repository served over HTTP on loopback, option changes, version upgrades checked against upgradesFrom,
// multi-instance installs, conflicts, framework packages, and uninstall by deleting the UniversePackage.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { kubectl, kubectlJson, uniqueName, useNamespace, waitFor } from './helpers.ts';
import { OperatorProcess } from './operator-process.ts';

interface Cond {
  type: string;
  status: string;
  reason: string;
  message: string;
  observedGeneration?: number;
}
interface Obj {
  metadata: {
    name: string;
    uid: string;
    generation?: number;
    resourceVersion: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: { kind: string; name: string; uid: string; controller?: boolean }[];
  };
  spec?: Record<string, unknown> & { replicas?: number };
  status?: Record<string, unknown> & { conditions?: Cond[]; observedGeneration?: number };
}

const API = 'dcos-operator.dev/v1alpha1';
const pkg = (ns: string, name: string, spec: Record<string, unknown>) =>
  JSON.stringify({ apiVersion: API, kind: 'UniversePackage', metadata: { name, namespace: ns }, spec });
const apply = (ns: string, name: string, spec: Record<string, unknown>) =>
  kubectl(['apply', '-f', '-'], { input: pkg(ns, name, spec) });
const getPkg = (ns: string, name: string) => kubectlJson<Obj>(['get', 'universepackage', name, '-n', ns]);
const getApp = (ns: string, name: string) => kubectlJson<Obj>(['get', 'marathonapp', name, '-n', ns]);
const cond = (o: Obj, type: string) => o.status?.conditions?.find((c) => c.type === type);
const decode = (b64: string | undefined) =>
  JSON.parse(Buffer.from(b64 ?? '', 'base64').toString('utf8')) as unknown;

async function exists(kind: string, ns: string, name: string): Promise<boolean> {
  const out = await kubectl(['get', kind, name, '-n', ns, '--ignore-not-found', '-o', 'name']);
  return out.trim() !== '';
}

/** Waits until the package's Ready condition is current and has `status`, and returns the package. */
async function waitPkg(
  ns: string,
  name: string,
  status: 'True' | 'False',
  reason?: string,
  timeoutMs = 60_000,
) {
  let last: Obj | undefined;
  try {
    return await waitFor(
      async () => {
        last = await getPkg(ns, name);
        const ready = cond(last, 'Ready');
        const current = last.status?.observedGeneration === last.metadata.generation;
        return current && ready?.status === status && (!reason || ready.reason === reason) ? last : undefined;
      },
      { timeoutMs, message: `UniversePackage ${ns}/${name} Ready=${status} ${reason ?? ''}` },
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}\nlast status: ${JSON.stringify(last?.status)}`, {
      cause: err,
    });
  }
}

/** A package of our own, in the shape Universe indexes carry, with a service.name option. */
function helloEntry(version: string, releaseVersion: number, extra: Record<string, unknown> = {}) {
  const template = JSON.stringify({
    id: '/{{service.name}}',
    cmd: 'sleep 3600 # {{hello.greeting}}',
    instances: '{{hello.instances}}',
    cpus: 0.1,
    mem: 32,
    env: { GREETING: '{{hello.greeting}}', FRAMEWORK_NAME: '{{service.name}}' },
    labels: { DCOS_SERVICE_NAME: '{{service.name}}' },
  }).replace('"{{hello.instances}}"', '{{hello.instances}}');
  return {
    packagingVersion: '4.0',
    name: 'hello-web',
    version,
    releaseVersion,
    maintainer: 'team@example.com',
    description: 'A greeting web app',
    tags: ['web'],
    postInstallNotes: `hello-web ${version} is up`,
    marathon: { v2AppMustacheTemplate: Buffer.from(template).toString('base64') },
    config: {
      type: 'object',
      properties: {
        service: {
          type: 'object',
          properties: { name: { type: 'string', default: 'hello-web' } },
        },
        hello: {
          type: 'object',
          properties: {
            greeting: { type: 'string', default: 'hello' },
            instances: { type: 'integer', default: 1, minimum: 0 },
          },
          required: ['greeting'],
        },
      },
    },
    resource: {},
    ...extra,
  };
}

describe('UniversePackage (integration)', function () {
  this.timeout(240_000);
  const ns = useNamespace({ prefix: 'upkg' });
  let op: OperatorProcess;

  before(async () => {
    // The built-in catalog is used only while no UniverseRepository exists.
    await kubectl(['delete', 'universerepositories', '--all', '--wait=true']);
    op = new OperatorProcess([
      '--leader-elect=false',
      '--http-bind-address=127.0.0.1:0',
      '--workers=4',
      '--universe-retry=1s',
    ]);
    await op.waitForLog(/^started leading/);
  });
  after(async () => {
    await op.stop('SIGTERM');
  });

  it('installs a built-in package, applies changed options, makes no write when nothing changed, and uninstalls', async () => {
    const name = `nginx-${ns()}`.slice(0, 40);
    const options = { nginx: { name, instances: 1, cpus: 1, mem: 256 } };
    await apply(ns(), 'web', { packageName: 'nginx', options });
    const installed = await waitPkg(ns(), 'web', 'True', 'Installed');
    assert.equal(installed.status?.packageVersion, '1.10.3');
    assert.equal(installed.status?.appId, `/${name}`);
    assert.equal(installed.status?.postInstallNotes, 'Nginx has been installed.');
    assert.deepEqual(installed.status?.repository, { name: 'builtin', uri: 'builtin' });

    const app = await getApp(ns(), name);
    assert.equal(app.metadata.ownerReferences?.[0]?.uid, installed.metadata.uid);
    const labels = app.spec?.labels as Record<string, string>;
    assert.equal(labels.DCOS_PACKAGE_NAME, 'nginx');
    assert.equal(labels.DCOS_PACKAGE_VERSION, '1.10.3');
    assert.equal(labels.DCOS_PACKAGE_SOURCE, 'builtin');
    assert.equal(labels.DCOS_SERVICE_NAME, name, 'the template’s own labels are kept');
    assert.deepEqual(decode(labels.DCOS_PACKAGE_OPTIONS), options, 'only the user options are recorded');
    assert.equal((decode(labels.DCOS_PACKAGE_METADATA) as { name: string }).name, 'nginx');
    const deploy = await kubectlJson<Obj>(['get', 'deployment', name, '-n', ns()]);
    const containers = (deploy.spec as { template: { spec: { containers: { image: string }[] } } }).template
      .spec.containers;
    assert.equal(containers[0]?.image, 'bitnami/nginx:1.10.3-r1');

    // Changed options: the app follows (service/update with replace semantics).
    await apply(ns(), 'web', {
      packageName: 'nginx',
      options: { nginx: { ...options.nginx, instances: 2 } },
    });
    await waitFor(async () => (await getApp(ns(), name)).spec?.instances === 2, { message: 'instances 2' });
    await waitFor(
      async () => (await kubectlJson<Obj>(['get', 'deployment', name, '-n', ns()])).spec?.replicas === 2,
      { message: 'Deployment replicas 2' },
    );
    const updated = await waitPkg(ns(), 'web', 'True', 'Installed');
    assert.equal(updated.metadata.generation, 2);

    // A full resync with nothing changed writes neither the app nor the package.
    const before = [(await getApp(ns(), name)).metadata.resourceVersion, updated.metadata.resourceVersion];
    op.proc.kill('SIGHUP');
    await op.waitForLog(/full resync requested/);
    await new Promise((r) => setTimeout(r, 3000));
    const after = [
      (await getApp(ns(), name)).metadata.resourceVersion,
      (await getPkg(ns(), 'web')).metadata.resourceVersion,
    ];
    assert.deepEqual(after, before);

    // A hand edit of the app is reverted: the package owns it.
    await kubectl([
      'patch',
      'marathonapp',
      name,
      '-n',
      ns(),
      '--type=merge',
      '-p',
      '{"spec":{"instances":5}}',
    ]);
    await waitFor(async () => (await getApp(ns(), name)).spec?.instances === 2, {
      message: 'hand edit reverted',
    });

    // Uninstall: deleting the package removes what the install created.
    await kubectl(['delete', 'universepackage', 'web', '-n', ns(), '--wait=true']);
    await waitFor(async () => !(await exists('marathonapp', ns(), name)), { message: 'MarathonApp deleted' });
    await waitFor(async () => !(await exists('deployment', ns(), name)), { message: 'Deployment deleted' });
  });

  it('runs two instances under different service names, and reports a taken app id as a conflict', async () => {
    const a = `${ns()}-a`;
    const b = `${ns()}-b`;
    await apply(ns(), 'first', { packageName: 'nginx', serviceName: a, options: { nginx: { mem: 256 } } });
    await apply(ns(), 'second', { packageName: 'nginx', serviceName: b, options: { nginx: { mem: 256 } } });
    const first = await waitPkg(ns(), 'first', 'True', 'Installed');
    const second = await waitPkg(ns(), 'second', 'True', 'Installed');
    assert.equal(first.status?.appId, `/${a}`);
    assert.equal(second.status?.appId, `/${b}`);
    assert.ok(await exists('deployment', ns(), a));
    assert.ok(await exists('deployment', ns(), b));

    await apply(ns(), 'third', { packageName: 'nginx', serviceName: a, options: { nginx: { mem: 256 } } });
    const third = await waitPkg(ns(), 'third', 'False', 'AppIdConflict');
    assert.match(cond(third, 'Ready')!.message, /Package is already installed: app id \/.*-a is taken/);
    assert.equal(cond(third, 'Stalled')?.status, 'True');
    const app = await getApp(ns(), a);
    assert.equal(
      app.metadata.ownerReferences?.[0]?.uid,
      first.metadata.uid,
      'the first install keeps its app',
    );
  });

  it('explains bad options, framework packages and unknown packages instead of deploying', async () => {
    await apply(ns(), 'bad', { packageName: 'nginx', options: { nginx: { instances: 0, cpus: 'two' } } });
    const bad = await waitPkg(ns(), 'bad', 'False', 'JsonSchemaMismatch');
    assert.match(cond(bad, 'Ready')!.message, /nginx\.instances: /);
    assert.match(cond(bad, 'Ready')!.message, /nginx\.cpus: /);

    await apply(ns(), 'kafka', { packageName: 'kafka' });
    const kafka = await waitPkg(ns(), 'kafka', 'False', 'MesosFrameworkRequired');
    assert.match(cond(kafka, 'Ready')!.message, /dcos-commons \(SDK\) scheduler/);
    assert.equal(kafka.status?.kind, 'sdk-framework');

    await apply(ns(), 'nothing', { packageName: 'no-such-package' });
    const missing = await waitPkg(ns(), 'nothing', 'False', 'PackageNotFound');
    assert.match(
      cond(missing, 'Ready')!.message,
      /Package \[no-such-package\] not found \(searched: builtin\)/,
    );

    const apps = await kubectlJson<{ items: Obj[] }>(['get', 'marathonapps', '-n', ns()]);
    assert.deepEqual(apps.items, [], 'nothing was deployed');

    // On request the framework's scheduler is deployed as an app; withdrawing the request removes it.
    await apply(ns(), 'kafka', { packageName: 'kafka', runFrameworkScheduler: true });
    await waitFor(() => exists('marathonapp', ns(), 'kafka'), { message: 'the scheduler app of kafka' });
    await apply(ns(), 'kafka', { packageName: 'kafka' });
    await waitPkg(ns(), 'kafka', 'False', 'MesosFrameworkRequired');
    await waitFor(async () => !(await exists('marathonapp', ns(), 'kafka')), {
      message: 'the scheduler app removed',
    });
  });

  it('installs from a repository served over HTTP and honours upgradesFrom', async () => {
    const index = {
      packages: [
        helloEntry('1.0.0', 0),
        helloEntry('2.0.0', 1, { upgradesFrom: ['1.0.0'], downgradesTo: [] }),
        helloEntry('3.0.0', 2, { upgradesFrom: [] }),
      ],
    };
    const accepts: string[] = [];
    const server = http.createServer((req, res) => {
      accepts.push(String(req.headers.accept));
      if (req.url !== '/repo') return res.writeHead(404).end();
      res.writeHead(200, {
        'content-type': 'application/vnd.dcos.universe.repo+json;charset=utf-8;version=v4',
      });
      res.end(JSON.stringify(index));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const repoName = uniqueName('hello-repo');
    try {
      const { port } = server.address() as AddressInfo;
      const uri = `http://127.0.0.1:${port}/repo`;
      await kubectl(['apply', '-f', '-'], {
        input: JSON.stringify({
          apiVersion: API,
          kind: 'UniverseRepository',
          metadata: { name: repoName },
          spec: { uri, priority: 10 },
        }),
      });
      await kubectl(['wait', '--for=condition=Ready', `universerepository/${repoName}`, '--timeout=60s']);
      const repo = await kubectlJson<Obj>(['get', 'universerepository', repoName]);
      assert.equal(repo.status?.packages, 1);
      assert.equal(repo.status?.revisions, 3);
      assert.equal(repo.status?.format, 'v4');
      assert.ok(
        accepts.some((a) => a.includes('version=v5') && a.includes('version=v3')),
        accepts.join(' | '),
      );

      const service = `${ns()}-hello`;
      await apply(ns(), 'hello', {
        packageName: 'hello-web',
        packageVersion: '1.0.0',
        serviceName: service,
        options: { hello: { greeting: 'hi "there"' } },
      });
      let hello = await waitPkg(ns(), 'hello', 'True', 'Installed');
      assert.equal(hello.status?.packageVersion, '1.0.0');
      assert.deepEqual(hello.status?.repository, { name: repoName, uri });
      let app = await getApp(ns(), service);
      const env = app.spec?.env as Record<string, string>;
      assert.equal(env.GREETING, 'hi "there"', 'a quoted option value survives rendering');
      assert.equal(env.FRAMEWORK_NAME, service, 'the service name reaches service.name');
      assert.equal((app.spec?.labels as Record<string, string>).DCOS_PACKAGE_SOURCE, uri);

      await apply(ns(), 'hello', {
        packageName: 'hello-web',
        packageVersion: '2.0.0',
        serviceName: service,
        options: { hello: { greeting: 'hi "there"' } },
      });
      hello = await waitPkg(ns(), 'hello', 'True', 'Installed');
      assert.equal(hello.status?.packageVersion, '2.0.0');
      app = await getApp(ns(), service);
      assert.equal((app.spec?.labels as Record<string, string>).DCOS_PACKAGE_VERSION, '2.0.0');

      await apply(ns(), 'hello', {
        packageName: 'hello-web',
        packageVersion: '3.0.0',
        serviceName: service,
        options: { hello: { greeting: 'hi "there"' } },
      });
      const refused = await waitPkg(ns(), 'hello', 'False', 'UpgradeNotAllowed');
      assert.match(cond(refused, 'Ready')!.message, /3\.0\.0.*2\.0\.0/);
      assert.equal(refused.status?.packageVersion, '2.0.0', 'the installed version stays');
      app = await getApp(ns(), service);
      assert.equal((app.spec?.labels as Record<string, string>).DCOS_PACKAGE_VERSION, '2.0.0');
    } finally {
      await kubectl(['delete', 'universerepository', repoName, '--ignore-not-found', '--wait=true']);
      await new Promise((r) => server.close(r));
    }
  });
});
