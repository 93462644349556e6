import assert from 'node:assert/strict';
import type { KubernetesObject } from '@kubernetes/client-node';
import { CacheIndex } from './cache-index.ts';
import type { Handler, InformerEvent } from './informer.ts';

/** An informer whose cache follows the events it emits, as the real one does. */
function fakeInformer() {
  const handlers: Record<InformerEvent, Handler<KubernetesObject>[]> = { add: [], update: [], delete: [] };
  const cache = new Map<string, KubernetesObject>();
  const key = (o: KubernetesObject) => `${o.metadata?.namespace}/${o.metadata?.name}`;
  return {
    on: (e: InformerEvent, h: Handler<KubernetesObject>) => handlers[e].push(h),
    get: (name: string, namespace?: string) => cache.get(`${namespace}/${name}`),
    emit: (e: InformerEvent, o: KubernetesObject) => {
      if (e === 'delete') cache.delete(key(o));
      else cache.set(key(o), o);
      handlers[e].forEach((h) => h(o));
    },
  };
}
const pod = (name: string, app?: string): KubernetesObject => ({
  metadata: { name, namespace: 'ns', ...(app ? { labels: { app } } : {}) },
});

describe('cache index', () => {
  it('groups objects by key and follows updates and deletes', () => {
    const inf = fakeInformer();
    const idx = new CacheIndex(inf, (o) => o.metadata?.labels?.app);
    inf.emit('add', pod('a', 'x'));
    inf.emit('add', pod('b', 'x'));
    inf.emit('add', pod('c'));
    assert.deepEqual(
      idx
        .get('x')
        .map((p) => p.metadata?.name)
        .sort(),
      ['a', 'b'],
    );
    inf.emit('update', pod('b', 'y'));
    assert.deepEqual(
      idx.get('x').map((p) => p.metadata?.name),
      ['a'],
    );
    assert.deepEqual(
      idx.get('y').map((p) => p.metadata?.name),
      ['b'],
    );
    inf.emit('delete', pod('a', 'x'));
    assert.deepEqual(idx.get('x'), []);
    inf.emit('update', pod('b'));
    assert.deepEqual(idx.get('y'), []);
  });
});
