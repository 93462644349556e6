// Memoized renderings of the MarathonApps for the list endpoints. The apps cache keeps compact JSON text,
// so reading an app parses it; rendering it (read, normalize, canonical JSON) costs far more. Both happen
// once per app resourceVersion here: the resourceVersions are tracked from the informer's events, so a list
// of 10,000 apps copies cached bytes without parsing or serializing anything. The count fields, which
// follow the app's pods, are cached per app as well and recomputed when a pod of the app changes.
import type { KubernetesObject, V1Pod } from '@kubernetes/client-node';
import type { AppObject } from '../../marathon/deployments.ts';
import { APP_SELECTOR_LABEL, childBaseName } from '../../marathon/names.ts';
import type { InfoInput } from './app-info.ts';
import { infoFields, infoInput, renderApp, withFields } from './app-info.ts';

/** Default bound: room for the 10,000-app scale target and its churn. */
export const APP_VIEW_ENTRIES = 20_000;

const LIST_EMBED = new Set(['counts', 'deployments'] as const);

export interface AppView {
  /** Cache key: namespace/name. */
  readonly key: string;
  readonly resourceVersion: string;
  readonly namespace: string;
  readonly name: string;
  readonly id: string;
  /** The Marathon version the app was rendered at. */
  readonly version: string;
  /** Key of the app's pods in the pods-by-app index (namespace/child base name). */
  readonly podKey: string;
  readonly cmd?: string;
  readonly labels: Record<string, string>;
  /** The app's JSON (appJson) without its closing brace, for appending AppInfo fields. */
  readonly head: string;
  readonly info: InfoInput;
}

interface Entry {
  view: AppView;
  /** The default list entry (counts and deployments) as UTF-8, and the pod generation of its counts. */
  listed?: { podGeneration: number; bytes: Buffer };
}

type Source<T extends KubernetesObject> = {
  on(event: 'add' | 'update' | 'delete', h: (o: T) => void): void;
  get(name: string, namespace?: string): T | undefined;
};

export class AppViews {
  private readonly apps: Source<KubernetesObject>;
  private readonly podsOf: (podKey: string) => V1Pod[];
  private readonly max: number;
  /**
   * The renderings, bounded; the oldest rendered goes first. Not an LRU: a list reads every entry in turn,
   * and reads stay plain lookups.
   */
  private readonly entries = new Map<string, Entry>();
  private readonly byView = new WeakMap<AppView, Entry>();
  /** Cache key → resourceVersion, from the apps informer's events. */
  private readonly versions = new Map<string, string>();
  /** Pod index key → a counter bumped by every event about one of its pods. */
  private readonly podGenerations = new Map<string, number>();
  private podEvents = 0;
  private changes = 0;
  /** Renderings done (for tests and metrics). */
  renders = 0;

  /** Register before the informers start, so their first lists are tracked too. */
  constructor(opts: {
    apps: Source<KubernetesObject>;
    pods: Pick<Source<V1Pod>, 'on'>;
    podsOf: (podKey: string) => V1Pod[];
    max?: number;
  }) {
    this.apps = opts.apps;
    this.podsOf = opts.podsOf;
    this.max = Math.max(1, opts.max ?? APP_VIEW_ENTRIES);
    const seen = (o: KubernetesObject) => {
      this.changes++;
      this.versions.set(keyOf(o), o.metadata?.resourceVersion ?? '');
    };
    opts.apps.on('add', seen);
    opts.apps.on('update', seen);
    opts.apps.on('delete', (o) => {
      this.changes++;
      const key = keyOf(o);
      this.versions.delete(key);
      this.entries.delete(key);
      this.podGenerations.delete(`${o.metadata?.namespace ?? ''}/${childBaseName(o.metadata?.name ?? '')}`);
    });
    const podChanged = (p: V1Pod) => {
      const app = p.metadata?.labels?.[APP_SELECTOR_LABEL];
      if (!app) return;
      this.changes++;
      this.podGenerations.set(`${p.metadata?.namespace ?? ''}/${app}`, ++this.podEvents);
    };
    opts.pods.on('add', podChanged);
    opts.pods.on('update', podChanged);
    opts.pods.on('delete', podChanged);
  }

  /**
   * Moves on with every event about an app or one of its pods: a response built only from the renderings
   * and counts stays valid while it does not move.
   */
  get generation(): number {
    return this.changes;
  }

  /** The rendered app with this cache key, current as of the informer's last event; undefined if gone. */
  view(key: string): AppView | undefined {
    return this.entry(key)?.view;
  }

  /** The app's pods (from the index). */
  pods(view: AppView): V1Pod[] {
    return this.podsOf(view.podKey);
  }

  /** The app's GET /v2/apps entry with the default embeds (counts, deployments), as UTF-8 JSON. */
  listBytes(view: AppView): Buffer {
    const entry = this.byView.get(view) ?? { view };
    const generation = this.podGenerations.get(view.podKey) ?? 0;
    if (entry.listed?.podGeneration !== generation) {
      const fields = infoFields(view.info, this.pods(view), LIST_EMBED);
      entry.listed = { podGeneration: generation, bytes: Buffer.from(withFields(view.head, fields)) };
    }
    return entry.listed.bytes;
  }

  private entry(key: string): Entry | undefined {
    const known = this.versions.get(key);
    const cached = this.entries.get(key);
    if (cached && known !== undefined && cached.view.resourceVersion === known) return cached;
    // Unknown to the event stream (or changed): read the object itself.
    const slash = key.indexOf('/');
    const obj: AppObject | undefined = this.apps.get(key.slice(slash + 1), key.slice(0, slash) || undefined);
    if (!obj) return undefined;
    // Only events record versions: without them every call checks the object, and is still correct.
    if (cached && cached.view.resourceVersion === (obj.metadata?.resourceVersion ?? '')) return cached;
    const entry: Entry = { view: render(key, obj) };
    this.renders++;
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.byView.set(entry.view, entry);
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
    return entry;
  }
}

function keyOf(o: KubernetesObject): string {
  return `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
}

function render(key: string, obj: AppObject): AppView {
  const rendered = renderApp(obj);
  const namespace = obj.metadata?.namespace ?? '';
  const name = obj.metadata?.name ?? '';
  return {
    key,
    resourceVersion: obj.metadata?.resourceVersion ?? '',
    namespace,
    name,
    id: rendered.id,
    version: rendered.version.version,
    podKey: `${namespace}/${childBaseName(name)}`,
    ...(rendered.app.cmd !== undefined ? { cmd: rendered.app.cmd } : {}),
    labels: rendered.app.labels,
    head: JSON.stringify(rendered.json).slice(0, -1),
    info: infoInput(obj, rendered),
  };
}
