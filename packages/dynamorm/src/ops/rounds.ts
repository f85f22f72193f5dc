import type { SendOptions } from '../observe/pipeline.js';
import { isTransient } from './retryable.js';
import type { RetryPolicy } from './policy.js';
import { sleep } from './sleep.js';

/** Why a batch stops retrying: `exhausted` (maxRetries rounds in a row without progress) or `budget`. */
export type GiveUp = 'exhausted' | 'budget';

/**
 * The retry rounds of one batch chunk. A round that wrote or read anything is progress: the
 * chunk goes on however many rounds it takes. It gives up only after `maxRetries` rounds in a
 * row without progress, or when the ORM's retry budget refuses a retry after a failed round.
 */
export class Rounds {
  private idle = 0;
  private round = 1;
  private taken = 0;
  private retried: SendOptions['retried'];

  constructor(private readonly policy: RetryPolicy, private readonly signal: AbortSignal | undefined) {}

  /** How the next round's request is sent: its round as attempt, and why it is a retry (the `retry` event). */
  get send(): SendOptions {
    return this.retried === undefined ? {} : { attempt: this.round, retried: this.retried };
  }

  /**
   * After a round that left work (`failure`: its error, or what it left unprocessed): waits the
   * backoff (waking on abort, rejecting with the signal's reason) and resolves undefined to go
   * on, or resolves why to stop.
   */
  async next(progressed: boolean, failure: unknown): Promise<GiveUp | undefined> {
    if (progressed) this.succeeded();
    else this.idle++;
    if (this.idle > this.policy.maxRetries) return 'exhausted';
    if (!progressed && this.policy.budget !== undefined) {
      const taken = this.policy.budget.take(isTransient(failure));
      if (taken === undefined) return 'budget';
      this.taken = taken;
    }
    const delayMs = this.policy.delay(this.round);
    this.round++;
    this.retried = { error: failure, delayMs };
    await sleep(delayMs, this.signal);
    return undefined;
  }

  /** A round that got through: the budget gets back what its retry took. */
  succeeded(): void {
    this.idle = 0;
    this.policy.budget?.refund(this.taken);
    this.taken = 0;
  }
}
