import type { AttributeValue, KeysAndAttributes, TransactGetItem, TransactWriteItem, WriteRequest } from '@aws-sdk/client-dynamodb';
import type { DriverContext, InputOf, Operation } from '../driver/driver.js';
import { compare } from '../expression/nodes.js';
import { after, parse, type CompiledTemplate } from '../schema/key-template.js';
import type { AnyModel } from '../schema/model.js';
import { displayMap } from './attribute-values.js';
import { compiledAtoms, conditionAtoms, updateAtoms, type Atom, type Placeholders } from './expression-atoms.js';

type Item = Record<string, AttributeValue>;

/**
 * One request, or one part of a batch or transaction, decoded back to what an expectation can
 * match: its table, index, key, item, conditions and update clauses, in the model's terms.
 */
export interface Call {
  /** The SDK operation, or the action of a transaction (`ConditionCheck` included). */
  readonly operation: Operation | 'ConditionCheck';
  readonly table: string;
  /** Every registered model of the table. */
  readonly models: readonly AnyModel[];
  /** The model the code called (several: a collection); empty when the mock cannot tell. */
  readonly subjects: readonly AnyModel[];
  readonly index: string | undefined;
  /** The primary key a GetItem, UpdateItem, DeleteItem or ConditionCheck addresses. */
  readonly key: Item | undefined;
  /** The item a PutItem writes. */
  readonly item: Item | undefined;
  /**
   * Key condition and filter of a read, or the condition of a write, as the code under test
   * wrote them: an equality on a composed key field is shown as the equalities on the attributes
   * its template names; the discriminator and the TTL filter, the library's own, are left out.
   */
  readonly conditions: readonly Atom[];
  /** A GetItem's key as the equalities a query on it would carry, in the model's terms. */
  readonly keyConditions: readonly Atom[];
  /** What checks compare: the conditions, plus the composed key conditions as sent. */
  readonly facts: readonly Atom[];
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

/** Stored attribute name → the name a model of the table gives it (the first model given wins). */
export function renamer(models: readonly AnyModel[]): (field: string) => string {
  return (field) => {
    for (const m of models) for (const e of m.codec.entries) if (e.field === field) return e.name;
    // A composed key field is shown with its template, which names the model's attributes (when the models agree on it).
    const texts = new Set(models.flatMap((m) => templatesOf(m).filter((t) => t.field === field).map((t) => t.text)));
    return texts.size === 1 ? `${field} (${[...texts][0]!})` : field;
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

const EMPTY = {
  subjects: [], index: undefined, key: undefined, item: undefined, conditions: [], keyConditions: [], facts: [], updates: [], segment: undefined, count: false,
  keys: [], puts: [], deletes: [], actions: [],
};

/** The filter that hides expired items (ttl/expired.ts): the library's, not the code under test's. */
function isTtlFilter(atom: Atom, models: readonly AnyModel[]): boolean {
  return models.some((m) => m.ttlAttribute !== undefined && /^\(?attribute_not_exists\((\S+)\) OR \1 > N:\d+\)?$/.exec(atom.key)?.[1] === m.ttlAttribute.field);
}

const templatesOf = (m: AnyModel): CompiledTemplate[] => m.composedPaths.flatMap((p) => (p.templates!.sk === undefined ? [p.templates!.pk] : [p.templates!.pk, p.templates!.sk]));

/** Whether a stored key (or item) has the key fields of the model, each composed key parsing by its template. */
function fitsKey(model: AnyModel, stored: Item): boolean {
  const { pk, sk } = model.primary;
  if (stored[pk.field] === undefined || (sk !== undefined && stored[sk.field] === undefined)) return false;
  const t = model.keyTemplates;
  return t === undefined || [t.pk, t.sk].every((x) => x === undefined || (stored[x.field]?.S !== undefined && parse(x, stored[x.field]!.S!) !== undefined));
}

/** The model of the table a stored item or key belongs to: by its discriminator, else by the only key templates it fits. */
export function ownerOf(models: readonly AnyModel[], stored: Item): AnyModel | undefined {
  if (models.length <= 1) return models[0];
  const tagged = models.find((m) => m.entityField !== undefined && stored[m.entityField]?.S === m.entity);
  if (tagged !== undefined) return tagged;
  const fits = models.filter((m) => fitsKey(m, stored));
  return fits.length === 1 ? fits[0] : undefined;
}

/** The entities a condition on the discriminator names (`__entity = "A"`, `__entity IN ("A", "B")`), or undefined. */
function discriminated(atom: Atom, models: readonly AnyModel[]): string[] | undefined {
  for (const field of new Set(models.map((m) => m.entityField).filter((f) => f !== undefined))) {
    if (atom.key.startsWith(`${field} = S:`) || atom.key.startsWith(`${field} IN (`)) {
      return [...atom.key.slice(field.length).matchAll(/S:("(?:[^"\\]|\\.)*")/g)].map((m) => JSON.parse(m[1]!) as string);
    }
  }
  return undefined;
}

/** `"text"` of an atom `<prefix>"text"`, or undefined. */
function stringAfter(key: string, prefix: string): string | undefined {
  if (!key.startsWith(prefix)) return undefined;
  try {
    const v = JSON.parse(key.slice(prefix.length)) as unknown;
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the condition only keeps a key to the template's literal start (`begins_with(SK, "ORDER#")`, or its range up to `ORDER$`). */
const restrictsTo = (atom: Atom, field: string, start: string): boolean =>
  atom.key === `begins_with(${field}, S:${JSON.stringify(start)})` || atom.key === `${field} BETWEEN S:${JSON.stringify(start)} AND S:${JSON.stringify(after(start) ?? '')}`;

/**
 * The conditions in the model's terms: `PK = "CUSTOMER#c1"` read back by its template as
 * `customerId = "c1"`, the bare template prefix (`begins_with(SK, "ORDER#")`) and the
 * discriminator left out, as the planner adds them and the code under test never wrote them.
 */
function inModelTerms(atoms: readonly Atom[], subjects: readonly AnyModel[], models: readonly AnyModel[]): { shown: Atom[]; derived: Atom[] } {
  const shown: Atom[] = [];
  const derived: Atom[] = [];
  const owners = subjects.length > 0 ? subjects : models;
  const rename = renamer(owners);
  for (const atom of atoms) {
    if (discriminated(atom, models) !== undefined) continue;
    let read: Atom[] | undefined;
    let hidden = false;
    for (const m of owners) {
      for (const t of templatesOf(m)) {
        const eq = stringAfter(atom.key, `${t.field} = S:`);
        if (typeof eq === 'string') {
          const values = parse(t, eq);
          if (values !== undefined) read = Object.entries(values).flatMap(([field, v]) => compiledAtoms(compare([field], '=', v), rename));
        } else if (subjects.length === 1 && t.vars.length > 0 && restrictsTo(atom, t.field, t.literals[0]!)) hidden = true;
        if (read !== undefined || hidden) break;
      }
      if (read !== undefined || hidden) break;
    }
    if (read !== undefined) {
      for (const a of read) if (!derived.some((d) => d.key === a.key)) derived.push(a);
      shown.push(...read.filter((a) => !shown.some((s) => s.key === a.key)));
    } else if (!hidden) shown.push(atom);
  }
  return { shown, derived };
}

/** Who the request is about: a collection (its discriminator names several entities), the model the ORM named, or the owner of its key or item. */
function subjectsOf(models: readonly AnyModel[], atoms: readonly Atom[], stored: Item | undefined, context: DriverContext | undefined, table: string, tableOf: (m: AnyModel) => string): AnyModel[] {
  const entities = atoms.map((a) => discriminated(a, models)).find((e) => e !== undefined);
  if (entities !== undefined && entities.length > 1) return entities.flatMap((e) => models.filter((m) => m.entity === e));
  if (context?.model !== undefined && tableOf(context.model) === table) return [context.model];
  const owner = stored === undefined ? undefined : ownerOf(models, stored);
  if (owner !== undefined) return [owner];
  const named = entities === undefined ? [] : models.filter((m) => m.entity === entities[0]);
  return named.length > 0 ? named : models.length === 1 ? [...models] : [];
}

/** Decodes requests of the tables this mock knows. */
export interface Decoder {
  readonly modelsOf: ModelsOf;
  readonly tableOf: (model: AnyModel) => string;
}

function single(operation: Call['operation'], input: Expressions, d: Decoder, context: DriverContext | undefined): Call {
  const table = input.TableName ?? '';
  const models = d.modelsOf(table);
  const p: Placeholders = { names: input.ExpressionAttributeNames, values: input.ExpressionAttributeValues, rename: renamer(models) };
  const sent = [
    ...conditionAtoms(input.KeyConditionExpression, p),
    ...conditionAtoms(input.FilterExpression, p).filter((atom) => !isTtlFilter(atom, models)),
    ...conditionAtoms(input.ConditionExpression, p),
  ];
  const subjects = subjectsOf(models, sent, input.Key ?? input.Item, context, table, d.tableOf);
  const named: Placeholders = { ...p, rename: renamer(subjects.length > 0 ? subjects : models) };
  const atoms = subjects.length === 0 ? sent : [
    ...conditionAtoms(input.KeyConditionExpression, named),
    ...conditionAtoms(input.FilterExpression, named).filter((atom) => !isTtlFilter(atom, models)),
    ...conditionAtoms(input.ConditionExpression, named),
  ];
  const { shown, derived } = inModelTerms(atoms, subjects, models);
  // A GetItem names its key by value: as conditions, it meets withCondition like a query on the key.
  const keyAtoms = operation === 'GetItem' && input.Key !== undefined ? Object.entries(input.Key).flatMap(([f, v]) => compiledAtoms(compare([f], '=', v), named.rename)) : [];
  const key = inModelTerms(keyAtoms, subjects, models);
  return {
    ...EMPTY,
    operation, table, models, subjects, request: input,
    index: input.IndexName,
    key: input.Key,
    item: input.Item,
    conditions: shown,
    keyConditions: key.shown,
    facts: [...keyAtoms, ...key.derived, ...atoms, ...derived],
    updates: updateAtoms(input.UpdateExpression, named),
    segment: input.Segment,
    count: input.Select === 'COUNT',
  };
}

/** Groups stored keys or items by the model they belong to (undefined: the mock cannot tell). */
function byOwner(models: readonly AnyModel[], stored: readonly Item[], fallback: AnyModel | undefined): Map<AnyModel | undefined, Item[]> {
  const groups = new Map<AnyModel | undefined, Item[]>();
  for (const s of stored) {
    const owner = ownerOf(models, s) ?? fallback;
    groups.set(owner, [...(groups.get(owner) ?? []), s]);
  }
  return groups;
}

const fallbackOn = (table: string, d: Decoder, context: DriverContext | undefined): AnyModel | undefined =>
  context?.model !== undefined && d.tableOf(context.model) === table ? context.model : undefined;

/** A BatchGetItem split per table and model (gets of several models of one table are coalesced together). */
function batchGetParts(input: InputOf<'BatchGetItem'>, d: Decoder, context: DriverContext | undefined): Call[] {
  return Object.entries(input.RequestItems ?? {}).flatMap(([table, part]: [string, KeysAndAttributes]) => {
    const models = d.modelsOf(table);
    return [...byOwner(models, part.Keys ?? [], fallbackOn(table, d, context))].map(([owner, keys]): Call => ({
      ...EMPTY, operation: 'BatchGetItem', table, models, subjects: owner === undefined ? [] : [owner], request: input, keys,
    }));
  });
}

function batchWriteParts(input: InputOf<'BatchWriteItem'>, d: Decoder, context: DriverContext | undefined): Call[] {
  return Object.entries(input.RequestItems ?? {}).flatMap(([table, writes]: [string, WriteRequest[]]) => {
    const models = d.modelsOf(table);
    const fallback = fallbackOn(table, d, context);
    const puts = byOwner(models, writes.flatMap((w) => (w.PutRequest?.Item === undefined ? [] : [w.PutRequest.Item])), fallback);
    const deletes = byOwner(models, writes.flatMap((w) => (w.DeleteRequest?.Key === undefined ? [] : [w.DeleteRequest.Key])), fallback);
    return [...new Set([...puts.keys(), ...deletes.keys()])].map((owner): Call => ({
      ...EMPTY, operation: 'BatchWriteItem', table, models, subjects: owner === undefined ? [] : [owner], request: input,
      puts: puts.get(owner) ?? [], deletes: deletes.get(owner) ?? [],
    }));
  });
}

function transactWriteAction(item: TransactWriteItem, d: Decoder): Call {
  if (item.Put !== undefined) return single('PutItem', item.Put, d, undefined);
  if (item.Update !== undefined) return single('UpdateItem', item.Update, d, undefined);
  if (item.Delete !== undefined) return single('DeleteItem', item.Delete, d, undefined);
  return single('ConditionCheck', item.ConditionCheck ?? {}, d, undefined);
}

/**
 * The calls an expectation is matched against. A batch is split per table and model, so each
 * model's part meets its own expectation; a transaction stays whole, with its actions decoded.
 */
export function decode<O extends Operation>(operation: O, input: InputOf<O>, d: Decoder, context?: DriverContext): Call[] {
  switch (operation) {
    case 'BatchGetItem': return batchGetParts(input as InputOf<'BatchGetItem'>, d, context);
    case 'BatchWriteItem': return batchWriteParts(input as InputOf<'BatchWriteItem'>, d, context);
    case 'TransactWriteItems': {
      const actions = ((input as InputOf<'TransactWriteItems'>).TransactItems ?? []).map((i) => transactWriteAction(i, d));
      return [{ ...EMPTY, operation, table: '', models: [], request: input, actions }];
    }
    case 'TransactGetItems': {
      const actions = ((input as InputOf<'TransactGetItems'>).TransactItems ?? []).map((i: TransactGetItem) => single('GetItem', i.Get ?? {}, d, undefined));
      return [{ ...EMPTY, operation, table: '', models: [], request: input, actions }];
    }
    default:
      return [single(operation, input as Expressions, d, context)];
  }
}

/** `Order`, or `collection Customer, Order`. */
export const subjectName = (models: readonly AnyModel[]): string => (models.length === 1 ? models[0]!.name : `collection ${models.map((m) => m.name).join(', ')}`);

const modelNames = (call: Call): string =>
  call.subjects.length > 0 ? subjectName(call.subjects) : call.models.length === 0 ? `table "${call.table}" (no registered model)` : call.models.map((m) => m.name).join('/');

/** The fields the library stores for a model (composed keys, discriminator), which its code never names. */
const ownFields = (m: AnyModel): string[] => [...templatesOf(m).map((t) => t.field), ...(m.entityField === undefined ? [] : [m.entityField])];

/** A stored key in the model's attributes: composed key fields read back by their templates. */
export function keyAttributes(call: Call, key: Item): Item {
  const m = call.subjects.length === 1 ? call.subjects[0]! : undefined;
  if (m?.keyTemplates === undefined) return key;
  const out: Item = {};
  for (const t of [m.keyTemplates.pk, m.keyTemplates.sk]) {
    const values = t === undefined || key[t.field]?.S === undefined ? undefined : parse(t, key[t.field]!.S!);
    if (values === undefined) return key;
    Object.assign(out, values);
  }
  return out;
}

function itemInModelTerms(call: Call, item: Item): Item {
  const own = new Set(call.subjects.flatMap(ownFields));
  return Object.fromEntries(Object.entries(item).filter(([field]) => !own.has(field)));
}

/** `Query on User (table "users", index gsi-email) where email = "a@b.c"`. */
export function describeCall(call: Call): string {
  const rename = renamer(call.subjects.length > 0 ? call.subjects : call.models);
  if (call.operation === 'TransactWriteItems' || call.operation === 'TransactGetItems') {
    return `${call.operation} of ${call.actions.length} action(s): ${call.actions.map(describeCall).join('; ')}`;
  }
  const parts = [`${call.operation} on ${modelNames(call)} (table "${call.table}"${call.index === undefined ? '' : `, index ${call.index}`}${call.segment === undefined ? '' : `, segment ${call.segment}`})`];
  if (call.key !== undefined) parts.push(`key ${displayMap(keyAttributes(call, call.key), rename)}`);
  if (call.item !== undefined) parts.push(`item ${displayMap(itemInModelTerms(call, call.item), rename)}`);
  if (call.conditions.length > 0) parts.push(`${call.operation === 'Query' || call.operation === 'Scan' ? 'where' : 'if'} ${call.conditions.map((a) => a.text).join(' and ')}`);
  if (call.updates.length > 0) parts.push(`changes ${call.updates.map((a) => a.text).join(', ')}`);
  if (call.keys.length > 0) parts.push(`keys ${call.keys.map((k) => displayMap(keyAttributes(call, k), rename)).join(', ')}`);
  if (call.puts.length > 0) parts.push(`${call.puts.length} put(s)`);
  if (call.deletes.length > 0) parts.push(`${call.deletes.length} delete(s)`);
  return parts.join(' ');
}
