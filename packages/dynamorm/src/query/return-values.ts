import type { AttributeValue, ReturnValue } from '@aws-sdk/client-dynamodb';
import type { CancelOptions } from '../ops/signal.js';
import { ValidationError } from '../errors/errors.js';
import { StoredIssues, type AnyModel, type InferItem } from '../schema/model.js';
import { itemReader } from './item-reader.js';
import type { Session } from './session.js';
import { lazyLeftOut, markUnread } from './unread-lazy.js';

/**
 * What a write resolves with: `none` nothing, `old` the item as it was before, `new` the item as
 * it is after, `updated` only the attributes an update changed (as they are after).
 */
export type ReturnValues = 'none' | 'old' | 'new' | 'updated';
export type PutReturnValues = 'none' | 'old' | 'new';
export type UpdateReturnValues = ReturnValues;
export type DeleteReturnValues = 'none' | 'old';

export interface WriteOptions<RV extends ReturnValues = ReturnValues> extends CancelOptions {
  readonly returnValues?: RV;
}

/** Options of an update: what it resolves with, and whether it creates the item when missing. */
export interface UpdateOptions<RV extends ReturnValues = ReturnValues> extends WriteOptions<RV> {
  /**
   * Create the item when no item has the key (an upsert): the changes must then give every
   * required attribute; defaults and createdAt are set only on creation. Without it an update of
   * a missing key rejects with ItemNotFoundError.
   */
  readonly upsert?: boolean;
}

/** put: the item written (`new`, default), the item it replaced (`old`), or nothing. */
export type PutResult<M extends AnyModel, RV extends PutReturnValues> = RV extends 'none' ? undefined : RV extends 'old' ? InferItem<M> | undefined : InferItem<M>;
/** update: the item after (`new`, default) or before (`old`), the changed attributes (`updated`), or nothing. */
export type UpdateResult<M extends AnyModel, RV extends UpdateReturnValues> = RV extends 'none' ? undefined : RV extends 'updated' ? Partial<InferItem<M>> : InferItem<M>;
/** delete: the item deleted (`old`, default; undefined when there was none), or nothing. */
export type DeleteResult<M extends AnyModel, RV extends DeleteReturnValues> = RV extends 'none' ? undefined : InferItem<M> | undefined;

const allowed: Record<'put' | 'update' | 'delete', Partial<Record<ReturnValues, ReturnValue>>> = {
  put: { none: 'NONE', old: 'ALL_OLD', new: 'NONE' },
  update: { none: 'NONE', old: 'ALL_OLD', new: 'ALL_NEW', updated: 'UPDATED_NEW' },
  delete: { none: 'NONE', old: 'ALL_OLD' },
};

/** DynamoDB's ReturnValues for a write's option, refusing one that makes no sense for it. */
export function sdkReturnValues(kind: 'put' | 'update' | 'delete', model: AnyModel, returnValues: ReturnValues): ReturnValue {
  const sdk = allowed[kind][returnValues];
  if (sdk === undefined) {
    const choices = Object.keys(allowed[kind]).join(', ');
    const message = `${kind} ${model.name}: returnValues '${String(returnValues)}' does not apply to ${kind} (use ${choices})`;
    throw new ValidationError([{ attribute: '', expected: `one of ${choices}`, received: String(returnValues), message }], { op: kind, model: model.name }, message);
  }
  return sdk;
}

/**
 * The object a write resolves with, from what DynamoDB returned (or, for a put's `new`, what it
 * wrote): decoded strictly (the write is done; an item that does not fit the model is a
 * ValidationError, whatever the ORM's onInvalid), without lazy attributes, as reads and the
 * result types have it.
 */
export function decodeReturned(session: Session, model: AnyModel, op: string, returnValues: ReturnValues, attributes: Record<string, AttributeValue> | undefined): unknown {
  if (returnValues === 'none' || attributes === undefined) return undefined;
  const eager = model.eagerSelect;
  if (returnValues !== 'updated') return itemReader(session, model, op, 'throw', eager)(attributes);
  // Only the attributes the update changed: none is required.
  const changed = model.decode(attributes, eager?.map((name) => model.attribute(name)!), true);
  if (changed instanceof StoredIssues) throw model.invalidStored(op, attributes, changed.issues);
  markUnread(changed, lazyLeftOut(model, eager));
  return changed;
}
