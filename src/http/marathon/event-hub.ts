// Marathon's event bus inside one replica: handlers and cache observers publish events, `/v2/events`
// subscribers receive those that pass their filter. A subscriber that cannot keep up is dropped rather
// than buffered without bound.

export interface MarathonEvent {
  eventType: string;
  /** ISO-8601 in UTC with milliseconds and `Z`, as Marathon wrote it. */
  timestamp: string;
  [field: string]: unknown;
}

export interface Subscription {
  /** Called for each event that passes the filter; returns false when the subscriber cannot take more. */
  send(event: MarathonEvent): boolean;
  filter?(event: MarathonEvent): boolean;
  /** Called once when the hub drops the subscriber (it fell behind, or the hub closed). */
  dropped?(): void;
}

export class EventHub {
  private readonly subscribers = new Set<Subscription>();

  get size(): number {
    return this.subscribers.size;
  }

  subscribe(sub: Subscription): () => void {
    this.subscribers.add(sub);
    return () => this.subscribers.delete(sub);
  }

  publish(event: MarathonEvent): void {
    for (const sub of [...this.subscribers]) {
      if (sub.filter && !sub.filter(event)) continue;
      if (!sub.send(event)) {
        this.subscribers.delete(sub);
        sub.dropped?.();
      }
    }
  }

  close(): void {
    for (const sub of [...this.subscribers]) {
      this.subscribers.delete(sub);
      sub.dropped?.();
    }
  }
}
