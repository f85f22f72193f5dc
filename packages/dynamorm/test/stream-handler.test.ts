// The Lambda adapter on real stream records of DynamoDB Local: each record routed to its model,
// decoded by it (Dates, Sets, bigint, binaries, key-only attributes, custom types), handed to the
// handler of its kind; failures reported per record, and bad records reported, never dropped.
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamORM, model, streamHandler, StreamRecordError, t, type ChangeEvent } from 'dynamorm';
import { endpoint } from './support/dynamo.js';
import { rawClient, uniquePrefix } from './support/inspect.js';
import { enableStream, lambdaEvent, streamRecords } from './support/streams.js';

class Money {
  constructor(readonly cents: number) {}
}

const User = model('User', {
  table: 'users',
  attributes: {
    id: t.string().pk(),
    name: t.string(),
    joined: t.date(),
    tags: t.stringSet(),
    points: t.bigint(),
    avatar: t.binary().optional(),
    balance: t.custom({ type: 'N', marshal: (m: Money) => m.cents, unmarshal: (s) => new Money(Number(s)) }),
  },
});
const Customer = model('Customer', {
  table: 'app',
  keys: { pk: 'CUSTOMER#{customerId}', sk: 'PROFILE' },
  attributes: { customerId: t.string(), name: t.string() },
});
const Order = model('Order', {
  table: 'app',
  keys: { pk: 'CUSTOMER#{customerId}', sk: 'ORDER#{placedAt}' },
  attributes: { customerId: t.string().keyOnly(), placedAt: t.date().keyOnly(), total: t.number() },
});

const orm = new DynamORM({ endpoint: endpoint(), tablePrefix: uniquePrefix('stream-handler'), models: [User, Customer, Order] });
let usersArn: string;
let appArn: string;

beforeAll(async () => {
  await orm.createTables();
  usersArn = await enableStream(orm.tableName(User));
  appArn = await enableStream(orm.tableName(Customer));
  const joined = new Date('2024-05-01T10:00:00.000Z');
  await orm.model(User).create({ id: 'u1', name: 'Ann', joined, tags: new Set(['a', 'b']), points: 9007199254740993n, avatar: new Uint8Array([1, 2, 3]), balance: new Money(150) });
  await orm.model(User).where('id', '=', 'u1').update({ name: 'Anna' });
  await orm.model(User).create({ id: 'u2', name: 'Bob', joined, tags: new Set(['c']), points: 1n, balance: new Money(0) });
  await orm.model(User).where('id', '=', 'u1').delete();
  await orm.model(Customer).create({ customerId: 'c1', name: 'Cy' });
  await orm.model(Order).create({ customerId: 'c1', placedAt: joined, total: 30 });
  await orm.model(Order).where('customerId', '=', 'c1').where('placedAt', '=', joined).update({ total: 35 });
  await orm.model(Order).where('customerId', '=', 'c1').where('placedAt', '=', joined).delete();
});

describe('streamHandler', () => {
  it('decodes insert, modify and remove of a plain model through the model', async () => {
    const seen: ChangeEvent<typeof User>[] = [];
    const handler = streamHandler(orm, {
      User: { insert: (e) => void seen.push(e), modify: (e) => void seen.push(e), remove: (e) => void seen.push(e) },
    });
    const result = await handler(lambdaEvent(await streamRecords(usersArn), usersArn));
    expect(result).toEqual({ batchItemFailures: [] });
    expect(seen.map((e) => [e.type, e.key.id])).toEqual([['insert', 'u1'], ['modify', 'u1'], ['insert', 'u2'], ['remove', 'u1']]);
    const [insert, modify, , remove] = seen;
    expect(insert!.newItem).toEqual({
      id: 'u1', name: 'Ann', joined: new Date('2024-05-01T10:00:00.000Z'), tags: new Set(['a', 'b']),
      points: 9007199254740993n, avatar: new Uint8Array([1, 2, 3]), balance: new Money(150),
    });
    expect(insert!.newItem!.balance).toBeInstanceOf(Money);
    expect(insert!.oldItem).toBeUndefined();
    expect([modify!.oldItem?.name, modify!.newItem?.name]).toEqual(['Ann', 'Anna']);
    expect(remove!.oldItem?.name).toBe('Anna');
    expect(remove!.newItem).toBeUndefined();
  });

  it('routes the records of a single-table stream to their models, key-only attributes read back from the keys', async () => {
    const seen: string[] = [];
    const orders: ChangeEvent<typeof Order>[] = [];
    const handler = streamHandler(orm, {
      Customer: { insert: ({ newItem }) => void seen.push(`customer ${newItem.name}`) },
      Order: { insert: (e) => void orders.push(e), modify: (e) => void orders.push(e), remove: (e) => void orders.push(e) },
    });
    expect(await handler(lambdaEvent(await streamRecords(appArn), appArn))).toEqual({ batchItemFailures: [] });
    expect(seen).toEqual(['customer Cy']);
    expect(orders.map((e) => e.type)).toEqual(['insert', 'modify', 'remove']);
    const placedAt = new Date('2024-05-01T10:00:00.000Z');
    expect(orders[0]!.newItem).toEqual({ customerId: 'c1', placedAt, total: 30 });
    expect(orders[1]!.oldItem?.total).toBe(30);
    expect(orders[1]!.newItem?.total).toBe(35);
    expect(orders[2]!.key).toEqual({ customerId: 'c1', placedAt });
  });

  it('reports a throwing handler\'s record and the later records of its key, and delivers the others', async () => {
    const records = await streamRecords(usersArn);
    const delivered: string[] = [];
    const warnings: string[] = [];
    const handler = streamHandler(orm, {
      User: {
        insert: ({ key }) => {
          if (key.id === 'u1') throw new Error('mail server down');
          delivered.push(`insert ${key.id}`);
        },
        modify: ({ key }) => void delivered.push(`modify ${key.id}`),
        remove: ({ key }) => void delivered.push(`remove ${key.id}`),
      },
    }, { onError: (error) => void warnings.push(`${error.code}: ${error.message}`) });
    const result = await handler(lambdaEvent(records, usersArn));
    const seq = records.map((r) => r.dynamodb!.SequenceNumber!);
    // u1's insert failed: its modify and remove wait for the retry; u2's insert went through.
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: seq[0] }, { itemIdentifier: seq[1] }, { itemIdentifier: seq[3] }]);
    expect(delivered).toEqual(['insert u2']);
    expect(warnings).toEqual([expect.stringMatching(/^stream\.handlerFailed: stream record \d+ of User: the insert handler failed: mail server down$/)]);
  });

  it('reports records whose image does not fit the model, and records of no known model, and delivers the rest', async () => {
    const table = orm.tableName(User);
    await rawClient().send(new PutItemCommand({ TableName: table, Item: { id: { S: 'bad' }, name: { N: '1' } } }));
    await orm.model(User).create({ id: 'u3', name: 'Cid', joined: new Date(0), tags: new Set(['x']), points: 0n, balance: new Money(1) });
    const records = (await streamRecords(usersArn)).slice(-2);
    const appRecords = await streamRecords(appArn);
    await rawClient().send(new PutItemCommand({ TableName: orm.tableName(Customer), Item: { PK: { S: 'INVOICE#1' }, SK: { S: 'X' } } }));
    const stranger = (await streamRecords(appArn)).slice(appRecords.length);
    const errors: StreamRecordError[] = [];
    const inserted: string[] = [];
    const handler = streamHandler(orm, { User: { insert: ({ newItem }) => void inserted.push(newItem.id) }, Customer: {} }, { onError: (e) => void errors.push(e) });
    expect(await handler(lambdaEvent(records, usersArn))).toEqual({ batchItemFailures: [] });
    expect(await handler(lambdaEvent(stranger, appArn))).toEqual({ batchItemFailures: [] });
    expect(inserted).toEqual(['u3']);
    expect(errors.map((e) => e.code)).toEqual(['stream.invalidImage', 'stream.unknownModel']);
    expect(errors[0]!.issues.map((i) => i.attribute)).toEqual(expect.arrayContaining(['name', 'joined']));
    expect(errors[0]!.message).toMatch(/of User: its new image does not fit the model: User\.name: expected/);
    expect(errors[1]!.message).toMatch(/no model of Customer, Order claims it/);
  });

  it('a model with entityAttribute: false, alone on its table, is given only the records its key templates fit', async () => {
    const Post = model('Post', { table: 'posts', entityAttribute: false, keys: { pk: { field: 'pk', template: 'USER#{userId}' }, sk: { field: 'sk', template: 'POST#{postId}' } }, attributes: { userId: t.string(), postId: t.string() } });
    const posts = new DynamORM({ endpoint: endpoint(), models: [Post] });
    const arn = 'arn:aws:dynamodb:local:000000000000:table/posts/stream/2024-01-01T00:00:00.000';
    const insert = (seq: string, sk: string) => ({ eventName: 'INSERT', eventSourceARN: arn, dynamodb: { SequenceNumber: seq, Keys: { pk: { S: 'USER#u1' }, sk: { S: sk } }, NewImage: { pk: { S: 'USER#u1' }, sk: { S: sk }, userId: { S: 'u1' }, postId: { S: 'p1' } } } });
    const inserted: string[] = [];
    const errors: StreamRecordError[] = [];
    const handler = streamHandler(posts, { Post: { insert: ({ newItem }) => void inserted.push(newItem.postId) } }, { onError: (e) => void errors.push(e) });
    expect(await handler({ Records: [insert('1', 'POST#p1'), insert('2', 'PROFILE')] })).toEqual({ batchItemFailures: [] });
    expect(inserted).toEqual(['p1']);
    expect(errors.map((e) => [e.code, e.message])).toEqual([['stream.unknownModel', expect.stringMatching(/no model of Post claims it/)]]);
  });

  it('logs undelivered records to the ORM\'s logger by default, and fails the record when the report throws', async () => {
    const warnings: string[] = [];
    const quiet = new DynamORM({ endpoint: endpoint(), tablePrefix: orm.tableName(User).slice(0, -'users'.length), models: [User], logger: { warn: (m) => void warnings.push(m) } });
    const record = { eventName: 'INSERT', eventSourceARN: usersArn, dynamodb: { SequenceNumber: '7', Keys: { id: { S: 'x' } }, NewImage: { id: { S: 'x' } } } } as const;
    expect(await streamHandler(quiet, { User: {} })({ Records: [record] })).toEqual({ batchItemFailures: [] });
    expect(warnings).toEqual([expect.stringMatching(/^DynamORM: stream record 7 of User: its new image does not fit the model/)]);
    const strict = streamHandler(quiet, { User: {} }, { onError: (e) => { throw e; } });
    expect(await strict({ Records: [record] })).toEqual({ batchItemFailures: [{ itemIdentifier: '7' }] });
  });

  it('refuses a model name the ORM does not know', () => {
    expect(() => streamHandler(new DynamORM({ endpoint: endpoint() }), { Nobody: {} })).toThrow(/no model named Nobody is registered with this ORM/);
  });
});
