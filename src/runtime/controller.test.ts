import assert from 'node:assert/strict';
import type { KubernetesObject } from '@kubernetes/client-node';
import { Controller, StalledError } from './controller.ts';
import type { Reconciler } from './controller.ts';
import type { Handler, InformerEvent } from './informer.ts';
import { silentLogger } from './logger.ts';
import { until } from './test-support.ts';
import { Metrics } from './metrics.ts';
import { WorkQueue } from './workqueue.ts';

/** An informer stand-in that lets a test fire events. */
class FakeInformer {
  objects: KubernetesObject[] = [];
  private handlers: Record<InformerEvent, Handler<KubernetesObject>[]> = { add: [], update: [], delete: [] };
  on(event: InformerEvent, h: Handler<KubernetesObject>) {
    this.handlers[event].push(h);
  }
  keys() {
    return this.objects.map((o) => `${o.metadata?.namespace}/${o.metadata?.name}`);
  }
  fire(event: InformerEvent, obj: KubernetesObject, old?: KubernetesObject) {
    for (const h of this.handlers[event]) h(obj, old);
  }
}

const obj = (name: string, generation = 1, extra: Record<string, unknown> = {}): KubernetesObject => ({
  apiVersion: 'x/v1',
  kind: 'Thing',
  metadata: {
    name,
    namespace: 'ns',
    generation,
    resourceVersion: String(Math.random()),
    uid: `uid-${name}`,
    ...extra,
  },
});

describe('Controller', () => {
  let controller: Controller | undefined;
  afterEach(async () => {
    await controller?.stop(1000);
  });

  function make(reconciler: Reconciler, opts: { maxRetries?: number; childEventDelayMs?: number } = {}) {
    const informer = new FakeInformer();
    const metrics = new Metrics({ processMetrics: false });
    controller = new Controller({
      name: 'things',
      primary: informer,
      // Per-item backoff of 1 ms keeps retries fast.
      queue: new WorkQueue<string>({ rateLimit: { baseMs: 1, maxMs: 4, qps: 1000, burst: 1000 } }),
      reconciler,
      workers: 2,
      maxRetries: opts.maxRetries ?? 3,
      resyncPeriodMs: 3_600_000,
      childEventDelayMs: opts.childEventDelayMs,
      log: silentLogger(),
      metrics,
    });
    return { informer, metrics };
  }

  it('reconciles every cached object at start and every event afterwards, by key', async () => {
    const seen: string[] = [];
    const { informer } = make({ reconcile: (key) => Promise.resolve(void seen.push(key)) });
    informer.objects = [obj('a')];
    controller!.start();
    await until(() => seen.length === 1);
    informer.fire('add', obj('b'));
    await until(() => seen.length === 2);
    assert.deepEqual(seen, ['ns/a', 'ns/b']);
  });

  it('ignores updates that change neither generation nor metadata (its own status writes)', async () => {
    const seen: string[] = [];
    const { informer } = make({ reconcile: (key) => Promise.resolve(void seen.push(key)) });
    controller!.start();
    informer.fire('update', obj('a', 1), obj('a', 1));
    informer.fire('update', obj('b', 2), obj('b', 1));
    informer.fire('update', obj('c', 1, { labels: { x: 'y' } }), obj('c', 1));
    await until(() => seen.length === 2);
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(seen.sort(), ['ns/b', 'ns/c']);
  });

  it('retries failures with backoff, then reports the final one after maxRetries', async () => {
    const calls: string[] = [];
    const errors: Array<[boolean, string]> = [];
    const { informer, metrics } = make(
      {
        reconcile: (key) => {
          calls.push(key);
          return Promise.reject(new Error('boom'));
        },
        onError: (_key, _err, final, reason) => Promise.resolve(void errors.push([final, reason])),
      },
      { maxRetries: 3 },
    );
    controller!.start();
    informer.fire('add', obj('a'));
    await until(() => errors.length === 3);
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(calls.length, 3, 'no attempt after the cap');
    assert.deepEqual(errors, [
      [false, 'ReconcileError'],
      [false, 'ReconcileError'],
      [true, 'RetryLimitExceeded'],
    ]);
    const total = await metrics.registry.getSingleMetricAsString('controller_runtime_reconcile_errors_total');
    assert.match(total, /controller="things"\} 3/);
  });

  it('does not retry a StalledError', async () => {
    const errors: Array<[boolean, string]> = [];
    let calls = 0;
    const { informer } = make({
      reconcile: () => {
        calls++;
        return Promise.reject(new StalledError('InvalidSpec', 'bad'));
      },
      onError: (_k, _e, final, reason) => Promise.resolve(void errors.push([final, reason])),
    });
    controller!.start();
    informer.fire('add', obj('a'));
    await until(() => errors.length === 1);
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(calls, 1);
    assert.deepEqual(errors, [[true, 'InvalidSpec']]);
  });

  it('requeues after the delay a reconcile asks for', async () => {
    let calls = 0;
    const { informer } = make({
      reconcile: () => Promise.resolve(++calls < 3 ? { requeueAfterMs: 5 } : undefined),
    });
    controller!.start();
    informer.fire('add', obj('a'));
    await until(() => calls === 3);
  });

  it('maps child events to the controlling owner', async () => {
    const seen: string[] = [];
    const { informer } = make({ reconcile: (key) => Promise.resolve(void seen.push(key)) });
    void informer;
    const children = new FakeInformer();
    controller!.watchOwned(children, 'Thing');
    controller!.start();
    const ownerRef = (kind: string) => [
      { apiVersion: 'x/v1', kind, name: 'owner', uid: 'u', controller: true },
    ];
    children.fire('update', obj('child', 1, { ownerReferences: ownerRef('Other') }));
    children.fire('delete', obj('child', 1, { ownerReferences: ownerRef('Thing') }));
    await until(() => seen.length === 1);
    assert.deepEqual(seen, ['ns/owner']);
  });

  it('reconciles an owner once for a burst of child changes within the window', async () => {
    const seen: string[] = [];
    make({ reconcile: (key) => Promise.resolve(void seen.push(key)) }, { childEventDelayMs: 60 });
    const children = new FakeInformer();
    controller!.watchOwned(children, 'Thing');
    controller!.start();
    const child = obj('child', 1, {
      ownerReferences: [{ apiVersion: 'x/v1', kind: 'Thing', name: 'owner', uid: 'u', controller: true }],
    });
    const t0 = Date.now();
    for (let i = 0; i < 5; i++) children.fire('update', child);
    await until(() => seen.length === 1);
    assert.ok(Date.now() - t0 >= 55, 'waited for the window');
    await new Promise((r) => setTimeout(r, 120));
    assert.deepEqual(seen, ['ns/owner']);
  });

  it('on stop lets in-flight reconciles finish within the bound', async () => {
    let finished = false;
    const { informer } = make({
      reconcile: () => new Promise((r) => setTimeout(() => r(void (finished = true)), 50)),
    });
    controller!.start();
    informer.fire('add', obj('a'));
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(await controller!.stop(1000), true);
    assert.equal(finished, true);
    controller = undefined;
  });
});
