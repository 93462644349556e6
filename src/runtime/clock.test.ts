import assert from 'node:assert/strict';
import { FakeClock, delay, realClock } from './clock.ts';

describe('clock', () => {
  it('FakeClock fires timers in time order, then insertion order, and honours cancel', () => {
    const clock = new FakeClock({ start: 100 });
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('b@30'), 30);
    clock.setTimeout(() => fired.push('a@10'), 10);
    clock.setTimeout(() => fired.push('c@30'), 30);
    const cancel = clock.setTimeout(() => fired.push('cancelled'), 20);
    cancel();
    clock.advance(29);
    assert.deepEqual(fired, ['a@10']);
    assert.equal(clock.now(), 129);
    clock.advance(1);
    assert.deepEqual(fired, ['a@10', 'b@30', 'c@30']);
    assert.equal(clock.pending(), 0);
  });

  it('FakeClock runs timers scheduled by timers within the same advance', () => {
    const clock = new FakeClock();
    const seen: number[] = [];
    clock.setTimeout(() => {
      seen.push(clock.now());
      clock.setTimeout(() => seen.push(clock.now()), 5);
    }, 5);
    clock.advance(10);
    assert.deepEqual(seen, [5, 10]);
  });

  it('wallNow moves with now', () => {
    const clock = new FakeClock({ wallStart: Date.UTC(2031, 5, 1) });
    clock.advance(1234);
    assert.equal(clock.wallNow(), Date.UTC(2031, 5, 1) + 1234);
  });

  it('tick lets async code between timers progress', async () => {
    const clock = new FakeClock();
    const stamps: number[] = [];
    const loop = (async () => {
      for (let i = 0; i < 3; i++) {
        await delay(clock, 100);
        await Promise.resolve();
        stamps.push(clock.now());
      }
    })();
    await clock.tick(1000);
    await loop;
    assert.deepEqual(stamps, [100, 200, 300]);
    assert.equal(clock.now(), 1000);
  });

  it('delay resolves early on abort and clears its timer', async () => {
    const clock = new FakeClock();
    const ac = new AbortController();
    const p = delay(clock, 10_000, ac.signal);
    assert.equal(clock.pending(), 1);
    ac.abort();
    await p;
    assert.equal(clock.pending(), 0);
    await delay(clock, 10, ac.signal); // already aborted: immediate
  });

  it('realClock is monotonic and its timers can be cancelled', async () => {
    const a = realClock.now();
    let fired = false;
    realClock.setTimeout(() => (fired = true), 0)();
    await new Promise((r) => setTimeout(r, 5));
    assert.equal(fired, false);
    assert.ok(realClock.now() >= a);
  });
});
