import { ValidationError } from '../errors/errors.js';
import { RetryBudget } from './budget.js';

/** How the ORM retries, besides `maxRetries` (`new DynamORM({ maxRetries: 10, retry: { ... } })`). */
export interface RetryConfig {
  /** The first backoff, doubled on each retry, with full jitter (default 25 ms). */
  readonly baseDelayMs?: number | undefined;
  /** The longest backoff (default 3000 ms). */
  readonly maxDelayMs?: number | undefined;
  /**
   * Tokens of the retry budget shared by all operations of the ORM (default 500): a retry after a
   * failure takes 5 (10 after a dropped connection), a success gives them back. `false`: no budget.
   */
  readonly budget?: number | false | undefined;
}

/** One operation's changes to the ORM's retry policy (the budget stays the ORM's). */
export interface RetryOptions {
  /** For batches: rounds in a row without progress before giving up; otherwise retries of one request. */
  readonly maxRetries?: number | undefined;
  readonly baseDelayMs?: number | undefined;
  readonly maxDelayMs?: number | undefined;
}

function check(name: string, value: number | undefined, min: number): void {
  if (value === undefined || (Number.isFinite(value) && value >= min && (name !== 'maxRetries' || Number.isInteger(value)))) return;
  const expected = name === 'maxRetries' ? `an integer >= ${min}` : `a number >= ${min}`;
  throw new ValidationError([{ attribute: name, expected, received: String(value), message: `${name} must be ${expected}` }], { op: 'config' }, `retry policy: ${name} must be ${expected}, received ${String(value)}`);
}

/**
 * The one retry policy of an ORM: how many retries, the backoff between them (exponential, full
 * jitter) and the budget. Single requests use it through the SDK client's retry strategy
 * (`sdk-strategy.ts`), batches through `Rounds`, transactions in `commit.ts`. Their retries
 * reach the `retry` event: the SDK's through the driver, the others on the request they resend.
 */
export class RetryPolicy {
  readonly maxRetries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;

  constructor(options: RetryOptions, readonly budget: RetryBudget | undefined) {
    check('maxRetries', options.maxRetries, 0);
    check('baseDelayMs', options.baseDelayMs, 0);
    check('maxDelayMs', options.maxDelayMs, 0);
    this.maxRetries = options.maxRetries ?? 3;
    this.baseDelayMs = options.baseDelayMs ?? 25;
    this.maxDelayMs = options.maxDelayMs ?? 3000;
  }

  /** The ORM's policy from its config. */
  static of(maxRetries: number | undefined, config: RetryConfig = {}): RetryPolicy {
    if (config.budget !== undefined && config.budget !== false) check('budget', config.budget, 0);
    const budget = config.budget === false ? undefined : new RetryBudget(config.budget ?? 500);
    return new RetryPolicy({ maxRetries, baseDelayMs: config.baseDelayMs, maxDelayMs: config.maxDelayMs }, budget);
  }

  /** This policy with one operation's numbers; the budget stays shared. */
  with(options: RetryOptions | undefined): RetryPolicy {
    if (options === undefined || (options.maxRetries === undefined && options.baseDelayMs === undefined && options.maxDelayMs === undefined)) return this;
    return new RetryPolicy({
      maxRetries: options.maxRetries ?? this.maxRetries,
      baseDelayMs: options.baseDelayMs ?? this.baseDelayMs,
      maxDelayMs: options.maxDelayMs ?? this.maxDelayMs,
    }, this.budget);
  }

  /** Full jitter: a random delay between 0 and min(maxDelayMs, baseDelayMs * 2^retry). */
  delay(retry: number): number {
    return Math.random() * Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** Math.min(retry, 30));
  }
}
