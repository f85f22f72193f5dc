/**
 * Retries under faults: the fault proxy of the tests (packages/dynamorm/test/support) in front of
 * DynamoDB Local throttles 15% of BatchWriteItem requests and sends 30% of each batch back
 * unprocessed, with one seed. DynamORM's batchPut (its retry policy, maxRetries 10) drains it
 * against the raw SDK's BatchWriteItem loop with hand-written exponential backoff (full jitter,
 * the same base and cap, the same concurrency). Each decision of the proxy depends on the seed
 * and the item, so both meet the same faults. Reported: total time, requests, WCU.
 */
import { BatchWriteItemCommand, CreateTableCommand, DeleteTableCommand, DynamoDBClient, ScanCommand, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { performance } from 'node:perf_hooks';
// The built package, as users run it (like the DynamORM contender).
import { DynamORM, model, t } from '../packages/dynamorm/dist/index.js';
import { startFaultProxy, type FaultProxy } from '../packages/dynamorm/test/support/fault-proxy.js';
import { BENCH_CREDENTIALS, BENCH_REGION } from './lib/local.js';
import { makeClient } from './lib/setup.js';
import { fmtMs, fmtRatio, median } from './lib/stats.js';
import type { Check } from './verify.js';

export interface RetrySizes {
  readonly items: number;
  readonly rounds: number;
}
export const FULL_RETRY: RetrySizes = { items: 2000, rounds: 3 };
export const QUICK_RETRY: RetrySizes = { items: 100, rounds: 1 };

export interface RetryResult {
  readonly text: string;
  readonly head: string[];
  readonly rows: string[][];
}

const SEED = 17;
const FAULTS = { throttle: 0.15, unprocessed: 0.3, only: ['BatchWriteItem'] } as const;
const BASE_DELAY_MS = 25;
const MAX_DELAY_MS = 3000;
const CONCURRENCY = 4;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Run {
  readonly ms: number;
  readonly requests: number;
  readonly wcu: number;
}

/** What one drain cost, read from the proxy's counters around it. */
async function measured(proxy: FaultProxy, drain: () => Promise<void>): Promise<Run> {
  const requests = proxy.stats.requests['BatchWriteItem'] ?? 0;
  const wcu = proxy.stats.wcu;
  proxy.set(FAULTS, SEED);
  const started = performance.now();
  await drain();
  const ms = performance.now() - started;
  proxy.set({});
  return { ms, requests: (proxy.stats.requests['BatchWriteItem'] ?? 0) - requests, wcu: proxy.stats.wcu - wcu };
}

/**
 * The raw SDK as a careful user writes it: chunks of 25, CONCURRENCY in flight, the SDK's own
 * retries for throttled requests (maxAttempts 11, as maxRetries 10), and UnprocessedItems sent
 * again after an exponential backoff with full jitter, until none is left.
 */
async function rawDrain(endpoint: string, table: string, items: readonly Record<string, { S: string } | { N: string }>[]): Promise<void> {
  const raw = new DynamoDBClient({ endpoint, region: BENCH_REGION, credentials: BENCH_CREDENTIALS, maxAttempts: 11 });
  try {
    const chunks: WriteRequest[][] = [];
    for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })));
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < chunks.length) {
        let pending = chunks[next++]!;
        for (let attempt = 0; pending.length > 0; attempt++) {
          if (attempt > 0) await sleep(Math.random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt));
          const out = await raw.send(new BatchWriteItemCommand({ RequestItems: { [table]: pending } }));
          pending = out.UnprocessedItems?.[table] ?? [];
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  } finally {
    raw.destroy();
  }
}

export async function runRetry(endpoint: string, sizes: RetrySizes, log: (s: string) => void): Promise<{ result: RetryResult; checks: Check[] }> {
  const admin = makeClient(endpoint);
  const proxy = await startFaultProxy(endpoint);
  const tables = { dynamorm: `bench_retry_orm_${process.pid}`, raw: `bench_retry_raw_${process.pid}` };
  const Event = model('Event', { table: tables.dynamorm, attributes: { id: t.string().pk(), n: t.number() } });
  const inputs = Array.from({ length: sizes.items }, (_, i) => ({ id: `e${i}`, n: i }));
  const stored = inputs.map((e) => ({ id: { S: e.id }, n: { N: String(e.n) } }));
  const runs: Record<'dynamorm' | 'raw', Run[]> = { dynamorm: [], raw: [] };
  const checks: Check[] = [];
  const create = async (table: string): Promise<void> => {
    await admin.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
    await admin.send(new CreateTableCommand({ TableName: table, BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] }));
  };
  const count = async (table: string): Promise<number> => {
    let n = 0;
    let start: Record<string, never> | undefined;
    do {
      const out = await admin.send(new ScanCommand({ TableName: table, Select: 'COUNT', ExclusiveStartKey: start }));
      n += out.Count ?? 0;
      start = out.LastEvaluatedKey as typeof start;
    } while (start !== undefined);
    return n;
  };
  try {
    for (let r = 0; r < sizes.rounds; r++) {
      // Alternate which goes first, so neither always meets a warmer DynamoDB Local.
      for (const who of r % 2 === 0 ? (['dynamorm', 'raw'] as const) : (['raw', 'dynamorm'] as const)) {
        await create(tables[who]);
        const run = who === 'dynamorm'
          ? await measured(proxy, async () => {
            const orm = new DynamORM({ endpoint: proxy.endpoint, region: BENCH_REGION, credentials: BENCH_CREDENTIALS, maxRetries: 10, retry: { baseDelayMs: BASE_DELAY_MS, maxDelayMs: MAX_DELAY_MS } });
            await orm.model(Event).batchPut(inputs, { concurrency: CONCURRENCY });
            orm.client?.destroy();
          })
          : await measured(proxy, () => rawDrain(proxy.endpoint, tables.raw, stored));
        runs[who].push(run);
        const written = await count(tables[who]);
        checks.push({ contender: who === 'dynamorm' ? 'DynamORM' : 'raw SDK', check: `retries under faults: all ${sizes.items} items written`, ok: written === sizes.items, details: written === sizes.items ? [] : [`${written} of ${sizes.items} stored`] });
        log(`   ${who}: ${fmtMs(run.ms)}, ${run.requests} requests, ${run.wcu} WCU`);
      }
    }
  } finally {
    await proxy.close();
    for (const table of Object.values(tables)) await admin.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
    admin.destroy();
  }
  const med = (who: 'dynamorm' | 'raw', k: keyof Run): number => median(runs[who].map((x) => x[k]));
  const rows = (['dynamorm', 'raw'] as const).map((who) => [
    who === 'dynamorm' ? 'DynamORM batchPut (retry policy)' : 'raw SDK BatchWriteItem + hand-written backoff',
    fmtMs(med(who, 'ms')),
    fmtRatio(med(who, 'ms') / med('raw', 'ms')),
    med(who, 'requests').toFixed(0),
    med(who, 'wcu').toFixed(0),
  ]);
  const text = `${sizes.items} items, ${sizes.rounds} round(s), median. The fault proxy throttles ${FAULTS.throttle * 100}% of BatchWriteItem requests and sends ${FAULTS.unprocessed * 100}% of each batch back unprocessed (seed ${SEED}); both sides retry with full-jitter backoff from ${BASE_DELAY_MS} ms to ${MAX_DELAY_MS} ms, ${CONCURRENCY} requests in flight; the raw SDK client retries throttles itself (maxAttempts 11). WCU as DynamoDB Local reports it for the forwarded requests.`;
  return { result: { text, head: ['', 'total time', 'vs raw SDK', 'requests', 'WCU'], rows }, checks };
}
