import assert from 'node:assert/strict';
import { EventHub } from './event-hub.ts';
import type { EventScope, MarathonEvent } from './event-hub.ts';

const ev = (eventType: string): MarathonEvent => ({ eventType, timestamp: '2025-01-01T00:00:00.000Z' });

describe('EventHub', () => {
  it('delivers events that pass each filter, with their scope', () => {
    const hub = new EventHub();
    const got: [string, EventScope][] = [];
    hub.subscribe({
      filter: (e, scope) => e.eventType !== 'skip' && scope.namespace !== 'hidden',
      send: (e, scope) => (got.push([e.eventType, scope]), true),
    });
    hub.publish(ev('a'), { namespace: 'ns1' });
    hub.publish(ev('skip'));
    hub.publish(ev('b'), { namespace: 'hidden' });
    hub.publish(ev('c'));
    assert.deepEqual(got, [
      ['a', { namespace: 'ns1' }],
      ['c', {}],
    ]);
    assert.equal(hub.count, 4);
  });

  it('drops a subscriber that cannot take more (or throws), once, and keeps serving the others', () => {
    const hub = new EventHub();
    let drops = 0;
    let received = 0;
    hub.subscribe({ send: () => false, dropped: () => drops++ });
    hub.subscribe({
      send: () => {
        throw new Error('broken pipe');
      },
      dropped: () => drops++,
    });
    hub.subscribe({ send: () => (received++, true) });
    hub.publish(ev('a'));
    hub.publish(ev('b'));
    assert.equal(drops, 2);
    assert.equal(received, 2);
    assert.equal(hub.size, 1);
  });

  it('unsubscribes, and drops everyone on close', () => {
    const hub = new EventHub();
    let dropped = 0;
    const off = hub.subscribe({ send: () => true, dropped: () => dropped++ });
    hub.subscribe({ send: () => true, dropped: () => dropped++ });
    off();
    assert.equal(hub.size, 1);
    hub.close();
    assert.equal(hub.size, 0);
    assert.equal(dropped, 1);
  });
});
