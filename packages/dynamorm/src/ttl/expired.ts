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

/** The filter of the current second, per TTL attribute: queries in one second share one node. */
const filters = new WeakMap<object, { second: number; node: Condition }>();

/**
 * `attribute_not_exists(ttl) OR ttl > :now`, or undefined for a model without TTL, or on an index
 * that does not project the TTL attribute (DynamoDB refuses a filter on it there; such an index
 * cannot tell expired items apart).
 */
export function unexpiredFilter(model: AnyModel, path?: AccessPath, now = new Date()): Condition | undefined {
  const ttl = model.ttlAttribute;
  if (ttl === undefined) return undefined;
  if (path !== undefined && path.type !== 'TABLE' && path.projection !== 'ALL' && !(Array.isArray(path.projection) && (path.projection as readonly string[]).includes(ttl.name))) return undefined;
  const second = epochSeconds(now);
  const cached = filters.get(ttl);
  if (cached?.second === second) return cached.node;
  const node: Condition = Object.freeze({ kind: 'or', items: Object.freeze([notExists([ttl.field]), compare([ttl.field], '>', { N: String(second) })]) });
  filters.set(ttl, { second, node });
  return node;
}

/** Whether a stored item's TTL has passed (an item without TTL never expires). */
export function isExpired(model: AnyModel, stored: Record<string, AttributeValue>, now = new Date()): boolean {
  const ttl = model.ttlAttribute;
  if (ttl === undefined) return false;
  const n = stored[ttl.field]?.N;
  return n !== undefined && Number(n) <= epochSeconds(now);
}
