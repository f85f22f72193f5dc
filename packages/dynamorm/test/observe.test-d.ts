// Types of hooks, middleware and metrics: event payloads by event name, requests narrowed by command.
import { describe, expectTypeOf, test } from 'vitest';
import type { DynamORM, DynamORMError, DynamoRequest, DynamoResponse, ErrorEvent, MetricsSnapshot, OperationMetrics, RequestEvent, ResponseEvent, RetryEvent, WarningCode, WarningEvent } from 'dynamorm';
import type { PutItemCommandInput, QueryCommandInput } from '@aws-sdk/client-dynamodb';
import { metrics, trace } from '@opentelemetry/api';
import { DynamORM as ORM } from 'dynamorm';

declare const orm: DynamORM;

describe('orm.on', () => {
  test('each event name gives its payload type; it returns the unsubscribe function', () => {
    expectTypeOf(orm.on('request', (e) => expectTypeOf(e).toEqualTypeOf<RequestEvent>())).toEqualTypeOf<() => void>();
    orm.on('response', (e) => {
      expectTypeOf(e).toEqualTypeOf<ResponseEvent>();
      expectTypeOf(e.durationMs).toBeNumber();
      expectTypeOf(e.consumedCapacity).toEqualTypeOf<{ readonly rcu: number; readonly wcu: number; readonly byTarget: Readonly<Record<string, number>> } | undefined>();
      expectTypeOf(e.request.model).toEqualTypeOf<string | undefined>();
      expectTypeOf(e.request.index).toEqualTypeOf<string | undefined>();
      expectTypeOf(e.request.attempt).toBeNumber();
    });
    orm.on('retry', (e) => expectTypeOf(e).toEqualTypeOf<RetryEvent>());
    orm.on('warning', (e) => expectTypeOf(e.code).toEqualTypeOf<WarningCode>());
    orm.on('warning', (e) => expectTypeOf(e).toEqualTypeOf<WarningEvent>());
    orm.on('error', (e) => {
      expectTypeOf(e).toEqualTypeOf<ErrorEvent>();
      if (e.kind === 'request') expectTypeOf(e.error).toEqualTypeOf<DynamORMError>();
      else expectTypeOf(e.event).toEqualTypeOf<'request' | 'response' | 'retry' | 'error' | 'warning'>();
    });
    // Async listeners are fine.
    orm.on('response', async () => {});
    // @ts-expect-error no such event
    orm.on('sent', () => {});
    // @ts-expect-error a response listener does not receive a retry event
    orm.on('response', (e: RetryEvent) => e);
  });
});

describe('orm.use', () => {
  test('the request narrows by command to the SDK input of that operation', () => {
    orm.use(async (request, next) => {
      expectTypeOf(request).toEqualTypeOf<DynamoRequest>();
      if (request.command === 'PutItem') expectTypeOf(request.input).toEqualTypeOf<PutItemCommandInput>();
      if (request.command === 'Query') expectTypeOf(request.input).toEqualTypeOf<QueryCommandInput>();
      expectTypeOf(next(request)).toEqualTypeOf<Promise<DynamoResponse>>();
      return next(request);
    });
    // @ts-expect-error a middleware returns the response (a promise of it)
    orm.use(async (request, next) => { await next(request); });
    // @ts-expect-error the input must be the one of the command
    orm.use(async (request, next) => next({ ...request, command: 'PutItem', input: { TableName: 't', Key: {} } }));
  });
});

describe('orm.metrics', () => {
  test('a snapshot per model and operation', () => {
    expectTypeOf(orm.metrics()).toEqualTypeOf<MetricsSnapshot>();
    const get = orm.metrics()['User']?.['get'];
    expectTypeOf(get).toEqualTypeOf<OperationMetrics | undefined>();
    expectTypeOf(get!.latencyMs.p99).toBeNumber();
    expectTypeOf(get!.errorsByCode).toEqualTypeOf<Readonly<Record<string, number>>>();
  });
});

describe('options', () => {
  test('telemetry takes OpenTelemetry\'s own tracer and meter, or true for the global ones', () => {
    new ORM({ telemetry: { tracer: trace.getTracer('api'), meter: metrics.getMeter('api') } });
    new ORM({ telemetry: { tracer: trace.getTracer('api'), meter: false } });
    new ORM({ telemetry: true });
    // @ts-expect-error a tracer is an object with startSpan
    new ORM({ telemetry: { tracer: 'api' } });
  });

  test('warnings: each switch by name, with its options, or false', () => {
    new ORM({ warnings: { hotPartition: { share: 0.3, windowMs: 10_000, minRequests: 50 }, filterDiscardsMost: { ratio: 0.8 }, itemNearSizeLimit: true, scanIndexCouldServe: false, intervalMs: 0 } });
    new ORM({ warnings: false });
    // @ts-expect-error no such warning
    new ORM({ warnings: { hotKeys: true } });
    // @ts-expect-error share is a number
    new ORM({ warnings: { hotPartition: { share: 'high' } } });
  });
});
