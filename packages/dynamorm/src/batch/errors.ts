import { DynamORMError, type ErrorDetails } from '../errors/errors.js';

/** An item of a batch write that was not written, and why. */
export interface UnwrittenItem {
  /** Its position in the array given to the batch. */
  readonly index: number;
  /** Its primary key, as the model names it. */
  readonly key: Readonly<Record<string, unknown>>;
  /**
   * `unprocessed`: DynamoDB did not take it before the retries ran out (or the retry budget was
   * spent: `error` is then a RetryBudgetError); `conditionFailed`: its condition did not hold (the
   * key exists on create, another version); `failed`: its request failed; `aborted`: the batch was
   * stopped (its signal or timeoutMs, `error` says which) before it was sent.
   */
  readonly reason: 'unprocessed' | 'conditionFailed' | 'failed' | 'aborted';
  readonly error: DynamORMError | undefined;
}

/** A batch write that could not write every item: `unwritten` lists exactly those it did not. */
export class BatchWriteError extends DynamORMError {
  readonly unwritten: readonly UnwrittenItem[];
  readonly written: number;
  constructor(message: string, details: ErrorDetails & { unwritten: readonly UnwrittenItem[]; written: number }) {
    super('batch.incomplete', message, details);
    this.unwritten = details.unwritten;
    this.written = details.written;
  }
}

/** A batch get that could not read every key before its retries ran out: `unread` lists them. */
export class BatchGetError extends DynamORMError {
  readonly unread: readonly Readonly<Record<string, unknown>>[];
  constructor(message: string, details: ErrorDetails & { unread: readonly Readonly<Record<string, unknown>>[] }) {
    super('batch.unread', message, details);
    this.unread = details.unread;
  }
}
