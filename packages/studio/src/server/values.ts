import type { AttributeDescription } from 'dynamorm';

/**
 * Items travel as JSON: dates as ISO-8601 text, sets as arrays, bigints as digit strings, binaries
 * as base64. Going back, each value is converted by its attribute's kind where it reads as one
 * (a number typed as text becomes a number); anything else is passed on unchanged, so that the
 * model's own validation names the attribute and what it expected.
 */
export function toJson(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (value instanceof Set) return [...value].map(toJson);
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  return value;
}

const NUMBER = /^\s*-?\d+(\.\d+)?([eE][-+]?\d+)?\s*$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** One value of an attribute, from its JSON form. */
export function fromJson(attribute: AttributeDescription, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  switch (attribute.kind) {
    case 'number':
    case 'ttl':
      return typeof value === 'string' && NUMBER.test(value) ? Number(value) : value;
    case 'bigint':
      return typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? BigInt(value.trim()) : typeof value === 'number' && Number.isInteger(value) ? BigInt(value) : value;
    case 'boolean':
      return value === 'true' ? true : value === 'false' ? false : value;
    case 'date': {
      if (typeof value !== 'string') return value;
      const date = new Date(value);
      return Number.isNaN(date.getTime()) ? value : date;
    }
    case 'binary':
      return typeof value === 'string' && BASE64.test(value) ? new Uint8Array(Buffer.from(value, 'base64')) : value;
    case 'stringSet':
      return Array.isArray(value) ? new Set(value) : value;
    case 'numberSet':
      return Array.isArray(value) ? new Set(value.map((v) => (typeof v === 'string' && NUMBER.test(v) ? Number(v) : v))) : value;
    case 'binarySet':
      return Array.isArray(value) ? new Set(value.map((v) => (typeof v === 'string' && BASE64.test(v) ? new Uint8Array(Buffer.from(v, 'base64')) : v))) : value;
    case 'list':
      return Array.isArray(value) && attribute.element !== undefined ? value.map((v) => fromJson(attribute.element!, v)) : value;
    case 'map':
      return isRecord(value) && attribute.element !== undefined ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromJson(attribute.element!, v)])) : value;
    case 'object':
      return isRecord(value) && attribute.shape !== undefined ? objectFromJson(attribute.shape, value) : value;
    default:
      return value;
  }
}

/** An item (or key) from its JSON form, attribute by attribute; names the model does not declare pass unchanged. */
export function objectFromJson(attributes: readonly AttributeDescription[], value: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const byName = new Map(attributes.map((a) => [a.name, a]));
  return Object.fromEntries(Object.entries(value).map(([name, v]) => {
    const attribute = byName.get(name);
    return [name, attribute === undefined ? v : fromJson(attribute, v)];
  }));
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
