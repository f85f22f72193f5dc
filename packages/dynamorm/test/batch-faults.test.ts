// Fault injection: an SDK middleware on the ORM's client, in front of DynamoDB Local, returns part
// of each batch as unprocessed (never sending those items) and throttles some requests. Every item
// must be written exactly once; when the retries run out, the error lists exactly the unwritten ones.
import type { BatchGetItemCommandInput, BatchGetItemCommandOutput, BatchWriteItemCommandInput, BatchWriteItemCommandOutput, WriteRequest } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, test } from 'vitest';
import { BatchGetError, BatchWriteError, DynamORM, model, t } from 'dynamorm';
import { endpoint } from './support/dynamo.js';
import { rejection, storedItems, uniquePrefix } from './support/inspect.js';

const orm = new DynamORM({ endpoint: endpoint(), autoMigrate: true, tablePrefix: uniquePrefix('faults'), batchGets: false });
const Event = model('Event', { table: 'events', attributes: { id: t.string().pk(), n: t.number() } });

/** A seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  return () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
}
const idOf = (r: WriteRequest): string => (r.PutRequest?.Item ?? r.DeleteRequest?.Key)!.id!.S!;
const throttled = () => Object.assign(new Error('Rate of requests exceeds the allowed throughput'), { name: 'ProvisionedThroughputExceededException', $metadata: { httpStatusCode: 400 } });

interface Faults {
  /** Writes that reached DynamoDB, per item id. */
  readonly sent: Map<string, number>;
  requests: number;
  throttles: number;
  unprocessed: number;
  remove(): void;
}

/**
 * Before the SDK's own retries (step initialize): throttles every 5th BatchWriteItem, and holds
 * back a random share of the others (or every item `stuck` names) as UnprocessedItems.
 */
function injectFaults(seed: number, stuck: (id: string) => boolean = () => false): Faults {
  const rnd = random(seed);
  const faults: Faults = { sent: new Map(), requests: 0, throttles: 0, unprocessed: 0, remove: () => orm.client!.middlewareStack.remove('faults') };
  orm.client!.middlewareStack.add((next, context) => async (args) => {
    if (context.commandName !== 'BatchWriteItemCommand') return next(args);
    faults.requests++;
    if (faults.requests % 5 === 0) {
      faults.throttles++;
      throw throttled();
    }
    const input = args.input as BatchWriteItemCommandInput;
    const [table, requests] = Object.entries(input.RequestItems!)[0]!;
    const held = requests.filter((r) => stuck(idOf(r)) || rnd() < 0.3);
    const passed = requests.filter((r) => !held.includes(r));
    faults.unprocessed += held.length;
    let output: BatchWriteItemCommandOutput = { $metadata: {} };
    if (passed.length > 0) {
      for (const r of passed) faults.sent.set(idOf(r), (faults.sent.get(idOf(r)) ?? 0) + 1);
      const result = await next({ ...args, input: { ...input, RequestItems: { [table]: passed } } });
      output = result.output as BatchWriteItemCommandOutput;
    }
    return { response: undefined, output: { ...output, UnprocessedItems: held.length > 0 ? { [table]: held } : {} } };
  }, { step: 'initialize', name: 'faults' });
  return faults;
}

beforeAll(async () => {
  await orm.createTables(Event);
});

describe('batches under faults', () => {
  test('partial batches and throttling: all 1,000 items written exactly once', async () => {
    const faults = injectFaults(42);
    let result;
    try {
      result = await orm.model(Event).batchPut(Array.from({ length: 1000 }, (_, i) => ({ id: `e${i}`, n: i })), { baseDelayMs: 1, maxDelayMs: 20, maxRetries: 50 });
    } finally {
      faults.remove();
    }
    expect(faults.throttles).toBeGreaterThan(0);
    expect(faults.unprocessed).toBeGreaterThan(100);
    expect(result.written).toBe(1000);
    expect(result.retries).toBeGreaterThan(0);
    expect(faults.sent.size).toBe(1000);
    expect([...faults.sent.values()].every((count) => count === 1)).toBe(true);
    const stored = await storedItems(orm, Event);
    expect(stored).toHaveLength(1000);
    expect(new Set(stored.map((s) => s.id!.S))).toEqual(new Set(Array.from({ length: 1000 }, (_, i) => `e${i}`)));
  });

  test('when the retries run out, BatchWriteError lists exactly the items not written', async () => {
    const stuck = new Set(['x7', 'x70', 'x123']);
    const faults = injectFaults(7, (id) => stuck.has(id));
    let error: BatchWriteError;
    try {
      error = (await rejection(orm.model(Event).batchPut(Array.from({ length: 200 }, (_, i) => ({ id: `x${i}`, n: i })), { baseDelayMs: 1, maxDelayMs: 5, maxRetries: 11 }))) as BatchWriteError;
    } finally {
      faults.remove();
    }
    expect(error).toBeInstanceOf(BatchWriteError);
    expect(error.unwritten.map((u) => [u.index, u.key, u.reason])).toEqual([
      [7, { id: 'x7' }, 'unprocessed'],
      [70, { id: 'x70' }, 'unprocessed'],
      [123, { id: 'x123' }, 'unprocessed'],
    ]);
    expect(error.written).toBe(197);
    expect(error.message).toMatch(/3 of 200 items not written/);
    const stored = new Set((await storedItems(orm, Event)).map((s) => s.id!.S).filter((id) => id!.startsWith('x')));
    expect(stored.size).toBe(197);
    for (const id of stuck) expect(stored.has(id)).toBe(false);
  });

  test('batchGet retries UnprocessedKeys until every key is read', async () => {
    let calls = 0;
    orm.client!.middlewareStack.add((next, context) => async (args) => {
      if (context.commandName !== 'BatchGetItemCommand') return next(args);
      calls++;
      if (calls % 4 === 0) throw throttled();
      const input = args.input as BatchGetItemCommandInput;
      const [table, request] = Object.entries(input.RequestItems!)[0]!;
      const keys = request.Keys!;
      const held = keys.slice(0, Math.floor(keys.length / 2));
      const result = await next({ ...args, input: { ...input, RequestItems: { [table]: { ...request, Keys: keys.slice(held.length) } } } });
      const output = result.output as BatchGetItemCommandOutput;
      return { ...result, output: { ...output, UnprocessedKeys: held.length > 0 ? { [table]: { Keys: held } } : {} } };
    }, { step: 'initialize', name: 'get-faults' });
    try {
      const keys = Array.from({ length: 300 }, (_, i) => ({ id: `e${i}` }));
      const items = await orm.model(Event).batchGet(keys, { baseDelayMs: 1, maxRetries: 30 });
      expect(items.map((e) => e.n)).toEqual(Array.from({ length: 300 }, (_, i) => i));
      expect(calls).toBeGreaterThan(3);
    } finally {
      orm.client!.middlewareStack.remove('get-faults');
    }
  });

  test('batchGet gives up after maxRetries rounds in a row without progress, listing the unread keys', async () => {
    // Every key held back: no round makes progress.
    orm.client!.middlewareStack.add((next, context) => async (args) => {
      if (context.commandName !== 'BatchGetItemCommand') return next(args);
      const input = args.input as BatchGetItemCommandInput;
      return { response: undefined, output: { $metadata: {}, Responses: {}, UnprocessedKeys: input.RequestItems } };
    }, { step: 'initialize', name: 'get-stuck' });
    try {
      const keys = Array.from({ length: 10 }, (_, i) => ({ id: `e${i}` }));
      const error = await rejection(orm.model(Event).batchGet(keys, { baseDelayMs: 1, maxRetries: 1 }));
      expect(error).toBeInstanceOf(BatchGetError);
      expect((error as BatchGetError).unread).toEqual(keys);
    } finally {
      orm.client!.middlewareStack.remove('get-stuck');
    }
  });
});
