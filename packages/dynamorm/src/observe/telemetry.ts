import { DynamORMError } from '../errors/errors.js';
import type { Outcome, Sink } from './pipeline.js';

// The few parts of @opentelemetry/api's Tracer and Meter DynamORM uses, written out so that no
// public type needs the package: a real Tracer and Meter fit them.
type Attributes = Record<string, string | number | boolean | string[] | undefined>;
/** A span, as `@opentelemetry/api`'s Span. */
export interface TelemetrySpan {
  setAttributes(attributes: Attributes): unknown;
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
 * OpenTelemetry through `@opentelemetry/api` (an optional peer dependency): a span per request
 * and metrics. The tracer and meter default to the global providers' (`dynamorm`); `false` turns
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
    }, api.context.active() as never);
    const reported = (o.response as { ConsumedCapacity?: unknown } | undefined)?.ConsumedCapacity;
    span.setAttributes({
      'aws.dynamodb.consumed_capacity': reported === undefined ? undefined : [reported].flat().map((c) => JSON.stringify(c)),
      'aws.dynamodb.count': items.returned,
      'aws.dynamodb.scanned_count': items.read,
      'dynamorm.rcu': capacity?.rcu,
      'dynamorm.wcu': capacity?.wcu,
      'dynamorm.throttles': o.throttles,
    });
    if (error !== undefined) {
      span.recordException(error);
      span.setAttributes({ 'error.type': error.code });
      span.setStatus({ code: api.SpanStatusCode.ERROR, message: error.message });
    }
    span.end(end);
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
