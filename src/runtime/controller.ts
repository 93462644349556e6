// A controller: informer events become keys in a work queue; workers reconcile one key at a time,
// reading the current object from the cache (level-triggered). Errors are retried with backoff up to a
// cap, after which the reconciler is told to mark the object Stalled.
import type { KubernetesObject } from '@kubernetes/client-node';
import type { Informer } from './informer.ts';
import { errorMessage } from './errors.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';
import { controllerOf } from './owner.ts';
import type { WorkQueue } from './workqueue.ts';

export type ReconcileResult = { requeueAfterMs?: number } | undefined | void;

/** An error that retrying cannot fix: the object goes Stalled at once with this reason. */
export class StalledError extends Error {
  override name = 'StalledError';
  readonly reason: string;
  constructor(reason: string, message: string) {
    super(message);
    this.reason = reason;
  }
}

export interface Reconciler {
  reconcile(key: string): Promise<ReconcileResult>;
  /**
   * Told about every failed reconcile: `final` is true when it will not be retried (a StalledError or
   * the retry cap), so the reconciler records Stalled; otherwise it may record a retrying condition.
   */
  onError?(key: string, err: unknown, final: boolean, reason: string): Promise<void>;
}

export interface ControllerOptions {
  name: string;
  primary: Pick<Informer<KubernetesObject>, 'on' | 'keys'>;
  queue: WorkQueue<string>;
  reconciler: Reconciler;
  workers: number;
  maxRetries: number;
  resyncPeriodMs: number;
  /** Delay of requeues caused by children and other secondary objects (enqueueSecondary); default 0. */
  childEventDelayMs?: number;
  log: Logger;
  metrics: Metrics;
}

export function keyOf(obj: KubernetesObject): string {
  const { namespace, name } = obj.metadata ?? {};
  return namespace ? `${namespace}/${name}` : (name ?? '');
}

export function splitKey(key: string): { namespace?: string; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

export class Controller {
  readonly name: string;
  private readonly opts: ControllerOptions;
  private workers: Promise<void>[] = [];
  private resync: NodeJS.Timeout | undefined;
  private running = false;

  constructor(opts: ControllerOptions) {
    this.opts = opts;
    this.name = opts.name;
    const enqueue = (obj: KubernetesObject) => this.enqueue(obj);
    opts.primary.on('add', enqueue);
    opts.primary.on('delete', enqueue);
    opts.primary.on('update', (obj, old) => {
      // Our own status writes bump resourceVersion but not generation: nothing to do for them.
      if (old && !specOrMetaChanged(old, obj)) return;
      enqueue(obj);
    });
  }

  /** Every primary object, by cache key (namespace/name): the same keys enqueue() makes. */
  private enqueueAll(): void {
    for (const key of this.opts.primary.keys()) this.opts.queue.add(key);
  }

  enqueue(obj: KubernetesObject): void {
    this.opts.queue.add(keyOf(obj));
  }

  /**
   * Requeues `key` for a change of something it depends on (a child, a pod), after childEventDelayMs: the
   * several updates a rollout makes to a Deployment and its pods within that window cost one reconcile,
   * not one each. A key already queued is left alone.
   */
  enqueueSecondary(key: string): void {
    this.opts.queue.addCoalesced(key, this.opts.childEventDelayMs ?? 0);
  }

  /** Children of `ownerKind` (found through their controller reference) requeue their owner. */
  watchOwned(informer: Pick<Informer<KubernetesObject>, 'on'>, ownerKind: string): void {
    const handle = (obj: KubernetesObject) => {
      const ref = controllerOf(obj);
      if (!ref || ref.kind !== ownerKind) return;
      const ns = obj.metadata?.namespace;
      this.enqueueSecondary(ns ? `${ns}/${ref.name}` : ref.name);
    };
    informer.on('add', handle);
    informer.on('update', handle);
    informer.on('delete', handle);
  }

  /** Requeues every primary object, as the periodic resync does. */
  resyncNow(): void {
    if (!this.running) return;
    this.enqueueAll();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.enqueueAll();
    for (let i = 0; i < this.opts.workers; i++) this.workers.push(this.work());
    this.resync = setInterval(() => this.enqueueAll(), this.opts.resyncPeriodMs);
    this.resync.unref();
  }

  /** Stops taking work and waits for in-flight reconciles, at most timeoutMs. Returns false on timeout. */
  async stop(timeoutMs: number): Promise<boolean> {
    clearInterval(this.resync);
    if (!this.running) {
      this.opts.queue.shutDown();
      return true;
    }
    this.running = false;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((r) => (timer = setTimeout(() => r(false), timeoutMs)));
    const drained = this.opts.queue
      .shutDownWithDrain()
      .then(() => Promise.all(this.workers).then(() => true as const));
    const ok = await Promise.race([drained, timedOut]);
    clearTimeout(timer);
    return ok;
  }

  private async work(): Promise<void> {
    const { queue, reconciler, metrics, log, maxRetries } = this.opts;
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      const end = metrics.reconcileTime.startTimer({ controller: this.name });
      try {
        const result = await reconciler.reconcile(key);
        queue.forget(key);
        if (result?.requeueAfterMs !== undefined) {
          queue.addAfter(key, result.requeueAfterMs);
          metrics.reconcileTotal.inc({ controller: this.name, result: 'requeue_after' });
        } else {
          metrics.reconcileTotal.inc({ controller: this.name, result: 'success' });
        }
      } catch (err) {
        metrics.reconcileTotal.inc({ controller: this.name, result: 'error' });
        metrics.reconcileErrors.inc({ controller: this.name });
        const stalled = err instanceof StalledError;
        const final = stalled || queue.numRequeues(key) + 1 >= maxRetries;
        const reason = stalled ? err.reason : final ? 'RetryLimitExceeded' : 'ReconcileError';
        log.warn('reconcile failed', { controller: this.name, key, error: errorMessage(err), final });
        if (final) queue.forget(key);
        else queue.addRateLimited(key);
        await reconciler.onError?.(key, err, final, reason).catch((e: unknown) => {
          log.warn('could not record the failure in status', { key, error: errorMessage(e) });
        });
      } finally {
        end();
        queue.done(key);
      }
    }
  }
}

function specOrMetaChanged(old: KubernetesObject, obj: KubernetesObject): boolean {
  const a = old.metadata ?? {};
  const b = obj.metadata ?? {};
  return (
    a.generation !== b.generation ||
    JSON.stringify(a.deletionTimestamp) !== JSON.stringify(b.deletionTimestamp) ||
    JSON.stringify(a.labels) !== JSON.stringify(b.labels) ||
    JSON.stringify(a.annotations) !== JSON.stringify(b.annotations) ||
    JSON.stringify(a.finalizers) !== JSON.stringify(b.finalizers)
  );
}
