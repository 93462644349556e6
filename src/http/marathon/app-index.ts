// Marathon id → MarathonApp, kept current from the informer's events, so `/v2/apps/prod/web` and group
// listings (`/v2/groups/prod`, `/v2/apps/prod/*`) find their apps without scanning the cache. Two
// MarathonApps claiming the same id (in different namespaces) resolve to the older one; the others are
// reported by `duplicates()`.
import type { KubernetesObject } from '@kubernetes/client-node';
import { appIdFor } from '../../marathon/names.ts';

interface Entry {
  key: string;
  created: string;
}

export class AppIndex {
  /** id → claimants, oldest first. */
  private readonly byId = new Map<string, Entry[]>();
  /** cache key → id. */
  private readonly idOf = new Map<string, string>();

  /** Register before the informer starts, so its first list is indexed too. */
  constructor(informer: { on(event: 'add' | 'update' | 'delete', h: (o: KubernetesObject) => void): void }) {
    informer.on('add', (o) => this.put(o));
    informer.on('update', (o) => this.put(o));
    informer.on('delete', (o) => this.remove(keyOf(o)));
  }

  /** The cache key (`namespace/name`) of the app with this absolute id. */
  get(id: string): string | undefined {
    return this.byId.get(id)?.[0]?.key;
  }

  /** Ids of every app, sorted. */
  ids(): string[] {
    return [...this.byId.keys()].sort();
  }

  /** Ids of the apps at or below group `groupId` (`/` is everything). */
  under(groupId: string): string[] {
    const g = groupId.replace(/\/+$/, '');
    if (g === '') return this.ids();
    return this.ids().filter((id) => id === g || id.startsWith(`${g}/`));
  }

  /** Ids claimed by more than one MarathonApp, with the keys of the ones the API does not serve. */
  duplicates(): { id: string; served: string; shadowed: string[] }[] {
    const out = [];
    for (const [id, entries] of this.byId)
      if (entries.length > 1)
        out.push({ id, served: entries[0]!.key, shadowed: entries.slice(1).map((e) => e.key) });
    return out;
  }

  private put(o: KubernetesObject & { spec?: unknown }): void {
    const key = keyOf(o);
    const id = appIdFor(o.spec, o.metadata?.namespace ?? '', o.metadata?.name ?? '');
    if (this.idOf.get(key) === id) return;
    this.remove(key);
    const entries = this.byId.get(id) ?? [];
    entries.push({ key, created: o.metadata?.creationTimestamp ? String(o.metadata.creationTimestamp) : '' });
    entries.sort((a, b) =>
      a.created === b.created ? a.key.localeCompare(b.key) : a.created < b.created ? -1 : 1,
    );
    this.byId.set(id, entries);
    this.idOf.set(key, id);
  }

  private remove(key: string): void {
    const id = this.idOf.get(key);
    if (id === undefined) return;
    this.idOf.delete(key);
    const rest = (this.byId.get(id) ?? []).filter((e) => e.key !== key);
    if (rest.length) this.byId.set(id, rest);
    else this.byId.delete(id);
  }
}

function keyOf(o: KubernetesObject): string {
  return `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
}
