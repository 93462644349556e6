// The runtime's API primitives against the real API server and kube-controller-manager: server-side
// apply with the one field manager, owner references collected by the garbage collector, finalizers
// that leave other owners' entries alone, status through the subresource, de-duplicated Events.
import assert from 'node:assert/strict';
import net from 'node:net';
import { Watch } from '@kubernetes/client-node';
import type { KubernetesObject, V1ConfigMap } from '@kubernetes/client-node';
import { FIELD_MANAGER, applyObject, applyStatus } from '../../src/runtime/apply.ts';
import { EventRecorder } from '../../src/runtime/events.ts';
import { addFinalizer, removeFinalizer } from '../../src/runtime/finalizers.ts';
import { createKubeClients } from '../../src/runtime/kube-client.ts';
import type { KubeClients } from '../../src/runtime/kube-client.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import { controllerRef } from '../../src/runtime/owner.ts';
import { TokenBucket } from '../../src/runtime/token-bucket.ts';
import { kubeConfig, kubectl, kubectlJson, useNamespace, waitFor } from './helpers.ts';

const GROUP = 'dcos-operator.dev';
const VERSION = 'v1alpha1';

describe('runtime primitives on the API server', function () {
  this.timeout(60_000);
  const ns = useNamespace();
  let clients: KubeClients;

  before(() => {
    clients = createKubeClients(kubeConfig(), { limiter: new TokenBucket({ qps: 50, burst: 100 }) });
  });

  const createApp = (name: string, finalizers?: string[]) =>
    clients.objects.create({
      apiVersion: `${GROUP}/${VERSION}`,
      kind: 'MarathonApp',
      metadata: { name, namespace: ns(), ...(finalizers ? { finalizers } : {}) },
      spec: { cmd: 'sleep 1000' },
    } as KubernetesObject);

  it('applies with the field manager, writes nothing the second time, and children die with their owner', async () => {
    const owner = await createApp('owner');
    const desired: V1ConfigMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'child', namespace: ns(), ownerReferences: [controllerRef(owner)] },
      data: { a: '1' },
    };
    const first = await applyObject(clients.objects, desired);
    const entry = first.metadata?.managedFields?.find((m) => m.manager === FIELD_MANAGER);
    assert.equal(entry?.operation, 'Apply');
    const second = await applyObject(clients.objects, desired);
    assert.equal(
      second.metadata?.resourceVersion,
      first.metadata?.resourceVersion,
      'a no-op apply writes nothing',
    );

    await clients.objects.delete(owner);
    await waitFor(
      async () => {
        try {
          await clients.core.readNamespacedConfigMap({ name: 'child', namespace: ns() });
          return false;
        } catch (err) {
          return (err as { code?: number }).code === 404;
        }
      },
      { timeoutMs: 30_000 },
    );
  });

  it('adds and removes its finalizer without touching other finalizers', async () => {
    const app = await createApp('fin', ['example.com/keep']);
    const mine = 'dcos-operator.dev/cleanup';
    await addFinalizer(clients.objects, app, mine);
    const read = () => kubectlJson<KubernetesObject>(['get', 'marathonapp', 'fin', '-n', ns(), '-o', 'json']);
    assert.deepEqual((await read()).metadata?.finalizers?.sort(), [
      'dcos-operator.dev/cleanup',
      'example.com/keep',
    ]);
    await removeFinalizer(clients.objects, await read(), mine);
    assert.deepEqual((await read()).metadata?.finalizers, ['example.com/keep']);
    // Let the namespace be deleted afterwards.
    await kubectl([
      'patch',
      'marathonapp',
      'fin',
      '-n',
      ns(),
      '--type=merge',
      '-p',
      '{"metadata":{"finalizers":null}}',
    ]);
  });

  it('writes status through the subresource without changing the generation', async () => {
    const app = await createApp('status');
    await applyStatus(
      clients.customObjects,
      {
        group: GROUP,
        version: VERSION,
        plural: 'marathonapps',
        kind: 'MarathonApp',
        namespace: ns(),
        name: 'status',
      },
      { observedGeneration: 1, tasksRunning: 0 },
    );
    const read = await kubectlJson<KubernetesObject & { status?: Record<string, unknown> }>([
      'get',
      'marathonapp',
      'status',
      '-n',
      ns(),
      '-o',
      'json',
    ]);
    assert.equal(read.status?.observedGeneration, 1);
    assert.equal(read.metadata?.generation, app.metadata?.generation);
  });

  it('records a repeated event once, with a count', async () => {
    const app = await createApp('events');
    const recorder = new EventRecorder(clients.core, silentLogger(), {
      component: 'dcos-operator',
      instance: 'test',
    });
    await recorder.record(app, 'Warning', 'InvalidSpec', 'cmd and args are mutually exclusive');
    await recorder.record(app, 'Warning', 'InvalidSpec', 'cmd and args are mutually exclusive');
    await recorder.record(app, 'Normal', 'Accepted', 'ok');
    const list = await kubectlJson<{
      items: Array<{ reason: string; count: number; involvedObject: { uid: string } }>;
    }>(['get', 'events', '-n', ns(), '-o', 'json']);
    const mine = list.items.filter((e) => e.involvedObject.uid === app.metadata?.uid);
    assert.deepEqual(mine.map((e) => [e.reason, e.count]).sort(), [
      ['Accepted', 1],
      ['InvalidSpec', 2],
    ]);
  });

  it('keeps API calls and watches on pooled connections instead of one TLS connection per call', async () => {
    // A TCP relay in front of the API server counts the connections the clients open.
    const kc = kubeConfig();
    const cluster = kc.getCurrentCluster()!;
    const upstream = new URL(cluster.server);
    let connections = 0;
    const sockets = new Set<net.Socket>();
    const relay = net.createServer((client) => {
      connections++;
      const server = net.connect(Number(upstream.port), upstream.hostname);
      for (const s of [client, server]) {
        sockets.add(s);
        s.on('error', () => undefined);
        s.on('close', () => sockets.delete(s));
      }
      client.pipe(server).pipe(client);
    });
    await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
    const port = (relay.address() as net.AddressInfo).port;
    kc.clusters[kc.clusters.indexOf(cluster)] = { ...cluster, server: `https://127.0.0.1:${port}` };
    const via = createKubeClients(kc, { limiter: new TokenBucket({ qps: 1000, burst: 1000 }) });
    let watch: { abort(): void } | undefined;
    try {
      for (let i = 0; i < 20; i++) await via.json('GET', `/api/v1/namespaces/${ns()}/configmaps`);
      await Promise.all(
        Array.from({ length: 10 }, () => via.core.listNamespacedConfigMap({ namespace: ns() })),
      );
      const seen = new Promise<void>((resolve) => {
        void new Watch(kc)
          .watch(
            `/api/v1/namespaces/${ns()}/configmaps`,
            {},
            (type) => type === 'ADDED' && resolve(),
            () => undefined,
          )
          .then((w) => (watch = w));
      });
      await via.json('POST', `/api/v1/namespaces/${ns()}/configmaps`, {
        body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'pooled' } },
      });
      await seen;
      // One per call (32) before pooling; HTTP/2 multiplexes them all over one.
      assert.ok(connections <= 2, `${connections} connections for 32 calls and a watch`);
    } finally {
      watch?.abort();
      for (const s of sockets) s.destroy();
      await new Promise((r) => relay.close(r));
    }
  });
});
