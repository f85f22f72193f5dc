// Types of the retry policy and of cancellation: config, per-operation options, .signal().
import { expectTypeOf, test } from 'vitest';
import { DynamORM, model, t, type BatchWriteResult, type CancelOptions, type Query, type RetryConfig } from 'dynamorm';

const User = model('User', { table: 'users', attributes: { id: t.string().pk(), name: t.string() } });
type UserQuery = Query<typeof User>;

test('config: maxRetries, retry and timeoutMs', () => {
  new DynamORM({ maxRetries: 10, timeoutMs: 2000, retry: { baseDelayMs: 50, maxDelayMs: 5000, budget: 500 } });
  new DynamORM({ retry: { budget: false } });
  expectTypeOf<RetryConfig['budget']>().toEqualTypeOf<number | false | undefined>();
  // @ts-expect-error the number of attempts is maxRetries, not a retry option
  new DynamORM({ retry: { maxAttempts: 3 } });
  // @ts-expect-error timeoutMs is a number of milliseconds
  new DynamORM({ timeoutMs: '2s' });
});

test('.signal() keeps the builder type; every operation takes { signal, timeoutMs }', () => {
  const orm = new DynamORM();
  const signal = new AbortController().signal;
  expectTypeOf(orm.model(User).signal(signal)).toEqualTypeOf<UserQuery>();
  expectTypeOf(orm.model(User).select('name').signal(signal).all()).toEqualTypeOf<Promise<{ name: string }[]>>();
  // @ts-expect-error a signal, not a number
  orm.model(User).signal(100);
  const cancel: CancelOptions = { signal, timeoutMs: 100 };
  void orm.model(User).get({ id: '1' }, cancel);
  void orm.model(User).create({ id: '1', name: 'a' }, cancel);
  void orm.model(User).put({ id: '1', name: 'a' }, { ...cancel, returnValues: 'old' });
  void orm.model(User).where('id', '=', '1').update({ name: 'b' }, cancel);
  void orm.model(User).delete({ id: '1' }, cancel);
  expectTypeOf(orm.model(User).batchPut([], { ...cancel, maxRetries: 5 })).toEqualTypeOf<Promise<BatchWriteResult>>();
  void orm.model(User).batchGet([{ id: '1' }], cancel);
  void orm.model(User).iterate({ signal, timeoutMs: 100 });
  void orm.transaction(() => undefined, cancel);
  void orm.transactGet([{ model: User, key: { id: '1' } }], cancel);
  void orm.batchGet([{ model: User, keys: [{ id: '1' }] }], cancel);
  // @ts-expect-error batches count rounds with maxRetries; maxAttempts is gone
  void orm.model(User).batchPut([], { maxAttempts: 3 });
  // @ts-expect-error timeoutMs is a number
  void orm.model(User).get({ id: '1' }, { timeoutMs: '1s' });
});
