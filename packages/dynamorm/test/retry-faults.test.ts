// The retry policy under faults a proxy on 127.0.0.1 injects in front of DynamoDB Local
// (throttles, partial batches, 5xx, dropped connections): nothing lost, nothing written twice.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BatchWriteError, ConditionFailedError, DynamORM, model, RetryBudgetError, t, type RetryEvent } from 'dynamorm';
import { endpoint } from './support/dynamo.js';
import { startFaultProxy, type FaultProxy } from './support/fault-proxy.js';
import { rejection, storedItem, storedItems, uniquePrefix } from './support/inspect.js';

const Event = model('Event', { table: 'events', attributes: { id: t.string().pk(), n: t.number() } });
const prefix = uniquePrefix('retry');
let proxy: FaultProxy;

beforeAll(async () => {
  proxy = await startFaultProxy(endpoint());
  await new DynamORM({ endpoint: endpoint(), tablePrefix: prefix }).createTables(Event);
});
afterAll(() => proxy.close());

describe('batches', () => {
  test('maxRetries 10, 15% of requests throttled and 30% of each batch unprocessed: all 1,000 items written, each once', async () => {
    const orm = new DynamORM({ endpoint: proxy.endpoint, tablePrefix: prefix, maxRetries: 10, retry: { baseDelayMs: 1, maxDelayMs: 20 }, enableMetrics: true });
    const rounds: RetryEvent[] = [];
    orm.on('retry', (e) => rounds.push(e));
    proxy.set({ throttle: 0.15, unprocessed: 0.3, only: ['BatchWriteItem'] }, 17);
    const writes = new Map(proxy.stats.writes);
    const result = await orm.model(Event).batchPut(Array.from({ length: 1000 }, (_, i) => ({ id: `e${i}`, n: i })));
    proxy.set({});
    expect(proxy.stats.throttles).toBeGreaterThan(0);
    expect(proxy.stats.unprocessed).toBeGreaterThan(100);
    expect(result.written).toBe(1000);
    expect(rounds.length).toBe(result.retries);
    // Metrics count each round that re-sent unprocessed or throttled items as a retry.
    expect(result.retries).toBeGreaterThan(0);
    expect(orm.metrics().Event!.batchPut!.retries).toBe(result.retries);
    // Each retry round of a chunk is a 'retry' event on the request it sends again.
    expect(rounds.every((r) => r.request.model === 'Event' && r.request.operation === 'batchPut' && r.request.command === 'BatchWriteItem' && r.attempt >= 2 && r.delayMs! <= 20)).toBe(true);
    expect(rounds.some((r) => (r.error as { unprocessed?: number }).unprocessed! > 0)).toBe(true);
    expect(rounds.some((r) => /^dynamodb\.(ProvisionedThroughputExceeded|Throttling)Exception$/.test((r.error as { code?: string }).code ?? ''))).toBe(true);
    const sent = [...proxy.stats.writes].filter(([id]) => !writes.has(id));
    expect(sent).toHaveLength(1000);
    expect(sent.every(([, count]) => count === 1)).toBe(true);
    const stored = (await storedItems(orm, Event)).map((s) => s.id!.S!).filter((id) => id.startsWith('e'));
    expect(new Set(stored)).toEqual(new Set(Array.from({ length: 1000 }, (_, i) => `e${i}`)));
  });
});

const Account = model('Account', { table: 'accounts', attributes: { id: t.string().pk(), balance: t.number(), createdAt: t.date().createdAt() } });

describe('single writes and transactions', () => {
  let orm: DynamORM;
  let retries: RetryEvent[];
  beforeAll(async () => {
    orm = new DynamORM({ endpoint: proxy.endpoint, tablePrefix: prefix, maxRetries: 10, retry: { baseDelayMs: 1, maxDelayMs: 10 } });
    retries = [];
    orm.on('retry', (e) => retries.push(e));
    await new DynamORM({ endpoint: endpoint(), tablePrefix: prefix }).createTables(Account);
  });

  test('5xx and dropped connections on puts: every put lands, retried by the policy', async () => {
    proxy.set({ serverError: 0.3, resetBefore: 0.2, only: ['PutItem'] }, 3);
    const before = proxy.stats.serverErrors + proxy.stats.resets;
    retries.length = 0;
    for (let i = 0; i < 30; i++) await orm.model(Event).put({ id: `p${i}`, n: i });
    proxy.set({});
    expect(proxy.stats.serverErrors + proxy.stats.resets - before).toBeGreaterThan(5);
    expect(retries.length).toBe(proxy.stats.serverErrors + proxy.stats.resets - before);
    expect(retries[0]!.request).toMatchObject({ model: 'Event', operation: 'put', command: 'PutItem' });
    const stored = (await storedItems(orm, Event)).filter((s) => s.id!.S!.startsWith('p'));
    expect(stored).toHaveLength(30);
  });

  test('a create whose answer was lost is retried and resolves: the item that failed the condition is the one it wrote', async () => {
    proxy.set({ resetAfter: 1, firstOnly: true, only: ['PutItem'] }, 4);
    const created = await orm.model(Account).create({ id: 'lost-answer', balance: 5 });
    proxy.set({});
    expect(created.balance).toBe(5);
    const stored = await storedItem(orm, Account, { id: { S: 'lost-answer' } });
    expect(stored?.createdAt?.S).toBe(created.createdAt.toISOString());
    // Another item of that key is still a failed create.
    const error = await rejection(orm.model(Account).create({ id: 'lost-answer', balance: 6 }));
    expect(error).toBeInstanceOf(ConditionFailedError);
  });

  test('a transaction whose answer was lost is retried with its token and applied once', async () => {
    await orm.model(Account).create({ id: 'tx', balance: 0 });
    proxy.set({ resetAfter: 1, firstOnly: true, only: ['TransactWriteItems'] }, 5);
    const forwarded = proxy.stats.forwarded['TransactWriteItems'] ?? 0;
    await orm.transaction((tx) => {
      tx.update(Account, { id: 'tx' }, (u) => u.add('balance', 10));
      tx.create(Account, { id: 'tx-new', balance: 1 });
    });
    proxy.set({});
    expect((proxy.stats.forwarded['TransactWriteItems'] ?? 0) - forwarded).toBe(2);
    expect((await storedItem(orm, Account, { id: { S: 'tx' } }))?.balance?.N).toBe('10');
    expect((await storedItem(orm, Account, { id: { S: 'tx-new' } }))?.balance?.N).toBe('1');
  });

  test('a spent retry budget stops retrying: RetryBudgetError, and the budget refills as requests succeed', async () => {
    const small = new DynamORM({ endpoint: proxy.endpoint, tablePrefix: prefix, maxRetries: 10, retry: { baseDelayMs: 1, maxDelayMs: 2, budget: 20 } });
    proxy.set({ throttle: 1, only: ['PutItem'] }, 6);
    const throttles = proxy.stats.throttles;
    const error = await rejection(small.model(Event).put({ id: 'budget', n: 1 }));
    proxy.set({});
    expect(error).toBeInstanceOf(RetryBudgetError);
    expect(error).toMatchObject({ code: 'retry.budgetExhausted', op: 'put', model: 'Event' });
    // 20 tokens, 5 a retry: the first attempt and 4 retries, not maxRetries' 10.
    expect(proxy.stats.throttles - throttles).toBe(5);
    expect(small.session.retry.budget?.available).toBe(0);
    await small.model(Event).put({ id: 'budget', n: 2 });
    expect(small.session.retry.budget?.available).toBe(1);
  });

  test('a batch gives up on a spent budget with BatchWriteError whose items carry the RetryBudgetError', async () => {
    const small = new DynamORM({ endpoint: proxy.endpoint, tablePrefix: prefix, maxRetries: 10, retry: { baseDelayMs: 1, maxDelayMs: 2, budget: 10 } });
    proxy.set({ throttle: 1, only: ['BatchWriteItem'] }, 7);
    const error = await rejection(small.model(Event).batchPut(Array.from({ length: 30 }, (_, i) => ({ id: `bb${i}`, n: i })), { concurrency: 1 }));
    proxy.set({});
    expect(error).toBeInstanceOf(BatchWriteError);
    const unwritten = (error as BatchWriteError).unwritten;
    expect(unwritten).toHaveLength(30);
    expect(unwritten.every((u) => u.reason === 'unprocessed' && u.error instanceof RetryBudgetError)).toBe(true);
    expect((await storedItems(orm, Event)).filter((s) => s.id!.S!.startsWith('bb'))).toHaveLength(0);
  });
});
