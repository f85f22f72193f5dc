/**
 * One export or import in a fresh process (spawned by bench/transfer.ts), heap sampled around it:
 *   node --expose-gc --import tsx bench/transfer-child.ts <dynamorm|raw> <export|import> <endpoint> <table> <file>
 * Prints one JSON line: items, elapsed ms, base heap and peak heap.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { BatchWriteItemCommand, DynamoDBClient, ScanCommand, type AttributeValue, type WriteRequest } from '@aws-sdk/client-dynamodb';
// The built package, as users run it.
import { DynamORM } from '../packages/dynamorm/dist/index.js';
import { BENCH_CREDENTIALS, BENCH_REGION } from './lib/local.js';
import { SEGMENTS, WRITERS } from './transfer.js';

const [who, direction, endpoint, table, file] = process.argv.slice(2);
if ((who !== 'dynamorm' && who !== 'raw') || (direction !== 'export' && direction !== 'import') || !endpoint || !table || !file) {
  throw new Error('usage: transfer-child <dynamorm|raw> <export|import> <endpoint> <table> <file>');
}
const config = { endpoint, region: BENCH_REGION, credentials: BENCH_CREDENTIALS };

/** The raw SDK's export as a user writes it: a parallel scan, each item a line of JSON, the file stream's backpressure respected. */
async function rawExport(client: DynamoDBClient): Promise<number> {
  const out = createWriteStream(file!);
  let items = 0;
  const segment = async (index: number): Promise<void> => {
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await client.send(new ScanCommand({ TableName: table, Segment: index, TotalSegments: SEGMENTS, ConsistentRead: true, ExclusiveStartKey: start }));
      for (const item of page.Items ?? []) {
        items++;
        if (!out.write(`${JSON.stringify({ Item: item }, (_, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v))}\n`)) await once(out, 'drain');
      }
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
  };
  await Promise.all(Array.from({ length: SEGMENTS }, (_, i) => segment(i)));
  out.end();
  await once(out, 'finish');
  return items;
}

/** The raw SDK's import: lines parsed, chunks of 25 written by WRITERS workers, unprocessed items sent again. */
async function rawImport(client: DynamoDBClient): Promise<number> {
  let items = 0;
  let batch: WriteRequest[] = [];
  const inFlight = new Set<Promise<void>>();
  const send = async (chunk: WriteRequest[]): Promise<void> => {
    for (let pending = chunk; pending.length > 0;) {
      const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [table!]: pending } }));
      pending = out.UnprocessedItems?.[table!] ?? [];
    }
  };
  const flush = async (): Promise<void> => {
    const p = send(batch).finally(() => inFlight.delete(p));
    inFlight.add(p);
    batch = [];
    if (inFlight.size >= WRITERS) await Promise.race(inFlight);
  };
  for await (const line of createInterface({ input: createReadStream(file!), crlfDelay: Infinity })) {
    if (line === '') continue;
    batch.push({ PutRequest: { Item: (JSON.parse(line) as { Item: Record<string, AttributeValue> }).Item } });
    items++;
    if (batch.length === 25) await flush();
  }
  if (batch.length > 0) await flush();
  await Promise.all(inFlight);
  return items;
}

const run = async (): Promise<number> => {
  if (who === 'raw') {
    const client = new DynamoDBClient(config);
    try {
      return direction === 'export' ? await rawExport(client) : await rawImport(client);
    } finally {
      client.destroy();
    }
  }
  const orm = new DynamORM(config);
  try {
    return direction === 'export'
      ? (await orm.exportTable(table, file, { segments: SEGMENTS })).items
      : (await orm.importTable(table, file)).items;
  } finally {
    orm.client?.destroy();
  }
};

const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const base = process.memoryUsage().heapUsed;
let peak = base;
const timer = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().heapUsed);
}, 5);
const t0 = performance.now();
const items = await run();
const ms = performance.now() - t0;
clearInterval(timer);
peak = Math.max(peak, process.memoryUsage().heapUsed);
process.stdout.write(`${JSON.stringify({ items, ms, baseHeap: base, peakHeap: peak })}\n`);
process.exit(0);
