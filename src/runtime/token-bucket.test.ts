import assert from 'node:assert/strict';
import { FakeClock } from './clock.ts';
import { TokenBucket } from './token-bucket.ts';

describe('TokenBucket', () => {
  it('starts full, then refills at qps up to burst', () => {
    const clock = new FakeClock();
    const b = new TokenBucket({ qps: 10, burst: 3, clock });
    assert.deepEqual([b.tryTake(), b.tryTake(), b.tryTake(), b.tryTake()], [true, true, true, false]);
    clock.advance(99);
    assert.equal(b.tryTake(), false);
    clock.advance(1);
    assert.equal(b.tryTake(), true);
    clock.advance(60_000);
    assert.equal(b.tokens(), 3, 'capped at burst');
  });

  it('serves waiters first come first served, one token period apart', async () => {
    const clock = new FakeClock();
    const b = new TokenBucket({ qps: 20, burst: 1, clock });
    const served: Array<[number, number]> = [];
    const all = [0, 1, 2, 3].map((i) => b.take().then(() => served.push([i, clock.now()])));
    await clock.tick(200);
    await Promise.all(all);
    assert.deepEqual(served, [
      [0, 0],
      [1, 50],
      [2, 100],
      [3, 150],
    ]);
  });

  it('does not let tryTake overtake a queued waiter', async () => {
    const clock = new FakeClock();
    const b = new TokenBucket({ qps: 10, burst: 1, clock });
    assert.equal(b.tryTake(), true);
    let served = false;
    const p = b.take().then(() => (served = true));
    assert.equal(b.waiting, 1);
    clock.advance(100);
    assert.equal(b.tryTake(), false, 'the token went to the waiter');
    await p;
    assert.equal(served, true);
    assert.equal(b.waiting, 0);
  });

  it('an aborted waiter rejects with the reason and consumes nothing', async () => {
    const clock = new FakeClock();
    const b = new TokenBucket({ qps: 10, burst: 1, clock });
    b.tryTake();
    const ac = new AbortController();
    const first = b.take(ac.signal);
    const second = b.take();
    ac.abort(new Error('request cancelled'));
    await assert.rejects(first, /request cancelled/);
    assert.equal(b.waiting, 1);
    await clock.tick(100);
    await second;
    assert.equal(clock.now(), 100);
    await assert.rejects(b.take(ac.signal), /request cancelled/, 'already aborted');
  });

  it('the last waiter aborting cancels the timer', async () => {
    const clock = new FakeClock();
    const b = new TokenBucket({ qps: 1, burst: 1, clock });
    b.tryTake();
    const ac = new AbortController();
    const p = b.take(ac.signal);
    assert.equal(clock.pending(), 1);
    ac.abort();
    await assert.rejects(p);
    assert.equal(clock.pending(), 0);
    assert.equal(b.tryTake(), false);
  });

  it('handles thousands of waiters with a single timer, in order', async () => {
    const clock = new FakeClock();
    const b = new TokenBucket({ qps: 1000, burst: 10, clock });
    const order: number[] = [];
    const n = 5000;
    const all = Array.from({ length: n }, (_, i) => b.take().then(() => order.push(i)));
    assert.equal(b.waiting, n - 10);
    let maxTimers = 0;
    for (let t = 0; t < 5000; t++) {
      clock.advance(1);
      maxTimers = Math.max(maxTimers, clock.pending());
    }
    await Promise.all(all);
    assert.equal(maxTimers, 1);
    assert.deepEqual(
      order,
      Array.from({ length: n }, (_, i) => i),
    );
    assert.equal(b.waiting, 0);
    assert.equal(clock.pending(), 0);
  });

  it('releases several waiters per timer when qps exceeds timer resolution', async () => {
    const clock = new FakeClock();
    const b = new TokenBucket({ qps: 10_000, burst: 1, clock });
    b.tryTake();
    let served = 0;
    const all = Array.from({ length: 100 }, () => b.take().then(() => served++));
    await clock.tick(10);
    await Promise.all(all);
    assert.equal(served, 100);
    assert.ok(b.tokens() <= 1, 'capped at burst again once nobody waits');
  });

  it('reserve() takes a token now and returns the wait, going into debt', () => {
    const clock = new FakeClock();
    const b = new TokenBucket({ qps: 10, burst: 2, clock });
    assert.deepEqual([b.reserve(), b.reserve(), b.reserve(), b.reserve()], [0, 0, 100, 200]);
    clock.advance(250); // debt of 2 tokens repaid, half a token accrued
    assert.equal(b.reserve(), 50);
  });

  it('qps Infinity never limits', async () => {
    const b = new TokenBucket({ qps: Infinity, burst: 1, clock: new FakeClock() });
    for (let i = 0; i < 1000; i++) assert.equal(b.tryTake(), true);
    await b.take();
    assert.equal(b.reserve(), 0);
  });

  it('works on the real clock', async () => {
    const b = new TokenBucket({ qps: 200, burst: 1 });
    const start = performance.now();
    for (let i = 0; i < 5; i++) await b.take();
    const ms = performance.now() - start;
    assert.ok(ms >= 18 && ms < 500, `5 tokens at 200 qps took ${ms} ms`);
  });

  it('rejects impossible options', () => {
    assert.throws(() => new TokenBucket({ qps: 0, burst: 1 }), RangeError);
    assert.throws(() => new TokenBucket({ qps: 5, burst: 0 }), RangeError);
  });
});
