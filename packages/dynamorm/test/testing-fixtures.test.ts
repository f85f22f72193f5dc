// Fixtures and table resets of dynamorm/testing against DynamoDB Local: loadFixture validates
// everything before writing anything, writes in batches, and the reset helpers empty or drop tables.
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, test } from 'vitest';
import { DynamORM, model, t, ValidationError, type Driver, type InferItem } from 'dynamorm';
import { isolatedOrm } from 'dynamorm/testing';
import { rawClient, rejection, storedItems } from './support/inspect.js';

const Customer = model('Customer', {
  table: 'customers',
  attributes: {
    id: t.string().pk(),
    name: t.string(),
    email: t.string().index('by-email'),
    joined: t.date().createdAt(),
  },
});

const Order = model('Order', {
  table: 'orders',
  attributes: {
    customerId: t.string().pk(),
    orderId: t.number().sk(),
    status: t.enum(['open', 'shipped']).index('by-status'),
    total: t.number().validate((v) => v >= 0 || 'must not be negative'),
    lines: t.list(t.object({ sku: t.string(), qty: t.number() })),
  },
});

const Product = model('Product', {
  table: 'products',
  attributes: {
    sku: t.string().pk(),
    price: t.bigint(),
    tags: t.stringSet().optional(),
    version: t.number().version(),
    updatedAt: t.date().updatedAt(),
  },
});
type Product = InferItem<typeof Product>;

const customers = Array.from({ length: 150 }, (_, i) => ({ id: `c${i}`, name: `Customer ${i}`, email: `c${i}@example.com` }));
const orders = Array.from({ length: 250 }, (_, i) => ({
  customerId: `c${i % 150}`, orderId: i, status: i % 3 === 0 ? 'shipped' as const : 'open' as const, total: i * 10,
  lines: [{ sku: `p${i % 100}`, qty: 1 + (i % 4) }],
}));
const products = Array.from({ length: 100 }, (_, i) => ({ sku: `p${i}`, price: 10n ** 18n + BigInt(i), tags: new Set([`t${i % 5}`]) }));

const orm = isolatedOrm({ name: 'fixtures', models: [Customer, Order, Product] });
afterAll(() => orm.dropTables());

const byKey = <T>(items: T[], key: (item: T) => string): T[] => [...items].sort((a, b) => key(a).localeCompare(key(b)));

describe('loadFixture', () => {
  test('500 items over three models are written and read back through the models', async () => {
    const counts = await orm.loadFixture({ Customer: customers, Order: orders, Product: products });
    expect(counts).toEqual({ Customer: 150, Order: 250, Product: 100 });

    const readCustomers = await orm.model(Customer).scan({ segments: 3 });
    expect(readCustomers).toHaveLength(150);
    expect(byKey(readCustomers, (c) => c.id).map(({ joined: _, ...c }) => c)).toEqual(byKey(customers, (c) => c.id));
    expect(readCustomers.every((c) => c.joined instanceof Date)).toBe(true); // managed createdAt filled as create() fills it

    const readOrders = await orm.model(Order).scan();
    expect(byKey(readOrders, (o) => `${o.customerId}#${o.orderId}`)).toEqual(byKey(orders, (o) => `${o.customerId}#${o.orderId}`));
    expect(await orm.model(Order).index('by-status').where('status', '=', 'shipped').count()).toBe(orders.filter((o) => o.status === 'shipped').length);

    const p7 = await orm.model(Product).get({ sku: 'p7' });
    expect(p7).toMatchObject({ sku: 'p7', price: 10n ** 18n + 7n, tags: new Set(['t2']), version: 1 } satisfies Partial<Product>);
    expect(await orm.model(Customer).index('by-email').where('email', '=', 'c42@example.com').first()).toMatchObject({ id: 'c42' });
  });

  test('an invalid item among many: nothing is written, and the error names model, index and attribute', async () => {
    const fresh = isolatedOrm({ name: 'fixtures-invalid', models: [Customer, Order] });
    try {
      const bad = orders.map((o, i) => (i === 7 ? { ...o, total: -1 } : o));
      const error = await rejection(fresh.loadFixture({ Customer: customers, Order: bad }));
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).attribute).toBe('Order[7].total');
      expect((error as Error).message).toBe('loadFixture: nothing was written: Order[7]: Order.total: must not be negative (received number -1)');
      await expect(rawClient().send(new DescribeTableCommand({ TableName: fresh.tableName(Customer) }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    } finally {
      await fresh.dropTables();
    }
  });

  test('unknown model names and duplicate keys are refused before any write', async () => {
    const fresh = isolatedOrm({ name: 'fixtures-names', models: [Customer] });
    try {
      const unknown = await rejection(fresh.loadFixture({ Customer: customers.slice(0, 2), Users: [{ id: 'x' }] }));
      expect((unknown as Error).message).toBe('loadFixture: nothing was written: no registered model named "Users" (registered: Customer); register it with orm.register(Model) or new DynamORM({ models: [...] })');
      const twice = await rejection(fresh.loadFixture({ Customer: [customers[0]!, customers[1]!, customers[0]!] }));
      expect((twice as Error).message).toBe('loadFixture: nothing was written: Customer[2] has the same key as Customer[0]: one would overwrite the other');
      expect(await storedItems(fresh, Customer).catch(() => [])).toEqual([]);
    } finally {
      await fresh.dropTables();
    }
  });

  test('unprocessed items are sent again until DynamoDB takes them', async () => {
    const sent: number[] = [];
    const driver: Driver = {
      async send(operation, input) {
        if (operation !== 'BatchWriteItem') throw new Error(`unexpected ${operation}`);
        const writes = (input as { RequestItems: Record<string, unknown[]> }).RequestItems['customers']!;
        sent.push(writes.length);
        // The first attempt of each chunk leaves its last two writes unprocessed.
        const unprocessed = writes.length > 5 ? writes.slice(-2) : [];
        return { UnprocessedItems: unprocessed.length === 0 ? {} : { customers: unprocessed }, $metadata: {} } as never;
      },
    };
    const offline = new DynamORM({ driver, models: [Customer] });
    expect(await offline.loadFixture({ Customer: customers.slice(0, 60) })).toEqual({ Customer: 60 });
    expect(sent.sort((a, b) => a - b)).toEqual([2, 2, 2, 10, 25, 25]);
  });
});

describe('resetting tables between tests', () => {
  test('truncate(Model) empties its table only; resetTables() empties them all; the tables stay', async () => {
    await orm.loadFixture({ Customer: customers.slice(0, 30), Order: orders.slice(0, 40), Product: products.slice(0, 10) });
    await orm.truncate(Order);
    expect(await storedItems(orm, Order)).toEqual([]);
    expect((await storedItems(orm, Customer)).length).toBeGreaterThan(0);
    await orm.resetTables();
    for (const m of [Customer, Order, Product]) expect(await storedItems(orm, m)).toEqual([]);
    const described = await rawClient().send(new DescribeTableCommand({ TableName: orm.tableName(Order) }));
    expect(described.Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName)).toEqual(['by-status']);
  });

  test('dropTables() deletes the tables; with autoMigrate the next use creates them again, empty', async () => {
    await orm.loadFixture({ Product: products.slice(0, 5) });
    await orm.dropTables(Product);
    await expect(rawClient().send(new DescribeTableCommand({ TableName: orm.tableName(Product) }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    expect(await orm.model(Product).scan()).toEqual([]);
    await orm.model(Product).create({ sku: 'again', price: 1n });
    expect(await orm.model(Product).scan()).toMatchObject([{ sku: 'again' }]);
  });
});
