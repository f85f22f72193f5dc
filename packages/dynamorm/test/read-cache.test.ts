// The read cache on DynamoDB Local: reads by key served from memory, every write of this process
// invalidating its key (failed conditional writes too), consistent reads bypassing, one read per
// key in flight, bounded memory; and, as a model, any interleaving of reads and writes returning
// what DynamoDB holds.
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import { ConditionFailedError, DynamORM, model, t, ValidationError, type CacheOptions } from 'dynamorm';
import { endpoint } from './support/dynamo.js';
import { rawClient, recordCommands, rejection, storedItem, thrown, uniquePrefix } from './support/inspect.js';

const prefix = uniquePrefix('cache');
const Post = model('Post', { table: 'posts', attributes: { id: t.string().pk(), title: t.string(), views: t.number() } });
const Tag = model('Tag', { table: 'tags', attributes: { name: t.string().pk(), n: t.number() } });
const ormOf = (cache: CacheOptions) =>
  new DynamORM({ endpoint: endpoint(), autoMigrate: true, tablePrefix: prefix, cache });

const orm = ormOf({ ttlMs: 60_000, maxItems: 1000 });
/** Writes behind the ORM's back, as another process would. */
const elsewhere = (id: string, title: string, views = 0) => rawClient().send(new PutItemCommand({ TableName: orm.tableName(Post), Item: { id: { S: id }, title: { S: title }, views: { N: String(views) } } }));

beforeAll(async () => {
  await orm.model(Post).batchPut([{ id: 'p1', title: 'One', views: 1 }, { id: 'p2', title: 'Two', views: 2 }, { id: 'p3', title: 'Three', views: 3 }]);
  await orm.model(Tag).put({ name: 'x', n: 1 });
});

describe('reads by key', () => {
  test('get, first() on the key and batchGet are served from the cache after the first read; absent keys too', async () => {
    const sent = recordCommands(orm.client);
    const before = orm.cacheStats()!;
    expect(await orm.model(Post).get({ id: 'p1' })).toEqual({ id: 'p1', title: 'One', views: 1 });
    expect(await orm.model(Post).get({ id: 'p1' })).toEqual({ id: 'p1', title: 'One', views: 1 });
    expect(await orm.model(Post).where('id', '=', 'p1').first()).toEqual({ id: 'p1', title: 'One', views: 1 });
    expect(await orm.model(Post).get({ id: 'nope' })).toBeUndefined();
    expect(await orm.model(Post).get({ id: 'nope' })).toBeUndefined();
    expect(sent).toEqual(['GetItemCommand', 'GetItemCommand']);
    // Two keys cached, one read: a BatchGetItem of the one.
    expect((await orm.model(Post).batchGet([{ id: 'p1' }, { id: 'p2' }, { id: 'nope' }], { ordered: true })).map((p) => p?.id)).toEqual(['p1', 'p2', undefined]);
    expect(sent).toEqual(['GetItemCommand', 'GetItemCommand', 'BatchGetItemCommand']);
    expect(await orm.model(Post).batchGet([{ id: 'p1' }, { id: 'p2' }])).toHaveLength(2);
    expect(sent).toHaveLength(3);
    const after = orm.cacheStats()!;
    expect(after.hits - before.hits).toBe(3 + 2 + 2);
    expect(after.misses - before.misses).toBe(3);
  });

  test('a consistent read and a read with select() go to DynamoDB', async () => {
    await orm.model(Post).get({ id: 'p3' });
    await elsewhere('p3', 'Changed elsewhere', 3);
    expect((await orm.model(Post).get({ id: 'p3' }))!.title).toBe('Three'); // stale up to the TTL: another process wrote it
    expect((await orm.model(Post).consistentRead().get({ id: 'p3' }))!.title).toBe('Changed elsewhere');
    expect(await orm.model(Post).select('title').get({ id: 'p3' })).toEqual({ title: 'Changed elsewhere' });
  });

  test('concurrent gets of one key in separate ticks share one read', async () => {
    const fresh = ormOf({ ttlMs: 60_000 });
    const sent = recordCommands(fresh.client);
    const one = fresh.model(Post).get({ id: 'p1' });
    await new Promise((r) => setImmediate(r)); // past the tick whose gets the loader coalesces
    const two = fresh.model(Post).get({ id: 'p1' });
    expect(await two).toEqual(await one);
    expect(fresh.cacheStats()).toMatchObject({ misses: 1, coalesced: 1, hits: 0 });
    expect(sent.filter((c) => c.endsWith('ItemCommand'))).toEqual(['GetItemCommand']);
  });

  test('after ttlMs a read goes to DynamoDB', async () => {
    const short = ormOf({ ttlMs: 30 });
    await short.model(Post).get({ id: 'p1' });
    await elsewhere('p1', 'Later', 1);
    await new Promise((r) => setTimeout(r, 60));
    expect((await short.model(Post).get({ id: 'p1' }))!.title).toBe('Later');
    await orm.model(Post).put({ id: 'p1', title: 'One', views: 1 });
  });
});

describe('every write of this process invalidates its key', () => {
  test('put, update, delete, batch writes, transactions, and a write whose condition failed', async () => {
    const m = orm.model(Post);
    const title = async (id: string) => (await m.get({ id }))?.title;
    await m.put({ id: 'w1', title: 'a', views: 0 });
    expect(await title('w1')).toBe('a');
    await m.put({ id: 'w1', title: 'b', views: 0 });
    expect(await title('w1')).toBe('b');
    await m.key({ id: 'w1' }).update({ title: 'c' });
    expect(await title('w1')).toBe('c');
    await m.batchPut([{ id: 'w1', title: 'd', views: 0 }]);
    expect(await title('w1')).toBe('d');
    await orm.transaction(async (tx) => { tx.model(Post).key({ id: 'w1' }).update({ title: 'e' }); });
    expect(await title('w1')).toBe('e');
    // Another process changes it; this process's failed conditional write still invalidates.
    await elsewhere('w1', 'f', 5);
    expect(await title('w1')).toBe('e');
    expect(await rejection(m.create({ id: 'w1', title: 'g', views: 0 }))).toBeInstanceOf(ConditionFailedError);
    expect(await title('w1')).toBe('f');
    await m.batchDelete([{ id: 'w1' }]);
    expect(await title('w1')).toBeUndefined();
    await m.put({ id: 'w1', title: 'h', views: 0 });
    await m.delete({ id: 'w1' });
    expect(await title('w1')).toBeUndefined();
  });

  test('a read that raced a write does not cache what it read before the write', async () => {
    const m = orm.model(Post);
    await m.put({ id: 'race', title: 'old', views: 0 });
    const [, read] = await Promise.all([m.put({ id: 'race', title: 'new', views: 0 }), m.get({ id: 'race' })]);
    expect(['old', 'new']).toContain(read!.title);
    expect((await m.get({ id: 'race' }))!.title).toBe('new');
  });

  test('as a model: any interleaving of reads and writes by one process reads what DynamoDB holds', async () => {
    const ids = ['m0', 'm1', 'm2'];
    const op = fc.oneof(
      fc.record({ kind: fc.constant('get' as const), id: fc.constantFrom(...ids) }),
      fc.record({ kind: fc.constant('batchGet' as const), id: fc.constantFrom(...ids) }),
      fc.record({ kind: fc.constant('put' as const), id: fc.constantFrom(...ids), v: fc.nat(50) }),
      fc.record({ kind: fc.constant('update' as const), id: fc.constantFrom(...ids), v: fc.nat(50) }),
      fc.record({ kind: fc.constant('delete' as const), id: fc.constantFrom(...ids) }),
      fc.record({ kind: fc.constant('createIfAbsent' as const), id: fc.constantFrom(...ids), v: fc.nat(50) }),
      fc.record({ kind: fc.constant('tx' as const), id: fc.constantFrom(...ids), v: fc.nat(50) }),
    );
    const m = orm.model(Tag);
    const run = async (o: typeof op extends fc.Arbitrary<infer T> ? T : never): Promise<void> => {
      const key = { name: o.id };
      switch (o.kind) {
        case 'get': await m.get(key); break;
        case 'batchGet': await m.batchGet([key, { name: 'x' }]); break;
        case 'put': await m.put({ ...key, n: o.v }); break;
        case 'update': await m.key(key).update({ n: o.v }, { upsert: true }); break;
        case 'delete': await m.delete(key); break;
        case 'createIfAbsent': await m.create({ ...key, n: o.v }).catch((e: unknown) => { if (!(e instanceof ConditionFailedError)) throw e; }); break;
        case 'tx': await orm.transaction(async (tx) => { tx.model(Tag).put({ ...key, n: o.v }); }); break;
      }
    };
    await fc.assert(fc.asyncProperty(fc.array(fc.array(op, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 6 }), async (groups) => {
      for (const group of groups) {
        await Promise.all(group.map(run)); // the ops of a group interleave
        for (const id of ids) {
          const held = await storedItem(orm, Tag, { name: { S: id } });
          const read = await m.get({ name: id });
          expect(read).toEqual(held === undefined ? undefined : { name: id, n: Number(held.n!.N) });
        }
      }
    }), { numRuns: 10 });
  });
});

describe('bounds and options', () => {
  test('maxItems bounds the entries; the least recently used are evicted', async () => {
    const small = ormOf({ ttlMs: 60_000, maxItems: 2 });
    for (const id of ['p1', 'p2', 'p3']) await small.model(Post).get({ id });
    expect(small.cacheStats()).toMatchObject({ items: 2, evictions: 1, misses: 3 });
    await small.model(Post).get({ id: 'p1' }); // evicted: read again
    expect(small.cacheStats()).toMatchObject({ items: 2, evictions: 2, misses: 4 });
  });

  test('models: only those models are cached; without cache, no stats', async () => {
    const some = ormOf({ ttlMs: 60_000, models: [Tag] });
    const sent = recordCommands(some.client);
    await some.model(Post).get({ id: 'p1' });
    await some.model(Post).get({ id: 'p1' });
    await some.model(Tag).get({ name: 'x' });
    await some.model(Tag).get({ name: 'x' });
    expect(sent.filter((c) => c === 'GetItemCommand')).toHaveLength(3);
    expect(new DynamORM({ endpoint: endpoint() }).cacheStats()).toBeUndefined();
  });

  test('bad options are refused when the ORM is created', () => {
    const err = thrown(() => ormOf({ ttlMs: 0 }));
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as Error).message).toBe('new DynamORM: cache.ttlMs must be a positive integer, received 0');
    expect((thrown(() => ormOf({ ttlMs: 10, maxItems: 1.5 })) as Error).message).toContain('cache.maxItems');
  });
});
