import { DynamORMError, type ErrorDetails } from '../errors/errors.js';

/** An operation ran past its `timeoutMs` (the ORM's or its own) and was stopped. */
export class TimeoutError extends DynamORMError {
  readonly timeoutMs: number;
  constructor(message: string, details: ErrorDetails & { timeoutMs: number }) {
    super('operation.timeout', message, details);
    this.timeoutMs = details.timeoutMs;
  }
}

/** An operation was stopped by its AbortSignal; `cause` is the signal's reason. */
export class AbortedError extends DynamORMError {
  constructor(message: string, details: ErrorDetails) {
    super('operation.aborted', message, details);
  }
}

/**
 * The ORM's retry budget is spent: so many requests failed lately (a region-wide throttle, an
 * outage) that retrying would only multiply the load, so this failure is not retried. `cause`
 * is the failure. The budget refills as requests succeed.
 */
export class RetryBudgetError extends DynamORMError {
  constructor(message: string, details: ErrorDetails) {
    super('retry.budgetExhausted', message, details);
  }
}

/** Either way an operation can be stopped from outside. */
export type StopError = TimeoutError | AbortedError;
