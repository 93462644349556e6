// Injected failures. Throttling and server errors replace the answer to an ARM call before the emulator
// looks at it, so a write that got one changed nothing. By default they and the added latency spare the
// operation-status polls (…/operations/{id}, …/operationresults/{id}): set `includePolls` to hit those too.
// Operation failures are decided when a write is accepted, and show when the operation completes.
import { ArmError } from './errors.ts';

export interface Faults {
  /** Share of ARM calls answered 429 with Retry-After (0..1). */
  throttleRate?: number;
  /** Share of ARM calls answered 500 or 503 with an ARM error body (0..1). */
  serverErrorRate?: number;
  /** Share of accepted operations that end Failed with InternalOperationError (0..1). */
  failOperationRate?: number;
  /** Delay before every affected answer. */
  latencyMs?: number;
  /** Retry-After on 429 and 503 answers; default 1. */
  retryAfterSeconds?: number;
  /** Seeds the generator behind the rates, for repeatable runs; random when absent. */
  seed?: number;
  /** Throttle the next N ARM calls, then fall back to throttleRate. */
  throttleNext?: number;
  /** Answer the next N ARM calls with a server error, then fall back to serverErrorRate. */
  serverErrorNext?: number;
  /** Fail the next N accepted operations, then fall back to failOperationRate. */
  failNextOperations?: number;
  /** Apply throttling, server errors and latency to operation-status polls as well. */
  includePolls?: boolean;
}

export type CallKind = 'read' | 'write' | 'delete';

/** A small seeded PRNG (mulberry32): uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultInjector {
  private faults: Faults = {};
  private random: () => number = Math.random;
  private throttleLeft = 0;
  private serverErrorLeft = 0;
  private failLeft = 0;

  constructor(faults: Faults = {}) {
    this.set(faults);
  }

  /** Replaces every fault setting; counters restart from the new values. */
  set(faults: Faults): void {
    for (const k of ['throttleRate', 'serverErrorRate', 'failOperationRate'] as const) {
      const rate = faults[k];
      if (rate !== undefined && !(rate >= 0 && rate <= 1))
        throw new RangeError(`faults.${k} must be in [0, 1]`);
    }
    this.faults = { ...faults };
    this.random = seededRandom(faults.seed ?? Math.floor(Math.random() * 2 ** 32));
    this.throttleLeft = faults.throttleNext ?? 0;
    this.serverErrorLeft = faults.serverErrorNext ?? 0;
    this.failLeft = faults.failNextOperations ?? 0;
  }

  latencyFor(isPoll: boolean): number {
    return isPoll && !this.faults.includePolls ? 0 : (this.faults.latencyMs ?? 0);
  }

  /** The error to answer a call with instead of handling it, if one is due. */
  requestFault(call: { isPoll: boolean; kind: CallKind; subscriptionId: string }): ArmError | undefined {
    if (call.isPoll && !this.faults.includePolls) return undefined;
    const retryAfter = String(this.faults.retryAfterSeconds ?? 1);
    if (this.take('throttle')) {
      return new ArmError(
        429,
        'SubscriptionRequestsThrottled',
        `Number of '${call.kind}' requests for subscription '${call.subscriptionId}' actor 'emulator' exceeded. ` +
          `Please try again after '${retryAfter}' seconds after additional tasks have been completed.`,
        undefined,
        { 'retry-after': retryAfter },
      );
    }
    if (this.take('serverError')) {
      return this.random() < 0.5
        ? new ArmError(
            500,
            'InternalServerError',
            'The server encountered an internal error. Please retry the request.',
          )
        : new ArmError(
            503,
            'ServiceUnavailable',
            'The service is temporarily unavailable. Please retry the request.',
            undefined,
            { 'retry-after': retryAfter },
          );
    }
    return undefined;
  }

  /** Whether an operation being accepted now will end Failed. */
  operationFails(): boolean {
    return this.take('fail');
  }

  private take(which: 'throttle' | 'serverError' | 'fail'): boolean {
    const left = { throttle: 'throttleLeft', serverError: 'serverErrorLeft', fail: 'failLeft' } as const;
    const rate = {
      throttle: 'throttleRate',
      serverError: 'serverErrorRate',
      fail: 'failOperationRate',
    } as const;
    if (this[left[which]] > 0) {
      this[left[which]]--;
      return true;
    }
    const r = this.faults[rate[which]] ?? 0;
    return r > 0 && this.random() < r;
  }
}
