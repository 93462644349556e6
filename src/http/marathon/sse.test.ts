import assert from 'node:assert/strict';
import type { MarathonEvent } from './event-hub.ts';
import {
  acceptsEventStream,
  comment,
  frame,
  KNOWN_EVENT_TYPES,
  lightEvent,
  streamOptions,
  wants,
} from './sse.ts';

const ts = '2025-01-02T03:04:05.678Z';

describe('server-sent event framing', () => {
  it('frames an event as Marathon did: event line, one-line JSON data, blank line', () => {
    const e: MarathonEvent = { appId: '/web', eventType: 'app_terminated_event', timestamp: ts };
    const text = frame(e);
    assert.equal(
      text,
      'event: app_terminated_event\ndata: {"appId":"/web","eventType":"app_terminated_event","timestamp":"2025-01-02T03:04:05.678Z"}\n\n',
    );
    // marathon-python's reading: split each line on the first ':' and parse what follows `data`
    const data = text.split('\n').find((l) => l.split(':', 1)[0] === 'data')!;
    assert.deepEqual(JSON.parse(data.slice(data.indexOf(':') + 1).trim()), e);
  });

  it('keeps JSON with newlines in values on one data line', () => {
    const e: MarathonEvent = { message: 'a\nb', eventType: 'status_update_event', timestamp: ts };
    const lines = frame(e).split('\n');
    assert.equal(lines.length, 4);
    assert.equal(lines[2], '');
  });

  it('drops plan.original and plan.target for plan-format=light only', () => {
    const e: MarathonEvent = {
      plan: { id: 'd1', version: ts, original: { id: '/' }, target: { id: '/' }, steps: [] },
      currentStep: { actions: [] },
      eventType: 'deployment_info',
      timestamp: ts,
    };
    const full = JSON.parse(frame(e, 'full').split('\n')[1]!.slice(6)) as { plan: Record<string, unknown> };
    const light = JSON.parse(frame(e, 'light').split('\n')[1]!.slice(6)) as { plan: Record<string, unknown> };
    assert.deepEqual(Object.keys(full.plan).sort(), ['id', 'original', 'steps', 'target', 'version']);
    assert.deepEqual(Object.keys(light.plan).sort(), ['id', 'steps', 'version']);
    // the published event itself is untouched
    assert.ok((e.plan as Record<string, unknown>).original);
    assert.equal(lightEvent({ eventType: 'x', timestamp: ts }).eventType, 'x');
  });

  it('renders an event once per plan format, however many subscribers', () => {
    const e: MarathonEvent = { eventType: 'group_change_success', timestamp: ts, groupId: '/' };
    assert.equal(frame(e), frame(e));
    assert.strictEqual(frame(e), frame(e)); // the same string instance: cached
  });

  it('writes keep-alive comments every client ignores', () => {
    assert.equal(comment(), ':\n\n');
    assert.equal(comment('ping\nx'), ': ping x\n\n');
  });

  it('serves the stream only to clients that accept text/event-stream', () => {
    assert.equal(acceptsEventStream('text/event-stream'), true);
    assert.equal(acceptsEventStream('application/json, text/event-stream;q=0.9'), true);
    assert.equal(acceptsEventStream('*/*'), false);
    assert.equal(acceptsEventStream('application/json'), false);
    assert.equal(acceptsEventStream(undefined), false);
  });

  it('filters by event_type (repeatable) and never passes types clients do not know', () => {
    const opts = streamOptions(['status_update_event', ' deployment_info '], null);
    assert.equal(opts.planFormat, 'full');
    const ev = (eventType: string): MarathonEvent => ({ eventType, timestamp: ts });
    assert.equal(wants(opts, ev('status_update_event')), true);
    assert.equal(wants(opts, ev('deployment_info')), true);
    assert.equal(wants(opts, ev('deployment_success')), false);
    const all = streamOptions([], 'light');
    assert.equal(all.planFormat, 'light');
    assert.equal(wants(all, ev('deployment_success')), true);
    assert.equal(wants(all, ev('some_new_event')), false);
    assert.equal(wants(streamOptions(['some_new_event'], null), ev('some_new_event')), false);
    assert.equal(streamOptions([], 'full').planFormat, 'full');
  });

  it('knows exactly the event types of marathon-python 0.13', () => {
    // EventFactory.event_to_class in marathon/models/events.py
    assert.equal(KNOWN_EVENT_TYPES.size, 27);
    for (const t of [
      'api_post_event',
      'status_update_event',
      'instance_changed_event',
      'app_terminated_event',
    ])
      assert.ok(KNOWN_EVENT_TYPES.has(t), t);
  });
});
