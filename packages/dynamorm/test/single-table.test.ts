// Single-table design: three models in one table with composed keys and a discriminator, the
// collection query over one partition, and models without these options left untouched.
import { beforeAll, describe, expect, it } from 'vitest';
import { DescribeTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamORM, ModelDefinitionError, ValidationError, model, t } from 'dynamorm';
import { endpoint, uniqueTable } from './support/dynamo.js';
import { rawClient, storedItem, storedItems } from './support/inspect.js';

const User = model('User', {
  table: 'app',
  keys: { pk: 'USER#{userId}', sk: 'PROFILE' },
  attributes: {
    userId: t.string(),
    name: t.string(),
    email: t.string().index('gsi-email'),
  },
});
const Order = model('Order', {
  table: 'app',
  keys: { pk: 'USER#{userId}', sk: 'ORDER#{placedAt}#{orderId}' },
  attributes: {
    userId: t.string(),
    orderId: t.string(),
    placedAt: t.date(),
    total: t.number(),
    status: t.enum(['open', 'shipped']),
  },
});
const Address = model('Address', {
  table: 'app',
  entity: 'ADDR',
  keys: { pk: 'USER#{userId}', sk: { field: 'SK', template: 'ADDRESS#{label}' } },
  attributes: {
    userId: t.string(),
    label: t.string(),
    city: t.string(),
  },
});
// A plain model in its own table: no attribute of the library's.
const Plain = model('Plain', { table: 'plain', attributes: { id: t.string().pk(), n: t.number() } });

const orm = new DynamORM({ endpoint: endpoint(), autoMigrate: true, tablePrefix: `${uniqueTable('single')}_`, models: [User, Order, Address] });
const day = (n: number): Date => new Date(Date.UTC(2024, 4, n));

beforeAll(async () => {
  await orm.model(User).create({ userId: 'u1', name: 'Ann', email: 'ann@example.com' });
  await orm.model(User).create({ userId: 'u2', name: 'Bob', email: 'bob@example.com' });
  for (let i = 1; i <= 5; i++) {
    await orm.model(Order).create({ userId: 'u1', orderId: `o${i}`, placedAt: day(i), total: i * 10, status: i % 2 === 0 ? 'shipped' : 'open' });
  }
  await orm.model(Order).create({ userId: 'u2', orderId: 'o9', placedAt: day(9), total: 90, status: 'open' });
  await orm.model(Address).create({ userId: 'u1', label: 'home', city: 'Paris' });
  await orm.model(Address).create({ userId: 'u1', label: 'work', city: 'Lyon' });
  await orm.model(Plain).create({ id: 'p', n: 1 });
});

describe('single-table models', () => {
  it('autoMigrate creates the shared table once, from all its models', async () => {
    const out = await rawClient().send(new DescribeTableCommand({ TableName: orm.tableName(User) }));
    expect(out.Table!.KeySchema).toEqual([{ AttributeName: 'PK', KeyType: 'HASH' }, { AttributeName: 'SK', KeyType: 'RANGE' }]);
    expect(out.Table!.GlobalSecondaryIndexes!.map((i) => i.IndexName)).toEqual(['gsi-email']);
  });

  it('writes compose PK / SK from the attributes and store the discriminator; reads strip them', async () => {
    const stored = await storedItem(orm, Order, { PK: { S: 'USER#u1' }, SK: { S: `ORDER#${day(2).toISOString()}#o2` } });
    expect(stored).toMatchObject({ PK: { S: 'USER#u1' }, SK: { S: `ORDER#${day(2).toISOString()}#o2` }, __entity: { S: 'Order' }, orderId: { S: 'o2' }, total: { N: '20' } });
    const address = await storedItem(orm, Address, { PK: { S: 'USER#u1' }, SK: { S: 'ADDRESS#home' } });
    expect(address?.['__entity']).toEqual({ S: 'ADDR' });
    const order = await orm.model(Order).get({ userId: 'u1', placedAt: day(2), orderId: 'o2' });
    expect(order).toEqual({ userId: 'u1', orderId: 'o2', placedAt: day(2), total: 20, status: 'shipped' });
  });

  it('a model without these options stores nothing of the library', async () => {
    expect(await storedItems(orm, Plain)).toEqual([{ id: { S: 'p' }, n: { N: '1' } }]);
  });

  it("where('userId', '=', 'u1') on a model whose pk is USER#{userId} queries PK = 'USER#u1'", async () => {
    const q = orm.model(Order).where('userId', '=', 'u1');
    expect(q.explain()).toMatchObject({
      operation: 'Query',
      request: {
        KeyConditionExpression: '#0 = :0 AND begins_with(#1, :1)',
        ExpressionAttributeNames: { '#0': 'PK', '#1': 'SK' },
        ExpressionAttributeValues: { ':0': { S: 'USER#u1' }, ':1': { S: 'ORDER#' } },
      },
    });
    // The key condition keeps to Order's keys (ORDER#…): no discriminator filter, each item read is checked.
    expect(q.explain().request).not.toHaveProperty('FilterExpression');
    const orders = await q.all();
    expect(orders.map((o) => o.orderId)).toEqual(['o1', 'o2', 'o3', 'o4', 'o5']);
    expect(orders[0]).not.toHaveProperty('PK');
    expect(await q.count()).toBe(5);
    // Leading sort key attributes narrow the prefix; orderBy the first one is served by SK.
    const recent = orm.model(Order).where('userId', '=', 'u1').where('placedAt', '=', day(3));
    expect(recent.explain().request).toMatchObject({ ExpressionAttributeValues: { ':1': { S: `ORDER#${day(3).toISOString()}#` } } });
    expect((await recent.all()).map((o) => o.orderId)).toEqual(['o3']);
    expect((await orm.model(Order).where('userId', '=', 'u1').orderBy('placedAt', 'desc').limit(2).all()).map((o) => o.orderId)).toEqual(['o5', 'o4']);
    // Other conditions filter on the attributes, which are stored too.
    expect((await orm.model(Order).where('userId', '=', 'u1').where('status', '=', 'shipped').all()).map((o) => o.orderId)).toEqual(['o2', 'o4']);
  });

  it('the full composed key is a GetItem, and a key of another entity is not this model', async () => {
    const q = orm.model(User).where('userId', '=', 'u1');
    expect(q.explain()).toMatchObject({ operation: 'GetItem', request: { Key: { PK: { S: 'USER#u1' }, SK: { S: 'PROFILE' } } } });
    expect(await q.first()).toEqual({ userId: 'u1', name: 'Ann', email: 'ann@example.com' });
    expect((await orm.model(User).index('gsi-email').where('email', '=', 'bob@example.com').all()).map((u) => u.userId)).toEqual(['u2']);
  });

  it('an item without the discriminator is no model\'s: get, batchGet, transactGet and queries agree', async () => {
    // Written by other code at a key of Order's template, with every attribute but __entity.
    await rawClient().send(new PutItemCommand({ TableName: orm.tableName(Order), Item: { PK: { S: 'USER#u3' }, SK: { S: 'ORDER#2024-05-01T00:00:00.000Z#x1' }, userId: { S: 'u3' }, orderId: { S: 'x1' }, placedAt: { S: '2024-05-01T00:00:00.000Z' }, total: { N: '1' }, status: { S: 'open' } } }));
    const key = { userId: 'u3', placedAt: day(1), orderId: 'x1' };
    expect(await orm.model(Order).get(key)).toBeUndefined();
    expect(await orm.model(Order).consistentRead().get(key)).toBeUndefined();
    expect(await orm.batchGet([{ model: Order, keys: [key] }])).toEqual([[]]);
    expect(await orm.transactGet([{ model: Order, key }])).toEqual([undefined]);
    expect(await orm.model(Order).where('userId', '=', 'u3').all()).toEqual([]);
  });

  it('entityAttribute: false: a model of a table without discriminators claims the items its key templates fit', async () => {
    const table = `${uniqueTable('no-entity')}`;
    const Profile = model('Profile', { table, entityAttribute: false, keys: { pk: { field: 'pk', template: 'USER#{userId}' }, sk: { field: 'sk', template: 'PROFILE' } }, attributes: { userId: t.string(), handle: t.string() } });
    const Post = model('Post', { table, entityAttribute: false, keys: { pk: { field: 'pk', template: 'USER#{userId}' }, sk: { field: 'sk', template: 'POST#{postId}' } }, attributes: { userId: t.string(), postId: t.string(), title: t.string() } });
    const legacy = new DynamORM({ endpoint: endpoint(), autoMigrate: true, models: [Profile, Post] });
    // Items as other code wrote them: no discriminator.
    await legacy.createTables(Profile);
    await rawClient().send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'USER#u1' }, sk: { S: 'PROFILE' }, userId: { S: 'u1' }, handle: { S: '@u1' } } }));
    await rawClient().send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'USER#u1' }, sk: { S: 'POST#p1' }, userId: { S: 'u1' }, postId: { S: 'p1' }, title: { S: 'One' } } }));
    await legacy.model(Post).create({ userId: 'u1', postId: 'p2', title: 'Two' });
    expect(await storedItem(legacy, Post, { pk: { S: 'USER#u1' }, sk: { S: 'POST#p2' } })).toEqual({ pk: { S: 'USER#u1' }, sk: { S: 'POST#p2' }, userId: { S: 'u1' }, postId: { S: 'p2' }, title: { S: 'Two' } });
    expect(await legacy.model(Profile).get({ userId: 'u1' })).toEqual({ userId: 'u1', handle: '@u1' });
    expect((await legacy.model(Post).where('userId', '=', 'u1').all()).map((p) => p.postId)).toEqual(['p1', 'p2']);
    expect(await legacy.model(Profile).scan()).toEqual([{ userId: 'u1', handle: '@u1' }]);
    expect(() => model('Bad', { entityAttribute: false, entity: 'B', keys: { pk: 'B#{id}' }, attributes: { id: t.string() } })).toThrow(/entity needs a discriminator attribute/);
    expect(() => model('Bad', { entityAttribute: false, attributes: { id: t.string().pk() } })).toThrow(/entityAttribute: false tells items apart by the key templates of options.keys: give keys/);
    expect(() => legacy.collection([Profile, Post])).toThrow(/no entity discriminator/);
  });

  it('updates and deletes address the composed key; key attributes cannot be updated', async () => {
    await orm.model(Address).key({ userId: 'u1', label: 'work' }).update({ city: 'Nice' });
    expect((await orm.model(Address).get({ userId: 'u1', label: 'work' }))?.city).toBe('Nice');
    await expect(orm.model(Address).key({ userId: 'u1', label: 'work' }).update({ label: 'x' } as never)).rejects.toThrow(ValidationError);
    await orm.model(Address).create({ userId: 'u2', label: 'tmp', city: 'Rome' });
    expect(await orm.model(Address).delete({ userId: 'u2', label: 'tmp' })).toEqual({ userId: 'u2', label: 'tmp', city: 'Rome' });
    expect(await orm.model(Address).get({ userId: 'u2', label: 'tmp' })).toBeUndefined();
  });

  it('a collection query returns one partition, each item decoded to its own model', async () => {
    const collection = orm.collection([User, Order, Address]).where('userId', '=', 'u1');
    expect(collection.explain()).toMatchObject({
      operation: 'Query',
      request: { KeyConditionExpression: '#0 = :0', FilterExpression: '#1 IN (:1, :2, :3)', ExpressionAttributeValues: { ':0': { S: 'USER#u1' } } },
    });
    const items = await collection.all();
    expect(items.map((i) => i.entity)).toEqual(['Address', 'Address', 'Order', 'Order', 'Order', 'Order', 'Order', 'User']);
    const totals: number[] = [];
    const cities: string[] = [];
    for (const i of items) {
      if (i.entity === 'Order') totals.push(i.item.total);
      else if (i.entity === 'Address') cities.push(i.item.city);
      else expect(i.item.name).toBe('Ann');
    }
    expect(totals).toEqual([10, 20, 30, 40, 50]);
    expect(cities).toEqual(['Paris', 'Nice']);
    expect(await collection.count()).toBe(8);
    // Pages across the partition: nothing skipped or repeated.
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await collection.limit(3).page(cursor);
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((i) => JSON.stringify(i.item)));
      cursor = page.cursor;
    } while (cursor !== undefined);
    expect(seen).toEqual(items.map((i) => JSON.stringify(i.item)));
    // A collection of two models leaves the third out.
    expect((await orm.collection([User, Address]).where('userId', '=', 'u1').all()).map((i) => i.entity)).toEqual(['Address', 'Address', 'User']);
  });

  it('model definitions that cannot work are refused', () => {
    expect(() => model('Bad', { keys: { pk: 'X#{nope}' } as never, attributes: { id: t.string() } })).toThrow(ModelDefinitionError);
    expect(() => model('Bad', { keys: { pk: 'X#{id}' }, attributes: { id: t.string().pk() } })).toThrow(/composes its keys from templates/);
    expect(() => model('Bad', { keys: { pk: 'X#{id}' }, attributes: { id: t.string().optional() } })).toThrow(/cannot be optional/);
    expect(() => model('Bad', { keys: { pk: 'X#{id}' }, attributes: { id: t.string(), PK: t.string() } })).toThrow(/composed key uses/);
    expect(() => orm.collection([User, Plain])).toThrow(/no entity discriminator/);
    const Twin = model('Twin', { table: 'app', entity: 'Order', keys: { pk: 'USER#{userId}' }, attributes: { userId: t.string() } });
    expect(() => orm.register(Twin)).toThrow(/entity "Order" is already used by Order/);
    expect(() => orm.collection([User, Order]).where('name' as 'userId', '=', 'x').explain()).toThrow(ValidationError);
  });
});
