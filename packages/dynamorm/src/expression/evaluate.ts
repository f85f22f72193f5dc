import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Condition, Operand, Path } from './nodes.js';

/**
 * Evaluates a condition on a stored item with DynamoDB's semantics, for the conditions a Query
 * cannot send (DynamoDB refuses a filter on the key attributes it queries, and a key condition
 * takes one condition per key). Strings compare as UTF-8 bytes, numbers exactly as decimals,
 * binaries as bytes; a comparison with a missing value or of different types is false.
 */
export function evaluate(c: Condition, item: Record<string, AttributeValue>): boolean {
  switch (c.kind) {
    case 'compare': {
      const left = operandValue(c.left, item);
      const right = operandValue(c.right, item);
      if (left === undefined || right === undefined) return false;
      if (c.op === '=') return equal(left, right);
      if (c.op === '<>') return !equal(left, right);
      const order = compare(left, right);
      if (order === undefined) return false;
      switch (c.op) {
        case '<': return order < 0;
        case '<=': return order <= 0;
        case '>': return order > 0;
        case '>=': return order >= 0;
      }
      return false;
    }
    case 'between': {
      const v = operandValue(c.operand, item);
      const low = operandValue(c.low, item);
      const high = operandValue(c.high, item);
      if (v === undefined || low === undefined || high === undefined) return false;
      const a = compare(low, v);
      const b = compare(v, high);
      return a !== undefined && b !== undefined && a <= 0 && b <= 0;
    }
    case 'in': {
      const v = operandValue(c.operand, item);
      return v !== undefined && c.values.some((o) => {
        const candidate = operandValue(o, item);
        return candidate !== undefined && equal(v, candidate);
      });
    }
    case 'begins_with': {
      const v = at(item, c.path);
      const prefix = operandValue(c.value, item);
      if (v === undefined || prefix === undefined) return false;
      if (v.S !== undefined && prefix.S !== undefined) return v.S.startsWith(prefix.S);
      if (v.B !== undefined && prefix.B !== undefined) return prefix.B.length <= v.B.length && bytes(v.B.subarray(0, prefix.B.length), prefix.B) === 0;
      return false;
    }
    case 'contains': {
      const v = at(item, c.path);
      const needle = operandValue(c.value, item);
      if (v === undefined || needle === undefined) return false;
      if (v.S !== undefined) return needle.S !== undefined && v.S.includes(needle.S);
      if (v.B !== undefined) return needle.B !== undefined && Buffer.from(v.B).includes(Buffer.from(needle.B));
      if (v.SS !== undefined) return needle.S !== undefined && v.SS.includes(needle.S);
      if (v.NS !== undefined) return needle.N !== undefined && v.NS.some((n) => compareNumbers(n, needle.N!) === 0);
      if (v.BS !== undefined) return needle.B !== undefined && v.BS.some((b) => bytes(b, needle.B!) === 0);
      if (v.L !== undefined) return v.L.some((e) => equal(e, needle));
      return false;
    }
    case 'exists': return at(item, c.path) !== undefined;
    case 'not_exists': return at(item, c.path) === undefined;
    case 'attribute_type': {
      const v = at(item, c.path);
      return v !== undefined && typeOf(v) === c.type;
    }
    case 'and': return c.items.every((i) => evaluate(i, item));
    case 'or': return c.items.some((i) => evaluate(i, item));
    case 'not': return !evaluate(c.item, item);
  }
}

function at(item: Record<string, AttributeValue>, path: Path): AttributeValue | undefined {
  let v: AttributeValue | undefined = item[path[0] as string];
  for (let i = 1; i < path.length && v !== undefined; i++) {
    const s = path[i]!;
    v = typeof s === 'number' ? v.L?.[s] : v.M?.[s];
  }
  return v;
}

function operandValue(o: Operand, item: Record<string, AttributeValue>): AttributeValue | undefined {
  switch (o.kind) {
    case 'value': return o.value;
    case 'path': return at(item, o.path);
    case 'size': {
      const v = at(item, o.path);
      if (v === undefined) return undefined;
      const n = v.S !== undefined ? Buffer.byteLength(v.S, 'utf8') : v.B?.length ?? v.SS?.length ?? v.NS?.length ?? v.BS?.length ?? v.L?.length ?? (v.M === undefined ? undefined : Object.keys(v.M).length);
      return n === undefined ? undefined : { N: String(n) };
    }
  }
}

const typeOf = (v: AttributeValue): string => Object.keys(v).find((k) => (v as unknown as Record<string, unknown>)[k] !== undefined) ?? '';

function bytes(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

/** Order of two scalars of one type; undefined when they do not compare. */
function compare(a: AttributeValue, b: AttributeValue): number | undefined {
  if (a.S !== undefined && b.S !== undefined) return a.S === b.S ? 0 : Buffer.compare(Buffer.from(a.S, 'utf8'), Buffer.from(b.S, 'utf8'));
  if (a.N !== undefined && b.N !== undefined) return compareNumbers(a.N, b.N);
  if (a.B !== undefined && b.B !== undefined) return bytes(a.B, b.B);
  return undefined;
}

function equal(a: AttributeValue, b: AttributeValue): boolean {
  const type = typeOf(a);
  if (type !== typeOf(b)) return false;
  switch (type) {
    case 'S': case 'N': case 'B': return compare(a, b) === 0;
    case 'BOOL': return a.BOOL === b.BOOL;
    case 'NULL': return true;
    case 'SS': return sameSet(a.SS!, b.SS!, (x, y) => x === y);
    case 'NS': return sameSet(a.NS!, b.NS!, (x, y) => compareNumbers(x, y) === 0);
    case 'BS': return sameSet(a.BS!, b.BS!, (x, y) => bytes(x, y) === 0);
    case 'L': return a.L!.length === b.L!.length && a.L!.every((v, i) => equal(v, b.L![i]!));
    case 'M': {
      const ka = Object.keys(a.M!);
      return ka.length === Object.keys(b.M!).length && ka.every((k) => b.M![k] !== undefined && equal(a.M![k]!, b.M![k]!));
    }
    default: return false;
  }
}

function sameSet<T>(a: readonly T[], b: readonly T[], eq: (x: T, y: T) => boolean): boolean {
  return a.length === b.length && a.every((x) => b.some((y) => eq(x, y)));
}

const DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** Exact order of two DynamoDB number strings (up to 38 digits: beyond float precision). */
export function compareNumbers(a: string, b: string): number {
  const x = normalize(a);
  const y = normalize(b);
  if (x.sign !== y.sign) return x.sign < y.sign ? -1 : 1;
  if (x.sign === 0) return 0;
  let order: number;
  if (x.exponent !== y.exponent) order = x.exponent < y.exponent ? -1 : 1;
  else order = x.digits === y.digits ? 0 : x.digits < y.digits ? -1 : 1;
  return x.sign * order;
}

/** sign, significant digits without leading/trailing zeros, and the exponent of the first digit. */
function normalize(text: string): { sign: number; digits: string; exponent: number } {
  const m = DECIMAL.exec(text.trim());
  if (m === null) return { sign: 0, digits: '', exponent: 0 };
  const whole = m[2] ?? '';
  const fraction = m[3] ?? '';
  let digits = whole + fraction;
  let exponent = whole.length + Number(m[4] ?? 0);
  const lead = digits.search(/[1-9]/);
  if (lead < 0) return { sign: 0, digits: '', exponent: 0 };
  digits = digits.slice(lead).replace(/0+$/, '');
  exponent -= lead;
  return { sign: m[1] === '-' ? -1 : 1, digits, exponent };
}

/** Top-level stored attribute names a condition reads. */
export function conditionFields(c: Condition, into: Set<string> = new Set()): Set<string> {
  const add = (p: Path): void => {
    into.add(p[0] as string);
  };
  const addOperand = (o: Operand): void => {
    if (o.kind !== 'value') add(o.path);
  };
  switch (c.kind) {
    case 'compare': addOperand(c.left); addOperand(c.right); break;
    case 'between': addOperand(c.operand); addOperand(c.low); addOperand(c.high); break;
    case 'in': addOperand(c.operand); c.values.forEach(addOperand); break;
    case 'begins_with': case 'contains': add(c.path); addOperand(c.value); break;
    case 'exists': case 'not_exists': case 'attribute_type': add(c.path); break;
    case 'and': case 'or': for (const i of c.items) conditionFields(i, into); break;
    case 'not': conditionFields(c.item, into); break;
  }
  return into;
}
