import type { AttributeValue, PutItemCommandInput } from '@aws-sdk/client-dynamodb';
import { ConditionFailedError, OptimisticLockError } from '../errors/errors.js';
import { ExpressionCompiler } from '../expression/compile.js';
import { and, compare, notExists, type Condition } from '../expression/nodes.js';
import type { AnyModel } from '../schema/model.js';
import { refuseKeyOnlyCondition, showKey } from './keys.js';
import { timestampFor } from './managed.js';
import { decodeReturned, sdkReturnValues, type PutReturnValues } from './return-values.js';
import type { Session } from './session.js';
import { refuseUnreadLazy } from './unread-lazy.js';
import { merged } from '../util/merged.js';

export type PutMode = 'create' | 'put';

export interface CompiledPut {
  readonly request: PutItemCommandInput;
  readonly item: Record<string, AttributeValue>;
  /** The version the write expects to replace (versioned models), undefined for a new item. */
  readonly expectedVersion: number | undefined;
}

/**
 * Builds the PutItem for `create` (the key must be new) or `put` (create or replace; on a
 * versioned model, replace only the version that was read, or create when none was).
 */
export function compilePut(model: AnyModel, table: string, input: Record<string, unknown>, mode: PutMode, condition?: Condition, now = new Date()): CompiledPut {
  refuseUnreadLazy(model, mode, input);
  const { versionAttribute: version, createdAtAttribute: createdAt, updatedAtAttribute: updatedAt } = model;
  let item = input;
  let expectedVersion: number | undefined;
  if (version !== undefined || createdAt !== undefined || updatedAt !== undefined) {
    item = { ...input };
    if (createdAt !== undefined && item[createdAt.name] === undefined) item[createdAt.name] = timestampFor(createdAt, now);
    if (updatedAt !== undefined) item[updatedAt.name] = timestampFor(updatedAt, now);
    if (version !== undefined) {
      const given = input[version.name];
      expectedVersion = mode === 'create' || typeof given !== 'number' ? undefined : given;
      item[version.name] = (expectedVersion ?? 0) + 1;
    }
  }
  const stored = model.marshal(item, mode);
  const conditions: Condition[] = [];
  if (mode === 'create' || (version !== undefined && expectedVersion === undefined)) conditions.push(notExists([model.primary.pk.field]));
  else if (version !== undefined) conditions.push(compare([version.field], '=', { N: String(expectedVersion) }));
  refuseKeyOnlyCondition(model, condition, mode);
  if (condition !== undefined) conditions.push(condition);
  const request: PutItemCommandInput = { TableName: table, Item: stored };
  const where = and(conditions);
  if (where !== undefined) {
    const compiler = new ExpressionCompiler();
    request.ConditionExpression = compiler.condition(where);
    compiler.applyTo(request);
    request.ReturnValuesOnConditionCheckFailure = 'ALL_OLD';
  }
  return { request, item: stored, expectedVersion };
}

/** Sends a compiled put, turning a failed condition into the error that says why. */
export async function executePut<T>(session: Session, model: AnyModel, compiled: CompiledPut, mode: PutMode, returnValues: PutReturnValues = 'new'): Promise<T> {
  const request = returnValues === 'new' ? compiled.request : merged(compiled.request, { ReturnValues: sdkReturnValues('put', model, returnValues) });
  let out;
  try {
    out = await session.send('PutItem', request, mode, model, { signal: session.signal });
  } catch (error) {
    if (!retriedOntoItself(error, compiled.item)) throw explainPutFailure(model, compiled, mode, error);
    out = {};
  }
  return decodeReturned(session, model, mode, returnValues, returnValues === 'new' ? compiled.item : out.Attributes) as T;
}

/** An AttributeValue map as canonical JSON (attribute names sorted at every level). */
const canonical = (value: unknown): string => JSON.stringify(value, (_, v: unknown) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v));

/**
 * A conditional put whose first attempt was applied but whose answer was lost (a dropped
 * connection), then retried by the SDK, fails its own condition (the item now exists). When the
 * SDK made more than one attempt and the item that failed the condition is exactly the one sent
 * (timestamps to the millisecond included), the write was this one: it succeeded.
 */
function retriedOntoItself(error: unknown, sent: Record<string, AttributeValue>): boolean {
  if (!(error instanceof ConditionFailedError)) return false;
  const sdk = error.cause as { $metadata?: { attempts?: number }; Item?: Record<string, AttributeValue> } | undefined;
  return (sdk?.$metadata?.attempts ?? 1) > 1 && sdk?.Item !== undefined && canonical(sdk.Item) === canonical(sent);
}

/** Which condition of a put failed: the key already existed, or another version was there. */
export function explainPutFailure(model: AnyModel, compiled: CompiledPut, mode: PutMode, error: unknown): unknown {
  if (!(error instanceof ConditionFailedError)) return error;
  const itemKey = model.keyOf(model.unmarshal(compiled.item)) as Record<string, unknown>;
  const key = showKey(itemKey);
  const base = { op: mode, model: model.name, cause: error.cause, item: error.item, context: { key: itemKey } };
  const version = model.versionAttribute;
  if (mode === 'create') {
    return new ConditionFailedError(`create ${model.name}: an item with key ${key} already exists (put() replaces it)`, base);
  }
  if (version !== undefined) {
    const actual = error.item?.[version.name] as number | undefined;
    const expected = compiled.expectedVersion;
    const what = expected === undefined
      ? `the item exists at version ${actual}; a put without the version it read would overwrite it blindly: read it and pass its version`
      : actual === undefined
        ? `expected version ${expected}, but no item has this key (it was never created, or was deleted since it was read): create it with create(), or put it without a version`
        : `expected version ${expected}, found ${actual}: another write came first; read it again and retry`;
    if (actual !== expected) {
      return new OptimisticLockError(`put ${model.name} ${key}: ${what}`, { ...base, expectedVersion: expected, actualVersion: actual });
    }
  }
  return new ConditionFailedError(`${mode} ${model.name} ${key}: the condition did not hold`, base);
}
