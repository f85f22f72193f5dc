import type { CachedItem, CacheStore } from './store.js';

/**
 * The read cache in this process: at most `maxItems` entries, the least recently used evicted
 * first, each expiring `ttlMs` after it was stored. A Map keeps insertion order, so moving a used
 * entry to the end makes the first one the least recently used: no dependency needed for that.
 */
export class MemoryStore implements CacheStore {
  private readonly entries = new Map<string, { readonly item: CachedItem; readonly expires: number }>();
  private evictions = 0;

  constructor(private readonly maxItems: number) {}

  async get(keys: readonly string[]): Promise<readonly (CachedItem | undefined)[]> {
    const now = Date.now();
    return keys.map((key) => {
      const entry = this.entries.get(key);
      if (entry === undefined) return undefined;
      this.entries.delete(key);
      if (entry.expires <= now) return undefined;
      this.entries.set(key, entry);
      return entry.item;
    });
  }

  async set(entries: readonly (readonly [string, CachedItem])[], ttlMs: number): Promise<void> {
    const expires = Date.now() + ttlMs;
    for (const [key, item] of entries) {
      this.entries.delete(key);
      this.entries.set(key, { item, expires });
      if (this.entries.size > this.maxItems) {
        this.entries.delete(this.entries.keys().next().value!);
        this.evictions++;
      }
    }
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (const key of keys) this.entries.delete(key);
  }

  stats(): { items: number; evictions: number } {
    return { items: this.entries.size, evictions: this.evictions };
  }
}
