// Cancellation and timeouts on DynamoDB Local behind the fault proxy (slow answers): typed errors
// naming the operation and model, and an aborted batch reporting exactly what DynamoDB holds.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AbortedError, BatchWriteError, DynamORM, model, t, TimeoutError } from 'dynamorm';
import { endpoint } from './support/dynamo.js';
import { startFaultProxy, type FaultProxy } from './support/fault-proxy.js';
import { rejection, storedItems, uniquePrefix } from './support/inspect.js';

const Note = model('Note', { table: 'notes', attributes: { id: t.string().pk(), n: t.number() } });
const prefix = uniquePrefix('cancel');
let proxy: FaultProxy;
let orm: DynamORM;

beforeAll(async () => {
  proxy = await startFaultProxy(endpoint());
  orm = new DynamORM({ endpoint: proxy.endpoint, tablePrefix: prefix, retry: { baseDelayMs: 1, maxDelayMs: 5 } });
  await new DynamORM({ endpoint: endpoint(), tablePrefix: prefix }).createTables(Note);
  await orm.model(Note).put({ id: 'n1', n: 1 });
});
afterAll(() => proxy.close());

describe('timeouts', () => {
  test("an answer slower than the ORM's timeoutMs: TimeoutError naming the operation and model", async () => {
    const impatient = new DynamORM({ endpoint: proxy.endpoint, tablePrefix: prefix, timeoutMs: 100 });
    proxy.set({ slow: 1, slowMs: 3000, only: ['GetItem', 'Query'] });
    try {
      const error = await rejection(impatient.model(Note).get({ id: 'n1' }));
      expect(error).toBeInstanceOf(TimeoutError);
      expect(error).toMatchObject({ code: 'operation.timeout', op: 'get', model: 'Note', timeoutMs: 100 });
      expect(error.message).toMatch(/^get Note: timed out after 100 ms/);
      const first = await rejection(impatient.model(Note).where('id', '=', 'n1').first());
      expect(first).toMatchObject({ code: 'operation.timeout', op: 'first', model: 'Note' });
    } finally {
      proxy.set({});
    }
  });

  test('a timeout per operation overrides the ORM’s, and AbortSignal.timeout() is a TimeoutError too', async () => {
    proxy.set({ slow: 1, slowMs: 3000, only: ['PutItem', 'GetItem'] });
    try {
      const put = await rejection(orm.model(Note).put({ id: 'slow', n: 1 }, { timeoutMs: 50 }));
      expect(put).toMatchObject({ code: 'operation.timeout', op: 'put', model: 'Note' });
      const all = await rejection(orm.model(Note).signal(AbortSignal.timeout(50)).where('id', '=', 'n1').all());
      expect(all).toBeInstanceOf(TimeoutError);
    } finally {
      proxy.set({});
    }
  });

  test('bad timeouts are refused before anything is sent', async () => {
    expect(() => new DynamORM({ timeoutMs: 0 })).toThrow(/timeoutMs must be a number of milliseconds above 0/);
    const error = await rejection(orm.model(Note).put({ id: 'x', n: 1 }, { timeoutMs: -5 }));
    expect(error).toMatchObject({ code: 'validation.failed' });
    expect(() => new DynamORM({ maxRetries: 1.5 })).toThrow(/maxRetries must be an integer >= 0/);
  });
});

describe('signals', () => {
  test('.signal() returns a new builder; an aborted signal sends nothing and rejects with AbortedError', async () => {
    const base = orm.model(Note);
    const controller = new AbortController();
    const withSignal = base.signal(controller.signal);
    expect(withSignal).not.toBe(base);
    controller.abort('user left');
    const before = proxy.stats.requests['GetItem'] ?? 0;
    const error = await rejection(withSignal.get({ id: 'n1' }));
    expect(error).toBeInstanceOf(AbortedError);
    expect(error).toMatchObject({ code: 'operation.aborted', op: 'get', model: 'Note', cause: 'user left' });
    expect(proxy.stats.requests['GetItem'] ?? 0).toBe(before);
    expect(await base.get({ id: 'n1' })).toEqual({ id: 'n1', n: 1 });
  });

  test('abort in the middle of a batch: BatchWriteError lists exactly the items DynamoDB does not hold', async () => {
    proxy.set({ slow: 1, slowMs: 60, only: ['BatchWriteItem'] });
    const controller = new AbortController();
    const forwarded = proxy.stats.forwarded['BatchWriteItem'] ?? 0;
    // Abort once three requests have reached DynamoDB (whatever the machine's speed).
    const watch = setInterval(() => {
      if ((proxy.stats.forwarded['BatchWriteItem'] ?? 0) - forwarded >= 3) controller.abort();
    }, 2);
    const items = Array.from({ length: 300 }, (_, i) => ({ id: `a${i}`, n: i }));
    let error: BatchWriteError;
    try {
      error = (await rejection(orm.model(Note).signal(controller.signal).batchPut(items, { concurrency: 2 }))) as BatchWriteError;
    } finally {
      clearInterval(watch);
      proxy.set({});
    }
    expect(error).toBeInstanceOf(BatchWriteError);
    expect(error.cause).toBeInstanceOf(AbortedError);
    expect(error.message).toMatch(/^batchPut Note: aborted/);
    expect(error.unwritten.length).toBeGreaterThan(0);
    expect(error.unwritten.every((u) => u.reason === 'aborted')).toBe(true);
    expect(error.written + error.unwritten.length).toBe(300);
    const stored = new Set((await storedItems(orm, Note)).map((s) => s.id!.S!).filter((id) => id.startsWith('a')));
    expect(stored.size).toBe(error.written);
    for (const u of error.unwritten) expect(stored.has(u.key.id as string)).toBe(false);
  });

  test('a backoff wakes on abort: a batch throttled forever stops at once with the timeout', async () => {
    proxy.set({ throttle: 1, only: ['BatchWriteItem'] });
    const patient = new DynamORM({ endpoint: proxy.endpoint, tablePrefix: prefix, maxRetries: 50, retry: { baseDelayMs: 10_000, maxDelayMs: 60_000 } });
    try {
      const error = (await rejection(patient.model(Note).batchPut([{ id: 'z1', n: 1 }], { timeoutMs: 100 }))) as BatchWriteError;
      expect(error).toBeInstanceOf(BatchWriteError);
      expect(error.cause).toBeInstanceOf(TimeoutError);
      expect(error.unwritten).toEqual([{ index: 0, key: { id: 'z1' }, reason: 'aborted', error: error.cause }]);
    } finally {
      proxy.set({});
    }
  });

  test('transactions and iterate take signals too', async () => {
    const controller = new AbortController();
    controller.abort();
    const tx = await rejection(orm.transaction((t) => t.create(Note, { id: 'tx', n: 1 }), { signal: controller.signal }));
    expect(tx).toMatchObject({ code: 'operation.aborted', op: 'transaction' });
    const iterate = async (): Promise<void> => {
      for await (const _ of orm.model(Note).signal(controller.signal).iterate()) break;
    };
    expect(await rejection(iterate())).toMatchObject({ code: 'operation.aborted', op: 'iterate', model: 'Note' });
  });
});

describe('prepared queries', () => {
  test('{ timeoutMs } per call, .signal() on the prepared query and the builder\'s signal: typed errors naming the call', async () => {
    const byId = orm.model(Note).prepare((q, p: { id: string }) => q.where('id', '=', p.id).limit(5));
    expect(await byId.all({ id: 'n1' })).toEqual([{ id: 'n1', n: 1 }]);
    proxy.set({ slow: 1, slowMs: 3000, only: ['GetItem', 'Query'] });
    try {
      const all = await rejection(byId.all({ id: 'n1' }, { timeoutMs: 50 }));
      expect(all).toBeInstanceOf(TimeoutError);
      expect(all).toMatchObject({ code: 'operation.timeout', op: 'all', model: 'Note', timeoutMs: 50 });
      expect(await rejection(byId.first({ id: 'n1' }, { timeoutMs: 50 }))).toMatchObject({ code: 'operation.timeout', op: 'first' });
      expect(await rejection(byId.page({ id: 'n1' }, undefined, { timeoutMs: 50 }))).toMatchObject({ code: 'operation.timeout', op: 'page' });
      expect(await rejection(byId.count({ id: 'n1' }, { timeoutMs: 50 }))).toMatchObject({ code: 'operation.timeout', op: 'count' });
      expect(await rejection(byId.signal(AbortSignal.timeout(50)).all({ id: 'n1' }))).toBeInstanceOf(TimeoutError);
    } finally {
      proxy.set({});
    }
    // Aborted before the call: nothing is sent.
    const sent: string[] = [];
    const off = orm.on('request', (e) => void sent.push(e.request.command));
    const controller = new AbortController();
    controller.abort(new Error('user left'));
    const aborted = await rejection(byId.signal(controller.signal).all({ id: 'n1' }));
    expect(aborted).toBeInstanceOf(AbortedError);
    expect(aborted).toMatchObject({ code: 'operation.aborted', op: 'all', model: 'Note' });
    expect((aborted.cause as Error).message).toBe('user left');
    const fromBuilder = orm.model(Note).signal(controller.signal).prepare((q, p: { id: string }) => q.where('id', '=', p.id));
    expect(await rejection(fromBuilder.first({ id: 'n1' }))).toBeInstanceOf(AbortedError);
    const iterated = await rejection((async () => { for await (const _ of byId.iterate({ id: 'n1' }, { signal: controller.signal })) { /* never */ } })());
    expect(iterated).toMatchObject({ code: 'operation.aborted', op: 'iterate', model: 'Note' });
    off();
    expect(sent).toEqual([]);
    // The prepared query itself is unchanged by .signal(): it still runs.
    expect(await byId.count({ id: 'n1' })).toBe(1);
  });
});
