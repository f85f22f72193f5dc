import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Logger } from '../query/session.js';
import { itemSize, MAX_ITEM_BYTES } from '../schema/codec/size.js';
import type { AnyModel } from '../schema/model.js';
import type { Hooks } from './hooks.js';
import { HotKeys } from './hot-partition.js';
import type { Outcome, Sink } from './pipeline.js';
import { WARNING_CODES, type WarningName } from './warning-codes.js';

export interface HotPartitionOptions {
  /** The share of a model's requests one partition key may take before it is called hot (default 0.5). */
  readonly share?: number | undefined;
  /** Requests in the window before any key is judged (default 100). */
  readonly minRequests?: number | undefined;
  /** The sliding window (default 60,000 ms). */
  readonly windowMs?: number | undefined;
}

/**
 * Which best-practice warnings are on. Those judged when a query is planned are on by default;
 * those that watch every request (`hotPartition`, `itemNearSizeLimit`, `filterDiscardsMost`)
 * are off until turned on. `warnings: false` silences all.
 */
export interface WarningsConfig {
  /** `scan.indexCouldServe`: a query read the whole table where an index would have served it (default on). */
  readonly scanIndexCouldServe?: boolean | undefined;
  /** `get.manySingleGets`: many gets in one tick sent one by one, with `batchGets: false` (default on; `perTick` default 10). */
  readonly manySingleGets?: boolean | { readonly perTick?: number | undefined } | undefined;
  /** `scan.unboundedInHandler`: a Scan reading past its first page without a limit inside a request handler (AWS Lambda) (default on). */
  readonly unboundedScan?: boolean | undefined;
  /** `partition.hot`: one partition key taking a large share of a model's requests (default off). */
  readonly hotPartition?: boolean | HotPartitionOptions | undefined;
  /** `item.nearSizeLimit`: an item written or read past `ratio` of the 400 KB limit (default off; ratio 0.8). */
  readonly itemNearSizeLimit?: boolean | { readonly ratio?: number | undefined } | undefined;
  /** `filter.discardsMost`: a page whose filter dropped at least `ratio` of `minRead` or more items read, capacity paid for nothing (default off; 0.9 of 100). */
  readonly filterDiscardsMost?: boolean | { readonly ratio?: number | undefined; readonly minRead?: number | undefined } | undefined;
  /** The least time between two warnings of one code on one subject (default 60,000 ms). */
  readonly intervalMs?: number | undefined;
}

const DEFAULT_ON: Readonly<Record<WarningName, boolean>> = {
  scanIndexCouldServe: true, manySingleGets: true, unboundedScan: true,
  hotPartition: false, itemNearSizeLimit: false, filterDiscardsMost: false,
};
// Bounds the rate limiter's memory: past it, the oldest subjects are forgotten.
const MAX_SUBJECTS = 1000;

const option = <T extends object>(value: boolean | T | undefined): T | undefined => (typeof value === 'object' ? value : undefined);
const keyText = (v: AttributeValue | undefined): string => (v === undefined ? '?' : v.S ?? v.N ?? (v.B === undefined ? JSON.stringify(v) : Buffer.from(v.B).toString('base64')));

/** Best-practice warnings: each with its code, rate-limited per subject, to the logger and the `warning` event. */
export class Warnings implements Sink {
  private readonly on: Readonly<Record<WarningName, boolean>>;
  private readonly last = new Map<string, number>();
  private readonly hot = new Map<string, HotKeys>();
  private singleGets = 0;
  /** Whether a warning watches every request (the pipeline then passes outcomes here). */
  readonly perRequest: boolean;

  constructor(private readonly config: WarningsConfig | false, private readonly logger: Logger, private readonly hooks: Hooks, private readonly modelOf: (name: string) => AnyModel | undefined) {
    const on = {} as Record<WarningName, boolean>;
    for (const name of Object.keys(DEFAULT_ON) as WarningName[]) on[name] = config !== false && (config[name] === undefined ? DEFAULT_ON[name] : config[name] !== false);
    this.on = on;
    this.perRequest = on.hotPartition || on.itemNearSizeLimit || on.filterDiscardsMost;
  }

  enabled(name: WarningName): boolean {
    return this.on[name];
  }

  /** Reports a warning unless it is off or one of its code on `subject` was reported within `intervalMs`. */
  warn(name: WarningName, model: string | undefined, subject: string, message: string, details: Record<string, unknown> = {}): void {
    if (!this.on[name]) return;
    const code = WARNING_CODES[name];
    const key = `${code}|${subject}`;
    const now = Date.now();
    const last = this.last.get(key);
    if (last !== undefined && now - last < ((this.config !== false ? this.config.intervalMs : undefined) ?? 60_000)) return;
    if (this.last.size >= MAX_SUBJECTS) this.last.delete(this.last.keys().next().value!);
    this.last.delete(key);
    this.last.set(key, now);
    this.logger.warn(message);
    this.hooks.emit('warning', { code, message, model, details });
  }

  /** A get sent alone (with `batchGets: false`): many in one tick could have been one BatchGetItem. */
  singleGet(model: AnyModel): void {
    if (!this.on.manySingleGets) return;
    if (this.singleGets++ === 0) setImmediate(() => (this.singleGets = 0));
    const perTick = option(this.config === false ? undefined : this.config.manySingleGets)?.perTick ?? 10;
    if (this.singleGets === perTick) {
      this.warn('manySingleGets', model.name, model.name, `DynamORM: ${perTick} or more gets of ${model.name} were sent one by one in the same tick; with batchGets on (the default) they would be coalesced into BatchGetItem requests of up to 100 keys`, { perTick });
    }
  }

  /** A Scan with no limit going past its first page: worth a warning where requests are served (AWS Lambda). */
  unboundedScan(model: AnyModel, op: string): void {
    if (!this.on.unboundedScan || process.env.AWS_LAMBDA_FUNCTION_NAME === undefined) return;
    this.warn('unboundedScan', model.name, `${model.name}|${op}`,
      `DynamORM: ${model.name} ${op} scans the whole table without a limit inside a request handler (${process.env.AWS_LAMBDA_FUNCTION_NAME}): its time and cost grow with the table; query an index, set a limit and page with cursors, or move the scan to a background job`,
      { handler: process.env.AWS_LAMBDA_FUNCTION_NAME });
  }

  record(o: Outcome): void {
    if (o.response === undefined) return;
    const { request } = o;
    const config = this.config as WarningsConfig;
    if (this.on.filterDiscardsMost && (request.command === 'Query' || request.command === 'Scan')) {
      const { ratio = 0.9, minRead = 100 } = option(config.filterDiscardsMost) ?? {};
      const { read, returned } = o.items;
      if (read >= minRead && read - returned >= ratio * read) {
        const filter = request.input.FilterExpression ?? '';
        this.warn('filterDiscardsMost', request.model, `${request.model}|${request.command}|${request.index ?? ''}|${filter}`,
          `DynamORM: ${request.model ?? request.table} ${request.operation} read ${read} items and its filter kept ${returned}: the capacity of the other ${read - returned} was paid for nothing; a key condition (a sort key or an index on the filtered attributes) would read only what is kept`,
          { read, returned, index: request.index, filter });
      }
    }
    if (this.on.itemNearSizeLimit) {
      const item = request.command === 'PutItem' ? request.input.Item : (o.response as { Item?: Record<string, AttributeValue>; Attributes?: Record<string, AttributeValue> }).Item ?? (o.response as { Attributes?: Record<string, AttributeValue> }).Attributes;
      if (item !== undefined) {
        const ratio = option(config.itemNearSizeLimit)?.ratio ?? 0.8;
        const size = itemSize(item);
        if (size >= ratio * MAX_ITEM_BYTES) {
          const model = request.model === undefined ? undefined : this.modelOf(request.model);
          const key = model === undefined ? '' : [model.primary.pk, ...(model.primary.sk === undefined ? [] : [model.primary.sk])].map((a) => keyText(item[a.field])).join('/');
          this.warn('itemNearSizeLimit', request.model, `${request.model}|${key}`,
            `DynamORM: ${request.model ?? request.table} item ${key} is ${Math.round(size / 1024)} KB, ${Math.round((size / MAX_ITEM_BYTES) * 100)}% of DynamoDB's 400 KB limit: every read and write of it costs ${Math.ceil(size / 4096)} RCU / ${Math.ceil(size / 1024)} WCU; move large values elsewhere (S3) or split the item`,
            { bytes: size, limit: MAX_ITEM_BYTES });
        }
      }
    }
    if (this.on.hotPartition && request.model !== undefined) this.countPartition(o, request.model);
  }

  private countPartition(o: Outcome, name: string): void {
    const model = this.modelOf(name);
    if (model === undefined) return;
    const { request } = o;
    let value: AttributeValue | undefined;
    let path = 'table';
    switch (request.command) {
      case 'GetItem': case 'DeleteItem': case 'UpdateItem': value = request.input.Key?.[model.primary.pk.field]; break;
      case 'PutItem': value = request.input.Item?.[model.primary.pk.field]; break;
      case 'Query': {
        // The ORM's key conditions start with the partition key's equality: `#n = :v`.
        const placeholder = /^#?[\w.]+ = (:\w+)/.exec(request.input.KeyConditionExpression ?? '')?.[1];
        value = placeholder === undefined ? undefined : request.input.ExpressionAttributeValues?.[placeholder];
        path = request.index ?? 'table';
        break;
      }
      default: return;
    }
    if (value === undefined) return;
    const { share = 0.5, minRequests = 100, windowMs = 60_000 } = option((this.config as WarningsConfig).hotPartition) ?? {};
    const now = Date.now();
    let keys = this.hot.get(name);
    if (keys === undefined) this.hot.set(name, (keys = new HotKeys(windowMs, now)));
    const partition = `${path}:${keyText(value)}`;
    const seen = keys.add(partition, now);
    if (seen.total >= minRequests && seen.share >= share) {
      this.warn('hotPartition', name, `${name}|${partition}`,
        `DynamORM: ${name} partition ${partition} took ${Math.round(seen.share * 100)}% of the model's last ${Math.round(seen.total)} requests: one partition serves at most 3,000 RCU / 1,000 WCU a second; spread the traffic (a sharded key, a cache in front of hot reads)`,
        { partition, share: seen.share, requests: seen.total, index: path === 'table' ? undefined : path });
    }
  }
}
