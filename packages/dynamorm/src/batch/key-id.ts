import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { AnyModel } from '../schema/model.js';

const scalar = (v: AttributeValue | undefined): string =>
  v === undefined ? '' : v.S !== undefined ? `S${v.S}` : v.N !== undefined ? `N${v.N}` : v.B !== undefined ? `B${Buffer.from(v.B).toString('base64')}` : '?';

/** A stable identity of an item: its table and stored primary key (for dedupe and matching). */
export function keyId(table: string, model: AnyModel, stored: Record<string, AttributeValue>): string {
  const { pk, sk } = model.primary;
  return JSON.stringify([table, scalar(stored[pk.field]), sk === undefined ? '' : scalar(stored[sk.field])]);
}

/** Just the primary key fields of a stored item. */
export function storedKey(model: AnyModel, stored: Record<string, AttributeValue>): Record<string, AttributeValue> {
  const { pk, sk } = model.primary;
  const key: Record<string, AttributeValue> = { [pk.field]: stored[pk.field]! };
  if (sk !== undefined) key[sk.field] = stored[sk.field]!;
  return key;
}
