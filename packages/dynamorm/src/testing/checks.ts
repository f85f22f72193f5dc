import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { ValidationError } from '../errors/errors.js';
import { compare, notExists, value as valueOperand, type Condition, type UpdateAction } from '../expression/nodes.js';
import { compositeClauses } from '../query/composite.js';
import { encodeKey } from '../query/keys.js';
import { parseWhere, type WhereClause } from '../query/operators.js';
import type { EncodeContext } from '../schema/codec/issues.js';
import type { AnyModel } from '../schema/model.js';
import { storedKey } from '../batch/key-id.js';
import { canonical, canonicalMap, display, displayMap } from './attribute-values.js';
import { renamer, type Call } from './calls.js';
import { compiledAtoms, compiledUpdateAtoms, type Atom } from './expression-atoms.js';

type Item = Record<string, AttributeValue>;

/** One `withX(...)` of an expectation: its label, and why a call fails it (undefined: it passes). */
export interface Check {
  readonly label: string;
  readonly test: (call: Call) => string | undefined;
}

/** Compiles a condition with the production compiler and decodes it the way requests are decoded. */
const atomsOf = (model: AnyModel, condition: Condition): Atom[] => compiledAtoms(condition, renamer([model]));
const changeAtoms = (model: AnyModel, actions: readonly UpdateAction[]): Atom[] => compiledUpdateAtoms(actions, renamer([model]));

/** A GetItem's key as the equality conditions a Query on the same key would carry. */
function keyAtoms(model: AnyModel, key: Item): Atom[] {
  return Object.entries(key).flatMap(([field, v]) => atomsOf(model, compare([field], '=', v)));
}

const list = (atoms: readonly Atom[]): string => (atoms.length === 0 ? 'none' : atoms.map((a) => a.text).join(', '));

/**
 * Marshals a partial item with the model's codecs: each given attribute is validated and
 * encoded as it would be stored, missing ones stay missing (the mock returns what it was given).
 */
export function marshalPartial(model: AnyModel, item: Record<string, unknown>, op: string): Item {
  const ctx: EncodeContext = { issues: [] };
  const stored = model.codec.encode(item, ctx, true);
  if (ctx.issues.length > 0) throw model.validationError(op, ctx.issues);
  return stored;
}

/**
 * A partial item as the model would have stored it: its attributes, then the fields the model
 * adds on every write (composed keys where their attributes are given, the discriminator), so
 * that the read path decodes it as it decodes DynamoDB's.
 */
export function storedPartial(model: AnyModel, item: Record<string, unknown>, op: string): Item {
  const stored = marshalPartial(model, item, op);
  model.addOwnFields(stored);
  return stored;
}

const sameMap = (a: Item, b: Item): boolean => canonicalMap(a) === canonicalMap(b);

/**
 * `withCondition(attribute, op, value)`. On an attribute a key template names, the request may
 * carry it as a condition on the composed key field instead: the planner's own composition of
 * the expectation's conditions (`clauses`, every withCondition of the expectation) says which.
 */
export function conditionCheck(model: AnyModel, label: string, attribute: string, op: string, operand: readonly unknown[], clauses: WhereClause[]): Check {
  const clause = parseWhere(model, 'expect', attribute, op, operand[0], operand.length);
  clauses.push(clause);
  const [atom] = atomsOf(model, clause.node);
  const composed = (): Atom[] => {
    const { where, implied } = compositeClauses(model, clauses);
    return where.filter((w) => implied.get(w)?.includes(clause) === true).flatMap((w) => atomsOf(model, w.node));
  };
  return {
    label,
    test: (call) => {
      const all = call.facts;
      if (all.some((a) => a.key === atom!.key) || composed().some((c) => all.some((a) => a.key === c.key))) return undefined;
      return `the request has no condition ${atom!.text} (its conditions: ${list([...call.keyConditions, ...call.conditions])})`;
    },
  };
}

export function indexCheck(model: AnyModel, label: string, index: string): Check {
  if (!model.indexes.has(index)) {
    const known = [...model.indexes.keys()];
    const message = `expectation on ${model.name}: no index named "${index}"; ${known.length === 0 ? 'the model defines none' : `it has ${known.join(', ')}`}`;
    throw new ValidationError([{ attribute: '', expected: 'an index of the model', received: index, message }], { op: 'expect', model: model.name }, message);
  }
  return { label, test: (call) => (call.index === index ? undefined : `it reads ${call.index === undefined ? 'the table, not an index' : `index ${call.index}`}`) };
}

/** The call's key: a GetItem/UpdateItem/DeleteItem key, or the key fields of a put item. */
const keyOfCall = (model: AnyModel, call: Call): Item | undefined => call.key ?? (call.item === undefined ? undefined : storedKey(model, call.item));

export function keyCheck(model: AnyModel, label: string, key: Record<string, unknown>): Check {
  const encoded = encodeKey(model, key, 'expect');
  const rename = renamer([model]);
  return {
    label,
    test: (call) => {
      const actual = keyOfCall(model, call);
      if (actual !== undefined) return sameMap(actual, encoded) ? undefined : `its key is ${displayMap(actual, rename)}, not ${displayMap(encoded, rename)}`;
      // A Query names its key by equality conditions.
      const missing = keyAtoms(model, encoded).filter((a) => !call.facts.some((c) => c.key === a.key));
      return missing.length === 0 ? undefined : `the request has no key condition ${list(missing)} (its conditions: ${list(call.conditions)})`;
    },
  };
}

/** Why a stored item does not hold the expected attributes, or undefined when it does. */
function itemDifference(model: AnyModel, actual: Item, expected: Item): string | undefined {
  const rename = renamer([model]);
  const diffs: string[] = [];
  for (const [field, v] of Object.entries(expected)) {
    const got = actual[field];
    if (got === undefined) diffs.push(`it has no ${rename(field)} (expected ${display(v)})`);
    else if (canonical(got) !== canonical(v)) diffs.push(`${rename(field)} is ${display(got)}, not ${display(v)}`);
  }
  return diffs.length === 0 ? undefined : diffs.join('; ');
}

export function itemCheck(model: AnyModel, label: string, partial: Record<string, unknown>): Check {
  const expected = marshalPartial(model, partial, 'expect');
  return { label, test: (call) => (call.item === undefined ? 'it writes no item' : itemDifference(model, call.item, expected)) };
}

/** `withChanges({ name: 'Jane', ttl: undefined })`: SET name = "Jane", REMOVE ttl. */
export function changesCheck(model: AnyModel, label: string, changes: Record<string, unknown>): Check {
  const actions: UpdateAction[] = [];
  const set = marshalPartial(model, changes, 'expect');
  for (const [name, v] of Object.entries(changes)) {
    const entry = model.attribute(name);
    if (entry === undefined) continue; // marshalPartial reported it
    if (v === undefined) actions.push({ kind: 'remove', path: [entry.field] });
    else actions.push({ kind: 'set', path: [entry.field], value: valueOperand(set[entry.field]!) });
  }
  const wanted = changeAtoms(model, actions);
  return {
    label,
    test: (call) => {
      const missing = wanted.filter((w) => !call.updates.some((u) => u.key === w.key));
      return missing.length === 0 ? undefined : `it does not ${list(missing)} (its changes: ${list(call.updates)})`;
    },
  };
}

/** A create is a PutItem conditioned on its key not existing yet. */
export function createCheck(model: AnyModel): Check {
  const [atom] = atomsOf(model, notExists([model.primary.pk.field]));
  return { label: '', test: (call) => (call.facts.some((c) => c.key === atom!.key) ? undefined : `it is a put, not a create (no condition ${atom!.text})`) };
}

export function batchKeyCheck(model: AnyModel, label: string, key: Record<string, unknown>): Check {
  const encoded = encodeKey(model, key, 'expect');
  const rename = renamer([model]);
  return {
    label,
    test: (call) => (call.keys.some((k) => sameMap(k, encoded)) ? undefined : `it does not ask for ${displayMap(encoded, rename)} (it asks for ${call.keys.map((k) => displayMap(k, rename)).join(', ') || 'no key'})`),
  };
}

export function batchPutCheck(model: AnyModel, label: string, partial: Record<string, unknown>): Check {
  const expected = marshalPartial(model, partial, 'expect');
  const rename = renamer([model]);
  return {
    label,
    test: (call) => (call.puts.some((p) => itemDifference(model, p, expected) === undefined) ? undefined : `none of its ${call.puts.length} put(s) holds ${displayMap(expected, rename)}`),
  };
}

export function batchDeleteCheck(model: AnyModel, label: string, key: Record<string, unknown>): Check {
  const encoded = encodeKey(model, key, 'expect');
  const rename = renamer([model]);
  return { label, test: (call) => (call.deletes.some((k) => sameMap(k, encoded)) ? undefined : `it does not delete ${displayMap(encoded, rename)}`) };
}

/** A transaction holds an action of this kind on the model (and its table) that passes these checks. */
export function actionCheck(label: string, operation: Call['operation'], model: AnyModel, table: () => string, checks: readonly Check[]): Check {
  return {
    label,
    test: (call) => {
      const candidates = call.actions.filter((a) => a.operation === operation && a.table === table() && (a.subjects.length === 0 || a.subjects.includes(model)));
      if (candidates.length === 0) return `it has no ${operation} on ${model.name} (table "${table()}")`;
      const reasons = candidates.map((a) => checks.map((c) => c.test(a)).filter((r) => r !== undefined).join('; '));
      return reasons.some((r) => r === '') ? undefined : `its ${operation} on "${table()}" does not match: ${reasons.join(' | ')}`;
    },
  };
}
