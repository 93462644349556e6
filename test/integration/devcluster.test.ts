// Proves the dev cluster is a real control plane: controllers, scheduler, kwok nodes, garbage
// collection, namespace deletion, and data that survives an API server restart.
import assert from 'node:assert/strict';
import {
  PUBLIC_AGENT_LABEL,
  ZONE_LABEL,
  createFakeNodes,
  deleteFakeNodes,
  startComponent,
  startDevCluster,
  stopComponent,
  stopDevCluster,
} from '../../src/devcluster/index.ts';
import { kubectl, kubectlJson, uniqueName, useNamespace, waitFor } from './helpers.ts';

interface Meta {
  name: string;
  uid: string;
  labels?: Record<string, string>;
  ownerReferences?: { kind: string; name: string }[];
}
interface Condition {
  type: string;
  status: string;
}
interface Node {
  metadata: Meta;
  status: { conditions?: Condition[]; allocatable?: Record<string, string> };
}
interface Pod {
  metadata: Meta;
  spec: { nodeName?: string };
  status: { phase?: string; podIP?: string; conditions?: Condition[] };
}
interface List<T> {
  items: T[];
}

function deployment(name: string, replicas: number, nodeSelector?: Record<string, string>): string {
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          ...(nodeSelector ? { nodeSelector } : {}),
          containers: [{ name: 'main', image: 'nginx:1.27', resources: { requests: { cpu: '100m' } } }],
        },
      },
    },
  });
}

const isReady = (conditions: Condition[] | undefined) =>
  conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

async function readyPods(ns: string, app: string, count: number): Promise<Pod[]> {
  const wait = waitFor(
    async () => {
      const pods = (await kubectlJson<List<Pod>>(['get', 'pods', '-n', ns, '-l', `app=${app}`])).items;
      const ready = pods.filter((p) => p.status.phase === 'Running' && isReady(p.status.conditions));
      return ready.length === count && pods.length === count ? pods : undefined;
    },
    { message: `${count} Running and Ready pods of ${ns}/${app}` },
  );
  // On a timeout, say what the cluster looked like.
  return wait.catch(async (err: Error) => {
    const state = await kubectl(['get', 'deploy,rs,pods,events', '-n', ns, '-o', 'wide']).catch(
      (e: Error) => e.message,
    );
    throw new Error(`${err.message}\n${state}`, { cause: err });
  });
}

describe('dev cluster', function () {
  const ns = useNamespace({ prefix: 'devcluster' });

  it('has Ready kwok nodes: three private agents across zones and a public agent', async () => {
    const nodes = (await kubectlJson<List<Node>>(['get', 'nodes'])).items;
    const byName = new Map(nodes.map((n) => [n.metadata.name, n]));
    const priv = ['private-agent-1', 'private-agent-2', 'private-agent-3'].map((n) => byName.get(n));
    const pub = byName.get('public-agent-1');
    for (const n of [...priv, pub]) {
      assert.ok(n, 'node exists');
      assert.ok(isReady(n.status.conditions), `${n.metadata.name} Ready`);
      assert.equal(n.status.allocatable?.cpu, '32');
    }
    assert.equal(new Set(priv.map((n) => n?.metadata.labels?.[ZONE_LABEL])).size, 3);
    assert.equal(pub?.metadata.labels?.[PUBLIC_AGENT_LABEL], 'true');
    // kwok renews node Leases, so kube-controller-manager never sees the nodes as lost.
    const leases = await kubectl(['get', 'leases', '-n', 'kube-node-lease', '-o', 'name']);
    assert.match(leases, /\/private-agent-1$/m);
  });

  it('schedules a Deployment onto kwok nodes and runs its pods Ready', async () => {
    await kubectl(['apply', '-n', ns(), '-f', '-'], { input: deployment('web', 3) });
    const pods = await readyPods(ns(), 'web', 3);
    const nodeNames = new Set(
      (await kubectlJson<List<Node>>(['get', 'nodes'])).items.map((n) => n.metadata.name),
    );
    for (const p of pods) {
      assert.ok(p.spec.nodeName && nodeNames.has(p.spec.nodeName), `${p.metadata.name} bound to a node`);
      assert.match(p.status.podIP ?? '', /^\d+\.\d+\.\d+\.\d+$/);
    }
    await waitFor(
      async () =>
        (await kubectl([
          'get',
          'deployment',
          'web',
          '-n',
          ns(),
          '-o',
          'jsonpath={.status.availableReplicas}',
        ])) === '3',
      { message: 'Deployment available' },
    );
  });

  it('garbage-collects the ReplicaSet and pods of a deleted Deployment', async () => {
    await kubectl(['apply', '-n', ns(), '-f', '-'], { input: deployment('gc', 2) });
    await readyPods(ns(), 'gc', 2);
    const rs = await kubectlJson<List<{ metadata: Meta }>>([
      'get',
      'replicasets',
      '-n',
      ns(),
      '-l',
      'app=gc',
    ]);
    assert.equal(rs.items.length, 1);
    assert.equal(rs.items[0]?.metadata.ownerReferences?.[0]?.kind, 'Deployment');

    // Background deletion: the Deployment goes at once, its dependents only through the GC controller.
    await kubectl(['delete', 'deployment', 'gc', '-n', ns(), '--cascade=background', '--wait=false']);
    await waitFor(
      async () =>
        (await kubectl(['get', 'replicasets,pods', '-n', ns(), '-l', 'app=gc', '-o', 'name'])) === '',
      { message: 'ReplicaSet and pods garbage-collected' },
    );
  });

  it('deletes a namespace with running pods', async () => {
    const other = uniqueName('devcluster-nsdel');
    await kubectl(['create', 'namespace', other]);
    await waitFor(() => kubectl(['get', 'serviceaccount', 'default', '-n', other]));
    await kubectl(['apply', '-n', other, '-f', '-'], { input: deployment('app', 1) });
    await readyPods(other, 'app', 1);
    await kubectl(['delete', 'namespace', other, '--wait=false']);
    await waitFor(
      async () =>
        (await kubectl(['get', 'namespaces', '-o', 'name'])).includes(`namespace/${other}\n`) === false,
      { message: `namespace ${other} gone`, timeoutMs: 60_000 },
    );
  });

  it('places pods on extra fake nodes a test adds', async () => {
    const pool = uniqueName('pool');
    const name = `${pool}-node`;
    await createFakeNodes([{ name, labels: { 'dcos-operator.dev/pool': pool } }]);
    try {
      await kubectl(['apply', '-n', ns(), '-f', '-'], {
        input: deployment('pinned', 2, { 'dcos-operator.dev/pool': pool }),
      });
      const pods = await readyPods(ns(), 'pinned', 2);
      assert.deepEqual(new Set(pods.map((p) => p.spec.nodeName)), new Set([name]));
    } finally {
      await kubectl(['delete', 'deployment', 'pinned', '-n', ns(), '--wait=false']);
      await deleteFakeNodes([name]);
    }
  });

  it('survives an API server restart with its data', async () => {
    await kubectl(['create', 'configmap', 'keep', '-n', ns(), '--from-literal=answer=42']);
    const before = await kubectlJson<{ metadata: Meta }>(['get', 'configmap', 'keep', '-n', ns()]);

    await stopComponent('kube-apiserver');
    try {
      await assert.rejects(kubectl(['get', 'configmap', 'keep', '-n', ns(), '--request-timeout=2s']));
    } finally {
      await startComponent('kube-apiserver');
    }

    const after = await kubectlJson<{ metadata: Meta; data: Record<string, string> }>([
      'get',
      'configmap',
      'keep',
      '-n',
      ns(),
    ]);
    assert.equal(after.metadata.uid, before.metadata.uid);
    assert.deepEqual(after.data, { answer: '42' });
    // Controllers, scheduler and kwok reconnect by themselves: a new workload still comes up.
    await kubectl(['apply', '-n', ns(), '-f', '-'], { input: deployment('after-restart', 2) });
    await readyPods(ns(), 'after-restart', 2);
  });

  it('restarts the whole control plane on its data, and kwok takes its nodes back at once', async () => {
    await kubectl(['apply', '-n', ns(), '-f', '-'], { input: deployment('before', 1) });
    const [pod] = await readyPods(ns(), 'before', 1);

    await stopDevCluster();
    const restarted = await startDevCluster();
    assert.equal(restarted.reused, false);

    const again = await readyPods(ns(), 'before', 1);
    assert.equal(again[0]?.metadata.uid, pod?.metadata.uid);
    // A new kwok must not wait for the old one's node Leases to expire before running new pods.
    const t0 = Date.now();
    await kubectl(['apply', '-n', ns(), '-f', '-'], { input: deployment('after', 2) });
    await readyPods(ns(), 'after', 2);
    assert.ok(Date.now() - t0 < 10_000, `pods took ${Date.now() - t0} ms`);
  });
});
