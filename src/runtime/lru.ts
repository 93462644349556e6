// A size-bounded map that drops the least recently used entry: for memos whose entries can always be
// recomputed, so memory stays bounded however many objects the operator holds.
export class Lru<K, V> {
  private readonly entries = new Map<K, V>();
  readonly max: number;

  constructor(max: number) {
    if (!(max >= 1)) throw new RangeError('lru: max must be >= 1');
    this.max = max;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    const v = this.entries.get(key);
    if (v === undefined) return undefined;
    // Map keeps insertion order: re-inserting makes this the most recent.
    this.entries.delete(key);
    this.entries.set(key, v);
    return v;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as K);
  }

  delete(key: K): void {
    this.entries.delete(key);
  }
}
