// OpenTelemetry on DynamoDB Local: a span per ORM operation under the caller's active span, a
// child span per request it sends (retried attempts and batch rounds as events and spans), each
// with the database conventions' attributes (in the SDK's InMemorySpanExporter), errors as span
// status, and metrics read back by an in-memory metric reader.
import { context, trace, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { AggregationTemporality, MeterProvider, MetricReader, type DataPoint, type Histogram } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DynamORM, model, t } from 'dynamorm';
import { endpoint } from './support/dynamo.js';
import { startFaultProxy } from './support/fault-proxy.js';
import { rejection, uniquePrefix } from './support/inspect.js';
import { throttleNext } from './support/throttle.js';

/** Collects on demand: what a periodic reader would export, read in the test. */
class InMemoryReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected async onShutdown(): Promise<void> {}
  protected async onForceFlush(): Promise<void> {}
}

const exporter = new InMemorySpanExporter();
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const reader = new InMemoryReader();
const meterProvider = new MeterProvider({ readers: [reader] });
const contextManager = new AsyncLocalStorageContextManager().enable();
context.setGlobalContextManager(contextManager);
afterAll(() => void context.disable());

const Event = model('Event', { table: 'events', attributes: { stream: t.string().pk(), seq: t.number().sk(), kind: t.string().index('gsi-kind', 'pk') } });
const orm = new DynamORM({ endpoint: endpoint(), autoMigrate: true, tablePrefix: uniquePrefix('otel'), telemetry: { tracer: tracerProvider.getTracer('test'), meter: meterProvider.getMeter('test') } });

beforeAll(async () => {
  await orm.model(Event).batchPut(Array.from({ length: 10 }, (_, seq) => ({ stream: 's1', seq, kind: seq < 3 ? 'open' : 'other' })));
  exporter.reset();
});

describe('spans', () => {
  test('one span per operation under the caller\'s span, one child span per request, following the database conventions', async () => {
    const parent = tracerProvider.getTracer('app').startSpan('GET /events');
    const found = await context.with(trace.setSpan(context.active(), parent), () => orm.model(Event).where('kind', '=', 'open').all());
    parent.end();
    expect(found).toHaveLength(3);
    const spans = exporter.getFinishedSpans().filter((s) => s.name !== 'GET /events');
    expect(spans.map((s) => s.name).sort()).toEqual(['Event.query', `Query ${orm.tableName(Event)}`]);
    const operation = spans.find((s) => s.name === 'Event.query')!;
    const span = spans.find((s) => s.name !== 'Event.query')!;
    expect(operation.kind).toBe(SpanKind.CLIENT);
    expect(operation.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    // The database conventions, on the operation (its requests' totals) and on its one request alike.
    const conventions = {
      'db.system': 'dynamodb', 'db.operation': 'Query', 'db.operation.name': 'Query',
      'aws.dynamodb.table_names': [orm.tableName(Event)], 'aws.dynamodb.index_name': 'gsi-kind',
      'aws.dynamodb.count': 3, 'aws.dynamodb.scanned_count': 3, 'dynamorm.model': 'Event',
    };
    expect(operation.attributes).toMatchObject({ ...conventions, 'dynamorm.operation': 'all', 'dynamorm.requests': 1, 'dynamorm.retries': 0 });
    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(span.parentSpanContext?.spanId).toBe(operation.spanContext().spanId);
    expect(span.attributes).toMatchObject({ ...conventions, 'dynamorm.operation': 'query', 'dynamorm.attempts': 1 });
    const consumed = (span.attributes['aws.dynamodb.consumed_capacity'] as string[]).map((c) => JSON.parse(c) as { CapacityUnits: number; TableName: string });
    expect(consumed).toEqual([expect.objectContaining({ TableName: orm.tableName(Event), CapacityUnits: span.attributes['dynamorm.rcu'] })]);
    expect(span.attributes['dynamorm.rcu']).toBeGreaterThan(0);
    expect(operation.attributes['dynamorm.rcu']).toBe(span.attributes['dynamorm.rcu']);
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(operation.status.code).toBe(SpanStatusCode.UNSET);
  });

  test('a failed operation: error status, the error code and the exception, on the operation and its request', async () => {
    exporter.reset();
    await rejection(orm.model(Event).create({ stream: 's1', seq: 1, kind: 'open' }));
    const spans = exporter.getFinishedSpans();
    expect(spans.map((s) => s.name).sort()).toEqual(['Event.create', `PutItem ${orm.tableName(Event)}`]);
    for (const span of spans) {
      // The request's error is DynamoDB's; the operation's is what create() rejects with.
      expect(span.status).toMatchObject({ code: SpanStatusCode.ERROR, message: expect.stringMatching(span.name === 'Event.create' ? /already exists \(put\(\) replaces it\)/ : /the condition did not hold/) });
      expect(span.attributes['error.type']).toBe('condition.failed');
      expect(span.events.map((e) => e.name)).toEqual(['exception']);
    }
  });
});

describe('metrics', () => {
  test('duration histogram, capacity and item counters by model and operation', async () => {
    await orm.model(Event).where('stream', '=', 's1').filter('kind = :k', { k: 'other' }).all();
    const { resourceMetrics } = await reader.collect();
    const metrics = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics);
    const named = (name: string) => metrics.find((m) => m.descriptor.name === name)!;
    const forQuery = <T>(points: DataPoint<T>[]) => points.filter((p) => p.attributes['dynamorm.model'] === 'Event' && p.attributes['dynamorm.operation'] === 'query');
    const durations = forQuery(named('db.client.operation.duration').dataPoints as DataPoint<Histogram>[]);
    expect(named('db.client.operation.duration').descriptor.unit).toBe('s');
    expect(durations.reduce((n, p) => n + p.value.count, 0)).toBe(2);
    expect(forQuery(named('dynamorm.items.read').dataPoints as DataPoint<number>[])[0]!.value).toBe(13);
    expect(forQuery(named('dynamorm.items.returned').dataPoints as DataPoint<number>[])[0]!.value).toBe(10);
    expect(forQuery(named('dynamorm.capacity.read_units').dataPoints as DataPoint<number>[])[0]!.value).toBeGreaterThan(0);
    const failed = (named('db.client.operation.duration').dataPoints as DataPoint<Histogram>[]).find((p) => p.attributes['error.type'] === 'condition.failed');
    expect(failed?.attributes).toMatchObject({ 'dynamorm.model': 'Event', 'dynamorm.operation': 'create', 'db.system': 'dynamodb' });
  });
});

describe('spans of pages, retries and batch rounds', () => {
  test('a paged read: one operation span, a child per page', async () => {
    exporter.reset();
    const page = await orm.model(Event).where('stream', '=', 's1').limit(4).page();
    await orm.model(Event).where('stream', '=', 's1').filter('kind = :k', { k: 'other' }).limit(2).all();
    expect(page.items).toHaveLength(4);
    const spans = exporter.getFinishedSpans();
    const operations = spans.filter((s) => s.name === 'Event.query');
    expect(operations.map((o) => o.attributes['dynamorm.operation'])).toEqual(['page', 'all']);
    const pages = operations.map((o) => spans.filter((s) => s.parentSpanContext?.spanId === o.spanContext().spanId));
    expect(pages[0]).toHaveLength(1);
    // The filter dropped the first two items: the read paged on with growing limits.
    expect(pages[1]!.length).toBeGreaterThan(1);
    expect(operations[1]!.attributes['dynamorm.requests']).toBe(pages[1]!.length);
    expect(operations[1]!.attributes['aws.dynamodb.scanned_count']).toBe(pages[1]!.reduce((n, s) => n + (s.attributes['aws.dynamodb.scanned_count'] as number), 0));
  });

  test('iterate(): one operation span from its first page to the end of the loop, a child per page, ended by a break too', async () => {
    exporter.reset();
    const parent = tracerProvider.getTracer('app').startSpan('job');
    const seen: number[] = [];
    await context.with(trace.setSpan(context.active(), parent), async () => {
      for await (const e of orm.model(Event).where('stream', '=', 's1').iterate()) {
        seen.push(e.seq);
        // The loop body is the caller's code: the iteration's span is not active in it.
        expect(trace.getActiveSpan()).toBe(parent);
      }
    });
    parent.end();
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const spans = exporter.getFinishedSpans();
    const operation = spans.find((s) => s.name === 'Event.iterate')!;
    expect(operation.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    const pages = spans.filter((s) => s.parentSpanContext?.spanId === operation.spanContext().spanId);
    expect(pages.length).toBeGreaterThanOrEqual(1);
    expect(pages.every((s) => s.name === `Query ${orm.tableName(Event)}`)).toBe(true);
    expect(operation.attributes).toMatchObject({ 'db.operation': 'Query', 'dynamorm.operation': 'iterate', 'dynamorm.model': 'Event', 'dynamorm.requests': pages.length, 'aws.dynamodb.count': 10 });
    expect(operation.status.code).toBe(SpanStatusCode.UNSET);

    // A loop left early ends the span there, with the page read so far.
    exporter.reset();
    for await (const e of orm.model(Event).where('stream', '=', 's1').iterate()) if (e.seq === 1) break;
    const left = exporter.getFinishedSpans().filter((s) => s.name === 'Event.iterate');
    expect(left).toHaveLength(1);
    expect(left[0]!.attributes).toMatchObject({ 'dynamorm.requests': 1, 'aws.dynamodb.count': 10 });
  });

  test('retried attempts are events of the request span; the operation counts them', async () => {
    exporter.reset();
    throttleNext(orm.client!, 'GetItem', 2);
    await orm.model(Event).where('stream', '=', 's1').where('seq', '=', 2).first();
    const spans = exporter.getFinishedSpans();
    const operation = spans.find((s) => s.name === 'Event.query')!;
    const request = spans.find((s) => s.name === `GetItem ${orm.tableName(Event)}`)!;
    expect(request.parentSpanContext?.spanId).toBe(operation.spanContext().spanId);
    expect(request.events.map((e) => [e.name, e.attributes?.['dynamorm.attempt'], e.attributes?.['error.type']])).toEqual([
      ['dynamorm.retry', 2, 'ProvisionedThroughputExceededException'],
      ['dynamorm.retry', 3, 'ProvisionedThroughputExceededException'],
    ]);
    expect(request.attributes).toMatchObject({ 'dynamorm.attempts': 3, 'dynamorm.throttles': 2 });
    expect(operation.attributes).toMatchObject({ 'db.operation': 'GetItem', 'dynamorm.requests': 1, 'dynamorm.retries': 2 });
  });

  test('batch rounds re-sending unprocessed items: a child span each, with the retry as an event', async () => {
    const proxy = await startFaultProxy(endpoint());
    try {
      const batched = new DynamORM({ endpoint: proxy.endpoint, tablePrefix: orm.tableName(Event).slice(0, -'events'.length), retry: { baseDelayMs: 1, maxDelayMs: 5 }, maxRetries: 10, telemetry: { tracer: tracerProvider.getTracer('test'), meter: false } });
      proxy.set({ unprocessed: 0.5, only: ['BatchWriteItem'] }, 3);
      exporter.reset();
      const result = await batched.model(Event).batchPut(Array.from({ length: 30 }, (_, seq) => ({ stream: 's2', seq, kind: 'x' })));
      expect(result.retries).toBeGreaterThan(0);
      const spans = exporter.getFinishedSpans();
      const operation = spans.find((s) => s.name === 'Event.batchPut')!;
      const requests = spans.filter((s) => s.parentSpanContext?.spanId === operation.spanContext().spanId);
      expect(requests.every((s) => s.name === `BatchWriteItem ${orm.tableName(Event)}`)).toBe(true);
      const rounds = requests.filter((s) => (s.attributes['dynamorm.attempt'] as number) > 1);
      expect(rounds).toHaveLength(result.retries);
      expect(rounds.every((s) => s.events.some((e) => e.name === 'dynamorm.retry' && e.attributes?.['error.type'] === 'unprocessed' && (e.attributes['dynamorm.unprocessed'] as number) > 0))).toBe(true);
      expect(operation.attributes).toMatchObject({ 'db.operation': 'BatchWriteItem', 'dynamorm.requests': requests.length, 'dynamorm.retries': result.retries });
    } finally {
      await proxy.close();
    }
  });
});
