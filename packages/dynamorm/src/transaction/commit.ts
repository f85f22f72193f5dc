import { randomUUID } from 'node:crypto';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { ConditionFailedError, DynamORMError, TransactionCanceledError, ValidationError, type CancellationReason } from '../errors/errors.js';
import { showKey } from '../query/keys.js';
import type { Session } from '../query/session.js';
import type { AnyModel } from '../schema/model.js';
import { RetryBudgetError } from '../ops/errors.js';
import type { RetryOptions } from '../ops/policy.js';
import { sdkErrorName } from '../ops/retryable.js';
import type { CancelOptions } from '../ops/signal.js';
import type { SendOptions } from '../observe/pipeline.js';
import { sleep } from '../ops/sleep.js';
import type { TransactionAction } from './actions.js';

/** DynamoDB's limits of one transaction. */
export const MAX_TRANSACTION_ACTIONS = 100;
export const MAX_TRANSACTION_BYTES = 4 * 1024 * 1024;

export interface TransactionOptions extends RetryOptions, CancelOptions {
  /**
   * The ClientRequestToken (at most 36 characters): DynamoDB applies a transaction once per token
   * for 10 minutes, so a retry after a lost response does not apply it twice. Generated when not
   * given; give your own to make retries of your own idempotent (the request must then be the
   * same: same items, same timestamps, see `now`).
   */
  readonly token?: string;
  /** The time written to createdAt/updatedAt of every action (default: when the transaction runs). */
  readonly now?: Date;
}

/** Cancellation codes that another attempt may clear; any other code ends the transaction. */
const RETRYABLE_CODES = new Set(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded', 'None']);

function refuse(message: string, expected: string, received: string, context: Record<string, unknown> = {}): ValidationError {
  return new ValidationError([{ attribute: '', expected, received, message }], { op: 'transaction', context }, `transaction: ${message}`);
}

/** Checks DynamoDB's limits before anything is sent: 100 actions, 4 MB, one action per item. */
export function checkTransaction(actions: readonly TransactionAction[]): void {
  if (actions.length > MAX_TRANSACTION_ACTIONS) {
    throw refuse(`${actions.length} actions; DynamoDB allows ${MAX_TRANSACTION_ACTIONS} per transaction (nothing was sent): split it, or use the batch methods, which chunk by themselves`, `at most ${MAX_TRANSACTION_ACTIONS} actions`, `${actions.length} actions`, { actions: actions.length });
  }
  const bytes = actions.reduce((sum, a) => sum + a.size, 0);
  if (bytes > MAX_TRANSACTION_BYTES) {
    throw refuse(`${bytes} bytes of items; DynamoDB allows 4 MB per transaction (nothing was sent)`, 'at most 4 MB', `${bytes} bytes`, { bytes });
  }
  const seen = new Map<string, number>();
  actions.forEach((a, i) => {
    const first = seen.get(a.id);
    if (first !== undefined) {
      const other = actions[first]!;
      throw refuse(
        `actions ${first} (${other.op}) and ${i} (${a.op}) both write ${a.model.name} ${showKey(a.key)}; DynamoDB allows one action per item in a transaction (nothing was sent)`,
        'one action per item', `two actions on ${a.model.name} ${showKey(a.key)}`, { first, second: i, key: a.key },
      );
    }
    seen.set(a.id, i);
  });
}

interface SdkReason {
  Code?: string;
  Message?: string;
  Item?: Record<string, AttributeValue>;
}


/** Per-action reasons of a cancellation, failed conditions turned into the error a single write would give. */
function reasonsOf(actions: readonly TransactionAction[], sdkReasons: readonly SdkReason[]): CancellationReason[] {
  return actions.map((a, index) => {
    const r = sdkReasons[index] ?? {};
    const code = r.Code ?? 'Unknown';
    let error: DynamORMError | undefined;
    if (code === 'ConditionalCheckFailed') {
      // No cause: the SDK exception is the cause of the TransactionCanceledError, once.
      const failure = new ConditionFailedError(`${a.op} ${a.model.name}: the condition did not hold`, { op: a.op, model: a.model.name, item: r.Item === undefined ? undefined : a.model.itemAsStored(r.Item), context: { key: a.key } });
      error = a.explain(failure);
    }
    return { index, model: a.model.name, key: a.key, code, message: error?.message ?? r.Message ?? code, error };
  });
}

/**
 * Sends a write transaction (TransactWriteItems) with one ClientRequestToken for all its
 * attempts: the SDK's retries (throttling, 5xx, a dropped connection) send the same input, and
 * so do these. A cancellation only for conflicts or throttling is retried with the ORM's policy
 * (up to maxRetries, backoff, budget); any other becomes a TransactionCanceledError listing every
 * action's reason ('None' for those that were fine). The session's signal stops it.
 */
export async function commitTransaction(session: Session, actions: readonly TransactionAction[], options: TransactionOptions = {}): Promise<void> {
  checkTransaction(actions);
  if (actions.length === 0) return;
  await Promise.all([...new Set(actions.map((a) => a.model))].map((m) => session.ready(m)));
  const input = { TransactItems: actions.map((a) => a.item), ClientRequestToken: options.token ?? randomUUID() };
  const policy = session.retry.with(options);
  const model = actions.length === 1 ? actions[0]!.model : undefined;
  let taken = 0;
  let retried: SendOptions['retried'];
  /** Waits before the next attempt; false when the retries or the budget are spent. */
  const retry = async (attempt: number, reason: string, error: unknown): Promise<boolean> => {
    if (attempt > policy.maxRetries) return false;
    if (policy.budget !== undefined) {
      const took = policy.budget.take(false);
      if (took === undefined) {
        throw new RetryBudgetError(`transaction: not retried (${reason}), the retry budget is spent; nothing was written, run it again later`, { op: 'transaction', model: model?.name, cause: error, context: { token: input.ClientRequestToken } });
      }
      taken = took;
    }
    const delayMs = policy.delay(attempt);
    retried = { error, delayMs };
    await sleep(delayMs, session.signal);
    return true;
  };
  for (let attempt = 1; ; attempt++) {
    try {
      await session.send('TransactWriteItems', input, 'transaction', model, { attempt, retried, signal: session.signal });
      policy.budget?.refund(taken);
      return;
    } catch (error) {
      if (session.signal?.aborted === true) throw error;
      const name = sdkErrorName(error);
      const cause = error instanceof DynamORMError ? error.cause : error;
      if (name === 'TransactionCanceledException') {
        const reasons = reasonsOf(actions, (cause as { CancellationReasons?: SdkReason[] }).CancellationReasons ?? []);
        const retryable = reasons.every((r) => RETRYABLE_CODES.has(r.code)) && reasons.some((r) => r.code !== 'None');
        if (retryable && (await retry(attempt, reasons.find((r) => r.code !== 'None')!.code, error))) continue;
        const failed = reasons.filter((r) => r.code !== 'None');
        const list = failed.map((r) => `action ${r.index} (${actions[r.index]!.op} ${r.model} ${showKey(r.key ?? {})}): ${r.code}${r.error === undefined ? '' : ` (${r.error.message})`}`).join('; ');
        throw new TransactionCanceledError(`transaction cancelled, nothing was written${retryable ? ` after ${attempt} attempts` : ''}: ${list || 'no reason given'}`, {
          op: 'transaction', cause, reasons, context: { token: input.ClientRequestToken, attempts: attempt },
        });
      }
      if ((name === 'TransactionInProgressException' || name === 'TransactionConflictException') && (await retry(attempt, name, error))) continue;
      if (name === 'IdempotentParameterMismatchException') {
        throw refuse(`token ${input.ClientRequestToken} was used in the last 10 minutes for a different transaction (DynamoDB compares the whole request, timestamps included: pass the same \`now\`)`, 'the same request for the same token', 'another request', { token: input.ClientRequestToken });
      }
      throw error;
    }
  }
}
