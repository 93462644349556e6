import assert from 'node:assert/strict';
import { FakeClock } from './clock.ts';
import { TokenBucket } from './token-bucket.ts';
import {
  BucketRateLimiter,
  ItemExponentialRateLimiter,
  MaxOfRateLimiter,
  WorkQueue,
  defaultControllerRateLimiter,
} from './workqueue.ts';
import type { WorkQueueMetrics, WorkQueueOptions } from './workqueue.ts';

/** Settles pending promise callbacks. */
const flush = () => new Promise<void>((r) => setImmediate(r));

/** The keys get() hands out right now, without waiting (each is marked done unless keep is set). */
async function drain(q: WorkQueue, opts: { keep?: boolean } = {}): Promise<string[]> {
  const out: string[] = [];
  while (q.len() > 0) {
    const k = (await q.get())!;
    out.push(k);
    if (!opts.keep) q.done(k);
  }
  return out;
}

describe('WorkQueue', () => {
  let clock: FakeClock;
  let q: WorkQueue;
  const make = (opts: WorkQueueOptions = {}) => (q = new WorkQueue({ clock, ...opts }));

  beforeEach(() => {
    clock = new FakeClock();
    make();
  });
  afterEach(() => q.shutDown());

  describe('add/get/done', () => {
    it('hands keys out in FIFO order and de-duplicates queued keys', async () => {
      q.add('a');
      q.add('b');
      q.add('a');
      q.add('c');
      q.add('b');
      assert.equal(q.len(), 3);
      assert.deepEqual(await drain(q), ['a', 'b', 'c']);
    });

    it('never hands a key to two workers: a re-add while processing waits for done()', async () => {
      q.add('a');
      const first = await q.get();
      assert.equal(first, 'a');
      q.add('a');
      q.add('a');
      assert.equal(q.len(), 0, 'in flight: not queued again yet');
      let second: string | undefined;
      void q.get().then((k) => (second = k));
      await flush();
      assert.equal(second, undefined, 'the second worker must wait');
      q.done('a');
      await flush();
      assert.equal(second, 'a', 'requeued exactly once after done');
      assert.equal(q.len(), 0);
      q.done('a');
      assert.equal(q.len(), 0, 'not dirty anymore: nothing requeued');
    });

    it('other keys flow while one is in flight', async () => {
      q.add('a');
      await q.get();
      q.add('a');
      q.add('b');
      assert.deepEqual(await drain(q, { keep: true }), ['b']);
      q.done('a');
      assert.deepEqual(await drain(q), ['a']);
    });

    it('get() waits for an add; waiting workers are served in order', async () => {
      const got: string[] = [];
      const w1 = q.get().then((k) => got.push(`w1:${k}`));
      const w2 = q.get().then((k) => got.push(`w2:${k}`));
      await flush();
      assert.deepEqual(got, []);
      q.add('x');
      q.add('y');
      await Promise.all([w1, w2]);
      assert.deepEqual(got, ['w1:x', 'w2:y']);
      assert.equal(q.len(), 0);
    });

    it('done() of an unknown key is ignored', () => {
      q.done('nope');
      assert.equal(q.len(), 0);
    });
  });

  describe('addAfter', () => {
    it('adds when the delay elapses, in due order', async () => {
      q.addAfter('late', 200);
      q.addAfter('early', 100);
      assert.equal(q.len(), 0);
      assert.equal(q.delayedLen(), 2);
      clock.advance(99);
      assert.equal(q.len(), 0);
      clock.advance(1);
      assert.deepEqual(await drain(q), ['early']);
      clock.advance(100);
      assert.deepEqual(await drain(q), ['late']);
      assert.equal(q.delayedLen(), 0);
      assert.equal(clock.pending(), 0, 'no timer left behind');
    });

    it('the earliest time wins for a key that is already waiting', async () => {
      q.addAfter('a', 500);
      q.addAfter('a', 100);
      clock.advance(100);
      assert.deepEqual(await drain(q), ['a']);
      clock.advance(1000);
      assert.equal(q.len(), 0, 'the superseded 500 ms entry does not fire');

      q.addAfter('b', 100);
      q.addAfter('b', 500);
      clock.advance(100);
      assert.deepEqual(await drain(q), ['b']);
      clock.advance(1000);
      assert.equal(q.len(), 0, 'a later time does not add a second entry');
    });

    it('a zero or negative delay adds at once', async () => {
      q.addAfter('a', 0);
      q.addAfter('b', -5);
      assert.deepEqual(await drain(q), ['a', 'b']);
    });

    it('a due key that is already queued is not duplicated', async () => {
      q.add('a');
      q.addAfter('a', 10);
      clock.advance(10);
      assert.deepEqual(await drain(q), ['a']);
    });

    it('keeps a single timer, re-armed for an earlier key', () => {
      q.addAfter('a', 1000);
      q.addAfter('b', 10);
      q.addAfter('c', 5000);
      assert.equal(clock.pending(), 1);
      assert.equal(clock.nextAt(), 10);
    });

    it('many delayed keys come out sorted by due time', async () => {
      const delays = Array.from({ length: 200 }, (_, i) => ((i * 7919) % 1000) + 1);
      delays.forEach((d, i) => q.addAfter(`k${i}`, d));
      const out: string[] = [];
      for (let t = 0; t < 1000; t++) {
        clock.advance(1);
        out.push(...(await drain(q)));
      }
      const expected = delays
        .map((d, i) => ({ d, k: `k${i}` }))
        .sort((x, y) => x.d - y.d)
        .map((e) => e.k);
      assert.deepEqual(out, expected);
    });
  });

  describe('addCoalesced', () => {
    it('a burst of changes within the window is one pass', async () => {
      for (let i = 0; i < 5; i++) {
        q.addCoalesced('app', 250);
        clock.advance(40);
      }
      assert.equal(q.len(), 0, 'nothing before the window ends');
      clock.advance(90);
      assert.deepEqual(await drain(q), ['app']);
      clock.advance(1000);
      assert.equal(q.len(), 0, 'no second pass');
    });

    it('leaves a key alone that is already queued or re-added while in flight', async () => {
      q.add('a');
      q.addCoalesced('a', 100);
      assert.equal(q.delayedLen(), 0);
      const key = await q.get();
      q.add('a'); // in flight and dirty: it runs again after done()
      q.addCoalesced('a', 100);
      assert.equal(q.delayedLen(), 0);
      q.done(key!);
      assert.deepEqual(await drain(q), ['a']);
    });

    it('a change while the key is in flight (not re-added) brings one more pass after the window', async () => {
      q.add('a');
      const key = await q.get();
      q.addCoalesced('a', 100);
      q.done(key!);
      assert.equal(q.len(), 0);
      clock.advance(100);
      assert.deepEqual(await drain(q), ['a']);
    });
  });

  describe('rate limiting', () => {
    it('addRateLimited backs off 5 ms × 2^failures per key, capped at 1000 s', async () => {
      make({ rateLimit: { qps: Infinity } });
      const seen: number[] = [];
      for (let i = 0; i < 6; i++) {
        const before = clock.now();
        q.addRateLimited('a');
        clock.advance(clock.nextAt()! - clock.now());
        assert.deepEqual(await drain(q), ['a']);
        seen.push(clock.now() - before);
      }
      assert.deepEqual(seen, [5, 10, 20, 40, 80, 160]);
      assert.equal(q.numRequeues('a'), 6);

      const item = new ItemExponentialRateLimiter();
      const delays = Array.from({ length: 30 }, () => item.when('x'));
      assert.equal(delays[17], 655_360);
      assert.equal(delays[18], 1_000_000);
      assert.equal(delays[29], 1_000_000);
    });

    it('failures are tracked per key, and forget() resets them', () => {
      const item = new ItemExponentialRateLimiter<string>({ baseMs: 10, maxMs: 1000 });
      make({ rateLimiter: item });
      q.addRateLimited('a');
      q.addRateLimited('a');
      q.addRateLimited('b');
      assert.equal(q.numRequeues('a'), 2);
      assert.equal(q.numRequeues('b'), 1);
      q.forget('a');
      assert.equal(q.numRequeues('a'), 0);
      assert.equal(item.when('a'), 10, 'back to the base delay');
      assert.equal(item.when('b'), 20);
    });

    it('the global bucket (10 qps, burst 100) bounds the overall retry rate', () => {
      const limiter = defaultControllerRateLimiter({}, clock);
      const delays = Array.from({ length: 103 }, (_, i) => limiter.when(`k${i}`));
      assert.ok(delays.slice(0, 100).every((d) => d === 5));
      assert.deepEqual(delays.slice(100), [100, 200, 300]);
    });

    it('rate-limit parameters are configurable', () => {
      const limiter = defaultControllerRateLimiter({ baseMs: 100, maxMs: 300, qps: 1, burst: 1 }, clock);
      assert.deepEqual(
        ['a', 'a', 'a'].map((k) => limiter.when(k)),
        [100, 1000, 2000],
      );
      assert.equal(limiter.numRequeues('a'), 3);
      limiter.forget('a');
      assert.equal(limiter.numRequeues('a'), 0);
    });

    it('MaxOf takes the longest delay; Bucket keeps no per-key state', () => {
      const bucket = new BucketRateLimiter(new TokenBucket({ qps: 1, burst: 1, clock }));
      const max = new MaxOfRateLimiter(new ItemExponentialRateLimiter({ baseMs: 1, maxMs: 8 }), bucket);
      assert.equal(max.when('a'), 1);
      assert.equal(max.when('a'), 1000);
      assert.equal(bucket.numRequeues('a'), 0);
      assert.equal(max.numRequeues('a'), 2);
    });
  });

  describe('shutdown', () => {
    it('shutDown() wakes waiting workers with undefined and ignores later adds', async () => {
      const waiting = q.get();
      q.addAfter('later', 100);
      q.shutDown();
      assert.equal(await waiting, undefined);
      assert.equal(await q.get(), undefined);
      q.add('a');
      q.addAfter('b', 1);
      q.addRateLimited('c');
      assert.equal(q.len(), 0);
      assert.equal(q.delayedLen(), 0);
      assert.equal(clock.pending(), 0, 'delay timer cancelled');
      assert.equal(q.shuttingDown(), true);
    });

    it('drops queued keys; in-flight keys may still be marked done without being requeued', async () => {
      q.add('a');
      q.add('b');
      const a = (await q.get())!;
      q.add('a');
      q.shutDown();
      assert.equal(q.len(), 0);
      assert.equal(await q.get(), undefined);
      q.done(a);
      assert.equal(q.len(), 0);
    });

    it('shutDownWithDrain() resolves once every in-flight key is done', async () => {
      q.add('a');
      q.add('b');
      q.add('c');
      const a = (await q.get())!;
      const b = (await q.get())!;
      let drained = false;
      const p = q.shutDownWithDrain().then(() => (drained = true));
      assert.equal(await q.get(), undefined, 'no new work during the drain');
      q.done(a);
      await flush();
      assert.equal(drained, false);
      q.done(b);
      await p;
      assert.equal(drained, true);
      await q.shutDownWithDrain(); // idempotent
    });

    it('shutDownWithDrain() resolves at once when idle', async () => {
      q.add('a');
      await q.shutDownWithDrain();
    });
  });

  describe('metrics', () => {
    it('reports adds, depth, time in queue, work duration and retries', async () => {
      const events: string[] = [];
      const metrics: WorkQueueMetrics = {
        add: () => events.push('add'),
        depth: (n) => events.push(`depth=${n}`),
        queueDuration: (ms) => events.push(`queued=${ms}`),
        workDuration: (ms) => events.push(`work=${ms}`),
        retry: () => events.push('retry'),
      };
      make({ metrics, rateLimit: { qps: Infinity } });
      q.add('a');
      q.add('a');
      clock.advance(30);
      const k = (await q.get())!;
      clock.advance(12);
      q.done(k);
      q.addRateLimited('a');
      clock.advance(5);
      assert.deepEqual(events, [
        'add',
        'depth=1',
        'queued=30',
        'depth=0',
        'work=12',
        'retry',
        'add',
        'depth=1',
      ]);
    });

    it('inFlight() reports the unfinished work and the longest-running key', async () => {
      q.add('a');
      q.add('b');
      await q.get();
      clock.advance(100);
      await q.get();
      clock.advance(50);
      assert.deepEqual(q.inFlight(), { count: 2, unfinishedMs: 200, longestMs: 150 });
    });
  });

  it('works on the real clock', async () => {
    const real = new WorkQueue();
    real.addAfter('a', 20);
    const start = performance.now();
    assert.equal(await real.get(), 'a');
    assert.ok(performance.now() - start >= 15);
    real.done('a');
    real.shutDown();
  });
});
