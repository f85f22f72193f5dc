import type { UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import { ConditionFailedError, ItemNotFoundError, OptimisticLockError, ValidationError } from '../errors/errors.js';
import { ExpressionCompiler } from '../expression/compile.js';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { and, compare, exists, value as valueOperand, type Condition, type SetValue, type UpdateAction } from '../expression/nodes.js';
import { fill, templateIssues } from '../schema/key-template.js';
import type { EncodeContext, RawIssue } from '../schema/codec/issues.js';
import type { ShapeEntry } from '../schema/codec/compile.js';
import { itemSize, MAX_ITEM_BYTES, valueSize } from '../schema/codec/size.js';
import type { AnyModel } from '../schema/model.js';
import { encodeKey, refuseKeyOnlyCondition, showKey } from './keys.js';
import { timestampFor } from './managed.js';
import { decodeReturned, sdkReturnValues, type UpdateOptions, type UpdateReturnValues } from './return-values.js';
import type { Session } from './session.js';
import { UpdateBuilder, UpdateError, type UpdateChanges, type Updater } from './update-builder.js';
import { merged } from '../util/merged.js';

/** The three forms of update: an object of changes, an attribute and its value, or a builder. */
export type UpdateArgs<M extends AnyModel> =
  | [changes: UpdateChanges<M>]
  | [updater: Updater<M>]
  | [attribute: string, value: unknown];

/** Separates an update's own arguments from its trailing options object. */
export function splitUpdateArgs(args: readonly unknown[]): [readonly unknown[], UpdateOptions<UpdateReturnValues> | undefined] {
  const arity = typeof args[0] === 'string' ? 2 : 1;
  return [args.slice(0, arity), args[arity] as UpdateOptions<UpdateReturnValues> | undefined];
}

export interface CompiledUpdate {
  readonly request: UpdateItemCommandInput;
  readonly expectedVersion: number | undefined;
  readonly key: Record<string, unknown>;
  /** Creates the item when missing. */
  readonly upsert: boolean;
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
export function compileUpdate(model: AnyModel, table: string, key: Record<string, unknown>, args: readonly unknown[], condition?: Condition, now = new Date(), readVersion?: number, upsert = false): CompiledUpdate {
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
  if (upsert) upsertActions(model, key, actions, now);
  const conditions: Condition[] = upsert ? [] : [exists([model.primary.pk.field])];
  const version = model.versionAttribute;
  if (version !== undefined) {
    if (expectedVersion === undefined) {
      actions.push({ kind: 'add', path: [version.field], value: { N: '1' } });
    } else {
      actions.push({ kind: 'set', path: [version.field], value: valueOperand({ N: String(expectedVersion + 1) }) });
      conditions.push(compare([version.field], '=', { N: String(expectedVersion) }));
    }
  }
  refuseKeyOnlyCondition(model, condition, 'update');
  if (condition !== undefined) conditions.push(condition);
  if (model.composedPaths.length > 0) composedIndexActions(model, key, actions);
  const Key = encodeKey(model, key, 'update');
  const floor = sizeFloor(Key, actions);
  if (floor > MAX_ITEM_BYTES) {
    throw model.tooLargeError('update', key, floor, 'the key and the values written alone are');
  }
  const compiler = new ExpressionCompiler();
  const request: UpdateItemCommandInput = {
    TableName: table,
    Key,
    UpdateExpression: compiler.update(actions),
    ReturnValues: 'ALL_NEW',
  };
  const where = and(conditions);
  if (where !== undefined) {
    request.ConditionExpression = compiler.condition(where);
    request.ReturnValuesOnConditionCheckFailure = 'ALL_OLD';
  }
  compiler.applyTo(request);
  return { request, expectedVersion, key, upsert };
}

/**
 * What an upsert adds so that the item it may create is whole: the attributes of a composed key
 * (stored besides PK/SK), the discriminator, and createdAt and defaults only where the item has
 * none yet (if_not_exists). Every other required attribute must be among the changes.
 */
function upsertActions(model: AnyModel, key: Record<string, unknown>, actions: UpdateAction[], now: Date): void {
  const set = new Set(actions.filter((a) => a.kind === 'set' && a.path.length === 1).map((a) => a.path[0]));
  const missing: string[] = [];
  const encode = (entry: ShapeEntry, v: unknown): AttributeValue => {
    const ctx: EncodeContext = { issues: [] };
    const out = entry.encode(v, ctx);
    if (ctx.issues.length > 0) throw model.validationError('update', ctx.issues.map((i) => ({ ...i, path: [entry.name, ...i.path] })));
    return out!;
  };
  const keyAttributes = model.primaryKeyAttributes;
  for (const entry of model.codec.entries) {
    if (set.has(entry.field)) continue;
    const keyPart = keyAttributes.includes(entry);
    if (keyPart) {
      // A plain key is written by the Key itself; a composed key's attributes are stored too.
      if (model.keyTemplates !== undefined) actions.push({ kind: 'set', path: [entry.field], value: valueOperand(encode(entry, key[entry.name])) });
      continue;
    }
    const managed = entry.def.managed;
    if (managed === 'createdAt') {
      actions.push({ kind: 'set', path: [entry.field], value: { kind: 'if_not_exists', path: [entry.field], value: valueOperand(encode(entry, timestampFor(entry, now))) } });
    } else if (managed === 'updatedAt' || managed === 'version' || entry.def.optional) {
      continue; // set by every update, or may stay absent
    } else if (entry.def.hasDefault) {
      const fallback = entry.def.default;
      const v = typeof fallback === 'function' ? (fallback as () => unknown)() : fallback;
      actions.push({ kind: 'set', path: [entry.field], value: { kind: 'if_not_exists', path: [entry.field], value: valueOperand(encode(entry, v)) } });
    } else missing.push(entry.name);
  }
  if (missing.length > 0) {
    throw model.validationError('update', [{
      path: [missing[0]!],
      expected: `${missing.join(', ')} among the changes`,
      received: 'nothing',
      note: `an upsert creates the item when it is missing, so it needs every required attribute: give ${missing.join(', ')} too, or update without upsert`,
    }]);
  }
  if (model.entityField !== undefined && !set.has(model.entityField)) actions.push({ kind: 'set', path: [model.entityField], value: valueOperand({ S: model.entity! }) });
}

/**
 * The least the item weighs after an update: its key, and each value written with the name of
 * the attribute it goes in. What the stored item holds besides only DynamoDB knows.
 */
function sizeFloor(key: Record<string, AttributeValue>, actions: readonly UpdateAction[]): number {
  let size = itemSize(key);
  const names = new Set<string>();
  const written = (v: SetValue): number => v.kind === 'value' ? valueSize(v.value) : v.kind === 'if_not_exists' ? written(v.value) : v.kind === 'list_append' ? written(v.first) + written(v.second) : 0;
  for (const a of actions) {
    if (a.kind === 'remove') continue;
    const top = a.path[0];
    if (typeof top === 'string' && !(top in key) && !names.has(top)) {
      names.add(top);
      size += Buffer.byteLength(top, 'utf8');
    }
    size += a.kind === 'set' ? written(a.value) : valueSize(a.value);
  }
  return size;
}

/**
 * Keeps composed index keys right (single-table design): an update that changes an attribute an
 * index template names recomputes that index's fields when every attribute of its templates is
 * known (set by the update, or part of the primary key), removes them when one is removed (the
 * item leaves the sparse index), and is otherwise refused, naming the attributes to give.
 */
function composedIndexActions(model: AnyModel, key: Record<string, unknown>, actions: UpdateAction[]): void {
  const written = new Map<string, UpdateAction>();
  for (const a of actions) if (a.path.length === 1 && typeof a.path[0] === 'string') written.set(a.path[0], a);
  let fromKey: Record<string, AttributeValue> | undefined;
  for (const path of model.composedPaths) {
    if (path.index === undefined) continue;
    const { pk, sk } = path.templates!;
    const vars = sk === undefined ? pk.vars : [...new Set([...pk.vars, ...sk.vars])];
    if (!vars.some((v) => written.has(v.field))) continue;
    const known: Record<string, AttributeValue> = {};
    const unknown: string[] = [];
    let removed = false;
    for (const v of vars) {
      const a = written.get(v.field);
      if (a === undefined && model.primaryKeyAttributes.includes(v)) {
        fromKey ??= Object.fromEntries(model.primaryKeyAttributes.map((k) => [k.field, k.encode(key[k.name], { issues: [] })!]));
        known[v.field] = fromKey[v.field]!;
      } else if (a?.kind === 'remove' || (a?.kind === 'set' && a.value.kind === 'value' && a.value.value.NULL === true)) removed = true;
      else if (a?.kind === 'set' && a.value.kind === 'value') known[v.field] = a.value.value;
      else unknown.push(v.name);
    }
    // A local index's partition key is the table's: only its sort key is the index's own.
    const own = path.type === 'LSI' ? [sk!] : sk === undefined ? [pk] : [pk, sk];
    if (removed) {
      for (const t of own) actions.push({ kind: 'remove', path: [t.field] });
    } else if (unknown.length === 0) {
      const issues: RawIssue[] = [];
      for (const t of own) templateIssues(t, known, issues);
      if (issues.length > 0) throw model.validationError('update', issues);
      for (const t of own) actions.push({ kind: 'set', path: [t.field], value: valueOperand({ S: fill(t, known)! }) });
    } else {
      const changed = vars.filter((v) => written.has(v.field)).map((v) => v.name);
      const templates = `${pk.field} "${pk.text}"${sk === undefined ? '' : `, ${sk.field} "${sk.text}"`}`;
      throw model.validationError('update', [{
        path: [changed[0]!],
        expected: `${unknown.join(', ')} given too`,
        received: `${changed.join(', ')} alone`,
        note: `${changed.join(', ')} ${changed.length === 1 ? 'is' : 'are'} in the key of index ${path.index} (${templates}), which is recomputed on every change: give ${unknown.join(', ')} in the same update (set to ${unknown.length === 1 ? 'its' : 'their'} current value${unknown.length === 1 ? '' : 's'}), or put() the whole item`,
      }]);
    }
  }
}

export async function executeUpdate<T>(session: Session, model: AnyModel, compiled: CompiledUpdate, returnValues: UpdateReturnValues = 'new'): Promise<T> {
  const request = returnValues === 'new' ? compiled.request : merged(compiled.request, { ReturnValues: sdkReturnValues('update', model, returnValues) });
  try {
    const out = await session.send('UpdateItem', request, 'update', model, { signal: session.signal });
    return decodeReturned(session, model, 'update', returnValues, out.Attributes ?? {}) as T;
  } catch (error) {
    throw explainUpdateFailure(model, compiled, error);
  }
}

/** Which condition of an update failed: no such item, another version, or the caller's condition. */
export function explainUpdateFailure(model: AnyModel, compiled: CompiledUpdate, error: unknown): unknown {
  if (!(error instanceof ConditionFailedError)) return error;
  const key = showKey(compiled.key);
  const base = { op: 'update', model: model.name, cause: error.cause, item: error.item, context: { key: compiled.key } };
  if (error.item === undefined && compiled.upsert) {
    return new ConditionFailedError(`update ${model.name} ${key}: the condition did not hold (no item has this key)`, base);
  }
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
