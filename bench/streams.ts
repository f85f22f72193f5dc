/**
 * Streams: decoding stream records through the model (the Lambda handler of `streamHandler`, in
 * process) against `unmarshall()` of the same images by hand, and the stream reader's delivery
 * latency on DynamoDB Local (a write, then its handler called).
 */
import { DescribeTableCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { performance } from 'node:perf_hooks';
// The built package, as users run it (like the DynamORM contender).
import { DynamORM, MemoryCheckpointStore, model, streamHandler, t } from '../packages/dynamorm/dist/index.js';
import { calibrate, gc, timeIterations, type Op } from './lib/measure.js';
import { makeClient } from './lib/setup.js';
import { fmtRatio, median, pairedRatio } from './lib/stats.js';

export interface StreamSizes {
  readonly rounds: number;
  readonly targetMs: number;
  /** Writes whose delivery latency is measured. */
  readonly writes: number;
}
export const FULL_STREAMS: StreamSizes = { rounds: 7, targetMs: 200, writes: 40 };
export const QUICK_STREAMS: StreamSizes = { rounds: 2, targetMs: 25, writes: 4 };

export interface StreamsPart {
  readonly title: string;
  readonly text: string;
  readonly head: string[];
  readonly rows: string[][];
}
export interface StreamsResult {
  readonly parts: StreamsPart[];
}

const Account = model('Account', {
  table: 'bench_stream_accounts',
  attributes: {
    id: t.string().pk(),
    email: t.string(),
    name: t.string(),
    createdAt: t.date(),
    balance: t.number(),
    visits: t.bigint(),
    tags: t.stringSet(),
    address: t.object({ street: t.string(), city: t.string(), zip: t.string() }),
    active: t.boolean(),
  },
});

const BATCH = 100;

/** A Lambda event of BATCH MODIFY records, as DynamoDB delivers them (images JSON, from the model's own marshal). */
function lambdaEvent() {
  const records = Array.from({ length: BATCH }, (_, i) => {
    const item = {
      id: `a${i}`, email: `user${i}@example.com`, name: `User ${i}`, createdAt: new Date(Date.UTC(2024, 0, 1 + (i % 28))),
      balance: i * 10.5, visits: BigInt(i) * 1000n, tags: new Set(['a', `t${i % 7}`]),
      address: { street: `${i} Main St`, city: 'Springfield', zip: '12345' }, active: i % 2 === 0,
    };
    const oldImage = Account.marshal(item);
    const newImage = Account.marshal({ ...item, balance: item.balance + 1 });
    return { eventID: `${i}`, eventName: 'MODIFY' as const, eventSourceARN: 'arn:aws:dynamodb:us-east-1:1:table/bench_stream_accounts/stream/x', dynamodb: { Keys: { id: { S: item.id } }, OldImage: oldImage, NewImage: newImage, SequenceNumber: `${1000 + i}` } };
  });
  return { Records: records };
}

/** Ops/s of each op, rounds interleaved in rotated order, iterations calibrated per op. */
async function throughput(ops: Record<string, Op>, sizes: StreamSizes): Promise<Record<string, number[]>> {
  const names = Object.keys(ops);
  const counts: Record<string, number> = {};
  const samples: Record<string, number[]> = {};
  for (const n of names) {
    await calibrate(ops[n]!, true, sizes.targetMs);
    counts[n] = await calibrate(ops[n]!, true, sizes.targetMs);
    samples[n] = [];
  }
  for (let r = 0; r < sizes.rounds; r++) {
    for (let k = 0; k < names.length; k++) {
      const n = names[(k + r) % names.length]!;
      gc();
      const ms = await timeIterations(ops[n]!, counts[n]!, true);
      samples[n]!.push((counts[n]! / ms) * 1000 * BATCH);
    }
  }
  return samples;
}

async function decoding(sizes: StreamSizes, log: (s: string) => void): Promise<StreamsPart> {
  const orm = new DynamORM({ region: 'us-east-1', models: [Account] });
  const event = lambdaEvent();
  let sink = 0;
  const handler = streamHandler(orm, { Account: { modify: ({ oldItem, newItem }) => { sink += newItem.balance - (oldItem?.balance ?? 0); } } });
  // What a handler written by hand does: unmarshall both images of each record, then handle it.
  const byHand = async (): Promise<unknown> => {
    for (const r of event.Records) {
      const oldItem = unmarshall(r.dynamodb.OldImage as never);
      const newItem = unmarshall(r.dynamodb.NewImage as never);
      sink += (newItem['balance'] as number) - (oldItem['balance'] as number);
    }
    return { batchItemFailures: [] };
  };
  const samples = await throughput({ 'unmarshall by hand': byHand, 'DynamORM streamHandler': () => handler(event) }, sizes);
  if (!Number.isFinite(sink)) throw new Error('unreachable');
  const base = samples['unmarshall by hand']!;
  const rows = Object.entries(samples).map(([name, s]) => {
    const r = pairedRatio(s, base);
    return [name, `${Math.round(median(s)).toLocaleString('en-US')}/s`, fmtRatio(r.median), name === 'DynamORM streamHandler' ? (r.median >= 0.8 ? '✓ met' : '✗ missed') : ''];
  });
  log(`   stream decoding: ${rows.map((r) => `${r[0]} ${r[1]} (${r[2]})`).join(', ')}`);
  return {
    title: 'Stream records decoded through the model',
    text: `Records/s of a Lambda handler over a batch of ${BATCH} MODIFY records with both images (strings, a date, a number, a bigint, a string set, a nested object, a boolean): \`streamHandler\` (each record routed to its model, both images decoded by it: Dates, Sets and bigints as the model declares them, the key read off, handlers awaited in order) against a hand-written handler calling \`unmarshall()\` of @aws-sdk/util-dynamodb on both images (no Dates, numbers as numbers). Median of ${sizes.rounds} interleaved rounds; ratio taken round by round. Goal: ≥ 0.8×.`,
    head: ['handler', 'records/s', 'ratio to unmarshall', 'goal ≥ 0.8×'],
    rows,
  };
}

async function latency(endpoint: string, sizes: StreamSizes, log: (s: string) => void): Promise<StreamsPart> {
  const table = `bench_stream_${Date.now()}`;
  const Note = model('Note', { table, attributes: { id: t.string().pk(), at: t.number() } });
  const orm = new DynamORM({ client: makeClient(endpoint), models: [Note] });
  await orm.createTables();
  const raw = makeClient(endpoint);
  await raw.send(new UpdateTableCommand({ TableName: table, StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } }));
  const rows: string[][] = [];
  for (const pollIntervalMs of [50, 1000]) {
    const waiting = new Map<string, (at: number) => void>();
    const reader = orm.stream(Note, { from: 'LATEST', checkpoints: new MemoryCheckpointStore(), pollIntervalMs })
      .on('insert', ({ newItem }) => waiting.get(newItem.id)?.(performance.now()));
    await reader.start();
    const ms: number[] = [];
    const writes = pollIntervalMs === 1000 ? Math.max(2, Math.ceil(sizes.writes / 4)) : sizes.writes;
    for (let i = 0; i < writes; i++) {
      const id = `${pollIntervalMs}-${i}`;
      const delivered = new Promise<number>((resolve) => waiting.set(id, resolve));
      const start = performance.now();
      await orm.model(Note).create({ id, at: i });
      ms.push((await delivered) - start);
    }
    await reader.stop();
    const sorted = [...ms].sort((a, b) => a - b);
    rows.push([`${pollIntervalMs} ms`, `${writes}`, `${median(ms).toFixed(0)} ms`, `${sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))]!.toFixed(0)} ms`]);
  }
  await raw.send(new DescribeTableCommand({ TableName: table }));
  await orm.dropTables();
  log(`   stream delivery: ${rows.map((r) => `poll ${r[0]}: median ${r[2]}, p95 ${r[3]}`).join('; ')}`);
  return {
    title: 'Stream reader delivery latency (DynamoDB Local)',
    text: 'Time from a create (sent) to its insert handler called by `orm.stream(...)` on DynamoDB Local, one write at a time, with two poll intervals: a shard without new records waits `pollIntervalMs` before asking again, which bounds the latency. There is no raw SDK baseline: the SDK has no reader; the figure includes the PutItem round trip.',
    head: ['pollIntervalMs', 'writes', 'median', 'p95'],
    rows,
  };
}

export async function runStreams(endpoint: string | undefined, sizes: StreamSizes, log: (s: string) => void): Promise<StreamsResult> {
  const parts = [await decoding(sizes, log)];
  if (endpoint !== undefined) parts.push(await latency(endpoint, sizes, log));
  return { parts };
}
