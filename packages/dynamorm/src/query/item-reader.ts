import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { ValidationIssue } from '../errors/errors.js';
import { showKey } from '../schema/codec/issues.js';
import { StoredIssues, type AnyModel } from '../schema/model.js';
import type { Session } from './session.js';
import { lazyLeftOut, markUnread } from './unread-lazy.js';

/** A stored item that does not fit its model, as an `onInvalid` callback and the logger receive it. */
export interface InvalidItem<M extends AnyModel = AnyModel> {
  /** The model the item was read as. */
  readonly model: M['~types']['name'];
  /** The read: `get`, `query`, `scan`, `batchGet`, `transactGet`, `collection`. */
  readonly op: string;
  /** The item's primary key as the model names it (its stored key fields when those do not decode). */
  readonly key: Readonly<Record<string, unknown>>;
  /** The item as DynamoDB returned it. */
  readonly item: Readonly<Record<string, AttributeValue>>;
  /** Each problem: a required attribute missing, a stored type or an enum value the attribute cannot hold. */
  readonly issues: readonly ValidationIssue[];
}

/**
 * What a read does with a stored item that does not fit its model (written by other code, or
 * before the model changed): `'throw'` (default) rejects with a ValidationError naming the model,
 * the key and each issue; `'skip'` leaves the item out (a get resolves undefined) and reports it
 * to the ORM's logger; a callback receives it and leaves it out (returning nothing or `'skip'`),
 * rejects with the ValidationError (`'throw'`), or throws an error of its own.
 */
export type OnInvalid<M extends AnyModel = AnyModel> = 'throw' | 'skip' | ((invalid: InvalidItem<M>) => 'skip' | 'throw' | void);

/** A stored item to the model's object, or undefined for an item that does not fit and is left out. */
export type ItemReader = (stored: Record<string, AttributeValue>) => Record<string, unknown> | undefined;

/**
 * How every read turns stored items into model objects: the model's one decode, and the read's
 * `onInvalid` (or the ORM's) for the items that do not fit. `select`: only these attributes are
 * read, and only they are checked; each object is marked with the lazy attributes it lacks.
 */
export function itemReader(session: Session, model: AnyModel, op: string, onInvalid: OnInvalid | undefined, select?: readonly string[]): ItemReader {
  const only = select?.map((name) => model.attribute(name)!);
  const policy = onInvalid ?? session.onInvalid;
  const partial = session.driver.partialItems === true;
  const unread = lazyLeftOut(model, select);
  return (stored) => {
    const item = model.decode(stored, only, partial);
    if (item instanceof StoredIssues) return invalid(session, model, op, policy, stored, item);
    markUnread(item, unread);
    return item;
  };
}

function invalid(session: Session, model: AnyModel, op: string, policy: OnInvalid, stored: Record<string, AttributeValue>, found: StoredIssues): undefined {
  const error = model.invalidStored(op, stored, found.issues);
  if (policy === 'throw') throw error;
  const key = error.context['key'] as Record<string, unknown>;
  const report: InvalidItem = { model: model.name, op, key, item: stored, issues: error.issues };
  if (policy === 'skip') {
    session.logger.warn(`${op} ${model.name} ${showKey(key)}: skipped, the stored item does not fit the model: ${error.issues.map((i) => i.message).join('; ')}`, report);
  } else if (policy(report) === 'throw') {
    throw error;
  }
  return undefined;
}
