import assert from 'node:assert/strict';
import { FaultInjector, seededRandom } from './faults.ts';

const call = { isPoll: false, kind: 'write' as const, subscriptionId: 'sub-1' };
const decisions = (f: FaultInjector, n: number) =>
  Array.from({ length: n }, () => f.requestFault(call)?.status ?? 200);

describe('aks emulator faults', () => {
  it('injects nothing by default', () => {
    const f = new FaultInjector();
    assert.deepEqual(decisions(f, 50), Array<number>(50).fill(200));
    assert.equal(f.operationFails(), false);
    assert.equal(f.latencyFor(false), 0);
  });

  it('repeats the same decisions for the same seed', () => {
    const faults = { throttleRate: 0.2, serverErrorRate: 0.2, seed: 42 };
    const a = decisions(new FaultInjector(faults), 200);
    const b = decisions(new FaultInjector(faults), 200);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, decisions(new FaultInjector({ ...faults, seed: 43 }), 200));
    assert.ok(a.includes(429) && a.includes(500) && a.includes(503) && a.includes(200));
  });

  it('throttles about the share of calls it is asked to', () => {
    const f = new FaultInjector({ throttleRate: 0.3, seed: 7 });
    const throttled = decisions(f, 2000).filter((s) => s === 429).length;
    assert.ok(throttled > 500 && throttled < 700, String(throttled));
  });

  it('answers 429 SubscriptionRequestsThrottled with Retry-After', () => {
    const f = new FaultInjector({ throttleNext: 1, retryAfterSeconds: 3 });
    const err = f.requestFault(call);
    assert.equal(err?.status, 429);
    assert.equal(err?.code, 'SubscriptionRequestsThrottled');
    assert.deepEqual(err?.headers, { 'retry-after': '3' });
    assert.match(err?.message ?? '', /'write' requests for subscription 'sub-1'.*after '3' seconds/);
    assert.equal(f.requestFault(call), undefined, 'throttleNext counts down');
  });

  it('answers server errors as 500 InternalServerError or 503 ServiceUnavailable with Retry-After', () => {
    const f = new FaultInjector({ serverErrorNext: 40, seed: 1 });
    const errors = Array.from({ length: 40 }, () => f.requestFault(call));
    const by = (s: number) => errors.filter((e) => e?.status === s);
    assert.ok(by(500).length > 0 && by(503).length > 0);
    assert.equal(by(500).length + by(503).length, 40);
    assert.ok(by(500).every((e) => e?.code === 'InternalServerError'));
    assert.ok(by(503).every((e) => e?.code === 'ServiceUnavailable' && e.headers['retry-after'] === '1'));
    assert.deepEqual(by(500)[0]?.body().error.code, 'InternalServerError');
  });

  it('spares operation polls unless includePolls is set', () => {
    const f = new FaultInjector({ throttleRate: 1, latencyMs: 20 });
    assert.equal(f.requestFault({ ...call, isPoll: true, kind: 'read' }), undefined);
    assert.equal(f.latencyFor(true), 0);
    assert.equal(f.latencyFor(false), 20);
    assert.equal(f.requestFault(call)?.status, 429);
    f.set({ throttleRate: 1, latencyMs: 20, includePolls: true });
    assert.equal(f.requestFault({ ...call, isPoll: true, kind: 'read' })?.status, 429);
    assert.equal(f.latencyFor(true), 20);
  });

  it('fails the next operations, then follows failOperationRate', () => {
    const f = new FaultInjector({ failNextOperations: 2 });
    assert.deepEqual([f.operationFails(), f.operationFails(), f.operationFails()], [true, true, false]);
    f.set({ failOperationRate: 1 });
    assert.equal(f.operationFails(), true);
  });

  it('rejects rates outside [0, 1]', () => {
    assert.throws(() => new FaultInjector({ throttleRate: 1.5 }), RangeError);
    assert.throws(() => new FaultInjector({ failOperationRate: -0.1 }), RangeError);
  });

  it('draws uniform numbers in [0, 1) from a seed', () => {
    const r = seededRandom(123);
    const xs = Array.from({ length: 1000 }, r);
    assert.ok(xs.every((x) => x >= 0 && x < 1));
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    assert.ok(Math.abs(mean - 0.5) < 0.05, String(mean));
  });
});
