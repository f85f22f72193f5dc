// Heavy hitters over a sliding window in bounded memory: two tumbling windows (the current one and
// the one before, weighted by how much of it the sliding window still covers), each counting at
// most CAPACITY keys with the Space-Saving algorithm (a new key past capacity takes the place, and
// the count, of the least counted one), so a key's share is never underestimated.
const CAPACITY = 64;

class Window {
  readonly counts = new Map<string, number>();
  total = 0;
  constructor(readonly start: number) {}

  add(key: string): void {
    this.total++;
    const n = this.counts.get(key);
    if (n !== undefined) {
      this.counts.set(key, n + 1);
      return;
    }
    if (this.counts.size < CAPACITY) {
      this.counts.set(key, 1);
      return;
    }
    let least: string | undefined;
    let min = Infinity;
    for (const [k, c] of this.counts) if (c < min) { min = c; least = k; }
    this.counts.delete(least!);
    this.counts.set(key, min + 1);
  }
}

/** The share of one key in the traffic of the last `windowMs`. */
export class HotKeys {
  private current: Window;
  private previous: Window | undefined;

  constructor(private readonly windowMs: number, now: number) {
    this.current = new Window(now);
  }

  /** Counts `key` and returns its share of the window's requests, and how many requests that is of. */
  add(key: string, now: number): { share: number; total: number } {
    if (now - this.current.start >= this.windowMs) {
      this.previous = now - this.current.start >= 2 * this.windowMs ? undefined : this.current;
      this.current = new Window(this.previous === undefined ? now : this.current.start + this.windowMs);
    }
    this.current.add(key);
    const weight = this.previous === undefined ? 0 : Math.max(0, 1 - (now - this.current.start) / this.windowMs);
    const total = this.current.total + weight * (this.previous?.total ?? 0);
    const count = (this.current.counts.get(key) ?? 0) + weight * (this.previous?.counts.get(key) ?? 0);
    return { share: count / total, total };
  }
}
