// One `/v2/events` subscriber: the events it asked for (event_type, plan-format) from the namespaces it may
// see, written as server-sent events to its connection. Memory stays bounded: a client that does not read
// lets the socket's buffer grow, and once that passes `maxBufferedBytes` the stream is cut (the client
// reconnects, as Marathon clients do after any disconnect). Comments keep an idle stream alive through
// proxies that close silent connections.
import type { EventHub, EventScope, MarathonEvent, Subscription } from './event-hub.ts';
import type { NamespaceAccess } from './namespace-access.ts';
import { comment, frame, wants } from './sse.ts';
import type { StreamOptions } from './sse.ts';

/** What the stream writes to (a ServerResponse). */
export interface StreamSink {
  write(chunk: string): boolean;
  readonly writableLength: number;
  readonly destroyed: boolean;
  destroy(): void;
}

export interface EventStreamLimits {
  /** Bytes written but not yet taken by the client beyond which the subscriber is dropped. */
  maxBufferedBytes: number;
  /** Interval of keep-alive comments; 0 disables them. */
  keepAliveMs: number;
  /** Events held per namespace while the subscriber's access to it is being checked. */
  maxDeferred: number;
}

export const DEFAULT_STREAM_LIMITS: EventStreamLimits = {
  maxBufferedBytes: 1024 * 1024,
  keepAliveMs: 15_000,
  maxDeferred: 256,
};

export class EventStream implements Subscription {
  private readonly sink: StreamSink;
  private readonly opts: StreamOptions;
  private readonly access: NamespaceAccess;
  private readonly limits: EventStreamLimits;
  private readonly deferred = new Map<string, MarathonEvent[]>();
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private closed = false;

  constructor(
    sink: StreamSink,
    opts: StreamOptions,
    access: NamespaceAccess,
    limits: EventStreamLimits = DEFAULT_STREAM_LIMITS,
  ) {
    this.sink = sink;
    this.opts = opts;
    this.access = access;
    this.limits = limits;
  }

  /** Subscribes to the hub, after writing `first` (the stream's own event_stream_attached) if it passes
   * the filter. */
  attach(hub: EventHub, first?: MarathonEvent): void {
    if (this.closed || this.sink.destroyed) return this.close();
    if (first && wants(this.opts, first)) this.write(frame(first, this.opts.planFormat));
    if (this.closed) return;
    this.unsubscribe = hub.subscribe(this);
    if (this.limits.keepAliveMs > 0) {
      this.timer = setInterval(() => {
        if (!this.write(comment())) this.close();
      }, this.limits.keepAliveMs);
      this.timer.unref();
    }
  }

  filter(event: MarathonEvent, scope: EventScope): boolean {
    if (this.closed || !wants(this.opts, event)) return false;
    const allowed = this.access.allows(scope.namespace);
    if (allowed !== undefined) return allowed;
    this.defer(scope.namespace!, event);
    return false;
  }

  send(event: MarathonEvent): boolean {
    return this.write(frame(event, this.opts.planFormat));
  }

  dropped(): void {
    this.close();
  }

  /** Ends the subscription and cuts the connection (idempotent). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.deferred.clear();
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (!this.sink.destroyed) this.sink.destroy();
  }

  /** The client went away: unsubscribe and stop the keep-alives. */
  detach(): void {
    this.close();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private write(text: string): boolean {
    if (this.closed || this.sink.destroyed) return false;
    // The socket's buffer is what the client has not read: bounded, whatever `write` said last time.
    if (this.sink.writableLength > this.limits.maxBufferedBytes) {
      this.close();
      return false;
    }
    this.sink.write(text);
    return true;
  }

  private defer(namespace: string, event: MarathonEvent): void {
    let queue = this.deferred.get(namespace);
    if (!queue) {
      this.deferred.set(namespace, (queue = []));
      void this.access.resolve(namespace).then((ok) => {
        const held = this.deferred.get(namespace) ?? [];
        this.deferred.delete(namespace);
        if (!ok || this.closed) return;
        for (const e of held) if (!this.send(e)) return this.close();
      });
    }
    // A namespace whose check is slow loses its oldest events rather than growing without bound.
    if (queue.length >= this.limits.maxDeferred) queue.shift();
    queue.push(event);
  }
}
