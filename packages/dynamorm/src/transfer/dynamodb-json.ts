import type { AttributeValue } from '@aws-sdk/client-dynamodb';

type Stored = Record<string, AttributeValue>;

const base64 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
const text = JSON.stringify;
const sorted = (values: readonly string[]): string[] => [...values].sort();

/** A JSON array index ("0", "17"): JSON.stringify writes such keys first, in numeric order. */
const INDEX = /^(0|[1-9]\d*)$/;
const isIndex = (k: string): boolean => INDEX.test(k) && Number(k) < 4294967295;

/**
 * Names in the order JSON.stringify writes an object built in sorted order: array-index names
 * first, numerically, then the others sorted. Exports written before the writer below built
 * objects keep the same bytes.
 */
function inOrder(names: string[]): string[] {
  names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const indexes = names.filter(isIndex);
  return indexes.length === 0 ? names : [...indexes.sort((a, b) => Number(a) - Number(b)), ...names.filter((k) => !isIndex(k))];
}

/**
 * An attribute value as DynamoDB JSON text, canonical: map keys and set elements sorted, binaries
 * as base64, numbers as the strings DynamoDB holds. The same item always gives the same text;
 * written as text directly, without building the JSON objects first (exports write millions).
 */
export function attributeText(v: AttributeValue): string {
  if (v.S !== undefined) return `{"S":${text(v.S)}}`;
  if (v.N !== undefined) return `{"N":${text(v.N)}}`;
  if (v.B !== undefined) return `{"B":"${base64(v.B)}"}`;
  if (v.BOOL !== undefined) return `{"BOOL":${v.BOOL}}`;
  if (v.NULL !== undefined) return '{"NULL":true}';
  if (v.SS !== undefined) return `{"SS":${text(sorted(v.SS))}}`;
  if (v.NS !== undefined) return `{"NS":${text(sorted(v.NS))}}`;
  if (v.BS !== undefined) return `{"BS":${text(sorted(v.BS.map(base64)))}}`;
  if (v.L !== undefined) return `{"L":[${v.L.map(attributeText).join(',')}]}`;
  if (v.M !== undefined) return `{"M":${itemText(v.M)}}`;
  throw new Error(`an attribute value of no known type: ${JSON.stringify(Object.keys(v))}`);
}

export function itemText(item: Stored): string {
  return `{${inOrder(Object.keys(item)).map((name) => `${text(name)}:${attributeText(item[name]!)}`).join(',')}}`;
}

/** One line of an export: `{"Item":{...}}`, as DynamoDB's own exports to S3 write it. */
export const itemLine = (item: Stored): string => `{"Item":${itemText(item)}}`;

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
