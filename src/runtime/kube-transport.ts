// The one HTTP choke point for API calls made through client-node's generated clients: a shared
// client-side rate limit (client-node has none), retries of 429 after Retry-After, and request metrics.
import type {
  HttpLibrary,
  PromiseHttpLibrary,
  RequestContext,
  ResponseContext,
} from '@kubernetes/client-node';

export interface RequestLimiter {
  take(): Promise<void>;
}

export interface TransportObserver {
  request(method: string, code: number): void;
  throttled(): void;
}

export interface TransportOptions {
  limiter: RequestLimiter;
  observer?: TransportObserver;
  /** How many times one request is retried after 429 before the 429 is returned to the caller. */
  max429Retries?: number;
  /** Wait used when a 429 carries no usable Retry-After. */
  fallbackRetryMs?: number;
  /** Upper bound on any single wait, so a hostile Retry-After cannot park a worker for long. */
  maxRetryWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export class LimitedTransport implements PromiseHttpLibrary {
  private readonly inner: HttpLibrary;
  private readonly opts: Required<Omit<TransportOptions, 'observer'>> & Pick<TransportOptions, 'observer'>;

  constructor(inner: HttpLibrary, opts: TransportOptions) {
    this.inner = inner;
    this.opts = {
      max429Retries: 5,
      fallbackRetryMs: 1000,
      maxRetryWaitMs: 30_000,
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      ...opts,
    };
  }

  async send(request: RequestContext): Promise<ResponseContext> {
    const method = request.getHttpMethod().toString();
    for (let attempt = 0; ; attempt++) {
      await this.opts.limiter.take();
      const response = await this.inner.send(request).toPromise();
      this.opts.observer?.request(method, response.httpStatusCode);
      if (response.httpStatusCode !== 429 || attempt >= this.opts.max429Retries) return response;
      this.opts.observer?.throttled();
      // Drain the body so the connection goes back to the pool before we wait.
      await response.body.text().catch(() => undefined);
      const wait = retryAfterMs(response.headers['retry-after']) ?? this.opts.fallbackRetryMs * 2 ** attempt;
      await this.opts.sleep(Math.min(wait, this.opts.maxRetryWaitMs));
    }
  }
}

/** Retry-After is either delay-seconds or an HTTP date. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
