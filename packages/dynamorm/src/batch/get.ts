import type { AttributeValue, KeysAndAttributes } from '@aws-sdk/client-dynamodb';
import { ExpressionCompiler } from '../expression/compile.js';
import { encodeKey, storedKeyOf } from '../query/keys.js';
import type { Session } from '../query/session.js';
import type { AnyModel } from '../schema/model.js';
import { isExpired } from '../ttl/expired.js';
import { BatchGetError } from './errors.js';
import { keyId } from './key-id.js';
import { backoff, isRetryable, pool, sleep, type RetryOptions } from './retry.js';

/** DynamoDB's limit of keys per BatchGetItem. */
export const MAX_GET_KEYS = 100;

export interface BatchGetOptions extends RetryOptions {
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
  readonly projection?: { readonly expression: string; readonly names: Record<string, string> } | undefined;
  readonly op?: string;
}

/**
 * Reads stored keys of one table with BatchGetItem: 100 keys a request, several requests in
 * flight, UnprocessedKeys (throttling, the 16 MB response limit) retried with backoff.
 * Returns the items found by key id and the keys still unread when the retries ran out.
 */
export async function fetchKeys(
  session: Session,
  model: AnyModel,
  keys: readonly Record<string, AttributeValue>[],
  options: FetchOptions,
): Promise<{ found: Map<string, Record<string, AttributeValue>>; unread: Record<string, AttributeValue>[]; requests: number }> {
  const table = session.tableName(model);
  const found = new Map<string, Record<string, AttributeValue>>();
  const unread: Record<string, AttributeValue>[] = [];
  let requests = 0;
  const chunks: Record<string, AttributeValue>[][] = [];
  for (let i = 0; i < keys.length; i += MAX_GET_KEYS) chunks.push(keys.slice(i, i + MAX_GET_KEYS));
  const maxAttempts = options.maxAttempts ?? 8;
  await pool(chunks, options.concurrency ?? 4, async (chunk) => {
    let pending = chunk;
    for (let attempt = 1; pending.length > 0; attempt++) {
      const request: KeysAndAttributes = { Keys: pending };
      if (options.consistent) request.ConsistentRead = true;
      if (options.projection !== undefined) {
        request.ProjectionExpression = options.projection.expression;
        request.ExpressionAttributeNames = options.projection.names;
      }
      let left: Record<string, AttributeValue>[];
      try {
        requests++;
        const out = await session.send('BatchGetItem', { RequestItems: { [table]: request } }, options.op ?? 'batchGet', model);
        for (const item of out.Responses?.[table] ?? []) found.set(keyId(table, model, item), item);
        left = out.UnprocessedKeys?.[table]?.Keys ?? [];
      } catch (error) {
        if (!isRetryable(error) || attempt >= maxAttempts) throw error;
        left = pending;
      }
      if (left.length > 0 && attempt >= maxAttempts) {
        unread.push(...left);
        return;
      }
      if (left.length > 0) await sleep(backoff(attempt, options));
      pending = left;
    }
  });
  return { found, unread, requests };
}

/** The ProjectionExpression of a select(), with the key attributes added to match results to keys. */
function projectionOf(model: AnyModel, select: readonly string[] | undefined, withTtl: boolean): FetchOptions['projection'] {
  if (select === undefined) return undefined;
  const fields = new Set(select.flatMap((n) => model.storedFields(n)));
  fields.add(model.primary.pk.field);
  if (model.primary.sk !== undefined) fields.add(model.primary.sk.field);
  if (withTtl && model.ttlAttribute !== undefined) fields.add(model.ttlAttribute.field);
  const compiler = new ExpressionCompiler();
  const expression = compiler.projection([...fields].map((f) => [f]));
  return { expression, names: compiler.attributes().ExpressionAttributeNames ?? {} };
}

/** `orm.model(M).batchGet(keys)`: any number of keys, results in the order of the keys. */
export async function batchGet(
  session: Session,
  model: AnyModel,
  keys: readonly Record<string, unknown>[],
  options: BatchGetOptions & { readonly includeExpired: boolean; readonly select: readonly string[] | undefined },
): Promise<unknown[]> {
  const table = session.tableName(model);
  const stored = keys.map((k) => encodeKey(model, k, 'batchGet'));
  const ids = stored.map((k) => keyId(table, model, k));
  const unique = new Map<string, Record<string, AttributeValue>>();
  stored.forEach((k, i) => unique.set(ids[i]!, k));
  if (unique.size === 0) return [];
  const { found, unread } = await fetchKeys(session, model, [...unique.values()], {
    ...options,
    consistent: options.consistent === true,
    projection: projectionOf(model, options.select, !options.includeExpired),
  });
  if (unread.length > 0) {
    const unreadKeys = unread.map((k) => storedKeyOf(model, k));
    throw new BatchGetError(`batchGet ${model.name}: ${unread.length} of ${unique.size} keys were still unprocessed after the retries ran out; nothing was lost, read them again`, {
      op: 'batchGet', model: model.name, unread: unreadKeys, context: { unread: unreadKeys },
    });
  }
  const decoded = new Map<string, unknown>();
  const decode = (id: string): unknown => {
    if (decoded.has(id)) return decoded.get(id);
    const item = found.get(id);
    let value: unknown;
    if (item !== undefined && model.owns(item) && (options.includeExpired || !isExpired(model, item))) {
      const full = model.unmarshal(item, 'batchGet') as Record<string, unknown>;
      value = options.select === undefined ? full : Object.fromEntries(options.select.filter((n) => full[n] !== undefined).map((n) => [n, full[n]]));
    }
    decoded.set(id, value);
    return value;
  };
  const results = ids.map((id) => decode(id));
  return options.ordered === true ? results : results.filter((r) => r !== undefined);
}
