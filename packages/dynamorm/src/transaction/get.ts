import type { TransactGetItem } from '@aws-sdk/client-dynamodb';
import { encodeKey, showKey } from '../query/keys.js';
import type { Session } from '../query/session.js';
import type { AnyModel, InferItem, InferKey } from '../schema/model.js';
import { itemReader, type OnInvalid } from '../query/item-reader.js';
import { isExpired } from '../ttl/expired.js';
import { keyId } from '../batch/key-id.js';
import { projectionOf } from '../batch/get.js';
import { ValidationError } from '../errors/errors.js';
import type { CancelOptions } from '../ops/signal.js';
import { MAX_TRANSACTION_ACTIONS } from './commit.js';

/** One read of `orm.transactGet([...])`: a model and the key of one of its items. */
export interface TransactGetRequest<M extends AnyModel = AnyModel> {
  readonly model: M;
  readonly key: InferKey<M>;
}

/** The results of a read transaction: one item (or undefined) per request, typed per model. */
export type TransactGetResult<T extends readonly AnyModel[]> = { -readonly [I in keyof T]: InferItem<T[I]> | undefined };

export interface TransactGetOptions extends CancelOptions {
  /** Show items whose TTL has passed (hidden by default). */
  readonly includeExpired?: boolean;
  /** Stored items that do not fit their model: `'throw'`, `'skip'` (undefined in their slot) or a callback (default: the ORM's). */
  readonly onInvalid?: OnInvalid;
}

/** Reads up to 100 items, of any models, as one consistent snapshot (TransactGetItems). */
export async function transactGet(session: Session, requests: readonly TransactGetRequest[], options: TransactGetOptions = {}): Promise<unknown[]> {
  const fail = (message: string, expected: string, received: string): never => {
    throw new ValidationError([{ attribute: '', expected, received, message }], { op: 'transactGet' }, `transactGet: ${message}`);
  };
  if (requests.length > MAX_TRANSACTION_ACTIONS) fail(`${requests.length} reads; DynamoDB allows ${MAX_TRANSACTION_ACTIONS} per transaction (nothing was sent)`, `at most ${MAX_TRANSACTION_ACTIONS} reads`, `${requests.length}`);
  if (requests.length === 0) return [];
  const seen = new Set<string>();
  const items: TransactGetItem[] = requests.map(({ model, key }) => {
    const table = session.tableName(model);
    const Key = encodeKey(model, key as Record<string, unknown>, 'transactGet');
    const id = keyId(table, model, Key);
    if (seen.has(id)) fail(`${model.name} ${showKey(key as Record<string, unknown>)} is read twice; DynamoDB allows one read per item`, 'one read per item', 'two');
    seen.add(id);
    // A model's lazy attributes are left out, as by every read without select().
    const projection = projectionOf(model, model.eagerSelect, true);
    return { Get: projection === undefined ? { TableName: table, Key } : { TableName: table, Key, ProjectionExpression: projection.expression, ExpressionAttributeNames: projection.names } };
  });
  await Promise.all([...new Set(requests.map((r) => r.model))].map((m) => session.ready(m)));
  const out = await session.send('TransactGetItems', { TransactItems: items }, 'transactGet', requests.length === 1 ? requests[0]!.model : undefined, { signal: session.signal });
  return requests.map(({ model }, i) => {
    const item = out.Responses?.[i]?.Item;
    if (item === undefined || Object.keys(item).length === 0 || !model.owns(item)) return undefined;
    return options.includeExpired !== true && isExpired(model, item) ? undefined : itemReader(session, model, 'transactGet', options.onInvalid, model.eagerSelect)(item);
  });
}
