import assert from 'node:assert/strict';
import type { KubernetesListObject, KubernetesObject } from '@kubernetes/client-node';
import { Informer } from './informer.ts';
import { silentLogger } from './logger.ts';
import { until } from './test-support.ts';

type Obj = KubernetesObject;
const obj = (name: string, rv: string): Obj => ({ metadata: { name, namespace: 'ns', resourceVersion: rv } });

type WatchScript = (emit: (phase: string, o: unknown) => void, done: (err: unknown) => void) => void;

/** A scripted Watch: each call plays the next script; the last one is replayed. */
function fakeWatch(scripts: WatchScript[]) {
  const calls: Array<Record<string, unknown>> = [];
  return {
    calls,
    watch(
      _path: string,
      query: Record<string, unknown>,
      cb: (phase: string, o: unknown) => void,
      done: (err: unknown) => void,
    ): Promise<AbortController> {
      const script = scripts[Math.min(calls.length, scripts.length - 1)]!;
      calls.push(query);
      const controller = new AbortController();
      controller.signal.addEventListener('abort', () => done(null));
      setImmediate(() => script(cb, done));
      return Promise.resolve(controller);
    },
  };
}

describe('Informer', () => {
  let informer: Informer<Obj> | undefined;
  afterEach(() => informer?.stop());

  function make(
    lists: Array<KubernetesListObject<Obj> | Error>,
    watch: ReturnType<typeof fakeWatch>,
    extra: { compact?: boolean } = {},
  ) {
    let n = 0;
    const delays: number[] = [];
    let attempt = 0;
    informer = new Informer<Obj>({
      resource: 'things',
      path: '/apis/x/v1/things',
      list: () => {
        const l = lists[Math.min(n++, lists.length - 1)]!;
        return l instanceof Error ? Promise.reject(l) : Promise.resolve(l);
      },
      watch,
      backoff: {
        next: () => {
          const d = 2 ** attempt++;
          delays.push(d);
          return d;
        },
        reset: () => (attempt = 0),
      },
      log: silentLogger(),
      ...extra,
    });
    return { delays, lists: () => n };
  }

  const list = (rv: string, ...items: Obj[]): KubernetesListObject<Obj> => ({
    apiVersion: 'v1',
    kind: 'List',
    metadata: { resourceVersion: rv },
    items,
  });

  it('compact: keeps JSON text, hands out equal fresh copies, and the same events', async () => {
    const watch = fakeWatch([
      (emit) => {
        emit('MODIFIED', obj('a', '11'));
        emit('DELETED', obj('b', '12'));
      },
      () => undefined,
    ]);
    make([list('10', obj('a', '5'), obj('b', '6'))], watch, { compact: true });
    const seen: string[] = [];
    informer!.on('add', (o) => seen.push(`add ${o.metadata!.name}`));
    informer!.on('update', (o, old) =>
      seen.push(`update ${old!.metadata!.resourceVersion}→${o.metadata!.resourceVersion}`),
    );
    informer!.on('delete', (o) => seen.push(`delete ${o.metadata!.name}@${o.metadata!.resourceVersion}`));
    informer!.start();
    await until(() => seen.length === 4);
    assert.deepEqual(seen, ['add a', 'add b', 'update 5→11', 'delete b@6']);
    const a1 = informer!.get('a', 'ns')!;
    assert.deepEqual(a1, obj('a', '11'));
    // A copy: a caller's mutation does not reach the cache.
    a1.metadata!.name = 'mutated';
    assert.equal(informer!.get('a', 'ns')!.metadata!.name, 'a');
    assert.deepEqual(informer!.list(), [obj('a', '11')]);
    assert.deepEqual(informer!.keys(), ['ns/a']);
  });

  it('lists page by page, transforming each page before asking for the next', async () => {
    const watch = fakeWatch([() => undefined]);
    const pages: Record<string, KubernetesListObject<Obj>> = {
      first: {
        ...list('10', obj('a', '1'), obj('b', '2')),
        metadata: { resourceVersion: '10', continue: 't1' } as never,
      },
      t1: { ...list('10', obj('c', '3')), metadata: { resourceVersion: '10', continue: 't2' } as never },
      t2: list('10', obj('d', '4')),
    };
    const asked: Array<string | undefined> = [];
    const transformedBefore: Record<string, number> = {};
    let transformed = 0;
    informer = new Informer<Obj>({
      resource: 'things',
      path: '/apis/x/v1/things',
      list: (token) => {
        asked.push(token);
        transformedBefore[token ?? 'first'] = transformed;
        return Promise.resolve(pages[token ?? 'first']!);
      },
      transform: (o) => (transformed++, o),
      watch,
      backoff: { next: () => 1, reset: () => undefined },
      log: silentLogger(),
    });
    informer.start();
    await until(() => informer!.hasSynced());
    assert.deepEqual(asked, [undefined, 't1', 't2']);
    assert.deepEqual(transformedBefore, { first: 0, t1: 2, t2: 3 });
    assert.deepEqual(informer.keys(), ['ns/a', 'ns/b', 'ns/c', 'ns/d']);
    await until(() => watch.calls.length === 1);
    assert.equal(watch.calls[0]!.resourceVersion, '10');
  });

  it('lists, then watches from the list resourceVersion and applies events', async () => {
    const watch = fakeWatch([(emit) => emit('MODIFIED', obj('a', '11')), () => undefined]);
    make([list('10', obj('a', '5'))], watch);
    const updates: string[] = [];
    informer!.on('update', (o) => updates.push(o.metadata!.resourceVersion!));
    informer!.start();
    await until(() => updates.length === 1);
    assert.equal(watch.calls[0]!.resourceVersion, '10');
    assert.equal(watch.calls[0]!.allowWatchBookmarks, true);
    assert.ok(informer!.hasSynced());
    assert.equal(informer!.get('a', 'ns')!.metadata!.resourceVersion, '11');
  });

  it('relists after 410 Gone and emits deletes for objects removed in the gap', async () => {
    const watch = fakeWatch([(emit) => emit('ERROR', { code: 410 }), () => undefined]);
    const { lists } = make([list('10', obj('a', '1'), obj('b', '2')), list('20', obj('b', '2'))], watch);
    const deleted: string[] = [];
    informer!.on('delete', (o) => deleted.push(o.metadata!.name!));
    informer!.start();
    await until(() => deleted.length === 1);
    assert.deepEqual(deleted, ['a']);
    assert.equal(lists(), 2);
    await until(() => watch.calls.length === 2);
    assert.equal(watch.calls[1]!.resourceVersion, '20');
  });

  it('restarts with growing backoff after any other failure, and resumes from its resourceVersion', async () => {
    const failing: WatchScript = (_e, done) =>
      done(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    const watch = fakeWatch([
      failing,
      failing,
      failing,
      (emit) => emit('ADDED', obj('c', '31')),
      () => undefined,
    ]);
    const { delays } = make([list('30')], watch);
    const added: string[] = [];
    informer!.on('add', (o) => added.push(o.metadata!.name!));
    informer!.start();
    await until(() => added.length === 1);
    assert.deepEqual(delays, [1, 2, 4]);
    assert.ok(
      watch.calls.every((q) => q.resourceVersion === '30'),
      'no relist needed after a plain failure',
    );
  });

  it('keeps retrying a failing initial list instead of stopping', async () => {
    const watch = fakeWatch([() => undefined]);
    const { delays } = make([new Error('503'), new Error('503'), list('5', obj('a', '1'))], watch);
    informer!.start();
    await until(() => informer!.hasSynced());
    assert.equal(delays.length, 2);
  });

  it('ignores relisted objects whose resourceVersion did not change', async () => {
    const watch = fakeWatch([(emit) => emit('ERROR', { code: 410 }), () => undefined]);
    make([list('10', obj('a', '1')), list('20', obj('a', '1'))], watch);
    let events = 0;
    informer!.on('add', () => events++);
    informer!.on('update', () => events++);
    informer!.start();
    await until(() => watch.calls.length === 2);
    assert.equal(events, 1);
  });
});
