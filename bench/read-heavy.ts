/**
 * Read-heavy workloads: prepared query build against a hand-written request marshalled per call
 * (in process), and on DynamoDB Local cached gets against uncached ones and the raw SDK, the
 * cache's bound, compressed against plain item size, RCU and WCU, and a list page of items with
 * large bodies read eagerly, with the body lazy, and with the body in an item of its own. Each part
 * adds a titled table to RESULTS.md.
 */
import type { QueryCommandInput } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
// The built package, as users run it (like the DynamORM contender).
import { DynamORM, model, t } from '../packages/dynamorm/dist/index.js';
import { GetItemCommand, PutItemCommand, ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { performance } from 'node:perf_hooks';
import { makeClient } from './lib/setup.js';
import { userModel } from './contenders/dynamorm.js';
import { calibrate, gc, timeIterations, type Op } from './lib/measure.js';
import { fmtBytes, fmtRatio, median, pairedRatio } from './lib/stats.js';
import { GSI_EMAIL, MIN_AGE, QUERY_PREFIX } from './model.js';

export interface ReadHeavySizes {
  readonly rounds: number;
  readonly targetMs: number;
  /** Gets per round of the cached-get mix, and distinct keys (10% of gets are writes' misses). */
  readonly gets: number;
}
export const FULL_READ_HEAVY: ReadHeavySizes = { rounds: 5, targetMs: 200, gets: 300 };
export const QUICK_READ_HEAVY: ReadHeavySizes = { rounds: 2, targetMs: 25, gets: 100 };

/** One part of the section: a titled table, pre-formatted. */
export interface ReadHeavyPart {
  readonly title: string;
  readonly text: string;
  readonly head: string[];
  readonly rows: string[][];
}
export interface ReadHeavyResult {
  readonly parts: ReadHeavyPart[];
}

/** Ops/s of each op, rounds interleaved in rotated order, iterations calibrated per op. */
async function throughput(ops: Record<string, Op>, sizes: ReadHeavySizes): Promise<Record<string, number[]>> {
  const names = Object.keys(ops);
  const counts: Record<string, number> = {};
  const samples: Record<string, number[]> = {};
  for (const n of names) {
    // The first calibration warms the op up (JIT, lazy imports); the second counts.
    await calibrate(ops[n]!, false, sizes.targetMs);
    counts[n] = await calibrate(ops[n]!, false, sizes.targetMs);
    samples[n] = [];
  }
  for (let r = 0; r < sizes.rounds; r++) {
    for (let k = 0; k < names.length; k++) {
      const n = names[(k + r) % names.length]!;
      gc();
      const ms = await timeIterations(ops[n]!, counts[n]!, false);
      samples[n]!.push((counts[n]! / ms) * 1000);
    }
  }
  return samples;
}

const EMAILS = Array.from({ length: 256 }, (_, i) => `user${i}@example.com`);

/** The in-process query of bench/inprocess.ts (gsi-email, begins_with, filter age > n), built three ways. */
async function preparedBuild(sizes: ReadHeavySizes, log: (s: string) => void): Promise<ReadHeavyPart> {
  const table = 'bench_users';
  const User = userModel(table);
  const orm = new DynamORM({ region: 'us-east-1', autoMigrate: false });
  const users = orm.model(User);
  const built = (email: string) => users.index(GSI_EMAIL).where('email', '=', email).where('createdAt', 'begins_with', QUERY_PREFIX).filter('age', '>', MIN_AGE);
  const prepared = users.prepare((q, p: { email: string; prefix: string; min: number }) => q.index(GSI_EMAIL).where('email', '=', p.email).where('createdAt', 'begins_with', p.prefix).filter('age', '>', p.min));
  // What a careful user writes by hand: the expressions as constants, the values marshalled per call (and the TTL filter the model's reads carry).
  const handWritten = (email: string): QueryCommandInput => ({
    TableName: table,
    IndexName: GSI_EMAIL,
    KeyConditionExpression: '#email = :email AND begins_with(#createdAt, :prefix)',
    FilterExpression: '#age > :minAge AND (attribute_not_exists(#ttl) OR #ttl > :now)',
    ExpressionAttributeNames: { '#email': 'email', '#createdAt': 'createdAt', '#age': 'age', '#ttl': 'ttl' },
    ExpressionAttributeValues: marshall({ ':email': email, ':prefix': QUERY_PREFIX, ':minAge': MIN_AGE, ':now': Math.floor(Date.now() / 1000) }),
  });
  const mask = EMAILS.length - 1;
  // The same request, whichever way it is built.
  const a = prepared.explain({ email: EMAILS[1]!, prefix: QUERY_PREFIX, min: MIN_AGE }).request;
  const b = built(EMAILS[1]!).explain().request;
  if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`prepared and built requests differ:\n${JSON.stringify(a)}\n${JSON.stringify(b)}`);
  const samples = await throughput({
    'hand-written + marshall': (i) => handWritten(EMAILS[i & mask]!),
    'DynamORM builder': (i) => built(EMAILS[i & mask]!).explain().request,
    'DynamORM prepared': (i) => prepared.explain({ email: EMAILS[i & mask]!, prefix: QUERY_PREFIX, min: MIN_AGE }).request,
  }, sizes);
  const base = samples['hand-written + marshall']!;
  const rows = Object.entries(samples).map(([name, s]) => {
    const r = pairedRatio(s, base);
    return [name, `${Math.round(median(s)).toLocaleString('en-US')}/s`, fmtRatio(r.median), name === 'DynamORM prepared' ? (r.median >= 1 ? '✓ met' : '✗ missed') : ''];
  });
  log(`   prepared build: ${rows.map((r) => `${r[0]} ${r[1]} (${r[2]})`).join(', ')}`);
  return {
    title: 'Prepared query build',
    text: `Ops/s of building the Query request of the in-process section (index ${GSI_EMAIL}, \`email = …\`, \`begins_with(createdAt, …)\`, filter \`age > …\`, the TTL filter): with the builder per call, with \`orm.model(User).prepare(...)\` called with the values, and by hand with constant expressions and \`marshall()\` of the values per call. Median of ${sizes.rounds} interleaved rounds; ratio to the hand-written request taken round by round. Goal: prepared ≥ 1.0×.`,
    head: ['build', 'ops/s', 'ratio to hand-written', 'goal ≥ 1.0×'],
    rows,
  };
}

const KEYS = 50;

/**
 * Gets on DynamoDB Local, one at a time: the raw SDK's GetItem, DynamORM uncached, and DynamORM
 * with the read cache on a mix where one get in ten follows a write of its key (a miss).
 */
async function cachedGets(endpoint: string, sizes: ReadHeavySizes, log: (s: string) => void): Promise<ReadHeavyPart[]> {
  const client = makeClient(endpoint);
  const prefix = `bench_rh_${Date.now().toString(36)}_`;
  const Item = model('Item', { table: 'items', attributes: { id: t.string().pk(), body: t.string() } });
  const plain = new DynamORM({ client, tablePrefix: prefix });
  const cached = new DynamORM({ client, tablePrefix: prefix, cache: { ttlMs: 60_000, maxItems: KEYS } });
  try {
    await plain.createTables(Item);
    const body = 'x'.repeat(1000);
    await plain.model(Item).batchPut(Array.from({ length: KEYS }, (_, i) => ({ id: `k${i}`, body })));
    const table = plain.tableName(Item);
    const sides: Record<string, (i: number) => Promise<unknown>> = {
      'raw SDK GetItem': (i) => client.send(new GetItemCommand({ TableName: table, Key: { id: { S: `k${i % KEYS}` } } })),
      'DynamORM get, no cache': (i) => plain.model(Item).get({ id: `k${i % KEYS}` }),
      'DynamORM get, cache (90% hits)': async (i) => {
        // One get in ten follows a write of its key, so it misses.
        if (i % 10 === 0) await cached.model(Item).put({ id: `k${i % KEYS}`, body });
        return cached.model(Item).get({ id: `k${i % KEYS}` });
      },
    };
    const ms: Record<string, number[]> = {};
    const latency: Record<string, number[]> = {};
    for (let round = -1; round < sizes.rounds; round++) {
      for (const [name, run] of Object.entries(sides)) {
        const lat: number[] = [];
        const t0 = performance.now();
        for (let i = 0; i < sizes.gets; i++) {
          const s = performance.now();
          await run(i);
          lat.push(performance.now() - s);
        }
        if (round < 0) continue;
        (ms[name] ??= []).push(performance.now() - t0);
        (latency[name] ??= []).push(...lat);
      }
    }
    const base = ms['raw SDK GetItem']!;
    const rows = Object.keys(sides).map((name) => {
      const lat = [...latency[name]!].sort((a, b) => a - b);
      const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(lat.length * p))]!;
      return [name, `${Math.round(sizes.gets / (median(ms[name]!) / 1000)).toLocaleString('en-US')}/s`, `${q(0.5).toFixed(3)} ms`, `${q(0.99).toFixed(3)} ms`, fmtRatio(pairedRatio(base, ms[name]!).median)];
    });
    const stats = cached.cacheStats()!;
    log(`   cached gets: ${rows.map((r) => `${r[0]} ${r[1]}`).join(', ')}; cache ${JSON.stringify(stats)}`);

    // Memory: entries stay within maxItems however many keys are read.
    const bounded = new DynamORM({ client, tablePrefix: prefix, cache: { ttlMs: 60_000, maxItems: 10 } });
    for (let i = 0; i < KEYS; i++) await bounded.model(Item).get({ id: `k${i}` });
    const b = bounded.cacheStats()!;

    // Compressed against plain: stored size and the RCU of a get and of a page of 20.
    const Text = model('Text', { table: 'texts', attributes: { id: t.string().pk(), n: t.number(), body: t.string() } });
    const Packed = model('Packed', { table: 'packed', attributes: { id: t.string().pk(), n: t.number(), body: t.string().compress() } });
    await plain.createTables(Text, Packed);
    const doc = Array.from({ length: 1200 }, (_, i) => `line ${i % 80}: a read-heavy page body, mostly repeated markup and prose. `).join('');
    const sizeRows: string[][] = [];
    for (const m of [Text, Packed]) {
      await plain.model(m).batchPut(Array.from({ length: 20 }, (_, i) => ({ id: `d${i}`, n: i, body: doc })));
      const put = await client.send(new PutItemCommand({ TableName: plain.tableName(m), Item: m.marshal({ id: 'd0', n: 0, body: doc }), ReturnConsumedCapacity: 'TOTAL' }));
      const stored = (await client.send(new GetItemCommand({ TableName: plain.tableName(m), Key: { id: { S: 'd0' } }, ReturnConsumedCapacity: 'TOTAL' })));
      const bytes = Buffer.byteLength(JSON.stringify(stored.Item!.body!.S ?? '')) + (stored.Item!.body!.B?.length ?? 0);
      const scan = await client.send(new ScanCommand({ TableName: plain.tableName(m), ReturnConsumedCapacity: 'TOTAL' }));
      sizeRows.push([m === Text ? 'plain `t.string()`' : '`t.string().compress()` (gzip)', fmtBytes(bytes), String(put.ConsumedCapacity?.CapacityUnits ?? 'n/a'), String(stored.ConsumedCapacity?.CapacityUnits ?? 'n/a'), String(scan.ConsumedCapacity?.CapacityUnits ?? 'n/a')]);
    }
    log(`   compressed: ${sizeRows.map((r) => `${r[0]} ${r[1]} put ${r[2]} WCU, get ${r[3]} RCU, 20 items ${r[4]} RCU`).join('; ')}`);
    return [
      {
        title: 'Cached gets',
        text: `${sizes.gets} gets one after another per round on DynamoDB Local over ${KEYS} items of 1 KB: the raw SDK's GetItem, DynamORM's \`get()\` without cache, and with \`cache: { ttlMs: 60_000, maxItems: ${KEYS} }\` where one get in ten follows a put of its key (so misses); the put's time is included. Median of ${sizes.rounds} rounds; ratio is the raw SDK's time over the row's (above 1: faster). Cache counts of the run: ${stats.hits} hits, ${stats.misses} misses, ${stats.invalidations} invalidations. Memory: with maxItems 10, reading ${KEYS} keys left ${b.items} entries (${b.evictions} evicted).`,
        head: ['read', 'gets/s', 'p50 latency', 'p99 latency', 'speed vs raw SDK'],
        rows,
      },
      {
        title: 'Compressed attributes',
        text: `An item with a ${Math.round(doc.length / 1024)} KB text body, stored plain and with \`.compress()\`: the body's stored size, the WCU of a PutItem of one item, and the RCU DynamoDB Local reports for an eventually consistent GetItem of one item and a Scan of 20 such items (ReturnConsumedCapacity TOTAL).`,
        head: ['body', 'stored body', 'PutItem WCU', 'GetItem RCU', 'Scan of 20 RCU'],
        rows: sizeRows,
      },
    ];
  } finally {
    client.destroy();
  }
}

/** What the requests of a client consumed and received: RCU (ReturnConsumedCapacity TOTAL) and response bytes. */
function meter(client: DynamoDBClient): { take: () => { rcu: number; bytes: number; requests: number } } {
  let rcu = 0;
  let bytes = 0;
  let requests = 0;
  client.middlewareStack.add((next) => async (args) => {
    const input = args.input as Record<string, unknown>;
    const out = await next({ ...args, input: { ...input, ReturnConsumedCapacity: 'TOTAL' } });
    const used = (out.output as { ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[] }).ConsumedCapacity;
    for (const c of Array.isArray(used) ? used : used === undefined ? [] : [used]) rcu += c.CapacityUnits ?? 0;
    requests++;
    return out;
  }, { step: 'initialize', name: 'benchCapacity' });
  client.middlewareStack.add((next) => async (args) => {
    const out = await next(args);
    bytes += Number((out.response as { headers?: Record<string, string> }).headers?.['content-length'] ?? 0);
    return out;
  }, { step: 'deserialize', name: 'benchBytes' });
  return { take: () => { const r = { rcu, bytes, requests }; rcu = 0; bytes = 0; requests = 0; return r; } };
}

const PAGE = 25;

/**
 * A list page of 25 posts with a 50 KB body each, on DynamoDB Local: the body read eagerly, lazy
 * (a projection without it), lazy with a query on an index whose projection leaves it out, and
 * kept in an item of its own (the list reads small items; a body is read by key when opened).
 */
async function lazyPage(endpoint: string, log: (s: string) => void): Promise<ReadHeavyPart> {
  const client = makeClient(endpoint);
  const { take } = meter(client);
  const prefix = `bench_lz_${Date.now().toString(36)}_`;
  const orm = new DynamORM({ client, tablePrefix: prefix, warnings: false });
  // Varied text (a body that compresses badly), so that sizes are those of 50 KB stored.
  const body = (i: number) => Array.from({ length: 50 * 1024 / 64 }, (_, k) => ((i * 7919 + k * 104729) % 1e12).toString(36).padEnd(64, 'abcdefghij')).join('');
  const attrs = { blog: t.string().pk(), id: t.string().sk(), title: t.string(), author: t.string().index('by-author') };
  const Eager = model('EagerPost', { table: 'eager', attributes: { ...attrs, body: t.string() } });
  const Lazy = model('LazyPost', { table: 'lazy', attributes: { ...attrs, body: t.string().lazy() }, indexes: { 'by-author': { projection: ['title'] } } });
  const Head = model('PostHead', { table: 'heads', attributes: attrs });
  const Body = model('PostBody', { table: 'bodies', attributes: { id: t.string().pk(), body: t.string() } });
  try {
    await orm.createTables(Eager, Lazy, Head, Body);
    const posts = Array.from({ length: PAGE }, (_, i) => ({ blog: 'b1', id: `p${String(i).padStart(2, '0')}`, title: `Post ${i}`, author: 'ann', body: body(i) }));
    await orm.model(Eager).batchPut(posts);
    await orm.model(Lazy).batchPut(posts);
    await orm.model(Head).batchPut(posts.map(({ body: _b, ...head }) => head));
    await orm.model(Body).batchPut(posts.map(({ id, body: b }) => ({ id, body: b })));
    take();
    const rows: string[][] = [];
    const row = async (name: string, read: () => Promise<unknown[]>, open?: () => Promise<unknown>) => {
      const items = await read();
      if (items.length !== PAGE) throw new Error(`${name}: ${items.length} items, expected ${PAGE}`);
      const page = take();
      let opened = '—';
      if (open !== undefined) {
        await open();
        opened = String(take().rcu);
      }
      rows.push([name, String(page.requests), String(page.rcu), fmtBytes(page.bytes), opened]);
    };
    await row('eager: body in the item', () => orm.model(Eager).where('blog', '=', 'b1').limit(PAGE).all());
    let lazyItems: Awaited<ReturnType<typeof lazyRead>> = [];
    const lazyRead = () => orm.model(Lazy).where('blog', '=', 'b1').limit(PAGE).all();
    await row('lazy: `.lazy()` body, same item', async () => (lazyItems = await lazyRead()), () => orm.model(Lazy).load(lazyItems[0]!, 'body'));
    await row('lazy, on an index projecting all but the body', () => orm.model(Lazy).where('author', '=', 'ann').limit(PAGE).all());
    await row('body in an item of its own', () => orm.model(Head).where('blog', '=', 'b1').limit(PAGE).all(), () => orm.model(Body).get({ id: 'p00' }));
    log(`   lazy page: ${rows.map((r) => `${r[0]}: ${r[2]} RCU, ${r[3]}`).join('; ')}`);
    return {
      title: 'Lazy attributes: a list page',
      text: `A page of ${PAGE} posts (blog, id, title, author) with a 50 KB body each, read with \`where('blog', '=', …).limit(${PAGE}).all()\` on DynamoDB Local: eagerly; with the body \`.lazy()\` (a ProjectionExpression without it); with the body lazy, on a GSI whose projection is INCLUDE title; and with the body kept in an item of its own (table of heads, table of bodies). RCU as DynamoDB Local reports it (ReturnConsumedCapacity TOTAL, eventually consistent), bytes the HTTP responses' content-length. "open one post": reading one body afterwards (\`load(post, 'body')\` or a get of the body item). Requests: DynamoDB stops a page at 1 MB of items read, before projecting, so the eager and lazy pages take two; DynamoDB Local also ends the index's first page after 21 items (it counts the table's item sizes there), which is why that row shows two.`,
      head: ['design', 'requests', 'page RCU', 'page bytes', 'open one post RCU'],
      rows,
    };
  } finally {
    await orm.dropTables().catch(() => undefined);
    client.destroy();
  }
}

export async function runReadHeavy(endpoint: string | undefined, sizes: ReadHeavySizes, log: (s: string) => void): Promise<ReadHeavyResult> {
  const parts: ReadHeavyPart[] = [];
  parts.push(await preparedBuild(sizes, log));
  if (endpoint !== undefined) {
    parts.push(...(await cachedGets(endpoint, sizes, log)));
    parts.push(await lazyPage(endpoint, log));
  }
  return { parts };
}
