// Capped exponential backoff with optional jitter. The pure form maps an attempt number to a delay (the
// work queue's per-key failures); the stateful Backoff counts attempts itself (informer restarts).

export interface BackoffOptions {
  /** Delay for attempt 0. */
  baseMs: number;
  /** Upper bound on any delay, jitter included. */
  maxMs: number;
  /** Growth per attempt; default 2. */
  factor?: number;
  /**
   * Fraction in [0, 1]: the delay is drawn uniformly from [d × (1 − jitter), d]. 0 (default) is
   * deterministic; 1 is "full jitter". Jitter only shortens, so maxMs stays a hard cap while restarts of
   * many replicas still spread out.
   */
  jitter?: number;
  /** Random source in [0, 1); default Math.random. */
  random?: () => number;
}

/** `(attempt) => delayMs` with delay = min(maxMs, baseMs × factor^attempt), then jitter. */
export type BackoffFn = (attempt: number) => number;

export function exponentialBackoff(opts: BackoffOptions): BackoffFn {
  const { baseMs, maxMs } = opts;
  const factor = opts.factor ?? 2;
  const jitter = opts.jitter ?? 0;
  const random = opts.random ?? Math.random;
  if (!(baseMs >= 0) || !(maxMs >= baseMs)) throw new RangeError('backoff: need 0 <= baseMs <= maxMs');
  if (!(factor >= 1)) throw new RangeError('backoff: factor must be >= 1');
  if (!(jitter >= 0 && jitter <= 1)) throw new RangeError('backoff: jitter must be within [0, 1]');

  return (attempt) => {
    const n = Math.max(0, Math.floor(attempt));
    // factor ** n overflows to Infinity for large n; min() then yields the cap (baseMs 0 stays 0).
    const d = baseMs === 0 ? 0 : Math.min(maxMs, baseMs * factor ** n);
    return jitter === 0 ? d : d * (1 - jitter * random());
  };
}

/** Stateful wrapper: `next()` returns the delay for the current attempt and advances; `reset()` starts over. */
export class Backoff {
  private readonly fn: BackoffFn;
  private attempt = 0;

  constructor(opts: BackoffOptions) {
    this.fn = exponentialBackoff(opts);
  }

  /** Attempts made since the last reset. */
  get attempts(): number {
    return this.attempt;
  }

  next(): number {
    return this.fn(this.attempt++);
  }

  reset(): void {
    this.attempt = 0;
  }
}
