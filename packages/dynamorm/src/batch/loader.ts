import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { encodeKey } from '../query/keys.js';
import type { Session } from '../query/session.js';
import type { AnyModel } from '../schema/model.js';
import { itemReader, type OnInvalid } from '../query/item-reader.js';
import { keyAccess } from '../query/access-pattern.js';
import { isExpired } from '../ttl/expired.js';
import { BatchGetError } from './errors.js';
import { fetchKeys, projectionOf, type KeyGroup } from './get.js';
import { keyId } from './key-id.js';

interface Pending {
  readonly model: AnyModel;
  readonly key: Record<string, AttributeValue>;
  readonly id: string;
  readonly includeExpired: boolean;
  readonly onInvalid: OnInvalid | undefined;
  readonly select: readonly string[] | undefined;
  readonly resolve: (item: unknown) => void;
  readonly reject: (error: unknown) => void;
}

interface Group {
  readonly model: AnyModel;
  readonly consistent: boolean;
  /** The attributes read (a model's eager ones, or those load() asks for); undefined: whole items. */
  readonly projection: KeyGroup['projection'];
  readonly pending: Pending[];
}

/**
 * Coalesces the gets issued in one tick (DataLoader-style): per table, consistency and attributes read, the keys
 * are deduplicated and read with BatchGetItem, 100 a request; each caller gets its own item, or
 * undefined. A lone get is sent as a GetItem.
 */
export class GetLoader {
  private groups = new Map<string, Group>();
  private scheduled = false;

  constructor(private readonly session: Session) {}

  /**
   * One caller's get. Its signal rejects its own promise at once (with the signal's reason); the
   * shared request goes on for the other callers.
   */
  load(model: AnyModel, key: Record<string, unknown>, options: { consistent: boolean; includeExpired: boolean; onInvalid: OnInvalid | undefined; select: readonly string[] | undefined; signal: AbortSignal | undefined; op?: string }): Promise<unknown> {
    const table = this.session.tableName(model);
    const { select } = options;
    const stored = encodeKey(model, key, options.op ?? 'get');
    const group = `${options.consistent ? 'C' : 'E'}${table}${select === undefined ? '' : `|${select.join(',')}`}`;
    const { signal } = options;
    return new Promise((resolve, reject) => {
      if (signal !== undefined) {
        if (signal.aborted) return reject(signal.reason);
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      }
      let g = this.groups.get(group);
      if (g === undefined) this.groups.set(group, (g = { model, consistent: options.consistent, projection: projectionOf(model, select, true), pending: [] }));
      g.pending.push({ model, key: stored, id: keyId(table, model, stored), includeExpired: options.includeExpired, onInvalid: options.onInvalid, select, resolve, reject });
      this.schedule();
    });
  }

  /** After the current promise jobs: gets issued from resolved promises of this tick join too. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    void Promise.resolve().then(() => process.nextTick(() => this.flush()));
  }

  private flush(): void {
    this.scheduled = false;
    const groups = [...this.groups.values()];
    this.groups = new Map();
    for (const group of groups) void this.dispatch(group);
  }

  private async dispatch({ model, consistent, projection, pending }: Group): Promise<void> {
    const keys = new Map<string, Record<string, AttributeValue>>();
    for (const p of pending) keys.set(p.id, p.key);
    const access = this.session.analytics === true ? keyAccess(model) : undefined;
    try {
      let found: Map<string, Record<string, AttributeValue>>;
      if (keys.size === 1) {
        const [id, key] = [...keys][0]!;
        const out = await this.session.send('GetItem', {
          TableName: this.session.tableName(model), Key: key,
          ...(consistent ? { ConsistentRead: true } : {}),
          ...(projection === undefined ? {} : { ProjectionExpression: projection.expression, ExpressionAttributeNames: projection.names }),
        }, 'get', model, { access });
        found = new Map(out.Item === undefined ? [] : [[id, out.Item]]);
      } else {
        const result = await fetchKeys(this.session, [{ model, keys: [...keys.values()], projection }], { consistent, concurrency: 8, access });
        found = result.found;
        const unreadKeys = result.unread[0]!;
        if (unreadKeys.length > 0) {
          const unread = new Set(unreadKeys.map((k) => keyId(this.session.tableName(model), model, k)));
          const error = new BatchGetError(`get ${model.name}: DynamoDB left ${unread.size} keys unprocessed after the retries ran out`, {
            op: 'get', model: model.name, unread: unreadKeys.map((k) => model.storedKey(k)),
          });
          for (const p of pending) if (unread.has(p.id)) p.reject(error);
        }
      }
      for (const p of pending) {
        const item = found.get(p.id);
        try {
          // Each caller decodes with its own onInvalid: a strict get and a lenient one may share a request.
          p.resolve(item === undefined || !p.model.owns(item) || (!p.includeExpired && isExpired(p.model, item)) ? undefined : itemReader(this.session, p.model, 'get', p.onInvalid, p.select)(item));
        } catch (error) {
          p.reject(error);
        }
      }
    } catch (error) {
      for (const p of pending) p.reject(error);
    }
  }
}
