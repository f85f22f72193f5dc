import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { ValidationError } from '../errors/errors.js';
import { attrDef, type AttrDef } from '../schema/attribute.js';
import { compileEncoder, type ShapeEntry } from '../schema/codec/compile.js';
import type { EncodeContext } from '../schema/codec/issues.js';
import type { AnyModel } from '../schema/model.js';
import type { Condition } from '../expression/nodes.js';
import { value } from '../expression/nodes.js';
import { isParam, refuseParam } from './param.js';
import { isProblem, resolvePath } from './paths.js';

type Exist = 'exists' | 'not_exists';
type Base<T> = NonNullable<T>;

/*
 * Each branch spells its operators out (no aliases inside), so that a wrong operator's error
 * lists them: `'"begins_with"' is not assignable to '"=" | "<>" | "<" | ...'`.
 */
/** The operators that fit an attribute of type T (any operator inside a value of unknown type). */
export type OperatorFor<T, Scalar extends boolean = false> = unknown extends T
  ? Operator
  : [Base<T>] extends [string]
    ? '=' | '<>' | '<' | '<=' | '>' | '>=' | 'between' | 'in' | 'begins_with' | 'contains' | 'exists' | 'not_exists'
    : [Base<T>] extends [number | bigint]
      ? '=' | '<>' | '<' | '<=' | '>' | '>=' | 'between' | 'in' | 'exists' | 'not_exists'
      : [Base<T>] extends [Date]
        ? '=' | '<>' | '<' | '<=' | '>' | '>=' | 'between' | 'in' | 'begins_with' | 'exists' | 'not_exists'
        : [Base<T>] extends [boolean]
          ? '=' | '<>' | 'in' | 'exists' | 'not_exists'
          : [Base<T>] extends [Uint8Array]
            ? '=' | '<>' | '<' | '<=' | '>' | '>=' | 'between' | 'in' | 'begins_with' | 'contains' | 'exists' | 'not_exists'
            : [Base<T>] extends [ReadonlySet<unknown> | readonly unknown[]]
              ? 'contains' | 'exists' | 'not_exists'
              : Scalar extends true
                ? '=' | '<>' | '<' | '<=' | '>' | '>=' | 'between' | 'in' | 'exists' | 'not_exists' // a custom type stored as a scalar compares by its stored form
                : 'exists' | 'not_exists';

type ElementOf<T> = T extends ReadonlySet<infer E> ? E : T extends readonly (infer E)[] ? E : T;

/** What follows the operator: nothing for exists, a pair for between, a list for in, else a value. */
export type OperandFor<T, O> = O extends Exist
  ? []
  : O extends 'between'
    ? [range: readonly [Base<T>, Base<T>]]
    : O extends 'in'
      ? [values: readonly T[]]
      : O extends 'contains'
        ? [value: ElementOf<Base<T>>]
        : O extends 'begins_with'
          ? [prefix: Base<T> extends Uint8Array ? Uint8Array : string]
          : O extends '=' | '<>'
            ? [value: T]
            : [value: Base<T>];

export type Operator = '=' | '<>' | '<' | '<=' | '>' | '>=' | 'between' | 'in' | 'begins_with' | 'contains' | 'exists' | 'not_exists';

/** One `where(attr, op, value)`, parsed: the attribute, operator, marshalled operands and its node. */
export interface WhereClause {
  /** The top-level attribute; for a nested path (`preferences.theme`), the one it starts at. */
  readonly attribute: ShapeEntry;
  /** True for a path into a map, object or list: never a key condition. */
  readonly nested: boolean;
  /** The path as written, for messages. */
  readonly name: string;
  readonly op: Operator;
  readonly operands: readonly AttributeValue[];
  readonly node: Condition;
}

const ORDERED: readonly Operator[] = ['=', '<>', '<', '<=', '>', '>=', 'between', 'in', 'exists', 'not_exists'];
const operatorsByKind: Record<AttrDef['kind'], readonly Operator[]> = {
  string: [...ORDERED, 'begins_with', 'contains'],
  enum: [...ORDERED, 'begins_with', 'contains'],
  number: ORDERED, bigint: ORDERED, ttl: ORDERED,
  date: [...ORDERED, 'begins_with'],
  boolean: ['=', '<>', 'in', 'exists', 'not_exists'],
  binary: [...ORDERED, 'begins_with', 'contains'],
  custom: [...ORDERED, 'begins_with', 'contains'],
  stringSet: ['contains', 'exists', 'not_exists'],
  numberSet: ['contains', 'exists', 'not_exists'],
  binarySet: ['contains', 'exists', 'not_exists'],
  list: ['contains', 'exists', 'not_exists'],
  map: ['exists', 'not_exists'],
  object: ['exists', 'not_exists'],
  unknown: [...ORDERED, 'begins_with', 'contains'],
};
const COMPRESSED: readonly Operator[] = ['exists', 'not_exists'];
/** Inside a `t.unknown()` value nothing is known of the type: every operator is offered. */
const ANY: readonly Operator[] = operatorsByKind.unknown;
/** The schema of a value inside `t.unknown()`: marshalled generically. */
export const GENERIC: AttrDef = attrDef('unknown', { optional: true, nullable: true });

const plain = new WeakMap<AttrDef, (v: unknown, ctx: EncodeContext) => AttributeValue | undefined>();
const withParams = new WeakMap<AttrDef, (v: unknown, ctx: EncodeContext) => AttributeValue | undefined>();

/** An attribute's encoder without its validators: a query value need not be a valid item value. */
export function valueEncoder(def: AttrDef): (v: unknown, ctx: EncodeContext) => AttributeValue | undefined {
  let encode = plain.get(def);
  if (encode === undefined) plain.set(def, (encode = compileEncoder({ ...def, validators: [] })));
  return encode;
}

/** valueEncoder, where a prepared query's parameter (param.ts) becomes its marker, marshalled per call by valueEncoder. */
export function operandEncoder(def: AttrDef): (v: unknown, ctx: EncodeContext) => AttributeValue | undefined {
  let encode = withParams.get(def);
  if (encode === undefined) {
    const compiled = valueEncoder(def);
    withParams.set(def, (encode = (v, ctx) => (isParam(v) ? v.use(def) : compiled(v, ctx))));
  }
  return encode;
}

/** The element schema a `contains` operand is marshalled with. */
function elementDef(def: AttrDef): AttrDef {
  switch (def.kind) {
    case 'stringSet': return { ...def, kind: 'string', nullable: false };
    case 'numberSet': return { ...def, kind: 'number', nullable: false };
    case 'binarySet': return { ...def, kind: 'binary', nullable: false };
    case 'list': return def.element!;
    case 'date': case 'enum': return { ...def, kind: 'string', nullable: false };
    default: return { ...def, nullable: false };
  }
}
const elementDefs = new WeakMap<AttrDef, AttrDef>();
/** The schema of what `contains` / `begins_with` compare with, for an attribute of this schema. */
export const cachedElementDef = (def: AttrDef): AttrDef => {
  let d = elementDefs.get(def);
  if (d === undefined) elementDefs.set(def, (d = elementDef(def)));
  return d;
};

/** How DynamoDB orders two stored scalars of one type: numbers by value, strings and binaries by UTF-8 bytes. */
function storedOrder(a: AttributeValue, b: AttributeValue): number {
  if (a.N !== undefined && b.N !== undefined) {
    const x = Number(a.N);
    const y = Number(b.N);
    return x === y && Number.isInteger(x) && /^-?\d+$/.test(a.N) && /^-?\d+$/.test(b.N) ? Number(BigInt(a.N) - BigInt(b.N)) : x - y;
  }
  if (a.S !== undefined && b.S !== undefined) return Buffer.compare(Buffer.from(a.S), Buffer.from(b.S));
  if (a.B !== undefined && b.B !== undefined) return Buffer.compare(a.B, b.B);
  return 0;
}

/** Parses one where clause, validating attribute (or nested path), operator and operands before any request. */
function whereError(model: AnyModel, op: string, attributeName: string, expected: string, received: string): ValidationError {
  return new ValidationError(
    [{ attribute: attributeName, expected, received, message: `${model.name}.${attributeName}: expected ${expected}, received ${received}` }],
    { op, model: model.name },
  );
}

/** One operand through the attribute's codec (without its validators), or the ValidationError why not. */
function encodeOperand(model: AnyModel, op: string, attributeName: string, def: AttrDef, v: unknown): AttributeValue {
  const ctx: EncodeContext = { issues: [] };
  const out = operandEncoder(def)(v, ctx);
  const issue = ctx.issues[0];
  if (issue !== undefined || out === undefined) throw whereError(model, op, attributeName, issue?.expected ?? 'a value', issue?.received ?? 'nothing');
  return out;
}

/** Parses one where clause, validating attribute, operator and operands before any request. */
export function parseWhere(model: AnyModel, op: string, attributeName: string, operator: string, operand: unknown, arity: number): WhereClause {
  refuseParam(attributeName, 'as the attribute of a condition');
  refuseParam(operator, 'as the operator of a condition');
  const resolved = typeof attributeName === 'string' ? resolvePath(model, attributeName) : undefined;
  if (resolved === undefined || isProblem(resolved)) {
    throw whereError(model, op, attributeName, `an attribute of ${model.name} (${model.codec.entries.map((e) => e.name).join(', ')}) or a path into one`, resolved === undefined ? String(attributeName) : resolved.segment === 0 ? `"${attributeName}"` : `"${attributeName}": ${resolved.problem}`);
  }
  const def = resolved.def ?? GENERIC;
  // DynamoDB sees a compressed attribute as bytes: only whether it exists can be asked.
  const allowed = def.compress !== undefined ? COMPRESSED : resolved.def === undefined ? ANY : operatorsByKind[def.kind];
  if (!allowed.includes(operator as Operator)) {
    throw whereError(model, op, attributeName, `an operator for a ${def.compress !== undefined ? 'compressed (.compress(), stored as bytes)' : def.kind} ${resolved.nested ? 'value' : 'attribute'} (${allowed.join(', ')})`, `"${operator}"`);
  }
  const op2 = operator as Operator;
  const p = resolved.path;
  let operands: AttributeValue[];
  let node: Condition;
  switch (op2) {
    case 'exists':
    case 'not_exists':
      if (arity > 0) throw whereError(model, op, attributeName, `no value after "${op2}"`, 'a value');
      operands = [];
      node = { kind: op2, path: p };
      break;
    case 'between': {
      refuseParam(operand, 'as the whole range of "between": pass [p.low, p.high]');
      if (!Array.isArray(operand) || operand.length !== 2) throw whereError(model, op, attributeName, 'a [low, high] pair after "between"', String(operand));
      operands = [encodeOperand(model, op, attributeName, def, operand[0]), encodeOperand(model, op, attributeName, def, operand[1])];
      // DynamoDB refuses a range whose low end is above its high end, even in a filter.
      // (A prepared query's parameters are checked by DynamoDB, per call.)
      if (!isParam(operand[0]) && !isParam(operand[1]) && storedOrder(operands[0]!, operands[1]!) > 0) throw whereError(model, op, attributeName, 'a [low, high] pair with low <= high', 'a reversed range');
      node = { kind: 'between', operand: resolved.operand, low: value(operands[0]!), high: value(operands[1]!) };
      break;
    }
    case 'in': {
      refuseParam(operand, 'as the whole list of "in" (its length shapes the request): pass a list of parameters, [p.a, p.b]');
      if (!Array.isArray(operand) || operand.length === 0 || operand.length > 100) {
        throw whereError(model, op, attributeName, 'a list of 1 to 100 values after "in"', Array.isArray(operand) ? `${operand.length} values` : String(operand));
      }
      operands = operand.map((v) => encodeOperand(model, op, attributeName, def, v));
      node = { kind: 'in', operand: resolved.operand, values: operands.map(value) };
      break;
    }
    case 'begins_with':
    case 'contains': {
      operands = [encodeOperand(model, op, attributeName, cachedElementDef(def), operand)];
      node = { kind: op2, path: p, value: value(operands[0]!) };
      break;
    }
    default:
      if (arity === 0) throw whereError(model, op, attributeName, `a value after "${op2}"`, 'nothing');
      operands = [encodeOperand(model, op, attributeName, def, operand)];
      node = { kind: 'compare', op: op2, left: resolved.operand, right: value(operands[0]!) };
  }
  return { attribute: resolved.attribute, nested: resolved.nested, name: attributeName, op: op2, operands, node: Object.freeze(node) };
}
