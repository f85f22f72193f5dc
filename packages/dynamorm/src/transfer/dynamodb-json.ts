import type { AttributeValue } from '@aws-sdk/client-dynamodb';

type Json = string | boolean | null | Json[] | { [k: string]: Json };
type Stored = Record<string, AttributeValue>;

const base64 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
const byName = <T>(entries: [string, T][]): [string, T][] => entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
const sorted = (values: readonly string[]): string[] => [...values].sort();

/**
 * An attribute value as DynamoDB JSON, canonical: map keys and set elements sorted, binaries as
 * base64, numbers as the strings DynamoDB holds. The same item always gives the same text.
 */
export function attributeToJson(v: AttributeValue): Json {
  if (v.S !== undefined) return { S: v.S };
  if (v.N !== undefined) return { N: v.N };
  if (v.B !== undefined) return { B: base64(v.B) };
  if (v.BOOL !== undefined) return { BOOL: v.BOOL };
  if (v.NULL !== undefined) return { NULL: true };
  if (v.SS !== undefined) return { SS: sorted(v.SS) };
  if (v.NS !== undefined) return { NS: sorted(v.NS) };
  if (v.BS !== undefined) return { BS: sorted(v.BS.map(base64)) };
  if (v.L !== undefined) return { L: v.L.map(attributeToJson) };
  if (v.M !== undefined) return { M: itemToJson(v.M) };
  throw new Error(`an attribute value of no known type: ${JSON.stringify(Object.keys(v))}`);
}

export function itemToJson(item: Stored): { [k: string]: Json } {
  const out: { [k: string]: Json } = {};
  for (const [name, v] of byName(Object.entries(item))) out[name] = attributeToJson(v);
  return out;
}

/** One line of an export: `{"Item":{...}}`, as DynamoDB's own exports to S3 write it. */
export const itemLine = (item: Stored): string => JSON.stringify({ Item: itemToJson(item) });

const fromBase64 = (s: unknown): Uint8Array => {
  if (typeof s !== 'string') throw new Error('a binary value is not a base64 string');
  return new Uint8Array(Buffer.from(s, 'base64'));
};

const stringList = (v: unknown, type: string): string[] => {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new Error(`${type} is not a list of strings`);
  return v as string[];
};

export function attributeFromJson(v: unknown): AttributeValue {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`not an attribute value: ${JSON.stringify(v)}`);
  const entries = Object.entries(v);
  if (entries.length !== 1) throw new Error(`an attribute value has exactly one type key, not ${JSON.stringify(Object.keys(v))}`);
  const [type, x] = entries[0]!;
  switch (type) {
    case 'S': if (typeof x === 'string') return { S: x }; break;
    case 'N': if (typeof x === 'string') return { N: x }; break;
    case 'B': return { B: fromBase64(x) };
    case 'BOOL': if (typeof x === 'boolean') return { BOOL: x }; break;
    case 'NULL': if (x === true) return { NULL: true }; break;
    case 'SS': return { SS: stringList(x, 'SS') };
    case 'NS': return { NS: stringList(x, 'NS') };
    case 'BS': return { BS: stringList(x, 'BS').map(fromBase64) };
    case 'L': if (Array.isArray(x)) return { L: x.map(attributeFromJson) }; break;
    case 'M': return { M: itemFromJson(x) };
    default: throw new Error(`unknown attribute type ${type}`);
  }
  throw new Error(`a ${type} value of the wrong JSON type: ${JSON.stringify(x)}`);
}

export function itemFromJson(v: unknown): Stored {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('an item is a JSON object of attribute values');
  const item: Stored = {};
  for (const [name, x] of Object.entries(v)) item[name] = attributeFromJson(x);
  return item;
}

/** A line of an export: `{"Item":{...}}` (or a bare item) back to a stored item. */
export function parseItemLine(line: string): Stored {
  const parsed: unknown = JSON.parse(line);
  const body = typeof parsed === 'object' && parsed !== null && 'Item' in parsed && Object.keys(parsed).length === 1 ? (parsed as { Item: unknown }).Item : parsed;
  return itemFromJson(body);
}
