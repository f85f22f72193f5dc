/**
 * The health of one region: closed (requests go), open (skipped after a failure, until
 * `probeAfterMs` has passed), then half-open: one request goes as the probe, and its outcome
 * closes the breaker or opens it again.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | undefined;
  private probing = false;

  constructor(private readonly threshold: number, private readonly probeAfterMs: number, private readonly now: () => number = Date.now) {}

  get state(): 'healthy' | 'down' | 'probing' {
    return this.openedAt === undefined ? 'healthy' : this.probing ? 'probing' : 'down';
  }

  get consecutiveFailures(): number {
    return this.failures;
  }

  get downSince(): number | undefined {
    return this.openedAt;
  }

  /** Whether a request may go now; true for the one probe of a breaker whose wait is over. */
  allow(): boolean {
    if (this.openedAt === undefined) return true;
    if (this.probing || this.now() - this.openedAt < this.probeAfterMs) return false;
    this.probing = true;
    return true;
  }

  success(): void {
    this.failures = 0;
    this.openedAt = undefined;
    this.probing = false;
  }

  failure(): void {
    this.failures++;
    if (this.probing || this.failures >= this.threshold) {
      // A failed probe waits a full period again.
      this.openedAt = this.now();
      this.probing = false;
    }
  }
}
