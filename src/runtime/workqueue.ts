// A controller work queue with client-go's semantics (util/workqueue):
// - a key waiting in the queue is stored once, however often it is added (the dirty set);
// - a key being processed is never handed to a second worker; adding it meanwhile re-queues it once
//   done(key) is called (the processing set);
// - addAfter delays an add (the earliest pending time wins for a key), addRateLimited delays it by the
//   rate limiter: per-key exponential backoff combined, via max, with a global token bucket.
// Unlike client-go, keys still queued at shutdown are dropped rather than handed out: reconciles are
// level-triggered, and whoever runs next (this process after a restart, or the new leader) relists.
import { exponentialBackoff } from './backoff.ts';
import type { BackoffFn } from './backoff.ts';
import { realClock } from './clock.ts';
import type { Cancel, Clock } from './clock.ts';
import { TokenBucket } from './token-bucket.ts';
import { Fifo, MinHeap } from './containers.ts';

// ---------------------------------------------------------------------------------------------------
// Rate limiters

export interface RateLimiter<K extends string = string> {
  /** Records a failure of `key` and returns how long to wait before retrying it, in ms. */
  when(key: K): number;
  /** Clears the failure history of `key` (call after a successful reconcile). */
  forget(key: K): void;
  /** Failures recorded for `key` since the last forget. */
  numRequeues(key: K): number;
}

/** Per-key exponential backoff: baseMs × 2^failures, capped at maxMs (client-go: 5 ms, 1000 s). */
export class ItemExponentialRateLimiter<K extends string = string> implements RateLimiter<K> {
  private readonly failures = new Map<K, number>();
  private readonly delay: BackoffFn;

  constructor(opts: { baseMs?: number; maxMs?: number } = {}) {
    this.delay = exponentialBackoff({ baseMs: opts.baseMs ?? 5, maxMs: opts.maxMs ?? 1_000_000 });
  }

  when(key: K): number {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    return this.delay(n);
  }

  forget(key: K): void {
    this.failures.delete(key);
  }

  numRequeues(key: K): number {
    return this.failures.get(key) ?? 0;
  }
}

/** One token bucket shared by all keys: bounds the overall retry rate (controller-runtime: 10 qps, burst 100). */
export class BucketRateLimiter<K extends string = string> implements RateLimiter<K> {
  private readonly bucket: TokenBucket;

  constructor(bucket: TokenBucket) {
    this.bucket = bucket;
  }

  when(_key: K): number {
    return this.bucket.reserve();
  }

  forget(_key: K): void {}

  numRequeues(_key: K): number {
    return 0;
  }
}

/** The longest delay of several limiters; every limiter records every failure. */
export class MaxOfRateLimiter<K extends string = string> implements RateLimiter<K> {
  private readonly limiters: RateLimiter<K>[];

  constructor(...limiters: RateLimiter<K>[]) {
    this.limiters = limiters;
  }

  when(key: K): number {
    let ms = 0;
    for (const l of this.limiters) ms = Math.max(ms, l.when(key));
    return ms;
  }

  forget(key: K): void {
    for (const l of this.limiters) l.forget(key);
  }

  numRequeues(key: K): number {
    let n = 0;
    for (const l of this.limiters) n = Math.max(n, l.numRequeues(key));
    return n;
  }
}

export interface RateLimitOptions {
  /** Per-key backoff start; default 5 ms. */
  baseMs?: number;
  /** Per-key backoff cap; default 1000 s. */
  maxMs?: number;
  /** Global retry rate; default 10 per second. */
  qps?: number;
  /** Global retry burst; default 100. */
  burst?: number;
}

/** controller-runtime's default: max(per-key exponential 5 ms..1000 s, global bucket 10 qps / burst 100). */
export function defaultControllerRateLimiter<K extends string = string>(
  opts: RateLimitOptions = {},
  clock: Clock = realClock,
): RateLimiter<K> {
  return new MaxOfRateLimiter<K>(
    new ItemExponentialRateLimiter<K>({ baseMs: opts.baseMs ?? 5, maxMs: opts.maxMs ?? 1_000_000 }),
    new BucketRateLimiter<K>(new TokenBucket({ qps: opts.qps ?? 10, burst: opts.burst ?? 100, clock })),
  );
}

// ---------------------------------------------------------------------------------------------------
// The queue

/** Optional hooks, called synchronously; connect them to Prometheus (names follow client-go's workqueue_*). */
export interface WorkQueueMetrics {
  /** A key entered the queue. Adds of a key that is already queued are deduplicated and not counted. */
  add?(): void;
  /** The queue depth (keys waiting, not in flight) after it changed. */
  depth?(depth: number): void;
  /** How long a key waited in the queue before a worker took it (workqueue_queue_duration_seconds). */
  queueDuration?(ms: number): void;
  /** How long a worker held a key, from get() to done() (workqueue_work_duration_seconds). */
  workDuration?(ms: number): void;
  /** addRateLimited() was called (workqueue_retries_total). */
  retry?(): void;
}

export interface WorkQueueOptions<K extends string = string> {
  clock?: Clock;
  /** Replaces the default rate limiter entirely. */
  rateLimiter?: RateLimiter<K>;
  /** Tunes the default rate limiter (ignored when rateLimiter is given). */
  rateLimit?: RateLimitOptions;
  metrics?: WorkQueueMetrics;
}

interface Delayed<K> {
  key: K;
  at: number;
}

export class WorkQueue<K extends string = string> {
  private readonly clock: Clock;
  private readonly limiter: RateLimiter<K>;
  private readonly metrics: WorkQueueMetrics;

  private readonly queue = new Fifo<K>();
  /** Keys that need processing: queued, or re-added while in flight. Value: when added (for metrics). */
  private readonly dirty = new Map<K, number>();
  /** Keys handed to a worker and not yet done. Value: when handed out. */
  private readonly processing = new Map<K, number>();
  private getters: ((key: K | undefined) => void)[] = [];

  // Delayed adds: the authoritative time per key, plus a min-heap by time that may hold stale entries
  // (an entry is live only while `waiting` maps its key to that very object).
  private readonly waiting = new Map<K, Delayed<K>>();
  private readonly heap = new MinHeap<Delayed<K>>((a, b) => a.at - b.at);
  private timer: Cancel | undefined;
  private timerAt = Infinity;

  private stopping = false;
  private drained: Promise<void> | undefined;
  private resolveDrained: (() => void) | undefined;

  constructor(opts: WorkQueueOptions<K> = {}) {
    this.clock = opts.clock ?? realClock;
    this.limiter = opts.rateLimiter ?? defaultControllerRateLimiter<K>(opts.rateLimit, this.clock);
    this.metrics = opts.metrics ?? {};
  }

  /** Marks `key` as needing processing. A no-op if it is already queued, or after shutdown. */
  add(key: K): void {
    if (this.stopping || this.dirty.has(key)) return;
    this.dirty.set(key, this.clock.now());
    this.metrics.add?.();
    // In flight: done() puts it back in the queue.
    if (this.processing.has(key)) return;
    this.queue.push(key);
    this.metrics.depth?.(this.queue.length);
    this.dispatch();
  }

  /** Adds `key` after `ms`. If it is already waiting, the earlier time wins. ms <= 0 adds at once. */
  addAfter(key: K, ms: number): void {
    if (this.stopping) return;
    if (!(ms > 0)) {
      this.add(key);
      return;
    }
    const at = this.clock.now() + ms;
    const existing = this.waiting.get(key);
    if (existing && existing.at <= at) return;
    const entry = { key, at };
    this.waiting.set(key, entry);
    this.heap.push(entry);
    if (at < this.timerAt) this.armTimer(at);
  }

  /**
   * Adds `key` after `ms`, unless it is already queued (then the coming pass sees the change anyway).
   * For changes of secondary objects: a burst of them within `ms` costs one pass.
   */
  addCoalesced(key: K, ms: number): void {
    if (this.dirty.has(key)) return;
    this.addAfter(key, ms);
  }

  /** Adds `key` after the rate limiter's delay for it: call when a reconcile failed. */
  addRateLimited(key: K): void {
    if (this.stopping) return;
    this.metrics.retry?.();
    this.addAfter(key, this.limiter.when(key));
  }

  /** Resets the failure count of `key`: call when a reconcile succeeded. */
  forget(key: K): void {
    this.limiter.forget(key);
  }

  numRequeues(key: K): number {
    return this.limiter.numRequeues(key);
  }

  /**
   * The next key to process, waiting if the queue is empty. Resolves undefined once the queue is shut
   * down: the worker should exit. Every key received must be passed to done() afterwards.
   */
  get(): Promise<K | undefined> {
    if (this.stopping) return Promise.resolve(undefined);
    if (this.queue.length > 0) return Promise.resolve(this.take());
    return new Promise((resolve) => this.getters.push(resolve));
  }

  /** Ends processing of `key`; if it was added meanwhile, it goes back in the queue. */
  done(key: K): void {
    const started = this.processing.get(key);
    if (started === undefined) return;
    this.processing.delete(key);
    this.metrics.workDuration?.(this.clock.now() - started);
    if (this.stopping) {
      if (this.processing.size === 0) this.resolveDrained?.();
      return;
    }
    if (this.dirty.has(key)) {
      this.queue.push(key);
      this.metrics.depth?.(this.queue.length);
      this.dispatch();
    }
  }

  /** Keys waiting to be handed out (in-flight and delayed keys excluded). */
  len(): number {
    return this.queue.length;
  }

  /** Keys scheduled by addAfter/addRateLimited that are not due yet. */
  delayedLen(): number {
    return this.waiting.size;
  }

  /** In-flight work, for gauges like workqueue_unfinished_work_seconds and longest_running_processor_seconds. */
  inFlight(): { count: number; unfinishedMs: number; longestMs: number } {
    const now = this.clock.now();
    let unfinishedMs = 0;
    let longestMs = 0;
    for (const started of this.processing.values()) {
      unfinishedMs += now - started;
      longestMs = Math.max(longestMs, now - started);
    }
    return { count: this.processing.size, unfinishedMs, longestMs };
  }

  shuttingDown(): boolean {
    return this.stopping;
  }

  /**
   * Stops the queue at once: adds are ignored, queued and delayed keys are dropped, and every pending
   * and future get() resolves undefined. In-flight keys may still be passed to done().
   */
  shutDown(): void {
    if (this.stopping) return;
    this.stopping = true;
    this.timer?.();
    this.timer = undefined;
    this.timerAt = Infinity;
    this.waiting.clear();
    this.heap.clear();
    this.queue.clear();
    this.dirty.clear();
    this.metrics.depth?.(0);
    const getters = this.getters;
    this.getters = [];
    for (const resolve of getters) resolve(undefined);
  }

  /** shutDown(), then resolves once every in-flight key has been passed to done(). */
  shutDownWithDrain(): Promise<void> {
    this.shutDown();
    if (!this.drained) {
      this.drained =
        this.processing.size === 0 ? Promise.resolve() : new Promise((r) => (this.resolveDrained = r));
    }
    return this.drained;
  }

  private take(): K {
    const key = this.queue.shift()!;
    const now = this.clock.now();
    const added = this.dirty.get(key);
    this.dirty.delete(key);
    this.processing.set(key, now);
    if (added !== undefined) this.metrics.queueDuration?.(now - added);
    this.metrics.depth?.(this.queue.length);
    return key;
  }

  // Hands queued keys to waiting workers, oldest worker first.
  private dispatch(): void {
    while (this.getters.length > 0 && this.queue.length > 0) this.getters.shift()!(this.take());
  }

  private armTimer(at: number): void {
    this.timer?.();
    this.timerAt = at;
    this.timer = this.clock.setTimeout(() => this.fireDelayed(), at - this.clock.now());
  }

  private fireDelayed(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = this.clock.now();
    for (let e = this.heap.peek(); e; e = this.heap.peek()) {
      if (this.waiting.get(e.key) !== e) {
        this.heap.pop(); // superseded by an earlier addAfter of the same key
        continue;
      }
      if (e.at > now) {
        this.armTimer(e.at);
        return;
      }
      this.heap.pop();
      this.waiting.delete(e.key);
      this.add(e.key);
    }
  }
}
