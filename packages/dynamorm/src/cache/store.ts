import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/** A cached read of one key: the stored item, or null when DynamoDB holds none. */
export type CachedItem = Record<string, AttributeValue> | null;

/**
 * Where the read cache keeps items (`cache: { store }`): in this process (`MemoryStore`, the
 * default) or shared between processes (`RedisStore`). Keys are opaque strings; an entry lives
 * `ttlMs` at most. A store may answer `undefined` for any key (evicted, expired, unreachable):
 * the read then goes to DynamoDB.
 */
export interface CacheStore {
  /** The entries of these keys, in their order (undefined where there is none). */
  get(keys: readonly string[]): Promise<readonly (CachedItem | undefined)[]>;
  set(entries: readonly (readonly [string, CachedItem])[], ttlMs: number): Promise<void>;
  delete(keys: readonly string[]): Promise<void>;
  /** Entries held and entries evicted to stay within bounds, where the store counts them. */
  stats?(): { readonly items: number; readonly evictions: number };
}
