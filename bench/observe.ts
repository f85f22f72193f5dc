/**
 * The cost of watching: the same workload of gets and queries on DynamoDB Local through the raw
 * SDK (also asking for ReturnConsumedCapacity as observing makes DynamORM ask: TOTAL for reads of
 * a table), DynamORM with nothing observing (twice: two instances, whose ratio is the noise floor
 * of the run), and DynamORM with metrics, analytics, a response listener and a pass-through
 * middleware all on. Reported per request: CPU time of this process (process.cpuUsage, user +
 * system: DynamoDB Local's JVM is another process) and wall time, as ratios of slices taken in
 * the same round. Slices are short (tens of milliseconds) and many, in shuffled order: the speed
 * of a shared virtual machine drifts by more than the 5% looked for within seconds (in slices of
 * 300 requests, two identical instances differed by 0.93-1.10x over the middle half of the
 * rounds), but hardly within one round.
 */
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient, GetItemCommand, QueryCommand, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { Readable } from 'node:stream';
import { performance } from 'node:perf_hooks';
// The built package, as users run it (like the DynamORM contender).
import { DynamORM, model, t } from '../packages/dynamorm/dist/index.js';
import { BENCH_CREDENTIALS, BENCH_REGION } from './lib/local.js';
import { loadAverage } from './lib/machine.js';
import { gc } from './lib/measure.js';
import { makeClient } from './lib/setup.js';
import { fmtRatio, median } from './lib/stats.js';

export interface ObserveSizes {
  /** Requests per slice: two gets, then a query, over and over. */
  readonly slice: number;
  /** Rounds on DynamoDB Local. */
  readonly rounds: number;
  /** Rounds with the SDK answered in process (no network: the client's own CPU alone). */
  readonly inProcessRounds: number;
}
export const FULL_OBSERVE: ObserveSizes = { slice: 24, rounds: 1000, inProcessRounds: 1500 };
export const QUICK_OBSERVE: ObserveSizes = { slice: 24, rounds: 4, inProcessRounds: 10 };

export interface ObserveResult {
  readonly text: string;
  readonly head: string[];
  readonly rows: string[][];
}

const CONCURRENCY = 8;
const USERS = 50;
const PER_USER = 10;
type Who = 'raw' | 'rawcc' | 'off' | 'off2' | 'on';
const WHO: readonly Who[] = ['raw', 'rawcc', 'off', 'off2', 'on'];

const LABEL: Record<Who, string> = {
  raw: 'raw SDK (GetItem, Query)',
  rawcc: 'raw SDK asking for ReturnConsumedCapacity (TOTAL)',
  off: 'DynamORM, nothing observing',
  off2: 'DynamORM, nothing observing, a second instance (noise floor)',
  on: 'DynamORM, metrics + analytics + listener + middleware',
};

interface Run {
  /** CPU µs per request. */
  readonly cpu: number;
  /** Wall µs per request. */
  readonly wall: number;
}

/** Runs `requests` calls of `call`, CONCURRENCY at a time, measuring this process's CPU and the wall time. */
async function measure(requests: number, call: (i: number) => Promise<unknown>): Promise<Run> {
  let next = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < requests) await call(next++);
  }));
  const wall = (performance.now() - t0) * 1000;
  const cpu = process.cpuUsage(cpu0);
  return { cpu: (cpu.user + cpu.system) / requests, wall: wall / requests };
}

const BLOCKS = 10;
const SEED = 20261201;

/** A seeded generator of numbers in [0, 1) (mulberry32): the same orders in every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = Math.imul(state ^ (state >>> 15), state | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** `items` in a random order (Fisher-Yates). */
function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * Sum of a's over sum of b's, in all rounds and in each of BLOCKS consecutive blocks of rounds:
 * with slices this short, one round's ratio is mostly noise (the network's timing), while the
 * totals of many rounds are not; the blocks show how far that estimate moves.
 */
function totalsRatio(a: readonly number[], b: readonly number[]): { all: number; blocks: number[] } {
  const sum = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0);
  const size = Math.max(1, Math.floor(a.length / BLOCKS));
  const blocks: number[] = [];
  for (let i = 0; i + size <= a.length; i += size) blocks.push(sum(a.slice(i, i + size)) / sum(b.slice(i, i + size)));
  return { all: sum(a) / sum(b), blocks };
}

/** The gets' item and the queries' page, as DynamoDB Local answers them, for the SDK answered in process. */
function inProcessHandler(table: string): DynamoDBClientConfig['requestHandler'] {
  const item = (n: number) => ({ author: { S: 'a1' }, n: { N: String(n) }, title: { S: `post ${n}` }, body: { S: 'x'.repeat(200) } });
  const capacity = { TableName: table, CapacityUnits: 0.5 };
  const get = { Item: item(1) };
  const page = { Items: [101, 102, 103, 104, 105].map(item), Count: 5, ScannedCount: 5, LastEvaluatedKey: { author: { S: 'a1' }, n: { N: '105' } } };
  // Each answer made once, without and with consumed capacity: the handler's own work per request would dilute every ratio.
  const bodies = (body: object): Buffer[] => [body, { ...body, ConsumedCapacity: capacity }].map((b) => Buffer.from(JSON.stringify(b)));
  const answers = { get: bodies(get), page: bodies(page) };
  return {
    handle: async (request: { headers: Record<string, string>; body?: unknown }) => {
      const bytes = request.body as Uint8Array | string;
      // The bytes themselves: Buffer.from(body) would call the SDK's body's valueOf, which warns.
      const body = typeof bytes === 'string' ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString();
      const answer = answers[(request.headers['x-amz-target'] ?? '').endsWith('.GetItem') ? 'get' : 'page'][body.includes('ReturnConsumedCapacity') ? 1 : 0]!;
      return { response: { statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'bench' }, body: Readable.from([answer]) } };
    },
    updateHttpClientConfig: () => {},
    httpHandlerConfigs: () => ({}),
  } as unknown as DynamoDBClientConfig['requestHandler'];
}

const postModel = (table: string) => model('Post', { table, attributes: { author: t.string().pk(), n: t.number().sk(), title: t.string(), body: t.string() } });

/** The five contenders on clients made by `client`, `rounds` rounds of slices in shuffled order. */
async function compare(Post: ReturnType<typeof postModel>, table: string, client: () => DynamoDBClient, slice: number, rounds: number, log: (s: string) => void): Promise<Record<Who, Run[]>> {
  const options = { batchGets: false, warnings: false } as const;
  const off = new DynamORM({ ...options, client: client() });
  const off2 = new DynamORM({ ...options, client: client() });
  const on = new DynamORM({ ...options, client: client(), enableMetrics: true, analytics: true });
  on.on('response', () => {});
  on.use((request, next) => next(request));
  const raw = client();
  const runs: Record<Who, Run[]> = { raw: [], rawcc: [], off: [], off2: [], on: [] };
  try {
    const author = (i: number): string => `a${i % USERS}`;
    const isGet = (i: number): boolean => i % 3 !== 2;
    const rawCall = (capacity: { ReturnConsumedCapacity?: 'TOTAL' }) => (i: number): Promise<unknown> => (isGet(i)
      ? raw.send(new GetItemCommand({ TableName: table, Key: { author: { S: author(i) }, n: { N: String(i % (USERS * PER_USER)) } }, ...capacity }))
      : raw.send(new QueryCommand({ TableName: table, KeyConditionExpression: '#a = :a AND #n > :n', ExpressionAttributeNames: { '#a': 'author', '#n': 'n' }, ExpressionAttributeValues: { ':a': { S: author(i) }, ':n': { N: '100' } }, Limit: 5, ...capacity })));
    const orm = (o: DynamORM) => (i: number): Promise<unknown> => (isGet(i) ? o.model(Post).get({ author: author(i), n: i % (USERS * PER_USER) }) : o.model(Post).where('author', '=', author(i)).where('n', '>', 100).limit(5).all());
    const workload: Record<Who, (i: number) => Promise<unknown>> = {
      raw: rawCall({}),
      // What observing asks of these requests, on the raw SDK: DynamoDB's and the SDK's part of the cost.
      rawcc: rawCall({ ReturnConsumedCapacity: 'TOTAL' }),
      off: orm(off),
      off2: orm(off2),
      on: orm(on),
    };
    // Warm up every path (JIT, connections) before measuring: with 100 requests, the first round
    // still paid for it (its first contender's CPU per request up to 1.8 times the others').
    for (const who of WHO) await measure(600, workload[who]);
    const random = seeded(SEED);
    gc();
    for (let r = 0; r < rounds; r++) {
      // A new order each round: a slice pays for the garbage of the one before it, so no side may always follow the same one.
      const order = shuffled(WHO, random);
      for (const who of order) runs[who].push(await measure(slice, workload[who]));
      if ((r + 1) % Math.ceil(rounds / 4) === 0 || r === rounds - 1) log(`   round ${r + 1}/${rounds}: CPU per request ${WHO.map((who) => `${who} ${runs[who][r]!.cpu.toFixed(0)} µs`).join(', ')}`);
    }
    const report = on.analytics().report();
    if (report.patterns.length !== 2) throw new Error(`observe: analytics saw ${report.patterns.length} patterns, expected the get and the query`);
  } finally {
    for (const c of [raw, off.client, off2.client, on.client]) c?.destroy();
  }
  return runs;
}

export async function runObserve(endpoint: string, sizes: ObserveSizes, log: (s: string) => void): Promise<ObserveResult> {
  const table = `bench_observe_${process.pid}`;
  const admin = makeClient(endpoint);
  const load = [loadAverage()];
  await admin.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
  await admin.send(new CreateTableCommand({ TableName: table, BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'author', AttributeType: 'S' }, { AttributeName: 'n', AttributeType: 'N' }], KeySchema: [{ AttributeName: 'author', KeyType: 'HASH' }, { AttributeName: 'n', KeyType: 'RANGE' }] }));
  let local: Record<Who, Run[]>;
  let inProcess: Record<Who, Run[]>;
  const Post = postModel(table);
  try {
    await new DynamORM({ client: admin }).model(Post).batchPut(Array.from({ length: USERS * PER_USER }, (_, i) => ({ author: `a${i % USERS}`, n: i, title: `post ${i}`, body: 'x'.repeat(200) })));
    log('   on DynamoDB Local');
    local = await compare(Post, table, () => new DynamoDBClient({ endpoint, region: BENCH_REGION, credentials: BENCH_CREDENTIALS }), sizes.slice, sizes.rounds, log);
    load.push(loadAverage());
    log('   the SDK answered in process');
    const handler = inProcessHandler(table);
    inProcess = await compare(Post, table, () => new DynamoDBClient({ endpoint: 'http://127.0.0.1:9', region: BENCH_REGION, credentials: BENCH_CREDENTIALS, requestHandler: handler }), sizes.slice, sizes.inProcessRounds, log);
    load.push(loadAverage());
  } finally {
    await admin.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
    admin.destroy();
  }
  const where = (runs: Record<Who, Run[]>) => {
    const med = (who: Who, k: keyof Run): number => median(runs[who].map((x) => x[k]));
    const totals = (a: Who, b: Who, k: keyof Run) => totalsRatio(runs[a].map((x) => x[k]), runs[b].map((x) => x[k]));
    const ratio = (a: Who, b: Who, k: keyof Run): string => fmtRatio(totals(a, b, k).all);
    const spread = (a: Who, b: Who): string => {
      const { blocks } = totals(a, b, 'cpu');
      return `${fmtRatio(Math.min(...blocks))}–${fmtRatio(Math.max(...blocks))}`;
    };
    const versusOff = (who: Who, k: keyof Run): string => (who === 'off' ? '1.00×' : who === 'on' || who === 'off2' ? `${ratio(who, 'off', k)}${k === 'cpu' ? ` (${spread(who, 'off')})` : ''}` : '');
    const rows = (place: string) => WHO.map((who) => [`${place}: ${LABEL[who]}`, `${med(who, 'cpu').toFixed(0)} µs`, ratio(who, 'raw', 'cpu'), versusOff(who, 'cpu'), `${med(who, 'wall').toFixed(0)} µs`, ratio(who, 'raw', 'wall'), versusOff(who, 'wall')]);
    const onOff = totals('on', 'off', 'cpu').all;
    const summary = `${fmtRatio(onOff)} (${spread('on', 'off')} over ${BLOCKS} blocks of rounds; ${(med('on', 'cpu') - med('off', 'cpu')).toFixed(0)} µs a request between the medians), where two instances of DynamORM doing the same differ by ${ratio('off2', 'off', 'cpu')} (${spread('off2', 'off')}) and asking for consumed capacity alone costs the raw SDK ${ratio('rawcc', 'raw', 'cpu')}`;
    return { onOff, rows, summary };
  };
  const e2e = where(local);
  const bare = where(inProcess);
  const verdict = `**The goal, under 5% more CPU per request with everything on than with nothing, end to end on DynamoDB Local, is ${e2e.onOff < 1.05 ? 'met' : 'not met'}: ${e2e.summary}.** Without the network, where the SDK's HTTP work no longer dilutes it, the same comparison gives ${bare.summary}: the most observing can add, since every real request also pays for its connection.`;
  const text = `Two gets then a query (5 items), over and over, ${CONCURRENCY} in flight, in slices of ${sizes.slice} requests, each round running every contender's slice in an order drawn anew (seeded), since a slice pays for the garbage of the one before it: ${sizes.rounds} rounds on DynamoDB Local, then ${sizes.inProcessRounds} with the SDK answered in process (a request handler returning DynamoDB Local's answers: the client's own CPU alone). Ratios are of the CPU (or wall time) each side used over all its slices, with, in brackets, the lowest and highest of the same ratio over ${BLOCKS} consecutive blocks of rounds; per request, the median slice. A garbage collection falls in whichever slice it happens to, so the sides share the cost of their garbage: the side making more pays part of it in the others' slices. CPU is this process's (user + system, process.cpuUsage); DynamoDB Local runs in its own JVM. "On": enableMetrics, analytics, a response listener and a pass-through middleware (requests then ask for ReturnConsumedCapacity: TOTAL for these reads of a table, INDEXES where an index shares the cost). Load average (1 min) during the section: ${load.map((l) => l.toFixed(1)).join(', ')}. ${verdict}`;
  return { text, head: ['', 'CPU / request', 'vs raw SDK', 'vs off', 'wall / request', 'vs raw SDK', 'vs off'], rows: [...e2e.rows('DynamoDB Local'), ...bare.rows('in process')] };
}
