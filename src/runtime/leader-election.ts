// Lease-based leader election (coordination.k8s.io/v1), following client-go's leaderelection package:
// - acquire: GET the Lease (create it if missing). If another identity holds it and the record has
//   not changed for leaseDuration *by our local clock* (not the remote renewTime: clocks of replicas
//   are not trusted to agree), wait; otherwise PUT ourselves as holder with the observed
//   resourceVersion. A 409 means another candidate won the race. One refinement over client-go: a
//   record first seen at a poll was written after our previous poll, so when that poll is recent its
//   time is when the record's lease started. That bounds a takeover at leaseDuration + one (jittered)
//   retryPeriod after the leader's last renewal instead of about two, and stays safe because a leader
//   steps down after renewDeadline, which must not exceed leaseDuration − the longest poll interval
//   (retryPeriod × (1.4 + jitterFactor), the jittered wait plus room for the request).
// - renew every retryPeriod. If no renew succeeded for renewDeadline, leadership is lost: the leader
//   steps down before any other candidate may consider the lease expired (renewDeadline < leaseDuration).
// - on cancel, optionally release: clear holderIdentity and set leaseDurationSeconds=1, so another
//   replica takes over at once instead of after leaseDuration.
// acquireTime/renewTime must serialize with 6 fractional digits (MicroTime); kube-apiserver rejects
// the 3 digits of a plain Date, so every time written here is a V1MicroTime.
import { V1MicroTime } from '@kubernetes/client-node';
import type { V1Lease, V1LeaseSpec } from '@kubernetes/client-node';
import { delay, realClock } from './clock.ts';
import type { Clock } from './clock.ts';
import { LeaseConflictError } from './lease-client.ts';
import type { LeaseClient } from './lease-client.ts';

export { KubeLeaseClient, LeaseConflictError } from './lease-client.ts';
export type { LeaseClient } from './lease-client.ts';

// ---------------------------------------------------------------------------------------------------
// The elector

export type StopReason =
  /** Renewal failed for renewDeadline (or a competing write took the Lease): exit the process. */
  | 'lost'
  /** run()'s signal was aborted and onStartedLeading's work finished. */
  | 'cancelled'
  /** onStartedLeading threw or its promise rejected. */
  | 'failed';

export type ElectionPhase = 'acquire' | 'renew' | 'release' | 'leading';

export interface LeaderElectionOptions {
  namespace: string;
  /** Lease name, e.g. "dcos-operator-leader". */
  name: string;
  /** Unique per process, e.g. `${podName}_${randomUUID()}`. */
  identity: string;
  /** How long a non-renewed lease keeps others out, from when they observed it. Default 15 s. */
  leaseDurationMs?: number;
  /** A leader steps down when renewals have failed for this long. Default 10 s. */
  renewDeadlineMs?: number;
  /** Pause between attempts (acquire and renew). Default 2 s. */
  retryPeriodMs?: number;
  /** Release the lease when run() is cancelled, so another replica takes over at once. Default true. */
  releaseOnCancel?: boolean;
  /**
   * Called once the lease is acquired. `signal` aborts when leadership ends (cancel, loss). If this
   * returns a promise, a cancelled run() keeps renewing until it settles and only then releases the
   * lease, so workers can drain without another replica starting in parallel.
   */
  onStartedLeading: (signal: AbortSignal) => void | Promise<void>;
  /** Called once when leadership ends, only if it was acquired. On 'lost', exit the process. */
  onStoppedLeading: (reason: StopReason) => void;
  /** Called when the observed holder changes to a non-empty identity (ours included). */
  onNewLeader?: (identity: string) => void;
  /** Failed API calls and callback errors, for logging. Conflicts during acquire are normal. */
  onError?: (err: unknown, phase: ElectionPhase) => void;
  clock?: Clock;
  /** Acquire retries wait retryPeriod × (1 + random × jitterFactor). Default 0.1 (client-go: 1.2). */
  jitterFactor?: number;
  random?: () => number;
}

export class LeaderElector {
  readonly identity: string;
  private readonly client: LeaseClient;
  private readonly opts: LeaderElectionOptions;
  private readonly clock: Clock;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly jitterFactor: number;
  private readonly random: () => number;

  private observed: V1Lease | undefined;
  private observedRecord = '';
  /** Local monotonic time from which the current record's lease runs (see the header). */
  private observedAt = 0;
  /** Local monotonic time of the previous successful read of the Lease. */
  private lastReadAt: number | undefined;
  private reportedLeader = '';
  private leading = false;
  private running = false;
  private wake: (() => void) | undefined;

  private background: { abort: AbortController; done: Promise<void> } | undefined;

  constructor(client: LeaseClient, opts: LeaderElectionOptions) {
    this.client = client;
    this.opts = opts;
    this.identity = opts.identity;
    this.clock = opts.clock ?? realClock;
    this.leaseDurationMs = opts.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = opts.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = opts.retryPeriodMs ?? 2_000;
    this.jitterFactor = opts.jitterFactor ?? 0.1;
    this.random = opts.random ?? Math.random;
    if (!opts.identity) throw new RangeError('leader election: identity must not be empty');
    if (!opts.namespace || !opts.name)
      throw new RangeError('leader election: namespace and name are required');
    if (!(this.retryPeriodMs > 0)) throw new RangeError('leader election: retryPeriod must be > 0');
    if (!(this.leaseDurationMs > this.renewDeadlineMs)) {
      throw new RangeError('leader election: leaseDuration must be greater than renewDeadline');
    }
    if (!(this.renewDeadlineMs > this.jitterFactor * this.retryPeriodMs)) {
      throw new RangeError('leader election: renewDeadline must be greater than jitterFactor × retryPeriod');
    }
    if (!(this.renewDeadlineMs <= this.leaseDurationMs - this.maxPollMs())) {
      throw new RangeError(
        'leader election: renewDeadline must not exceed leaseDuration − retryPeriod × (1.4 + jitterFactor)',
      );
    }
  }

  /** True between onStartedLeading and onStoppedLeading. */
  isLeader(): boolean {
    return this.leading;
  }

  /** The holder recorded in the last Lease observed (ours included), if any. */
  leader(): string | undefined {
    return this.observed?.spec?.holderIdentity || undefined;
  }

  /**
   * Campaigns until `signal` aborts: acquires the lease, calls onStartedLeading, renews, and ends with
   * onStoppedLeading. Resolves when the election is over (never led, cancelled, or lost); to campaign
   * again, call run() again.
   */
  async run(signal: AbortSignal): Promise<void> {
    if (this.running) throw new Error('LeaderElector.run() is already running');
    this.running = true;
    try {
      const acquiredAt = await this.acquire(signal);
      if (acquiredAt === undefined) return;
      if (signal.aborted) {
        // Won the lease just as we were cancelled: give it back without starting any work.
        if (this.opts.releaseOnCancel ?? true) await this.release();
        return;
      }
      await this.lead(signal, acquiredAt);
    } finally {
      this.running = false;
    }
  }

  /** run() in the background until stop(). */
  start(): void {
    if (this.background) return;
    const abort = new AbortController();
    this.background = { abort, done: this.run(abort.signal) };
  }

  /** Ends a start()ed election (releasing the lease per releaseOnCancel) and waits until it is over. */
  async stop(): Promise<void> {
    const bg = this.background;
    if (!bg) return;
    bg.abort.abort();
    try {
      await bg.done;
    } finally {
      if (this.background === bg) this.background = undefined;
    }
  }

  /**
   * Gives the lease up if this identity holds it (run() does this on cancel when releaseOnCancel is
   * set). Refused while leading: stop the work first. Resolves true if the lease is not ours anymore.
   */
  async release(): Promise<boolean> {
    if (this.leading) return false;
    if (!this.observed || this.leader() !== this.identity) return true;
    const { namespace, name } = this.opts;
    const client = this.client;
    const now = new V1MicroTime(this.clock.wallNow());
    const patch = { holderIdentity: '', leaseDurationSeconds: 1, acquireTime: now, renewTime: now };
    const observed = this.observed;
    return this.withDeadline('release', undefined, async (signal) => {
      try {
        this.commit(await client.replace(withSpec(observed, patch), signal), signal);
      } catch (err) {
        if (!(err instanceof LeaseConflictError)) throw err;
        // A renewal we stopped waiting for may have landed after all: re-read, and retry if still ours.
        const current = await client.get(namespace, name, signal);
        if (!current || signal.aborted) return true;
        this.observe(current);
        if (current.spec?.holderIdentity !== this.identity) return true;
        this.commit(await client.replace(withSpec(current, patch), signal), signal);
      }
      return true;
    });
  }

  // Returns the local time of the attempt that acquired the lease, or undefined if cancelled first.
  private async acquire(signal: AbortSignal): Promise<number | undefined> {
    while (!signal.aborted) {
      const started = this.clock.now();
      if (await this.withDeadline('acquire', signal, (s) => this.tryAcquireOrRenew(s))) return started;
      await delay(this.clock, this.retryPeriodMs * (1 + this.random() * this.jitterFactor), signal);
    }
    return undefined;
  }

  private async lead(signal: AbortSignal, acquiredAt: number): Promise<void> {
    this.leading = true;
    const leadership = new AbortController();
    let settled = false;
    let failed = false;
    const work = (async () => this.opts.onStartedLeading(leadership.signal))();
    void work
      .then(
        () => (settled = true),
        (err: unknown) => {
          settled = failed = true;
          this.report(err, 'leading');
        },
      )
      .finally(() => this.wake?.());
    const onCancel = () => {
      leadership.abort(signal.reason);
      this.wake?.();
    };
    if (signal.aborted) onCancel();
    else signal.addEventListener('abort', onCancel, { once: true });

    // Keep renewing while cancelled work drains; the lease stays ours until it has.
    const done = (): StopReason | undefined =>
      failed ? 'failed' : signal.aborted && settled ? 'cancelled' : undefined;
    let lastRenew = acquiredAt;
    let next = this.clock.now() + this.retryPeriodMs;
    let reason: StopReason;
    for (;;) {
      const stop = done();
      if (stop) {
        reason = stop;
        break;
      }
      // Renew every retryPeriod; the deadline counts from the start of the last successful renewal.
      const deadline = lastRenew + this.renewDeadlineMs;
      const wait = Math.min(next, deadline) - this.clock.now();
      if (wait > 0) {
        await this.sleep(wait); // cut short by cancellation: re-check, then sleep the rest
        continue;
      }
      const started = this.clock.now();
      const renewed =
        started < deadline &&
        (await this.withDeadline('renew', undefined, (s) => this.tryAcquireOrRenew(s), deadline - started));
      if (renewed) lastRenew = started;
      else if (this.clock.now() >= deadline || this.heldByOther()) {
        reason = 'lost';
        break;
      }
      next = this.clock.now() + this.retryPeriodMs;
    }

    signal.removeEventListener('abort', onCancel);
    this.leading = false;
    leadership.abort(new Error(`leadership ended: ${reason}`));
    if (reason !== 'lost' && (this.opts.releaseOnCancel ?? true)) await this.release();
    try {
      this.opts.onStoppedLeading(reason);
    } catch (err) {
      this.report(err, 'leading');
    }
  }

  // One acquire-or-renew step (client-go's tryAcquireOrRenew). Never throws; false means "not ours".
  private async tryAcquireOrRenew(signal: AbortSignal): Promise<boolean> {
    const { namespace, name } = this.opts;
    const client = this.client;
    const phase: ElectionPhase = this.leading ? 'renew' : 'acquire';
    const seconds = Math.max(1, Math.ceil(this.leaseDurationMs / 1000));

    // Fast path: we hold a valid lease, so update our cached copy without a GET first.
    if (this.observed && this.leader() === this.identity && this.leaseValid()) {
      const lease = withSpec(this.observed, {
        holderIdentity: this.identity,
        leaseDurationSeconds: seconds,
        renewTime: new V1MicroTime(this.clock.wallNow()),
      });
      try {
        return this.commit(await client.replace(lease, signal), signal);
      } catch (err) {
        if (signal.aborted) return false;
        this.report(err, phase); // fall through: read the current state and decide again
      }
    }

    let current: V1Lease | undefined;
    try {
      current = await client.get(namespace, name, signal);
    } catch (err) {
      if (!signal.aborted) this.report(err, phase);
      return false;
    }
    if (signal.aborted) return false;
    const now = new V1MicroTime(this.clock.wallNow());

    if (!current) {
      const lease: V1Lease = {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { namespace, name },
        spec: {
          holderIdentity: this.identity,
          leaseDurationSeconds: seconds,
          acquireTime: now,
          renewTime: now,
          leaseTransitions: 0,
        },
      };
      try {
        return this.commit(await client.create(lease, signal), signal);
      } catch (err) {
        if (!signal.aborted) this.report(err, phase);
        return false;
      }
    }

    this.observe(current);
    const spec = current.spec ?? {};
    const holder = spec.holderIdentity ?? '';
    if (holder !== '' && holder !== this.identity && this.leaseValid()) return false;

    const takeover = holder !== this.identity;
    const lease = withSpec(current, {
      holderIdentity: this.identity,
      leaseDurationSeconds: seconds,
      renewTime: now,
      acquireTime: takeover ? now : (spec.acquireTime ?? now),
      leaseTransitions: (spec.leaseTransitions ?? 0) + (takeover ? 1 : 0),
    });
    try {
      return this.commit(await client.replace(lease, signal), signal);
    } catch (err) {
      // A LeaseConflictError here means another candidate wrote first: we lost this round.
      if (!signal.aborted) this.report(err, phase);
      return false;
    }
  }

  // Records a Lease we wrote, unless the attempt was abandoned meanwhile.
  private commit(lease: V1Lease, signal: AbortSignal): boolean {
    if (signal.aborted) return false;
    this.observe(lease);
    return true;
  }

  private observe(lease: V1Lease): void {
    const s = lease.spec ?? {};
    const record = JSON.stringify([
      s.holderIdentity ?? '',
      s.leaseDurationSeconds ?? null,
      stamp(s.acquireTime),
      stamp(s.renewTime),
      s.leaseTransitions ?? 0,
    ]);
    this.observed = lease;
    const now = this.clock.now();
    if (record !== this.observedRecord) {
      this.observedRecord = record;
      const recent = this.lastReadAt !== undefined && now - this.lastReadAt <= this.maxPollMs();
      this.observedAt = recent ? this.lastReadAt! : now;
    }
    this.lastReadAt = now;
    const holder = s.holderIdentity ?? '';
    if (holder !== this.reportedLeader) {
      this.reportedLeader = holder;
      if (holder) {
        try {
          this.opts.onNewLeader?.(holder);
        } catch (err) {
          this.report(err, 'leading');
        }
      }
    }
  }

  // The longest gap between two reads that still counts as one poll: the jittered wait plus room
  // for the request itself (0.4 × retryPeriod).
  private maxPollMs(): number {
    return this.retryPeriodMs * 1.4 + this.retryPeriodMs * this.jitterFactor;
  }

  // Whether the observed record is still within its lease duration, measured on our clock from when
  // we first saw it.
  private leaseValid(): boolean {
    const seconds = this.observed?.spec?.leaseDurationSeconds ?? Math.ceil(this.leaseDurationMs / 1000);
    return this.observedAt + seconds * 1000 > this.clock.now();
  }

  private heldByOther(): boolean {
    const holder = this.leader();
    return holder !== undefined && holder !== this.identity;
  }

  // Runs `fn` with a signal that aborts after `ms` (default renewDeadline) or when `parent` aborts,
  // and stops waiting for it at that moment even if the request itself does not honour the signal.
  private async withDeadline(
    phase: ElectionPhase,
    parent: AbortSignal | undefined,
    fn: (signal: AbortSignal) => Promise<boolean>,
    ms = this.renewDeadlineMs,
  ): Promise<boolean> {
    const ctl = new AbortController();
    const onParent = () => ctl.abort(parent?.reason);
    if (parent?.aborted) onParent();
    else parent?.addEventListener('abort', onParent, { once: true });
    const cancel = this.clock.setTimeout(
      () => ctl.abort(new Error(`lease ${phase} timed out after ${ms} ms`)),
      ms,
    );
    const stopped = new Promise<boolean>((resolve) =>
      ctl.signal.addEventListener('abort', () => resolve(false)),
    );
    try {
      return await Promise.race([
        fn(ctl.signal).catch((err: unknown) => {
          if (!ctl.signal.aborted) this.report(err, phase);
          return false;
        }),
        stopped,
      ]);
    } finally {
      cancel();
      parent?.removeEventListener('abort', onParent);
    }
  }

  // A pause that wake() cuts short (cancellation, work settling).
  private sleep(ms: number): Promise<void> {
    const ctl = new AbortController();
    this.wake = () => ctl.abort();
    return delay(this.clock, ms, ctl.signal).finally(() => (this.wake = undefined));
  }

  private report(err: unknown, phase: ElectionPhase): void {
    try {
      this.opts.onError?.(err, phase);
    } catch {
      // a failing logger must not break the election
    }
  }
}

// A copy of `lease` with `spec` patched, ready to PUT. Times read back from the API are 6-digit
// strings and are kept; a plain Date (3 digits on the wire) is converted to V1MicroTime.
function withSpec(lease: V1Lease, patch: Partial<V1LeaseSpec>): V1Lease {
  const spec: V1LeaseSpec = { ...lease.spec, ...patch };
  spec.acquireTime = micro(spec.acquireTime);
  spec.renewTime = micro(spec.renewTime);
  return {
    apiVersion: lease.apiVersion ?? 'coordination.k8s.io/v1',
    kind: lease.kind ?? 'Lease',
    metadata: { ...lease.metadata },
    spec,
  };
}

function micro(t: V1MicroTime | undefined): V1MicroTime | undefined {
  const v: unknown = t;
  return v instanceof Date && !(v instanceof V1MicroTime) ? new V1MicroTime(v.getTime()) : t;
}

function stamp(t: V1MicroTime | string | undefined): string {
  return t instanceof Date ? t.toISOString() : (t ?? '');
}
