import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { numberSize } from './number.js';

/** DynamoDB's item size limit: 400 KB, names and values counted. */
export const MAX_ITEM_BYTES = 400 * 1024;

const utf8 = (text: string): number => Buffer.byteLength(text, 'utf8');

/** Bytes of one value, counted the way DynamoDB documents it. */
export function valueSize(value: AttributeValue): number {
  if (value.S !== undefined) return utf8(value.S);
  if (value.N !== undefined) return numberSize(value.N);
  if (value.B !== undefined) return value.B.length;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS !== undefined) return value.SS.reduce((sum, s) => sum + utf8(s), 0);
  if (value.NS !== undefined) return value.NS.reduce((sum, n) => sum + numberSize(n), 0);
  if (value.BS !== undefined) return value.BS.reduce((sum, b) => sum + b.length, 0);
  // Lists and maps: 3 bytes of overhead plus 1 per element, plus names of map entries.
  if (value.L !== undefined) return value.L.reduce((sum, v) => sum + 1 + valueSize(v), 3);
  if (value.M !== undefined) return itemSize(value.M) + 3 + Object.keys(value.M).length;
  return 0;
}

/** Bytes of an item: every attribute's name plus its value. */
export function itemSize(item: Record<string, AttributeValue>): number {
  let size = 0;
  for (const name in item) size += utf8(name) + valueSize(item[name]!);
  return size;
}
