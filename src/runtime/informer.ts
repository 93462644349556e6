// A watch-backed cache of one resource. client-node's ListWatch stops for good on any error other than
// 410 Gone; this one relists on 410, re-watches at once after a clean close or an idle timeout, and
// restarts with capped exponential backoff after any other failure (network, 5xx, 401/403, the API
// server being down). Handlers receive cached objects: they must not mutate them.
import type { KubernetesListObject, KubernetesObject, Watch } from '@kubernetes/client-node';
import { errorMessage } from './errors.ts';
import type { Logger } from './logger.ts';

export type InformerEvent = 'add' | 'update' | 'delete';
export type Handler<T> = (obj: T, old?: T) => void;

export interface Delay {
  next(): number;
  reset(): void;
}

export interface InformerOptions<T extends KubernetesObject> {
  /** Name used in logs and metrics, e.g. "marathonapps.dcos-operator.dev". */
  resource: string;
  /** Collection path, e.g. /apis/dcos-operator.dev/v1alpha1/marathonapps. */
  path: string;
  /**
   * One page of the list: the first when `continueToken` is undefined, the next after a page whose
   * metadata.continue was set. Pages are cached one at a time, so a relist at 10,000 objects never holds
   * them all in their full form.
   */
  list: (continueToken?: string) => Promise<KubernetesListObject<T>>;
  watch: Pick<Watch, 'watch'>;
  labelSelector?: string;
  fieldSelector?: string;
  /** Applied to every object before it is cached (for example to drop managedFields and save memory). */
  transform?: (obj: T) => T;
  /**
   * Keep cached objects as JSON text and parse on read. A parsed object takes several times the memory
   * of its text; for kinds read once per reconcile (workloads, Services, the custom resources) that is
   * the better trade at thousands of objects. get() and list() then return a fresh copy each call.
   */
  compact?: boolean;
  backoff: Delay;
  log: Logger;
  onUp?: (up: boolean) => void;
  onRestart?: () => void;
}

interface WatchEnd {
  err: unknown;
  gone: boolean;
}

export class Informer<T extends KubernetesObject> {
  private readonly opts: InformerOptions<T>;
  private readonly cache = new Map<string, T | string>();
  private readonly handlers: Record<InformerEvent, Handler<T>[]> = { add: [], update: [], delete: [] };
  private resourceVersion = '';
  private synced = false;
  private up = false;
  private stopped = true;
  private abort: AbortController | undefined;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;

  constructor(opts: InformerOptions<T>) {
    this.opts = opts;
  }

  on(event: InformerEvent, handler: Handler<T>): void {
    this.handlers[event].push(handler);
  }

  get(name: string, namespace?: string): T | undefined {
    return this.load(this.cache.get(keyOf(namespace, name)));
  }

  list(namespace?: string): T[] {
    const all = [...this.cache.values()].map((v) => this.load(v)!);
    return namespace === undefined ? all : all.filter((o) => o.metadata?.namespace === namespace);
  }

  /** Keys (namespace/name, or name) of the cached objects, without reading the objects. */
  keys(): string[] {
    return [...this.cache.keys()];
  }

  private load(v: T | string | undefined): T | undefined {
    return typeof v === 'string' ? (JSON.parse(v) as T) : v;
  }

  /** True once the first list has been loaded into the cache. */
  hasSynced(): boolean {
    return this.synced;
  }

  /** True while the watch is connected (false during a backoff after a failure). */
  isUp(): boolean {
    return this.up;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort?.abort();
    this.wake?.();
    await this.loop;
    this.setUp(false);
  }

  /** Resolves once the cache holds a full list (or rejects when stopped first). */
  async waitForSync(signal?: AbortSignal): Promise<void> {
    while (!this.synced) {
      if (this.stopped || signal?.aborted)
        throw new Error(`informer ${this.opts.resource} stopped before sync`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        if (!this.resourceVersion) await this.relist();
        this.setUp(true);
        const end = await this.watchOnce();
        if (this.stopped) break;
        if (end.gone) {
          this.opts.log.debug('watch expired (410 Gone), relisting', { resource: this.opts.resource });
          this.resourceVersion = '';
          continue;
        }
        if (end.err && !isTimeout(end.err))
          throw end.err instanceof Error ? end.err : new Error(errorMessage(end.err));
        // A clean close or an idle timeout: re-watch from where we are.
      } catch (err) {
        if (this.stopped) break;
        this.setUp(false);
        this.opts.onRestart?.();
        const delay = this.opts.backoff.next();
        this.opts.log.warn('watch failed, restarting', {
          resource: this.opts.resource,
          error: errorMessage(err),
          retryInMs: delay,
        });
        if (isGone(err)) this.resourceVersion = '';
        await this.sleep(delay);
      }
    }
  }

  private async relist(): Promise<void> {
    const seen = new Set<string>();
    let list: KubernetesListObject<T> | undefined;
    do {
      // A continue token that expired mid-way answers 410: run() then starts the list over.
      list = await this.opts.list(list && continueOf(list));
      for (const obj of list.items) {
        const key = keyOf(obj.metadata?.namespace, obj.metadata?.name ?? '');
        seen.add(key);
        this.upsert(key, obj);
      }
    } while (continueOf(list));
    // Objects deleted while we were not watching.
    for (const [key, old] of this.cache) {
      if (!seen.has(key)) {
        this.cache.delete(key);
        this.emit('delete', this.load(old)!);
      }
    }
    this.resourceVersion = list.metadata?.resourceVersion ?? '';
    this.synced = true;
  }

  private watchOnce(): Promise<WatchEnd> {
    return new Promise<WatchEnd>((resolve) => {
      let gone = false;
      let failure: unknown;
      const query: Record<string, string | number | boolean | undefined> = {
        resourceVersion: this.resourceVersion,
        allowWatchBookmarks: true,
        // Let the server close the watch now and then, as client-go does.
        timeoutSeconds: 300 + Math.floor(Math.random() * 300),
        labelSelector: this.opts.labelSelector,
        fieldSelector: this.opts.fieldSelector,
      };
      const onEvent = (phase: string, obj: T & { code?: number }) => {
        if (phase === 'ERROR') {
          gone = obj.code === 410;
          if (!gone) failure = new Error(`watch error event: ${JSON.stringify(obj)}`);
          this.abort?.abort();
          return;
        }
        const rv = obj.metadata?.resourceVersion;
        if (phase === 'BOOKMARK') {
          if (rv) this.resourceVersion = rv;
          return;
        }
        this.opts.backoff.reset();
        const key = keyOf(obj.metadata?.namespace, obj.metadata?.name ?? '');
        if (phase === 'DELETED') {
          const old = this.load(this.cache.get(key));
          this.cache.delete(key);
          this.emit('delete', old ?? obj);
        } else {
          this.upsert(key, obj);
        }
        if (rv) this.resourceVersion = rv;
      };
      const onDone = (err: unknown) => {
        this.abort = undefined;
        resolve({ err: gone ? null : (failure ?? err), gone: gone || isGone(err) });
      };
      this.opts.watch.watch(this.opts.path, query, onEvent, onDone).then(
        (controller) => {
          this.abort = controller;
          if (this.stopped) controller.abort();
        },
        (err: unknown) => resolve({ err, gone: false }),
      );
    });
  }

  private upsert(key: string, raw: T): void {
    const obj = this.opts.transform ? this.opts.transform(raw) : raw;
    const old = this.load(this.cache.get(key));
    this.cache.set(key, this.opts.compact ? JSON.stringify(obj) : obj);
    if (!old) this.emit('add', obj);
    else if (old.metadata?.resourceVersion !== obj.metadata?.resourceVersion) this.emit('update', obj, old);
  }

  private emit(event: InformerEvent, obj: T, old?: T): void {
    for (const h of this.handlers[event]) {
      try {
        h(obj, old);
      } catch (err) {
        this.opts.log.error('informer handler threw', {
          resource: this.opts.resource,
          error: errorMessage(err),
        });
      }
    }
  }

  private setUp(up: boolean): void {
    if (this.up === up) return;
    this.up = up;
    this.opts.onUp?.(up);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.wake = done;
    });
  }
}

/** The token of the next page (plain JSON carries it as `continue`; client-node models as `_continue`). */
function continueOf(list: KubernetesListObject<KubernetesObject>): string | undefined {
  const m: { continue?: string; _continue?: string } | undefined = list.metadata;
  return m?.continue || m?._continue || undefined;
}

function keyOf(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

function isGone(err: unknown): boolean {
  const e = err as { statusCode?: number; code?: number } | null;
  return e?.statusCode === 410 || e?.code === 410;
}

function isTimeout(err: unknown): boolean {
  return (err as { name?: string } | null)?.name === 'TimeoutError';
}
