import assert from 'node:assert/strict';
import { Observable, RequestContext, ResponseContext, SelfDecodingBody } from '@kubernetes/client-node';
import type { HttpLibrary } from '@kubernetes/client-node';
import { LimitedTransport, retryAfterMs } from './kube-transport.ts';

function fakeServer(codes: number[], headers: Record<string, string> = {}): HttpLibrary & { sent: number } {
  const lib = {
    sent: 0,
    send() {
      const code = codes[Math.min(lib.sent++, codes.length - 1)] ?? 200;
      return new Observable(
        Promise.resolve(
          new ResponseContext(code, headers, new SelfDecodingBody(Promise.resolve(Buffer.from('{}')))),
        ),
      );
    },
  };
  return lib;
}

describe('LimitedTransport', () => {
  const request = () => new RequestContext('https://k8s.test/api/v1/namespaces', 'GET');

  it('takes a limiter token for every attempt and counts requests by verb and code', async () => {
    let tokens = 0;
    const seen: string[] = [];
    const server = fakeServer([429, 200], { 'retry-after': '2' });
    const waits: number[] = [];
    const t = new LimitedTransport(server, {
      limiter: { take: () => Promise.resolve(void tokens++) },
      observer: { request: (m, c) => seen.push(`${m} ${c}`), throttled: () => seen.push('throttled') },
      sleep: (ms) => Promise.resolve(void waits.push(ms)),
    });
    const res = await t.send(request());
    assert.equal(res.httpStatusCode, 200);
    assert.equal(tokens, 2);
    assert.deepEqual(seen, ['GET 429', 'throttled', 'GET 200']);
    assert.deepEqual(waits, [2000], 'waits what Retry-After says');
  });

  it('gives up after the retry cap and returns the 429', async () => {
    const server = fakeServer([429]);
    const waits: number[] = [];
    const t = new LimitedTransport(server, {
      limiter: { take: () => Promise.resolve() },
      max429Retries: 3,
      fallbackRetryMs: 100,
      sleep: (ms) => Promise.resolve(void waits.push(ms)),
    });
    const res = await t.send(request());
    assert.equal(res.httpStatusCode, 429);
    assert.equal(server.sent, 4);
    assert.deepEqual(waits, [100, 200, 400], 'exponential fallback without Retry-After');
  });

  it('parses both forms of Retry-After', () => {
    assert.equal(retryAfterMs('3'), 3000);
    assert.equal(retryAfterMs(new Date(10_000).toUTCString(), 4_000), 6000);
    assert.equal(retryAfterMs('soon'), undefined);
    assert.equal(retryAfterMs(undefined), undefined);
  });
});
