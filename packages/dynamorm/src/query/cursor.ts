import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { ValidationError } from '../errors/errors.js';
import type { AnyModel } from '../schema/model.js';

/**
 * Opaque page cursors: the last returned item's key, tied to the query it came from by a
 * signature, so that a cursor of another query or model, or a tampered one, is refused.
 */
type Scalar = { S: string } | { N: string } | { B: string };

function checksum(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}

export function encodeCursor(signature: string, key: Record<string, AttributeValue>): string {
  const k: Record<string, Scalar> = {};
  for (const [name, v] of Object.entries(key)) {
    k[name] = v.S !== undefined ? { S: v.S } : v.N !== undefined ? { N: v.N } : { B: Buffer.from(v.B!).toString('base64') };
  }
  const body = JSON.stringify({ s: checksum(signature), k });
  return Buffer.from(`${checksum(body)}.${body}`).toString('base64url');
}

export function decodeCursor(model: AnyModel, signature: string, cursor: string, expected: readonly string[]): Record<string, AttributeValue> {
  const refuse = (why: string): never => {
    throw new ValidationError(
      [{ attribute: '', expected: 'a cursor returned by this query', received: why, message: `invalid cursor: ${why}` }],
      { op: 'page', model: model.name },
      `page ${model.name}: invalid cursor (${why}); pass the cursor a previous page() of the same query returned`,
    );
  };
  let parsed: { s?: unknown; k?: unknown };
  try {
    const text = Buffer.from(cursor, 'base64url').toString('utf8');
    const dot = text.indexOf('.');
    if (dot < 0 || checksum(text.slice(dot + 1)) !== text.slice(0, dot)) return refuse('it was altered or is not a cursor');
    parsed = JSON.parse(text.slice(dot + 1)) as typeof parsed;
  } catch {
    return refuse('it is not a cursor');
  }
  if (parsed.s !== checksum(signature)) return refuse('it belongs to another query');
  const k = parsed.k as Record<string, Partial<Record<'S' | 'N' | 'B', unknown>>> | undefined;
  if (typeof k !== 'object' || k === null) return refuse('it holds no key');
  const names = Object.keys(k);
  if (names.length !== expected.length || !expected.every((n) => names.includes(n))) return refuse('its key does not fit this query');
  const key: Record<string, AttributeValue> = {};
  for (const name of names) {
    const v = k[name]!;
    if (typeof v.S === 'string') key[name] = { S: v.S };
    else if (typeof v.N === 'string' && /^-?[0-9.eE+-]+$/.test(v.N)) key[name] = { N: v.N };
    else if (typeof v.B === 'string') key[name] = { B: Buffer.from(v.B, 'base64') };
    else return refuse('its key holds a value of no key type');
  }
  return key;
}
