// The stream reader on DynamoDB Local's streams: changes delivered decoded and in order,
// single-table routing, retries of a failing handler, restarts from a checkpoint, and the
// parent-before-child order of shards.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  DynamORM, MemoryCheckpointStore, model, SHARD_END, StreamReaderError, StreamRecordError, t,
  TableCheckpointStore, type ChangeEvent, type StreamReader,
} from 'dynamorm';
import { readyShards } from '../src/stream/shards.js';
import { endpoint } from './support/dynamo.js';
import { rejection, uniquePrefix } from './support/inspect.js';
import { enableStream } from './support/streams.js';

const Note = model('Note', {
  table: 'notes',
  attributes: { id: t.string().pk(), text: t.string(), at: t.date(), tags: t.stringSet().optional() },
});
const Customer = model('Customer', {
  table: 'app',
  keys: { pk: 'CUSTOMER#{customerId}', sk: 'PROFILE' },
  attributes: { customerId: t.string(), name: t.string() },
});
const Order = model('Order', {
  table: 'app',
  keys: { pk: 'CUSTOMER#{customerId}', sk: 'ORDER#{orderId}' },
  attributes: { customerId: t.string().keyOnly(), orderId: t.string(), total: t.number() },
});
const Quiet = model('Quiet', { table: 'quiet', attributes: { id: t.string().pk() } });

const orm = new DynamORM({ endpoint: endpoint(), tablePrefix: uniquePrefix('stream-reader'), models: [Note, Customer, Order, Quiet] });
const at = new Date('2025-01-02T03:04:05.000Z');
const readers: StreamReader<never>[] = [];
const fast = { pollIntervalMs: 20 } as const;

function track<R extends StreamReader<never>>(reader: R): R {
  readers.push(reader);
  return reader;
}

beforeAll(async () => {
  await orm.createTables();
  await enableStream(orm.tableName(Note));
  await enableStream(orm.tableName(Customer));
});
afterEach(async () => {
  await Promise.all(readers.splice(0).map((r) => r.stop()));
});

describe('orm.stream', () => {
  it('delivers inserts, modifies and removes of a plain model in order, decoded by the model', async () => {
    const events: ChangeEvent<typeof Note>[] = [];
    const reader = track(orm.stream(Note, { from: 'TRIM_HORIZON', checkpoints: new MemoryCheckpointStore(), ...fast })
      .on('insert', (e) => void events.push(e))
      .on('modify', (e) => void events.push(e))
      .on('remove', (e) => void events.push(e)));
    await reader.start();
    await orm.model(Note).create({ id: 'n1', text: 'hello', at, tags: new Set(['x']) });
    await orm.model(Note).where('id', '=', 'n1').update({ text: 'hello!' });
    await orm.model(Note).where('id', '=', 'n1').delete();
    await vi.waitFor(() => expect(events).toHaveLength(3), { timeout: 10_000, interval: 20 });
    expect(events.map((e) => e.type)).toEqual(['insert', 'modify', 'remove']);
    expect(events[0]!.newItem).toEqual({ id: 'n1', text: 'hello', at, tags: new Set(['x']) });
    expect([events[1]!.oldItem?.text, events[1]!.newItem?.text]).toEqual(['hello', 'hello!']);
    expect(events[2]!.key).toEqual({ id: 'n1' });
    await reader.stop();
  });

  it('routes a single-table stream to the models it reads, key-only attributes parsed back', async () => {
    const orders: ChangeEvent<typeof Order>[] = [];
    const customers: string[] = [];
    const reader = track(orm.stream([Customer, Order], { from: 'TRIM_HORIZON', checkpoints: new MemoryCheckpointStore(), ...fast })
      .on('insert', (e) => {
        if (e.model === 'Order') orders.push(e);
        else customers.push(e.newItem.name);
      })
      .on('modify', (e) => void (e.model === 'Order' && orders.push(e)))
      .on('remove', (e) => void (e.model === 'Order' && orders.push(e))));
    await reader.start();
    await orm.model(Customer).create({ customerId: 'c1', name: 'Cy' });
    await orm.model(Order).create({ customerId: 'c1', orderId: 'o1', total: 5 });
    await orm.model(Order).where('customerId', '=', 'c1').where('orderId', '=', 'o1').update({ total: 6 });
    await orm.model(Order).where('customerId', '=', 'c1').where('orderId', '=', 'o1').delete();
    await vi.waitFor(() => expect(orders).toHaveLength(3), { timeout: 10_000, interval: 20 });
    expect(customers).toEqual(['Cy']);
    expect(orders.map((e) => [e.type, e.key])).toEqual([
      ['insert', { customerId: 'c1', orderId: 'o1' }], ['modify', { customerId: 'c1', orderId: 'o1' }], ['remove', { customerId: 'c1', orderId: 'o1' }],
    ]);
    expect(orders[1]!.newItem).toEqual({ customerId: 'c1', orderId: 'o1', total: 6 });
  });

  it('a reader of one model of a table ignores the others\' changes', async () => {
    const names: string[] = [];
    const reader = track(orm.stream(Customer, { from: 'TRIM_HORIZON', checkpoints: new MemoryCheckpointStore(), ...fast })
      .on('insert', (e) => void names.push(e.newItem.name)));
    await reader.start();
    await orm.model(Order).create({ customerId: 'c2', orderId: 'o9', total: 1 });
    await orm.model(Customer).create({ customerId: 'c2', name: 'Di' });
    await vi.waitFor(() => expect(names).toContain('Di'), { timeout: 10_000, interval: 20 });
    expect(names).toEqual(['Cy', 'Di']);
  });

  it('retries a record whose handler throws, holding back the later records, and reports each failure', async () => {
    const seen: string[] = [];
    const errors: string[] = [];
    let failures = 2;
    const reader = track(orm.stream(Note, { from: 'LATEST', checkpoints: new MemoryCheckpointStore(), ...fast })
      .on('insert', ({ newItem }) => {
        if (newItem.id === 'r1' && failures-- > 0) throw new Error('not yet');
        seen.push(newItem.id);
      })
      .on('error', (e) => void errors.push(`${e.code} ${e.message}`)));
    await reader.start();
    await orm.model(Note).create({ id: 'r1', text: 'a', at });
    await orm.model(Note).create({ id: 'r2', text: 'b', at });
    await vi.waitFor(() => expect(seen).toEqual(['r1', 'r2']), { timeout: 10_000, interval: 20 });
    expect(errors).toEqual([
      expect.stringMatching(/^stream\.handlerFailed stream record \d+ of Note: the insert handler failed \(attempt 1\): not yet$/),
      expect.stringMatching(/\(attempt 2\): not yet$/),
    ]);
  });

  it('gives up a record after maxAttempts, reported, and goes on', async () => {
    const seen: string[] = [];
    const errors: StreamRecordError[] = [];
    const reader = track(orm.stream(Note, { from: 'LATEST', checkpoints: new MemoryCheckpointStore(), maxAttempts: 1, ...fast })
      .on('insert', ({ newItem }) => {
        if (newItem.id === 'p1') throw new Error('poison');
        seen.push(newItem.id);
      })
      .on('error', (e) => void (e instanceof StreamRecordError && errors.push(e))));
    await reader.start();
    await orm.model(Note).create({ id: 'p1', text: 'a', at });
    await orm.model(Note).create({ id: 'p2', text: 'b', at });
    await vi.waitFor(() => expect(seen).toEqual(['p2']), { timeout: 10_000, interval: 20 });
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/\(attempt 1, given up\): poison$/)]);
  });

  it('restarts from its checkpoint: nothing acknowledged is delivered again, nothing is skipped', async () => {
    const store = new MemoryCheckpointStore();
    const first: string[] = [];
    const reader = track(orm.stream(Note, { from: 'LATEST', checkpoints: store, name: 'restart', ...fast }).on('insert', (e) => void first.push(e.newItem.id)));
    await reader.start();
    await orm.model(Note).create({ id: 'k1', text: 'a', at });
    await orm.model(Note).create({ id: 'k2', text: 'a', at });
    await vi.waitFor(() => expect(first).toEqual(['k1', 'k2']), { timeout: 10_000, interval: 20 });
    await reader.stop();
    const saved = await store.load('restart');
    expect(saved).toEqual(reader.position());
    expect(Object.values(saved)).toHaveLength(1);

    // Written while no reader runs.
    await orm.model(Note).create({ id: 'k3', text: 'a', at });
    await orm.model(Note).where('id', '=', 'k1').update({ text: 'b' });
    const second: string[] = [];
    // `from` applies only to shards without a saved position: the store wins.
    const again = track(orm.stream(Note, { from: 'TRIM_HORIZON', checkpoints: store, name: 'restart', ...fast })
      .on('insert', (e) => void second.push(`insert ${e.newItem.id}`))
      .on('modify', (e) => void second.push(`modify ${e.newItem.id}`)));
    await again.start();
    await vi.waitFor(() => expect(second).toEqual(['insert k3', 'modify k1']), { timeout: 10_000, interval: 20 });

    // A position given as `from` starts there, whatever the store holds.
    const replay: string[] = [];
    const fromSaved = track(orm.stream(Note, { from: saved, checkpoints: new MemoryCheckpointStore(), ...fast }).on('insert', (e) => void replay.push(e.newItem.id)));
    await fromSaved.start();
    await vi.waitFor(() => expect(replay).toEqual(['k3']), { timeout: 10_000, interval: 20 });
  });

  it('checkpoints each record acknowledged: a handler failing midway through a batch, a restart gets only the records not acknowledged', async () => {
    // Written before the reader starts, so they come in one batch.
    for (const id of ['m1', 'm2', 'm3', 'm4', 'm5']) await orm.model(Note).create({ id, text: 'a', at });
    const store = new MemoryCheckpointStore();
    const first: string[] = [];
    let crashed: Awaited<ReturnType<MemoryCheckpointStore['load']>> | undefined;
    const reader = track(orm.stream(Note, { from: 'TRIM_HORIZON', checkpoints: store, name: 'per-record', ...fast })
      .on('insert', async ({ newItem }) => {
        if (!newItem.id.startsWith('m')) return;
        if (newItem.id === 'm3') {
          // What the store holds when the process dies here.
          crashed ??= await store.load('per-record');
          throw new Error('crash');
        }
        first.push(newItem.id);
      })
      .on('error', () => undefined));
    await reader.start();
    await vi.waitFor(() => expect(crashed).toBeDefined(), { timeout: 10_000, interval: 20 });
    expect(first).toEqual(['m1', 'm2']);
    await reader.stop();

    // Restarted from what a crash left, and from what the stop saved: m3 on, nothing before.
    for (const from of [crashed!, await store.load('per-record')]) {
      const again: string[] = [];
      const restarted = track(orm.stream(Note, { from, checkpoints: new MemoryCheckpointStore(), ...fast })
        .on('insert', (e) => void (e.newItem.id.startsWith('m') && again.push(e.newItem.id))));
      await restarted.start();
      await vi.waitFor(() => expect(again).toEqual(['m3', 'm4', 'm5']), { timeout: 10_000, interval: 20 });
      await restarted.stop();
    }
  });

  it('keeps positions in a DynamoDB table by default', async () => {
    const store = new TableCheckpointStore(orm);
    const ids: string[] = [];
    const reader = track(orm.stream(Note, { from: 'LATEST', name: 'in-table', ...fast }).on('insert', (e) => void ids.push(e.newItem.id)));
    await reader.start();
    await orm.model(Note).create({ id: 't1', text: 'a', at });
    await vi.waitFor(() => expect(ids).toEqual(['t1']), { timeout: 10_000, interval: 20 });
    await reader.stop();
    expect(await store.load('in-table')).toEqual(reader.position());
    expect(Object.values(reader.position())[0]).toMatch(/^\d+$/);
  });

  it('does not start on a table without a stream, saying how to turn it on', async () => {
    const error = await rejection(orm.stream(Quiet, { checkpoints: new MemoryCheckpointStore() }).start());
    expect(error).toBeInstanceOf(StreamReaderError);
    expect(error.message).toBe(`table ${orm.tableName(Quiet)} has no stream: turn it on with the view type NEW_AND_OLD_IMAGES (UpdateTable StreamSpecification)`);
  });

  it('refuses models of several tables', () => {
    expect(() => orm.stream([Note, Customer] as const)).toThrow(/the models are stored in several tables/);
  });
});

describe('shards', () => {
  const shard = (id: string, parent?: string, closed = false) => ({ ShardId: id, ParentShardId: parent, SequenceNumberRange: closed ? { EndingSequenceNumber: '9' } : {} });

  it('reads a parent before its children, and both children of a split once it ends', () => {
    const shards = [shard('root', undefined, true), shard('left', 'root'), shard('right', 'root'), shard('orphan', 'trimmed')];
    expect(readyShards(shards, new Map(), new Set()).map((s) => s.ShardId)).toEqual(['root', 'orphan']);
    expect(readyShards(shards, new Map([['root', '5']]), new Set(['root'])).map((s) => s.ShardId)).toEqual(['orphan']);
    expect(readyShards(shards, new Map([['root', SHARD_END]]), new Set(['orphan'])).map((s) => s.ShardId)).toEqual(['left', 'right']);
    expect(readyShards(shards, new Map([['root', SHARD_END], ['left', SHARD_END]]), new Set()).map((s) => s.ShardId)).toEqual(['right', 'orphan']);
  });
});
