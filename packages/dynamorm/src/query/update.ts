import type { UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import { ConditionFailedError, ItemNotFoundError, OptimisticLockError, ValidationError } from '../errors/errors.js';
import { ExpressionCompiler } from '../expression/compile.js';
import { and, compare, exists, value as valueOperand, type Condition, type UpdateAction } from '../expression/nodes.js';
import type { AnyModel } from '../schema/model.js';
import { encodeKey, showKey } from './keys.js';
import { timestampFor } from './managed.js';
import { decodeReturned, sdkReturnValues, type UpdateReturnValues } from './return-values.js';
import type { Session } from './session.js';
import { UpdateBuilder, UpdateError, type UpdateChanges, type Updater } from './update-builder.js';

/** The three forms of update: an object of changes, an attribute and its value, or a builder. */
export type UpdateArgs<M extends AnyModel> =
  | [changes: UpdateChanges<M>]
  | [updater: Updater<M>]
  | [attribute: string, value: unknown];

/** Separates an update's own arguments from its trailing options object. */
export function splitUpdateArgs(args: readonly unknown[]): [readonly unknown[], { returnValues?: UpdateReturnValues } | undefined] {
  const arity = typeof args[0] === 'string' ? 2 : 1;
  return [args.slice(0, arity), args[arity] as { returnValues?: UpdateReturnValues } | undefined];
}

export interface CompiledUpdate {
  readonly request: UpdateItemCommandInput;
  readonly expectedVersion: number | undefined;
  readonly key: Record<string, unknown>;
}

function actionsOf(model: AnyModel, args: readonly unknown[]): { builder: UpdateBuilder<AnyModel>; expectedVersion: number | undefined } {
  let builder = new UpdateBuilder(model);
  let expectedVersion: number | undefined;
  const [first, second] = args;
  if (typeof first === 'function') return { builder: (first as Updater<AnyModel>)(builder), expectedVersion };
  const changes: Record<string, unknown> = typeof first === 'string' ? { [first]: second } : (first as Record<string, unknown>);
  if (typeof changes !== 'object' || changes === null) throw new UpdateError('', 'an object of changes, an attribute and a value, or an update function', typeof first);
  const version = model.versionAttribute;
  for (const name of Object.keys(changes)) {
    const v = changes[name];
    if (version !== undefined && name === version.name) {
      if (typeof v !== 'number') throw new UpdateError(name, 'the version number that was read', typeof v);
      expectedVersion = v;
    } else if (v === undefined) builder = builder.remove(name as never);
    else builder = builder.set(name as never, v as never);
  }
  return { builder, expectedVersion };
}

/**
 * Builds the UpdateItem: the user's actions plus updatedAt and the version bump, conditioned on
 * the item existing (an update never creates a half item), on the version that was read when
 * one was given, and on the caller's own conditions.
 */
export function compileUpdate(model: AnyModel, table: string, key: Record<string, unknown>, args: readonly unknown[], condition?: Condition, now = new Date(), readVersion?: number): CompiledUpdate {
  let parsed: ReturnType<typeof actionsOf>;
  try {
    parsed = actionsOf(model, args);
  } catch (error) {
    if (!(error instanceof UpdateError)) throw error;
    throw model.validationError('update', [{ path: error.attribute === '' ? [] : [error.attribute], expected: error.expected, received: error.received }]);
  }
  const { builder } = parsed;
  if (parsed.expectedVersion !== undefined && readVersion !== undefined && parsed.expectedVersion !== readVersion) {
    throw model.validationError('update', [{ path: [model.versionAttribute!.name], expected: `one version (where() says ${readVersion})`, received: `version ${parsed.expectedVersion} in the changes` }]);
  }
  const expectedVersion = parsed.expectedVersion ?? readVersion;
  const actions: UpdateAction[] = [...builder.actions];
  if (actions.length === 0) {
    throw new ValidationError([{ attribute: '', expected: 'at least one change', received: 'none', message: 'no changes' }], { op: 'update', model: model.name }, `update ${model.name}: no changes given`);
  }
  const updatedAt = model.updatedAtAttribute;
  if (updatedAt !== undefined && !actions.some((a) => a.path[0] === updatedAt.field)) {
    const ctx = { issues: [] };
    actions.push({ kind: 'set', path: [updatedAt.field], value: valueOperand(updatedAt.encode(timestampFor(updatedAt, now), ctx)!) });
  }
  const conditions: Condition[] = [exists([model.primary.pk.field])];
  const version = model.versionAttribute;
  if (version !== undefined) {
    if (expectedVersion === undefined) {
      actions.push({ kind: 'add', path: [version.field], value: { N: '1' } });
    } else {
      actions.push({ kind: 'set', path: [version.field], value: valueOperand({ N: String(expectedVersion + 1) }) });
      conditions.push(compare([version.field], '=', { N: String(expectedVersion) }));
    }
  }
  if (condition !== undefined) conditions.push(condition);
  const compiler = new ExpressionCompiler();
  const request: UpdateItemCommandInput = {
    TableName: table,
    Key: encodeKey(model, key, 'update'),
    UpdateExpression: compiler.update(actions),
    ConditionExpression: compiler.condition(and(conditions)!),
    ReturnValues: 'ALL_NEW',
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  };
  compiler.applyTo(request);
  return { request, expectedVersion, key };
}

export async function executeUpdate<T>(session: Session, model: AnyModel, compiled: CompiledUpdate, returnValues: UpdateReturnValues = 'new'): Promise<T> {
  const request = returnValues === 'new' ? compiled.request : { ...compiled.request, ReturnValues: sdkReturnValues('update', model, returnValues) };
  try {
    const out = await session.send('UpdateItem', request, 'update', model);
    return (returnValues === 'new' ? model.unmarshal(out.Attributes ?? {}, 'update') : decodeReturned(model, 'update', returnValues, out.Attributes ?? {})) as T;
  } catch (error) {
    throw explainUpdateFailure(model, compiled, error);
  }
}

/** Which condition of an update failed: no such item, another version, or the caller's condition. */
export function explainUpdateFailure(model: AnyModel, compiled: CompiledUpdate, error: unknown): unknown {
  if (!(error instanceof ConditionFailedError)) return error;
  const key = showKey(compiled.key);
  const base = { op: 'update', model: model.name, cause: error.cause ?? error, item: error.item, context: { key: compiled.key } };
  if (error.item === undefined) {
    return new ItemNotFoundError(`update ${model.name}: no item with key ${key} (update changes existing items; create() makes new ones)`, base);
  }
  const version = model.versionAttribute;
  const actual = version === undefined ? undefined : (error.item[version.name] as number | undefined);
  if (version !== undefined && compiled.expectedVersion !== undefined && actual !== compiled.expectedVersion) {
    return new OptimisticLockError(
      `update ${model.name} ${key}: expected version ${compiled.expectedVersion}, found ${actual}: another write came first; read it again and retry`,
      { ...base, expectedVersion: compiled.expectedVersion, actualVersion: actual },
    );
  }
  return new ConditionFailedError(`update ${model.name} ${key}: the condition did not hold`, base);
}
