import assert from 'node:assert/strict';
import type { KubernetesObject, V1Pod } from '@kubernetes/client-node';
import { APP_SELECTOR_LABEL } from '../../marathon/names.ts';
import { AppViews } from './app-views.ts';

type Handler<T> = (o: T) => void;

/** An informer's cache and events, with a count of reads (each read of a compact cache parses JSON). */
class FakeInformer<T extends KubernetesObject> {
  readonly objects = new Map<string, T>();
  private readonly handlers: Record<string, Handler<T>[]> = { add: [], update: [], delete: [] };
  reads = 0;

  on(event: 'add' | 'update' | 'delete', h: Handler<T>): void {
    this.handlers[event]!.push(h);
  }

  get(name: string, namespace?: string): T | undefined {
    this.reads++;
    const o = this.objects.get(`${namespace ?? ''}/${name}`);
    return o && (JSON.parse(JSON.stringify(o)) as T);
  }

  put(o: T, emit = true): void {
    const key = `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
    const event = this.objects.has(key) ? 'update' : 'add';
    this.objects.set(key, o);
    if (emit) for (const h of this.handlers[event]!) h(o);
  }

  remove(o: T): void {
    this.objects.delete(`${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`);
    for (const h of this.handlers.delete!) h(o);
  }
}

const app = (
  rv: string,
  spec: Record<string, unknown>,
  name = 'web',
): KubernetesObject & { spec: unknown } => ({
  metadata: { name, namespace: 'ns', resourceVersion: rv, uid: 'u', generation: 1 },
  spec,
});

const pod = (name: string, rv: string, phase: string): V1Pod => ({
  metadata: {
    name,
    namespace: 'ns',
    resourceVersion: rv,
    uid: name,
    labels: { [APP_SELECTOR_LABEL]: 'web' },
  },
  spec: { containers: [{ name: 'main' }], nodeName: 'agent-1' },
  status: {
    phase,
    containerStatuses: [
      {
        name: 'main',
        ready: true,
        restartCount: 0,
        image: 'x',
        imageID: '',
        state: phase === 'Running' ? { running: {} } : { waiting: {} },
      },
    ],
  },
});

function setup(max?: number) {
  const apps = new FakeInformer<KubernetesObject>();
  const pods = new FakeInformer<V1Pod>();
  let podReads = 0;
  const views = new AppViews({
    apps,
    pods,
    podsOf: (key) => {
      podReads++;
      return [...pods.objects.values()].filter(
        (p) => `${p.metadata?.namespace}/${p.metadata?.labels?.[APP_SELECTOR_LABEL]}` === key,
      );
    },
    ...(max ? { max } : {}),
  });
  return { apps, pods, views, podReads: () => podReads };
}

const running = (bytes: Buffer) => (JSON.parse(bytes.toString()) as { tasksRunning: number }).tasksRunning;

describe('Marathon app views (memo)', () => {
  it('renders an app once per resourceVersion and reads no object while it is current', () => {
    const { apps, views } = setup();
    apps.put(app('1', { id: '/web', cmd: 'sleep 1' }));
    const first = views.view('ns/web')!;
    assert.equal(first.id, '/web');
    assert.equal(views.renders, 1);
    const reads = apps.reads;
    for (let i = 0; i < 5; i++) assert.equal(views.view('ns/web'), first);
    assert.equal(apps.reads, reads, 'no parse for a current entry');
    assert.equal(views.renders, 1);

    apps.put(app('2', { id: '/web', cmd: 'sleep 2' }));
    const second = views.view('ns/web')!;
    assert.notEqual(second, first);
    assert.equal(second.cmd, 'sleep 2');
    assert.match(second.head, /"cmd":"sleep 2"/);
    assert.equal(views.renders, 2);
  });

  it('forgets a deleted app', () => {
    const { apps, views } = setup();
    const o = app('1', { id: '/web', cmd: 'sleep 1' });
    apps.put(o);
    assert.ok(views.view('ns/web'));
    apps.remove(o);
    assert.equal(views.view('ns/web'), undefined);
  });

  it('checks an entry against the object itself for an app it saw no event about', () => {
    const { apps, views } = setup();
    apps.put(app('1', { id: '/web', cmd: 'sleep 1' }), false);
    assert.equal(views.view('ns/web')?.cmd, 'sleep 1');
    const reads = apps.reads;
    assert.equal(views.view('ns/web')?.cmd, 'sleep 1');
    assert.equal(views.renders, 1, 'same resourceVersion: not rendered again');
    assert.equal(apps.reads, reads + 1, 'but read, to learn the resourceVersion');
    apps.put(app('7', { id: '/web', cmd: 'sleep 7' }), false);
    assert.equal(views.view('ns/web')?.cmd, 'sleep 7');
  });

  it('recomputes the counts of a list entry when one of the app’s pods changes, and only then', () => {
    const { apps, pods, views, podReads } = setup();
    apps.put(app('1', { id: '/web', cmd: 'sleep 1', instances: 2 }));
    pods.put(pod('p1', '10', 'Pending'));
    assert.equal(running(views.listBytes(views.view('ns/web')!)), 0);
    const reads = podReads();
    views.listBytes(views.view('ns/web')!);
    views.listBytes(views.view('ns/web')!);
    assert.equal(podReads(), reads, 'cached while no pod changed');

    pods.put(pod('p1', '11', 'Running'));
    assert.equal(running(views.listBytes(views.view('ns/web')!)), 1);
    pods.put(pod('p2', '12', 'Running'));
    assert.equal(running(views.listBytes(views.view('ns/web')!)), 2);
    // a pod of another app leaves this entry alone
    pods.put({
      ...pod('other', '13', 'Running'),
      metadata: { ...pod('other', '13', 'Running').metadata, labels: { [APP_SELECTOR_LABEL]: 'db' } },
    });
    const before = podReads();
    views.listBytes(views.view('ns/web')!);
    assert.equal(podReads(), before);
    pods.remove(pod('p2', '14', 'Running'));
    assert.equal(running(views.listBytes(views.view('ns/web')!)), 1);
  });

  it('moves its generation with every event about an app or an app pod, and only then', () => {
    const { apps, pods, views } = setup();
    const g0 = views.generation;
    apps.put(app('1', { cmd: 'x' }));
    const g1 = views.generation;
    assert.ok(g1 > g0);
    views.view('ns/web');
    assert.equal(views.generation, g1, 'reads do not move it');
    pods.put(pod('p1', '1', 'Running'));
    assert.ok(views.generation > g1);
    const g2 = views.generation;
    pods.put({ metadata: { name: 'stray', namespace: 'ns', resourceVersion: '1' } });
    assert.equal(views.generation, g2, 'a pod of no app');
  });

  it('stays within its bound, re-rendering what it dropped', () => {
    const { apps, views } = setup(2);
    for (const name of ['a', 'b', 'c']) apps.put(app('1', { cmd: 'x' }, name));
    for (const name of ['a', 'b', 'c']) assert.equal(views.view(`ns/${name}`)?.id, `/ns/${name}`);
    assert.equal(views.renders, 3);
    views.view('ns/c');
    assert.equal(views.renders, 3, 'c is cached');
    views.view('ns/a');
    assert.equal(views.renders, 4, 'a was dropped');
  });
});
