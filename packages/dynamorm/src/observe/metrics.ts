import type { Percentiles } from './histogram.js';
import { Tally } from './tally.js';
import type { Outcome, Sink } from './pipeline.js';

/** The numbers of one model and operation (`orm.metrics().User.query`). */
export interface OperationMetrics {
  /** Requests sent (a paged query: one per page). */
  readonly requests: number;
  readonly errors: number;
  /** Failed requests by error code (`condition.failed`, `dynamodb.ProvisionedThroughputExceededException`…). */
  readonly errorsByCode: Readonly<Record<string, number>>;
  /** Attempts DynamoDB throttled, those the SDK retried included. */
  readonly throttles: number;
  /** Attempts beyond the first: the SDK's retries, and each batch round or transaction the ORM sent again. */
  readonly retries: number;
  /** Request latency, retries included. */
  readonly latencyMs: Percentiles;
  readonly rcu: number;
  readonly wcu: number;
  /** Items DynamoDB read (and charged for) against those it returned after filters. */
  readonly itemsRead: number;
  readonly itemsReturned: number;
}

/** Per model name (`*` for requests of several models), per operation. */
export type MetricsSnapshot = Readonly<Record<string, Readonly<Record<string, OperationMetrics>>>>;

class Entry extends Tally {
  errorsByCode: Record<string, number> = {};
  throttles = 0;
  retries = 0;

  snapshot(): OperationMetrics {
    const { requests, errors, throttles, retries, rcu, wcu, itemsRead, itemsReturned } = this;
    return { requests, errors, errorsByCode: { ...this.errorsByCode }, throttles, retries, latencyMs: this.latency.percentiles(), rcu, wcu, itemsRead, itemsReturned };
  }
}

/** Counts every request by model and operation (`enableMetrics`). */
export class Metrics implements Sink {
  private readonly models = new Map<string, Map<string, Entry>>();

  record(o: Outcome): void {
    const name = o.request.model ?? '*';
    let ops = this.models.get(name);
    if (ops === undefined) this.models.set(name, (ops = new Map()));
    let e = ops.get(o.request.operation);
    if (e === undefined) ops.set(o.request.operation, (e = new Entry()));
    e.add(o);
    e.retries += o.retries;
    e.throttles += o.throttles;
    if (o.error !== undefined) e.errorsByCode[o.error.code] = (e.errorsByCode[o.error.code] ?? 0) + 1;
  }

  snapshot(): MetricsSnapshot {
    const out: Record<string, Record<string, OperationMetrics>> = {};
    for (const [model, ops] of this.models) {
      const row: Record<string, OperationMetrics> = (out[model] = {});
      for (const [op, e] of ops) row[op] = e.snapshot();
    }
    return out;
  }
}
