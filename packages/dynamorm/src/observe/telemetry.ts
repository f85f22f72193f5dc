import { DynamORMError } from '../errors/errors.js';
import type { Outcome, Sink } from './pipeline.js';

// The few parts of @opentelemetry/api's Tracer and Meter DynamORM uses, written out so that no
// public type needs the package: a real Tracer and Meter fit them.
type Attributes = Record<string, string | number | boolean | string[] | undefined>;
/** A span, as `@opentelemetry/api`'s Span. */
export interface TelemetrySpan {
  setAttributes(attributes: Attributes): unknown;
  addEvent(name: string, attributes?: Attributes, time?: number): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  recordException(exception: Error): void;
  end(endTime?: number): void;
}
/** A tracer, as `@opentelemetry/api`'s Tracer. */
export interface TelemetryTracer {
  startSpan(name: string, options?: { kind?: number; startTime?: number; attributes?: Attributes }, context?: never): TelemetrySpan;
}
/** A meter, as `@opentelemetry/api`'s Meter. */
export interface TelemetryMeter {
  createHistogram(name: string, options?: { unit?: string; description?: string }): { record(value: number, attributes?: Attributes): void };
  createCounter(name: string, options?: { unit?: string; description?: string }): { add(value: number, attributes?: Attributes): void };
}

/**
 * OpenTelemetry through `@opentelemetry/api` (an optional peer dependency): a span per operation
 * (`User.query`), a child span per request it sends, and metrics. The tracer and meter default to the global providers' (`dynamorm`); `false` turns
 * either off.
 */
export interface TelemetryOptions {
  readonly tracer?: TelemetryTracer | false | undefined;
  readonly meter?: TelemetryMeter | false | undefined;
}

type Api = typeof import('@opentelemetry/api');
type Counter = ReturnType<TelemetryMeter['createCounter']>;
interface Instruments { duration: ReturnType<TelemetryMeter['createHistogram']>; rcu: Counter; wcu: Counter; itemsRead: Counter; itemsReturned: Counter; throttles: Counter; retries: Counter }

/** Spans and metrics of every request, once `@opentelemetry/api` is loaded (`ready`). */
export class Telemetry implements Sink {
  readonly ready: Promise<void>;
  private api: Api | undefined;
  private tracer: TelemetryTracer | undefined;
  private instruments: Instruments | undefined;

  constructor(options: TelemetryOptions) {
    this.ready = import('@opentelemetry/api').then((api) => {
      this.api = api;
      this.tracer = options.tracer === false ? undefined : options.tracer ?? api.trace.getTracer('dynamorm');
      const meter = options.meter === false ? undefined : options.meter ?? api.metrics.getMeter('dynamorm');
      if (meter !== undefined) this.instruments = instruments(meter);
    }, (cause: unknown) => {
      throw new DynamORMError('telemetry.apiMissing', 'telemetry needs the package @opentelemetry/api, which is not installed: npm install @opentelemetry/api (or leave telemetry out of the ORM config)', { op: 'telemetry', model: undefined, cause });
    });
    // Reported by the first request; an unhandled rejection here would end the process.
    this.ready.catch(() => {});
  }

  record(o: Outcome): void {
    const { request, error, capacity, items } = o;
    const common: Attributes = { 'db.system': 'dynamodb', 'db.operation': request.command, 'db.operation.name': request.command, 'dynamorm.model': request.model, 'dynamorm.operation': request.operation };
    if (this.instruments !== undefined) {
      const m = this.instruments;
      const labels = error === undefined ? common : { ...common, 'error.type': error.code };
      m.duration.record(o.durationMs / 1000, labels);
      if (capacity !== undefined) {
        if (capacity.rcu > 0) m.rcu.add(capacity.rcu, common);
        if (capacity.wcu > 0) m.wcu.add(capacity.wcu, common);
      }
      if (items.read > 0) m.itemsRead.add(items.read, common);
      if (items.returned > 0) m.itemsReturned.add(items.returned, common);
      if (o.throttles > 0) m.throttles.add(o.throttles, common);
      if (o.retries > 0) m.retries.add(o.retries, common);
    }
    o.trace?.add(o);
    if (this.tracer === undefined) return;
    const api = this.api!;
    const end = Date.now();
    const input = request.input as { Limit?: number; ConsistentRead?: boolean; ProjectionExpression?: string };
    const span = this.tracer.startSpan(`${request.command} ${request.tables.join(' ')}`.trim(), {
      kind: api.SpanKind.CLIENT,
      startTime: end - o.durationMs,
      attributes: {
        ...common,
        'aws.dynamodb.table_names': [...request.tables],
        'aws.dynamodb.index_name': request.index,
        'aws.dynamodb.limit': input.Limit,
        'aws.dynamodb.consistent_read': input.ConsistentRead,
        'aws.dynamodb.projection': input.ProjectionExpression,
        'dynamorm.attempt': request.attempt,
        'dynamorm.attempts': o.attempts,
      },
    }, (o.trace === undefined ? api.context.active() : api.trace.setSpan(api.context.active(), o.trace.span as never)) as never);
    const reported = (o.response as { ConsumedCapacity?: unknown } | undefined)?.ConsumedCapacity;
    span.setAttributes({
      'aws.dynamodb.consumed_capacity': reported === undefined ? undefined : [reported].flat().map((c) => JSON.stringify(c)),
      'aws.dynamodb.count': items.returned,
      'aws.dynamodb.scanned_count': items.read,
      'dynamorm.rcu': capacity?.rcu,
      'dynamorm.wcu': capacity?.wcu,
      'dynamorm.throttles': o.throttles,
    });
    // Each retried attempt, the SDK's or a batch round's, as an event at the time it started.
    if (o.retried !== undefined) span.addEvent('dynamorm.retry', retryAttributes(request.attempt, o.retried.error, o.retried.delayMs), end - o.durationMs);
    for (const r of o.retryLog ?? []) span.addEvent('dynamorm.retry', retryAttributes(r.attempt, r.error, r.delayMs), r.time);
    if (error !== undefined) failed(span, error, api.SpanStatusCode.ERROR);
    span.end(end);
  }

  /**
   * Runs one ORM operation in its span (`User.query`), active while it runs, so its requests' spans
   * are its children; undefined to `run` when spans are off (tracer: false).
   */
  async operation<T>(op: string, model: string | undefined, run: (trace: OperationTrace | undefined) => Promise<T>): Promise<T> {
    const trace = await this.begin(op, model);
    if (trace === undefined) return run(undefined);
    const api = this.api!;
    try {
      const result = await api.context.with(api.trace.setSpan(api.context.active(), trace.span as never), () => run(trace));
      trace.end(undefined);
      return result;
    } catch (error) {
      trace.end(error);
      throw error;
    }
  }

  /**
   * Starts an operation's span, under the active span, for a caller that ends it: an iteration,
   * whose span lasts from its first page to the end of its loop. Undefined when spans are off.
   */
  async begin(op: string, model: string | undefined): Promise<OperationTrace | undefined> {
    await this.ready;
    if (this.tracer === undefined) return undefined;
    const api = this.api!;
    const span = this.tracer.startSpan(`${model ?? 'DynamORM'}.${READS.has(op) ? 'query' : op}`, {
      kind: api.SpanKind.CLIENT,
      attributes: { 'db.system': 'dynamodb', 'dynamorm.model': model, 'dynamorm.operation': op },
    }, api.context.active() as never);
    return new OperationTrace(span, api.SpanStatusCode.ERROR);
  }
}

// The builder's reads, which a span names after what they are: a query.
const READS: ReadonlySet<string> = new Set(['all', 'first', 'page', 'count']);

const retryAttributes = (attempt: number, error: unknown, delayMs: number | undefined): Attributes => ({
  'dynamorm.attempt': attempt,
  'error.type': (error as { code?: string } | undefined)?.code ?? (error as { name?: string } | undefined)?.name ?? ((error as { unprocessed?: number } | undefined)?.unprocessed !== undefined ? 'unprocessed' : undefined),
  'dynamorm.unprocessed': (error as { unprocessed?: number } | undefined)?.unprocessed,
  'dynamorm.delay_ms': delayMs,
});

/** Marks a span failed: the exception, its code as error.type, and the ERROR status (`errorStatus`, the API's SpanStatusCode.ERROR). */
function failed(span: TelemetrySpan, error: unknown, errorStatus: number): void {
  const e = error instanceof Error ? error : new Error(String(error));
  span.recordException(e);
  span.setAttributes({ 'error.type': (error as { code?: string }).code ?? e.name });
  span.setStatus({ code: errorStatus, message: e.message });
}

/** One operation's span and the totals of the requests it sent, set on the span when it ends. */
export class OperationTrace {
  private readonly commands = new Set<string>();
  private readonly tables = new Set<string>();
  private readonly indexes = new Set<string>();
  private requests = 0;
  private retries = 0;
  private rcu = 0;
  private wcu = 0;
  private read = 0;
  private returned = 0;
  private capacity = false;

  /** `errorStatus`: the API's SpanStatusCode.ERROR, set on failure. */
  constructor(readonly span: TelemetrySpan, private readonly errorStatus: number) {}

  add(o: Outcome): void {
    const { request } = o;
    this.commands.add(request.command);
    for (const t of request.tables) this.tables.add(t);
    if (request.index !== undefined) this.indexes.add(request.index);
    this.requests++;
    this.retries += o.retries;
    if (o.capacity !== undefined) {
      this.capacity = true;
      this.rcu += o.capacity.rcu;
      this.wcu += o.capacity.wcu;
    }
    this.read += o.items.read;
    this.returned += o.items.returned;
  }

  end(error: unknown): void {
    const commands = [...this.commands].join(' ');
    this.span.setAttributes({
      'db.operation': commands || undefined,
      'db.operation.name': commands || undefined,
      'aws.dynamodb.table_names': [...this.tables],
      'aws.dynamodb.index_name': this.indexes.size === 1 ? [...this.indexes][0] : undefined,
      'aws.dynamodb.count': this.returned,
      'aws.dynamodb.scanned_count': this.read,
      'dynamorm.rcu': this.capacity ? this.rcu : undefined,
      'dynamorm.wcu': this.capacity ? this.wcu : undefined,
      'dynamorm.requests': this.requests,
      'dynamorm.retries': this.retries,
    });
    if (error !== undefined) failed(this.span, error, this.errorStatus);
    this.span.end();
  }
}

function instruments(meter: TelemetryMeter): Instruments {
  const counter = (name: string, unit: string, description: string) => meter.createCounter(name, { unit, description });
  return {
    duration: meter.createHistogram('db.client.operation.duration', { unit: 's', description: 'Duration of DynamoDB requests, retries included' }),
    rcu: counter('dynamorm.capacity.read_units', '{unit}', 'Read capacity units consumed'),
    wcu: counter('dynamorm.capacity.write_units', '{unit}', 'Write capacity units consumed'),
    itemsRead: counter('dynamorm.items.read', '{item}', 'Items DynamoDB read (and charged for)'),
    itemsReturned: counter('dynamorm.items.returned', '{item}', 'Items DynamoDB returned after filters'),
    throttles: counter('dynamorm.throttles', '{attempt}', 'Attempts DynamoDB throttled'),
    retries: counter('dynamorm.retries', '{attempt}', 'Attempts beyond the first'),
  };
}
