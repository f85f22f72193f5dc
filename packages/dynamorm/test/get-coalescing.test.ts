// Automatic batching of reads: concurrent get() calls of one tick become BatchGetItem requests of
// up to 100 keys (per table and consistency, duplicates read once), each caller getting its own item.
import { beforeAll, describe, expect, test } from 'vitest';
import { DynamORM, model, t, ValidationError } from 'dynamorm';
import { endpoint } from './support/dynamo.js';
import { rejection, uniquePrefix } from './support/inspect.js';

const prefix = uniquePrefix('coalesce');
const orm = new DynamORM({ endpoint: endpoint(), autoMigrate: true, tablePrefix: prefix, enableMetrics: true });
const plain = new DynamORM({ endpoint: endpoint(), tablePrefix: prefix, enableMetrics: true, batchGets: false, warnings: { manySingleGets: false } });

const Item = model('Item', { table: 'items', attributes: { id: t.string().pk(), n: t.number(), note: t.string().optional() } });
const Other = model('Other', { table: 'others', attributes: { pk: t.string().pk(), sk: t.number().sk() } });

// Requests of an operation, whatever their model.
const requests = (o: DynamORM, op: string) => Object.values(o.metrics()).reduce((n, ops) => n + (ops[op]?.requests ?? 0), 0);

beforeAll(async () => {
  await orm.createTables(Item, Other);
  await orm.model(Item).batchPut(Array.from({ length: 1000 }, (_, i) => ({ id: `i${i}`, n: i })));
  await orm.model(Other).batchPut([{ pk: 'a', sk: 1 }, { pk: 'a', sk: 2 }]);
});

describe('get() coalescing', () => {
  test('1,000 concurrent gets: 10 BatchGetItem requests, each caller its own item', async () => {
    const before = { batch: requests(orm, 'batchGet'), get: requests(orm, 'get') };
    const keys = Array.from({ length: 1000 }, (_, i) => `i${(i * 7) % 1000}`);
    const items = await Promise.all(keys.map((id) => orm.model(Item).get({ id })));
    expect(items.map((x) => x?.id)).toEqual(keys);
    expect(items.every((x, i) => x?.n === Number(keys[i]!.slice(1)))).toBe(true);
    expect(requests(orm, 'batchGet') - before.batch).toBe(10);
    expect(requests(orm, 'get') - before.get).toBe(0);
  });

  test('missing keys resolve undefined; duplicates are read once but each caller gets its own object', async () => {
    const before = requests(orm, 'batchGet');
    const [a, b, missing, c] = await Promise.all([
      orm.model(Item).get({ id: 'i1' }), orm.model(Item).get({ id: 'i1' }), orm.model(Item).get({ id: 'nope' }), orm.model(Item).get({ id: 'i2' }),
    ]);
    expect([a?.n, b?.n, missing, c?.n]).toEqual([1, 1, undefined, 2]);
    expect(a).not.toBe(b);
    expect(requests(orm, 'batchGet') - before).toBe(1);
  });

  test('per table and consistency; composite keys; a lone get stays a GetItem', async () => {
    const before = { batch: requests(orm, 'batchGet'), get: requests(orm, 'get') };
    const [x, y, z, w] = await Promise.all([
      orm.model(Item).get({ id: 'i3' }),
      orm.model(Item).consistentRead().get({ id: 'i4' }),
      orm.model(Other).get({ pk: 'a', sk: 1 }),
      orm.model(Other).get({ pk: 'a', sk: 2 }),
    ]);
    expect([x?.n, y?.n, z?.sk, w?.sk]).toEqual([3, 4, 1, 2]);
    // Items: two groups of one key (GetItem each); Other: one group of two keys (BatchGetItem).
    expect(requests(orm, 'get') - before.get).toBe(2);
    expect(requests(orm, 'batchGet') - before.batch).toBe(1);
  });

  test('gets issued after an await join the same batch when they are in the same tick', async () => {
    const before = requests(orm, 'batchGet');
    const later = async (id: string) => {
      await Promise.resolve();
      return orm.model(Item).get({ id });
    };
    const items = await Promise.all([orm.model(Item).get({ id: 'i10' }), later('i11'), later('i12')]);
    expect(items.map((x) => x?.n)).toEqual([10, 11, 12]);
    expect(requests(orm, 'batchGet') - before).toBe(1);
  });

  test('a bad key rejects only its own caller', async () => {
    const [good, bad] = await Promise.allSettled([orm.model(Item).get({ id: 'i5' }), orm.model(Item).get({ id: 5 as never })]);
    expect(good.status === 'fulfilled' && good.value?.n).toBe(5);
    expect(bad.status === 'rejected' && bad.reason).toBeInstanceOf(ValidationError);
    expect(await rejection(orm.model(Item).get({} as never))).toBeInstanceOf(ValidationError);
  });

  test('opt-out: batchGets: false sends one GetItem per get', async () => {
    const before = { batch: requests(plain, 'batchGet'), get: requests(plain, 'get') };
    const items = await Promise.all(Array.from({ length: 50 }, (_, i) => plain.model(Item).get({ id: `i${i}` })));
    expect(items.map((x) => x?.n)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(requests(plain, 'get') - before.get).toBe(50);
    expect(requests(plain, 'batchGet') - before.batch).toBe(0);
  });

  test('select() bypasses the loader and projects', async () => {
    const before = requests(orm, 'get');
    const x = await orm.model(Item).select('n').get({ id: 'i9' });
    expect(x).toEqual({ n: 9 });
    expect(requests(orm, 'get') - before).toBe(1);
  });

  test('speed-up of 1,000 coalesced gets over 1,000 GetItem calls (reported, not asserted)', async () => {
    const keys = Array.from({ length: 1000 }, (_, i) => ({ id: `i${i}` }));
    const results: unknown[] = [];
    const time = async (o: DynamORM): Promise<number> => {
      const start = performance.now();
      results.push(await Promise.all(keys.map((k) => o.model(Item).get(k))));
      return performance.now() - start;
    };
    await time(orm);
    await time(plain);
    const coalesced = Math.min(await time(orm), await time(orm));
    const single = Math.min(await time(plain), await time(plain));
    console.log(`1,000 concurrent gets on DynamoDB Local: coalesced ${coalesced.toFixed(0)} ms, one GetItem each ${single.toFixed(0)} ms (x${(single / coalesced).toFixed(1)})`);
    // Both ways return the same 1,000 items.
    for (const r of results) expect(r).toEqual(results[0]);
    expect((results[0] as unknown[]).length).toBe(1000);
  });
});
