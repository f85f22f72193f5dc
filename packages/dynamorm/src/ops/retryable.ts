import { DynamORMError } from '../errors/errors.js';

/** Failures another attempt may clear: throttling, DynamoDB's 5xx, transaction contention. */
const RETRYABLE = new Set([
  'ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded',
  'InternalServerError', 'ServiceUnavailable', 'ServiceUnavailableException', 'TimeoutError', 'TransactionInProgressException',
]);

/** Node's codes of a dropped or timed-out connection (the request may or may not have been applied). */
const NETWORK = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNREFUSED', 'ECONNABORTED']);

/** The AWS error name behind an error (mapped DynamORMErrors keep it as cause). */
export function sdkErrorName(error: unknown): string | undefined {
  const cause = error instanceof DynamORMError ? (error.cause as { name?: string } | undefined) : (error as { name?: string } | undefined);
  return cause?.name;
}

const sdkCause = (error: unknown): { code?: string; $metadata?: { httpStatusCode?: number } } | undefined =>
  (error instanceof DynamORMError ? error.cause : error) as { code?: string; $metadata?: { httpStatusCode?: number } } | undefined;

/** A dropped connection or a timeout: retried, and counted twice against the budget. */
export function isTransient(error: unknown): boolean {
  const cause = sdkCause(error);
  return cause?.code !== undefined && NETWORK.has(cause.code);
}

/** Throttling, 5xx and dropped connections: the whole request may be sent again. */
export function isRetryable(error: unknown): boolean {
  const name = sdkErrorName(error);
  if (name !== undefined && RETRYABLE.has(name)) return true;
  const status = sdkCause(error)?.$metadata?.httpStatusCode;
  return isTransient(error) || (status !== undefined && status >= 500);
}
