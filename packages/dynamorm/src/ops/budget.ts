/**
 * A token bucket shared by every operation of one ORM, as the AWS SDKs' retry quota: a retry
 * after a failure takes `cost` tokens (a dropped connection or timeout twice that), a success
 * gives back what its retry took (1 token for a success at the first attempt). Under a
 * region-wide throttle the bucket empties after a few dozen failed retries and failures are then
 * reported at once instead of multiplying the load; it refills as requests get through again.
 */
export class RetryBudget {
  private tokens: number;

  constructor(readonly capacity: number, readonly cost = 5) {
    this.tokens = capacity;
  }

  /** Takes the tokens of one retry; false (taking nothing) when the bucket has too few. */
  take(transient: boolean): number | undefined {
    const cost = transient ? this.cost * 2 : this.cost;
    if (this.tokens < cost) return undefined;
    this.tokens -= cost;
    return cost;
  }

  /** A success: gives back what its retry took, or 1 token. */
  refund(taken = 0): void {
    this.tokens = Math.min(this.capacity, this.tokens + (taken > 0 ? taken : 1));
  }

  /** Tokens left (for tests and metrics). */
  get available(): number {
    return this.tokens;
  }
}
