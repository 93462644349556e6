// MarathonApp end to end on the test control plane: the real scheduler places kwok pods on private and
// public agents across zones, and the operator's children, status and placement are checked against it.
import assert from 'node:assert/strict';
import { kubectl, kubectlJson, useNamespace, waitFor } from './helpers.ts';
import { OperatorProcess } from './operator-process.ts';

interface Cond {
  type: string;
  status: string;
  reason: string;
  message: string;
}
interface AppStatus {
  instances?: number;
  tasksRunning?: number;
  tasksHealthy?: number;
  tasksStaged?: number;
  version?: string;
  versionInfo?: { lastScalingAt: string; lastConfigChangeAt: string };
  deployments?: { id: string }[];
  conditions?: Cond[];
  notes?: { path: string; kind: string; message: string }[];
}
interface Obj {
  metadata: { name: string; uid: string; resourceVersion: string; labels?: Record<string, string> };
  spec?: Record<string, unknown> & { nodeName?: string; replicas?: number };
  status?: AppStatus & { phase?: string };
}

interface NodeObj {
  spec: { taints?: { key: string }[] };
  status: { conditions: { type: string; status: string }[] };
}

const PRIVATE = ['private-agent-1', 'private-agent-2', 'private-agent-3'];
const ZONE_OF: Record<string, string> = {
  'private-agent-1': 'eastus-1',
  'private-agent-2': 'eastus-2',
  'private-agent-3': 'eastus-3',
  'public-agent-1': 'eastus-1',
};

const app = (ns: string, name: string, spec: Record<string, unknown>) =>
  JSON.stringify({
    apiVersion: 'dcos-operator.dev/v1alpha1',
    kind: 'MarathonApp',
    metadata: { name, namespace: ns },
    spec,
  });

async function create(ns: string, name: string, spec: Record<string, unknown>): Promise<void> {
  await kubectl(['apply', '-f', '-'], { input: app(ns, name, spec) });
}
const getApp = (ns: string, name: string) =>
  kubectlJson<Obj>(['get', 'marathonapp', name, '-n', ns, '-o', 'json']);
const cond = (o: Obj, type: string) => o.status?.conditions?.find((c) => c.type === type);

async function pods(ns: string, name: string): Promise<Obj[]> {
  const list = await kubectlJson<{ items: Obj[] }>([
    'get',
    'pods',
    '-n',
    ns,
    '-l',
    `dcos-operator.dev/app=${name}`,
    '-o',
    'json',
  ]);
  return list.items.filter((p) => !(p.metadata as { deletionTimestamp?: string }).deletionTimestamp);
}

/** Waits until `count` pods of the app are Running and returns the nodes they run on. */
async function placed(ns: string, name: string, count: number, timeoutMs = 60_000): Promise<string[]> {
  try {
    return await waitFor(
      async () => {
        const ps = await pods(ns, name);
        const running = ps.filter((p) => p.status?.phase === 'Running' && p.spec?.nodeName);
        return running.length === count && ps.length === count
          ? running.map((p) => p.spec!.nodeName!)
          : undefined;
      },
      { timeoutMs, message: `${count} running pods of ${name}` },
    );
  } catch (err) {
    // Say where things stood: which pods exist, where, and what the nodes look like.
    const state = await kubectl(['get', 'pods,nodes', '-n', ns, '-o', 'wide', '--no-headers']).catch(
      () => '',
    );
    throw new Error(`${(err as Error).message}\n${state}`, { cause: err });
  }
}

const kubectlRaw = async <T>(args: string[]): Promise<T> => JSON.parse(await kubectl(args)) as T;

const countBy = (xs: string[]) =>
  xs.reduce<Record<string, number>>((m, x) => ((m[x] = (m[x] ?? 0) + 1), m), {});

describe('MarathonApp', function () {
  this.timeout(180_000);
  const ns = useNamespace({ scope: 'suite', prefix: 'mapp' });
  let op: OperatorProcess;

  before(async () => {
    // Placement assertions need every agent schedulable; an earlier suite restarts the control plane, after
    // which kube-controller-manager may taint nodes not-ready until kwok's next heartbeat.
    await waitFor(
      async () => {
        const nodes = await kubectlJson<{ items: NodeObj[] }>(['get', 'nodes']);
        return nodes.items.every(
          (n) =>
            n.status.conditions.some((c) => c.type === 'Ready' && c.status === 'True') &&
            !(n.spec.taints ?? []).some((t) => t.key.startsWith('node.kubernetes.io/')),
        );
      },
      { timeoutMs: 120_000, message: 'every node Ready and untainted' },
    );
    op = new OperatorProcess([
      '--leader-elect=false',
      '--http-bind-address=127.0.0.1:0',
      '--workers=8',
      '--log-level=debug', // 'applying child' lines show which children were applied
    ]);
    await op.waitForLog(/^started leading/);
  });
  after(async () => {
    await op.stop('SIGTERM');
  });

  it('runs an app: Deployment, Service, Marathon status counts that match the pods', async () => {
    await create(ns(), 'web', {
      id: '/shop/web',
      cmd: 'python3 -m http.server $PORT0',
      instances: 2,
      cpus: 0.25,
      mem: 64,
      portDefinitions: [{ port: 0, name: 'http' }],
      healthChecks: [{ protocol: 'HTTP', path: '/', portIndex: 0 }],
      labels: { HAPROXY_GROUP: 'external' },
    });
    await kubectl(['wait', '--for=condition=Ready', 'marathonapp/web', '-n', ns(), '--timeout=60s']);
    const dep = await kubectlJson<Obj>(['get', 'deployment', 'web', '-n', ns(), '-o', 'json']);
    assert.equal(dep.spec?.replicas, 2);
    const svc = await kubectlJson<Obj>(['get', 'service', 'web', '-n', ns(), '-o', 'json']);
    assert.ok(svc.spec);
    const a = await getApp(ns(), 'web');
    const ps = await pods(ns(), 'web');
    assert.equal(a.status?.instances, ps.length);
    assert.equal(a.status?.tasksRunning, ps.filter((p) => p.status?.phase === 'Running').length);
    assert.equal(a.status?.tasksHealthy, 2);
    assert.deepEqual(a.status?.deployments, []);
    assert.ok(a.status?.version && a.status.versionInfo?.lastConfigChangeAt);
    assert.equal(cond(a, 'Ready')?.reason, 'Deployed');
    const env = (ps[0]?.spec as { containers: { env: { name: string; value?: string }[] }[] }).containers[0]!
      .env;
    assert.equal(env.find((e) => e.name === 'MARATHON_APP_ID')?.value, '/shop/web');
  });

  it('scales through the scale subresource (kubectl scale)', async () => {
    await create(ns(), 'scaled', { cmd: 'sleep 1000', cpus: 0.1, mem: 32 });
    await kubectl(['wait', '--for=condition=Ready', 'marathonapp/scaled', '-n', ns(), '--timeout=60s']);
    const before = await getApp(ns(), 'scaled');
    await kubectl(['scale', 'marathonapp/scaled', '-n', ns(), '--replicas=3']);
    await placed(ns(), 'scaled', 3);
    const after = await waitFor(async () => {
      const a = await getApp(ns(), 'scaled');
      return a.status?.instances === 3 && cond(a, 'Ready')?.status === 'True' ? a : undefined;
    });
    assert.equal(
      after.status?.versionInfo?.lastConfigChangeAt,
      before.status?.versionInfo?.lastConfigChangeAt,
    );
    assert.notEqual(after.status?.versionInfo?.lastScalingAt, before.status?.versionInfo?.lastScalingAt);
    const scale = await kubectlRaw<{ status: { replicas: number; selector: string } }>([
      'get',
      '--raw',
      `/apis/dcos-operator.dev/v1alpha1/namespaces/${ns()}/marathonapps/scaled/scale`,
    ]);
    assert.equal(scale.status.replicas, 3);
    assert.equal(scale.status.selector, 'dcos-operator.dev/app=scaled');
  });

  it('places UNIQUE hostname instances on distinct private agents', async () => {
    await create(ns(), 'unique', {
      cmd: 'sleep 1000',
      cpus: 0.1,
      mem: 32,
      instances: 3,
      constraints: [['hostname', 'UNIQUE']],
    });
    const nodes = await placed(ns(), 'unique', 3);
    assert.deepEqual([...nodes].sort(), PRIVATE);
  });

  it('pins CLUSTER instances to the given zone', async () => {
    await create(ns(), 'pinned', {
      cmd: 'sleep 1000',
      cpus: 0.1,
      mem: 32,
      instances: 3,
      constraints: [['@zone', 'CLUSTER', 'eastus-2']],
    });
    const nodes = await placed(ns(), 'pinned', 3);
    assert.deepEqual(new Set(nodes), new Set(['private-agent-2']));
  });

  it('balances GROUP_BY instances across zones', async () => {
    await create(ns(), 'spread', {
      cmd: 'sleep 1000',
      cpus: 0.1,
      mem: 32,
      instances: 6,
      constraints: [['@zone', 'GROUP_BY', '3']],
    });
    const nodes = await placed(ns(), 'spread', 6);
    // One rollout: a second ReplicaSet (a needless new version right after creation) would leave the
    // survivors unbalanced, as the spread is enforced only when a pod is scheduled.
    const sets = await kubectlJson<{ items: Obj[] }>([
      'get',
      'rs',
      '-n',
      ns(),
      '-l',
      'dcos-operator.dev/app=spread',
    ]);
    assert.equal(sets.items.length, 1);
    assert.deepEqual(countBy(nodes.map((n) => ZONE_OF[n]!)), { 'eastus-1': 2, 'eastus-2': 2, 'eastus-3': 2 });
  });

  it('runs slave_public apps only on public agents, and others never there', async () => {
    await create(ns(), 'edge', {
      cmd: 'sleep 1000',
      cpus: 0.1,
      mem: 32,
      instances: 3,
      acceptedResourceRoles: ['slave_public'],
    });
    await create(ns(), 'inner', { cmd: 'sleep 1000', cpus: 0.1, mem: 32, instances: 4 });
    assert.deepEqual(new Set(await placed(ns(), 'edge', 3)), new Set(['public-agent-1']));
    for (const n of await placed(ns(), 'inner', 4)) assert.ok(PRIVATE.includes(n), n);
  });

  it('honours LIKE and UNLIKE against node values, and re-resolves them when nodes change', async () => {
    await create(ns(), 'like', {
      cmd: 'sleep 1000',
      cpus: 0.1,
      mem: 32,
      instances: 2,
      constraints: [['hostname', 'LIKE', 'private-agent-[12]']],
    });
    await create(ns(), 'unlike', {
      cmd: 'sleep 1000',
      cpus: 0.1,
      mem: 32,
      instances: 3,
      constraints: [['hostname', 'UNLIKE', 'private-agent-[12]']],
    });
    for (const n of await placed(ns(), 'like', 2)) assert.match(n, /^private-agent-[12]$/);
    assert.deepEqual(new Set(await placed(ns(), 'unlike', 3)), new Set(['private-agent-3']));

    // No agent has rack r2 yet: the app waits (as in Marathon) and says why; labelling a node lets it run.
    const rack = 'attribute.dcos-operator.dev/rack';
    await create(ns(), 'racked', {
      cmd: 'sleep 1000',
      cpus: 0.1,
      mem: 32,
      constraints: [['rack', 'LIKE', 'r[2-3]']],
    });
    try {
      const waiting = await waitFor(async () => {
        const a = await getApp(ns(), 'racked');
        return /rack/.test(cond(a, 'Ready')?.message ?? '') ? a : undefined;
      });
      assert.equal(cond(waiting, 'Ready')?.status, 'False');
      await kubectl(['label', 'node', 'private-agent-2', `${rack}=r2`]);
      assert.deepEqual(await placed(ns(), 'racked', 1), ['private-agent-2']);
    } finally {
      await kubectl(['label', 'node', 'private-agent-2', `${rack}-`]);
    }
  });

  it('enforces MAX_PER itself: at most N instances per zone, the rest wait', async () => {
    await create(ns(), 'maxper', {
      cmd: 'sleep 1000',
      cpus: 0.1,
      mem: 32,
      instances: 7,
      constraints: [['@zone', 'MAX_PER', '2']],
    });
    const running = await waitFor(async () => {
      const ps = await pods(ns(), 'maxper');
      const bound = ps.filter((p) => p.spec?.nodeName);
      return bound.length === 6 ? bound : undefined;
    });
    assert.deepEqual(countBy(running.map((p) => ZONE_OF[p.spec!.nodeName!]!)), {
      'eastus-1': 2,
      'eastus-2': 2,
      'eastus-3': 2,
    });
    await new Promise((r) => setTimeout(r, 2000));
    assert.equal(
      (await pods(ns(), 'maxper')).filter((p) => p.spec?.nodeName).length,
      6,
      'the 7th stays unplaced',
    );
    const a = await getApp(ns(), 'maxper');
    assert.equal(cond(a, 'Ready')?.status, 'False');
    assert.ok(a.status?.notes?.some((n) => n.kind === 'enforced' && /MAX_PER/.test(n.message + n.path)));
  });

  it('rolls an upgrade within minimumHealthCapacity and maximumOverCapacity', async () => {
    const spec = {
      cmd: 'sleep 1000',
      cpus: 0.1,
      mem: 32,
      instances: 4,
      upgradeStrategy: { minimumHealthCapacity: 0.5, maximumOverCapacity: 0.25 },
    };
    await create(ns(), 'rolling', spec);
    await placed(ns(), 'rolling', 4);
    await kubectl(['wait', '--for=condition=Ready', 'marathonapp/rolling', '-n', ns(), '--timeout=60s']);
    const dep = await kubectlJson<{
      spec: { strategy: { rollingUpdate: { maxSurge: number; maxUnavailable: number } } };
    }>(['get', 'deployment', 'rolling', '-n', ns(), '-o', 'json']);
    // ceil(4 × 0.5) = 2 must stay healthy; floor(4 × 1.25) = 5 may exist at once.
    assert.deepEqual(dep.spec.strategy.rollingUpdate, { maxSurge: 1, maxUnavailable: 2 });

    let maxPods = 0;
    let minReady = Infinity;
    let done = false;
    const sample = (async () => {
      while (!done) {
        const ps = await pods(ns(), 'rolling');
        maxPods = Math.max(maxPods, ps.length);
        const ready = ps.filter((p) =>
          (p.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions?.some(
            (c) => c.type === 'Ready' && c.status === 'True',
          ),
        ).length;
        minReady = Math.min(minReady, ready);
      }
    })();
    await create(ns(), 'rolling', { ...spec, cmd: 'sleep 2000' });
    await waitFor(
      async () => {
        const a = await getApp(ns(), 'rolling');
        const ps = await pods(ns(), 'rolling');
        return cond(a, 'Ready')?.status === 'True' &&
          ps.length === 4 &&
          ps.every((p) => JSON.stringify(p.spec).includes('sleep 2000'))
          ? a
          : undefined;
      },
      { timeoutMs: 90_000, message: 'the rollout to finish' },
    );
    done = true;
    await sample;
    assert.ok(maxPods <= 5, `at most 5 pods at once, saw ${maxPods}`);
    // The replaced definition is kept for rollback.
    const cm = await kubectlJson<{ data: Record<string, string> }>([
      'get',
      'configmap',
      'rolling-versions',
      '-n',
      ns(),
      '-o',
      'json',
    ]);
    const history = JSON.parse(cm.data['versions.json'] ?? '[]') as {
      version: string;
      app: { cmd: string };
    }[];
    assert.deepEqual(
      history.map((h) => h.app.cmd),
      ['sleep 1000'],
    );
    assert.ok(minReady >= 2, `at least 2 ready at all times, saw ${minReady}`);
  });

  it('does not start an app before its dependencies are healthy', async () => {
    await create(ns(), 'front', {
      id: '/deps/front',
      cmd: 'sleep 1000',
      cpus: 0.1,
      mem: 32,
      dependencies: ['/deps/back'],
    });
    const held = await waitFor(async () => {
      const a = await getApp(ns(), 'front');
      return cond(a, 'Reconciling')?.reason === 'WaitingForDependencies' ? a : undefined;
    });
    assert.match(cond(held, 'Ready')?.message ?? '', /\/deps\/back/);
    assert.equal(
      (await kubectlJson<Obj>(['get', 'deployment', 'front', '-n', ns(), '-o', 'json'])).spec?.replicas,
      0,
    );
    await create(ns(), 'back', { id: '/deps/back', cmd: 'sleep 1000', cpus: 0.1, mem: 32 });
    await kubectl(['wait', '--for=condition=Ready', 'marathonapp/front', '-n', ns(), '--timeout=90s']);
    assert.equal((await pods(ns(), 'front')).length, 1);
  });

  it('restores a child edited by hand, and a restart annotation replaces every pod', async () => {
    await create(ns(), 'drift', { cmd: 'sleep 1000', cpus: 0.1, mem: 32, instances: 2 });
    await kubectl(['wait', '--for=condition=Ready', 'marathonapp/drift', '-n', ns(), '--timeout=60s']);
    await kubectl(['scale', 'deployment/drift', '-n', ns(), '--replicas=5']);
    await waitFor(
      async () =>
        (await kubectlJson<Obj>(['get', 'deployment', 'drift', '-n', ns(), '-o', 'json'])).spec?.replicas ===
        2,
      {
        message: 'the operator to restore replicas',
      },
    );
    const before =
      (await placed(ns(), 'drift', 2)).length && (await pods(ns(), 'drift')).map((p) => p.metadata.uid);
    await kubectl([
      'annotate',
      'marathonapp/drift',
      '-n',
      ns(),
      `dcos-operator.dev/restartedAt=${new Date().toISOString()}`,
    ]);
    await waitFor(
      async () => {
        const ps = await pods(ns(), 'drift');
        return (
          ps.length === 2 &&
          ps.every((p) => p.status?.phase === 'Running' && !(before || []).includes(p.metadata.uid))
        );
      },
      { timeoutMs: 60_000, message: 'every pod replaced' },
    );
  });

  it('leaves what other managers add to its children alone, without writing, and puts back what it sets', async () => {
    await create(ns(), 'shared', { cmd: 'sleep 1000', cpus: 0.1, mem: 32 });
    await kubectl(['wait', '--for=condition=Ready', 'marathonapp/shared', '-n', ns(), '--timeout=60s']);
    await kubectl(['annotate', 'deployment/shared', '-n', ns(), 'team.example.com/owner=ops']);
    await kubectl(['label', 'service/shared', '-n', ns(), 'team.example.com/tier=web']);
    // A full resync reconciles every app: none of the shared app's children is applied again.
    const mark = op.lines.length;
    op.proc.kill('SIGHUP');
    await op.waitForLog(/full resync/);
    await new Promise((r) => setTimeout(r, 3000));
    const applied = op.lines
      .slice(mark)
      .filter((l) => l.message === 'applying child' && (l as { app?: string }).app === 'shared');
    assert.deepEqual(applied, [], 'no apply for children others only added to');
    const deployment = await kubectlJson<Obj & { metadata: { annotations: Record<string, string> } }>([
      'get',
      'deployment',
      'shared',
      '-n',
      ns(),
      '-o',
      'json',
    ]);
    assert.equal(deployment.metadata.annotations['team.example.com/owner'], 'ops');
    const image = (d: Obj) =>
      (d.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]!
        .image;
    const wanted = image(deployment);

    await kubectl(['set', 'image', 'deployment/shared', 'app=docker.io/library/busybox:1.36', '-n', ns()]);
    await waitFor(
      async () =>
        image(await kubectlJson<Obj>(['get', 'deployment', 'shared', '-n', ns(), '-o', 'json'])) === wanted,
      { message: 'the operator to restore the image' },
    );
    const service = await kubectlJson<Obj>(['get', 'service', 'shared', '-n', ns(), '-o', 'json']);
    assert.equal(service.metadata.labels?.['team.example.com/tier'], 'web');

    // A value the operator set on the Service, overwritten by hand, is put back.
    type Annotated = Obj & { metadata: { annotations: Record<string, string> } };
    const appId = async () =>
      (await kubectlJson<Annotated>(['get', 'service', 'shared', '-n', ns(), '-o', 'json'])).metadata
        .annotations['dcos-operator.dev/app-id'];
    const id = await appId();
    await kubectl([
      'annotate',
      'service/shared',
      '-n',
      ns(),
      'dcos-operator.dev/app-id=/elsewhere',
      '--overwrite',
    ]);
    await waitFor(async () => (await appId()) === id, { message: 'the operator to restore the Service' });
  });

  it('moves a resident app to a StatefulSet whose claims outlive scale-down, and back to a Deployment', async () => {
    const exists = async (kind: string, name: string) =>
      (await kubectl(['get', kind, name, '-n', ns(), '--ignore-not-found', '-o', 'name'])).trim() !== '';
    const base = { cmd: 'sleep 1000', cpus: 0.1, mem: 32, instances: 2 };
    await create(ns(), 'vault', base);
    await waitFor(() => exists('deployment', 'vault'), { message: 'the Deployment of vault' });

    // A persistent local volume makes the app resident: a StatefulSet with a claim per instance.
    const persistent = { containerPath: 'data', mode: 'RW', persistent: { size: 64 } };
    await create(ns(), 'vault', { ...base, container: { type: 'MESOS', volumes: [persistent] } });
    await waitFor(
      async () => (await exists('statefulset', 'vault')) && !(await exists('deployment', 'vault')),
      {
        message: 'the StatefulSet of vault to replace its Deployment',
      },
    );
    const claims = async () =>
      (await kubectlJson<{ items: Obj[] }>(['get', 'pvc', '-n', ns(), '-o', 'json'])).items
        .map((c) => c.metadata.name)
        .filter((n) => n.startsWith('data-vault-'))
        .sort();
    await waitFor(async () => (await claims()).length === 2, { message: 'a claim per instance' });
    await kubectl(['scale', 'marathonapp/vault', '-n', ns(), '--replicas=1']);
    await waitFor(
      async () =>
        (await kubectlJson<Obj>(['get', 'statefulset', 'vault', '-n', ns(), '-o', 'json'])).spec?.replicas ===
        1,
      { message: 'the StatefulSet scaled to 1' },
    );
    assert.deepEqual(await claims(), ['data-vault-0', 'data-vault-1'], 'claims survive scale-down');

    // A hand edit of the StatefulSet is put back.
    const image = async () =>
      (
        (await kubectlJson<Obj>(['get', 'statefulset', 'vault', '-n', ns(), '-o', 'json'])).spec as {
          template: { spec: { containers: { image: string }[] } };
        }
      ).template.spec.containers[0]!.image;
    const wanted = await image();
    await kubectl(['set', 'image', 'statefulset/vault', 'app=docker.io/library/busybox:1.36', '-n', ns()]);
    await waitFor(async () => (await image()) === wanted, { message: 'the operator to restore the image' });

    // An external (DVDI) volume is a claim that outlives the app, kept in step with the definition.
    const external = (driver: string) => ({
      containerPath: '/ext',
      mode: 'RW',
      external: { name: 'shared-data', provider: 'dvdi', options: { 'dvdi/driver': driver } },
    });
    await create(ns(), 'vault', {
      ...base,
      instances: 1,
      container: { type: 'MESOS', volumes: [persistent, external('rexray')] },
    });
    type Claim = Obj & { metadata: { annotations?: Record<string, string>; ownerReferences?: unknown[] } };
    const claim = () => kubectlJson<Claim>(['get', 'pvc', 'shared-data', '-n', ns(), '-o', 'json']);
    const options = async () =>
      (await claim().catch(() => undefined))?.metadata.annotations?.[
        'dcos-operator.dev/external-volume-options'
      ];
    await waitFor(async () => (await options())?.includes('rexray'), { message: 'the claim of shared-data' });
    assert.equal((await claim()).metadata.ownerReferences, undefined, 'the claim is not owned by the app');
    await create(ns(), 'vault', {
      ...base,
      instances: 1,
      container: { type: 'MESOS', volumes: [persistent, external('pxd')] },
    });
    await waitFor(async () => (await options())?.includes('pxd'), { message: 'the claim updated' });
    await kubectl([
      'annotate',
      'pvc/shared-data',
      '-n',
      ns(),
      'dcos-operator.dev/external-volume-name=edited',
      '--overwrite',
    ]);
    await waitFor(
      async () =>
        (await claim()).metadata.annotations?.['dcos-operator.dev/external-volume-name'] === 'shared-data',
      { message: 'the operator to restore the claim' },
    );

    // Without volumes the app is a Deployment again; the StatefulSet goes.
    await create(ns(), 'vault', base);
    await waitFor(
      async () => (await exists('deployment', 'vault')) && !(await exists('statefulset', 'vault')),
      {
        message: 'the Deployment of vault to replace its StatefulSet',
      },
    );
    await kubectl(['delete', 'marathonapp', 'vault', '-n', ns(), '--wait=true']);
    await waitFor(async () => !(await exists('deployment', 'vault')), { message: 'the Deployment deleted' });
    assert.ok(await exists('pvc', 'shared-data'), 'the external volume outlives the app');
    // The local volumes go with the resident workload, as Marathon destroys an app's reservations.
    await waitFor(async () => (await claims()).length === 0, { message: 'the local claims destroyed' });
  });

  it('kills the oldest instance first on scale-down (killSelection OLDEST_FIRST)', async () => {
    const spec = { cmd: 'sleep 1000', cpus: 0.1, mem: 32, killSelection: 'OLDEST_FIRST' };
    await create(ns(), 'ranked', { ...spec, instances: 1 });
    await placed(ns(), 'ranked', 1);
    // Creation timestamps have one-second resolution: make the second instance strictly younger.
    await new Promise((r) => setTimeout(r, 1100));
    await create(ns(), 'ranked', { ...spec, instances: 2 });
    await placed(ns(), 'ranked', 2);
    type Pod = Obj & { metadata: { creationTimestamp: string; annotations?: Record<string, string> } };
    const ranked = await waitFor(
      async () => {
        const ps = (await pods(ns(), 'ranked')) as Pod[];
        const costs = ps.map((p) => p.metadata.annotations?.['controller.kubernetes.io/pod-deletion-cost']);
        return costs.every((c) => c !== undefined) ? ps : undefined;
      },
      { message: 'deletion costs on both pods' },
    );
    const [oldest, youngest] = [...ranked].sort((a, b) =>
      a.metadata.creationTimestamp.localeCompare(b.metadata.creationTimestamp),
    );
    const cost = (p: Pod) => Number(p.metadata.annotations!['controller.kubernetes.io/pod-deletion-cost']);
    assert.ok(cost(oldest!) < cost(youngest!), 'the oldest pod is the cheapest to delete');
    await create(ns(), 'ranked', { ...spec, instances: 1 });
    const left = await waitFor(
      async () => {
        const ps = await pods(ns(), 'ranked');
        return ps.length === 1 ? ps : undefined;
      },
      { message: 'one instance left' },
    );
    assert.equal(left[0]!.metadata.name, youngest!.metadata.name);
  });

  it('removes everything it created when the MarathonApp is deleted', async () => {
    await create(ns(), 'gone', { cmd: 'sleep 1000', cpus: 0.1, mem: 32 });
    await kubectl(['wait', '--for=condition=Ready', 'marathonapp/gone', '-n', ns(), '--timeout=60s']);
    await kubectl(['delete', 'marathonapp', 'gone', '-n', ns()]);
    await waitFor(
      async () => {
        const out = await kubectl([
          'get',
          'deployments,services,configmaps,pods',
          '-n',
          ns(),
          '-l',
          'dcos-operator.dev/app=gone',
          '-o',
          'name',
        ]);
        const cms = await kubectl([
          'get',
          'configmap',
          'gone-versions',
          '-n',
          ns(),
          '--ignore-not-found',
          '-o',
          'name',
        ]);
        return out.trim() === '' && cms.trim() === '';
      },
      { timeoutMs: 60_000, message: 'the children to be garbage-collected' },
    );
  });

  it('reports an invalid definition as Stalled/InvalidSpec with Marathon messages and keeps running', async () => {
    await create(ns(), 'badports', {
      cmd: 'sleep 1',
      portDefinitions: [
        { port: 8080, name: 'a' },
        { port: 8080, name: 'b' },
      ],
    });
    await kubectl(['wait', '--for=condition=Stalled', 'marathonapp/badports', '-n', ns(), '--timeout=30s']);
    const a = await getApp(ns(), 'badports');
    assert.equal(cond(a, 'Stalled')?.reason, 'InvalidSpec');
    assert.match(cond(a, 'Stalled')?.message ?? '', /portDefinitions/);
    assert.equal(op.proc.exitCode, null);
  });
});
