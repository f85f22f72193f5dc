import { DynamORMError } from '../errors/errors.js';
import { attributeValueFromJson, attributeValueToJson } from '../schema/codec/attribute-json.js';
import type { CachedItem, CacheStore } from './store.js';

/** The commands the store uses, as an `ioredis` client has them. */
export interface RedisLike {
  mget(keys: string[]): Promise<(string | null)[]>;
  multi(): { set(key: string, value: string, px: 'PX', ms: number): unknown; exec(): Promise<unknown> };
  del(keys: string[]): Promise<number>;
  quit(): Promise<unknown>;
}

export interface RedisStoreOptions {
  /** An `ioredis` client (or one with the same commands); or give `url` and DynamORM connects with ioredis. */
  readonly client?: RedisLike | undefined;
  /** e.g. redis://127.0.0.1:6379, opened with `ioredis` (an optional peer dependency: npm install ioredis). */
  readonly url?: string | undefined;
  /** Prefix of every key (default `dynamorm:`), to share a Redis between applications. */
  readonly prefix?: string | undefined;
}

/**
 * The read cache shared between processes through Redis: entries expire in Redis (`PX`), writes
 * of every DynamORM process using this store delete their keys there. Items are stored as JSON,
 * binary values as base64.
 */
export class RedisStore implements CacheStore {
  private client: Promise<RedisLike>;
  private readonly prefix: string;

  constructor(options: RedisStoreOptions) {
    this.prefix = options.prefix ?? 'dynamorm:';
    if (options.client !== undefined) this.client = Promise.resolve(options.client);
    else if (options.url !== undefined) this.client = connect(options.url);
    else throw new DynamORMError('config.invalid', 'RedisStore: give { client } (an ioredis client) or { url }', { op: 'config' });
    // Reported on first use instead, but never as an unhandled rejection.
    this.client.catch(() => undefined);
  }

  async get(keys: readonly string[]): Promise<readonly (CachedItem | undefined)[]> {
    if (keys.length === 0) return [];
    const values = await (await this.client).mget(keys.map((k) => this.prefix + k));
    return values.map((v) => (v === null ? undefined : attributeValueFromJson<CachedItem>(v)));
  }

  async set(entries: readonly (readonly [string, CachedItem])[], ttlMs: number): Promise<void> {
    const multi = (await this.client).multi();
    for (const [key, item] of entries) multi.set(this.prefix + key, attributeValueToJson(item), 'PX', ttlMs);
    await multi.exec();
  }

  async delete(keys: readonly string[]): Promise<void> {
    if (keys.length > 0) await (await this.client).del(keys.map((k) => this.prefix + k));
  }

  /** Closes the connection (one DynamORM opened from `url`, or the client given). */
  async close(): Promise<void> {
    await (await this.client).quit();
  }
}

async function connect(url: string): Promise<RedisLike> {
  let Redis: new (url: string) => RedisLike;
  try {
    const name = 'ioredis';
    Redis = ((await import(name)) as { default: new (url: string) => RedisLike }).default;
  } catch {
    throw new DynamORMError('config.missingPackage', 'RedisStore({ url }) needs the package ioredis: npm install ioredis (or pass { client } of your own)', { op: 'config' });
  }
  return new Redis(url);
}
