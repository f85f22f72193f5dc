import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { hasDuplicateBytes, NO_EMPTY_KEY } from './collections.js';
import { describe, prefixIssues, type EncodeContext } from './issues.js';
import { formatIso } from './iso-date.js';
import { numberProblem, numberTextProblem } from './number.js';

const isPlainObject = (value: object): boolean => {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

function setOf(values: Set<unknown>, ctx: EncodeContext): AttributeValue | undefined {
  const first = values.values().next().value;
  const fail = (expected: string): undefined => {
    ctx.issues.push({ path: [], expected, received: describe(values) });
    return undefined;
  };
  if (values.size === 0) return fail('a non-empty Set (DynamoDB stores no empty set)');
  if (typeof first === 'string') {
    for (const v of values) if (typeof v !== 'string') return fail('a Set of strings only');
    return { SS: [...(values as Set<string>)] };
  }
  if (typeof first === 'number' || typeof first === 'bigint') {
    const NS: string[] = [];
    for (const v of values) {
      if (typeof v === 'number' ? numberProblem(v) !== undefined : typeof v !== 'bigint' || numberTextProblem(String(v)) !== undefined) {
        return fail('a Set of storable numbers only');
      }
      NS.push(String(v));
    }
    // 1 and 1n are two elements of a Set but one number to DynamoDB, which refuses duplicates.
    if (new Set(NS).size !== NS.length) return fail('a Set of distinct numbers (DynamoDB refuses duplicates)');
    return { NS };
  }
  if (first instanceof Uint8Array) {
    for (const v of values) if (!(v instanceof Uint8Array)) return fail('a Set of Uint8Array only');
    if (hasDuplicateBytes(values)) return fail('a Set of distinct byte arrays (DynamoDB refuses duplicates)');
    return { BS: [...(values as Set<Uint8Array>)] };
  }
  return fail('a Set of strings, numbers or Uint8Array');
}

/** Marshals any value DynamoDB can hold, for `t.unknown()` attributes (free-form data). */
export function encodeUnknown(value: unknown, ctx: EncodeContext): AttributeValue | undefined {
  switch (typeof value) {
    case 'string':
      return { S: value };
    case 'boolean':
      return { BOOL: value };
    case 'number': {
      const problem = numberProblem(value);
      if (problem === undefined) return { N: String(value) };
      ctx.issues.push({ path: [], expected: 'a number DynamoDB can store', received: `${describe(value)} (${problem})` });
      return undefined;
    }
    case 'bigint': {
      const text = value.toString();
      const problem = numberTextProblem(text);
      if (problem === undefined) return { N: text };
      ctx.issues.push({ path: [], expected: 'a number DynamoDB can store', received: `a bigint with ${problem}` });
      return undefined;
    }
    case 'object': {
      if (value === null) return { NULL: true };
      if (value instanceof Uint8Array) return { B: value };
      if (value instanceof Date) return { S: formatIso(value) };
      if (value instanceof Set) return setOf(value, ctx);
      if (Array.isArray(value)) {
        const L: AttributeValue[] = [];
        for (let i = 0; i < value.length; i++) {
          const before = ctx.issues.length;
          const item = encodeUnknown(value[i], ctx);
          if (ctx.issues.length !== before) prefixIssues(ctx, before, i);
          else if (item !== undefined) L.push(item);
          else L.push({ NULL: true });
        }
        return { L };
      }
      if (isPlainObject(value)) {
        const M: Record<string, AttributeValue> = {};
        for (const [key, entry] of Object.entries(value)) {
          if (entry === undefined) continue;
          if (key === '') {
            ctx.issues.push({ path: [], expected: NO_EMPTY_KEY, received: describe(value) });
            continue;
          }
          const before = ctx.issues.length;
          const item = encodeUnknown(entry, ctx);
          if (ctx.issues.length !== before) prefixIssues(ctx, before, key);
          else if (item !== undefined) M[key] = item;
        }
        return { M };
      }
    }
  }
  ctx.issues.push({ path: [], expected: 'a value DynamoDB can store', received: describe(value) });
  return undefined;
}

/** Number text to a number, or a bigint where a number would lose integer digits. */
function decodeNumber(text: string): number | bigint {
  const n = Number(text);
  if (!Number.isSafeInteger(n) && Number.isInteger(n) && /^-?\d+$/.test(text)) return BigInt(text);
  return n;
}

/** Unmarshals any stored value for `t.unknown()` attributes. */
export function decodeUnknown(value: AttributeValue): unknown {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return decodeNumber(value.N);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.NULL !== undefined) return null;
  if (value.B !== undefined) return value.B;
  if (value.L !== undefined) return value.L.map(decodeUnknown);
  if (value.M !== undefined) {
    const out: Record<string, unknown> = {};
    for (const key in value.M) out[key] = decodeUnknown(value.M[key]!);
    return out;
  }
  if (value.SS !== undefined) return new Set(value.SS);
  if (value.NS !== undefined) return new Set(value.NS.map(decodeNumber));
  if (value.BS !== undefined) return new Set(value.BS);
  return undefined;
}

export { isPlainObject };
