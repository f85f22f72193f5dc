import type { AttributeValue, KeysAndAttributes } from '@aws-sdk/client-dynamodb';
import { ExpressionCompiler } from '../expression/compile.js';
import { encodeKey } from '../query/keys.js';
import type { Session } from '../query/session.js';
import type { AnyModel, InferItem, InferKey } from '../schema/model.js';
import { itemReader, type OnInvalid } from '../query/item-reader.js';
import { isExpired } from '../ttl/expired.js';
import { BatchGetError } from './errors.js';
import { keyId } from './key-id.js';
import { pool } from './pool.js';
import { RetryBudgetError } from '../ops/errors.js';
import type { AccessPattern } from '../observe/access-pattern.js';
import type { RetryOptions } from '../ops/policy.js';
import { isRetryable } from '../ops/retryable.js';
import { Rounds } from '../ops/rounds.js';
import type { CancelOptions } from '../ops/signal.js';
import { merged } from '../util/merged.js';

/** DynamoDB's limit of keys per BatchGetItem. */
export const MAX_GET_KEYS = 100;

export interface BatchGetOptions<M extends AnyModel = AnyModel> extends RetryOptions, CancelOptions {
  /** Stored items that do not fit the model: `'throw'`, `'skip'` (undefined in their slot) or a callback (default: the read's, else the ORM's). */
  readonly onInvalid?: OnInvalid<M>;
  /** One result per key, undefined where none was found (default: only the items found, in key order). */
  readonly ordered?: boolean;
  /** Strongly consistent reads. */
  readonly consistent?: boolean;
  /** BatchGetItem requests in flight at once (default 4). */
  readonly concurrency?: number;
}

interface FetchOptions extends RetryOptions {
  readonly consistent: boolean;
  readonly concurrency?: number;
  readonly op?: string;
  /** The gets' access pattern, for analytics (coalesced gets of one model). */
  readonly access?: AccessPattern | undefined;
}

/** Stored keys of one model to read, with the projection of its select(), if any. */
export interface KeyGroup {
  readonly model: AnyModel;
  readonly keys: readonly Record<string, AttributeValue>[];
  readonly projection?: { readonly expression: string; readonly names: Record<string, string> } | undefined;
}

/**
 * Reads stored keys of any tables with BatchGetItem: 100 distinct keys a request whatever their
 * tables, several requests in flight, UnprocessedKeys (throttling, the 16 MB response limit)
 * retried by rounds (see Rounds). Returns the items found by key id and, per group, the keys still
 * unread when the retries ran out. Groups of one table share its request entry, so its projection.
 * The session's signal stops it (a read has nothing to report: it rejects with the signal's reason).
 */
export async function fetchKeys(
  session: Session,
  groups: readonly KeyGroup[],
  options: FetchOptions,
): Promise<{ found: Map<string, Record<string, AttributeValue>>; unread: Record<string, AttributeValue>[][]; requests: number }> {
  const found = new Map<string, Record<string, AttributeValue>>();
  const unread: Record<string, AttributeValue>[][] = groups.map(() => []);
  let requests = 0;
  // Tables of one key schema: any of their models names the stored key fields.
  const tables = new Map<string, KeyGroup>();
  const distinct = new Map<string, { readonly table: string; readonly key: Record<string, AttributeValue>; readonly groups: number[] }>();
  groups.forEach((g, i) => {
    const table = session.tableName(g.model);
    if (!tables.has(table)) tables.set(table, g);
    for (const key of g.keys) {
      const id = keyId(table, g.model, key);
      const known = distinct.get(id);
      if (known === undefined) distinct.set(id, { table, key, groups: [i] });
      else if (!known.groups.includes(i)) known.groups.push(i);
    }
  });
  const ids = [...distinct.keys()];
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += MAX_GET_KEYS) chunks.push(ids.slice(i, i + MAX_GET_KEYS));
  const single = groups.length === 1 ? groups[0]!.model : undefined;
  const policy = session.retry.with(options);
  const op = options.op ?? 'batchGet';
  let budgetError: RetryBudgetError | undefined;
  await pool(chunks, options.concurrency ?? 4, async (chunk) => {
    const rounds = new Rounds(policy, session.signal);
    let pending = chunk;
    while (pending.length > 0) {
      const RequestItems: Record<string, KeysAndAttributes> = {};
      for (const id of pending) {
        const { table, key } = distinct.get(id)!;
        let request = RequestItems[table];
        if (request === undefined) {
          request = RequestItems[table] = { Keys: [] };
          if (options.consistent) request.ConsistentRead = true;
          const projection = tables.get(table)!.projection;
          if (projection !== undefined) {
            request.ProjectionExpression = projection.expression;
            request.ExpressionAttributeNames = projection.names;
          }
        }
        request.Keys!.push(key);
      }
      let left: string[];
      let failure: unknown;
      try {
        requests++;
        const out = await session.send('BatchGetItem', { RequestItems }, op, single, merged(rounds.send, { signal: session.signal, access: options.access }));
        left = [];
        for (const table of Object.keys(RequestItems)) {
          const { model } = tables.get(table)!;
          for (const item of out.Responses?.[table] ?? []) found.set(keyId(table, model, item), item);
          for (const key of out.UnprocessedKeys?.[table]?.Keys ?? []) left.push(keyId(table, model, key));
        }
      } catch (error) {
        if (!isRetryable(error)) throw error;
        left = pending;
        failure = error;
      }
      if (left.length === 0) {
        rounds.succeeded();
        return;
      }
      const stop = await rounds.next(left.length < pending.length, failure ?? { unprocessed: left.length });
      if (stop === 'budget') {
        throw (budgetError ??= new RetryBudgetError(`${op}: not retried, the retry budget is spent (DynamoDB is throttling or failing); nothing was lost, read again later`, { op, model: single?.name, cause: failure }));
      }
      if (stop === 'exhausted') {
        if (failure !== undefined) throw failure;
        for (const id of left) for (const g of distinct.get(id)!.groups) unread[g]!.push(distinct.get(id)!.key);
        return;
      }
      pending = left;
    }
  }, session.signal);
  if (session.signal?.aborted === true) throw session.signal.reason;
  return { found, unread, requests };
}

/** The ProjectionExpression of a select(), with the key attributes added to match results to keys. */
export function projectionOf(model: AnyModel, select: readonly string[] | undefined, withTtl: boolean): KeyGroup['projection'] {
  return projectionOfTable([{ model, select }], withTtl);
}

/**
 * The one projection of models read from one table in one request: the union of what each reads
 * (its select(), else all but its lazy attributes) and its keys; none when one reads whole items.
 */
function projectionOfTable(groups: readonly Pick<BatchGetGroup, 'model' | 'select'>[], withTtl: boolean): KeyGroup['projection'] {
  if (groups.some((g) => g.select === undefined)) return undefined;
  const fields = new Set<string>();
  for (const { model, select } of groups) {
    for (const name of select!) for (const field of model.storedFields(name)) fields.add(field);
    fields.add(model.primary.pk.field);
    if (model.primary.sk !== undefined) fields.add(model.primary.sk.field);
    if (withTtl && model.ttlAttribute !== undefined) fields.add(model.ttlAttribute.field);
    // A single-table key may hold another model's item: the discriminator tells.
    if (model.entityField !== undefined) fields.add(model.entityField);
  }
  const compiler = new ExpressionCompiler();
  const expression = compiler.projection([...fields].map((f) => [f]));
  return { expression, names: compiler.attributes().ExpressionAttributeNames ?? {} };
}

/** One part of `orm.batchGet([...])`: a model and keys (or items) of it. */
export interface BatchGetRequest<M extends AnyModel = AnyModel> {
  readonly model: M;
  readonly keys: readonly InferKey<M>[];
}

/** The results of `orm.batchGet([...])`: the items found per request, typed per model, in key order. */
export type BatchGetResult<T extends readonly AnyModel[], Ordered extends boolean = false> = {
  -readonly [I in keyof T]: Ordered extends true ? (InferItem<T[I]> | undefined)[] : InferItem<T[I]>[];
};

/** Options of `orm.batchGet`: a batch get's, and whether items whose TTL has passed are shown. */
export interface BatchGetManyOptions extends BatchGetOptions {
  /** Show items whose TTL has passed (hidden by default). */
  readonly includeExpired?: boolean;
}

/** What one model's part of a batch get reads, and how its results are shaped. */
export interface BatchGetGroup {
  readonly model: AnyModel;
  readonly keys: readonly Record<string, unknown>[];
  readonly select?: readonly string[] | undefined;
}

type GroupOptions = BatchGetOptions & { readonly includeExpired: boolean };

/** `orm.model(M).batchGet(keys)`: any number of keys, results in the order of the keys. */
export async function batchGet(
  session: Session,
  model: AnyModel,
  keys: readonly Record<string, unknown>[],
  options: GroupOptions & { readonly select: readonly string[] | undefined },
): Promise<unknown[]> {
  const [results] = await batchGetMany(session, [{ model, keys, select: options.select }], options, 'batchGet');
  return results!;
}

/**
 * `orm.batchGet([{ model, keys }, ...])`: the keys of several models, read together (one
 * BatchGetItem takes keys of many tables); one result list per group, in the order of its keys.
 */
export async function batchGetMany(session: Session, groups: readonly BatchGetGroup[], options: GroupOptions, op = 'batchGet'): Promise<unknown[][]> {
  // Models of one table share its request entry, so its projection: what any of them reads; each decodes only its own.
  const tables = new Map<string, BatchGetGroup[]>();
  for (const g of groups) tables.set(session.tableName(g.model), [...(tables.get(session.tableName(g.model)) ?? []), g]);
  const projections = new Map([...tables].map(([table, of]) => [table, projectionOfTable(of, !options.includeExpired)]));
  const prepared = groups.map(({ model, keys, select }) => {
    const table = session.tableName(model);
    const stored = keys.map((k) => encodeKey(model, k, op));
    return { model, select, stored, ids: stored.map((k) => keyId(table, model, k)), projection: projections.get(table) };
  });
  if (prepared.every((g) => g.stored.length === 0)) return groups.map(() => []);
  if (groups.length > 1) await Promise.all([...new Set(groups.map((g) => g.model))].map((m) => session.ready(m)));
  const { found, unread } = await fetchKeys(session, prepared.map((g) => ({ model: g.model, keys: g.stored, projection: g.projection })), {
    ...options,
    consistent: options.consistent === true,
    op,
  });
  const missed = prepared.flatMap((g, i) => unread[i]!.map((k) => ({ model: g.model, key: g.model.storedKey(k) })));
  if (missed.length > 0) {
    const names = [...new Set(missed.map((m) => m.model.name))].join(', ');
    throw new BatchGetError(`${op} ${names}: ${missed.length} of ${found.size + missed.length} keys were still unprocessed after the retries ran out; nothing was lost, read them again`, {
      op, model: groups.length === 1 ? groups[0]!.model.name : undefined, unread: missed.map((m) => m.key), context: { unread: groups.length === 1 ? missed.map((m) => m.key) : missed.map((m) => ({ model: m.model.name, key: m.key })) },
    });
  }
  return prepared.map(({ model, select, ids }) => {
    const read = itemReader(session, model, op, options.onInvalid as OnInvalid | undefined, select);
    const decoded = new Map<string, unknown>();
    const decode = (id: string): unknown => {
      if (decoded.has(id)) return decoded.get(id);
      const item = found.get(id);
      let value: unknown;
      if (item !== undefined && model.owns(item) && (options.includeExpired || !isExpired(model, item))) value = read(item);
      decoded.set(id, value);
      return value;
    };
    const results = ids.map((id) => decode(id));
    return options.ordered === true ? results : results.filter((r) => r !== undefined);
  });
}
