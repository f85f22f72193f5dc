// A fault-injecting HTTP proxy on 127.0.0.1 in front of DynamoDB Local: what AWS does under load
// and DynamoDB Local never does (throttles, 5xx, dropped connections, slow answers, partial
// batches). Every decision comes from one seeded generator, so a run can be replayed. It speaks
// DynamoDB's JSON protocol (x-amz-target); DynamoDB Local does not check request signatures, so
// a rewritten batch body is forwarded as is. Decisions hash the seed with what is decided on (the
// request body, a batch item) and how many times it was seen, not the arrival order: concurrent
// requests replay the same faults whatever their interleaving. Used by tests and bench.
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the proxy does to requests: each share is a probability in [0, 1], drawn per request. */
export interface FaultRules {
  /** Answer 400 ProvisionedThroughputExceededException (or ThrottlingException, every other time) without forwarding. */
  readonly throttle?: number;
  /** Answer 500 InternalServerError / 503 ServiceUnavailable without forwarding. */
  readonly serverError?: number;
  /** Drop the connection before forwarding: DynamoDB never sees the request. */
  readonly resetBefore?: number;
  /** Forward, then drop the connection instead of answering: applied, but the answer is lost. */
  readonly resetAfter?: number;
  /** Hold the answer back `slowMs` milliseconds. */
  readonly slow?: number;
  readonly slowMs?: number;
  /** Share of each BatchWriteItem / BatchGetItem sent back unprocessed (never forwarded). */
  readonly unprocessed?: number;
  /** Faults only on the first time a request is seen (its retries, the same body, get through). */
  readonly firstOnly?: boolean;
  /** Which operations (`BatchWriteItem`, `PutItem`...) the faults touch (default: all). */
  readonly only?: readonly string[];
  /**
   * Operations the proxy answers itself, as DynamoDB on AWS would, never forwarded: the requests
   * DynamoDB Local lacks (backups, point-in-time recovery). Each received request is kept in `stats.answered`.
   */
  readonly answer?: Readonly<Record<string, (request: Json) => Json | Promise<Json>>>;
}

export interface FaultStats {
  /** Requests received, per operation. */
  readonly requests: Record<string, number>;
  /** Requests that reached DynamoDB, per operation. */
  readonly forwarded: Record<string, number>;
  throttles: number;
  serverErrors: number;
  resets: number;
  slow: number;
  /** Slow answers whose client went away (aborted the request) while the answer was held back. */
  abandoned: number;
  /** Batch items (writes or keys) sent back unprocessed. */
  unprocessed: number;
  /** Write capacity DynamoDB reported for the forwarded requests (asked for with ReturnConsumedCapacity). */
  wcu: number;
  /** The requests the proxy answered itself (`answer`), in order, as sent. */
  readonly answered: { readonly operation: string; readonly request: Json }[];
  /** Times each written item (`table/key JSON`) reached DynamoDB in a BatchWriteItem. */
  readonly writes: Map<string, number>;
}

export interface FaultProxy {
  /** `http://127.0.0.1:PORT`: give it to the ORM or SDK client as endpoint. */
  readonly endpoint: string;
  readonly stats: FaultStats;
  /** Replaces the rules (and restarts the generator from `seed` when given). */
  set(rules: FaultRules, seed?: number): void;
  close(): Promise<void>;
}

/** A draw in [0, 1) from the seed, a label and its occurrence (FNV-1a, then a final mix). */
export function draw(seed: number, label: string, occurrence: number): number {
  let h = 0x811c9dc5 ^ seed;
  const text = `${label}#${occurrence}`;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return (h >>> 0) / 2 ** 32;
}

/** Draws per label, counting how many times each label was drawn. */
function drawer(seed: number): (label: string) => number {
  const seen = new Map<string, number>();
  return (label) => {
    const n = (seen.get(label) ?? 0) + 1;
    seen.set(label, n);
    return draw(seed, label, n);
  };
}

const JSON_TYPE = 'application/x-amz-json-1.0';
export type Json = Record<string, unknown>;
interface WriteRequest { PutRequest?: { Item: Json }; DeleteRequest?: { Key: Json } }

function newStats(): FaultStats {
  return { requests: {}, forwarded: {}, throttles: 0, serverErrors: 0, resets: 0, slow: 0, abandoned: 0, unprocessed: 0, wcu: 0, writes: new Map(), answered: [] };
}

const bump = (counts: Record<string, number>, key: string): void => {
  counts[key] = (counts[key] ?? 0) + 1;
};

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function answer(res: ServerResponse, status: number, payload: Json): void {
  const text = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(text), 'x-amzn-requestid': 'fault-proxy' });
  res.end(text);
}

/** Starts the proxy in front of `target` (DynamoDB Local's endpoint). */
export async function startFaultProxy(target: string, rules: FaultRules = {}, seed = 1): Promise<FaultProxy> {
  const upstream = new URL(target);
  let current = rules;
  let random = drawer(seed);
  const stats = newStats();
  const sockets = new Set<Socket>();
  const bodies = new Map<string, number>();

  const forward = (req: IncomingMessage, payload: Buffer): Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const headers = { ...req.headers, host: upstream.host, 'content-length': String(payload.length) };
      const out = httpRequest({ hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers }, (res) => {
        body(res).then((b) => resolve({ status: res.statusCode ?? 500, headers: res.headers, body: b }), reject);
      });
      out.on('error', reject);
      out.end(payload);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const raw = await body(req);
    const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? 'unknown';
    bump(stats.requests, operation);
    const answerer = current.answer?.[operation];
    if (answerer !== undefined) {
      const request = (raw.length === 0 ? {} : JSON.parse(raw.toString('utf8'))) as Json;
      stats.answered.push({ operation, request });
      return answer(res, 200, await answerer(request));
    }
    const label = `${operation} ${contentOf(raw)}`;
    const seen = (bodies.get(label) ?? 0) + 1;
    bodies.set(label, seen);
    const rules = (current.only === undefined || current.only.includes(operation)) && (current.firstOnly !== true || seen === 1) ? current : {};
    const draws = { throttle: random(`throttle ${label}`), serverError: random(`5xx ${label}`), resetBefore: random(`reset ${label}`), resetAfter: random(`lost ${label}`), slow: random(`slow ${label}`) };
    if (draws.throttle < (rules.throttle ?? 0)) {
      stats.throttles++;
      const type = stats.throttles % 2 === 1 ? 'ProvisionedThroughputExceededException' : 'ThrottlingException';
      return answer(res, 400, { __type: `com.amazonaws.dynamodb.v20120810#${type}`, message: 'The level of configured provisioned throughput for the table was exceeded (fault proxy)' });
    }
    if (draws.serverError < (rules.serverError ?? 0)) {
      stats.serverErrors++;
      return stats.serverErrors % 2 === 1
        ? answer(res, 500, { __type: 'com.amazon.coral.service#InternalServerError', message: 'Internal server error (fault proxy)' })
        : answer(res, 503, { __type: 'com.amazon.coral.service#ServiceUnavailableException', message: 'Service unavailable (fault proxy)' });
    }
    if (draws.resetBefore < (rules.resetBefore ?? 0)) {
      stats.resets++;
      req.socket.destroy();
      return;
    }
    let payload = raw;
    let held: { table: string; writes?: WriteRequest[]; keys?: Json[]; rest?: Json }[] = [];
    let request: Json | undefined;
    if ((operation === 'BatchWriteItem' || operation === 'BatchGetItem' || operation.startsWith('Transact') || operation.endsWith('Item')) && raw.length > 0) {
      request = JSON.parse(raw.toString('utf8')) as Json;
      if ((rules.unprocessed ?? 0) > 0 && (operation === 'BatchWriteItem' || operation === 'BatchGetItem')) {
        ({ request, held } = holdBack(operation, request, rules.unprocessed!, random));
        stats.unprocessed += held.reduce((n, h) => n + (h.writes?.length ?? h.keys?.length ?? 0), 0);
      }
      request = { ...request, ReturnConsumedCapacity: 'TOTAL' };
      payload = Buffer.from(JSON.stringify(request));
    }
    let reply: { status: number; headers: IncomingMessage['headers']; body: Buffer };
    const items = request === undefined ? {} : ((request['RequestItems'] ?? {}) as Json);
    const nothingLeft = operation.startsWith('Batch') && Object.keys(items).length === 0;
    if (nothingLeft) {
      reply = { status: 200, headers: { 'content-type': JSON_TYPE }, body: Buffer.from(operation === 'BatchWriteItem' ? '{"UnprocessedItems":{}}' : '{"Responses":{},"UnprocessedKeys":{}}') };
    } else {
      bump(stats.forwarded, operation);
      if (operation === 'BatchWriteItem') {
        for (const [table, writes] of Object.entries(items as Record<string, WriteRequest[]>)) {
          for (const w of writes) {
            const id = `${table}/${JSON.stringify(w.PutRequest?.Item ?? w.DeleteRequest?.Key)}`;
            stats.writes.set(id, (stats.writes.get(id) ?? 0) + 1);
          }
        }
      }
      reply = await forward(req, payload);
    }
    let out = reply.body;
    if (reply.status === 200 && request !== undefined) {
      const parsed = JSON.parse(out.toString('utf8')) as Json;
      const consumed = parsed['ConsumedCapacity'];
      for (const c of Array.isArray(consumed) ? consumed : consumed === undefined ? [] : [consumed]) {
        if (!operation.startsWith('Get') && operation !== 'Query' && operation !== 'Scan' && operation !== 'BatchGetItem' && operation !== 'TransactGetItems') stats.wcu += (c as { CapacityUnits?: number }).CapacityUnits ?? 0;
      }
      if (held.length > 0) mergeHeld(operation, parsed, held);
      out = Buffer.from(JSON.stringify(parsed));
    }
    if (draws.resetAfter < (rules.resetAfter ?? 0)) {
      stats.resets++;
      req.socket.destroy();
      return;
    }
    if (draws.slow < (rules.slow ?? 0)) {
      stats.slow++;
      // A client that aborts its request closes the connection: counted at once, nothing answered.
      let timer: NodeJS.Timeout | undefined;
      let onClose: (() => void) | undefined;
      const closed = new Promise<boolean>((resolve) => req.socket.once('close', (onClose = () => resolve(true))));
      const gone = await Promise.race([closed, new Promise<boolean>((resolve) => (timer = setTimeout(resolve, rules.slowMs ?? 1000, false)))]);
      clearTimeout(timer);
      req.socket.off('close', onClose!);
      if (gone || req.socket.destroyed) {
        stats.abandoned++;
        return;
      }
    }
    res.writeHead(reply.status, { 'content-type': String(reply.headers['content-type'] ?? JSON_TYPE), 'content-length': out.length, 'x-amzn-requestid': String(reply.headers['x-amzn-requestid'] ?? 'fault-proxy') });
    res.end(out);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => req.socket.destroy());
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stats,
    set(rules, newSeed) {
      current = rules;
      if (newSeed !== undefined) random = drawer(newSeed);
    },
    close: () => new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

/** A request's content without table names (unique per test run), so labels replay across runs. */
function contentOf(raw: Buffer): string {
  if (raw.length === 0) return '';
  const parsed = JSON.parse(raw.toString('utf8')) as unknown;
  return JSON.stringify(parsed, (key, value: unknown) => {
    if (key === 'TableName') return undefined;
    if (key === 'RequestItems' || key === 'Responses') return Object.values(value as Json);
    return value;
  });
}

/** Takes a share of a batch's writes or keys out of the request, to send back as unprocessed. */
function holdBack(operation: string, request: Json, share: number, random: (label: string) => number): { request: Json; held: { table: string; writes?: WriteRequest[]; keys?: Json[]; rest?: Json }[] } {
  const items = request['RequestItems'] as Record<string, unknown>;
  const kept: Record<string, unknown> = {};
  const held: { table: string; writes?: WriteRequest[]; keys?: Json[]; rest?: Json }[] = [];
  for (const [table, value] of Object.entries(items)) {
    if (operation === 'BatchWriteItem') {
      const writes = value as WriteRequest[];
      const out = writes.filter((w) => random(`held ${JSON.stringify(w)}`) < share);
      const pass = writes.filter((w) => !out.includes(w));
      if (out.length > 0) held.push({ table, writes: out });
      if (pass.length > 0) kept[table] = pass;
    } else {
      const { Keys, ...rest } = value as { Keys: Json[] };
      const out = Keys.filter((k) => random(`held ${JSON.stringify(k)}`) < share);
      const pass = Keys.filter((k) => !out.includes(k));
      if (out.length > 0) held.push({ table, keys: out, rest });
      if (pass.length > 0) kept[table] = { ...rest, Keys: pass };
    }
  }
  return { request: { ...request, RequestItems: kept }, held };
}

/** Adds what the proxy held back to DynamoDB's own UnprocessedItems / UnprocessedKeys. */
function mergeHeld(operation: string, response: Json, held: readonly { table: string; writes?: WriteRequest[]; keys?: Json[]; rest?: Json }[]): void {
  if (operation === 'BatchWriteItem') {
    const unprocessed = (response['UnprocessedItems'] ??= {}) as Record<string, WriteRequest[]>;
    for (const h of held) unprocessed[h.table] = [...(unprocessed[h.table] ?? []), ...h.writes!];
  } else {
    const unprocessed = (response['UnprocessedKeys'] ??= {}) as Record<string, { Keys: Json[] }>;
    for (const h of held) unprocessed[h.table] = { ...h.rest, Keys: [...(unprocessed[h.table]?.Keys ?? []), ...h.keys!] };
  }
}
