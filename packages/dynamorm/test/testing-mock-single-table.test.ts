// The expectation mock on single-table models: an online shop (Customer, Order, OrderLine,
// Product) on one table with key templates and an overloaded GSI. Replies are encoded by each
// model (composed keys, discriminator), conditions on template attributes match the composed key
// fields the request carries, calls are named by the model the code called. No DynamoDB.
import { describe, expect, test } from 'vitest';
import { ConditionFailedError, ItemNotFoundError, model, OptimisticLockError, t, TransactionCanceledError } from 'dynamorm';
import { rejection } from './support/inspect.js';
import { createMock, MockError } from 'dynamorm/testing';

const Customer = model('Customer', {
  table: 'shop',
  keys: { pk: 'CUSTOMER#{customerId}', sk: 'PROFILE' },
  indexes: { GSI1: { pk: 'EMAIL#{email}', sk: 'CUSTOMER' } },
  attributes: { customerId: t.string(), email: t.string(), name: t.string() },
});
const Order = model('Order', {
  table: 'shop',
  keys: { pk: 'CUSTOMER#{customerId}', sk: 'ORDER#{orderId}' },
  // The same GSI1 as Customer's, with Order's own templates: an overloaded index.
  indexes: { GSI1: { pk: 'STATUS#{status}', sk: 'PLACED#{placedAt}' } },
  attributes: {
    customerId: t.string(), orderId: t.string(), placedAt: t.date(), total: t.number(),
    status: t.enum(['open', 'shipped']),
  },
});
const OrderLine = model('OrderLine', {
  table: 'shop',
  keys: { pk: 'ORDER#{orderId}', sk: 'LINE#{lineNo}' },
  attributes: { orderId: t.string(), lineNo: t.number(), productId: t.string(), quantity: t.number() },
});
const Product = model('Product', {
  table: 'shop',
  keys: { pk: 'PRODUCT#{productId}', sk: 'PRODUCT' },
  indexes: { GSI1: { pk: 'CATEGORY#{category}', sk: 'PRODUCT#{productId}' } },
  attributes: { productId: t.string(), category: t.string(), price: t.number(), stock: t.number() },
});
const models = [Customer, Order, OrderLine, Product];

const day = (n: number): Date => new Date(Date.UTC(2024, 4, n));
const ann = { customerId: 'c1', email: 'ann@example.com', name: 'Ann' };
const order1 = { customerId: 'c1', orderId: 'o1', placedAt: day(1), total: 30, status: 'open' as const };
const order2 = { customerId: 'c1', orderId: 'o2', placedAt: day(2), total: 12, status: 'shipped' as const };

describe('willReturn on single-table models reaches the code under test', () => {
  test('a query of the table partition returns the items given', async () => {
    const mock = createMock({ models });
    mock.expectQuery(Order).willReturn([order1, order2]);
    expect(await mock.orm.model(Order).where('customerId', '=', 'c1').all()).toEqual([order1, order2]);
    mock.verify();
  });

  test('first() and a partial item', async () => {
    const mock = createMock({ models });
    mock.expectQuery(Order).willReturn({ orderId: 'o1', total: 30 });
    expect(await mock.orm.model(Order).where('customerId', '=', 'c1').first()).toEqual({ orderId: 'o1', total: 30 });
    mock.verify();
  });

  test('a query of the overloaded GSI', async () => {
    const mock = createMock({ models });
    mock.expectQuery(Order).withIndex('GSI1').withCondition('status', '=', 'open').willReturn([order1]);
    expect(await mock.orm.model(Order).where('status', '=', 'open').all()).toEqual([order1]);
    mock.verify();
  });

  test('a get by key, and a query the planner turns into a GetItem', async () => {
    const mock = createMock({ models });
    mock.expectGet(Customer).withKey({ customerId: 'c1' }).willReturn(ann);
    mock.expectQuery(Order).withKey({ customerId: 'c1', orderId: 'o1' }).willReturn(order1);
    expect(await mock.orm.model(Customer).get({ customerId: 'c1' })).toEqual(ann);
    expect(await mock.orm.model(Order).where('customerId', '=', 'c1').where('orderId', '=', 'o1').first()).toEqual(order1);
    mock.verify();
  });

  test('a collection of several models over one partition', async () => {
    const mock = createMock({ models });
    mock.expectCollection([Customer, Order]).withCondition('customerId', '=', 'c1').willReturn(Customer, ann).willReturn(Order, [order1, order2]);
    const items = await mock.orm.collection([Customer, Order]).where('customerId', '=', 'c1').all();
    expect(items).toEqual([{ entity: 'Customer', item: ann }, { entity: 'Order', item: order1 }, { entity: 'Order', item: order2 }]);
    expect(mock.calls[0]!.description).toBe('Query on collection Customer, Order (table "shop") where customerId = "c1"');
    mock.verify();
  });

  test('batchGet', async () => {
    const mock = createMock({ models });
    mock.expectBatchGet(Order).withKey({ customerId: 'c1', orderId: 'o1' }).withKey({ customerId: 'c1', orderId: 'o2' }).willReturn([order2]);
    expect(await mock.orm.model(Order).batchGet([{ customerId: 'c1', orderId: 'o1' }, { customerId: 'c1', orderId: 'o2' }], { ordered: true })).toEqual([undefined, order2]);
    mock.verify();
  });

  test('gets of several models coalesced into one BatchGetItem each meet their expectGet', async () => {
    const mock = createMock({ models });
    mock.expectGet(Customer).withKey({ customerId: 'c1' }).willReturn(ann);
    mock.expectGet(Order).withKey({ customerId: 'c1', orderId: 'o1' }).willReturn({ total: 30 });
    mock.expectGet(Product).withKey({ productId: 'p9' });
    const [customer, order, product] = await Promise.all([
      mock.orm.model(Customer).get({ customerId: 'c1' }),
      mock.orm.model(Order).get({ customerId: 'c1', orderId: 'o1' }),
      mock.orm.model(Product).get({ productId: 'p9' }),
    ]);
    expect(mock.calls.map((c) => c.operation)).toEqual(['BatchGetItem']);
    expect(customer).toEqual(ann);
    // A get's item carries the key it was read by.
    expect(order).toEqual({ customerId: 'c1', orderId: 'o1', total: 30 });
    expect(product).toBeUndefined();
    mock.verify();
  });

  test('transactGet', async () => {
    const mock = createMock({ models });
    mock.expectTransactGet().withGet(Customer, { customerId: 'c1' }).withGet(Order, { customerId: 'c1', orderId: 'o1' }).willReturn(Customer, ann).willReturn(Order, order1);
    expect(await mock.orm.transactGet([{ model: Customer, key: { customerId: 'c1' } }, { model: Order, key: { customerId: 'c1', orderId: 'o1' } }])).toEqual([ann, order1]);
    mock.verify();
  });
});

describe('conditions on template attributes match the composed keys the request carries', () => {
  test("withCondition('customerId', '=', 'c1') meets the Query on PK = CUSTOMER#c1", async () => {
    const mock = createMock({ models });
    mock.expectQuery(Order).withCondition('customerId', '=', 'c1').willReturn([order1]);
    expect(await mock.orm.model(Order).where('customerId', '=', 'c1').all()).toEqual([order1]);
    mock.verify();
  });

  test('conditions on each attribute of a key, on a GetItem, a GSI query and a range of the sort key', async () => {
    const mock = createMock({ models });
    mock.expectQuery(Order).withCondition('orderId', '=', 'o1').withCondition('customerId', '=', 'c1').willReturn(order1);
    mock.expectQuery(Order).withCondition('status', '=', 'shipped').withCondition('placedAt', '>=', day(2)).willReturn(order2);
    mock.expectQuery(OrderLine).withCondition('orderId', '=', 'o1').withCondition('lineNo', '=', 2).willReturn({ orderId: 'o1', lineNo: 2, quantity: 1 });
    expect(await mock.orm.model(Order).where('customerId', '=', 'c1').where('orderId', '=', 'o1').first()).toEqual(order1);
    expect(await mock.orm.model(Order).where('status', '=', 'shipped').where('placedAt', '>=', day(2)).all()).toEqual([order2]);
    expect(await mock.orm.model(OrderLine).where('orderId', '=', 'o1').where('lineNo', '=', 2).first()).toMatchObject({ quantity: 1 });
    mock.verify();
  });

  test('withKey and withCondition on writes of composed keys', async () => {
    const mock = createMock({ models });
    mock.expectUpdate(Product).withKey({ productId: 'p1' }).withChanges({ stock: 4 }).withCondition('stock', '>', 0);
    mock.expectDelete(Order).withKey({ customerId: 'c1', orderId: 'o1' });
    await mock.orm.model(Product).key({ productId: 'p1' }).if((c) => c.gt('stock', 0)).update({ stock: 4 });
    await mock.orm.model(Order).delete({ customerId: 'c1', orderId: 'o1' });
    mock.verify();
  });
});

describe('calls and messages name the model the code called, in its attribute names', () => {
  test('calls are labelled by the model, with conditions on its attributes', async () => {
    const mock = createMock({ models });
    mock.expectQuery(Order).willReturn([]);
    mock.expectGet(Customer);
    await mock.orm.model(Order).where('customerId', '=', 'c1').all();
    await mock.orm.model(Customer).get({ customerId: 'c1' });
    expect(mock.calls.map((c) => c.description)).toEqual([
      'Query on Order (table "shop") where customerId = "c1"',
      'GetItem on Customer (table "shop") key { customerId: "c1" }',
    ]);
  });

  test('an expectation on another model of the table is not met, and the message says so in model terms', async () => {
    const mock = createMock({ models });
    mock.expectQuery(Customer).withCondition('customerId', '=', 'c1');
    const error = await rejection(mock.orm.model(Order).where('customerId', '=', 'c2').all());
    expect(error).toBeInstanceOf(MockError);
    expect((error as MockError).model).toBe('Order');
    expect(error.message).toBe([
      'DynamORM mock: unexpected Query on Order (table "shop") where customerId = "c2".',
      `Closest expectation: expectQuery(Customer).withCondition('customerId', '=', 'c1') (declared at ${/declared at (.*)\)/.exec(error.message)![1]})`,
      'It did not match: it is on Order, not Customer.',
      'Declare the call with mock.expectQuery(…), or fix the code under test.',
    ].join('\n'));
  });

  test('a condition with another value names the attribute, not the stored key field', async () => {
    const mock = createMock({ models });
    mock.expectQuery(Order).withCondition('customerId', '=', 'c1');
    const error = await rejection(mock.orm.model(Order).where('customerId', '=', 'c2').where('total', '>', 5).all());
    expect(error.message).toContain('unexpected Query on Order (table "shop") where customerId = "c2" and total > 5.');
    expect(error.message).toContain('the request has no condition customerId = "c1" (its conditions: customerId = "c2", total > 5)');
    expect(error.message).not.toMatch(/PK|__entity/);
  });

  test("a range on a composed sort key names the template's attributes; the library's own conditions are left out", async () => {
    const mock = createMock({ models });
    const range = await rejection(mock.orm.model(Order).where('status', '=', 'open').where('placedAt', '>=', day(2)).all());
    expect(range.message).toContain(`unexpected Query on Order (table "shop", index GSI1) where status = "open" and GSI1SK (PLACED#{placedAt}) BETWEEN "PLACED#${day(2).toISOString()}" AND "PLACED$".`);
    const collection = await rejection(mock.orm.collection([Customer, Order]).where('customerId', '=', 'c1').sortKey('begins_with', 'ORDER#').all());
    expect(collection.message).toContain('unexpected Query on collection Customer, Order (table "shop") where customerId = "c1" and begins_with(SK, "ORDER#").');
    expect(collection.message).toContain('mock.expectCollection(…)');
  });

  test('an unexpected write names its key and item in model terms', async () => {
    const mock = createMock({ models });
    const error = await rejection(mock.orm.model(OrderLine).delete({ orderId: 'o1', lineNo: 3 }));
    expect(error.message).toContain('unexpected DeleteItem on OrderLine (table "shop") key { orderId: "o1", lineNo: 3 }');
    const put = await rejection(mock.orm.model(Product).put({ productId: 'p1', category: 'tea', price: 4, stock: 1 }));
    expect(put.message).toContain('unexpected PutItem on Product (table "shop") item { productId: "p1", category: "tea", price: 4, stock: 1 }');
  });
});

describe('willFail gives the documented errors', () => {
  test("willFail('ConditionalCheckFailedException') on an update: the condition did not hold", async () => {
    const mock = createMock({ models });
    mock.expectUpdate(Product).withKey({ productId: 'p1' }).willFail('ConditionalCheckFailedException');
    const error = await rejection(mock.orm.model(Product).key({ productId: 'p1' }).if((c) => c.gt('stock', 0)).update({ stock: 4 }));
    expect(error).toBeInstanceOf(ConditionFailedError);
    expect(error).not.toBeInstanceOf(ItemNotFoundError);
    expect(error.message).toBe('update Product { productId: "p1" }: the condition did not hold');
    mock.expectDelete(Order).willFail('ConditionalCheckFailedException');
    mock.expectPut(Product).willFail('ConditionalCheckFailedException');
    const deleted = await rejection(mock.orm.model(Order).delete({ customerId: 'c1', orderId: 'o1' }));
    expect([deleted.constructor, deleted.message]).toEqual([ConditionFailedError, 'delete Order { customerId: "c1", orderId: "o1" }: the condition did not hold']);
    const put = await rejection(mock.orm.model(Product).put({ productId: 'p1', category: 'tea', price: 4, stock: 1 }));
    expect(put).toBeInstanceOf(ConditionFailedError);
    mock.verify();
  });

  test('willFail(new ConditionFailedError(...)) on an update reaches the code as a ConditionFailedError', async () => {
    const mock = createMock({ models });
    mock.expectUpdate(Product).willFail(new ConditionFailedError('out of stock', { op: 'update', model: 'Product' }));
    const error = await rejection(mock.orm.model(Product).key({ productId: 'p1' }).update({ stock: 4 }));
    expect(error).toBeInstanceOf(ConditionFailedError);
    expect(error).not.toBeInstanceOf(ItemNotFoundError);
    mock.verify();
  });

  test("willFail('ItemNotFoundException' form): an update of a missing item is willFail(new ItemNotFoundError(...))", async () => {
    const mock = createMock({ models });
    const missing = new ItemNotFoundError('no such product', { op: 'update', model: 'Product' });
    mock.expectUpdate(Product).willFail(missing);
    expect(await rejection(mock.orm.model(Product).key({ productId: 'p1' }).update({ stock: 4 }))).toBe(missing);
  });

  test("willFail('TransactionCanceledException'): the actions with a condition failed it, the others are None", async () => {
    const mock = createMock({ models });
    mock.expectTransaction().willFail('TransactionCanceledException');
    const error = await rejection(mock.orm.transaction((tx) => {
      tx.create(Order, order1);
      tx.model(Product).key({ productId: 'p1' }).update({ stock: 3 });
    }));
    expect(error).toBeInstanceOf(TransactionCanceledError);
    const { reasons } = error as TransactionCanceledError;
    expect(reasons.map((r) => [r.model, r.code])).toEqual([['Order', 'ConditionalCheckFailed'], ['Product', 'ConditionalCheckFailed']]);
    expect(reasons[0]!.error?.message).toContain('already exists');
    expect(reasons[1]!.error).toBeInstanceOf(ConditionFailedError);
    mock.verify();
  });

  test('willFail({ transactionCanceled: [...] }): a reason per action, typed', async () => {
    const mock = createMock({ models });
    mock.expectTransaction().withPut(Order, { orderId: 'o1' }).withUpdate(Product, { productId: 'p1' })
      .willFail({ transactionCanceled: ['None', { code: 'ConditionalCheckFailed', item: { productId: 'p1', stock: 0 } }] });
    const error = await rejection(mock.orm.transaction((tx) => {
      tx.create(Order, order1);
      tx.model(Product).key({ productId: 'p1' }).if((c) => c.gt('stock', 0)).update({ stock: 3 });
    }));
    const { reasons } = error as TransactionCanceledError;
    expect(reasons.map((r) => [r.index, r.model, r.code])).toEqual([[0, 'Order', 'None'], [1, 'Product', 'ConditionalCheckFailed']]);
    expect((reasons[1]!.error as ConditionFailedError).item).toEqual({ productId: 'p1', stock: 0 });

    const missing = createMock({ models });
    missing.expectTransaction().willFail({ transactionCanceled: [{ code: 'ConditionalCheckFailed', item: null }] });
    const gone = await rejection(missing.orm.transaction((tx) => {
      tx.model(Product).key({ productId: 'p1' }).update({ stock: 3 });
    }));
    expect((gone as TransactionCanceledError).reasons[0]!.error).toBeInstanceOf(ItemNotFoundError);
    missing.verify();
  });

  test('a cancellation with more reasons than actions is a mistake of the test, said at the call', async () => {
    const mock = createMock({ models });
    mock.expectTransaction().willFail({ transactionCanceled: ['None', 'None', 'ConditionalCheckFailed'] });
    const error = await rejection(mock.orm.transaction((tx) => {
      tx.create(Order, order1);
    }));
    expect(error).toBeInstanceOf(MockError);
    expect(error.message).toContain('3 cancellation reasons for a transaction of 1 action');
  });
});

describe('willFail on versioned writes', () => {
  const Cart = model('Cart', {
    table: 'shop',
    keys: { pk: 'CUSTOMER#{customerId}', sk: 'CART' },
    attributes: { customerId: t.string(), items: t.number(), version: t.number().version() },
  });

  test("'ConditionalCheckFailedException' on a write that expected a version: another write came first", async () => {
    const mock = createMock({ models: [...models, Cart] });
    mock.expectPut(Cart).willFail('ConditionalCheckFailedException');
    const error = await rejection(mock.orm.model(Cart).put({ customerId: 'c1', items: 2, version: 3 }));
    expect(error).toBeInstanceOf(OptimisticLockError);
    expect(error.message).toContain('expected version 3, found 4');
  });
});
