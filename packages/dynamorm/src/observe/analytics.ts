import { ValidationError } from '../errors/errors.js';
import type { AnyModel } from '../schema/model.js';
import type { AccessPattern } from './access-pattern.js';
import { adviceFor, type Advice } from './analytics-advice.js';
import { analyticsMarkdown } from './analytics-markdown.js';
import type { Percentiles } from './histogram.js';
import { Tally } from './tally.js';
import type { Outcome, Sink } from './pipeline.js';
import { requestShape } from './request-shape.js';

/** `analytics` in the ORM options. */
export interface AnalyticsOptions {
  /** The most access patterns kept (default 100): past it, the cheapest is forgotten. */
  readonly maxPatterns?: number | undefined;
}

/** One access pattern's traffic: `User Query gsi-name-age name = ? age > ?`. */
export interface PatternReport {
  /** Model, DynamoDB operation, index (`table` for the table) and shape, as one line. */
  readonly pattern: string;
  /** The model's name (`*` for a request of several models). */
  readonly model: string;
  /** The DynamoDB operation: `Query`, `Scan`, `GetItem`, `PutItem`… */
  readonly operation: string;
  /** The index read; undefined for the table. */
  readonly index: string | undefined;
  /** The conditions in the model's attribute names, every value a `?`. */
  readonly shape: string;
  /** Requests sent (a paged query: one per page). */
  readonly requests: number;
  readonly errors: number;
  /** Request latency, retries included. */
  readonly latencyMs: Percentiles;
  readonly rcu: number;
  readonly wcu: number;
  /** Items DynamoDB read (and charged for) against those it returned after filters. */
  readonly itemsRead: number;
  readonly itemsReturned: number;
  /** Read units plus write units weighted by price (a write unit costs five read units, on demand and provisioned alike). */
  readonly cost: number;
  /** This pattern's part of the cost of every pattern reported (they sum to 1). */
  readonly costShare: number;
  /** Why the planner read it this way (a query's explain() reasons); empty for other requests. */
  readonly plan: readonly string[];
  readonly advice: readonly Advice[];
}

/** `orm.analytics().report()`: every access pattern kept, the most costly first. */
export interface AnalyticsReport {
  readonly patterns: readonly PatternReport[];
  readonly totals: { readonly requests: number; readonly rcu: number; readonly wcu: number; readonly cost: number };
  /** Patterns forgotten past `maxPatterns` (the cheapest at the time), not in `patterns` nor `totals`. */
  readonly evicted: number;
}

/** Traffic grouped by access pattern (`orm.analytics()`); empty when `analytics` is off. */
export interface QueryAnalytics {
  /** The patterns as plain data, the most costly first, with advice. */
  report(): AnalyticsReport;
  /** The same report as a Markdown table with the advice below it. */
  toMarkdown(): string;
  /** Forgets every pattern. */
  reset(): void;
}

const WRITE_PRICE = 5;

class Entry extends Tally {
  constructor(readonly pattern: string, readonly model: string, readonly operation: string, readonly index: string | undefined, readonly shape: string, readonly access: AccessPattern | undefined) {
    super();
  }

  get cost(): number {
    return this.rcu + WRITE_PRICE * this.wcu;
  }
}

/** Groups requests by access pattern in bounded memory. */
export class Analytics implements Sink, QueryAnalytics {
  private readonly patterns = new Map<string, Entry>();
  private readonly maxPatterns: number;
  private evicted = 0;

  constructor(options: AnalyticsOptions, private readonly modelOf: (name: string) => AnyModel | undefined) {
    const max = options.maxPatterns ?? 100;
    if (!Number.isInteger(max) || max < 1) {
      throw new ValidationError([{ attribute: 'maxPatterns', expected: 'a positive integer', received: String(max), message: 'analytics.maxPatterns' }], { op: 'config' }, `new DynamORM: analytics.maxPatterns must be a positive integer, received ${String(max)}`);
    }
    this.maxPatterns = max;
  }

  record(o: Outcome): void {
    const { request } = o;
    const model = request.model ?? '*';
    const shape = o.access?.shape ?? requestShape(request, request.model === undefined ? undefined : this.modelOf(request.model));
    const pattern = `${model} ${request.command} ${request.index ?? 'table'}${shape === '' ? '' : ` ${shape}`}`;
    let e = this.patterns.get(pattern);
    if (e === undefined) {
      if (this.patterns.size >= this.maxPatterns) this.evictCheapest();
      this.patterns.set(pattern, (e = new Entry(pattern, model, request.command, request.index, shape, o.access)));
    }
    e.add(o);
  }

  private evictCheapest(): void {
    let cheapest: Entry | undefined;
    for (const e of this.patterns.values()) if (cheapest === undefined || e.cost < cheapest.cost || (e.cost === cheapest.cost && e.requests < cheapest.requests)) cheapest = e;
    this.patterns.delete(cheapest!.pattern);
    this.evicted++;
  }

  report(): AnalyticsReport {
    const entries = [...this.patterns.values()].sort((a, b) => b.cost - a.cost || b.requests - a.requests);
    let requests = 0, rcu = 0, wcu = 0, cost = 0;
    for (const e of entries) { requests += e.requests; rcu += e.rcu; wcu += e.wcu; cost += e.cost; }
    const patterns = entries.map((e): PatternReport => {
      const { pattern, model, operation, index, shape, access } = e;
      const totals = { rcu: e.rcu, wcu: e.wcu, itemsRead: e.itemsRead, itemsReturned: e.itemsReturned };
      return {
        pattern, model, operation, index, shape, requests: e.requests, errors: e.errors, latencyMs: e.latency.percentiles(), ...totals, cost: e.cost,
        // Without reported capacity (a mock driver), requests stand in for cost.
        costShare: cost > 0 ? e.cost / cost : e.requests / requests,
        plan: access?.reasons() ?? [],
        advice: adviceFor({ model: this.modelOf(model), command: operation, index, access, ...totals }),
      };
    });
    return { patterns, totals: { requests, rcu, wcu, cost }, evicted: this.evicted };
  }

  toMarkdown(): string {
    return analyticsMarkdown(this.report());
  }

  reset(): void {
    this.patterns.clear();
    this.evicted = 0;
  }
}

/** `orm.analytics()` with analytics off: nothing recorded. */
export const NO_ANALYTICS: QueryAnalytics = Object.freeze({
  report: (): AnalyticsReport => ({ patterns: [], totals: { requests: 0, rcu: 0, wcu: 0, cost: 0 }, evicted: 0 }),
  toMarkdown: () => analyticsMarkdown(undefined),
  reset: () => {},
});
