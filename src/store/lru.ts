/**
 * A map that forgets its least recently used entries past a budget, each entry costing what
 * `size` says. What it holds never changes once written (store bodies, records), so a cached
 * entry is never stale: forgetting only costs a read.
 */
export class Lru<K, V> {
  private readonly entries = new Map<K, V>();
  private used = 0;

  constructor(
    private readonly budget: number,
    private readonly size: (value: V) => number,
  ) {}

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    // Re-inserted: a Map iterates in insertion order, so the oldest use comes first.
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  set(key: K, value: V): void {
    const old = this.entries.get(key);
    if (old !== undefined) {
      this.used -= this.size(old);
      this.entries.delete(key);
    }
    this.entries.set(key, value);
    this.used += this.size(value);
    for (const [oldest, entry] of this.entries) {
      if (this.used <= this.budget || oldest === key) break;
      this.entries.delete(oldest);
      this.used -= this.size(entry);
    }
  }

  delete(key: K): void {
    const old = this.entries.get(key);
    if (old === undefined) return;
    this.used -= this.size(old);
    this.entries.delete(key);
  }
}
