import { DynamORMError } from '../errors/errors.js';

/** How batches and transactions retry: attempts, and the exponential backoff between them. */
export interface RetryOptions {
  /** Attempts per chunk before its remaining items are reported (default 8). */
  readonly maxAttempts?: number;
  /** The first backoff, doubled on each attempt, with full jitter (default 25 ms). */
  readonly baseDelayMs?: number;
  /** The longest backoff (default 3000 ms). */
  readonly maxDelayMs?: number;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Full jitter: a random delay between 0 and min(cap, base * 2^attempt). */
export function backoff(attempt: number, options: RetryOptions = {}): number {
  const cap = Math.min(options.maxDelayMs ?? 3000, (options.baseDelayMs ?? 25) * 2 ** attempt);
  return Math.random() * cap;
}

const RETRYABLE = new Set([
  'ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded',
  'InternalServerError', 'ServiceUnavailable', 'TimeoutError', 'TransactionInProgressException',
]);

/** The AWS error name behind an error (mapped DynamORMErrors keep it as cause). */
export function sdkErrorName(error: unknown): string | undefined {
  const cause = error instanceof DynamORMError ? (error.cause as { name?: string } | undefined) : (error as { name?: string } | undefined);
  return cause?.name;
}

/** Throttling and transient failures: the whole request is retried like unprocessed items. */
export function isRetryable(error: unknown): boolean {
  const name = sdkErrorName(error);
  return name !== undefined && RETRYABLE.has(name);
}

/** Runs tasks with at most `concurrency` in flight; every task runs, failures are the tasks' own business. */
export async function pool<T>(items: readonly T[], concurrency: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await run(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
}

/** Splits entries into chunks of at most `count` entries and `bytes` bytes. */
export function chunk<T extends { readonly size: number }>(entries: readonly T[], count: number, bytes: number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let size = 0;
  for (const e of entries) {
    if (current.length > 0 && (current.length === count || size + e.size > bytes)) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(e);
    size += e.size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
