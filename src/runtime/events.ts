// Kubernetes Events about the custom resources, with client-go's hygiene: a repeated event patches
// count/lastTimestamp of the one already written instead of creating another, and a noisy object is
// rate limited. Event writes never fail a reconcile.
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import type { CoreV1Api, KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from './logger.ts';
import { errorMessage } from './errors.ts';

export type EventType = 'Normal' | 'Warning';

interface Seen {
  name: string;
  count: number;
  at: number;
}

export interface EventRecorderOptions {
  component: string;
  instance: string;
  now?: () => number;
  /** Events allowed per object in a burst, and the refill interval (client-go: 25, one per 5 min). */
  burst?: number;
  refillMs?: number;
  /** How long a repeated event is merged into the first one. */
  dedupWindowMs?: number;
}

export class EventRecorder {
  private readonly core: CoreV1Api;
  private readonly log: Logger;
  private readonly opts: Required<EventRecorderOptions>;
  private readonly seen = new Map<string, Seen>();
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(core: CoreV1Api, log: Logger, opts: EventRecorderOptions) {
    this.core = core;
    this.log = log;
    this.opts = { now: Date.now, burst: 25, refillMs: 300_000, dedupWindowMs: 600_000, ...opts };
  }

  /** Records an event; resolves when written (or dropped), never rejects. */
  async record(obj: KubernetesObject, type: EventType, reason: string, message: string): Promise<void> {
    const { uid, namespace, name } = obj.metadata ?? {};
    if (!uid || !name) return;
    const ns = namespace ?? 'default';
    const now = this.opts.now();
    const key = `${uid}\u0000${type}\u0000${reason}\u0000${message}`;
    const prior = this.seen.get(key);
    try {
      if (prior && now - prior.at < this.opts.dedupWindowMs) {
        prior.count += 1;
        prior.at = now;
        await this.core.patchNamespacedEvent(
          { name: prior.name, namespace: ns, body: { count: prior.count, lastTimestamp: new Date(now) } },
          setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
        );
        return;
      }
      if (!this.allow(uid, now)) return;
      const eventName = `${name}.${now.toString(16)}${Math.floor(Math.random() * 0xfff).toString(16)}`;
      await this.core.createNamespacedEvent({
        namespace: ns,
        body: {
          metadata: { name: eventName, namespace: ns },
          involvedObject: {
            apiVersion: obj.apiVersion,
            kind: obj.kind,
            name,
            namespace: ns,
            uid,
            resourceVersion: obj.metadata?.resourceVersion,
          },
          type,
          reason,
          message: message.slice(0, 1024),
          count: 1,
          firstTimestamp: new Date(now),
          lastTimestamp: new Date(now),
          source: { component: this.opts.component },
          reportingComponent: this.opts.component,
          reportingInstance: this.opts.instance.slice(0, 128),
        },
      });
      this.seen.set(key, { name: eventName, count: 1, at: now });
      if (this.seen.size > 4096) this.prune(now);
    } catch (err) {
      this.log.debug('event not recorded', { reason, error: errorMessage(err) });
    }
  }

  private allow(uid: string, now: number): boolean {
    const b = this.buckets.get(uid) ?? { tokens: this.opts.burst, at: now };
    const refill = Math.floor((now - b.at) / this.opts.refillMs);
    if (refill > 0) {
      b.tokens = Math.min(this.opts.burst, b.tokens + refill);
      b.at = now;
    }
    if (b.tokens <= 0) return false;
    b.tokens -= 1;
    this.buckets.set(uid, b);
    return true;
  }

  private prune(now: number): void {
    for (const [k, v] of this.seen) if (now - v.at >= this.opts.dedupWindowMs) this.seen.delete(k);
  }
}
