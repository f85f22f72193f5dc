import { describe, expectTypeOf, test } from 'vitest';
import { DynamORM, model, t, type BatchWriteResult, type ConditionBuilder, type ConditionExpression, type InferItem, type Transaction } from 'dynamorm';
import { User } from './fixtures/user-model.js';

const orm = new DynamORM({ region: 'us-east-1' });
const createdAt = new Date();
const Account = model('Account', {
  table: 'accounts',
  attributes: {
    userId: t.string().pk(),
    balance: t.number(),
    status: t.enum(['open', 'frozen']),
    tags: t.stringSet().optional(),
    address: t.object({ city: t.string(), zip: t.number().optional() }).optional(),
    history: t.list(t.object({ at: t.number(), note: t.string() })).optional(),
  },
});
type Account = InferItem<typeof Account>;

describe('the typed condition builder', () => {
  test('attributes, values and operators are checked like filters', () => {
    orm.model(Account).if((c) => c.and(c.eq('status', 'open'), c.ge('balance', 0), c.contains('tags', 'vip'), c.beginsWith('status', 'o')));
    orm.model(Account).if((c) => c.or(c.between('balance', 0, 10), c.not(c.attributeExists('tags'))));
    expectTypeOf<Parameters<ConditionBuilder<typeof Account>['eq']>[0]>().toEqualTypeOf<
      'userId' | 'balance' | 'status' | 'address.city' | 'address.zip' | `history[${number}].at` | `history[${number}].note`
    >();
    orm.model(Account).if((c) => c.and(c.eq('address.city', 'Oslo'), c.gt('history[0].at', 5)));
    // @ts-expect-error address.city is a string
    orm.model(Account).if((c) => c.eq('address.city', 5));
    // @ts-expect-error no such property
    orm.model(Account).if((c) => c.eq('address.country', 'NO'));
    // @ts-expect-error balance is a number
    orm.model(Account).if((c) => c.eq('balance', '10'));
    // @ts-expect-error no such status
    orm.model(Account).if((c) => c.eq('status', 'closed'));
    // @ts-expect-error no such attribute
    orm.model(Account).if((c) => c.attributeExists('nope'));
    // @ts-expect-error < does not fit a set
    orm.model(Account).if((c) => c.lt('tags', 'x'));
    // @ts-expect-error contains takes an element of the set
    orm.model(Account).if((c) => c.contains('tags', 3));
    // @ts-expect-error the builder's own expressions only
    orm.model(Account).if(() => ({ kind: 'raw' }));
  });

  test('a condition of one model does not fit another', () => {
    expectTypeOf<ConditionExpression<typeof Account>>().not.toEqualTypeOf<ConditionExpression<typeof User>>();
  });
});

describe('update paths', () => {
  test('nested paths and list indexes take the type of where they go', () => {
    orm.model(Account).key({ userId: '1' }).update((u) => u.set('address.city', 'Oslo').set('history[0].note', 'n').increment('address.zip').remove('address.zip'));
    orm.model(User).key({ id: '1', createdAt }).update((u) => u.set('preferences.theme', 'dark').increment('age', 1).decrement('age'));
    // @ts-expect-error city is a string
    orm.model(Account).key({ userId: '1' }).update((u) => u.set('address.city', 3));
    // @ts-expect-error no such property
    orm.model(Account).key({ userId: '1' }).update((u) => u.set('address.country', 'NO'));
    // @ts-expect-error status is not a number
    orm.model(Account).key({ userId: '1' }).update((u) => u.increment('status'));
    // @ts-expect-error the key cannot change
    orm.model(Account).key({ userId: '1' }).update((u) => u.set('userId', '2'));
  });

  test('returnValues narrows what a write resolves with', () => {
    const q = orm.model(Account).key({ userId: '1' });
    expectTypeOf(q.update({ balance: 1 })).resolves.toEqualTypeOf<Account>();
    expectTypeOf(q.update({ balance: 1 }, { returnValues: 'updated' })).resolves.toEqualTypeOf<Partial<Account>>();
    expectTypeOf(q.update('balance', 1, { returnValues: 'none' })).resolves.toEqualTypeOf<undefined>();
    expectTypeOf(q.update((u) => u.increment('balance'), { returnValues: 'old' })).resolves.toEqualTypeOf<Account>();
    expectTypeOf(orm.model(Account).put({ userId: '1', balance: 1, status: 'open' }, { returnValues: 'old' })).resolves.toEqualTypeOf<Account | undefined>();
    expectTypeOf(orm.model(Account).delete({ userId: '1' })).resolves.toEqualTypeOf<Account | undefined>();
    // @ts-expect-error a delete returns no 'new' item
    void orm.model(Account).delete({ userId: '1' }, { returnValues: 'new' });
  });
});

describe('transactions', () => {
  test('the API.md transaction type-checks, and its builders enqueue (void)', () => {
    void orm.transaction(async (tx) => {
      expectTypeOf(tx).toEqualTypeOf<Transaction>();
      tx.create(User, { id: '123', createdAt, email: 'a@b.c', name: 'John', age: 30 });
      expectTypeOf(tx.model(Account).where('userId', '=', '123').update('balance', 100)).toEqualTypeOf<void>();
      tx.conditionCheck(Account, { userId: '999' }, (c) => c.attributeExists('userId'));
      tx.update(Account, { userId: '1' }, (u) => u.increment('balance', 5));
      // @ts-expect-error the input of User needs its required attributes
      tx.create(User, { id: '123' });
      // @ts-expect-error Account's key is userId
      tx.delete(Account, { id: '1' });
      // @ts-expect-error balance is a number
      tx.model(Account).key({ userId: '1' }).update('balance', 'x');
      tx.update(Account, { userId: '2' }, { balance: 1, status: 'open' }, { upsert: true });
      tx.model(Account).key({ userId: '2' }).update('balance', 1, { upsert: true });
      tx.model(Account).key({ userId: '2' }).update((u) => u.increment('balance', 1), { upsert: true });
      // @ts-expect-error a transaction's update resolves with the transaction: no returnValues
      tx.update(Account, { userId: '2' }, { balance: 1 }, { returnValues: 'old' });
    });
    expectTypeOf(orm.transaction(() => 42)).resolves.toEqualTypeOf<number>();
  });

  test('transactGet results are typed per request', () => {
    const read = orm.transactGet([{ model: User, key: { id: '1', createdAt } }, { model: Account, key: { userId: '1' } }]);
    expectTypeOf(read).resolves.toEqualTypeOf<[User | undefined, Account | undefined]>();
    // @ts-expect-error the key must be the model's
    void orm.transactGet([{ model: Account, key: { id: '1' } }]);
  });
});

describe('batches', () => {
  test('batch results', () => {
    expectTypeOf(orm.model(User).batchCreate([])).resolves.toEqualTypeOf<BatchWriteResult>();
    expectTypeOf(orm.model(User).batchGet([{ id: '1', createdAt }])).resolves.toEqualTypeOf<User[]>();
    expectTypeOf(orm.model(User).batchGet([{ id: '1', createdAt }], { ordered: true })).resolves.toEqualTypeOf<(User | undefined)[]>();
    expectTypeOf(orm.model(User).select('name').batchGet([{ id: '1', createdAt }])).resolves.toEqualTypeOf<{ name: string }[]>();
    // @ts-expect-error keys must be the model's primary key
    void orm.model(User).batchGet([{ id: '1' }]);
    // @ts-expect-error items must be the model's input
    void orm.model(Account).batchPut([{ userId: '1' }]);
  });
});
