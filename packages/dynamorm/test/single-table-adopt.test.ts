// Adopting an existing single-table design written with the raw SDK: PK/SK, an overloaded GSI1,
// a local index LSI1 with a composed sort key, a `Type` discriminator, snake_case names,
// epoch-millis dates, and attributes stored only inside the key (an order's customer and date
// live only in PK = CUSTOMER#<id> and SK = ORDER#<iso>#<orderId>). DynamORM reads, queries,
// updates and writes it, and the stored items keep exactly the legacy layout.
import { beforeAll, describe, expect, it } from 'vitest';
import { CreateTableCommand, PutItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { DynamORM, ModelDefinitionError, ValidationError, model, t } from 'dynamorm';
import { endpoint, uniqueTable } from './support/dynamo.js';
import { rawClient, rejection, storedItem } from './support/inspect.js';

const Customer = model('Customer', {
  table: 'shop',
  entityAttribute: 'Type',
  keys: { pk: 'CUSTOMER#{customerId}', sk: 'PROFILE' },
  indexes: { GSI1: { pk: 'EMAIL#{email}', sk: 'CUSTOMER#{customerId}' } },
  attributes: {
    customerId: t.string().field('customer_id'),
    name: t.string().field('full_name'),
    email: t.string(),
    createdAt: t.date({ storeAs: 'epochMillis' }).field('created_at'),
  },
});

const Order = model('Order', {
  table: 'shop',
  entityAttribute: 'Type',
  keys: { pk: 'CUSTOMER#{customerId}', sk: 'ORDER#{placedAt}#{orderId}' },
  indexes: {
    GSI1: { pk: 'ORDERS#{status}', sk: 'ORDER#{placedAt}#{orderId}' },
    LSI1: { local: true, sk: 'STATUS#{status}#{placedAt}' },
  },
  attributes: {
    customerId: t.string().keyOnly(),
    placedAt: t.date().keyOnly(),
    orderId: t.string().field('order_id'),
    status: t.enum(['PENDING', 'SHIPPED']),
    total: t.number(),
  },
});

const prefix = `${uniqueTable('adopt')}_`;
const orm = new DynamORM({ endpoint: endpoint(), tablePrefix: prefix, models: [Customer, Order] });
const table = `${prefix}shop`;
const day = (n: number): Date => new Date(Date.UTC(2024, 4, n, 9, 30));
const iso = (n: number): string => day(n).toISOString();

/** An order as the legacy code writes it. */
const legacyOrder = (customer: string, id: string, n: number, status: string, total: number): Record<string, AttributeValue> => ({
  PK: { S: `CUSTOMER#${customer}` },
  SK: { S: `ORDER#${iso(n)}#${id}` },
  Type: { S: 'Order' },
  order_id: { S: id },
  status: { S: status },
  total: { N: String(total) },
  GSI1PK: { S: `ORDERS#${status}` },
  GSI1SK: { S: `ORDER#${iso(n)}#${id}` },
  LSI1SK: { S: `STATUS#${status}#${iso(n)}` },
});
const orderKey = (customer: string, id: string, n: number) => ({ PK: { S: `CUSTOMER#${customer}` }, SK: { S: `ORDER#${iso(n)}#${id}` } });

beforeAll(async () => {
  const S = 'S' as const;
  await rawClient().send(new CreateTableCommand({
    TableName: table,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: ['PK', 'SK', 'GSI1PK', 'GSI1SK', 'LSI1SK'].map((AttributeName) => ({ AttributeName, AttributeType: S })),
    KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }, { AttributeName: 'SK', KeyType: 'RANGE' }],
    GlobalSecondaryIndexes: [{ IndexName: 'GSI1', KeySchema: [{ AttributeName: 'GSI1PK', KeyType: 'HASH' }, { AttributeName: 'GSI1SK', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }],
    LocalSecondaryIndexes: [{ IndexName: 'LSI1', KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }, { AttributeName: 'LSI1SK', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }],
  }));
  const items = [
    { PK: { S: 'CUSTOMER#c1' }, SK: { S: 'PROFILE' }, Type: { S: 'Customer' }, customer_id: { S: 'c1' }, full_name: { S: 'Ann' }, email: { S: 'ann@example.com' }, created_at: { N: String(day(1).getTime()) }, GSI1PK: { S: 'EMAIL#ann@example.com' }, GSI1SK: { S: 'CUSTOMER#c1' } },
    legacyOrder('c1', 'o1', 2, 'SHIPPED', 10),
    legacyOrder('c1', 'o2', 3, 'PENDING', 20),
    legacyOrder('c1', 'o3', 4, 'SHIPPED', 30),
    legacyOrder('c1', 'o4', 5, 'PENDING', 40),
    legacyOrder('c2', 'o9', 6, 'PENDING', 90),
  ];
  for (const Item of items) await rawClient().send(new PutItemCommand({ TableName: table, Item }));
});

const orders = () => orm.model(Order);
const ids = (items: readonly { orderId: string }[]): string[] => items.map((o) => o.orderId);
const names = (request: object): string[] => Object.values((request as { ExpressionAttributeNames?: Record<string, string> }).ExpressionAttributeNames ?? {});

describe('reading the legacy items', () => {
  it('get() reads snake_case, epoch-millis and key-only attributes back', async () => {
    expect(await orm.model(Customer).get({ customerId: 'c1' })).toEqual({ customerId: 'c1', name: 'Ann', email: 'ann@example.com', createdAt: day(1) });
    expect(await orders().get({ customerId: 'c1', placedAt: day(3), orderId: 'o2' })).toEqual({ customerId: 'c1', placedAt: day(3), orderId: 'o2', status: 'PENDING', total: 20 });
  });

  it('a query of the partition parses customerId and placedAt from every key, ordered by placedAt', async () => {
    const all = await orders().where('customerId', '=', 'c1').orderBy('placedAt', 'desc').all();
    expect(all.map((o) => [o.orderId, o.customerId, o.placedAt])).toEqual([['o4', 'c1', day(5)], ['o3', 'c1', day(4)], ['o2', 'c1', day(3)], ['o1', 'c1', day(2)]]);
  });

  it('batchGet, transactGet, collections and scans parse them too', async () => {
    const key = { customerId: 'c1', placedAt: day(2), orderId: 'o1' };
    expect((await orders().batchGet([key]))[0]).toMatchObject(key);
    const [got] = await orm.transactGet([{ model: Order, key }]);
    expect(got).toMatchObject(key);
    const both = await orm.collection([Customer, Order]).where('customerId', '=', 'c1').all();
    expect(both.find((i) => i.entity === 'Order')?.item).toMatchObject({ customerId: 'c1' });
    expect((await orders().scan()).find((o) => o.orderId === 'o9')).toMatchObject({ customerId: 'c2', placedAt: day(6) });
  });

  it('the key of an item read can be built and used', async () => {
    const [first] = await orders().where('customerId', '=', 'c1').limit(1).all();
    expect(await orders().get(first!)).toEqual(first);
    expect(Order.keyOf(first!)).toEqual({ customerId: 'c1', placedAt: day(2), orderId: 'o1' });
  });
});

describe('conditions on key-only attributes', () => {
  it('become key conditions where they can', () => {
    const q = orders().where('customerId', '=', 'c1').where('placedAt', '>', day(3));
    const { request } = q.explain();
    expect(request).toMatchObject({ KeyConditionExpression: '#0 = :0 AND #1 BETWEEN :1 AND :2' });
    expect(names(request)).not.toContain('placedAt');
  });

  it("are checked on each parsed item otherwise, never sent as a filter on an attribute that is not stored: where('placedAt', '<>', d)", async () => {
    const q = orders().where('customerId', '=', 'c1').where('placedAt', '<>', day(3));
    expect(names(q.explain().request)).not.toContain('placedAt');
    expect(ids(await q.all())).toEqual(['o1', 'o3', 'o4']);
    expect(await q.count()).toBe(3);
    expect(ids(await orders().where('placedAt', '<', day(4)).scan())).toEqual(expect.arrayContaining(['o1', 'o2']));
    expect(ids(await orders().where('placedAt', '<', day(4)).scan())).toHaveLength(2);
    // On a GSI query, a condition on the key-only customerId is checked on each item read.
    const other = orders().where('status', '=', 'PENDING').where('customerId', '<>', 'c1');
    expect(other.explain()).toMatchObject({ operation: 'Query', index: 'GSI1' });
    expect(names(other.explain().request)).not.toContain('customerId');
    expect(ids(await other.all())).toEqual(['o9']);
  });

  it('are refused in write conditions, and key-only attributes cannot be updated', async () => {
    const key = { customerId: 'c1', placedAt: day(3), orderId: 'o2' };
    const refused = await rejection(orders().key(key).if((c) => c.lt('placedAt', day(9))).update({ total: 21 }));
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as Error).message).toMatch(/Order\.placedAt: is stored only inside the table's key/);
    expect(await rejection(orders().key(key).update({ placedAt: day(9) } as never))).toBeInstanceOf(ValidationError);
    expect((await storedItem(orm, Order, orderKey('c1', 'o2', 3)))?.['total']).toEqual({ N: '20' });
  });
});

describe('indexes', () => {
  it('a condition on the local index sort key picks LSI1 over the table, whose only sort key condition is its literal prefix', async () => {
    const q = orders().where('customerId', '=', 'c1').where('status', '=', 'SHIPPED');
    expect(q.explain()).toMatchObject({ operation: 'Query', index: 'LSI1' });
    expect(ids(await q.all())).toEqual(['o1', 'o3']);
    const recent = orders().where('customerId', '=', 'c1').where('status', '=', 'SHIPPED').orderBy('placedAt', 'desc');
    expect(recent.explain()).toMatchObject({ index: 'LSI1' });
    expect(ids(await recent.all())).toEqual(['o3', 'o1']);
  });

  it("index('LSI1') with the partition attribute is a Query", async () => {
    const q = orders().index('LSI1').where('customerId', '=', 'c1');
    expect(q.explain()).toMatchObject({ operation: 'Query', index: 'LSI1' });
    expect(ids(await q.all())).toEqual(['o2', 'o4', 'o1', 'o3']);
  });

  it("index(name) of an attribute's .localIndex() on composed keys is a Query too, and advice names the model's attributes", () => {
    const Line = model('Line', {
      table: 'lines',
      keys: { pk: 'ORDER#{orderId}', sk: 'LINE#{lineId}' },
      attributes: { orderId: t.string(), lineId: t.string(), qty: t.number().localIndex('LSI2') },
    });
    const lines = new DynamORM({ endpoint: endpoint(), models: [Line] }).model(Line);
    expect(lines.index('LSI2').where('orderId', '=', 'o1').where('qty', '>', 2).explain()).toMatchObject({ operation: 'Query', index: 'LSI2' });
    const scan = lines.index('LSI2').where('qty', '>', 2).explain();
    expect(scan.operation).toBe('Scan');
    expect(scan.reasons.join(' ')).toContain("where('orderId', '=', …)");
    expect(scan.reasons.join(' ')).not.toMatch(/LSI2: PK\b(?! \()/);
  });

  it('the overloaded GSI1 serves both models', async () => {
    expect(await orm.model(Customer).where('email', '=', 'ann@example.com').all()).toHaveLength(1);
    const pending = orders().where('status', '=', 'PENDING');
    expect(pending.explain()).toMatchObject({ operation: 'Query', index: 'GSI1' });
    expect(ids(await pending.all())).toEqual(['o2', 'o4', 'o9']);
  });
});

describe('writes keep the legacy layout', () => {
  it('an update recomputes the LSI1 and GSI1 keys and adds no attribute', async () => {
    await orders().key({ customerId: 'c1', placedAt: day(5), orderId: 'o4' }).update({ status: 'SHIPPED' });
    expect(await storedItem(orm, Order, orderKey('c1', 'o4', 5))).toEqual(legacyOrder('c1', 'o4', 5, 'SHIPPED', 40));
    expect(ids(await orders().where('customerId', '=', 'c1').where('status', '=', 'SHIPPED').all())).toEqual(['o1', 'o3', 'o4']);
    await orm.model(Customer).key({ customerId: 'c1' }).update({ name: 'Ann B.' });
    expect(Object.keys((await storedItem(orm, Customer, { PK: { S: 'CUSTOMER#c1' }, SK: { S: 'PROFILE' } }))!).sort()).toEqual(['GSI1PK', 'GSI1SK', 'PK', 'SK', 'Type', 'created_at', 'customer_id', 'email', 'full_name']);
  });

  it('put() and create() write exactly what the legacy code writes', async () => {
    await orders().create({ customerId: 'c3', placedAt: day(7), orderId: 'o7', status: 'PENDING', total: 70 });
    expect(await storedItem(orm, Order, orderKey('c3', 'o7', 7))).toEqual(legacyOrder('c3', 'o7', 7, 'PENDING', 70));
    const read = (await orders().get({ customerId: 'c1', placedAt: day(2), orderId: 'o1' }))!;
    await orders().put({ ...read, total: 11 });
    expect(await storedItem(orm, Order, orderKey('c1', 'o1', 2))).toEqual(legacyOrder('c1', 'o1', 2, 'SHIPPED', 11));
    await orm.model(Customer).put({ customerId: 'c3', name: 'Cy', email: 'cy@example.com', createdAt: day(7) });
    expect(await storedItem(orm, Customer, { PK: { S: 'CUSTOMER#c3' }, SK: { S: 'PROFILE' } })).toEqual({
      PK: { S: 'CUSTOMER#c3' }, SK: { S: 'PROFILE' }, Type: { S: 'Customer' }, customer_id: { S: 'c3' }, full_name: { S: 'Cy' }, email: { S: 'cy@example.com' }, created_at: { N: String(day(7).getTime()) }, GSI1PK: { S: 'EMAIL#cy@example.com' }, GSI1SK: { S: 'CUSTOMER#c3' },
    });
  });

  it('batch and transaction writes too', async () => {
    await orders().batchPut([{ customerId: 'c4', placedAt: day(8), orderId: 'o8', status: 'SHIPPED', total: 80 }]);
    expect(await storedItem(orm, Order, orderKey('c4', 'o8', 8))).toEqual(legacyOrder('c4', 'o8', 8, 'SHIPPED', 80));
    await orm.transaction((tx) => {
      tx.model(Order).key({ customerId: 'c4', placedAt: day(8), orderId: 'o8' }).update({ status: 'PENDING' });
    });
    expect(await storedItem(orm, Order, orderKey('c4', 'o8', 8))).toEqual(legacyOrder('c4', 'o8', 8, 'PENDING', 80));
  });
});

describe('definitions', () => {
  it('a key-only attribute must be named by the table key templates', () => {
    expect(() => model('Bad', { keys: { pk: 'X#{id}' }, indexes: { G: { pk: 'D#{day}' } }, attributes: { id: t.string(), day: t.string().keyOnly() } })).toThrow(ModelDefinitionError);
    expect(() => model('Bad', { attributes: { id: t.string().pk(), day: t.string().keyOnly() } })).toThrow(/no key templates/);
  });

  it('a composed local index needs composed table keys with a sort key, and no pk of its own', () => {
    expect(() => model('Bad', { attributes: { id: t.string().pk(), at: t.string().sk(), s: t.string() }, indexes: { L: { local: true, sk: 'S#{s}' } } })).toThrow(/table's keys must be composed/);
    expect(() => model('Bad', { keys: { pk: 'X#{id}' }, attributes: { id: t.string(), s: t.string() }, indexes: { L: { local: true, sk: 'S#{s}' } } })).toThrow(/with a sort key/);
    expect(() => model('Bad', { keys: { pk: 'X#{id}', sk: 'Y' }, attributes: { id: t.string(), s: t.string() }, indexes: { L: { local: true, pk: 'P#{s}', sk: 'S#{s}' } as never } })).toThrow(/only its sk template/);
  });
});
