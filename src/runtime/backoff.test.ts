import assert from 'node:assert/strict';
import { Backoff, exponentialBackoff } from './backoff.ts';

describe('backoff', () => {
  it('grows by the factor from baseMs and stops at maxMs', () => {
    const d = exponentialBackoff({ baseMs: 5, maxMs: 1_000_000 });
    assert.deepEqual([0, 1, 2, 3, 10].map(d), [5, 10, 20, 40, 5120]);
    assert.equal(d(17), 655_360);
    assert.equal(d(18), 1_000_000);
    assert.equal(d(5000), 1_000_000, 'no overflow to Infinity/NaN');
  });

  it('supports other factors, a zero base, and clamps odd attempt numbers', () => {
    assert.deepEqual(
      [0, 1, 2, 3].map(exponentialBackoff({ baseMs: 1000, maxMs: 30_000, factor: 3 })),
      [1000, 3000, 9000, 27_000],
    );
    assert.equal(exponentialBackoff({ baseMs: 0, maxMs: 10 })(1e6), 0);
    const d = exponentialBackoff({ baseMs: 100, maxMs: 1000 });
    assert.equal(d(-3), 100);
    assert.equal(d(1.7), 200);
  });

  it('jitter only shortens the delay, within [d·(1−jitter), d]', () => {
    const at = (r: number) => exponentialBackoff({ baseMs: 1000, maxMs: 4000, jitter: 0.5, random: () => r });
    assert.equal(at(0)(1), 2000);
    assert.equal(at(0.5)(1), 1500);
    assert.equal(at(0.999)(5), 4000 * (1 - 0.5 * 0.999));
    const real = exponentialBackoff({ baseMs: 1000, maxMs: 4000, jitter: 1 });
    for (let i = 0; i < 200; i++) {
      const v = real(10);
      assert.ok(v >= 0 && v <= 4000, `${v} out of range`);
    }
  });

  it('rejects impossible options', () => {
    assert.throws(() => exponentialBackoff({ baseMs: 10, maxMs: 5 }), RangeError);
    assert.throws(() => exponentialBackoff({ baseMs: -1, maxMs: 5 }), RangeError);
    assert.throws(() => exponentialBackoff({ baseMs: 1, maxMs: 5, factor: 0.5 }), RangeError);
    assert.throws(() => exponentialBackoff({ baseMs: 1, maxMs: 5, jitter: 2 }), RangeError);
  });

  it('Backoff counts attempts until reset', () => {
    const b = new Backoff({ baseMs: 1000, maxMs: 30_000 });
    assert.deepEqual([b.next(), b.next(), b.next()], [1000, 2000, 4000]);
    assert.equal(b.attempts, 3);
    for (let i = 0; i < 10; i++) b.next();
    assert.equal(b.next(), 30_000);
    b.reset();
    assert.equal(b.attempts, 0);
    assert.equal(b.next(), 1000);
  });
});
