import type { AttributeValue, KeysAndAttributes, TransactGetItem, TransactWriteItem, WriteRequest } from '@aws-sdk/client-dynamodb';
import type { InputOf, Operation } from '../driver/driver.js';
import type { AnyModel } from '../schema/model.js';
import { displayMap } from './attribute-values.js';
import { conditionAtoms, updateAtoms, type Atom, type Placeholders } from './expression-atoms.js';

type Item = Record<string, AttributeValue>;

/**
 * One request, or one part of a batch or transaction, decoded back to what an expectation can
 * match: its table, index, key, item, conditions and update clauses, in the model's terms.
 */
export interface Call {
  /** The SDK operation, or the action of a transaction (`ConditionCheck` included). */
  readonly operation: Operation | 'ConditionCheck';
  readonly table: string;
  readonly models: readonly AnyModel[];
  readonly index: string | undefined;
  /** The primary key a GetItem, UpdateItem, DeleteItem or ConditionCheck addresses. */
  readonly key: Item | undefined;
  /** The item a PutItem writes. */
  readonly item: Item | undefined;
  /** Key condition and filter of a read, or the condition of a write. */
  readonly conditions: readonly Atom[];
  readonly updates: readonly Atom[];
  /** A parallel scan's segment. */
  readonly segment: number | undefined;
  readonly count: boolean;
  /** Keys of a BatchGetItem table part. */
  readonly keys: readonly Item[];
  /** Writes of a BatchWriteItem table part. */
  readonly puts: readonly Item[];
  readonly deletes: readonly Item[];
  /** The actions of a transaction. */
  readonly actions: readonly Call[];
  /** The whole SDK request, for messages and `mock.calls`. */
  readonly request: unknown;
}

export type ModelsOf = (table: string) => readonly AnyModel[];

/** Stored attribute name → the name a model of the table gives it. */
export function renamer(models: readonly AnyModel[]): (field: string) => string {
  return (field) => {
    for (const m of models) for (const e of m.codec.entries) if (e.field === field) return e.name;
    return field;
  };
}

interface Expressions {
  TableName?: string | undefined;
  IndexName?: string | undefined;
  KeyConditionExpression?: string | undefined;
  FilterExpression?: string | undefined;
  ConditionExpression?: string | undefined;
  UpdateExpression?: string | undefined;
  ExpressionAttributeNames?: Record<string, string> | undefined;
  ExpressionAttributeValues?: Item | undefined;
  Key?: Item | undefined;
  Item?: Item | undefined;
  Segment?: number | undefined;
  Select?: string | undefined;
}

const EMPTY = { index: undefined, key: undefined, item: undefined, conditions: [], updates: [], segment: undefined, count: false, keys: [], puts: [], deletes: [], actions: [] };

/** The filter that hides expired items (ttl/expired.ts): the library's, not the code under test's. */
function isTtlFilter(atom: Atom, models: readonly AnyModel[]): boolean {
  return models.some((m) => m.ttlAttribute !== undefined && /^\(?attribute_not_exists\((\S+)\) OR \1 > N:\d+\)?$/.exec(atom.key)?.[1] === m.ttlAttribute.field);
}

function single(operation: Call['operation'], input: Expressions, modelsOf: ModelsOf): Call {
  const table = input.TableName ?? '';
  const models = modelsOf(table);
  const p: Placeholders = { names: input.ExpressionAttributeNames, values: input.ExpressionAttributeValues, rename: renamer(models) };
  return {
    ...EMPTY,
    operation, table, models, request: input,
    index: input.IndexName,
    key: input.Key,
    item: input.Item,
    conditions: [
      ...conditionAtoms(input.KeyConditionExpression, p),
      ...conditionAtoms(input.FilterExpression, p).filter((atom) => !isTtlFilter(atom, models)),
      ...conditionAtoms(input.ConditionExpression, p),
    ],
    updates: updateAtoms(input.UpdateExpression, p),
    segment: input.Segment,
    count: input.Select === 'COUNT',
  };
}

function batchGetParts(input: InputOf<'BatchGetItem'>, modelsOf: ModelsOf): Call[] {
  return Object.entries(input.RequestItems ?? {}).map(([table, part]: [string, KeysAndAttributes]) => ({
    ...EMPTY, operation: 'BatchGetItem', table, models: modelsOf(table), request: input, keys: part.Keys ?? [],
  }));
}

function batchWriteParts(input: InputOf<'BatchWriteItem'>, modelsOf: ModelsOf): Call[] {
  return Object.entries(input.RequestItems ?? {}).map(([table, writes]: [string, WriteRequest[]]) => ({
    ...EMPTY, operation: 'BatchWriteItem', table, models: modelsOf(table), request: input,
    puts: writes.flatMap((w) => (w.PutRequest?.Item === undefined ? [] : [w.PutRequest.Item])),
    deletes: writes.flatMap((w) => (w.DeleteRequest?.Key === undefined ? [] : [w.DeleteRequest.Key])),
  }));
}

function transactWriteAction(item: TransactWriteItem, modelsOf: ModelsOf): Call {
  if (item.Put !== undefined) return single('PutItem', item.Put, modelsOf);
  if (item.Update !== undefined) return single('UpdateItem', item.Update, modelsOf);
  if (item.Delete !== undefined) return single('DeleteItem', item.Delete, modelsOf);
  return single('ConditionCheck', item.ConditionCheck ?? {}, modelsOf);
}

/**
 * The calls an expectation is matched against. A batch is split per table, so each model's
 * part meets its own expectation; a transaction stays whole, with its actions decoded.
 */
export function decode<O extends Operation>(operation: O, input: InputOf<O>, modelsOf: ModelsOf): Call[] {
  switch (operation) {
    case 'BatchGetItem': return batchGetParts(input as InputOf<'BatchGetItem'>, modelsOf);
    case 'BatchWriteItem': return batchWriteParts(input as InputOf<'BatchWriteItem'>, modelsOf);
    case 'TransactWriteItems': {
      const actions = ((input as InputOf<'TransactWriteItems'>).TransactItems ?? []).map((i) => transactWriteAction(i, modelsOf));
      return [{ ...EMPTY, operation, table: '', models: [], request: input, actions }];
    }
    case 'TransactGetItems': {
      const actions = ((input as InputOf<'TransactGetItems'>).TransactItems ?? []).map((i: TransactGetItem) => single('GetItem', i.Get ?? {}, modelsOf));
      return [{ ...EMPTY, operation, table: '', models: [], request: input, actions }];
    }
    default:
      return [single(operation, input as Expressions, modelsOf)];
  }
}

const modelNames = (call: Call): string => (call.models.length === 0 ? `table "${call.table}" (no registered model)` : call.models.map((m) => m.name).join('/'));

/** `Query on User (table "users", index gsi-email) where email = "a@b.c"`. */
export function describeCall(call: Call): string {
  const rename = renamer(call.models);
  if (call.operation === 'TransactWriteItems' || call.operation === 'TransactGetItems') {
    return `${call.operation} of ${call.actions.length} action(s): ${call.actions.map(describeCall).join('; ')}`;
  }
  const parts = [`${call.operation} on ${modelNames(call)} (table "${call.table}"${call.index === undefined ? '' : `, index ${call.index}`}${call.segment === undefined ? '' : `, segment ${call.segment}`})`];
  if (call.key !== undefined) parts.push(`key ${displayMap(call.key, rename)}`);
  if (call.item !== undefined) parts.push(`item ${displayMap(call.item, rename)}`);
  if (call.conditions.length > 0) parts.push(`${call.operation === 'Query' || call.operation === 'Scan' ? 'where' : 'if'} ${call.conditions.map((a) => a.text).join(' and ')}`);
  if (call.updates.length > 0) parts.push(`changes ${call.updates.map((a) => a.text).join(', ')}`);
  if (call.keys.length > 0) parts.push(`keys ${call.keys.map((k) => displayMap(k, rename)).join(', ')}`);
  if (call.puts.length > 0) parts.push(`${call.puts.length} put(s)`);
  if (call.deletes.length > 0) parts.push(`${call.deletes.length} delete(s)`);
  return parts.join(' ');
}
