import { Histogram } from './histogram.js';
import type { Outcome } from './pipeline.js';

/** What every view of traffic counts (metrics per operation, analytics per pattern). */
export class Tally {
  requests = 0;
  errors = 0;
  latency = new Histogram();
  rcu = 0;
  wcu = 0;
  itemsRead = 0;
  itemsReturned = 0;

  add(o: Outcome): void {
    this.requests++;
    if (o.error !== undefined) this.errors++;
    this.latency.add(o.durationMs);
    if (o.capacity !== undefined) {
      this.rcu += o.capacity.rcu;
      this.wcu += o.capacity.wcu;
    }
    this.itemsRead += o.items.read;
    this.itemsReturned += o.items.returned;
  }
}
