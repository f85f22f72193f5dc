import type { AttributeValue, GetItemCommandInput, QueryCommandInput, QueryCommandOutput, ScanCommandInput, ScanCommandOutput } from '@aws-sdk/client-dynamodb';
import { ValidationError } from '../errors/errors.js';
import { ExpressionCompiler } from '../expression/compile.js';
import { conditionFields, evaluate } from '../expression/evaluate.js';
import { and } from '../expression/nodes.js';
import { isExpired, unexpiredFilter } from '../ttl/expired.js';
import type { AccessPath, AnyModel } from '../schema/model.js';
import { PLAIN_CURSORS } from './cursor.js';
import type { AccessPattern } from '../observe/access-pattern.js';
import { itemReader, type OnInvalid } from './item-reader.js';
import type { Plan } from './plan.js';
import { withOperation, type Session } from './session.js';
import { merged } from '../util/merged.js';

export interface ReadOptions {
  readonly limit: number | undefined;
  readonly consistent: boolean;
  readonly select: readonly string[] | undefined;
  /** Stored fields to read (a collection's models' eager attributes), when not the select's. */
  readonly fields?: readonly string[] | undefined;
  /** Show items whose TTL has passed (hidden by default: ttl/expired.ts). */
  readonly includeExpired?: boolean;
  /** Stored items that do not fit the model (default: the ORM's). */
  readonly onInvalid?: OnInvalid | undefined;
  /** The moment whose second the TTL filter compares with (default: now). */
  readonly now?: Date | undefined;
  /** iterate(): the timeout bounds each page's request, not the whole iteration (the session's signal does). */
  readonly pageTimeoutMs?: number | undefined;
  /** What analytics groups this read by (only while analytics is on). */
  readonly access?: AccessPattern | undefined;
}

export type ReadRequest =
  | { readonly operation: 'GetItem'; readonly request: GetItemCommandInput }
  | { readonly operation: 'Query'; readonly request: QueryCommandInput }
  | { readonly operation: 'Scan'; readonly request: ScanCommandInput };

/** Attribute fields that make up a page cursor on this path: the table's key and the index's. */
function cursorFields(model: AnyModel, path: AccessPath): string[] {
  const fields = new Set([model.primary.pk.field]);
  if (model.primary.sk !== undefined) fields.add(model.primary.sk.field);
  fields.add(path.pk.field);
  if (path.sk !== undefined) fields.add(path.sk.field);
  return [...fields];
}

/** Turns a plan into the exact SDK request. */
export function compileRead(model: AnyModel, table: string, plan: Plan, options: ReadOptions): ReadRequest {
  if (options.consistent && plan.path.type === 'GSI') {
    throw new ValidationError(
      [{ attribute: '', expected: 'an eventually consistent read on a global index', received: 'consistentRead()', message: 'consistentRead on a GSI' }],
      { op: 'query', model: model.name },
      `query ${model.name}: index ${plan.path.index} is global and cannot be read consistently; drop consistentRead() or query the table`,
    );
  }
  const compiler = new ExpressionCompiler();
  const request: QueryCommandInput & ScanCommandInput = { TableName: table };
  if (options.consistent) request.ConsistentRead = true;
  if (plan.path.index !== undefined) request.IndexName = plan.path.index;
  if (plan.keyCondition !== undefined) request.KeyConditionExpression = compiler.condition(plan.keyCondition);
  // Items whose TTL has passed are hidden (ttl/expired.ts): queries and scans filter them out.
  const filter = plan.operation === 'GetItem' ? undefined : and([plan.filter, options.includeExpired === true ? undefined : unexpiredFilter(model, plan.path, options.now)].filter((c) => c !== undefined));
  if (filter !== undefined) request.FilterExpression = compiler.condition(filter);
  if (options.select !== undefined || options.fields !== undefined) {
    // Queries also read the key fields, which the page cursor is made of, and what is checked on each item read.
    const names = new Set(options.fields ?? options.select!.flatMap((n) => model.storedFields(n)));
    if (plan.operation !== 'GetItem') for (const f of cursorFields(model, plan.path)) names.add(f);
    if (plan.predicate !== undefined) conditionFields(plan.predicate, names);
    if (model.entityField !== undefined) names.add(model.entityField);
    // A get checks the TTL itself, so it reads the TTL attribute too.
    if (plan.operation === 'GetItem' && options.includeExpired !== true && model.ttlAttribute !== undefined) names.add(model.ttlAttribute.field);
    request.ProjectionExpression = compiler.projection([...names].map((n) => [n]));
  }
  if (plan.allAttributes) request.Select = 'ALL_ATTRIBUTES';
  if (plan.operation === 'Query' && !plan.forward) request.ScanIndexForward = false;
  // The first request's Limit; when a filter or a check drops items, ReadExecution pages on with larger ones.
  if (options.limit !== undefined && plan.operation !== 'GetItem') request.Limit = options.limit;
  compiler.applyTo(request);
  // A GetItem plan is on the table with no key condition, filter, order or limit: what is set fits GetItem.
  if (plan.operation === 'GetItem') return { operation: 'GetItem', request: merged(request, { Key: plan.key! }) as GetItemCommandInput };
  return plan.operation === 'Query' ? { operation: 'Query', request } : { operation: 'Scan', request };
}

/** The request a cursor's identity is made of: compiled without limit and without the TTL filter. */
export function identityRequest(model: AnyModel, plan: Plan, table: string, options: ReadOptions): ReadRequest['request'] {
  return compileRead(model, table, plan, merged(options, { limit: undefined, includeExpired: true })).request;
}

/** What ties a cursor to its query (see ReadExecution.signature), from its identityRequest. */
export function readIdentity(model: AnyModel, request: ReadRequest['request'], options: ReadOptions): string {
  const { ExclusiveStartKey: _start, ...identity } = request as QueryCommandInput;
  return `${model.name}|${options.includeExpired === true ? 'all' : 'live'}|${JSON.stringify(identity)}`;
}

export interface Page<T> {
  readonly items: T[];
  /** Pass to page() for the next page; undefined on the last. */
  readonly cursor: string | undefined;
  /**
   * A cursor that resumes right after `items[index]` (Relay's per-edge cursors): page() with it
   * reads the items after that one. Made on demand (not enumerable: the page spreads and
   * compares as `{ items, cursor }`).
   */
  cursorAfter(index: number): string;
}

/** Decodes a stored item read by a query, or returns undefined to skip it. */
export type ItemDecoder<T> = (item: Record<string, AttributeValue>) => T | undefined;

/** The largest Limit a limited read grows to when its filter drops most items. */
const MAX_LIMIT = 1000;

/**
 * Runs a read. Items are decoded to the model; with `select`, only the selected attributes are
 * kept. `limit` is exact even when a filter drops items or a 1 MB page ends early, and the
 * cursor resumes right after the last item returned.
 */
export class ReadExecution<T> {
  private readonly fields: string[];
  private readonly decode: ItemDecoder<T>;
  private identity: string | undefined;

  constructor(
    private readonly session: Session,
    private readonly model: AnyModel,
    private readonly plan: Plan,
    private readonly read: ReadRequest,
    private readonly options: ReadOptions,
    decode?: ItemDecoder<T>,
    identity?: string,
  ) {
    this.fields = cursorFields(model, plan.path);
    this.decode = decode ?? this.modelDecoder();
    this.identity = identity;
  }

  /**
   * What ties a cursor to its query: what the query means, not when it ran. That is the request
   * without its paging fields, compiled without the TTL filter, whose "now" changes every second.
   * Only page() needs it.
   */
  private get signature(): string {
    if (this.identity !== undefined) return this.identity;
    const { read, plan, options } = this;
    const request = read.operation === 'GetItem' ? read.request : identityRequest(this.model, plan, read.request.TableName!, options);
    return (this.identity = readIdentity(this.model, request, options));
  }

  /** The model's own items: those that pass the predicate and carry its discriminator, narrowed to `select`. */
  private modelDecoder(): ItemDecoder<T> {
    const { model } = this;
    const predicate = this.plan.predicate;
    const read = itemReader(this.session, model, this.read.operation === 'Scan' ? 'scan' : 'query', this.options.onInvalid, this.options.select);
    return (item) => {
      // Key-only attributes a predicate reads are parsed back from the key first.
      if (predicate !== undefined && !evaluate(predicate, model.withKeyFields(item))) return undefined;
      if (!model.owns(item)) return undefined;
      return read(item) as T | undefined;
    };
  }

  /** Raw pages from DynamoDB, starting after `start`; `left` says how many items are still wanted (see responses). */
  private async *rawPages(start: Record<string, AttributeValue> | undefined, left: (() => number) | undefined, segment?: { index: number; total: number }): AsyncGenerator<{ items: Record<string, AttributeValue>[]; last: Record<string, AttributeValue> | undefined }> {
    if (this.read.operation === 'GetItem') {
      const out = await this.session.send('GetItem', this.read.request, 'get', this.model, { signal: this.session.signal, access: this.options.access });
      const hidden = out.Item === undefined || (this.options.includeExpired !== true && isExpired(this.model, out.Item));
      yield { items: hidden ? [] : [out.Item!], last: undefined };
      return;
    }
    for await (const out of this.responses(this.read.operation === 'Query' ? 'query' : 'scan', {}, start, left, segment)) {
      yield { items: out.Items ?? [], last: out.LastEvaluatedKey };
    }
  }

  /**
   * The one paging loop of reads: the Query or Scan request (with `extra`) page after page, from
   * `start`. A limited read says through `left` how many items it still wants (asked before each
   * request, once the previous page is used up), and each request carries DynamoDB's Limit: that
   * many, or, when the filter or the checks on each item dropped items of the previous page, twice
   * its Limit (up to MAX_LIMIT), so a read that keeps few items pages on in growing steps.
   */
  private async *responses(op: string, extra: { Select?: 'COUNT' }, start: Record<string, AttributeValue> | undefined, left?: () => number, segment?: { index: number; total: number }): AsyncGenerator<QueryCommandOutput | ScanCommandOutput> {
    let exclusiveStart = start;
    let sent: { limit: number; wanted: number; read: number } | undefined;
    let pages = 0;
    do {
      // A scan with no limit asking for its second page reads as much as the table holds.
      if (pages++ === 1 && left === undefined && segment === undefined && this.read.operation === 'Scan') this.session.warnings.unboundedScan(this.model, op);
      // Only Query and Scan reads page (a GetItem is one request, read in rawPages).
      const request: QueryCommandInput & ScanCommandInput = merged(this.read.request as QueryCommandInput & ScanCommandInput, extra);
      if (left !== undefined) {
        const wanted = Math.max(1, left());
        const dropped = sent !== undefined && sent.wanted - wanted < sent.read;
        const limit = dropped ? Math.max(wanted, Math.min(sent!.limit * 2, MAX_LIMIT)) : wanted;
        request.Limit = limit;
        sent = { limit, wanted, read: 0 };
      }
      if (exclusiveStart !== undefined) request.ExclusiveStartKey = exclusiveStart;
      if (segment !== undefined) Object.assign(request, { Segment: segment.index, TotalSegments: segment.total });
      const out = await this.sendPage(request, op);
      exclusiveStart = out.LastEvaluatedKey;
      if (sent !== undefined) sent.read = out.ScannedCount ?? out.Items?.length ?? 0;
      yield out;
    } while (exclusiveStart !== undefined);
  }

  private sendPage(request: QueryCommandInput & ScanCommandInput, op: string): Promise<QueryCommandOutput | ScanCommandOutput> {
    const send = (session: Session): Promise<QueryCommandOutput | ScanCommandOutput> => (this.read.operation === 'Query'
      ? session.send('Query', request, op, this.model, { signal: session.signal, access: this.options.access })
      : session.send('Scan', request, op, this.model, { signal: session.signal, access: this.options.access }));
    const timeoutMs = this.options.pageTimeoutMs;
    return timeoutMs === undefined ? send(this.session) : withOperation(this.session, op, this.model, [this.session.signal], { timeoutMs }, send);
  }

  async page(cursor: string | undefined): Promise<Page<T>> {
    const start = cursor === undefined ? undefined : (this.session.cursors ?? PLAIN_CURSORS).decode(this.model, this.signature, cursor, this.fields);
    const limit = this.options.limit;
    const items: T[] = [];
    // The stored form of each item returned, which its cursor is made of.
    const stored: Record<string, AttributeValue>[] = [];
    for await (const page of this.rawPages(start, limit === undefined ? undefined : () => limit - items.length)) {
      for (let i = 0; i < page.items.length; i++) {
        const item = this.decode(page.items[i]!);
        if (item === undefined) continue;
        items.push(item);
        stored.push(page.items[i]!);
        if (limit !== undefined && items.length === limit) {
          const more = i < page.items.length - 1 || page.last !== undefined;
          return this.pageOf(items, stored, more ? this.cursorAt(page.items[i]!) : undefined);
        }
      }
      if (limit === undefined) return this.pageOf(items, stored, page.last === undefined ? undefined : this.cursor(page.last));
    }
    return this.pageOf(items, stored, undefined);
  }

  private pageOf(items: T[], stored: readonly Record<string, AttributeValue>[], cursor: string | undefined): Page<T> {
    const cursorAfter = (index: number): string => {
      if (!Number.isInteger(index) || stored[index] === undefined) {
        throw new RangeError(`page ${this.model.name}: cursorAfter(${index}): the page holds ${items.length} item(s); give an index from 0 to ${items.length - 1}`);
      }
      return this.cursorAt(stored[index]);
    };
    return Object.defineProperty({ items, cursor }, 'cursorAfter', { value: cursorAfter }) as Page<T>;
  }

  private cursorAt(item: Record<string, AttributeValue>): string {
    const key: Record<string, AttributeValue> = {};
    for (const f of this.fields) key[f] = item[f]!;
    return this.cursor(key);
  }

  private cursor(key: Record<string, AttributeValue>): string {
    return (this.session.cursors ?? PLAIN_CURSORS).encode(this.signature, key);
  }

  async *iterate(): AsyncGenerator<T> {
    const limit = this.options.limit;
    let left = limit ?? Infinity;
    for await (const page of this.rawPages(undefined, limit === undefined ? undefined : () => left)) {
      for (const raw of page.items) {
        const item = this.decode(raw);
        if (item === undefined) continue;
        yield item;
        if (--left === 0) return;
      }
    }
  }

  async all(): Promise<T[]> {
    const items: T[] = [];
    for await (const item of this.iterate()) items.push(item);
    return items;
  }

  async count(): Promise<number> {
    // Items checked client-side are counted client-side; the rest by DynamoDB (Select COUNT).
    if (this.read.operation === 'GetItem' || this.plan.predicate !== undefined) {
      let n = 0;
      for await (const _ of this.iterate()) n++;
      return n;
    }
    const limit = this.options.limit;
    let total = 0;
    // The builder compiles counts without a projection, which COUNT does not allow.
    for await (const out of this.responses('count', { Select: 'COUNT' }, undefined, limit === undefined ? undefined : () => limit - total)) {
      total += out.Count ?? 0;
      if (limit !== undefined && total >= limit) return limit;
    }
    return total;
  }

  /**
   * A parallel scan, item by item: `segments` segments read by `concurrency` workers at a time,
   * each holding the page being handed out and the one it reads ahead: memory stays at a few
   * pages however large the table.
   */
  async *parallelIterate(segments: number, concurrency = Math.min(segments, 4)): AsyncGenerator<T> {
    type PageResult = IteratorResult<{ items: Record<string, AttributeValue>[] }>;
    type Reader = { readonly pages: AsyncGenerator<{ items: Record<string, AttributeValue>[] }>; next: Promise<{ reader: Reader; result: PageResult }> };
    let segment = 0;
    const readers = new Set<Reader>();
    // Each read is tagged with its reader once, so racing them adds no handlers per round.
    const read = (reader: Reader): void => {
      reader.next = reader.pages.next().then((result) => ({ reader, result }));
      // A read ahead may fail while the consumer is busy: the next race reports it, not the process.
      reader.next.catch(() => undefined);
    };
    const open = (): void => {
      const reader = { pages: this.rawPages(undefined, limited ? () => left : undefined, { index: segment++, total: segments }) } as Reader;
      read(reader);
      readers.add(reader);
    };
    const limited = this.options.limit !== undefined;
    let left = this.options.limit ?? Infinity;
    while (readers.size < concurrency && segment < segments) open();
    try {
      while (readers.size > 0) {
        const { reader, result } = await Promise.race([...readers].map((r) => r.next));
        if (result.done === true) {
          readers.delete(reader);
          if (segment < segments) open();
          continue;
        }
        read(reader);
        for (const raw of result.value.items) {
          const item = this.decode(raw);
          if (item === undefined) continue;
          yield item;
          if (--left === 0) return;
        }
      }
    } finally {
      // Stopped early (limit, break, error): end the readers still running.
      await Promise.allSettled([...readers].map((r) => r.pages.return(undefined)));
    }
  }

  /** A parallel scan collected into an array. */
  async parallel(segments: number, concurrency?: number): Promise<T[]> {
    const items: T[] = [];
    for await (const item of this.parallelIterate(segments, concurrency)) items.push(item);
    return items;
  }
}
