// orm.metrics() on DynamoDB Local: per model and operation, the numbers match what DynamoDB
// reported (ConsumedCapacity, ScannedCount/Count), and throttles and retries (injected inside
// the SDK's retry loop) are counted.
import { beforeAll, describe, expect, test } from 'vitest';
import { DynamORM, model, t, type ResponseEvent } from 'dynamorm';
import { rawClient } from './support/dynamo.js';
import { rejection, uniquePrefix } from './support/inspect.js';
import { throttleNext } from './support/throttle.js';

const Note = model('Note', { table: 'notes', attributes: { owner: t.string().pk(), n: t.number().sk(), tag: t.string().index('gsi-tag', 'pk'), text: t.string() } });
const client = rawClient();
const orm = new DynamORM({ client, autoMigrate: true, enableMetrics: true, tablePrefix: uniquePrefix('metrics') });
const responses: ResponseEvent[] = [];
orm.on('response', (e) => void responses.push(e));

beforeAll(async () => {
  await orm.model(Note).batchPut(Array.from({ length: 40 }, (_, n) => ({ owner: 'o1', n, tag: n % 4 === 0 ? 'a' : 'b', text: 'x'.repeat(n * 100) })));
});

/** What DynamoDB itself reported for a model's operation, read from the responses. */
function reported(operation: string): { units: number; scanned: number; count: number } {
  const mine = responses.filter((r) => r.request.model === 'Note' && r.request.operation === operation);
  const raw = (r: ResponseEvent) => r.response as { ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[]; ScannedCount?: number; Count?: number };
  const units = mine.flatMap((r) => [raw(r).ConsumedCapacity ?? []].flat()).reduce((n, c) => n + (c.CapacityUnits ?? 0), 0);
  return { units, scanned: mine.reduce((n, r) => n + (raw(r).ScannedCount ?? 0), 0), count: mine.reduce((n, r) => n + (raw(r).Count ?? 0), 0) };
}

describe('orm.metrics()', () => {
  test('capacity and items per model and operation match what DynamoDB reported', async () => {
    await orm.model(Note).where('owner', '=', 'o1').filter('tag = :t', { t: 'a' }).all();
    await orm.model(Note).index('gsi-tag').where('tag', '=', 'b').all();
    await orm.model(Note).key({ owner: 'o1', n: 3 }).update({ text: 'changed' });
    const m = orm.metrics().Note!;
    const write = reported('batchPut');
    expect(m.batchPut!.wcu).toBe(write.units);
    expect(m.batchPut!.wcu).toBeGreaterThanOrEqual(40);
    expect(m.batchPut!.rcu).toBe(0);
    const query = reported('query');
    expect(m.query).toMatchObject({ requests: 2, errors: 0, rcu: query.units, wcu: 0, itemsRead: query.scanned, itemsReturned: query.count });
    // The filtered query read all 40 and returned 10; the index query read and returned 30.
    expect([m.query!.itemsRead, m.query!.itemsReturned]).toEqual([70, 40]);
    expect(m.update).toMatchObject({ requests: 1, wcu: reported('update').units, rcu: 0 });
    expect(m.update!.wcu).toBeGreaterThan(0);
    const { p50, p95, p99, max, mean } = m.query!.latencyMs;
    expect(0 < p50 && p50 <= p95 && p95 <= p99 && p99 <= max && mean > 0).toBe(true);
  });

  test('errors by code, throttles and retries', async () => {
    await rejection(orm.model(Note).create({ owner: 'o1', n: 1, tag: 'a', text: '' }));
    throttleNext(client, 'GetItem', 2);
    expect(await orm.model(Note).where('owner', '=', 'o1').where('n', '=', 2).first()).toMatchObject({ n: 2 });
    const m = orm.metrics().Note!;
    expect(m.create).toMatchObject({ requests: 1, errors: 1, errorsByCode: { 'condition.failed': 1 }, throttles: 0, retries: 0 });
    expect(m.first ?? m.get).toMatchObject({ requests: 1, errors: 0, throttles: 2, retries: 2 });
  });

  test('a snapshot is a copy; requests of several models count under *', async () => {
    const before = orm.metrics();
    await orm.transactGet([{ model: Note, key: { owner: 'o1', n: 1 } }, { model: Note, key: { owner: 'o1', n: 99 } }]);
    expect(before['*']).toBeUndefined();
    expect(orm.metrics()['*']!.transactGet).toMatchObject({ requests: 1, itemsRead: 1, itemsReturned: 1 });
    await orm.transaction((tx) => {
      tx.create(Note, { owner: 'o2', n: 1, tag: 'a', text: '' });
      tx.create(Note, { owner: 'o2', n: 2, tag: 'a', text: '' });
    });
    expect(orm.metrics()['*']!.transaction).toMatchObject({ requests: 1, errors: 0 });
    expect(orm.metrics()['*']!.transaction!.wcu).toBe(4);
  });
});
