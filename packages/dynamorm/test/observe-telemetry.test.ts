// OpenTelemetry on DynamoDB Local: a span per request with the database conventions' attributes
// (in the SDK's InMemorySpanExporter), parented to the caller's active span, errors as span
// status, and metrics read back by an in-memory metric reader.
import { context, trace, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { AggregationTemporality, MeterProvider, MetricReader, type DataPoint, type Histogram } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DynamORM, model, t } from 'dynamorm';
import { endpoint } from './support/dynamo.js';
import { rejection, uniquePrefix } from './support/inspect.js';

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
  test('one span per request, following the database conventions, under the caller\'s span', async () => {
    const parent = tracerProvider.getTracer('app').startSpan('GET /events');
    const found = await context.with(trace.setSpan(context.active(), parent), () => orm.model(Event).where('kind', '=', 'open').all());
    parent.end();
    expect(found).toHaveLength(3);
    const spans = exporter.getFinishedSpans().filter((s) => s.name !== 'GET /events');
    expect(spans).toHaveLength(1);
    const span = spans[0]!;
    expect(span.name).toBe(`Query ${orm.tableName(Event)}`);
    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(span.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    expect(span.attributes).toMatchObject({
      'db.system': 'dynamodb', 'db.operation': 'Query', 'db.operation.name': 'Query',
      'aws.dynamodb.table_names': [orm.tableName(Event)], 'aws.dynamodb.index_name': 'gsi-kind',
      'aws.dynamodb.count': 3, 'aws.dynamodb.scanned_count': 3,
      'dynamorm.model': 'Event', 'dynamorm.operation': 'query', 'dynamorm.attempts': 1,
    });
    const consumed = (span.attributes['aws.dynamodb.consumed_capacity'] as string[]).map((c) => JSON.parse(c) as { CapacityUnits: number; TableName: string });
    expect(consumed).toEqual([expect.objectContaining({ TableName: orm.tableName(Event), CapacityUnits: span.attributes['dynamorm.rcu'] })]);
    expect(span.attributes['dynamorm.rcu']).toBeGreaterThan(0);
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
  });

  test('a failed request: error status, the error code and the exception', async () => {
    exporter.reset();
    await rejection(orm.model(Event).create({ stream: 's1', seq: 1, kind: 'open' }));
    const [span] = exporter.getFinishedSpans();
    expect(span!.name).toBe(`PutItem ${orm.tableName(Event)}`);
    expect(span!.status).toMatchObject({ code: SpanStatusCode.ERROR, message: expect.stringMatching(/the condition did not hold/) });
    expect(span!.attributes['error.type']).toBe('condition.failed');
    expect(span!.events.map((e) => e.name)).toEqual(['exception']);
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
