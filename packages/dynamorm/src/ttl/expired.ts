import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Condition } from '../expression/nodes.js';
import { compare, notExists } from '../expression/nodes.js';
import type { AccessPath, AnyModel } from '../schema/model.js';

/**
 * Items whose TTL has passed are hidden from reads: DynamoDB deletes them lazily (within days),
 * so until then a read would return them. Queries and scans filter them out in DynamoDB, gets
 * and batch gets here. `includeExpired()` shows them.
 */
const epochSeconds = (now: Date): number => Math.floor(now.getTime() / 1000);

/**
 * `attribute_not_exists(ttl) OR ttl > :now`, or undefined for a model without TTL, or on an index
 * that does not project the TTL attribute (DynamoDB refuses a filter on it there; such an index
 * cannot tell expired items apart).
 */
export function unexpiredFilter(model: AnyModel, path?: AccessPath, now = new Date()): Condition | undefined {
  const ttl = model.ttlAttribute;
  if (ttl === undefined) return undefined;
  if (path !== undefined && path.type !== 'TABLE' && path.projection !== 'ALL' && !(Array.isArray(path.projection) && (path.projection as readonly string[]).includes(ttl.name))) return undefined;
  return Object.freeze({ kind: 'or', items: Object.freeze([notExists([ttl.field]), compare([ttl.field], '>', { N: String(epochSeconds(now)) })]) });
}

/** Whether a stored item's TTL has passed (an item without TTL never expires). */
export function isExpired(model: AnyModel, stored: Record<string, AttributeValue>, now = new Date()): boolean {
  const ttl = model.ttlAttribute;
  if (ttl === undefined) return false;
  const n = stored[ttl.field]?.N;
  return n !== undefined && Number(n) <= epochSeconds(now);
}
