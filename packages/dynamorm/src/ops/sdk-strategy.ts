import { AsyncLocalStorage } from 'node:async_hooks';
import type { RetryPolicy } from './policy.js';

/** The request being sent: its DynamoDB operation, and for a watched one its input and what sees its attempts. */
export interface RequestScope {
  readonly operation: string;
  /** The input sent: the attempts seen are this request's, not those of a request it starts. */
  readonly input?: object;
  readonly onRetry?: (attempt: number, error: unknown, delayMs: number) => void;
}

/**
 * The request being sent, set around each `client.send` by the AWS driver: the SDK's retry
 * strategy and middleware are one per client, and this is how they tell batch requests (retried
 * by their rounds) from the others, and whose attempts they see.
 */
export const requestScope = new AsyncLocalStorage<RequestScope>();

/** The retry token the SDK carries from attempt to attempt. */
interface Token {
  getRetryCount(): number;
  getRetryDelay(): number;
  /** Budget tokens its last retry took, given back on success. */
  readonly taken: number;
}

/** What the SDK says of a failed attempt (its classification of the error). */
interface RetryErrorInfo {
  readonly error?: unknown;
  readonly errorType: 'THROTTLING' | 'TRANSIENT' | 'SERVER_ERROR' | 'CLIENT_ERROR';
}

const BUDGET_REFUSED = Symbol('dynamorm.budgetRefused');

/** Whether the SDK gave up on this error because the retry budget refused another retry. */
export const refusedByBudget = (error: unknown): boolean => typeof error === 'object' && error !== null && BUDGET_REFUSED in error;

const token = (count: number, delay: number, taken: number): Token => ({ getRetryCount: () => count, getRetryDelay: () => delay, taken });

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

  acquireInitialRetryToken(): Promise<Token> {
    return Promise.resolve(token(0, 0, 0));
  }

  refreshRetryTokenForRetry(previous: Token, info: RetryErrorInfo): Promise<Token> {
    const operation = requestScope.getStore()?.operation;
    const count = previous.getRetryCount();
    const retryable = info.errorType === 'THROTTLING' || info.errorType === 'TRANSIENT';
    const batch = operation === 'BatchWriteItem' || operation === 'BatchGetItem';
    // The SDK rethrows the attempt's error whatever this rejects with.
    if (!retryable || batch || count >= this.policy.maxRetries) return Promise.reject(info.error);
    let taken = 0;
    if (this.policy.budget !== undefined) {
      const took = this.policy.budget.take(info.errorType === 'TRANSIENT');
      if (took === undefined) {
        if (typeof info.error === 'object' && info.error !== null) Object.defineProperty(info.error, BUDGET_REFUSED, { value: true });
        return Promise.reject(info.error);
      }
      taken = took;
    }
    return Promise.resolve(token(count + 1, this.policy.delay(count + 1), taken));
  }

  recordSuccess(previous: Token): void {
    this.policy.budget?.refund(previous.taken);
  }
}
