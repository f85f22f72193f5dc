import type { AttributeValue, UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import { pool } from '../batch/pool.js';
import { sdkErrorName } from '../ops/retryable.js';
import { ExpressionCompiler } from '../expression/compile.js';
import { and, compare, exists, notExists, value, type Condition, type UpdateAction } from '../expression/nodes.js';
import type { Session } from '../query/session.js';
import { scanPage } from '../table/scan-page.js';
import { StoredIssues, type AnyModel } from '../schema/model.js';
import type { Checkpoint, History } from './history.js';

type Stored = Record<string, AttributeValue>;

/** Where a data migration is. `estimatedTotal` is DynamoDB's item count of the table (updated about every six hours on AWS). */
export interface TransformProgress {
  readonly model: string;
  /** Items scanned and settled (rewritten, left as they were, or gone). */
  readonly done: number;
  readonly written: number;
  readonly unchanged: number;
  /** Writes that met a concurrent application write: the item was read again and rewritten from what it had become. */
  readonly conflicts: number;
  readonly estimatedTotal: number | undefined;
  /** Items settled per second since this run started. */
  readonly ratePerSecond: number;
  readonly elapsedMs: number;
}

export type TransformResult = TransformProgress;

export interface TransformOptions {
  /** Parallel scan segments (default 4). A resumed transform keeps the segments it started with. */
  readonly segments?: number | undefined;
  /** Items per scan page (DynamoDB's Limit; default: what fits in 1 MB). A checkpoint is saved after each page. */
  readonly pageSize?: number | undefined;
  /** Conditional writes in flight per segment (default 16). */
  readonly concurrency?: number | undefined;
  /** Names the checkpoint (default: the model and the transform's place in the migration). */
  readonly name?: string | undefined;
  readonly onProgress?: ((progress: TransformProgress) => void) | undefined;
  /**
   * How many times an item written meanwhile is read again and rewritten before the transform
   * fails (default: the ORM's maxRetries). Throttles are retried by each request, with the ORM's policy.
   */
  readonly maxConflicts?: number | undefined;
}

/**
 * A rewrite of one stored item: the new stored item, or undefined to leave it. `removable`: the
 * fields a rewrite may drop (others the new item lacks are kept, e.g. attributes no model declares).
 */
export interface Rewrite {
  readonly rewrite: (stored: Stored) => Stored | undefined | Promise<Stored | undefined>;
  readonly removable: (field: string) => boolean;
}

export interface TransformContext {
  readonly session: Session;
  readonly history: History;
  /** The checkpoint's id: `checkpoint#<version>#<name>`. */
  readonly checkpointId: string;
}

const canonical = (v: AttributeValue | undefined): string => JSON.stringify(v, (_k, x: unknown) => (x instanceof Uint8Array ? Buffer.from(x).toString('base64') : x));

/**
 * The conditional update taking `old` to `next`: SET what changed, REMOVE what went, under the
 * condition that the item still is `old` (its version when the model has one, else every one of its
 * attributes) so a concurrent application write is never overwritten. Undefined when nothing changes.
 */
function conditionalUpdate(model: AnyModel, table: string, keyFields: readonly string[], old: Stored, next: Stored, removable: (f: string) => boolean): UpdateItemCommandInput | undefined {
  const actions: UpdateAction[] = [];
  const guards: Condition[] = [exists([keyFields[0]!])];
  for (const [field, v] of Object.entries(next)) {
    if (keyFields.includes(field)) continue;
    if (canonical(old[field]) !== canonical(v)) actions.push({ kind: 'set', path: [field], value: value(v) });
  }
  for (const field of Object.keys(old)) if (next[field] === undefined && removable(field) && !keyFields.includes(field)) actions.push({ kind: 'remove', path: [field] });
  if (actions.length === 0) return undefined;
  const version = model.versionAttribute;
  const oldVersion = version === undefined ? undefined : old[version.field];
  if (version !== undefined && oldVersion?.N !== undefined) {
    // The version says whether anyone wrote since the scan; the rewrite is a write too.
    guards.push(compare([version.field], '=', oldVersion));
    const bumped = { N: String(Number(oldVersion.N) + 1) };
    const at = actions.findIndex((a) => a.kind !== 'remove' && a.path[0] === version.field);
    if (at >= 0) actions.splice(at, 1);
    actions.push({ kind: 'set', path: [version.field], value: value(bumped) });
  } else {
    for (const [field, v] of Object.entries(old)) if (!keyFields.includes(field)) guards.push(compare([field], '=', v));
    for (const a of actions) if (a.kind === 'set' && old[a.path[0] as string] === undefined) guards.push(notExists(a.path));
  }
  const compiler = new ExpressionCompiler();
  const UpdateExpression = compiler.update(actions);
  const ConditionExpression = compiler.condition(and(guards)!);
  const Key = Object.fromEntries(keyFields.map((f) => [f, old[f]!]));
  return { TableName: table, Key, UpdateExpression, ConditionExpression, ...compiler.attributes() };
}

/**
 * Rewrites every item of a model's table: a parallel scan whose pages are written back with
 * conditional updates, throttled writes retried with backoff, an item changed meanwhile read again
 * and rewritten from what it became. Each segment's position is saved in the history table after
 * each page, so a transform interrupted by a crash resumes there (the page in flight is seen again:
 * rewrites must be idempotent, e.g. set a value only when it is missing).
 */
export async function rewriteTable(ctx: TransformContext, model: AnyModel, rw: Rewrite, options: TransformOptions = {}): Promise<TransformResult> {
  const { session, history } = ctx;
  const table = session.tableName(model);
  const keyFields = [model.primary.pk.field, ...(model.primary.sk === undefined ? [] : [model.primary.sk.field])];
  const saved = await history.checkpoint(ctx.checkpointId);
  const segments = saved?.segments.length ?? options.segments ?? 4;
  const positions: (Stored | null | 'done')[] = saved === undefined ? Array.from({ length: segments }, () => null) : [...saved.segments];
  const described = await session.send('DescribeTable', { TableName: table }, 'transform', model);
  const estimatedTotal = described.Table?.ItemCount;
  const started = Date.now();
  const counts = { done: saved?.done ?? 0, written: 0, unchanged: 0, conflicts: 0 };
  const progress = (): TransformProgress => {
    const elapsedMs = Date.now() - started;
    return { model: model.name, ...counts, estimatedTotal, ratePerSecond: elapsedMs === 0 ? 0 : Math.round((counts.done - (saved?.done ?? 0)) / (elapsedMs / 1000)), elapsedMs };
  };
  let saving = Promise.resolve();
  const save = (): Promise<void> => {
    const state: Checkpoint = { segments: [...positions], done: counts.done };
    saving = saving.then(() => history.saveCheckpoint(ctx.checkpointId, state));
    return saving;
  };
  const maxConflicts = options.maxConflicts ?? session.retry.maxRetries;

  // The first failure stops every segment: nothing is written past it, and no checkpoint moves.
  let failed = false;
  const settle = async (item: Stored): Promise<void> => {
    if (failed) return;
    let current: Stored | undefined = item;
    for (let attempt = 0; current !== undefined; attempt++) {
      const next = await rw.rewrite(current);
      const request = next === undefined ? undefined : conditionalUpdate(model, table, keyFields, current, next, rw.removable);
      if (request === undefined) {
        counts.unchanged++;
        return;
      }
      try {
        await session.send('UpdateItem', request, 'transform', model);
        counts.written++;
        return;
      } catch (error) {
        // Throttles and 5xx were retried by the request itself (the ORM's policy, in the SDK): only
        // a conflict is retried here, from the item as it is now.
        if (attempt >= maxConflicts || sdkErrorName(error) !== 'ConditionalCheckFailedException') throw error;
        // Written meanwhile (or deleted): start again from the item as it is now.
        counts.conflicts++;
        const Key = Object.fromEntries(keyFields.map((f) => [f, current![f]!]));
        current = (await session.send('GetItem', { TableName: table, Key, ConsistentRead: true }, 'transform', model)).Item;
      }
    }
  };

  const scanSegment = async (segment: number): Promise<void> => {
    let start = positions[segment];
    if (start === 'done') return;
    while (!failed) {
      const out = await scanPage(session, 'transform', model, table, segment, segments, start ?? undefined, options);
      const mine = (out.Items ?? []).filter((i) => model.owns(i));
      await pool(mine, options.concurrency ?? 16, settle).catch((error: unknown) => {
        failed = true;
        throw error;
      });
      counts.done += mine.length;
      start = out.LastEvaluatedKey ?? null;
      positions[segment] = start ?? 'done';
      await save();
      options.onProgress?.(progress());
      if (start === null) return;
    }
  };
  // Every segment is settled before the transform resolves or rejects: none writes after it returned.
  const outcomes = await Promise.allSettled(Array.from({ length: segments }, (_, i) => scanSegment(i).catch((error: unknown) => {
    failed = true;
    throw error;
  })));
  await saving;
  const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failure !== undefined) throw failure.reason;
  return progress();
}

/** The rewrite of a typed transform: the item decoded (no attribute required), `fn`'s result marshalled through the model. */
export function typedRewrite(model: AnyModel, fn: (item: Record<string, unknown>) => Record<string, unknown> | undefined | Promise<Record<string, unknown> | undefined>): Rewrite {
  const declared = new Set(model.codec.entries.map((e) => e.field));
  return {
    removable: (field) => declared.has(field),
    rewrite: async (stored) => {
      const item = model.decode(stored, undefined, true);
      if (item instanceof StoredIssues) throw model.invalidStored('transform', stored, item.issues);
      const next = await fn(item);
      return next === undefined ? undefined : model.marshal(next, 'transform');
    },
  };
}
