// Time source and timers behind an interface, so queues, rate limiters and leader election can be unit
// tested deterministically with FakeClock instead of real sleeps.

/** Cancels a scheduled callback; a no-op once the callback has run. */
export type Cancel = () => void;

export interface Clock {
  /** Monotonic milliseconds. Only differences are meaningful; use it for every duration. */
  now(): number;
  /** Wall-clock epoch milliseconds, for timestamps written to the API (Lease renewTime). */
  wallNow(): number;
  setTimeout(fn: () => void, ms: number): Cancel;
}

export const realClock: Clock = {
  now: () => performance.now(),
  wallNow: () => Date.now(),
  setTimeout(fn, ms) {
    const t = setTimeout(fn, Math.max(0, ms));
    return () => clearTimeout(t);
  },
};

/** Resolves after `ms`, or as soon as `signal` aborts. Never rejects: callers check `signal.aborted`. */
export function delay(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const finish = () => {
      cancel();
      signal?.removeEventListener('abort', finish);
      resolve();
    };
    const cancel = clock.setTimeout(finish, ms);
    signal?.addEventListener('abort', finish, { once: true });
  });
}

interface FakeTimer {
  at: number;
  seq: number;
  fn: () => void;
}

/**
 * A manually advanced clock. `tick(ms)` fires due timers in time order and lets promise continuations
 * run after each one, so async code driven by timers (sleep loops, awaited fakes) progresses as it
 * would in real time.
 */
export class FakeClock implements Clock {
  private current: number;
  private readonly wallOrigin: number;
  private timers: FakeTimer[] = [];
  private seq = 0;

  constructor(opts: { start?: number; wallStart?: number } = {}) {
    this.current = opts.start ?? 0;
    this.wallOrigin = (opts.wallStart ?? Date.UTC(2030, 0, 1)) - this.current;
  }

  now(): number {
    return this.current;
  }

  wallNow(): number {
    return this.wallOrigin + this.current;
  }

  setTimeout(fn: () => void, ms: number): Cancel {
    const timer: FakeTimer = { at: this.current + Math.max(0, ms), seq: this.seq++, fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  /** Number of timers not yet fired or cancelled. */
  pending(): number {
    return this.timers.length;
  }

  /** When the next timer is due, if any. */
  nextAt(): number | undefined {
    return this.earliest()?.at;
  }

  /** Advances time synchronously, firing due timers; promise continuations do not run in between. */
  advance(ms: number): void {
    const target = this.current + ms;
    for (let t = this.earliestDue(target); t; t = this.earliestDue(target)) this.fire(t);
    this.current = target;
  }

  /** Advances time by `ms`, firing due timers in order and draining microtasks after each. */
  async tick(ms: number): Promise<void> {
    const target = this.current + ms;
    await flushMicrotasks();
    for (let t = this.earliestDue(target); t; t = this.earliestDue(target)) {
      this.fire(t);
      await flushMicrotasks();
    }
    this.current = target;
    await flushMicrotasks();
  }

  /** Lets pending promise continuations run without moving time. */
  flush(): Promise<void> {
    return flushMicrotasks();
  }

  private fire(t: FakeTimer): void {
    this.timers = this.timers.filter((x) => x !== t);
    this.current = Math.max(this.current, t.at);
    t.fn();
  }

  private earliest(): FakeTimer | undefined {
    let best: FakeTimer | undefined;
    for (const t of this.timers)
      if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    return best;
  }

  private earliestDue(target: number): FakeTimer | undefined {
    const t = this.earliest();
    return t && t.at <= target ? t : undefined;
  }
}

// A macrotask boundary: every queued microtask (and those they queue) runs before it.
function flushMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
