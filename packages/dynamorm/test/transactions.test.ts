// Transactions against DynamoDB Local: the API.md example, all-or-nothing with reasons per action,
// idempotency by ClientRequestToken, limits refused before sending, conflicts retried, transactGet.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, test } from 'vitest';
import { ConditionFailedError, DynamORM, ItemNotFoundError, model, OptimisticLockError, t, TransactionCanceledError, ValidationError } from 'dynamorm';
import { endpoint } from './support/dynamo.js';
import { recordCommands, rejection, storedItem, uniquePrefix } from './support/inspect.js';
import { User } from './fixtures/user-model.js';

const orm = new DynamORM({ endpoint: endpoint(), autoMigrate: true, tablePrefix: uniquePrefix('tx') });

// The seed's User (as API.md writes it), and an Account.
const Account = model('Account', { table: 'accounts', attributes: { userId: t.string().pk(), balance: t.number() } });

const createdAt = new Date('2024-01-01T00:00:00Z');
const user = (id: string) => ({ id, createdAt, email: `${id}@example.com`, name: 'John', age: 30 });
const balance = async (userId: string) => (await storedItem(orm, Account, { userId: { S: userId } }))?.balance?.N;

/** Adds a middleware to the ORM's client; returns a function that removes it. */
function intercept(client: DynamoDBClient | undefined, name: string, fn: Parameters<DynamoDBClient['middlewareStack']['add']>[0], step: 'initialize' | 'deserialize' = 'initialize'): () => void {
  // The SDK types a middleware per step; this helper takes either.
  client!.middlewareStack.add(fn as never, { step, name } as never);
  return () => client!.middlewareStack.remove(name);
}

beforeAll(async () => {
  await orm.createTables(User, Account);
  await orm.model(Account).create({ userId: '999', balance: 0 });
});

describe('orm.transaction', () => {
  test('the API.md example: create, update through tx.model, conditionCheck; all written', async () => {
    await orm.model(Account).create({ userId: '123', balance: 0 });
    const result = await orm.transaction(async (tx) => {
      tx.create(User, { ...user('123'), name: 'John' });
      tx.model(Account).where('userId', '=', '123').update('balance', 100);
      tx.conditionCheck(Account, { userId: '999' }, (c) => c.attributeExists('userId'));
      return tx.size;
    });
    expect(result).toBe(3);
    expect(await orm.model(User).get({ id: '123', createdAt })).toMatchObject({ name: 'John', version: 1 });
    expect(await balance('123')).toBe('100');
  });

  test('every write form: put, update (three forms), delete, in one transaction', async () => {
    await orm.model(Account).create({ userId: 'f1', balance: 1 });
    await orm.model(Account).create({ userId: 'f2', balance: 1 });
    await orm.model(Account).create({ userId: 'f3', balance: 1 });
    await orm.model(Account).create({ userId: 'f4', balance: 1 });
    await orm.transaction((tx) => {
      tx.put(Account, { userId: 'f0', balance: 5 });
      tx.update(Account, { userId: 'f1' }, { balance: 10 });
      tx.update(Account, { userId: 'f2' }, 'balance', 20);
      tx.update(Account, { userId: 'f3' }, (u) => u.increment('balance', 30));
      tx.delete(Account, { userId: 'f4' });
    });
    expect([await balance('f0'), await balance('f1'), await balance('f2'), await balance('f3'), await balance('f4')]).toEqual(['5', '10', '20', '31', undefined]);
  });

  test('upsert: a missing item is created whole, an existing one updated; a missing required attribute sends nothing', async () => {
    await orm.model(Account).create({ userId: 'u2', balance: 2 });
    await orm.transaction((tx) => {
      tx.update(Account, { userId: 'u1' }, { balance: 7 }, { upsert: true });
      tx.model(Account).key({ userId: 'u2' }).update((u) => u.increment('balance', 3), { upsert: true });
    });
    expect([await balance('u1'), await balance('u2')]).toEqual(['7', '5']);
    // Without upsert the missing key is the action's reason, and nothing is written.
    const missing = await rejection(orm.transaction((tx) => {
      tx.update(Account, { userId: 'u3' }, { balance: 1 });
      tx.update(Account, { userId: 'u2' }, { balance: 0 }, { upsert: true });
    }));
    expect(missing).toBeInstanceOf(TransactionCanceledError);
    expect((missing as TransactionCanceledError).reasons[0]!.error).toBeInstanceOf(ItemNotFoundError);
    expect(await balance('u2')).toBe('5');
    // An upsert that could create a half item is refused before sending.
    const sent = recordCommands(orm.client);
    const half = await rejection(orm.transaction((tx) => tx.update(User, { id: 'u4', createdAt }, { name: 'Ann' }, { upsert: true })));
    expect(half).toBeInstanceOf(ValidationError);
    expect((half as Error).message).toMatch(/upsert creates the item when it is missing, so it needs every required attribute: give .*email/);
    expect(sent).toEqual([]);
  });

  test('one failing condition writes nothing; the error lists each action’s reason', async () => {
    await orm.model(Account).create({ userId: 'a1', balance: 50 });
    const existing = await orm.model(User).create(user('dup'));
    const error = await rejection(orm.transaction((tx) => {
      tx.model(Account).key({ userId: 'a1' }).update((u) => u.decrement('balance', 10));
      tx.create(User, user('dup'));
      tx.model(Account).key({ userId: 'a1-missing' }).update({ balance: 1 });
      tx.model(User).put({ ...user('stale-put'), version: 7 });
      tx.conditionCheck(Account, { userId: '999' }, (c) => c.gt('balance', 0));
    }));
    expect(error).toBeInstanceOf(TransactionCanceledError);
    const cancelled = error as TransactionCanceledError;
    expect(cancelled.reasons.map((r) => [r.index, r.model, r.code])).toEqual([
      [0, 'Account', 'None'],
      [1, 'User', 'ConditionalCheckFailed'],
      [2, 'Account', 'ConditionalCheckFailed'],
      [3, 'User', 'ConditionalCheckFailed'],
      [4, 'Account', 'ConditionalCheckFailed'],
    ]);
    expect(cancelled.reasons[1]!.key).toEqual({ id: 'dup', createdAt });
    expect(cancelled.reasons[1]!.error).toBeInstanceOf(ConditionFailedError);
    expect((cancelled.reasons[1]!.error as ConditionFailedError).item).toMatchObject({ id: 'dup', version: existing.version });
    expect(cancelled.reasons[2]!.error).toBeInstanceOf(ItemNotFoundError);
    expect(cancelled.reasons[3]!.error).toBeInstanceOf(OptimisticLockError);
    expect(cancelled.reasons[4]!.error).toBeInstanceOf(ConditionFailedError);
    expect(cancelled.reasons[4]!.error?.message).toMatch(/conditionCheck Account \{ userId: "999" \}/);
    expect(cancelled.message).toMatch(/action 1 \(create User/);
    // Nothing was written: the balance is untouched.
    expect(await balance('a1')).toBe('50');
  });

  test('a version conflict inside a transaction is an OptimisticLockError entry', async () => {
    const u = await orm.model(User).create(user('v1'));
    await orm.model(User).key({ id: 'v1', createdAt }).update({ name: 'Jim', version: u.version });
    const error = (await rejection(orm.transaction((tx) => tx.model(User).key({ id: 'v1', createdAt }).update({ age: 31, version: u.version })))) as TransactionCanceledError;
    expect(error.reasons[0]!.error).toBeInstanceOf(OptimisticLockError);
    expect((error.reasons[0]!.error as OptimisticLockError).actualVersion).toBe(2);
  });

  test('a retried transaction with the same token is applied once', async () => {
    await orm.model(Account).create({ userId: 'idem', balance: 0 });
    const token = 'retry-token-0001';
    const credit = () => orm.transaction((tx) => tx.update(Account, { userId: 'idem' }, (u) => u.increment('balance', 10)), { token });
    await credit();
    await credit(); // the same request and token within 10 minutes: DynamoDB does not apply it again
    expect(await balance('idem')).toBe('10');
  });

  test('a lost response retried by the SDK (same token) is applied once', async () => {
    await orm.model(Account).create({ userId: 'lost', balance: 0 });
    let calls = 0;
    // Inside the SDK's retry loop: the first attempt reaches DynamoDB, then its response is "lost".
    const remove = intercept(orm.client, 'lose-first-response', (next, context) => async (args) => {
      const out = await next(args);
      if (context.commandName === 'TransactWriteItemsCommand' && ++calls === 1) {
        throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError', $metadata: {} });
      }
      return out;
    }, 'deserialize');
    try {
      await orm.transaction((tx) => tx.update(Account, { userId: 'lost' }, (u) => u.increment('balance', 10)));
    } finally {
      remove();
    }
    expect(calls).toBe(2);
    expect(await balance('lost')).toBe('10');
  });

  test('TransactionConflict is retried with backoff, then succeeds', async () => {
    await orm.model(Account).create({ userId: 'conf', balance: 0 });
    let conflicts = 0;
    const remove = intercept(orm.client, 'conflict-twice', (next, context) => async (args) => {
      if (context.commandName === 'TransactWriteItemsCommand' && conflicts < 2) {
        conflicts++;
        throw Object.assign(new Error('Transaction cancelled'), {
          name: 'TransactionCanceledException', $metadata: {}, CancellationReasons: [{ Code: 'TransactionConflict', Message: 'conflict' }],
        });
      }
      return next(args);
    });
    try {
      await orm.transaction((tx) => tx.update(Account, { userId: 'conf' }, (u) => u.increment('balance')), { baseDelayMs: 1 });
    } finally {
      remove();
    }
    expect(conflicts).toBe(2);
    expect(await balance('conf')).toBe('1');
  });

  test('101 actions, two actions on one item, and over 4 MB are refused before sending', async () => {
    const sent = recordCommands(orm.client);
    const tooMany = await rejection(orm.transaction((tx) => {
      for (let i = 0; i < 101; i++) tx.put(Account, { userId: `many-${i}`, balance: i });
    }));
    expect(tooMany).toBeInstanceOf(ValidationError);
    expect((tooMany as ValidationError).message).toMatch(/101 actions; DynamoDB allows 100/);
    const twice = await rejection(orm.transaction((tx) => {
      tx.put(Account, { userId: 'same', balance: 1 });
      tx.update(Account, { userId: 'same' }, { balance: 2 });
    }));
    expect((twice as ValidationError).message).toMatch(/actions 0 \(put\) and 1 \(update\) both write Account \{ userId: "same" \}/);
    const big = 'x'.repeat(350_000);
    const tooBig = await rejection(orm.transaction((tx) => {
      for (let i = 0; i < 13; i++) tx.put(User, { ...user(`big-${i}`), preferences: { big } });
    }));
    expect((tooBig as ValidationError).message).toMatch(/4 MB/);
    expect(sent.filter((c) => c === 'TransactWriteItemsCommand')).toEqual([]);
    expect(await balance('many-0')).toBeUndefined();
  });

  test('an error thrown in the function sends nothing', async () => {
    const error = await rejection(orm.transaction((tx) => {
      tx.put(Account, { userId: 'thrown', balance: 1 });
      throw new Error('changed my mind');
    }));
    expect((error as Error).message).toBe('changed my mind');
    expect(await balance('thrown')).toBeUndefined();
  });
});

describe('orm.transactGet', () => {
  test('reads items of several models as one snapshot, undefined where missing', async () => {
    await orm.model(User).create(user('tg'));
    await orm.model(Account).create({ userId: 'tg', balance: 7 });
    const [u, a, missing] = await orm.transactGet([
      { model: User, key: { id: 'tg', createdAt } },
      { model: Account, key: { userId: 'tg' } },
      { model: Account, key: { userId: 'nobody' } },
    ]);
    expect(u?.email).toBe('tg@example.com');
    expect(a?.balance).toBe(7);
    expect(missing).toBeUndefined();
  });

  test('over 100 reads are refused before sending', async () => {
    const error = await rejection(orm.transactGet(Array.from({ length: 101 }, (_, i) => ({ model: Account, key: { userId: `k${i}` } }))));
    expect(error).toBeInstanceOf(ValidationError);
  });
});
