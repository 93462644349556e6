// Token bucket rate limiter: `burst` tokens, refilled at `qps` per second. Waiters are served strictly
// in arrival order by a single timer, so thousands of pending take() calls cost one timer and one array
// slot each, and a newcomer never overtakes a queued waiter.
import { realClock } from './clock.ts';
import type { Cancel, Clock } from './clock.ts';
import { Fifo } from './containers.ts';

export interface TokenBucketOptions {
  /** Refill rate in tokens per second; Infinity disables limiting. */
  qps: number;
  /** Bucket size: how many tokens may be taken at once after an idle period. Starts full. */
  burst: number;
  clock?: Clock;
}

interface Waiter {
  resolve: () => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  settled: boolean;
}

// Refill arithmetic accumulates floating-point error; a token this close to whole counts as whole.
const EPSILON = 1e-9;

export class TokenBucket {
  readonly qps: number;
  readonly burst: number;
  private readonly clock: Clock;
  private available: number;
  private last: number;
  // Aborted waiters stay in place (flagged settled) and are skipped when they reach the head.
  private waiters = new Fifo<Waiter>();
  private live = 0;
  private timer: Cancel | undefined;

  constructor(opts: TokenBucketOptions) {
    if (!(opts.qps > 0)) throw new RangeError('token bucket: qps must be > 0 (Infinity for no limit)');
    if (!(opts.burst >= 1)) throw new RangeError('token bucket: burst must be >= 1');
    this.qps = opts.qps;
    this.burst = opts.burst;
    this.clock = opts.clock ?? realClock;
    this.available = opts.burst;
    this.last = this.clock.now();
  }

  /** Tokens available right now (negative while reservations are in debt). */
  tokens(): number {
    this.refill();
    return this.available;
  }

  /** Callers currently waiting in take(). */
  get waiting(): number {
    return this.live;
  }

  /** Takes a token if one is available and nobody is queued ahead. Never waits. */
  tryTake(): boolean {
    if (this.qps === Infinity) return true;
    this.refill();
    if (this.live > 0 || this.available < 1 - EPSILON) return false;
    this.available -= 1;
    return true;
  }

  /**
   * Waits for a token, first come first served. Rejects with `signal.reason` if aborted while waiting
   * (no token is consumed then).
   */
  take(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (this.tryTake()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const w: Waiter = { resolve, reject, signal, onAbort: undefined, settled: false };
      if (signal) {
        w.onAbort = () => {
          if (w.settled) return;
          w.settled = true;
          this.live--;
          reject(abortReason(signal));
          if (this.live === 0) {
            this.refill();
            this.available = Math.min(this.burst, this.available);
            this.cancelTimer();
          }
        };
        signal.addEventListener('abort', w.onAbort, { once: true });
      }
      this.waiters.push(w);
      this.live++;
      this.schedule();
    });
  }

  /**
   * Takes a token now, going into debt if necessary, and returns how many milliseconds the caller
   * should wait before acting (0 if a token was available). The work queue's global limiter uses this
   * to turn the bucket into a delay, like client-go's BucketRateLimiter. Reservations are not queued
   * behind take() waiters; they push those waiters back instead.
   */
  reserve(): number {
    if (this.qps === Infinity) return 0;
    this.refill();
    this.available -= 1;
    return this.available >= -EPSILON ? 0 : Math.ceil((-this.available * 1000) / this.qps);
  }

  // While callers wait the bucket is drained continuously, so tokens accrued since the last refill are
  // all owed to them and are not capped at burst: otherwise a qps above the timer resolution (1 ms)
  // with a small burst would be throttled to one token per timer tick.
  private refill(): void {
    const now = this.clock.now();
    const elapsed = now - this.last;
    this.last = now;
    if (elapsed <= 0) return;
    this.available += (elapsed * this.qps) / 1000;
    if (this.live === 0) this.available = Math.min(this.burst, this.available);
  }

  // One timer, armed for when the head waiter's token will exist.
  private schedule(): void {
    if (this.timer || this.live === 0) return;
    this.refill();
    const missing = 1 - this.available;
    const ms = missing <= EPSILON ? 0 : Math.ceil((missing * 1000) / this.qps);
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.release();
    }, ms);
  }

  private release(): void {
    this.refill();
    while (this.live > 0 && this.available >= 1 - EPSILON) {
      const w = this.waiters.shift();
      if (!w) break; // unreachable while `live` is accurate; guards against a spin
      if (w.settled) continue; // aborted while queued
      w.settled = true;
      this.live--;
      this.available -= 1;
      if (w.onAbort) w.signal?.removeEventListener('abort', w.onAbort);
      w.resolve();
    }
    if (this.live === 0) {
      this.available = Math.min(this.burst, this.available);
      this.clear();
    } else this.schedule();
  }

  private cancelTimer(): void {
    this.timer?.();
    this.timer = undefined;
    this.clear();
  }

  // With no live waiters every remaining slot is an aborted one.
  private clear(): void {
    this.waiters.clear();
  }
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason ?? 'aborted'));
}
