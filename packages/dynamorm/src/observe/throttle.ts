// DynamoDB's ways of saying "too many requests": the table's, the account's, and the control plane's.
const THROTTLES: ReadonlySet<string> = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded']);

/** Whether an SDK error (or a DynamORMError caused by one) is a throttle. */
export function isThrottle(error: unknown): boolean {
  const e = error as { name?: unknown; cause?: { name?: unknown } } | undefined;
  return typeof e === 'object' && e !== null && (THROTTLES.has(e.name as string) || THROTTLES.has(e.cause?.name as string));
}
