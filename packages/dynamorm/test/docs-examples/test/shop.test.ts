// test/shop.test.ts
import { expect, test } from 'vitest';
import { createMock } from 'dynamorm/testing';
import { Customer, Order, Product, ShopService } from '../src/shop.js';

const ann = { customerId: 'c1', email: 'ann@example.com', name: 'Ann' };
const order = { customerId: 'c1', orderId: 'o1', placedAt: new Date('2024-05-01T10:00:00.000Z'), total: 30, status: 'open' as const };

test('account reads the customer partition as one collection', async () => {
  const mock = createMock({ models: [Customer, Order, Product] });
  mock.expectCollection([Customer, Order])
    .withCondition('customerId', '=', 'c1') // the request carries PK = "CUSTOMER#c1"
    .willReturn(Customer, ann)
    .willReturn(Order, [order]);

  expect(await new ShopService(mock.orm).account('c1')).toEqual({ customer: ann, orders: [order] });
  mock.verify();
});

test('open orders come from the overloaded GSI1', async () => {
  const mock = createMock({ models: [Customer, Order, Product] });
  mock.expectQuery(Order).withIndex('GSI1').withCondition('status', '=', 'open').willReturn([order]);

  expect(await new ShopService(mock.orm).openOrders()).toEqual([order]);
  mock.verify();
});

test('buy reports a sold-out product: the stock update failed its condition', async () => {
  const mock = createMock({ models: [Customer, Order, Product] });
  mock.expectTransaction()
    .withPut(Order, { orderId: 'o1' })
    .withUpdate(Product, { productId: 'p1' }, { stock: 0 })
    .willFail({ transactionCanceled: ['None', { code: 'ConditionalCheckFailed', item: { productId: 'p1', stock: 0 } }] });

  expect(await new ShopService(mock.orm).buy(order, 'p1', 0)).toBe('sold out');
  mock.verify();
});
