import assert from 'node:assert/strict';
import { Lru } from './lru.ts';

describe('Lru', () => {
  it('keeps at most max entries, dropping the least recently used', () => {
    const lru = new Lru<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    assert.equal(lru.get('a'), 1); // a is now the most recent
    lru.set('c', 3);
    assert.equal(lru.size, 2);
    assert.equal(lru.get('b'), undefined);
    assert.equal(lru.get('a'), 1);
    assert.equal(lru.get('c'), 3);
    lru.set('a', 10); // an update refreshes too
    lru.set('d', 4);
    assert.equal(lru.get('c'), undefined);
    assert.equal(lru.get('a'), 10);
    lru.delete('a');
    assert.equal(lru.get('a'), undefined);
    assert.throws(() => new Lru(0), RangeError);
  });
});
