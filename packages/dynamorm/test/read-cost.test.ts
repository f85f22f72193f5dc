// What limited reads cost on single-table and TTL models: DynamoDB's Limit is sent (a filter or a
// client-side check only makes the reads page on, growing), limits stay exact, and cursors chain
// to the same items as one unlimited read; measured with ReturnConsumedCapacity on DynamoDB Local.
import { UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamORM, model, t } from 'dynamorm';
import { endpoint } from './support/dynamo.js';
import { rawClient, recordReads, uniquePrefix } from './support/inspect.js';

const Customer = model('Customer', {
  table: 'shop',
  keys: { pk: 'CUSTOMER#{customerId}', sk: 'PROFILE' },
  attributes: { customerId: t.string(), name: t.string() },
});
const Order = model('Order', {
  table: 'shop',
  keys: { pk: 'CUSTOMER#{customerId}', sk: 'ORDER#{orderId}' },
  attributes: { customerId: t.string(), orderId: t.string(), status: t.enum(['open', 'shipped']), total: t.number(), note: t.string() },
});
// Its sort keys start like the orders' (ORDER#o001#LINE#1): a read of orders meets them and drops them.
const Line = model('Line', {
  table: 'shop',
  keys: { pk: 'CUSTOMER#{customerId}', sk: 'ORDER#{orderId}#LINE#{n}' },
  attributes: { customerId: t.string(), orderId: t.string(), n: t.number(), sku: t.string() },
});
// Its sort key starts with an attribute: the key condition tells nothing of the entity.
const Event = model('Event', {
  table: 'shop',
  keys: { pk: 'CUSTOMER#{customerId}', sk: '{at}#EVENT' },
  attributes: { customerId: t.string(), at: t.string(), kind: t.string() },
});
// A single-table model with a TTL, in a table whose TTL is turned off: DynamoDB Local would
// delete the expired items, which must still be stored for the hiding to be measured.
const Visit = model('Visit', {
  table: 'visits',
  keys: { pk: 'CUSTOMER#{customerId}', sk: 'VISIT#{visitId}' },
  attributes: { customerId: t.string(), visitId: t.string(), page: t.string(), note: t.string(), expiresAt: t.ttl() },
});

const orm = new DynamORM({ endpoint: endpoint(), autoMigrate: true, tablePrefix: uniquePrefix('cost') });
const reads = recordReads(orm.client);

const ORDERS = 300;
const id = (i: number): string => `o${String(i).padStart(3, '0')}`;
const shipped = (i: number): boolean => i % 10 === 0;
const hour = Math.floor(Date.now() / 1000) + 3600;
const past = Math.floor(Date.now() / 1000) - 3600;
// Some 500 bytes an item: a partition of a few hundred is some 40 RCU to read whole.
const note = 'x'.repeat(500);

beforeAll(async () => {
  await orm.createTables(Customer, Visit);
  await rawClient().send(new UpdateTimeToLiveCommand({ TableName: orm.tableName(Visit), TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: false } }));
  await orm.model(Customer).batchPut([{ customerId: 'c1', name: 'Ann' }, { customerId: 'c2', name: 'Bob' }]);
  await orm.model(Order).batchPut(Array.from({ length: ORDERS }, (_, i) => ({ customerId: 'c1', orderId: id(i), status: shipped(i) ? 'shipped' as const : 'open' as const, total: i, note })));
  await orm.model(Order).batchPut([{ customerId: 'c2', orderId: 'o000', status: 'open', total: 1, note }]);
  // One line for each of the first 100 orders, right after it in the partition.
  await orm.model(Line).batchPut(Array.from({ length: 100 }, (_, i) => ({ customerId: 'c1', orderId: id(i), n: 1, sku: `sku${i}` })));
  await orm.model(Event).batchPut(Array.from({ length: 50 }, (_, i) => ({ customerId: 'c1', at: `2024-01-${String(i % 28 + 1).padStart(2, '0')}T${String(i).padStart(2, '0')}`, kind: 'login' })));
  // c1: every visit live; c3: nine in ten expired.
  await orm.model(Visit).batchPut(Array.from({ length: ORDERS }, (_, i) => ({ customerId: 'c1', visitId: id(i), page: '/', note, expiresAt: hour })));
  await orm.model(Visit).batchPut(Array.from({ length: ORDERS }, (_, i) => ({ customerId: 'c3', visitId: id(i), page: '/', note, expiresAt: i % 10 === 0 ? hour : past })));
}, 120_000);

afterEach(() => {
  vi.useRealTimers();
});

/** The capacity `read` consumes and the requests it sends. */
async function measure<T>(read: () => Promise<T>): Promise<{ result: T; rcu: number; requests: Record<string, unknown>[] }> {
  reads.reset();
  const result = await read();
  return { result, rcu: reads.capacity(), requests: [...reads.requests] };
}

/** Every page of a query, following its cursors. */
async function chain<T>(page: (cursor: string | undefined) => Promise<{ items: T[]; cursor: string | undefined }>): Promise<{ items: T[]; sizes: number[] }> {
  const items: T[] = [];
  const sizes: number[] = [];
  let cursor: string | undefined;
  do {
    const p = await page(cursor);
    items.push(...p.items);
    sizes.push(p.items.length);
    cursor = p.cursor;
  } while (cursor !== undefined);
  return { items, sizes };
}

const orders = () => orm.model(Order).where('customerId', '=', 'c1');
const visits = (customerId: string) => orm.model(Visit).where('customerId', '=', customerId);

describe('limited reads of a single-table model', () => {
  it('a key condition that only matches the model’s keys needs no discriminator filter; one that does not keeps it', () => {
    const request = orders().explain().request as { KeyConditionExpression?: string };
    expect(request.KeyConditionExpression).toContain('begins_with');
    expect(request).not.toHaveProperty('FilterExpression');
    expect(orm.model(Event).where('customerId', '=', 'c1').explain().request).toHaveProperty('FilterExpression');
  });

  it('first() and limit(5).page() send Limit and read a small fraction of the partition', async () => {
    const full = await measure(() => orders().all());
    expect(full.result).toHaveLength(ORDERS);
    const first = await measure(() => orders().first());
    expect(first.result.orderId).toBe('o000');
    expect(first.requests.every((r) => typeof r.Limit === 'number')).toBe(true);
    expect(first.rcu).toBeLessThanOrEqual(full.rcu / 10);
    const page = await measure(() => orders().limit(5).page());
    expect(page.result.items.map((o) => o.orderId)).toEqual(['o000', 'o001', 'o002', 'o003', 'o004']);
    expect(page.requests.every((r) => typeof r.Limit === 'number')).toBe(true);
    expect(page.rcu).toBeLessThanOrEqual(full.rcu / 10);
  });

  it('limit(n).all(), iterate(), count() and a scan send Limit too', async () => {
    const full = await measure(() => orders().count());
    expect(full.result).toBe(ORDERS);
    const all = await measure(() => orders().limit(5).all());
    expect(all.result).toHaveLength(5);
    const count = await measure(() => orders().limit(5).count());
    expect(count.result).toBe(5);
    const scan = await measure(() => orm.model(Order).limit(5).scan());
    expect(scan.result).toHaveLength(5);
    const iterated = await measure(async () => {
      const seen: string[] = [];
      for await (const o of orders().limit(3).iterate()) seen.push(o.orderId);
      return seen;
    });
    expect(iterated.result).toEqual(['o000', 'o001', 'o002']);
    for (const m of [all, count, scan, iterated]) {
      expect(m.requests.every((r) => typeof r.Limit === 'number')).toBe(true);
      expect(m.rcu).toBeLessThanOrEqual(full.rcu / 4);
    }
  });

  it('a filter that drops nine in ten items: pages stay exact and chain to the items of one unlimited read', async () => {
    const q = orders().where('status', '=', 'shipped');
    const unlimited = (await q.all()).map((o) => o.orderId);
    expect(unlimited).toHaveLength(ORDERS / 10);
    reads.reset();
    const { items, sizes } = await chain((cursor) => q.limit(4).page(cursor));
    expect(items.map((o) => o.orderId)).toEqual(unlimited);
    expect(sizes.slice(0, -1).every((s) => s === 4)).toBe(true);
    expect(reads.requests.every((r) => typeof r.Limit === 'number')).toBe(true);
    // The first page reads far less than the partition.
    const first = await measure(() => q.limit(4).page());
    const full = await measure(() => q.all());
    expect(first.rcu).toBeLessThan(full.rcu / 2);
  });

  it('items of another model among the keys read (order lines) are skipped and limits stay exact', async () => {
    const unlimited = (await orders().all()).map((o) => o.orderId);
    const { items, sizes } = await chain((cursor) => orders().limit(7).page(cursor));
    expect(items.map((o) => o.orderId)).toEqual(unlimited);
    expect(sizes.slice(0, -1).every((s) => s === 7)).toBe(true);
    expect((await orders().limit(150).all()).map((o) => o.orderId)).toEqual(unlimited.slice(0, 150));
    expect(await orders().limit(150).count()).toBe(150);
  });

  it('with the discriminator filter kept, limits are exact and Limit is sent', async () => {
    const q = orm.model(Event).where('customerId', '=', 'c1');
    const unlimited = (await q.all()).map((e) => e.at);
    expect(unlimited).toHaveLength(50);
    reads.reset();
    const { items, sizes } = await chain((cursor) => q.limit(6).page(cursor));
    expect(items.map((e) => e.at)).toEqual(unlimited);
    expect(sizes.slice(0, -1).every((s) => s === 6)).toBe(true);
    expect(reads.requests.every((r) => typeof r.Limit === 'number')).toBe(true);
  });

  it('a collection sends Limit, keeps limits exact and chains its cursors', async () => {
    const c = orm.collection([Customer, Order]).where('customerId', '=', 'c1');
    const unlimited = (await c.all()).map((i) => i.entity);
    expect(unlimited).toHaveLength(ORDERS + 1);
    reads.reset();
    const { items, sizes } = await chain((cursor) => c.limit(9).page(cursor));
    expect(items.map((i) => i.entity)).toEqual(unlimited);
    expect(sizes.slice(0, -1).every((s) => s === 9)).toBe(true);
    expect(reads.requests.every((r) => typeof r.Limit === 'number')).toBe(true);
    // The partition starts with 50 events the filter drops: the Limit grows past them in a few requests.
    const full = await measure(() => c.all());
    const first = await measure(() => c.first());
    expect(first.result.entity).toBe('Order');
    expect(first.rcu).toBeLessThanOrEqual(full.rcu / 4);
  });
});

describe('limited reads of a TTL model', () => {
  it('first() and limit(5).page() send Limit and read a small fraction of the partition', async () => {
    const full = await measure(() => visits('c1').all());
    expect(full.result).toHaveLength(ORDERS);
    const first = await measure(() => visits('c1').first());
    expect(first.result.visitId).toBe('o000');
    expect(first.requests.every((r) => typeof r.Limit === 'number')).toBe(true);
    expect(first.rcu).toBeLessThanOrEqual(full.rcu / 10);
    const page = await measure(() => visits('c1').limit(5).page());
    expect(page.result.items).toHaveLength(5);
    expect(page.rcu).toBeLessThanOrEqual(full.rcu / 10);
  });

  it('nine in ten items expired: pages stay exact and chain to the items of one unlimited read', async () => {
    const unlimited = (await visits('c3').all()).map((v) => v.visitId);
    expect(unlimited).toHaveLength(ORDERS / 10);
    reads.reset();
    const { items, sizes } = await chain((cursor) => visits('c3').limit(4).page(cursor));
    expect(items.map((v) => v.visitId)).toEqual(unlimited);
    expect(sizes.slice(0, -1).every((s) => s === 4)).toBe(true);
    expect(reads.requests.every((r) => typeof r.Limit === 'number')).toBe(true);
    expect(await visits('c3').limit(5).count()).toBe(5);
  });

  it('a cursor still works after the clock has moved on', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const q = visits('c1').limit(5);
    const first = await q.page();
    vi.setSystemTime(Date.now() + 2_500);
    const second = await q.page(first.cursor);
    expect(second.items.map((v) => v.visitId)).toEqual(['o005', 'o006', 'o007', 'o008', 'o009']);
  });
});
