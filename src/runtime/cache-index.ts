// A secondary index over an informer's cache (client-go's Indexer): object keys grouped by a computed key,
// kept current from the informer's events, so a reconcile finds "the pods of this app" without scanning
// all pods. It holds keys, not objects, and reads the objects from the informer (which may keep them
// as compact JSON text).
import type { KubernetesObject } from '@kubernetes/client-node';
import type { Informer } from './informer.ts';

export class CacheIndex<T extends KubernetesObject> {
  private readonly groups = new Map<string, Set<string>>();
  private readonly placed = new Map<string, string>();
  private readonly informer: Pick<Informer<T>, 'on' | 'get'>;
  private readonly indexOf: (obj: T) => string | undefined;

  /** Register before the informer starts, so its first list is indexed too. */
  constructor(informer: Pick<Informer<T>, 'on' | 'get'>, indexOf: (obj: T) => string | undefined) {
    this.informer = informer;
    this.indexOf = indexOf;
    informer.on('add', (o) => this.put(o));
    informer.on('update', (o) => this.put(o));
    informer.on('delete', (o) => this.remove(objectKey(o)));
  }

  get(indexKey: string): T[] {
    const out: T[] = [];
    for (const key of this.groups.get(indexKey) ?? []) {
      const slash = key.indexOf('/');
      const obj = this.informer.get(key.slice(slash + 1), key.slice(0, slash) || undefined);
      if (obj) out.push(obj);
    }
    return out;
  }

  private put(obj: T): void {
    const key = objectKey(obj);
    const at = this.indexOf(obj);
    if (this.placed.get(key) !== at) this.remove(key);
    if (at === undefined) return;
    let group = this.groups.get(at);
    if (!group) this.groups.set(at, (group = new Set<string>()));
    group.add(key);
    this.placed.set(key, at);
  }

  private remove(key: string): void {
    const at = this.placed.get(key);
    if (at === undefined) return;
    const group = this.groups.get(at);
    group?.delete(key);
    if (group?.size === 0) this.groups.delete(at);
    this.placed.delete(key);
  }
}

function objectKey(o: KubernetesObject): string {
  return `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
}
