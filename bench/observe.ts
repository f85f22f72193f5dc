/**
 * The cost of watching: the same workload of gets and queries on DynamoDB Local through the raw
 * SDK (also asking for ReturnConsumedCapacity, what observing makes every request do), DynamORM
 * with nothing observing, and DynamORM with metrics, analytics, a response listener and a
 * pass-through middleware all on. Reported per request: CPU time of this process
 * (process.cpuUsage, user + system: DynamoDB Local's JVM is another process) and wall time, as
 * ratios of runs taken in the same interleaved round.
 */
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient, GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { performance } from 'node:perf_hooks';
// The built package, as users run it (like the DynamORM contender).
import { DynamORM, model, t } from '../packages/dynamorm/dist/index.js';
import { BENCH_CREDENTIALS, BENCH_REGION } from './lib/local.js';
import { loadAverage } from './lib/machine.js';
import { gc } from './lib/measure.js';
import { makeClient } from './lib/setup.js';
import { fmtRatio, median, pairedRatio } from './lib/stats.js';

export interface ObserveSizes {
  readonly gets: number;
  readonly queries: number;
  readonly rounds: number;
}
export const FULL_OBSERVE: ObserveSizes = { gets: 2000, queries: 1000, rounds: 5 };
export const QUICK_OBSERVE: ObserveSizes = { gets: 100, queries: 50, rounds: 1 };

export interface ObserveResult {
  readonly text: string;
  readonly head: string[];
  readonly rows: string[][];
}

const CONCURRENCY = 8;
const USERS = 50;
const PER_USER = 10;
type Who = 'raw' | 'rawcc' | 'off' | 'on';
const WHO: readonly Who[] = ['raw', 'rawcc', 'off', 'on'];

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

export async function runObserve(endpoint: string, sizes: ObserveSizes, log: (s: string) => void): Promise<ObserveResult> {
  const table = `bench_observe_${process.pid}`;
  const admin = makeClient(endpoint);
  const Post = model('Post', { table, attributes: { author: t.string().pk(), n: t.number().sk(), title: t.string(), body: t.string() } });
  const load = [loadAverage()];
  await admin.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
  await admin.send(new CreateTableCommand({ TableName: table, BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'author', AttributeType: 'S' }, { AttributeName: 'n', AttributeType: 'N' }], KeySchema: [{ AttributeName: 'author', KeyType: 'HASH' }, { AttributeName: 'n', KeyType: 'RANGE' }] }));
  const options = { endpoint, region: BENCH_REGION, credentials: BENCH_CREDENTIALS, batchGets: false, warnings: false } as const;
  const off = new DynamORM(options);
  const on = new DynamORM({ ...options, enableMetrics: true, analytics: true });
  on.on('response', () => {});
  on.use((request, next) => next(request));
  const raw = new DynamoDBClient({ endpoint, region: BENCH_REGION, credentials: BENCH_CREDENTIALS });
  const runs: Record<Who, Run[]> = { raw: [], rawcc: [], off: [], on: [] };
  try {
    await off.model(Post).batchPut(Array.from({ length: USERS * PER_USER }, (_, i) => ({ author: `a${i % USERS}`, n: i, title: `post ${i}`, body: 'x'.repeat(200) })));
    const author = (i: number): string => `a${i % USERS}`;
    const rawCall = (capacity: { ReturnConsumedCapacity?: 'INDEXES' }) => (i: number): Promise<unknown> => (i < sizes.gets
      ? raw.send(new GetItemCommand({ TableName: table, Key: { author: { S: author(i) }, n: { N: String(i % (USERS * PER_USER)) } }, ...capacity }))
      : raw.send(new QueryCommand({ TableName: table, KeyConditionExpression: '#a = :a AND #n > :n', ExpressionAttributeNames: { '#a': 'author', '#n': 'n' }, ExpressionAttributeValues: { ':a': { S: author(i) }, ':n': { N: '100' } }, Limit: 5, ...capacity })));
    const workload: Record<Who, (i: number) => Promise<unknown>> = {
      raw: rawCall({}),
      // What observing asks of every request, on the raw SDK: DynamoDB's and the SDK's part of the cost.
      rawcc: rawCall({ ReturnConsumedCapacity: 'INDEXES' }),
      off: (i) => (i < sizes.gets ? off.model(Post).get({ author: author(i), n: i % (USERS * PER_USER) }) : off.model(Post).where('author', '=', author(i)).where('n', '>', 100).limit(5).all()),
      on: (i) => (i < sizes.gets ? on.model(Post).get({ author: author(i), n: i % (USERS * PER_USER) }) : on.model(Post).where('author', '=', author(i)).where('n', '>', 100).limit(5).all()),
    };
    const requests = sizes.gets + sizes.queries;
    // Warm up every path (JIT, connections) before measuring: with 100 requests, the first round
    // still paid for it (its first contender's CPU per request up to 1.8 times the others').
    for (const who of WHO) await measure(Math.min(requests, 600), workload[who]);
    for (let r = 0; r < sizes.rounds; r++) {
      // Rotate the order, so no side always runs first in a round.
      const order: Who[] = WHO.map((_, k, all) => all[(k + r) % all.length]!);
      for (const who of order) {
        // Each run starts with an empty young generation: none pays for the garbage of the one before.
        gc();
        const run = await measure(requests, workload[who]);
        runs[who].push(run);
        log(`   ${who}: ${run.cpu.toFixed(0)} µs CPU, ${run.wall.toFixed(0)} µs wall per request`);
      }
      load.push(loadAverage());
    }
    const report = on.analytics().report();
    if (report.patterns.length !== 2) throw new Error(`observe: analytics saw ${report.patterns.length} patterns, expected the get and the query`);
  } finally {
    raw.destroy();
    off.client?.destroy();
    on.client?.destroy();
    await admin.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
    admin.destroy();
  }
  const med = (who: Who, k: keyof Run): number => median(runs[who].map((x) => x[k]));
  const paired = (a: Who, b: Who, k: keyof Run) => pairedRatio(runs[a].map((x) => x[k]), runs[b].map((x) => x[k]));
  const ratio = (a: Who, b: Who, k: keyof Run): string => fmtRatio(paired(a, b, k).median);
  const perRound = (a: Who, b: Who): string => runs[a].map((x, i) => fmtRatio(x.cpu / runs[b][i]!.cpu)).join(', ');
  const label: Record<Who, string> = { raw: 'raw SDK (GetItem, Query)', rawcc: 'raw SDK asking for ReturnConsumedCapacity', off: 'DynamORM, nothing observing', on: 'DynamORM, metrics + analytics + listener + middleware' };
  const rows = WHO.map((who) => [
    label[who],
    `${med(who, 'cpu').toFixed(0)} µs`,
    ratio(who, 'raw', 'cpu'),
    who === 'on' ? ratio('on', 'off', 'cpu') : who === 'off' ? '1.00×' : '',
    `${med(who, 'wall').toFixed(0)} µs`,
    ratio(who, 'raw', 'wall'),
    who === 'on' ? ratio('on', 'off', 'wall') : who === 'off' ? '1.00×' : '',
  ]);
  const onOff = paired('on', 'off', 'cpu').median;
  const verdict = `**The goal, under 5% more CPU per request with everything on, is ${onOff < 1.05 ? 'met' : 'not met'}: ${fmtRatio(onOff)}** (${(med('on', 'cpu') - med('off', 'cpu')).toFixed(0)} µs a request between the medians); asking for consumed capacity alone costs the raw SDK ${ratio('rawcc', 'raw', 'cpu')} (a longer response to parse, a slower answer).`;
  const text = `${sizes.gets} gets and ${sizes.queries} queries (5 items each) per run, ${CONCURRENCY} in flight, ${sizes.rounds} round(s) in rotating order, median of per-round ratios. CPU is this process's (user + system, process.cpuUsage) per request; DynamoDB Local runs in its own JVM. "On": enableMetrics, analytics, a response listener and a pass-through middleware (requests then ask for ReturnConsumedCapacity). Load average (1 min) during the section: ${load.map((l) => l.toFixed(1)).join(', ')} (a shared machine: the ratios of one run are what count). Per round, CPU on against off: ${perRound('on', 'off')}; the raw SDK with consumed capacity against without: ${perRound('rawcc', 'raw')}. ${verdict}`;
  return { text, head: ['', 'CPU / request', 'vs raw SDK', 'vs off', 'wall / request', 'vs raw SDK', 'vs off'], rows };
}
