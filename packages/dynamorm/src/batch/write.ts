import { randomUUID } from 'node:crypto';
import type { AttributeValue, WriteRequest } from '@aws-sdk/client-dynamodb';
import { DynamORMError, ItemTooLargeError, TransactionCanceledError, ValidationError, type ValidationIssue } from '../errors/errors.js';
import type { Condition } from '../expression/nodes.js';
import { compileDelete } from '../query/delete.js';
import { showKey } from '../query/keys.js';
import type { PreparedWrite } from '../query/prepared-write.js';
import { compilePut } from '../query/put.js';
import type { Session } from '../query/session.js';
import { itemSize } from '../schema/codec/size.js';
import type { AnyModel } from '../schema/model.js';
import { actionOf, type TransactionAction } from '../transaction/actions.js';
import { commitTransaction, MAX_TRANSACTION_ACTIONS, MAX_TRANSACTION_BYTES } from '../transaction/commit.js';
import { BatchWriteError, type UnwrittenItem } from './errors.js';
import { keyId } from './key-id.js';
import { chunk, pool } from './pool.js';
import { RetryBudgetError } from '../ops/errors.js';
import type { RetryOptions } from '../ops/policy.js';
import { isRetryable } from '../ops/retryable.js';
import { Rounds, type GiveUp } from '../ops/rounds.js';
import type { CancelOptions } from '../ops/signal.js';

/** DynamoDB's limits of one BatchWriteItem. */
export const MAX_BATCH_WRITES = 25;
export const MAX_BATCH_BYTES = 16 * 1024 * 1024;

export interface BatchWriteOptions extends RetryOptions, CancelOptions {
  /**
   * Write with BatchWriteItem, without conditions: a create overwrites an existing item and a
   * versioned put skips the version check. Off by default: such batches go through transactions.
   */
  readonly unchecked?: boolean;
  /** Requests in flight at once (default 4). */
  readonly concurrency?: number;
}

/** What a batch write did: how many items, with how many requests and how many retries. */
export interface BatchWriteResult {
  readonly written: number;
  /** `batch`: BatchWriteItem (no conditions needed); `transaction`: TransactWriteItems chunks carrying the conditions. */
  readonly mode: 'batch' | 'transaction';
  readonly requests: number;
  readonly retries: number;
}

interface Entry {
  readonly index: number;
  readonly key: Record<string, unknown>;
  readonly id: string;
  readonly size: number;
  /**
   * The BatchWriteItem request (unchecked mode) or the transaction action (checked), compiled
   * when its chunk is sent: a batch of 100,000 items holds a few chunks of requests, not all.
   */
  readonly compile: () => Compiled;
}

interface Compiled {
  readonly request: WriteRequest;
  readonly action: TransactionAction | undefined;
}

type Kind = 'create' | 'put' | 'delete';

/**
 * How a batch stays safe: a write goes through BatchWriteItem only when the single write would
 * carry no condition (put on an unversioned model, delete by key) or the caller opted out with
 * `unchecked: true`. Otherwise (create, versioned put, any `.if()`) items go in TransactWriteItems
 * chunks of up to 100 actions and 4 MB with exactly the conditions of the single writes; an item
 * whose condition fails is reported, the others of its chunk are written.
 */
function needsConditions(model: AnyModel, kind: Kind, condition: Condition | undefined, options: BatchWriteOptions): boolean {
  if (options.unchecked === true) return false;
  if (condition !== undefined || kind === 'create') return true;
  return kind === 'put' && model.versionAttribute !== undefined;
}

/** Compiles every entry before anything is sent: any bad item refuses the whole batch. */
function compileEntries(session: Session, model: AnyModel, kind: Kind, inputs: readonly Record<string, unknown>[], condition: Condition | undefined, checked: boolean): Entry[] {
  const table = session.tableName(model);
  const now = new Date();
  const issues: ValidationIssue[] = [];
  const entries: Entry[] = [];
  const seen = new Map<string, number>();
  const compileOne = (input: Record<string, unknown>): Compiled & { stored: Record<string, AttributeValue> } => {
    let write: PreparedWrite;
    let stored: Record<string, AttributeValue>;
    let request: WriteRequest;
    if (kind === 'delete') {
      const compiled = compileDelete(model, table, input, condition);
      write = { kind, compiled };
      stored = compiled.request.Key!;
      request = { DeleteRequest: { Key: stored } };
    } else {
      const compiled = compilePut(model, table, input, kind, checked ? condition : undefined, now);
      write = { kind, compiled };
      stored = compiled.item;
      request = { PutRequest: { Item: stored } };
    }
    return { stored, request, action: checked ? actionOf(model, write) : undefined };
  };
  inputs.forEach((input, index) => {
    try {
      // Compiled once here to validate and size it, and again (same `now`) when its chunk is sent.
      const { stored, action } = compileOne(input);
      const id = keyId(table, model, stored);
      const key = kind === 'delete' ? input : model.storedKey(stored);
      const first = seen.get(id);
      if (first !== undefined) {
        issues.push({ attribute: `[${index}]`, expected: 'each key once in a batch', received: `the key of item [${first}] again`, message: `[${index}] repeats the key ${showKey(key)} of [${first}]` });
        return;
      }
      seen.set(id, index);
      entries.push({ index, key, id, size: action?.size ?? itemSize(stored), compile: () => compileOne(input) });
    } catch (error) {
      if (error instanceof ItemTooLargeError) {
        const { op, size, limit, context } = error;
        throw new ItemTooLargeError(`batch ${kind} ${model.name}: [${index}] ${error.message}; nothing of the batch was written`, { op, model: model.name, size, limit, context: { ...context, index } });
      }
      if (!(error instanceof ValidationError)) throw error;
      for (const issue of error.issues) issues.push({ ...issue, attribute: `[${index}]${issue.attribute === '' ? '' : `.${issue.attribute}`}`, message: `[${index}] ${issue.message}` });
    }
  });
  if (issues.length > 0) {
    throw new ValidationError(issues, { op: `batch${kind[0]!.toUpperCase()}${kind.slice(1)}`, model: model.name }, `batch ${kind} ${model.name}: ${issues.length} problem(s), nothing was written: ${issues.slice(0, 5).map((i) => i.message).join('; ')}${issues.length > 5 ? '; …' : ''}`);
  }
  return entries;
}

/**
 * A batch write of any number of items, every item compiled and checked now (any bad item
 * throws, nothing sent); the function it returns sends them on the session it is given (the one
 * of the operation, with its signal) and rejects with BatchWriteError listing exactly the items
 * not written.
 */
export function prepareBatch(session: Session, model: AnyModel, kind: Kind, inputs: readonly Record<string, unknown>[], condition: Condition | undefined, options: BatchWriteOptions = {}): (session: Session) => Promise<BatchWriteResult> {
  const op = `batch${kind[0]!.toUpperCase()}${kind.slice(1)}`;
  const checked = needsConditions(model, kind, condition, options);
  const entries = compileEntries(session, model, kind, inputs, condition, checked);
  return (operation) => sendEntries(operation, model, op, entries, checked, options);
}

/**
 * Writes items or keys already marshalled (fixtures, truncation) with plain BatchWriteItem,
 * with the same chunking, retries and BatchWriteError as batchWrite.
 */
export function batchWriteStored(session: Session, model: AnyModel, op: string, requests: readonly WriteRequest[], options: BatchWriteOptions = {}): Promise<BatchWriteResult> {
  const table = session.tableName(model);
  const entries = requests.map((request, index): Entry => {
    const stored = request.PutRequest?.Item ?? request.DeleteRequest?.Key ?? {};
    return { index, key: model.storedKey(stored), id: keyId(table, model, stored), size: itemSize(stored), compile: () => ({ request, action: undefined }) };
  });
  return sendEntries(session, model, op, entries, false, options);
}

/**
 * Sends compiled entries in chunks: BatchWriteItem, or TransactWriteItems when `checked`. Each
 * chunk retries by rounds (see Rounds). When the operation's signal aborts, no request starts,
 * backoffs end, and requests in flight are let finish, so the report of what was written is exact.
 */
async function sendEntries(session: Session, model: AnyModel, op: string, entries: readonly Entry[], checked: boolean, options: BatchWriteOptions): Promise<BatchWriteResult> {
  const table = session.tableName(model);
  const policy = session.retry.with(options);
  const { signal } = session;
  // In-flight requests are not aborted: their answer says exactly which items were written.
  const unaborted: Session = { ...session, signal: undefined };
  const unwritten: UnwrittenItem[] = [];
  const done = new Set<Entry>();
  let written = 0;
  let requests = 0;
  let retries = 0;
  const give = (entry: Entry, reason: UnwrittenItem['reason'], error: DynamORMError | undefined): void => {
    done.add(entry);
    unwritten.push({ index: entry.index, key: entry.key, reason, error });
  };
  const wrote = (entry: Entry): void => {
    done.add(entry);
    written++;
  };
  const asError = (error: unknown): DynamORMError | undefined => (error instanceof DynamORMError ? error : undefined);
  let budgetError: RetryBudgetError | undefined;
  /** The items a chunk gives up on, and why. */
  const giveUp = (left: readonly Entry[], stop: GiveUp, failure: unknown): void => {
    const error = stop === 'budget'
      ? (budgetError ??= new RetryBudgetError(`${op} ${model.name}: not retried, the retry budget is spent (DynamoDB is throttling or failing); try the items again later`, { op, model: model.name, cause: failure }))
      : asError(failure);
    for (const e of left) give(e, 'unprocessed', error);
  };
  /** After a round that left items: waits the backoff, or gives up on them; false when the chunk ends. */
  const again = async (rounds: Rounds, before: number, left: readonly Entry[], failure: unknown): Promise<boolean> => {
    let stop: GiveUp | undefined;
    try {
      stop = await rounds.next(left.length < before, failure ?? { unprocessed: left.length });
    } catch {
      return false; // aborted during the backoff: reported with the other aborted items
    }
    if (stop !== undefined) {
      giveUp(left, stop, failure);
      return false;
    }
    retries++;
    return true;
  };

  const plain = async (chunkEntries: Entry[]): Promise<void> => {
    const byId = new Map(chunkEntries.map((e) => [e.id, e]));
    const compiled = new Map(chunkEntries.map((e) => [e, e.compile().request]));
    const rounds = new Rounds(policy, signal);
    let pending = chunkEntries;
    while (pending.length > 0 && signal?.aborted !== true) {
      let left: Entry[];
      let failure: unknown;
      try {
        requests++;
        const out = await unaborted.send('BatchWriteItem', { RequestItems: { [table]: pending.map((e) => compiled.get(e)!) } }, op, model, rounds.send);
        left = (out.UnprocessedItems?.[table] ?? []).map((r) => byId.get(keyId(table, model, r.PutRequest?.Item ?? r.DeleteRequest?.Key ?? {}))).filter((e): e is Entry => e !== undefined);
      } catch (error) {
        if (!isRetryable(error)) {
          for (const e of pending) give(e, 'failed', asError(error));
          return;
        }
        left = pending;
        failure = error;
      }
      const still = new Set(left);
      for (const e of pending) if (!still.has(e)) wrote(e);
      if (left.length === 0) {
        rounds.succeeded();
        return;
      }
      if (!(await again(rounds, pending.length, left, failure))) return;
      pending = left;
    }
  };

  const transactional = async (chunkEntries: Entry[]): Promise<void> => {
    const compiled = new Map(chunkEntries.map((e) => [e, e.compile().action!]));
    const rounds = new Rounds(policy, signal);
    let pending = chunkEntries;
    while (pending.length > 0 && signal?.aborted !== true) {
      const before = pending.length;
      try {
        requests++;
        // A fresh token per round: a retry after a cancellation sends other actions. Its own
        // conflict and throttling retries keep that token.
        await commitTransaction(unaborted, pending.map((e) => compiled.get(e)!), { ...options, token: randomUUID() });
        for (const e of pending) wrote(e);
        rounds.succeeded();
        return;
      } catch (error) {
        if (error instanceof TransactionCanceledError) {
          const next: Entry[] = [];
          error.reasons.forEach((r, i) => {
            const e = pending[i]!;
            if (r.code === 'None' || r.code === 'TransactionConflict' || r.code === 'ThrottlingError' || r.code === 'ProvisionedThroughputExceeded') next.push(e);
            else give(e, r.code === 'ConditionalCheckFailed' ? 'conditionFailed' : 'failed', r.error ?? error);
          });
          pending = next;
          // Without the failed items the chunk goes again at once; a conflict or throttling waits.
          if (pending.length < before) continue;
        } else if (error instanceof RetryBudgetError) {
          giveUp(pending, 'budget', error.cause);
          return;
        } else if (!isRetryable(error)) {
          for (const e of pending) give(e, 'failed', asError(error));
          return;
        }
        if (!(await again(rounds, before, pending, error))) return;
      }
    }
  };

  const chunks = checked ? chunk(entries, MAX_TRANSACTION_ACTIONS, MAX_TRANSACTION_BYTES) : chunk(entries, MAX_BATCH_WRITES, MAX_BATCH_BYTES);
  await pool(chunks, options.concurrency ?? 4, checked ? transactional : plain, signal);
  const stopped = signal?.aborted === true ? (signal.reason as DynamORMError) : undefined;
  if (stopped !== undefined) for (const e of entries) if (!done.has(e)) give(e, 'aborted', stopped);
  if (unwritten.length > 0) {
    unwritten.sort((a, b) => a.index - b.index);
    const counts = new Map<string, number>();
    for (const u of unwritten) counts.set(u.reason, (counts.get(u.reason) ?? 0) + 1);
    const why = [...counts].map(([reason, n]) => `${n} ${reason}`).join(', ');
    const head = stopped === undefined ? '' : `${stopped.code === 'operation.timeout' ? 'timed out' : 'aborted'} (${stopped.message}); `;
    throw new BatchWriteError(`${op} ${model.name}: ${head}${unwritten.length} of ${entries.length} items not written (${why}); error.unwritten lists them, every other item was written`, {
      op, model: model.name, unwritten, written, context: { written, unwritten: unwritten.length }, ...(stopped === undefined ? {} : { cause: stopped }),
    });
  }
  return { written, mode: checked ? 'transaction' : 'batch', requests, retries };
}

