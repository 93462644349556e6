// Marathon's event bus inside one replica: handlers and cache observers publish events, `/v2/events`
// subscribers receive those that pass their filter. A subscriber that cannot keep up is dropped rather
// than buffered without bound.

export interface MarathonEvent {
  eventType: string;
  /** ISO-8601 in UTC with milliseconds and `Z`, as Marathon wrote it. */
  timestamp: string;
  [field: string]: unknown;
}

/** Where an event comes from, for authorization; not part of the event's JSON. */
export interface EventScope {
  /** Namespace of the MarathonApp the event is about; undefined for events about no app. */
  namespace?: string | undefined;
}

export interface Subscription {
  /** Called for each event that passes the filter; returns false when the subscriber cannot take more. */
  send(event: MarathonEvent, scope: EventScope): boolean;
  filter?(event: MarathonEvent, scope: EventScope): boolean;
  /** Called once when the hub drops the subscriber (it fell behind, or the hub closed). */
  dropped?(): void;
}

export class EventHub {
  private readonly subscribers = new Set<Subscription>();
  private published = 0;

  get size(): number {
    return this.subscribers.size;
  }

  /** Events published since start (the JSON /metrics counter). */
  get count(): number {
    return this.published;
  }

  subscribe(sub: Subscription): () => void {
    this.subscribers.add(sub);
    return () => this.subscribers.delete(sub);
  }

  publish(event: MarathonEvent, scope: EventScope = {}): void {
    this.published++;
    for (const sub of [...this.subscribers]) {
      if (sub.filter && !sub.filter(event, scope)) continue;
      let ok: boolean;
      try {
        ok = sub.send(event, scope);
      } catch {
        ok = false;
      }
      if (!ok) this.drop(sub);
    }
  }

  close(): void {
    for (const sub of [...this.subscribers]) this.drop(sub);
  }

  private drop(sub: Subscription): void {
    if (!this.subscribers.delete(sub)) return;
    try {
      sub.dropped?.();
    } catch {
      // a subscriber's clean-up failing must not stop the others' delivery
    }
  }
}
