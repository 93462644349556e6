// DcosCluster end to end: the operator (a real process) drives the AKS emulator (HTTPS, the real SDK) whose
// pools become kwok Nodes of the test control plane, so MarathonApps really schedule onto them.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { NodeMaterializer } from '../../src/azure/local-nodes.ts';
import { EMULATOR_NODE_LABEL, startAksEmulator } from '../../src/azure/emulator/index.ts';
import type { AgentPoolSnapshot, AksEmulator } from '../../src/azure/emulator/index.ts';
import { LOCAL_SUBSCRIPTION_ID } from '../../src/resources/dcos-cluster.ts';
import { createKubeClients } from '../../src/runtime/kube-client.ts';
import { TokenBucket } from '../../src/runtime/token-bucket.ts';
import { kubeConfig, kubectl, kubectlJson, useNamespace, waitFor } from './helpers.ts';
import { OperatorProcess } from './operator-process.ts';

const FIXTURES = path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'fixtures', 'acs');
const RG = 'dcos';
const OWNER_TAG = 'dcos-operator-cluster';

interface Cond {
  type: string;
  status: string;
  reason: string;
  message: string;
}
interface PoolStatus {
  name: string;
  provisioningState?: string;
  count?: number;
  desiredCount?: number;
  readyNodes?: number;
  operation?: { kind: string; state: string };
  error?: { code: string; message: string };
}
interface ClusterObj {
  metadata: { name: string; generation: number; uid: string };
  status?: {
    observedGeneration?: number;
    conditions?: Cond[];
    pools?: PoolStatus[];
    clusterId?: string;
    readyNodes?: number;
    desiredNodes?: number;
    unmapped?: { path: string }[];
  };
}
interface NodeObj {
  metadata: { name: string; labels: Record<string, string> };
  spec: { taints?: { key: string; value?: string; effect: string }[]; unschedulable?: boolean };
}

const fixture = (file: string) =>
  JSON.parse(readFileSync(path.join(FIXTURES, file), 'utf8')) as Record<string, unknown>;
const cond = (o: ClusterObj, type: string) => o.status?.conditions?.find((c) => c.type === type);

describe('DcosCluster', function () {
  this.timeout(240_000);
  const ns = useNamespace({ scope: 'suite', prefix: 'dcos' });
  let emulator: AksEmulator;
  let nodes: NodeMaterializer;
  let op: OperatorProcess;
  let tmp: string;
  let caFile: string;

  const operatorArgs = () => [
    '--leader-elect=false',
    '--http-bind-address=127.0.0.1:0',
    `--local-aks-endpoint=${emulator.endpoint}`,
    `--local-aks-ca-file=${caFile}`,
    '--arm-poll-interval=250ms',
    '--arm-busy-retry=500ms',
    '--arm-failed-retry=1s',
    '--arm-writes-per-second=10',
  ];
  const startOperator = async () => {
    op = new OperatorProcess(operatorArgs());
    await op.waitForLog(/^started leading/);
  };

  before(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'dcos-cluster-'));
    emulator = await startAksEmulator({ operationDurationMs: 600 });
    caFile = path.join(tmp, 'aks-emulator.pem');
    await writeFile(caFile, emulator.caPem);
    const limiter = new TokenBucket({ qps: 50, burst: 50 });
    nodes = new NodeMaterializer({ json: createKubeClients(kubeConfig(), { limiter }).json });
    nodes.attach(emulator);
    await startOperator();
  });
  after(async () => {
    // The namespace is being deleted: let the operator remove the clusters' pools (their finalizer) first.
    await waitFor(async () => (await kubectl(['get', 'dcosclusters', '-A', '-o', 'name'])).trim() === '', {
      timeoutMs: 120_000,
      message: 'DcosClusters gone',
    }).catch(async () => {
      const left = (await kubectl(['get', 'dcosclusters', '-A', '-o', 'name'])).trim();
      console.error(`DcosClusters left: ${left}; removing their finalizers`);
      for (const ref of (
        await kubectl([
          'get',
          'dcosclusters',
          '-A',
          '-o',
          'jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name} {end}',
        ])
      )
        .trim()
        .split(' ')
        .filter(Boolean)) {
        const [n, name] = ref.split('/');
        await kubectl([
          'patch',
          'dcoscluster',
          name!,
          '-n',
          n!,
          '--type=merge',
          '-p',
          '{"metadata":{"finalizers":null}}',
        ]);
      }
    });
    await op?.stop('SIGTERM');
    nodes?.detach();
    await nodes?.idle();
    await emulator?.close();
    // Emulator nodes must not outlive the suite: later suites count and place on the dev nodes.
    await kubectl(['delete', 'nodes', '-l', EMULATOR_NODE_LABEL, '--wait=false']);
    await kubectl(['uncordon', '-l', '!' + EMULATOR_NODE_LABEL]).catch(() => undefined);
    await rm(tmp, { recursive: true, force: true });
  });

  const manifest = (name: string, definition: Record<string, unknown>, aks: string, annotations = {}) =>
    JSON.stringify({
      apiVersion: 'dcos-operator.dev/v1alpha1',
      kind: 'DcosCluster',
      metadata: { name, namespace: ns(), annotations },
      spec: { ...definition, target: { provider: 'local', resourceGroup: RG, managedClusterName: aks } },
    });
  const apply = (name: string, definition: Record<string, unknown>, aks: string, annotations = {}) =>
    kubectl(['apply', '-f', '-'], { input: manifest(name, definition, aks, annotations) });
  const get = (name: string) =>
    kubectlJson<ClusterObj>(['get', 'dcoscluster', name, '-n', ns(), '-o', 'json']);
  const pools = (aks: string): AgentPoolSnapshot[] => emulator.pools(LOCAL_SUBSCRIPTION_ID, RG, aks);
  const poolNodes = async (aks: string, pool: string) =>
    (
      await kubectlJson<{ items: NodeObj[] }>([
        'get',
        'nodes',
        '-l',
        `${EMULATOR_NODE_LABEL}=${aks},kubernetes.azure.com/agentpool=${pool}`,
        '-o',
        'json',
      ])
    ).items;
  const waitReady = (name: string, timeoutMs = 90_000) =>
    kubectl(
      ['wait', '--for=condition=Ready', `dcoscluster/${name}`, '-n', ns(), `--timeout=${timeoutMs / 1000}s`],
      {
        timeoutMs: timeoutMs + 5000,
      },
    );
  /** Pools this cluster owns in the emulator, by name → count. */
  const owned = (aks: string, name: string) =>
    Object.fromEntries(
      pools(aks)
        .filter((p) => p.properties.tags?.[OWNER_TAG] === `${ns()}/${name}`)
        .map((p) => [p.name, p.properties.count]),
    );

  it('turns every ACS fixture into its agent pools and nodes, with Mesos roles and attributes', async () => {
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.json'));
    assert.ok(files.length >= 6);
    const names = files.map((f) => f.replace(/\.json$/, '').replace(/[^a-z0-9]+/g, '-'));
    await Promise.all(files.map((f, i) => apply(names[i]!, fixture(f), names[i]!)));
    await Promise.all(names.map((n) => waitReady(n, 120_000)));
    for (const [i, file] of files.entries()) {
      const name = names[i]!;
      const def = fixture(file) as {
        properties: {
          masterProfile: { count: number };
          agentPoolProfiles: { name: string; count: number; customNodeLabels?: Record<string, string> }[];
        };
      };
      const expected: Record<string, number> = { master: def.properties.masterProfile.count };
      for (const p of def.properties.agentPoolProfiles) expected[p.name] = p.count;
      assert.deepEqual(owned(name, name), expected, file);
      const obj = await get(name);
      assert.equal(cond(obj, 'Ready')?.reason, 'Provisioned', file);
      assert.equal(obj.status?.observedGeneration, obj.metadata.generation);
      assert.equal(obj.status?.clusterId, obj.metadata.uid);
      assert.equal(obj.status?.readyNodes, obj.status?.desiredNodes);
      for (const profile of def.properties.agentPoolProfiles) {
        const ns_ = await poolNodes(name, profile.name);
        assert.equal(ns_.length, profile.count, `${file} ${profile.name} nodes`);
        const isPublic = profile.name === 'agentpublic';
        for (const n of ns_) {
          const l = n.metadata.labels;
          assert.equal(
            l['dcos-operator.dev/mesos-role'],
            isPublic ? 'slave_public' : 'slave',
            `${file} ${n.metadata.name}`,
          );
          assert.equal(l['attribute.dcos-operator.dev/os'], 'Linux');
          assert.equal(l['kubernetes.azure.com/mode'], 'user');
          const publicTaint = (n.spec.taints ?? []).some((t) => t.key === 'dcos-operator.dev/public-agent');
          assert.equal(publicTaint, isPublic, `${file} ${n.metadata.name} taint`);
          for (const [k, v] of Object.entries(profile.customNodeLabels ?? {}))
            assert.equal(l[`attribute.dcos-operator.dev/${k}`], v);
        }
      }
      const masters = await poolNodes(name, 'master');
      assert.equal(masters.length, def.properties.masterProfile.count);
      assert.ok(masters.every((n) => n.metadata.labels['kubernetes.azure.com/mode'] === 'system'));
    }
  });

  it('schedules MarathonApps onto the pools: slave_public on the public pool, an attribute on its pool', async () => {
    const name = 'vlabs-dcos-attributes';
    // Every other node (the dev cluster's agents, other emulated clusters' pools) is cordoned.
    await kubectl(['cordon', '-l', `${EMULATOR_NODE_LABEL}!=${name}`]);
    try {
      const app = (id: string, spec: Record<string, unknown>) =>
        kubectl(['apply', '-f', '-'], {
          input: JSON.stringify({
            apiVersion: 'dcos-operator.dev/v1alpha1',
            kind: 'MarathonApp',
            metadata: { name: id, namespace: ns() },
            spec: { cmd: 'sleep 1000', cpus: 0.01, mem: 16, ...spec },
          }),
        });
      await app('edge', { instances: 3, acceptedResourceRoles: ['slave_public'] });
      await app('tagged', { instances: 2, constraints: [['attribute1', 'CLUSTER', 'value1']] });
      const placed = async (app: string, count: number) =>
        waitFor(
          async () => {
            const list = await kubectlJson<{
              items: { spec: { nodeName?: string }; status: { phase?: string } }[];
            }>(['get', 'pods', '-n', ns(), '-l', `dcos-operator.dev/app=${app}`, '-o', 'json']);
            const running = list.items.filter((p) => p.status.phase === 'Running' && p.spec.nodeName);
            return running.length === count ? running.map((p) => p.spec.nodeName!) : undefined;
          },
          { timeoutMs: 90_000, message: `${app}: ${count} pods running` },
        );
      const publicNodes = new Set((await poolNodes(name, 'agentpublic')).map((n) => n.metadata.name));
      const privateNodes = new Set((await poolNodes(name, 'xtentprivate')).map((n) => n.metadata.name));
      for (const node of await placed('edge', 3)) assert.ok(publicNodes.has(node), `edge on ${node}`);
      for (const node of await placed('tagged', 2)) assert.ok(privateNodes.has(node), `tagged on ${node}`);
    } finally {
      await kubectl(['delete', 'marathonapps', '--all', '-n', ns(), '--wait=true']);
      await kubectl(['uncordon', '-l', `${EMULATOR_NODE_LABEL}!=${name}`]);
    }
  });

  it('scales pools, adds and removes one, and never touches a pool it does not own', async () => {
    const name = 'v20170701-dcos';
    const def = fixture('v20170701-dcos.json') as {
      properties: { agentPoolProfiles: Record<string, unknown>[] };
    };
    // A pool created in Azure by someone else, in the same AKS cluster.
    const foreign = { count: 1, vmSize: 'Standard_D2s_v3', osType: 'Linux', mode: 'User' };
    await putForeign(emulator, name, 'theirs', foreign);
    const profiles = def.properties.agentPoolProfiles;
    const scaled = {
      ...def,
      properties: {
        ...def.properties,
        agentPoolProfiles: [
          { ...profiles[0], count: 3 },
          profiles[1],
          { name: 'batch', count: 2, vmSize: 'Standard_D4s_v3' },
        ],
      },
    };
    await apply(name, scaled, name);
    await waitFor(
      async () => (await get(name)).status?.observedGeneration === (await get(name)).metadata.generation,
    );
    await waitReady(name);
    assert.deepEqual(owned(name, name), { master: 1, agentprivate: 3, agentpublic: 1, batch: 2 });
    assert.equal((await poolNodes(name, 'agentprivate')).length, 3);
    assert.equal((await poolNodes(name, 'batch')).length, 2);

    const shrunk = {
      ...def,
      properties: { ...def.properties, agentPoolProfiles: [{ ...profiles[0], count: 1 }, profiles[1]] },
    };
    await apply(name, shrunk, name);
    await waitFor(
      async () => {
        const o = await get(name);
        return o.status?.observedGeneration === o.metadata.generation && cond(o, 'Ready')?.status === 'True';
      },
      { timeoutMs: 90_000, message: 'scaled down and Ready' },
    );
    assert.deepEqual(owned(name, name), { master: 1, agentprivate: 1, agentpublic: 1 });
    assert.equal((await poolNodes(name, 'batch')).length, 0);
    assert.equal((await poolNodes(name, 'agentprivate')).length, 1);
    const names = pools(name)
      .map((p) => p.name)
      .sort();
    assert.ok(names.includes('theirs') && names.includes('nodepool1'), 'foreign and seeded pools stay');
  });

  it('reports a pool name taken by a pool it does not own as Stalled, without changing that pool', async () => {
    const name = 'taken';
    await putForeign(emulator, name, 'agentpublic', {
      count: 1,
      vmSize: 'Standard_D2s_v3',
      osType: 'Linux',
      mode: 'User',
    });
    await apply(name, fixture('vlabs-dcos.json'), name);
    const obj = await waitFor(
      async () => {
        const o = await get(name);
        return cond(o, 'Stalled')?.status === 'True' ? o : undefined;
      },
      { timeoutMs: 60_000, message: 'Stalled' },
    );
    assert.equal(cond(obj, 'Stalled')?.reason, 'PoolNotOwned');
    assert.match(cond(obj, 'Ready')!.message, /agentpublic already exists/);
    const theirs = pools(name).find((p) => p.name === 'agentpublic');
    assert.equal(theirs?.properties.count, 1);
    assert.equal(theirs?.properties.tags?.[OWNER_TAG], undefined);
    await kubectl(['delete', 'dcoscluster', name, '-n', ns(), '--timeout=90s']);
    assert.deepEqual(
      pools(name)
        .map((p) => p.name)
        .sort(),
      ['agentpublic', 'nodepool1'],
    );
  });

  it('resumes a pool creation after an operator restart instead of starting another', async () => {
    const name = 'restarted';
    emulator.clearRequests();
    // Operations long enough to be in flight when the operator dies and when its successor starts.
    emulator.setOperationDuration(8_000);
    try {
      await apply(name, fixture('v20170701-dcos.json'), name);
      const recorded = await waitFor(
        async () => {
          const pools = (await get(name)).status?.pools ?? [];
          return pools.filter((p) => p.operation).length === 3 ? pools : undefined;
        },
        { timeoutMs: 30_000, message: 'three operations recorded in status' },
      );
      await op.stop('SIGKILL');
      const operationIds = recorded.map((p) => /operations\/([0-9a-f-]{36})/.exec(p.operation!.state)?.[1]);
      assert.equal(operationIds.filter(Boolean).length, 3);
      assert.ok(
        pools(name).some((p) => p.properties.provisioningState === 'Creating'),
        'killed while pools were still being created',
      );
      emulator.clearRequests();
      await startOperator();
      await waitReady(name);
      const after = emulator.requests;
      assert.equal(after.filter((r) => r.method === 'PUT').length, 0, 'no operation started again');
      // The new process polled the very operations the old one started.
      for (const id of operationIds)
        assert.ok(
          after.some((r) => r.method === 'GET' && r.path.endsWith(`/operations/${id}`)),
          `polled ${id}`,
        );
    } finally {
      emulator.setOperationDuration(600);
      if (op.proc.exitCode !== null || op.proc.signalCode !== null) await startOperator();
    }
  });

  it('converges with a third of ARM calls failing (429 and 5xx) and failed operations, truthfully', async () => {
    const names = ['faulty-a', 'faulty-b'];
    emulator.setFaults({
      throttleRate: 0.17,
      serverErrorRate: 0.16,
      failOperationRate: 0.25,
      retryAfterSeconds: 1,
      seed: 7,
    });
    try {
      await Promise.all(names.map((n) => apply(n, fixture('vlabs-dcos.json'), n)));
      const seenNotReady = new Set<string>();
      await waitFor(
        async () => {
          let all = true;
          for (const n of names) {
            const o = await get(n);
            const ready =
              cond(o, 'Ready')?.status === 'True' && o.status?.observedGeneration === o.metadata.generation;
            if (!ready) {
              seenNotReady.add(n);
              all = false;
              continue;
            }
            // Whenever it says Ready, it is: every pool there, Succeeded, with its nodes.
            assert.deepEqual(owned(n, n), { master: 1, agentprivate: 2, agentpublic: 2 });
            assert.ok(pools(n).every((p) => p.properties.provisioningState === 'Succeeded'));
            assert.equal((await poolNodes(n, 'agentpublic')).length, 2);
          }
          return all;
        },
        { timeoutMs: 180_000, intervalMs: 300, message: 'both clusters Ready under faults' },
      );
      assert.deepEqual([...seenNotReady].sort(), names);
    } finally {
      emulator.setFaults({});
    }
    for (const n of names)
      assert.deepEqual(
        pools(n)
          .map((p) => p.name)
          .sort(),
        ['agentprivate', 'agentpublic', 'master', 'nodepool1'],
      );
  });

  it('rejects an invalid definition with ACS’s messages as Stalled InvalidSpec, creating nothing', async () => {
    const name = 'invalid';
    const def = fixture('vlabs-dcos.json') as { properties: Record<string, unknown> };
    const bad = {
      ...def,
      properties: {
        ...def.properties,
        masterProfile: { count: 2, dnsPrefix: '', vmSize: 'Standard_D2s_v3' },
        agentPoolProfiles: [{ name: 'Agent_Pool', count: 101, vmSize: 'Standard_D2s_v3' }],
      },
    };
    await apply(name, bad, name);
    const obj = await waitFor(
      async () => {
        const o = await get(name);
        return cond(o, 'Stalled')?.status === 'True' ? o : undefined;
      },
      { message: 'Stalled' },
    );
    const stalled = cond(obj, 'Stalled')!;
    assert.equal(stalled.reason, 'InvalidSpec');
    assert.match(stalled.message, /MasterProfile count needs to be 1, 3, or 5/);
    assert.match(stalled.message, /AgentPoolProfile count needs to be in the range \[1,100\]/);
    assert.match(stalled.message, /agentPoolProfiles\[0\]\.name/);
    assert.equal(cond(obj, 'Ready')?.status, 'False');
    assert.equal(pools(name).length, 0, 'no ARM call was made');
    await kubectl(['delete', 'dcoscluster', name, '-n', ns(), '--timeout=60s']);
  });

  it('tolerates what AKS changes itself (spot label and taint, autoscaled count): no write on resync', async () => {
    const name = 'spot';
    const def = fixture('vlabs-dcos.json') as {
      properties: { agentPoolProfiles: Record<string, unknown>[] };
    };
    const profiles = def.properties.agentPoolProfiles;
    const spot = {
      ...def,
      properties: {
        ...def.properties,
        agentPoolProfiles: [
          {
            ...profiles[0],
            scaleSetPriority: 'Spot',
            enableAutoScaling: true,
            minCount: 1,
            maxCount: 5,
            count: 2,
          },
          profiles[1],
        ],
      },
    };
    await apply(name, spot, name);
    await waitReady(name);
    const pool = pools(name).find((p) => p.name === 'agentprivate')!;
    assert.equal(pool.properties.nodeLabels?.['kubernetes.azure.com/scalesetpriority'], 'spot');
    assert.ok(pool.properties.nodeTaints?.includes('kubernetes.azure.com/scalesetpriority=spot:NoSchedule'));
    emulator.autoscale(
      { subscriptionId: LOCAL_SUBSCRIPTION_ID, resourceGroup: RG, cluster: name, pool: 'agentprivate' },
      4,
    );
    emulator.clearRequests();
    for (let i = 0; i < 3; i++) {
      op.proc.kill('SIGHUP'); // a full resync, now
      await new Promise((r) => setTimeout(r, 700));
    }
    await waitFor(
      async () => (await get(name)).status?.pools?.find((p) => p.name === 'agentprivate')?.count === 4,
      {
        message: 'autoscaled count in status',
      },
    );
    const writes = emulator.requests.filter(
      (r) => r.method !== 'GET' && r.path.includes(`/managedClusters/${name}/`),
    );
    assert.deepEqual(writes, [], 'no PUT or DELETE for what AKS changed itself');
    assert.ok(
      emulator.requests.some((r) => r.path.endsWith(`/managedClusters/${name}/agentPools`)),
      'it did look',
    );
    assert.equal(pools(name).find((p) => p.name === 'agentprivate')?.properties.count, 4);
    await waitReady(name);
    await kubectl(['delete', 'dcoscluster', name, '-n', ns(), '--timeout=60s']);
  });

  it('runs its own AKS emulator for provider local when none is configured', async () => {
    const name = 'built-in';
    await op.stop('SIGTERM');
    const own = new OperatorProcess([
      '--leader-elect=false',
      '--http-bind-address=127.0.0.1:0',
      '--local-aks-operation-duration=300ms',
      '--arm-poll-interval=250ms',
    ]);
    try {
      await own.waitForLog(/^started leading/);
      await apply(name, fixture('v20170701-dcos.json'), name);
      await waitReady(name);
      await own.waitForLog(/^started the built-in AKS emulator/);
      assert.equal(pools(name).length, 0, 'not the test’s emulator');
      const obj = await get(name);
      assert.equal(obj.status?.readyNodes, 3);
      for (const pool of ['master', 'agentprivate', 'agentpublic'])
        assert.equal((await poolNodes(name, pool)).length, 1);
      await kubectl(['delete', 'dcoscluster', name, '-n', ns(), '--timeout=60s']);
      await waitFor(async () => (await poolNodes(name, 'agentprivate')).length === 0, {
        message: 'nodes removed',
      });
    } finally {
      await own.stop('SIGTERM');
      await startOperator();
    }
  });

  it('removes its pools (and their nodes) when deleted; detach-on-delete leaves them', async () => {
    const name = 'vlabs-dcos';
    await kubectl(['delete', 'dcoscluster', name, '-n', ns(), '--timeout=90s']);
    assert.deepEqual(
      pools(name).map((p) => p.name),
      ['nodepool1'],
    );
    await waitFor(async () => (await poolNodes(name, 'agentprivate')).length === 0, {
      message: 'nodes removed',
    });

    const kept = 'vlabs-dcos-managed-disks-vmss';
    await kubectl([
      'annotate',
      'dcoscluster',
      kept,
      '-n',
      ns(),
      'dcos-operator.dev/reconcile-policy=detach-on-delete',
    ]);
    await kubectl(['delete', 'dcoscluster', kept, '-n', ns(), '--timeout=60s']);
    assert.deepEqual(Object.keys(owned(kept, kept)).sort(), ['agentpublic', 'master']);
  });
});

/** Creates a pool straight in the emulator, the way another tool would, and waits for it. */
async function putForeign(
  emulator: AksEmulator,
  cluster: string,
  pool: string,
  body: Record<string, unknown>,
) {
  const url = `${emulator.endpoint}/subscriptions/${LOCAL_SUBSCRIPTION_ID}/resourceGroups/${RG}/providers/Microsoft.ContainerService/managedClusters/${cluster}/agentPools/${pool}?api-version=2025-07-01`;
  const { Agent, request } = await import('undici');
  const dispatcher = new Agent({ connect: { ca: emulator.caPem } });
  const res = await request(url, {
    method: 'PUT',
    dispatcher,
    headers: { authorization: 'Bearer someone-else', 'content-type': 'application/json' },
    body: JSON.stringify({ properties: body }),
  });
  assert.ok(res.statusCode < 300, `foreign PUT: ${res.statusCode} ${await res.body.text()}`);
  await waitFor(
    () =>
      emulator
        .pools(LOCAL_SUBSCRIPTION_ID, RG, cluster)
        .find((p) => p.name === pool && p.properties.provisioningState === 'Succeeded'),
    {
      message: `foreign pool ${pool}`,
    },
  );
  await dispatcher.close();
}
