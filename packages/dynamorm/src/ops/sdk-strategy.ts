import type { RetryPolicy } from './policy.js';

/**
 * The retry scope the AWS driver gives batch requests (the context's `partition_id`, which the
 * SDK passes to `acquireInitialRetryToken`): the retry strategy is one per client, and this is how
 * it tells batch requests (retried by their rounds) from the others without a per-request context.
 */
export const BATCH_SCOPE = 'dynamorm:batch';

/** The retry token the SDK carries from attempt to attempt. */
interface Token {
  getRetryCount(): number;
  getRetryDelay(): number;
  /** Budget tokens its last retry took, given back on success. */
  readonly taken: number;
  /** A batch request's: its rounds retry it. */
  readonly batch: boolean;
}

/** What the SDK says of a failed attempt (its classification of the error). */
interface RetryErrorInfo {
  readonly error?: unknown;
  readonly errorType: 'THROTTLING' | 'TRANSIENT' | 'SERVER_ERROR' | 'CLIENT_ERROR';
}

const BUDGET_REFUSED = Symbol('dynamorm.budgetRefused');

/** Whether the SDK gave up on this error because the retry budget refused another retry. */
export const refusedByBudget = (error: unknown): boolean => typeof error === 'object' && error !== null && BUDGET_REFUSED in error;

const token = (count: number, delay: number, taken: number, batch: boolean): Token => ({ getRetryCount: () => count, getRetryDelay: () => delay, taken, batch });
const FIRST = token(0, 0, 0, false);
const FIRST_OF_BATCH = token(0, 0, 0, true);

/**
 * The ORM's retry policy as the SDK client's retry strategy (the SDK's RetryStrategyV2): the
 * client the ORM builds retries throttling and transient failures (5xx, dropped connections)
 * `maxRetries` times with the policy's backoff, charged to its budget.
 * Batch requests are not retried here: their rounds retry them, so `maxRetries` counts once.
 * The SDK sends a retry with the same input, so a transaction keeps its ClientRequestToken.
 */
export class PolicyRetryStrategy {
  readonly mode = 'dynamorm';

  constructor(private readonly policy: RetryPolicy) {}

  /** `scope`: the SDK's retry scope, the context's `partition_id` (plus `:longpoll` for long polls). */
  acquireInitialRetryToken(scope: string): Promise<Token> {
    return Promise.resolve(scope.startsWith(BATCH_SCOPE) ? FIRST_OF_BATCH : FIRST);
  }

  refreshRetryTokenForRetry(previous: Token, info: RetryErrorInfo): Promise<Token> {
    const count = previous.getRetryCount();
    const retryable = info.errorType === 'THROTTLING' || info.errorType === 'TRANSIENT';
    // The SDK rethrows the attempt's error whatever this rejects with.
    if (!retryable || previous.batch || count >= this.policy.maxRetries) return Promise.reject(info.error);
    let taken = 0;
    if (this.policy.budget !== undefined) {
      const took = this.policy.budget.take(info.errorType === 'TRANSIENT');
      if (took === undefined) {
        if (typeof info.error === 'object' && info.error !== null) Object.defineProperty(info.error, BUDGET_REFUSED, { value: true });
        return Promise.reject(info.error);
      }
      taken = took;
    }
    return Promise.resolve(token(count + 1, this.policy.delay(count + 1), taken, false));
  }

  recordSuccess(previous: Token): void {
    this.policy.budget?.refund(previous.taken);
  }
}
