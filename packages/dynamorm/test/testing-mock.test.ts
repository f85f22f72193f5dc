// The expectation mock of dynamorm/testing: every expectation kind met through the real ORM,
// every kind of mismatch with the message it gives, times, willFail and verify. No DynamoDB.
import { afterAll, describe, expect, test } from 'vitest';
import { ConditionFailedError, defineMigration, DynamORM, DynamORMError, model, t, TransactionCanceledError, ValidationError } from 'dynamorm';
import { rejection, uniquePrefix } from './support/inspect.js';
import { endpoint, useOwnDynamo } from './support/dynamo.js';
import type { TableDescription } from '@aws-sdk/client-dynamodb';
import { createMock, MockError, sdkError, type Mock } from 'dynamorm/testing';
import { User } from './fixtures/user-model.js';

const Account = model('Account', {
  table: 'accounts',
  attributes: {
    userId: t.string().pk(),
    balance: t.number(),
    plan: t.enum(['free', 'pro']).default('free'),
    version: t.number().version(),
  },
});

const at = new Date('2024-05-01T12:00:00.000Z');

describe('API.md example', () => {
  test('expectQuery(User).withCondition(...).willReturn(partial item) then orm.model(User)...first()', async () => {
    const mock = createMock();
    mock.expectQuery(User).withCondition('id', '=', '123').willReturn({ id: '123', name: 'Test' });
    const orm = mock.orm;
    const user = await orm.model(User).where('id', '=', '123').first();
    // A partial item comes back as given: only the attributes the test wrote, decoded by the model.
    expect(user).toEqual({ id: '123', name: 'Test' });
    mock.verify();
  });
});

describe('each expectation kind, met', () => {
  test('query on an index the planner picked, with orderBy and limit applied by the real read path', async () => {
    const mock = createMock();
    mock.expectQuery(User).withIndex('gsi-name-age').withCondition('name', '=', 'John').withCondition('age', '>', 18)
      .willReturn([{ id: 'a', name: 'John', age: 40 }, { id: 'b', name: 'John', age: 30 }, { id: 'c', name: 'John', age: 20 }]);
    const found = await mock.orm.model(User).where('name', '=', 'John').where('age', '>', 18).orderBy('age', 'desc').limit(2).all();
    expect(found.map((u) => u.id)).toEqual(['a', 'b']);
    expect(mock.calls[0]!.description).toContain('Query on User (table "users", index gsi-name-age) where name = "John" and age > 18');
    mock.verify();
  });

  test('query on a GSI by its key, select() narrows what the ORM returns', async () => {
    const mock = createMock();
    mock.expectQuery(User).withIndex('gsi-email').withCondition('email', '=', 'a@b.c').willReturn({ id: '1', email: 'a@b.c', name: 'Ann', createdAt: at });
    const [u] = await mock.orm.model(User).index('gsi-email').where('email', '=', 'a@b.c').select('id', 'createdAt').all();
    expect(u).toEqual({ id: '1', createdAt: at });
    mock.verify();
  });

  test('query with withKey on the table key, and a between on the sort key', async () => {
    const mock = createMock();
    const from = new Date('2024-01-01T00:00:00.000Z');
    mock.expectQuery(User).withCondition('id', '=', 'u1').withCondition('createdAt', 'between', [from, at]).willReturn([{ id: 'u1', createdAt: at }]);
    const items = await mock.orm.model(User).where('id', '=', 'u1').where('createdAt', 'between', [from, at]).all();
    expect(items).toEqual([{ id: 'u1', createdAt: at }]);
    mock.verify();
  });

  test('query that the planner turns into a GetItem (full primary key) matches expectQuery and expectGet', async () => {
    const mock = createMock();
    mock.expectQuery(User).withKey({ id: 'u1', createdAt: at }).willReturn({ id: 'u1', createdAt: at, name: 'Ann' });
    mock.expectGet(User).withCondition('id', '=', 'u1').willReturn({ id: 'u1', createdAt: at, name: 'Ann' });
    const first = await mock.orm.model(User).where('id', '=', 'u1').where('createdAt', '=', at).first();
    const second = await mock.orm.model(User).get({ id: 'u1', createdAt: at });
    expect(first).toEqual({ id: 'u1', createdAt: at, name: 'Ann' });
    expect(second).toEqual(first);
    expect(mock.calls.map((c) => c.operation)).toEqual(['GetItem', 'GetItem']);
    mock.verify();
  });

  test('get without willReturn finds nothing', async () => {
    const mock = createMock();
    mock.expectGet(Account).withKey({ userId: 'nobody' });
    expect(await mock.orm.model(Account).get({ userId: 'nobody' })).toBeUndefined();
    mock.verify();
  });

  test('scan with a filter, and a parallel scan counted once', async () => {
    const mock = createMock();
    mock.expectScan(User).withCondition('tags', 'contains', 'active').willReturn([{ id: 'a', tags: new Set(['active']) }]);
    mock.expectScan(Account).willReturn([{ userId: 'a', balance: 1 }, { userId: 'b', balance: 2 }]);
    const active = await mock.orm.model(User).where('tags', 'contains', 'active').scan();
    expect(active).toEqual([{ id: 'a', tags: new Set(['active']) }]);
    const all = await mock.orm.model(Account).scan({ segments: 4 });
    expect(all.map((a) => a.userId).sort()).toEqual(['a', 'b']);
    expect(mock.calls.filter((c) => c.operation === 'Scan')).toHaveLength(5);
    mock.verify();
  });

  test('count() gets the number of items given', async () => {
    const mock = createMock();
    mock.expectQuery(User).withCondition('email', '=', 'x@y.z').willReturn([{ id: '1' }, { id: '2' }]);
    expect(await mock.orm.model(User).where('email', '=', 'x@y.z').count()).toBe(2);
    mock.verify();
  });

  test('create and put, matched by the item they write', async () => {
    const mock = createMock();
    mock.expectCreate(Account).withItem({ userId: 'u1', balance: 10 });
    mock.expectPut(Account).withKey({ userId: 'u1' }).withItem({ balance: 20 });
    const created = await mock.orm.model(Account).create({ userId: 'u1', balance: 10 });
    expect(created).toEqual({ userId: 'u1', balance: 10, plan: 'free', version: 1 });
    await mock.orm.model(Account).put({ ...created, balance: 20 });
    mock.verify();
  });

  test('update, matched by key and changes; resolves with the key and the values set, or with willReturn', async () => {
    const mock = createMock();
    mock.expectUpdate(Account).withKey({ userId: 'u1' }).withChanges({ balance: 100 });
    mock.expectUpdate(Account).withKey({ userId: 'u2' }).withCondition('plan', '=', 'pro').willReturn({ userId: 'u2', balance: 5, plan: 'pro', version: 3 });
    const updated = await mock.orm.model(Account).key({ userId: 'u1' }).update({ balance: 100 });
    expect(updated).toEqual({ userId: 'u1', balance: 100 });
    const second = await mock.orm.model(Account).where('userId', '=', 'u2').where('plan', '=', 'pro').update((u) => u.add('balance', 5));
    expect(second).toEqual({ userId: 'u2', balance: 5, plan: 'pro', version: 3 });
    mock.verify();
  });

  test('delete, resolving with the old item given to willReturn', async () => {
    const mock = createMock();
    mock.expectDelete(Account).withKey({ userId: 'u1' }).willReturn({ userId: 'u1', balance: 7 });
    expect(await mock.orm.model(Account).delete({ userId: 'u1' })).toEqual({ userId: 'u1', balance: 7 });
    mock.verify();
  });
});

describe('batches and transactions (driver level: requests as the batch and transaction API sends them)', () => {
  const sendRaw = (mock: ReturnType<typeof createMock>) => mock.orm.session.driver;

  test('loadFixture on a mock ORM meets expectBatchWrite, one expectation per table part', async () => {
    const mock = createMock({ models: [User, Account] });
    mock.expectBatchWrite(Account).withPut({ userId: 'a', balance: 1 }).withPut({ userId: 'b', balance: 2 });
    await mock.orm.loadFixture({ Account: [{ userId: 'a', balance: 1 }, { userId: 'b', balance: 2 }] });
    mock.verify();
  });

  test('BatchWriteItem deletes, and BatchGetItem answered with the requested items only', async () => {
    const mock = createMock({ models: [Account] });
    mock.expectBatchWrite(Account).withDelete({ userId: 'a' });
    mock.expectBatchGet(Account).withKey({ userId: 'a' }).willReturn([{ userId: 'a', balance: 1 }, { userId: 'z', balance: 9 }]);
    const driver = sendRaw(mock);
    await driver.send('BatchWriteItem', { RequestItems: { accounts: [{ DeleteRequest: { Key: { userId: { S: 'a' } } } }] } });
    const out = await driver.send('BatchGetItem', { RequestItems: { accounts: { Keys: [{ userId: { S: 'a' } }, { userId: { S: 'b' } }] } } });
    expect(out.Responses).toEqual({ accounts: [{ userId: { S: 'a' }, balance: { N: '1' } }] });
    mock.verify();
  });

  test('a BatchGetItem of single gets (automatic get batching) meets expectGet key by key', async () => {
    const mock = createMock({ models: [Account] });
    mock.expectGet(Account).withKey({ userId: 'a' }).willReturn({ userId: 'a', balance: 1 });
    mock.expectGet(Account).withKey({ userId: 'b' });
    const out = await sendRaw(mock).send('BatchGetItem', { RequestItems: { accounts: { Keys: [{ userId: { S: 'a' } }, { userId: { S: 'b' } }] } } });
    expect(out.Responses).toEqual({ accounts: [{ userId: { S: 'a' }, balance: { N: '1' } }] });
    mock.verify();
  });

  test('TransactWriteItems with put, update, delete and condition check', async () => {
    const mock = createMock({ models: [User, Account] });
    const tx = mock.orm.model(Account).compiled;
    mock.expectTransaction()
      .withPut(Account, { userId: 'n', balance: 0 })
      .withUpdate(Account, { userId: 'u' }, { balance: 100 })
      .withDelete(Account, { userId: 'd' })
      .withConditionCheck(Account, { userId: 'c' });
    const put = tx.create({ userId: 'n', balance: 0 });
    const update = tx.update({ userId: 'u' }, { balance: 100 });
    const del = tx.delete({ userId: 'd' });
    await sendRaw(mock).send('TransactWriteItems', {
      TransactItems: [
        { Put: { ...put, ReturnValuesOnConditionCheckFailure: undefined } },
        { Update: { ...update, ReturnValues: undefined } as never },
        { Delete: { TableName: del.TableName, Key: del.Key } },
        { ConditionCheck: { TableName: 'accounts', Key: { userId: { S: 'c' } }, ConditionExpression: 'attribute_exists(#0)', ExpressionAttributeNames: { '#0': 'userId' } } },
      ],
    });
    mock.verify();
  });

  test('TransactGetItems answered per Get, in order', async () => {
    const mock = createMock({ models: [Account] });
    mock.expectTransactGet().withGet(Account, { userId: 'a' }).withGet(Account, { userId: 'b' }).willReturn(Account, [{ userId: 'b', balance: 2 }]);
    const out = await sendRaw(mock).send('TransactGetItems', {
      TransactItems: [{ Get: { TableName: 'accounts', Key: { userId: { S: 'a' } } } }, { Get: { TableName: 'accounts', Key: { userId: { S: 'b' } } } }],
    });
    expect(out.Responses).toEqual([{ Item: undefined }, { Item: { userId: { S: 'b' }, balance: { N: '2' } } }]);
    mock.verify();
  });

  test('a transaction missing an expected action is unexpected, saying which', async () => {
    const mock = createMock({ models: [Account] });
    mock.expectTransaction().withDelete(Account, { userId: 'd' });
    const error = await rejection(sendRaw(mock).send('TransactWriteItems', { TransactItems: [{ Delete: { TableName: 'accounts', Key: { userId: { S: 'x' } } } }] }));
    expect(error.message).toContain('Closest expectation: expectTransaction().withDelete(Account, { userId: \'d\' })');
    expect(error.message).toContain('its key is { userId: "x" }, not { userId: "d" }');
  });
});

describe('batches and transactions through the public API', () => {
  test('orm.transaction meets expectTransaction', async () => {
    const mock = createMock({ models: [Account] });
    mock.expectTransaction().withPut(Account, { userId: 'n', balance: 0 }).withUpdate(Account, { userId: 'u' }, { balance: 100 }).withConditionCheck(Account, { userId: 'c' });
    await mock.orm.transaction(async (tx) => {
      tx.create(Account, { userId: 'n', balance: 0 });
      tx.model(Account).where('userId', '=', 'u').update('balance', 100);
      tx.conditionCheck(Account, { userId: 'c' }, (c) => c.attributeExists('userId'));
    });
    mock.verify();
  });

  test("willFail('TransactionCanceledException') rejects orm.transaction with TransactionCanceledError and its reasons", async () => {
    const mock = createMock({ models: [Account] });
    const reasons = [{ Code: 'None' }, { Code: 'ConditionalCheckFailed', Item: { userId: { S: 'c' }, balance: { N: '1' }, plan: { S: 'free' }, version: { N: '4' } } }];
    mock.expectTransaction().withPut(Account, { userId: 'n', balance: 0 }).withConditionCheck(Account, { userId: 'c' })
      .willFail(sdkError('TransactionCanceledException', 'Transaction cancelled', { CancellationReasons: reasons }));
    const error = await rejection(mock.orm.transaction((tx) => {
      tx.create(Account, { userId: 'n', balance: 0 });
      tx.conditionCheck(Account, { userId: 'c' }, (c) => c.attributeExists('userId'));
    }));
    expect(error).toBeInstanceOf(TransactionCanceledError);
    const { reasons: listed } = error as TransactionCanceledError;
    expect(listed.map((r) => [r.index, r.model, r.code])).toEqual([[0, 'Account', 'None'], [1, 'Account', 'ConditionalCheckFailed']]);
    expect(listed[1]!.error).toBeInstanceOf(ConditionFailedError);
    expect((listed[1]!.error as ConditionFailedError).item).toEqual({ userId: 'c', balance: 1, plan: 'free', version: 4 });
    mock.verify();
  });

  test('batchGet, transactGet and batchDelete meet their expectations', async () => {
    const mock = createMock({ models: [Account] });
    mock.expectBatchGet(Account).withKey({ userId: 'a' }).withKey({ userId: 'b' }).willReturn([{ userId: 'b', balance: 2 }]);
    expect(await mock.orm.model(Account).batchGet([{ userId: 'a' }, { userId: 'b' }], { ordered: true })).toEqual([undefined, { userId: 'b', balance: 2 }]);
    mock.expectTransactGet().withGet(Account, { userId: 'a' }).willReturn(Account, [{ userId: 'a', balance: 1 }]);
    expect(await mock.orm.transactGet([{ model: Account, key: { userId: 'a' } }])).toEqual([{ userId: 'a', balance: 1 }]);
    mock.expectBatchWrite(Account).withDelete({ userId: 'a' }).withDelete({ userId: 'b' });
    expect(await mock.orm.model(Account).batchDelete([{ userId: 'a' }, { userId: 'b' }])).toMatchObject({ written: 2, mode: 'batch' });
    mock.verify();
  });
});

describe('mismatches: an unexpected call rejects with a message naming model, operation, conditions and the closest expectation', () => {
  test('a condition with another value', async () => {
    const mock = createMock();
    mock.expectQuery(User).withCondition('id', '=', '123');
    const error = await rejection(mock.orm.model(User).where('id', '=', '456').first());
    expect(error).toBeInstanceOf(MockError);
    expect(error).toBeInstanceOf(DynamORMError);
    expect((error as MockError).code).toBe('mock.unexpectedCall');
    expect((error as MockError).model).toBe('User');
    expect(error.message).toBe([
      'DynamORM mock: unexpected Query on User (table "users") where id = "456".',
      `Closest expectation: expectQuery(User).withCondition('id', '=', '123') (declared at ${error.message.match(/declared at (.*)\)/)![1]})`,
      'It did not match: withCondition(\'id\', \'=\', \'123\'): the request has no condition id = "123" (its conditions: id = "456").',
      'Declare the call with mock.expectQuery(…), or fix the code under test.',
    ].join('\n'));
    expect(error.message).toMatch(/declared at .*testing-mock\.test\.ts:\d+:\d+/);
  });

  test('another index than expected', async () => {
    const mock = createMock();
    mock.expectQuery(User).withIndex('gsi-email').withCondition('name', '=', 'John');
    const error = await rejection(mock.orm.model(User).where('name', '=', 'John').all());
    expect(error.message).toContain('unexpected Query on User (table "users", index gsi-name-age) where name = "John"');
    expect(error.message).toContain("withIndex('gsi-email'): it reads index gsi-name-age");
  });

  test('another operation than expected (expectGet, but the code scans)', async () => {
    const mock = createMock();
    mock.expectGet(User).withKey({ id: '1', createdAt: at });
    const error = await rejection(mock.orm.model(User).scan());
    expect(error.message).toContain('unexpected Scan on User (table "users")');
    expect(error.message).toContain('It did not match: it is a Scan, not GetItem.');
    expect(error.message).toContain('mock.expectScan or expectQuery(…)');
  });

  test('another model than expected', async () => {
    const mock = createMock();
    mock.expectGet(User).withKey({ id: '1', createdAt: at });
    const error = await rejection(mock.orm.model(Account).get({ userId: '1' }));
    expect(error.message).toContain('unexpected GetItem on Account (table "accounts") key { userId: "1" }');
    expect(error.message).toContain('it is on table "accounts" (Account), not "users" of User');
  });

  test('no expectation at all', async () => {
    const mock = createMock();
    const error = await rejection(mock.orm.model(Account).delete({ userId: '1' }));
    expect(error.message).toContain('unexpected DeleteItem on Account (table "accounts") key { userId: "1" }');
    expect(error.message).toContain('No expectation is declared.');
    expect(error.message).toContain('mock.expectDelete(…)');
  });

  test('a written item that differs, attribute by attribute', async () => {
    const mock = createMock();
    mock.expectCreate(Account).withItem({ userId: 'u1', balance: 10, plan: 'pro' });
    const error = await rejection(mock.orm.model(Account).create({ userId: 'u1', balance: 11 }));
    expect(error.message).toContain('balance is 11, not 10; plan is "free", not "pro"');
  });

  test('a put is not a create', async () => {
    const mock = createMock();
    mock.expectCreate(Account).withKey({ userId: 'u1' });
    const error = await rejection(mock.orm.model(Account).put({ userId: 'u1', balance: 1, version: 4 }));
    expect(error.message).toContain('it is a put, not a create (no condition attribute_not_exists(userId))');
  });

  test('an update with other changes, and one on another key', async () => {
    const mock = createMock();
    mock.expectUpdate(Account).withKey({ userId: 'u1' }).withChanges({ balance: 100 });
    const changes = await rejection(mock.orm.model(Account).key({ userId: 'u1' }).update({ balance: 99 }));
    expect(changes.message).toContain('withChanges({ balance: 100 }): it does not SET balance = 100 (its changes: SET balance = 99, ADD version 1)');
    const key = await rejection(mock.orm.model(Account).key({ userId: 'u9' }).update({ balance: 100 }));
    expect(key.message).toContain("withKey({ userId: 'u1' }): its key is { userId: \"u9\" }, not { userId: \"u1\" }");
  });

  test('a call beyond times(n) names the expectation it used up', async () => {
    const mock = createMock();
    mock.expectGet(Account).withKey({ userId: 'a' }).times(2);
    await mock.orm.model(Account).get({ userId: 'a' });
    await mock.orm.model(Account).get({ userId: 'a' });
    const error = await rejection(mock.orm.model(Account).get({ userId: 'a' }));
    expect(error.message).toContain("It matches expectGet(Account).withKey({ userId: 'a' }).times(2)");
    expect(error.message).toContain('expected 2 call(s) and has had them all');
  });

  test('the closest expectation is one with calls left, over a used-up one as close', async () => {
    const mock = createMock();
    mock.expectQuery(User).withCondition('id', '=', '1');
    mock.expectQuery(User).withCondition('id', '=', '2');
    await mock.orm.model(User).where('id', '=', '1').all();
    const error = await rejection(mock.orm.model(User).where('id', '=', '3').all());
    expect(error.message).toContain("Closest expectation: expectQuery(User).withCondition('id', '=', '2')");
  });

  test('expectations are declared with checked values: a wrong attribute, operator or value throws at once', () => {
    const mock = createMock();
    // @ts-expect-error not an attribute of User
    expect(() => mock.expectQuery(User).withCondition('nope', '=', 1)).toThrow(ValidationError);
    // @ts-expect-error begins_with does not fit a number
    expect(() => mock.expectQuery(User).withCondition('age', 'begins_with', '1')).toThrow(/operator for a number attribute/);
    // @ts-expect-error a string is not a number
    expect(() => mock.expectQuery(User).withCondition('age', '=', 'x')).toThrow(/User\.age: expected a number/);
    // @ts-expect-error no such index
    expect(() => mock.expectQuery(User).withIndex('gsi-nope')).toThrow(/no index named "gsi-nope"; it has gsi-email, gsi-name-age/);
    // @ts-expect-error a number is not a string
    expect(() => mock.expectGet(Account).willReturn({ userId: 1 })).toThrow(/Account\.userId: expected a string/);
  });
});

describe('times, willFail, verify, reset', () => {
  test('times(n) allows n calls; verify reports fewer', async () => {
    const mock = createMock();
    mock.expectScan(Account).times(3);
    await mock.orm.model(Account).scan();
    await mock.orm.model(Account).scan();
    expect(() => mock.verify()).toThrow('expectScan(Account).times(3): expected 3 call(s), received 2');
    await mock.orm.model(Account).scan();
    mock.verify();
  });

  test('times(0): the call must not happen', async () => {
    const mock = createMock();
    mock.expectDelete(Account).withKey({ userId: 'keep' }).times(0);
    const error = await rejection(mock.orm.model(Account).delete({ userId: 'keep' }));
    expect(error.message).toContain('expected 0 call(s)');
    expect(() => mock.expectDelete(Account).times(-1)).toThrow(/whole number/);
  });

  test('willFail with an SDK exception name goes through the ORM error mapping (create: the key exists)', async () => {
    const mock = createMock();
    mock.expectCreate(Account).withItem({ userId: 'u1' }).willFail('ConditionalCheckFailedException');
    const error = await rejection(mock.orm.model(Account).create({ userId: 'u1', balance: 0 }));
    expect(error).toBeInstanceOf(ConditionFailedError);
    expect(error.message).toBe('create Account: an item with key { userId: "u1" } already exists (put() replaces it)');
    mock.verify();
  });

  test('willFail with an SDK-style error object and with a DynamORMError instance', async () => {
    const mock = createMock();
    mock.expectQuery(User).withCondition('id', '=', '1').willFail(sdkError('ProvisionedThroughputExceededException', 'Rate exceeded'));
    const throttled = await rejection(mock.orm.model(User).where('id', '=', '1').all());
    expect(throttled).toBeInstanceOf(DynamORMError);
    expect((throttled as DynamORMError).code).toBe('dynamodb.ProvisionedThroughputExceededException');
    expect(throttled.message).toContain('query User: Rate exceeded (the table is throttled');

    const given = new ConditionFailedError('nope', { op: 'delete', model: 'Account' });
    mock.expectDelete(Account).willFail(given);
    const failed = await rejection(mock.orm.model(Account).delete({ userId: 'x' }));
    expect(failed).toBeInstanceOf(ConditionFailedError);
    expect(failed.message).toBe('delete Account { userId: "x" }: the condition did not hold');
    mock.verify();
  });

  test('verify lists every unmet expectation and every unexpected call, even when the code swallowed the rejection', async () => {
    const mock = createMock();
    mock.expectQuery(User).withCondition('id', '=', '123');
    mock.expectDelete(Account).withKey({ userId: 'a' });
    await mock.orm.model(Account).get({ userId: 'zzz' }).catch(() => undefined);
    let error: unknown;
    try {
      mock.verify();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MockError);
    const message = (error as MockError).message;
    expect((error as MockError).code).toBe('mock.unmetExpectations');
    expect(message).toContain('DynamORM mock: 2 expectation(s) not met:');
    expect(message).toContain("  - expectQuery(User).withCondition('id', '=', '123'): expected 1 call(s), received 0");
    expect(message).toContain("  - expectDelete(Account).withKey({ userId: 'a' }): expected 1 call(s), received 0");
    expect(message).toContain('DynamORM mock: 1 unexpected call(s):');
    expect(message).toContain('GetItem on Account (table "accounts") key { userId: "zzz" }');
  });

  test('reset forgets expectations and calls', async () => {
    const mock = createMock();
    mock.expectGet(Account);
    await mock.orm.model(Account).get({ userId: 'a' });
    mock.reset();
    expect(mock.calls).toHaveLength(0);
    mock.verify();
    await expect(mock.orm.model(Account).get({ userId: 'a' })).rejects.toThrow(/No expectation is declared/);
  });

  test('expectations are met in the order declared, each as often as its times', async () => {
    const mock = createMock();
    mock.expectGet(Account).willReturn({ userId: 'a', balance: 1 });
    mock.expectGet(Account).willReturn({ userId: 'a', balance: 2 });
    expect((await mock.orm.model(Account).get({ userId: 'a' }))?.balance).toBe(1);
    expect((await mock.orm.model(Account).get({ userId: 'a' }))?.balance).toBe(2);
    mock.verify();
  });

  test('tablePrefix: requests and expectations name the prefixed table', async () => {
    const mock = createMock({ tablePrefix: 'test-' });
    mock.expectGet(Account).withKey({ userId: 'a' });
    await mock.orm.model(Account).get({ userId: 'a' });
    expect((mock.calls[0]!.request as { TableName: string }).TableName).toBe('test-accounts');
    mock.verify();
  });
});

describe('table management: schema plans, apply, autoMigrate and migrations run on the mock as on DynamoDB', () => {
  const Note = model('Note', {
    table: 'notes',
    attributes: { id: t.string().pk(), kind: t.string().index('by-kind'), expiresAt: t.ttl().optional() },
  });
  const changes = (mock: Mock, from = 0): [string, unknown][] =>
    mock.calls.slice(from).filter((c) => !c.operation.startsWith('Describe')).map((c) => [c.operation, c.request]);
  /** The mock's DescribeTable answer, as the code under test receives it. */
  const described = async (mock: Mock): Promise<TableDescription> => {
    let table: TableDescription | undefined;
    const off = mock.orm.use(async (request, next) => {
      const response = await next(request);
      if (request.command === 'DescribeTable') table = (response as { Table?: TableDescription }).Table;
      return response;
    });
    await mock.orm.schema.check();
    off();
    return table!;
  };
  const Legacy = model('LegacyNote', { table: 'notes', attributes: { id: t.string().pk(), kind: t.string() } });
  const byKind = { IndexName: 'by-kind', KeySchema: [{ AttributeName: 'kind', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } };

  test('plan and apply a new table: CreateTable with its index, then TTL; the next plan is empty', async () => {
    const mock = createMock({ models: [Note], billingMode: 'PAY_PER_REQUEST' });
    const plan = await mock.orm.schema.plan();
    expect(plan.steps.map((s) => s.kind)).toEqual(['createTable', 'enableTtl']);
    await mock.orm.schema.apply(plan);
    expect(changes(mock)).toEqual([
      ['CreateTable', { TableName: 'notes', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }, { AttributeName: 'kind', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST', GlobalSecondaryIndexes: [byKind] }],
      ['UpdateTimeToLive', { TableName: 'notes', TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } }],
    ]);
    expect(await described(mock)).toMatchObject({ TableStatus: 'ACTIVE', BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' }, GlobalSecondaryIndexes: [{ ...byKind, IndexStatus: 'ACTIVE' }] });
    expect((await mock.orm.schema.plan()).steps).toEqual([]);
    mock.verify();
  });

  test('settings: billing and capacity, stream, point-in-time recovery and deletion protection, each UpdateTable after the table is ACTIVE again', async () => {
    const mock = createMock({ models: [Note], billingMode: 'PAY_PER_REQUEST' });
    mock.table(Note);
    await mock.orm.schema.apply(await mock.orm.schema.plan());
    const settings = { billingMode: 'PROVISIONED', capacity: { read: 7, write: 3 }, stream: 'NEW_IMAGE', pointInTimeRecovery: true, deletionProtection: true } as const;
    const plan = await mock.orm.schema.plan(settings);
    expect(plan.steps.map((s) => s.kind)).toEqual(['updateBilling', 'updateStream', 'updatePointInTimeRecovery', 'updateDeletionProtection']);
    const from = mock.calls.length;
    await mock.orm.schema.apply(plan);
    const throughput = { ReadCapacityUnits: 7, WriteCapacityUnits: 3 };
    expect(changes(mock, from)).toEqual([
      ['UpdateTable', { TableName: 'notes', BillingMode: 'PROVISIONED', ProvisionedThroughput: throughput, GlobalSecondaryIndexUpdates: [{ Update: { IndexName: 'by-kind', ProvisionedThroughput: throughput } }] }],
      ['UpdateTable', { TableName: 'notes', StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } }],
      ['UpdateContinuousBackups', { TableName: 'notes', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }],
      ['UpdateTable', { TableName: 'notes', DeletionProtectionEnabled: true }],
    ]);
    // Each UpdateTable waited for the table to be ACTIVE before, and after (UPDATING in between).
    const ops = mock.calls.slice(from).map((c) => c.operation);
    expect(ops.filter((op, i) => op === 'UpdateTable' && ops[i + 1] === 'DescribeTable' && ops[i + 2] === 'DescribeTable')).toHaveLength(3);
    expect(await described(mock)).toMatchObject({
      TableStatus: 'ACTIVE', BillingModeSummary: { BillingMode: 'PROVISIONED' }, ProvisionedThroughput: throughput, DeletionProtectionEnabled: true,
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' }, GlobalSecondaryIndexes: [{ IndexName: 'by-kind', ProvisionedThroughput: throughput, IndexStatus: 'ACTIVE' }],
    });
    expect(await mock.orm.backups.pointInTimeRecovery(Note)).toMatchObject({ enabled: true });
    expect((await mock.orm.schema.plan(settings)).steps).toEqual([]);
    // Deletion protection holds: DeleteTable is refused as DynamoDB refuses it.
    await expect(mock.orm.dropTables(Note)).rejects.toThrow(/protected against deletion/);
  });

  test('a new index is CREATING and backfilling until DynamoDB has built it; reads of it are refused until ACTIVE', async () => {
    const mock = createMock({ billingMode: 'PAY_PER_REQUEST' });
    // The live table predates the index: made from a model of it without the index.
    mock.table(Legacy);
    mock.orm.register(Note);
    await expect(mock.orm.model(Note).where('kind', '=', 'memo').all()).rejects.toThrow(/does not have the specified index: by-kind/);
    const plan = await mock.orm.schema.plan();
    expect(plan.steps.map((s) => [s.kind, s.index])).toEqual([['addIndex', 'by-kind'], ['enableTtl', undefined]]);
    let during: unknown;
    const off = mock.orm.use(async (request, next) => {
      const response = await next(request);
      if (request.command === 'UpdateTable') during = await mock.orm.model(Note).where('kind', '=', 'memo').all().catch((e: unknown) => e);
      return response;
    });
    const from = mock.calls.length;
    await mock.orm.schema.apply(plan);
    off();
    expect(String(during)).toMatch(/Cannot read from backfilling global secondary index: by-kind/);
    expect(changes(mock, from).filter(([op]) => op === 'UpdateTable' || op === 'UpdateTimeToLive')).toEqual([
      ['UpdateTable', { TableName: 'notes', AttributeDefinitions: [{ AttributeName: 'kind', AttributeType: 'S' }], GlobalSecondaryIndexUpdates: [{ Create: byKind }] }],
      ['UpdateTimeToLive', { TableName: 'notes', TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } }],
    ]);
    mock.expectQuery(Note).withIndex('by-kind').withCondition('kind', '=', 'memo').willReturn([{ id: 'n1', kind: 'memo' }]);
    expect(await mock.orm.model(Note).where('kind', '=', 'memo').all()).toEqual([{ id: 'n1', kind: 'memo' }]);
    expect(await described(mock)).toMatchObject({ AttributeDefinitions: [{ AttributeName: 'id' }, { AttributeName: 'kind' }], GlobalSecondaryIndexes: [{ ...byKind, IndexStatus: 'ACTIVE' }] });
    mock.verify();
  });

  test('createTables (what autoMigrate runs before the first request) adds the missing index and TTL, and removes nothing', async () => {
    const mock = createMock({ billingMode: 'PAY_PER_REQUEST' });
    mock.table(Legacy);
    await mock.orm.createTables(Note);
    expect(changes(mock).map(([op, r]) => [op, Object.keys(r as object).sort()])).toEqual([
      ['UpdateTable', ['AttributeDefinitions', 'GlobalSecondaryIndexUpdates', 'TableName']],
      ['UpdateTimeToLive', ['TableName', 'TimeToLiveSpecification']],
    ]);
    expect(await mock.orm.model(Note).where('kind', '=', 'memo').all().catch((e: unknown) => String(e))).toMatch(/unexpected Query on Note/);
  });

  test('a migration: removeIndex, updateTable, enableTtl and addIndex, against the history table answered by expectRequest', async () => {
    const mock = createMock({ models: [Note], billingMode: 'PAY_PER_REQUEST' });
    mock.table(Note);
    // The history table is one of the mock's tables; its items are answered by expectRequest.
    for (const op of ['PutItem', 'UpdateItem', 'DeleteItem', 'GetItem'] as const) mock.expectRequest(op, { TableName: 'dynamorm_migrations' }).times(10);
    mock.expectRequest('Scan', { TableName: 'dynamorm_migrations' }).willReturn({ Items: [] }).times(10);
    const m1 = defineMigration({
      version: '001',
      async up(schema) {
        await schema.removeIndex(Note, 'by-kind');
        await schema.updateTable(Note, { stream: 'KEYS_ONLY', deletionProtection: true });
        await schema.enableTtl(Note);
        await schema.addIndex(Note, 'by-kind');
      },
    });
    await mock.orm.migrate({ migrations: [m1] });
    expect(changes(mock).filter(([, r]) => (r as { TableName?: string }).TableName === 'notes')).toEqual([
      ['UpdateTable', { TableName: 'notes', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'by-kind' } }] }],
      ['UpdateTable', { TableName: 'notes', StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } }],
      ['UpdateTable', { TableName: 'notes', DeletionProtectionEnabled: true }],
      ['UpdateTimeToLive', { TableName: 'notes', TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } }],
      ['UpdateTable', { TableName: 'notes', AttributeDefinitions: [{ AttributeName: 'kind', AttributeType: 'S' }], GlobalSecondaryIndexUpdates: [{ Create: byKind }] }],
    ]);
    expect(await described(mock)).toMatchObject({ DeletionProtectionEnabled: true, StreamSpecification: { StreamViewType: 'KEYS_ONLY' }, GlobalSecondaryIndexes: [{ IndexName: 'by-kind', IndexStatus: 'ACTIVE' }] });
  });

  test('one rule for DescribeTable: a matching expectRequest answers first, then the mock\'s tables', async () => {
    const mock = createMock({ models: [Note] });
    mock.table(Note);
    mock.expectRequest('DescribeTable', { TableName: 'notes' }).willReturn({ Table: { TableName: 'notes', TableStatus: 'CREATING' } });
    expect((await described(mock)).TableStatus).toBe('CREATING');
    expect((await described(mock)).TableStatus).toBe('ACTIVE');
    expect(mock.calls.filter((c) => c.operation === 'DescribeTable').map((c) => c.expectation)).toEqual([`expectRequest('DescribeTable', {"TableName":"notes"})`, 'the mock\'s table notes']);
    // A table the mock does not hold, with expectRequests of DescribeTable that do not match: unexpected, naming the closest.
    const other = createMock();
    other.expectRequest('DescribeTable', { TableName: 'users' }).willReturn({ Table: { TableStatus: 'ACTIVE' } });
    await expect(other.orm.schema.plan({ models: [Note] })).rejects.toThrow(/unexpected DescribeTable .*\nClosest expectation: expectRequest\('DescribeTable', \{"TableName":"users"\}\)\nIt did not match: TableName is "notes", not "users"/);
    mock.verify();
  });

  test('a restore an expectRequest answers creates its table, as DynamoDB does: CREATING, then ACTIVE, with the source\'s definition', async () => {
    const mock = createMock({ models: [Note], billingMode: 'PAY_PER_REQUEST' });
    mock.table(Note);
    await mock.orm.backups.setPointInTimeRecovery(Note, true);
    mock.expectRequest('RestoreTableToPointInTime', { SourceTableName: 'notes', TargetTableName: 'notes_noon', RestoreDateTime: at }).willReturn({ TableDescription: { TableName: 'notes_noon', TableStatus: 'CREATING' } });
    const restored = await mock.orm.backups.restoreToPointInTime(Note, { table: 'notes_noon', time: at });
    expect(restored).toMatchObject({ table: 'notes_noon', status: 'ACTIVE', description: { TableName: 'notes_noon', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], GlobalSecondaryIndexes: [{ IndexName: 'by-kind' }] } });
    expect(mock.calls.slice(1).map((c) => [c.operation, c.expectation])).toEqual([
      ['RestoreTableToPointInTime', expect.stringContaining("expectRequest('RestoreTableToPointInTime'")],
      ['DescribeTable', 'the mock\'s table notes_noon'], ['DescribeTable', 'the mock\'s table notes_noon'],
    ]);
    // From a backup: the table the answer describes.
    mock.expectRequest('RestoreTableFromBackup').willReturn({ TableDescription: { TableName: 'copy', TableStatus: 'CREATING', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] } });
    expect(await mock.orm.backups.restore('arn:aws:dynamodb:eu-west-1:1:table/notes/backup/01', { table: 'copy' })).toMatchObject({ status: 'ACTIVE', description: { TableName: 'copy', TableStatus: 'ACTIVE', KeySchema: [{ AttributeName: 'id' }] } });
    mock.verify();
  });

  test('UpdateTable and UpdateTimeToLive errors as DynamoDB gives them, nothing changed', async () => {
    const mock = createMock({ models: [Note], billingMode: 'PAY_PER_REQUEST' });
    mock.table(Note);
    const send = (input: Record<string, unknown>) => mock.orm.schema.apply({ steps: [{ kind: 'updateStream', table: 'notes', models: ['Note'], destructive: false, description: '', requests: [{ operation: 'UpdateTable', input: { TableName: 'notes', ...input } }] }], upToDate: false, destructive: false });
    await expect(send({ GlobalSecondaryIndexUpdates: [{ Create: { ...byKind, IndexName: 'x' } }, { Delete: { IndexName: 'by-kind' } }] })).rejects.toThrow(/Only 1 online index can be created or deleted simultaneously/);
    // An index already gone is what apply lets pass (another process removed it first): the mock says it as DynamoDB does.
    await expect(send({ GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'nope' } }] })).resolves.toMatchObject({ applied: [{ kind: 'updateStream' }] });
    await expect(send({ GlobalSecondaryIndexUpdates: [{ Create: { ...byKind, IndexName: 'by-x', KeySchema: [{ AttributeName: 'x', KeyType: 'HASH' }] } }] })).rejects.toThrow(/Some index key attributes are not defined in AttributeDefinitions/);
    await expect(send({ ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } })).rejects.toThrow(/when BillingMode is PAY_PER_REQUEST/);
    await expect(send({ StreamSpecification: { StreamEnabled: false } })).rejects.toThrow(/no stream enabled/);
    expect(await described(mock)).toMatchObject({ TableStatus: 'ACTIVE', GlobalSecondaryIndexes: [{ IndexName: 'by-kind', IndexStatus: 'ACTIVE' }] });
    expect((await described(mock)).StreamSpecification).toBeUndefined();
  });
});

describe('the same plan and apply on the mock and on DynamoDB Local: the same steps, requests and resulting table', { timeout: 120_000 }, () => {
  // This block adds an index to a live table on DynamoDB Local: on an instance of its own.
  useOwnDynamo();
  const Legacy = model('LegacyNote', { table: 'notes', attributes: { id: t.string().pk(), kind: t.string() } });
  const Note = model('Note', { table: 'notes', attributes: { id: t.string().pk(), kind: t.string().index('by-kind'), expiresAt: t.ttl().optional() } });
  const local: DynamORM[] = [];
  afterAll(async () => {
    for (const orm of local) await orm.schema.apply(await orm.schema.plan({ deletionProtection: false })).then(() => orm.dropTables()).catch(() => undefined);
  }, 120_000);

  /** What the code under test sees of a table: the fields a plan compares, as DescribeTable gives them. */
  const shape = (d: TableDescription) => ({
    status: d.TableStatus, key: d.KeySchema, attributes: [...(d.AttributeDefinitions ?? [])].sort((a, b) => a.AttributeName!.localeCompare(b.AttributeName!)),
    billing: d.BillingModeSummary?.BillingMode ?? 'PROVISIONED', capacity: [d.ProvisionedThroughput?.ReadCapacityUnits, d.ProvisionedThroughput?.WriteCapacityUnits],
    indexes: (d.GlobalSecondaryIndexes ?? []).map((i) => ({ name: i.IndexName, key: i.KeySchema, projection: i.Projection, status: i.IndexStatus, capacity: [i.ProvisionedThroughput?.ReadCapacityUnits, i.ProvisionedThroughput?.WriteCapacityUnits] })),
    stream: d.StreamSpecification, deletionProtection: d.DeletionProtectionEnabled ?? false,
  });

  /** The live table predates the index: createTables from a model without it; then plans add the index and TTL, then settings. */
  async function scenario(orm: DynamORM): Promise<unknown> {
    const sent: [string, unknown][] = [];
    let described: TableDescription | undefined;
    orm.use(async (request, next) => {
      const response = await next(request);
      if (!request.command.startsWith('Describe')) sent.push([request.command, request.input]);
      if (request.command === 'DescribeTable') described = (response as { Table?: TableDescription }).Table;
      return response;
    });
    await orm.createTables(Legacy);
    orm.register(Note);
    const settings = { billingMode: 'PROVISIONED', capacity: { read: 4, write: 2 }, stream: 'NEW_IMAGE', deletionProtection: true } as const;
    const plans = [];
    for (const options of [{}, settings]) {
      const plan = await orm.schema.plan(options);
      plans.push(plan.steps.map((s) => [s.kind, s.destructive, s.requests]));
      await orm.schema.apply(plan);
    }
    const after = await orm.schema.plan(settings);
    const check = await orm.schema.check();
    return { plans, sent, upToDate: after.upToDate, ok: check.ok, table: shape(described!) };
  }

  test('a migration: enableTtl, addIndex, updateTable and removeIndex (the history table\'s items answered by expectRequest on the mock)', async () => {
    const prefix = uniquePrefix('mock_vs_local_migrate');
    const m1 = defineMigration({
      version: '001',
      async up(schema) {
        await schema.enableTtl(Note);
        await schema.addIndex(Note, 'by-kind');
        await schema.updateTable(Note, { stream: 'KEYS_ONLY' });
        await schema.removeIndex(Note, 'by-kind');
      },
    });
    const run = async (orm: DynamORM): Promise<unknown> => {
      const sent: [string, unknown][] = [];
      let described: TableDescription | undefined;
      orm.use(async (request, next) => {
        const response = await next(request);
        const input = request.input as { TableName?: string };
        if (input.TableName === `${prefix}notes` && !request.command.startsWith('Describe')) sent.push([request.command, input]);
        if (request.command === 'DescribeTable' && input.TableName === `${prefix}notes`) described = (response as { Table?: TableDescription }).Table;
        return response;
      });
      await orm.createTables(Legacy);
      orm.register(Note);
      await orm.migrate({ migrations: [m1] });
      await orm.schema.check();
      return { sent, table: shape(described!) };
    };
    const onLocal = new DynamORM({ endpoint: endpoint(), tablePrefix: prefix, billingMode: 'PAY_PER_REQUEST', allowDestructive: true });
    local.push(onLocal);
    const onMock = createMock({ tablePrefix: prefix, billingMode: 'PAY_PER_REQUEST' });
    const history = { TableName: `${prefix}dynamorm_migrations` };
    for (const op of ['PutItem', 'UpdateItem', 'DeleteItem', 'GetItem'] as const) onMock.expectRequest(op, history).times(10);
    onMock.expectRequest('Scan', history).willReturn({ Items: [] }).times(10);
    const [real, mocked] = [await run(onLocal), await run(onMock.orm)];
    expect(mocked).toEqual(real);
    expect(real).toMatchObject({ table: { indexes: [], stream: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } } });
  });

  test('index and TTL added, then billing, capacity, stream and deletion protection', async () => {
    const prefix = uniquePrefix('mock_vs_local');
    const onLocal = new DynamORM({ endpoint: endpoint(), tablePrefix: prefix, billingMode: 'PAY_PER_REQUEST', allowDestructive: true });
    local.push(onLocal);
    const onMock = createMock({ tablePrefix: prefix, billingMode: 'PAY_PER_REQUEST' });
    const [real, mocked] = [await scenario(onLocal), await scenario(onMock.orm)];
    expect(mocked).toEqual(real);
    expect(real).toMatchObject({ upToDate: true, ok: true, table: { billing: 'PROVISIONED', capacity: [4, 2], indexes: [{ name: 'by-kind', status: 'ACTIVE', capacity: [4, 2] }], deletionProtection: true } });
  });
});
