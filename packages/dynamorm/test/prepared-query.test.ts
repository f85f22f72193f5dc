// Prepared queries on DynamoDB Local: the callback runs once, every call sends the request the
// same query built with its values would send, and a parameter that would shape the request is
// refused at prepare().
import { beforeAll, describe, expect, test } from 'vitest';
import { DynamORM, ItemNotFoundError, model, t, ValidationError } from 'dynamorm';
import { endpoint } from './support/dynamo.js';
import { recordCommands, rejection, thrown, uniquePrefix } from './support/inspect.js';

const warnings: string[] = [];
const orm = new DynamORM({ endpoint: endpoint(), autoMigrate: true, tablePrefix: uniquePrefix('prepared'), logger: { warn: (m) => warnings.push(m) } });

const User = model('User', {
  table: 'users',
  attributes: {
    id: t.string().pk(),
    email: t.string().index('by-email'),
    joinedAt: t.date().index('by-email', 'sk'),
    name: t.string(),
    age: t.number(),
    tags: t.stringSet().optional(),
    expiresAt: t.ttl().optional(),
  },
});
// Single-table: a parameter composed into a key string cannot be a placeholder; the query is rebuilt per call.
const Order = model('Order', { table: 'shop', keys: { pk: 'CUSTOMER#{customerId}', sk: 'ORDER#{orderId}' }, attributes: { customerId: t.string(), orderId: t.string(), total: t.number() } });

const day = (d: number) => new Date(Date.UTC(2024, 0, d));
const users = Array.from({ length: 12 }, (_, i) => ({ id: `u${i}`, email: i < 8 ? 'team@x.io' : 'solo@x.io', joinedAt: day(i + 1), name: i % 2 === 0 ? 'Ann' : 'Bob', age: 20 + i, tags: new Set(['a']) }));

beforeAll(async () => {
  await orm.model(User).batchPut(users);
  await orm.model(User).put({ id: 'gone', email: 'team@x.io', joinedAt: day(20), name: 'Ann', age: 99, expiresAt: new Date(Date.now() - 3600_000) });
  await orm.model(Order).batchPut([{ customerId: 'c1', orderId: 'o1', total: 5 }, { customerId: 'c1', orderId: 'o2', total: 50 }, { customerId: 'c2', orderId: 'o1', total: 7 }]);
});

describe('one shape, many calls', () => {
  test('the callback runs once; each call sends what the builder sends with those values, and reads the same items', async () => {
    let runs = 0;
    const byEmail = orm.model(User).prepare((q, p: { email: string; from: string; min: number }) => {
      runs++;
      return q.where('email', '=', p.email).where('joinedAt', 'begins_with', p.from).filter('age', '>', p.min);
    });
    const built = (email: string, from: string, min: number) => orm.model(User).where('email', '=', email).where('joinedAt', 'begins_with', from).filter('age', '>', min);
    for (const [email, from, min] of [['team@x.io', '2024-01', 22], ['solo@x.io', '2024-01-1', 0], ['team@x.io', '2024-01-0', 25]] as const) {
      expect(byEmail.explain({ email, from, min })).toEqual(built(email, from, min).explain());
      expect(await byEmail.all({ email, from, min })).toEqual(await built(email, from, min).all());
      expect(await byEmail.count({ email, from, min })).toBe(await built(email, from, min).count());
    }
    expect(runs).toBe(1);
    // The TTL filter compares with the current second: the expired item stays hidden.
    expect((await byEmail.all({ email: 'team@x.io', from: '2024', min: 0 })).map((u) => u.id)).not.toContain('gone');
    expect(byEmail.explain({ email: 'a', from: 'b', min: 1 }).request).toMatchObject({ IndexName: 'by-email', ExpressionAttributeValues: { ':0': { S: 'a' }, ':1': { S: 'b' }, ':2': { N: '1' } } });
  });

  test('first, page with cursors (interchangeable with the builder\'s), iterate', async () => {
    const page = orm.model(User).prepare((q, p: { email: string }) => q.where('email', '=', p.email).limit(3));
    const built = orm.model(User).where('email', '=', 'team@x.io').limit(3);
    const one = await page.page({ email: 'team@x.io' });
    expect(one).toEqual(await built.page());
    const two = await page.page({ email: 'team@x.io' }, one.cursor);
    expect(two).toEqual(await built.page(one.cursor));
    expect(await built.page(two.cursor)).toEqual(await page.page({ email: 'team@x.io' }, two.cursor));
    // A cursor belongs to its parameters' query.
    expect(await rejection(page.page({ email: 'solo@x.io' }, one.cursor))).toBeInstanceOf(ValidationError);
    const seen: string[] = [];
    for await (const u of page.iterate({ email: 'solo@x.io' })) seen.push(u.id);
    expect(seen).toEqual(['u8', 'u9', 'u10']);
    expect((await page.first({ email: 'solo@x.io' })).id).toBe('u8');
    const err = await rejection(page.first({ email: 'nobody@x.io' }));
    expect(err).toBeInstanceOf(ItemNotFoundError);
    expect(err.message).toContain('email = "nobody@x.io"');
  });

  test('a key makes a GetItem whose Key is filled per call', async () => {
    const byId = orm.model(User).prepare((q, p: { id: string }) => q.key({ id: p.id }));
    expect(byId.explain({ id: 'u3' }).request).toEqual({ TableName: orm.tableName(User), Key: { id: { S: 'u3' } } });
    const sent = recordCommands(orm.client);
    expect((await byId.first({ id: 'u3' })).name).toBe('Bob');
    expect((await byId.first({ id: 'u4' })).name).toBe('Ann');
    expect(sent).toEqual(['GetItemCommand', 'GetItemCommand']);
  });

  test('between, a list of parameters in "in", raw filters with parameters', async () => {
    const q = orm.model(User).prepare((q, p: { email: string; lo: number; hi: number; a: string; b: string }) =>
      q.where('email', '=', p.email).filter('age', 'between', [p.lo, p.hi]).filter('name', 'in', [p.a, p.b]).filter('contains(tags, :tag)', { tag: p.a }));
    expect(await q.all({ email: 'team@x.io', lo: 21, hi: 24, a: 'a', b: 'Bob' })).toEqual(await orm.model(User).where('email', '=', 'team@x.io').filter('age', 'between', [21, 24]).filter('name', 'in', ['a', 'Bob']).filter('contains(tags, :tag)', { tag: 'a' }).all());
    expect((await q.all({ email: 'team@x.io', lo: 21, hi: 24, a: 'a', b: 'Bob' })).map((u) => u.id)).toEqual(['u1', 'u3']);
  });

  test('a key template composing a parameter: rebuilt per call, as correct', async () => {
    let runs = 0;
    const orders = orm.model(Order).prepare((q, p: { customerId: string; min: number }) => {
      runs++;
      return q.where('customerId', '=', p.customerId).filter('total', '>', p.min);
    });
    expect((await orders.all({ customerId: 'c1', min: 10 })).map((o) => o.orderId)).toEqual(['o2']);
    expect((await orders.all({ customerId: 'c2', min: 0 })).map((o) => o.orderId)).toEqual(['o1']);
    expect(orders.explain({ customerId: 'c1', min: 1 })).toEqual(orm.model(Order).where('customerId', '=', 'c1').filter('total', '>', 1).explain());
    expect(runs).toBe(1 + 3);
  });
});

describe('refused', () => {
  const refusal = (fn: () => unknown, words: string) => {
    const err = thrown(fn);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as Error).message).toContain(words);
    return err as ValidationError;
  };

  test('a parameter deciding the shape: attribute, operator, limit, index, order, list of in, the callback\'s own logic', () => {
    const m = orm.model(User);
    expect(refusal(() => m.prepare((q, p: { attr: 'name' }) => q.where(p.attr, '=', 'x')), 'parameter "attr" is used as the attribute of a condition').message).toMatch(/^prepare User:/);
    refusal(() => m.prepare((q, p: { op: '=' }) => q.where('name', p.op, 'x')), 'parameter "op" is used as the operator');
    refusal(() => m.prepare((q, p: { n: number }) => q.limit(p.n)), 'parameter "n" is used as the limit');
    refusal(() => m.prepare((q, p: { i: 'by-email' }) => q.index(p.i)), 'parameter "i" is used as the index');
    refusal(() => m.prepare((q, p: { d: 'asc' | 'desc' }) => q.where('email', '=', 'x').orderBy('joinedAt', p.d)), 'parameter "d" is used as the order');
    refusal(() => m.prepare((q, p: { ids: string[] }) => q.where('id', 'in', p.ids)), 'parameter "ids" is used as the whole list of "in"');
    refusal(() => m.prepare((q, p: { min: number }) => (p.min > 0 ? q.where('age', '>', p.min) : q)), 'parameter "min" is used as a primitive');
    refusal(() => m.prepare((q, p: { name: string }) => q.where('name', '=', `${p.name}!`)), 'parameter "name" is used as a primitive');
  });

  test('a missing or mistyped value at call time, before any request', async () => {
    const byName = orm.model(User).prepare((q, p: { name: string; min: number }) => q.where('name', '=', p.name).filter('age', '>', p.min));
    const sent = recordCommands(orm.client);
    const missing = await rejection(byName.all({ name: 'Ann' } as { name: string; min: number }));
    expect(missing).toBeInstanceOf(ValidationError);
    expect(missing.message).toBe('prepared query User: parameter "min": expected a number, received nothing (undefined)');
    const wrong = await rejection(byName.all({ name: 'Ann', min: 'ten' as unknown as number }));
    expect(wrong.message).toContain('parameter "min": expected a number');
    expect(sent).toEqual([]);
  });
});
