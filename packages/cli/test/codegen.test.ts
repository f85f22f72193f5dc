// `dynamorm codegen` on tables written with the raw SDK, spawned as a user runs it: the generated
// file type-checks with tsc, and its models read back (and write) the legacy items exactly.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateTableCommand, PutItemCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { DynamORM, type AnyModel } from 'dynamorm';
import { beforeAll, describe, expect, test } from 'vitest';
import { endpoint, rawClient, uniqueTable } from '../../dynamorm/test/support/dynamo.js';
import { createLegacyShop, fillLegacyShop } from './support/legacy-shop.js';
import { runCli, scratchDir } from './support/run-cli.js';

type Stored = Record<string, AttributeValue>;
const client = rawClient();
const shop = uniqueTable('legacy_shop');
const blog = uniqueTable('legacy_blog');
const empty = uniqueTable('legacy_empty');
const dir = scratchDir('codegen');

async function scan(table: string): Promise<Stored[]> {
  return (await client.send(new ScanCommand({ TableName: table, ConsistentRead: true }))).Items ?? [];
}

/** A stored item with its sets sorted, to compare items whatever order DynamoDB returns set members in. */
function canonical(item: Stored): Stored {
  const sort = (v: AttributeValue): AttributeValue =>
    v.SS !== undefined ? { SS: [...v.SS].sort() } : v.NS !== undefined ? { NS: [...v.NS].sort() }
      : v.M !== undefined ? { M: canonical(v.M) } : v.L !== undefined ? { L: v.L.map(sort) } : v;
  return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, sort(v)]).sort(([a], [b]) => (a! < b! ? -1 : 1)));
}

const tsc = promisify(execFile);

beforeAll(async () => {
  await createLegacyShop(client, shop);
  await fillLegacyShop(client, shop);
  // A design told apart by key prefixes alone (no type attribute), with a numeric sort-free GSI.
  await client.send(new CreateTableCommand({
    TableName: blog, BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
  }));
  const posts = [['u1', '2024-01-01T00:00:00.000Z', 'p1'], ['u1', '2024-02-01T00:00:00.000Z', 'p2'], ['u2', '2024-03-01T00:00:00.000Z', 'p3']] as const;
  for (const [user, at, id] of posts) {
    await client.send(new PutItemCommand({ TableName: blog, Item: { pk: { S: `USER#${user}` }, sk: { S: `POST#${at}#${id}` }, title: { S: `Post ${id}` }, likes: { N: '3' } } }));
  }
  for (const user of ['u1', 'u2']) {
    await client.send(new PutItemCommand({ TableName: blog, Item: { pk: { S: `USER#${user}` }, sk: { S: 'PROFILE' }, handle: { S: `@${user}` } } }));
  }
  await client.send(new CreateTableCommand({
    TableName: empty, BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }, { AttributeName: 'at', AttributeType: 'N' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }, { AttributeName: 'at', KeyType: 'RANGE' }],
  }));
});

describe('codegen on a legacy PK/SK/GSI1/LSI1 single-table design', () => {
  let source = '';
  let models: Record<string, AnyModel> = {};

  beforeAll(async () => {
    const result = await runCli(['codegen', '--endpoint', endpoint(), '--table', shop, '--out', 'shop.ts', '--json'], dir);
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as { models: { name: string; items: number }[]; discriminator: string; singleTable: boolean };
    expect(summary).toMatchObject({ singleTable: true, discriminator: 'Type', models: [{ name: 'Customer', items: 3 }, { name: 'Order', items: 4 }] });
    source = readFileSync(join(dir, 'shop.ts'), 'utf8');
    // The blog table's models go through tsc in the same run (one compiler start).
    const blogRun = await runCli(['codegen', '--endpoint', endpoint(), '--table', blog, '--out', 'blog.ts'], dir);
    expect(blogRun.code).toBe(0);
    expect(blogRun.stdout).toMatch(/^Wrote blog\.ts: Post \(3 items\), User \(2 items\) from 5 sampled items/);
  });

  test('recognises the entities, key templates, indexes, snake_case names, dates, sets, objects and TTL', () => {
    expect(source).toContain("entityAttribute: 'Type',");
    expect(source).toContain("keys: { pk: 'CUSTOMER#{customerId}', sk: 'PROFILE' },");
    expect(source).toContain("GSI1: { pk: 'EMAIL#{email}', sk: 'CUSTOMER#{customerId}' },");
    expect(source).toContain("keys: { pk: 'CUSTOMER#{customerId}', sk: 'ORDER#{orderDate}#{orderId}' },");
    expect(source).toContain("GSI1: { pk: 'ORDERS#{status}', sk: 'ORDER#{orderDate}#{orderId}' },");
    expect(source).toContain("LSI1: { local: true, sk: 'STATUS#{status}#{orderDate}', projection: ['total', 'orderId', 'status'] },");
    expect(source).toContain('customerId: t.string().keyOnly(),');
    expect(source).toContain('orderDate: t.date().keyOnly(),');
    expect(source).toContain("orderId: t.string().field('order_id'),");
    expect(source).toContain("fullName: t.string().field('full_name'),");
    expect(source).toContain("createdAt: t.date({ storeAs: 'epochMillis' }).field('created_at'),");
    expect(source).toContain('tags: t.stringSet().optional(),');
    expect(source).toContain("address: t.object({ city: t.string(), streetName: t.string().field('street_name') }),");
    expect(source).toContain('lines: t.list(t.object({ qty: t.number(), sku: t.string() })),');
    expect(source).toContain("status: t.enum(['PENDING', 'SHIPPED']),");
    expect(source).toContain("expiresAt: t.ttl().optional().field('expires_at'),");
    // What the sample cannot settle is said, never guessed silently.
    expect(source).toMatch(/\/\/ NOTE: status: enum of the 2 values seen in 4 sampled items/);
    expect(source).toMatch(/\/\/ NOTE: Order: orderDate: read from SK \(no stored attribute holds it\)/);
  });

  test('the generated files compile with tsc (strict, as a user compiles them)', async () => {
    const compiler = join(process.cwd(), 'node_modules/typescript/bin/tsc');
    const args = ['--noEmit', '--strict', '--exactOptionalPropertyTypes', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--skipLibCheck', '--types', 'node', 'shop.ts', 'blog.ts'];
    await expect(tsc(process.execPath, [compiler, ...args], { cwd: dir })).resolves.toMatchObject({ stdout: '' });
  });

  test('its models read every sampled item and write it back exactly as the legacy code stored it', async () => {
    models = (await import(join(dir, 'shop.ts'))) as Record<string, AnyModel>;
    const stored = await scan(shop);
    expect(stored).toHaveLength(7);
    for (const item of stored) {
      const m = models[item['Type']!.S!]!;
      expect(canonical(m.marshal(m.unmarshal(item)))).toEqual(canonical(item));
    }
  });

  test('queries on the table, GSI1 and LSI1 and a put through the ORM keep the legacy layout', async () => {
    const { Customer, Order } = models as { Customer: AnyModel; Order: AnyModel };
    const orm = new DynamORM({ endpoint: endpoint(), models: [Customer!, Order!] });
    // Loose types: the models come from a file generated at run time.
    const orders = orm.model(Order!) as unknown as {
      where(a: string, op: string, v: unknown): { all(): Promise<Record<string, unknown>[]>; where(a: string, op: string, v: unknown): { all(): Promise<Record<string, unknown>[]> } };
      put(item: object): Promise<unknown>;
      get(key: object): Promise<Record<string, unknown> | undefined>;
    };
    const ofC1 = await orders.where('customerId', '=', 'c1').all();
    expect(ofC1.map((o) => o['orderId'])).toEqual(['o1', 'o2']);
    expect(ofC1[0]).toMatchObject({ customerId: 'c1', orderDate: new Date('2024-05-02T09:30:00.000Z'), status: 'SHIPPED', total: 42.5, lines: [{ sku: 'A-1', qty: 2 }] });
    expect((await orders.where('status', '=', 'PENDING').all()).map((o) => o['orderId'])).toEqual(['o2', 'o4']);
    expect((await orders.where('customerId', '=', 'c1').where('status', '=', 'PENDING').all()).map((o) => o['orderId'])).toEqual(['o2']);
    const customers = orm.model(Customer!) as unknown as { where(a: string, op: string, v: unknown): { all(): Promise<Record<string, unknown>[]> } };
    expect(await customers.where('email', '=', 'bob@example.com').all()).toEqual([expect.objectContaining({ customerId: 'c2', fullName: 'Bob', createdAt: new Date(1714728600000) })]);

    await orders.put({ customerId: 'c2', orderDate: new Date('2024-06-01T08:00:00.000Z'), orderId: 'o9', status: 'PENDING', total: 7, lines: [] });
    const written = (await scan(shop)).find((i) => i['order_id']?.S === 'o9');
    expect(canonical(written!)).toEqual(canonical({
      PK: { S: 'CUSTOMER#c2' }, SK: { S: 'ORDER#2024-06-01T08:00:00.000Z#o9' }, Type: { S: 'Order' },
      order_id: { S: 'o9' }, status: { S: 'PENDING' }, total: { N: '7' }, lines: { L: [] },
      GSI1PK: { S: 'ORDERS#PENDING' }, GSI1SK: { S: 'ORDER#2024-06-01T08:00:00.000Z#o9' }, LSI1SK: { S: 'STATUS#PENDING#2024-06-01T08:00:00.000Z' },
    }));
  });

  test('a design without a type attribute is split by its key prefixes', async () => {
    const generated = readFileSync(join(dir, 'blog.ts'), 'utf8');
    expect(generated).toContain("keys: { pk: { field: 'pk', template: 'USER#{userId}' }, sk: { field: 'sk', template: 'POST#{postDate}#{postId}' } },");
    expect(generated).toContain("keys: { pk: { field: 'pk', template: 'USER#{userId}' }, sk: { field: 'sk', template: 'PROFILE' } },");
    expect(generated).toMatch(/NOTE: no discriminator attribute was found: the items were told apart by their key prefixes/);
    expect(generated).toContain('  entityAttribute: false,\n');
    const { Post } = (await import(join(dir, 'blog.ts'))) as { Post: AnyModel };
    const orm = new DynamORM({ endpoint: endpoint(), models: [Post] });
    const posts = orm.model(Post) as unknown as {
      get(key: object): Promise<Record<string, unknown> | undefined>;
      where(name: string, op: '=', value: string): { all(): Promise<Record<string, unknown>[]> };
    };
    const p2 = { userId: 'u1', postDate: new Date('2024-02-01T00:00:00.000Z'), postId: 'p2', title: 'Post p2', likes: 3 };
    expect(await posts.get({ userId: 'u1', postDate: p2.postDate, postId: 'p2' })).toEqual(p2);
    // A query of the partition returns the posts, not the user's PROFILE item beside them.
    const listed = await posts.where('userId', '=', 'u1').all();
    expect(listed).toContainEqual(p2);
    expect(listed.every((p) => typeof p['postId'] === 'string')).toBe(true);
  });
});

describe('codegen on tables it cannot sample', () => {
  test('an empty table: exit code 5, a clear message, and a file with what could be inferred (keys)', async () => {
    const result = await runCli(['codegen', '--endpoint', endpoint(), '--table', empty, '--out', 'empty.ts'], dir);
    expect(result.code).toBe(5);
    expect(result.stderr).toContain(`warning: ${empty}: the table is empty: only its keys, indexes and TTL attribute are known; add the other attributes.`);
    const generated = readFileSync(join(dir, 'empty.ts'), 'utf8');
    expect(generated).toContain('id: t.string().pk(),');
    expect(generated).toContain('at: t.number().sk(),');
    expect(generated).toContain('// NOTE: the table is empty');
  });

  test('a table that does not exist: exit code 1 and what to check', async () => {
    const result = await runCli(['codegen', '--endpoint', endpoint(), '--table', 'no_such_table_here'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`error: Table "no_such_table_here" was not found at ${endpoint()}: check the name, --endpoint and --region.`);
    expect(result.stdout).toBe('');
  });
});
