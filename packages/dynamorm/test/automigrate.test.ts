// autoMigrate on DynamoDB Local: a missing table is created from its models (keys, GSIs, LSIs,
// projections, capacity, TTL) on first use, once however many first uses race; checked with
// DescribeTable and DescribeTimeToLive on the raw client.
import {
  CreateTableCommand, DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, test } from 'vitest';
import { DynamORM, model, t } from 'dynamorm';
import { clientConfig, endpoint } from './support/dynamo.js';
import { rawClient, recordCommands, uniquePrefix } from './support/inspect.js';

const Order = model('Order', {
  table: 'orders',
  attributes: {
    customer: t.string().pk(),
    orderedAt: t.date().sk(),
    status: t.enum(['open', 'shipped']).index('by-status'),
    total: t.number().index('by-status', 'sk').localIndex('by-total'),
    email: t.string().index('by-email').optional(),
    note: t.string().optional(),
    secret: t.string().optional(),
    expiresAt: t.ttl().field('expires_at').optional(),
  },
  indexes: {
    'by-status': { projection: 'ALL', readCapacity: 2, writeCapacity: 1 },
    'by-email': { projection: 'KEYS_ONLY' },
    'by-total': { projection: ['note'] },
  },
});

const describeTable = async (name: string): Promise<TableDescription> =>
  (await rawClient().send(new DescribeTableCommand({ TableName: name }))).Table!;
const byName = <T extends { IndexName?: string | undefined }>(list: T[] | undefined, name: string): T => list!.find((i) => i.IndexName === name)!;

describe('a table with two GSIs, an LSI and TTL, created on first use', () => {
  const prefix = uniquePrefix('migrate');
  const orm = new DynamORM({ endpoint: endpoint(), autoMigrate: true, tablePrefix: prefix });
  const table = orm.tableName(Order);

  test('the first write creates it, ACTIVE, with keys, indexes, projections, capacity and TTL', async () => {
    const at = new Date('2024-05-01T10:00:00.000Z');
    // A TTL in the future: an expired item is hidden from reads (and DynamoDB Local deletes it).
    await orm.model(Order).create({ customer: 'c1', orderedAt: at, status: 'open', total: 42, email: 'a@b.c', note: 'n', expiresAt: new Date('2100-01-01T00:00:00.000Z') });

    const d = await describeTable(table);
    expect(d.TableStatus).toBe('ACTIVE');
    expect(d.KeySchema).toEqual([
      { AttributeName: 'customer', KeyType: 'HASH' },
      { AttributeName: 'orderedAt', KeyType: 'RANGE' },
    ]);
    expect(new Map(d.AttributeDefinitions!.map((a) => [a.AttributeName, a.AttributeType]))).toEqual(new Map([
      ['customer', 'S'], ['orderedAt', 'S'], ['status', 'S'], ['total', 'N'], ['email', 'S'],
    ]));
    // Provisioned by default, 5/5 unless said otherwise.
    expect(d.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 5, WriteCapacityUnits: 5 });

    expect(d.GlobalSecondaryIndexes).toHaveLength(2);
    const status = byName(d.GlobalSecondaryIndexes, 'by-status');
    expect(status.KeySchema).toEqual([{ AttributeName: 'status', KeyType: 'HASH' }, { AttributeName: 'total', KeyType: 'RANGE' }]);
    expect(status.Projection).toEqual({ ProjectionType: 'ALL' });
    expect(status.IndexStatus).toBe('ACTIVE');
    expect(status.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 2, WriteCapacityUnits: 1 });
    const email = byName(d.GlobalSecondaryIndexes, 'by-email');
    expect(email.KeySchema).toEqual([{ AttributeName: 'email', KeyType: 'HASH' }]);
    expect(email.Projection).toEqual({ ProjectionType: 'KEYS_ONLY' });
    expect(email.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 5, WriteCapacityUnits: 5 });

    expect(d.LocalSecondaryIndexes).toHaveLength(1);
    const total = byName(d.LocalSecondaryIndexes, 'by-total');
    expect(total.KeySchema).toEqual([{ AttributeName: 'customer', KeyType: 'HASH' }, { AttributeName: 'total', KeyType: 'RANGE' }]);
    expect(total.Projection).toEqual({ ProjectionType: 'INCLUDE', NonKeyAttributes: ['note'] });

    const ttl = await rawClient().send(new DescribeTimeToLiveCommand({ TableName: table }));
    expect(ttl.TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expires_at' });
  });

  test('each index serves queries right after creation', async () => {
    const at = new Date('2024-05-02T10:00:00.000Z');
    await orm.model(Order).create({ customer: 'c1', orderedAt: at, status: 'shipped', total: 7, secret: 's' });
    const shipped = await orm.model(Order).index('by-status').where('status', '=', 'shipped').all();
    expect(shipped.map((o) => o.total)).toEqual([7]);
    expect(await orm.model(Order).index('by-email').where('email', '=', 'a@b.c').count()).toBe(1);
    // The LSI orders the customer's orders by total.
    const byTotal = await orm.model(Order).index('by-total').where('customer', '=', 'c1').where('total', '<', 100).all();
    expect(byTotal.map((o) => o.total)).toEqual([7, 42]);
  });

  test('an existing table is used as it is', async () => {
    const again = new DynamORM({ endpoint: endpoint(), autoMigrate: true, tablePrefix: prefix });
    const sent = recordCommands(again.client);
    expect(again.tableName(Order)).toBe(table);
    expect(await again.model(Order).where('customer', '=', 'c1').count()).toBe(2);
    expect(sent).not.toContain('CreateTableCommand');
  });
});

describe('concurrent first uses', () => {
  const Item = model('Item', { table: 'items', attributes: { id: t.string().pk(), n: t.number() } });

  test('10 parallel creates on a fresh ORM create the table once and all land', async () => {
    const client = new DynamoDBClient(clientConfig());
    const sent = recordCommands(client);
    const orm = new DynamORM({ client, autoMigrate: true, tablePrefix: uniquePrefix('first-use') });
    await Promise.all(Array.from({ length: 10 }, (_, i) => orm.model(Item).create({ id: `i${i}`, n: i })));
    expect(sent.filter((c) => c === 'CreateTableCommand')).toHaveLength(1);
    expect(sent.filter((c) => c === 'PutItemCommand')).toHaveLength(10);
    expect(await orm.model(Item).scan()).toHaveLength(10);
  });

  test('two ORMs racing to create one table (with TTL) both succeed', async () => {
    const Expiring = model('Expiring', { table: 'expiring', attributes: { id: t.string().pk(), n: t.number(), ttl: t.ttl() } });
    const prefix = uniquePrefix('race');
    const a = new DynamORM({ endpoint: endpoint(), autoMigrate: true, tablePrefix: prefix });
    const b = new DynamORM({ endpoint: endpoint(), autoMigrate: true, tablePrefix: prefix });
    const sentA = recordCommands(a.client);
    const sentB = recordCommands(b.client);
    await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).model(Expiring).create({ id: `r${i}`, n: i, ttl: 2_000_000_000 })));
    expect([...sentA, ...sentB].filter((c) => c === 'CreateTableCommand').length).toBeLessThanOrEqual(2);
    expect(await a.model(Expiring).scan()).toHaveLength(10);
    const ttl = await rawClient().send(new DescribeTimeToLiveCommand({ TableName: a.tableName(Expiring) }));
    expect(ttl.TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'ttl' });
  });

  test('createTables() creates the tables of registered models up front', async () => {
    const orm = new DynamORM({ endpoint: endpoint(), tablePrefix: uniquePrefix('explicit') });
    await orm.createTables(Item);
    expect((await describeTable(orm.tableName(Item))).TableStatus).toBe('ACTIVE');
  });
});

describe('billing modes', () => {
  const Billed = model('Billed', {
    table: 'billed',
    attributes: { id: t.string().pk(), email: t.string().index('by-email') },
  });

  test('PAY_PER_REQUEST', async () => {
    const orm = new DynamORM({ endpoint: endpoint(), autoMigrate: true, billingMode: 'PAY_PER_REQUEST', tablePrefix: uniquePrefix('on-demand') });
    await orm.model(Billed).create({ id: '1', email: 'e' });
    const d = await describeTable(orm.tableName(Billed));
    expect(d.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(d.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 0, WriteCapacityUnits: 0 });
  });

  test('provisioned with defaultRCU / defaultWCU, for the table and its GSIs', async () => {
    const orm = new DynamORM({ endpoint: endpoint(), autoMigrate: true, defaultRCU: 7, defaultWCU: 3, tablePrefix: uniquePrefix('provisioned') });
    await orm.model(Billed).create({ id: '1', email: 'e' });
    const d = await describeTable(orm.tableName(Billed));
    expect(d.BillingModeSummary?.BillingMode ?? 'PROVISIONED').toBe('PROVISIONED');
    expect(d.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 7, WriteCapacityUnits: 3 });
    expect(byName(d.GlobalSecondaryIndexes, 'by-email').ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 7, WriteCapacityUnits: 3 });
  });
});

describe('without autoMigrate', () => {
  const Absent = model('Absent', { table: 'absent', attributes: { id: t.string().pk() } });

  test('no table is created', async () => {
    const orm = new DynamORM({ endpoint: endpoint(), tablePrefix: uniquePrefix('no-migrate') });
    const sent = recordCommands(orm.client);
    await expect(orm.model(Absent).get({ id: 'x' })).rejects.toThrow(/does not exist/);
    expect(sent).toEqual(['GetItemCommand']);
  });
});

describe('a table created by someone else', () => {
  test('is used as it is: its billing mode is not changed', async () => {
    const orm = new DynamORM({ endpoint: endpoint(), autoMigrate: true, tablePrefix: uniquePrefix('existing') });
    const Kept = model('Kept', { table: 'kept', attributes: { id: t.string().pk(), email: t.string() } });
    await rawClient().send(new CreateTableCommand({
      TableName: orm.tableName(Kept),
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }));
    await orm.model(Kept).create({ id: '1', email: 'e' });
    expect(await orm.model(Kept).get({ id: '1' })).toEqual({ id: '1', email: 'e' });
    expect((await describeTable(orm.tableName(Kept))).BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
  });
});

describe('a table that lacks what its models declare', () => {
  test('gets the missing GSIs and TTL added, keeps its data, and warns about an LSI it cannot add', async () => {
    const warnings: string[] = [];
    const tablePrefix = uniquePrefix('evolve');
    const orm = new DynamORM({ endpoint: endpoint(), autoMigrate: true, tablePrefix, logger: { warn: (m) => warnings.push(m) } });
    const V1 = model('Evolving', { table: 'evolving', attributes: { id: t.string().pk(), at: t.string().sk(), email: t.string() } });
    const V2 = model('Evolving', {
      table: 'evolving',
      attributes: {
        id: t.string().pk(),
        at: t.string().sk().localIndex('by-at'),
        email: t.string().index('by-email'),
        rank: t.number().index('by-rank').optional(),
        expiresAt: t.ttl().optional(),
      },
    });
    await orm.model(V1).create({ id: '1', at: 'a', email: 'x@y.z' });
    // A later deployment of the same table, with the model grown.
    const evolved = new DynamORM({ endpoint: endpoint(), autoMigrate: true, tablePrefix, logger: { warn: (m) => warnings.push(m) } });
    expect(await evolved.model(V2).index('by-email').where('email', '=', 'x@y.z').all()).toEqual([{ id: '1', at: 'a', email: 'x@y.z' }]);
    const table = await describeTable(evolved.tableName(V2));
    expect((table.GlobalSecondaryIndexes ?? []).map((i) => [i.IndexName, i.IndexStatus]).sort()).toEqual([['by-email', 'ACTIVE'], ['by-rank', 'ACTIVE']]);
    expect(table.LocalSecondaryIndexes).toBeUndefined();
    expect(warnings).toEqual([expect.stringMatching(/no local index by-at.*only when a table is created/)]);
    const ttl = await rawClient().send(new DescribeTimeToLiveCommand({ TableName: evolved.tableName(V2) }));
    expect(ttl.TimeToLiveDescription).toMatchObject({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
  });
});
