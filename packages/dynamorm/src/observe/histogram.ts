// Buckets grow by 2^(1/8) (9%) from 10 µs: 208 buckets reach past 60 s, and a percentile read
// from them is within 9% of the true value, in a fixed 1 KB whatever the traffic.
const MIN_MS = 0.01;
const PER_DOUBLING = 8;
const BUCKETS = 208;

export interface Percentiles {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/** A bounded log histogram of durations in milliseconds. */
export class Histogram {
  private readonly counts = new Uint32Array(BUCKETS);
  private count = 0;
  private sum = 0;
  private min = Infinity;
  private max = 0;

  add(ms: number): void {
    const i = ms <= MIN_MS ? 0 : Math.min(BUCKETS - 1, Math.ceil(Math.log2(ms / MIN_MS) * PER_DOUBLING));
    this.counts[i]!++;
    this.count++;
    this.sum += ms;
    if (ms < this.min) this.min = ms;
    if (ms > this.max) this.max = ms;
  }

  /** The upper bound of the bucket holding the q-th quantile, kept within what was seen. */
  quantile(q: number): number {
    if (this.count === 0) return 0;
    const rank = Math.ceil(q * this.count);
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(this.max, Math.max(this.min, MIN_MS * 2 ** (i / PER_DOUBLING)));
    }
    return this.max;
  }

  percentiles(): Percentiles {
    return { p50: this.quantile(0.5), p95: this.quantile(0.95), p99: this.quantile(0.99), max: this.max, mean: this.count === 0 ? 0 : this.sum / this.count };
  }
}
