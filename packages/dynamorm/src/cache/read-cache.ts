import type { AttributeValue, BatchGetItemCommandInput, BatchGetItemCommandOutput, GetItemCommandInput, GetItemCommandOutput, KeysAndAttributes } from '@aws-sdk/client-dynamodb';
import { keyId } from '../batch/key-id.js';
import type { InputOf, Operation, OutputOf } from '../driver/driver.js';
import type { AnyModel } from '../schema/model.js';
import type { CachedItem, CacheStore } from './store.js';
import { merged } from '../util/merged.js';

/** Hits, misses and the rest since the ORM was created (`orm.cacheStats()`). */
export interface CacheStats {
  /** Keys answered from the cache. */
  readonly hits: number;
  /** Keys read from DynamoDB. */
  readonly misses: number;
  /** Keys that joined a read of the same key already in flight. */
  readonly coalesced: number;
  /** Keys a write of this process invalidated. */
  readonly invalidations: number;
  /** Entries held and evicted (where the store counts them). */
  readonly items: number | undefined;
  readonly evictions: number | undefined;
}

type Item = Record<string, AttributeValue>;
type Send<O extends Operation> = (input: InputOf<O>) => Promise<OutputOf<O>>;

/** Pruned past this many written keys: reads in flight then refuse to store (see `fresh`). */
const MAX_TRACKED_WRITES = 10_000;

/**
 * The read cache: between the operations and the request pipeline, so that every read by key
 * (get, coalesced gets, batchGet, a key's first()) is served from the store and every write (put,
 * update, delete, batch writes, transactions; failed ones too) invalidates its keys, whatever path
 * sent it. Cached are whole items read eventually consistent (no projection): a consistent read
 * or a projection always goes to DynamoDB.
 *
 * A read stores what it read only if no write of this process to that key ended since the read
 * started (writes are numbered), so a read that raced a write never caches the old item; and a
 * key's read in flight is shared by the reads of that key that start before a write of it.
 */
export class ReadCache {
  private seq = 0;
  /** The number of the last write that ended, per key written while reads were in flight. */
  private readonly written = new Map<string, number>();
  /** Reads that started before this number may not store (written keys were pruned). */
  private floor = 0;
  private reading = 0;
  private readonly inFlight = new Map<string, Promise<CachedItem | undefined>>();
  private counts = { hits: 0, misses: 0, coalesced: 0, invalidations: 0 };
  private tables: { readonly known: number; readonly byTable: Map<string, AnyModel | undefined>; readonly eager: Map<string, string[]> } = { known: -1, byTable: new Map(), eager: new Map() };

  constructor(
    private readonly store: CacheStore,
    private readonly ttlMs: number,
    private readonly models: () => readonly AnyModel[],
    private readonly tableName: (model: AnyModel) => string,
    /** Only these models' items are cached (undefined: every model's). */
    private readonly only: ReadonlySet<AnyModel> | undefined,
  ) {}

  stats(): CacheStats {
    const store = this.store.stats?.();
    return { ...this.counts, items: store?.items, evictions: store?.evictions };
  }

  send<O extends Operation>(operation: O, input: InputOf<O>, send: Send<O>): Promise<OutputOf<O>> {
    switch (operation) {
      case 'GetItem': return this.getItem(input as GetItemCommandInput, send as unknown as Send<'GetItem'>) as Promise<OutputOf<O>>;
      case 'BatchGetItem': return this.batchGet(input as BatchGetItemCommandInput, send as unknown as Send<'BatchGetItem'>) as Promise<OutputOf<O>>;
      case 'PutItem': case 'UpdateItem': case 'DeleteItem': case 'BatchWriteItem': case 'TransactWriteItems':
        return this.write(this.writtenKeys(operation, input), () => send(input));
      default: return send(input);
    }
  }

  /** The model whose items a table's reads cache, or undefined when it is not cached. */
  private modelOf(table: string | undefined): AnyModel | undefined {
    const models = this.models();
    if (this.tables.known !== models.length) {
      const byTable = new Map<string, AnyModel | undefined>();
      const eager = new Map<string, string[]>();
      // The key fields are the table's: any model of it names them. A table is cached when any of its models is.
      for (const m of models) {
        const t = this.tableName(m);
        if (this.only === undefined || this.only.has(m)) byTable.set(t, m);
        else if (!byTable.has(t)) byTable.set(t, undefined);
        if (m.eagerSelect !== undefined) eager.set(t, [...(eager.get(t) ?? []), eagerFields(m)]);
      }
      this.tables = { known: models.length, byTable, eager };
    }
    return table === undefined ? undefined : this.tables.byTable.get(table);
  }

  /**
   * A key's cache id, or undefined when its table is not cached or the read is not an eventually
   * consistent read of the whole item, or of what a model with lazy attributes reads by default
   * (its own id: the entry holds the item without them).
   */
  private idOf(table: string | undefined, key: Item, read: { ProjectionExpression?: string | undefined; ExpressionAttributeNames?: Record<string, string> | undefined; AttributesToGet?: string[] | undefined; ConsistentRead?: boolean | undefined }): string | undefined {
    if (read.ConsistentRead === true || read.AttributesToGet !== undefined) return undefined;
    const model = this.modelOf(table);
    if (model === undefined) return undefined;
    if (read.ProjectionExpression === undefined) return keyId(table!, model, key);
    const names = read.ExpressionAttributeNames ?? {};
    const fields = read.ProjectionExpression.split(',').map((p) => names[p.trim()] ?? p.trim()).sort().join(',');
    return this.tables.eager.get(table!)?.includes(fields) === true ? `${keyId(table!, model, key)}|${fields}` : undefined;
  }

  /** Whether a read that started at `start` may store what it read of `id`. */
  private fresh(id: string, start: number): boolean {
    const w = this.written.get(id);
    return start >= this.floor && (w === undefined || w <= start);
  }

  private begin(): number {
    this.reading++;
    return this.seq;
  }

  private end(): void {
    // No read in flight: none can be affected by the writes noted so far.
    if (--this.reading === 0) this.written.clear();
  }

  private async getItem(input: GetItemCommandInput, send: Send<'GetItem'>): Promise<GetItemCommandOutput> {
    const id = input.Key === undefined ? undefined : this.idOf(input.TableName, input.Key, input);
    if (id === undefined) return send(input);
    const [hit] = await this.store.get([id]);
    if (hit !== undefined) {
      this.counts.hits++;
      return answer(hit);
    }
    const flying = this.inFlight.get(id);
    if (flying !== undefined) {
      const item = await flying;
      if (item !== undefined) {
        this.counts.coalesced++;
        return answer(item);
      }
    }
    this.counts.misses++;
    let settle!: (item: CachedItem | undefined) => void;
    const shared = new Promise<CachedItem | undefined>((resolve) => (settle = resolve));
    this.inFlight.set(id, shared);
    const start = this.begin();
    try {
      const out = await send(input);
      const item = out.Item ?? null;
      if (this.fresh(id, start)) await this.store.set([[id, item]], this.ttlMs);
      settle(item);
      return out;
    } finally {
      settle(undefined);
      if (this.inFlight.get(id) === shared) this.inFlight.delete(id);
      this.end();
    }
  }

  private async batchGet(input: BatchGetItemCommandInput, send: Send<'BatchGetItem'>): Promise<BatchGetItemCommandOutput> {
    const responses: Record<string, Item[]> = {};
    const unprocessed: Record<string, KeysAndAttributes> = {};
    const request: Record<string, KeysAndAttributes> = {};
    /** The keys this request reads, per table: settled with what it read. */
    const reading = new Map<string, { table: string; settle: (item: CachedItem | undefined) => void; shared: Promise<CachedItem | undefined> }>();
    const waits: Promise<void>[] = [];
    for (const [table, keys] of Object.entries(input.RequestItems ?? {})) {
      const ids = (keys.Keys ?? []).map((k) => this.idOf(table, k, keys));
      if (ids.some((id) => id === undefined)) {
        request[table] = keys;
        continue;
      }
      const cached = await this.store.get(ids as string[]);
      const rest: Item[] = [];
      ids.forEach((id, i) => {
        const key = keys.Keys![i]!;
        const hit = cached[i];
        if (hit !== undefined) {
          this.counts.hits++;
          if (hit !== null) (responses[table] ??= []).push(hit);
          return;
        }
        const flying = this.inFlight.get(id!);
        if (flying !== undefined) {
          waits.push(flying.then((item) => {
            if (item === undefined) ((unprocessed[table] ??= merged(keys, { Keys: [] })).Keys!).push(key);
            else {
              this.counts.coalesced++;
              if (item !== null) (responses[table] ??= []).push(item);
            }
          }));
          return;
        }
        if (reading.has(id!)) return;
        this.counts.misses++;
        let settle!: (item: CachedItem | undefined) => void;
        const shared = new Promise<CachedItem | undefined>((resolve) => (settle = resolve));
        this.inFlight.set(id!, shared);
        reading.set(id!, { table, settle, shared });
        rest.push(key);
      });
      if (rest.length > 0) request[table] = merged(keys, { Keys: rest });
    }
    if (Object.keys(request).length === 0) {
      await Promise.all(waits);
      return { Responses: responses, UnprocessedKeys: unprocessed, $metadata: {} };
    }
    const start = this.begin();
    try {
      const out = await send(merged(input, { RequestItems: request }));
      const found = new Map<string, Item>();
      for (const [table, items] of Object.entries(out.Responses ?? {})) {
        const model = this.modelOf(table);
        for (const item of items) {
          if (model !== undefined) found.set(keyId(table, model, item), item);
          (responses[table] ??= []).push(item);
        }
      }
      const left = new Set<string>();
      for (const [table, keys] of Object.entries(out.UnprocessedKeys ?? {})) {
        const model = this.modelOf(table);
        if (model !== undefined) for (const k of keys.Keys ?? []) left.add(keyId(table, model, k));
        unprocessed[table] = merged(keys, { Keys: [...(unprocessed[table]?.Keys ?? []), ...(keys.Keys ?? [])] });
      }
      const store: [string, CachedItem][] = [];
      for (const [id, { settle }] of reading) {
        if (left.has(id)) continue;
        const item = found.get(id) ?? null;
        if (this.fresh(id, start)) store.push([id, item]);
        settle(item);
      }
      if (store.length > 0) await this.store.set(store, this.ttlMs);
      await Promise.all(waits);
      return merged(out, { Responses: responses, UnprocessedKeys: unprocessed });
    } finally {
      for (const [id, { settle, shared }] of reading) {
        settle(undefined);
        if (this.inFlight.get(id) === shared) this.inFlight.delete(id);
      }
      this.end();
    }
  }

  /** Sends a write, then invalidates its keys whatever its outcome (a failed condition may still mean the item changed meanwhile). */
  private async write<T>(ids: readonly string[], send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } finally {
      if (ids.length > 0) {
        const n = ++this.seq;
        for (const id of ids) {
          if (this.reading > 0) this.written.set(id, n);
          this.inFlight.delete(id);
        }
        if (this.written.size > MAX_TRACKED_WRITES) {
          this.floor = n;
          this.written.clear();
        }
        // Keys, not entries: a model with lazy attributes has a second entry per key (see idOf), whose id does not end the key's JSON.
        this.counts.invalidations += ids.filter((id) => id.endsWith(']')).length;
        await this.store.delete(ids);
      }
    }
  }

  /** The cache ids of the items a write request writes (on cached tables). */
  private writtenKeys(operation: Operation, input: unknown): string[] {
    const ids: string[] = [];
    const add = (table: string | undefined, key: Item | undefined): void => {
      const model = this.modelOf(table);
      if (model === undefined || key === undefined) return;
      const id = keyId(table!, model, key);
      ids.push(id);
      for (const fields of this.tables.eager.get(table!) ?? []) ids.push(`${id}|${fields}`);
    };
    const i = input as InputOf<'PutItem'> & InputOf<'UpdateItem'> & InputOf<'BatchWriteItem'> & InputOf<'TransactWriteItems'>;
    switch (operation) {
      case 'PutItem': add(i.TableName, i.Item); break;
      case 'UpdateItem': case 'DeleteItem': add(i.TableName, i.Key); break;
      case 'BatchWriteItem':
        for (const [table, writes] of Object.entries(i.RequestItems ?? {})) for (const w of writes) add(table, w.PutRequest?.Item ?? w.DeleteRequest?.Key);
        break;
      case 'TransactWriteItems':
        for (const t of i.TransactItems ?? []) {
          if (t.Put !== undefined) add(t.Put.TableName, t.Put.Item);
          else if (t.Update !== undefined) add(t.Update.TableName, t.Update.Key);
          else if (t.Delete !== undefined) add(t.Delete.TableName, t.Delete.Key);
        }
        break;
    }
    return ids;
  }
}

/** The stored fields a model with lazy attributes reads by default (keys and discriminator included), sorted: its projection's identity. */
function eagerFields(model: AnyModel): string {
  const fields = new Set(model.eagerSelect!.flatMap((n) => model.storedFields(n)));
  fields.add(model.primary.pk.field);
  if (model.primary.sk !== undefined) fields.add(model.primary.sk.field);
  if (model.entityField !== undefined) fields.add(model.entityField);
  return [...fields].sort().join(',');
}

const answer = (item: CachedItem): GetItemCommandOutput => (item === null ? { $metadata: {} } : { Item: item, $metadata: {} });
