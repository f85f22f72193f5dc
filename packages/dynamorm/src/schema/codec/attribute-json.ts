import type { AttributeValue } from '@aws-sdk/client-dynamodb';

// Binary values (B, BS) travel as { $b: base64 }. The replacer reads the holder's own value:
// a Buffer's toJSON() has run by the time it sees `v`.
function replace(this: Record<string, unknown>, key: string, v: unknown): unknown {
  const raw = this[key];
  return raw instanceof Uint8Array ? { $b: Buffer.from(raw).toString('base64') } : v;
}
const revive = (_: string, v: unknown): unknown =>
  v !== null && typeof v === 'object' && typeof (v as { $b?: unknown }).$b === 'string' ? new Uint8Array(Buffer.from((v as { $b: string }).$b, 'base64')) : v;

/** Stored values (an AttributeValue, an item, or null) as JSON text, binaries included. */
export const attributeValueToJson = (value: AttributeValue | Record<string, AttributeValue> | null): string => JSON.stringify(value, replace);

/** The inverse of attributeValueToJson. */
export const attributeValueFromJson = <T = AttributeValue>(json: string): T => JSON.parse(json, revive) as T;
