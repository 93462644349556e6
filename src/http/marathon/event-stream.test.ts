import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { EventHub } from './event-hub.ts';
import type { MarathonEvent } from './event-hub.ts';
import { EventStream } from './event-stream.ts';
import type { EventStreamLimits, StreamSink } from './event-stream.ts';
import { NamespaceAccess } from './namespace-access.ts';
import { streamOptions } from './sse.ts';

const ts = '2025-01-01T00:00:00.000Z';
const ev = (eventType: string, extra: Record<string, unknown> = {}): MarathonEvent => ({
  ...extra,
  eventType,
  timestamp: ts,
});

class FakeSink implements StreamSink {
  chunks: string[] = [];
  writableLength = 0;
  destroyed = false;
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    return true;
  }
  destroy(): void {
    this.destroyed = true;
  }
  get text(): string {
    return this.chunks.join('');
  }
}

const limits = (over: Partial<EventStreamLimits> = {}): EventStreamLimits => ({
  maxBufferedBytes: 1024,
  keepAliveMs: 0,
  maxDeferred: 4,
  ...over,
});

async function everywhere(): Promise<NamespaceAccess> {
  const a = new NamespaceAccess(() => Promise.resolve(true));
  await a.init([]);
  return a;
}

describe('EventStream', () => {
  it('writes the attach event first, then the events its filter passes', async () => {
    const hub = new EventHub();
    const sink = new FakeSink();
    const s = new EventStream(
      sink,
      streamOptions(['status_update_event', 'event_stream_attached'], null),
      await everywhere(),
      limits(),
    );
    s.attach(hub, ev('event_stream_attached', { remoteAddress: '127.0.0.1' }));
    hub.publish(ev('status_update_event', { taskId: 't1' }));
    hub.publish(ev('deployment_info'));
    hub.publish(ev('unknown_to_clients'));
    const frames = sink.text.split('\n\n').filter(Boolean);
    assert.deepEqual(
      frames.map((f) => f.split('\n')[0]),
      ['event: event_stream_attached', 'event: status_update_event'],
    );
  });

  it('drops a subscriber whose connection holds more than the bound, and cuts it', async () => {
    const hub = new EventHub();
    const sink = new FakeSink();
    const s = new EventStream(
      sink,
      streamOptions([], null),
      await everywhere(),
      limits({ maxBufferedBytes: 100 }),
    );
    s.attach(hub);
    hub.publish(ev('group_change_success'));
    assert.equal(hub.size, 1);
    sink.writableLength = 101; // the client stopped reading
    hub.publish(ev('group_change_success'));
    assert.equal(hub.size, 0);
    assert.equal(sink.destroyed, true);
    assert.equal(sink.chunks.length, 1);
    assert.equal(s.isClosed, true);
  });

  it('sends keep-alive comments while idle, and stops them when closed', async () => {
    const hub = new EventHub();
    const sink = new FakeSink();
    const s = new EventStream(sink, streamOptions([], null), await everywhere(), limits({ keepAliveMs: 5 }));
    s.attach(hub);
    await new Promise((r) => setTimeout(r, 40));
    assert.ok(sink.chunks.filter((c) => c === ':\n\n').length >= 2);
    s.detach();
    const n = sink.chunks.length;
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(sink.chunks.length, n);
    assert.equal(hub.size, 0);
  });

  it('shows events of a namespace only once the caller is known to be allowed there', async () => {
    const checks: (string | undefined)[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const access = new NamespaceAccess(async (ns) => {
      checks.push(ns);
      if (ns === 'later') await gate;
      return ns === 'mine' || ns === 'later';
    });
    assert.equal(await access.init(['mine', 'theirs']), true);
    const hub = new EventHub();
    const sink = new FakeSink();
    new EventStream(sink, streamOptions([], null), access, limits()).attach(hub);
    hub.publish(ev('app_terminated_event', { appId: '/a' }), { namespace: 'mine' });
    hub.publish(ev('app_terminated_event', { appId: '/b' }), { namespace: 'theirs' });
    for (const id of ['/c1', '/c2', '/c3', '/c4', '/c5'])
      hub.publish(ev('app_terminated_event', { appId: id }), { namespace: 'later' });
    hub.publish(ev('app_terminated_event', { appId: '/d' }), { namespace: 'elsewhere' });
    assert.match(sink.text, /"\/a"/);
    assert.doesNotMatch(sink.text, /"\/b"|"\/c/);
    release();
    await new Promise((r) => setTimeout(r, 10));
    // held while checked, the oldest beyond the bound (4) dropped; "elsewhere" is denied
    assert.doesNotMatch(sink.text, /"\/c1"|"\/d"/);
    for (const id of ['/c2', '/c3', '/c4', '/c5']) assert.match(sink.text, new RegExp(`"${id}"`));
    hub.publish(ev('app_terminated_event', { appId: '/c6' }), { namespace: 'later' });
    assert.match(sink.text, /"\/c6"/);
    assert.deepEqual(checks.sort(), ['elsewhere', 'later', 'mine', 'theirs', undefined].sort());
  });

  it('cuts a real client that stops reading, with bounded memory', async function () {
    this.timeout(20_000);
    const hub = new EventHub();
    let stream: EventStream | undefined;
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.flushHeaders();
      void everywhere().then((access) => {
        stream = new EventStream(
          res,
          streamOptions([], null),
          access,
          limits({ maxBufferedBytes: 64 * 1024 }),
        );
        res.on('close', () => stream!.detach());
        stream.attach(hub);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const client = net.connect(port, '127.0.0.1');
    let received = 0;
    let closed = false;
    client.on('data', (d: Buffer) => {
      received += d.length;
      client.pause(); // read the headers, then nothing more
    });
    client.on('close', () => (closed = true));
    client.on('error', () => undefined);
    client.write('GET /v2/events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n');
    try {
      while (!stream) await new Promise((r) => setTimeout(r, 5));
      const big = 'x'.repeat(16 * 1024);
      let published = 0;
      // far more than any socket buffer holds: the subscriber must be dropped on the way
      while (hub.size > 0 && published < 20_000) {
        hub.publish(ev('status_update_event', { message: big }));
        published++;
        if (published % 200 === 0) await new Promise((r) => setImmediate(r));
      }
      assert.equal(hub.size, 0, 'the slow subscriber was dropped');
      assert.ok(stream.isClosed);
      assert.ok(published * big.length > received, 'the client did not read everything');
      await new Promise((r) => setTimeout(r, 50));
      client.resume();
      for (let i = 0; i < 100 && !closed; i++) await new Promise((r) => setTimeout(r, 20));
      assert.equal(closed, true, 'the connection was cut');
    } finally {
      client.destroy();
      await new Promise((r) => server.close(() => r(undefined)));
    }
  });
});
