import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { sdkErrorName } from '../ops/retryable.js';
import { sleep } from '../ops/sleep.js';
import type { History } from './history.js';
import { DynamORMError } from '../errors/errors.js';
import { MigrationError } from './errors.js';

export interface LockOptions {
  /** How long the lease lasts unless renewed (default 60 s); renewed every third of it while the run goes on. */
  readonly leaseMs?: number | undefined;
  /** How long to wait for another run's lock before giving up with `migration.locked` (default: one lease, 0: fail at once). */
  readonly waitMs?: number | undefined;
}

/**
 * A lease on the history table's `lock` item: taken with a conditional write that succeeds when
 * no lock exists or the last one expired (a crashed run's is taken over after its lease), renewed
 * while the run goes on, released at the end. Every renewal is conditioned on still holding it.
 */
export class Lease {
  readonly owner = `${hostname()}:${process.pid}:${randomUUID()}`;
  private timer: NodeJS.Timeout | undefined;
  private lostError: MigrationError | undefined;
  private readonly leaseMs: number;

  constructor(private readonly history: History, private readonly options: LockOptions = {}) {
    this.leaseMs = options.leaseMs ?? 60_000;
  }

  /** Takes the lock, waiting while another live run holds it; rejects with `migration.locked` after `waitMs`. */
  async acquire(): Promise<void> {
    const deadline = Date.now() + (this.options.waitMs ?? this.leaseMs);
    for (let delay = 50; ; delay = Math.min(delay * 2, 1000)) {
      const now = Date.now();
      try {
        await this.history.driver.send('PutItem', {
          TableName: this.history.table,
          Item: { id: { S: 'lock' }, owner: { S: this.owner }, expiresAt: { N: String(now + this.leaseMs) }, acquiredAt: { S: new Date(now).toISOString() } },
          ConditionExpression: 'attribute_not_exists(#id) OR #e < :now',
          ExpressionAttributeNames: { '#id': 'id', '#e': 'expiresAt' },
          ExpressionAttributeValues: { ':now': { N: String(now) } },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        });
        break;
      } catch (error) {
        if (sdkErrorName(error) !== 'ConditionalCheckFailedException') throw error;
        if (Date.now() >= deadline) {
          // The SDK's error holds the lock's item (through the pipeline: as the mapped error's cause).
          const held = ((error instanceof DynamORMError ? error.cause : error) as { Item?: Record<string, { S?: string; N?: string }> } | undefined)?.Item;
          const until = held?.expiresAt?.N === undefined ? 'unknown' : new Date(Number(held.expiresAt.N)).toISOString();
          throw new MigrationError('migration.locked', `migrate: another run holds the migration lock (${held?.owner?.S ?? 'unknown owner'}, lease until ${until}): wait for it to finish; a crashed run's lock is taken over once its lease expires`, { op: 'migrate', context: { owner: held?.owner?.S, expiresAt: until } });
        }
        await sleep(delay);
      }
    }
    this.timer = setInterval(() => void this.renew(), Math.max(10, Math.floor(this.leaseMs / 3)));
    this.timer.unref();
  }

  private async renew(): Promise<void> {
    try {
      await this.history.driver.send('UpdateItem', {
        TableName: this.history.table, Key: { id: { S: 'lock' } },
        UpdateExpression: 'SET #e = :e', ConditionExpression: '#o = :o',
        ExpressionAttributeNames: { '#e': 'expiresAt', '#o': 'owner' },
        ExpressionAttributeValues: { ':e': { N: String(Date.now() + this.leaseMs) }, ':o': { S: this.owner } },
      });
    } catch (error) {
      // A failed renewal of a transient kind is retried by the next tick; a lost lock stops the run.
      if (sdkErrorName(error) === 'ConditionalCheckFailedException') {
        this.lostError = new MigrationError('migration.lockLost', `migrate: this run's lease on the migration lock expired and another run took it over: stopped before the next step (raise lockOptions.leaseMs if steps block the event loop that long)`, { op: 'migrate' });
        this.stopRenewing();
      }
    }
  }

  /** Throws when the lease was lost: called between steps, so a run that lost its lock goes no further. */
  check(): void {
    if (this.lostError !== undefined) throw this.lostError;
  }

  private stopRenewing(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Gives the lock back (only if still held). */
  async release(): Promise<void> {
    this.stopRenewing();
    try {
      await this.history.driver.send('DeleteItem', {
        TableName: this.history.table, Key: { id: { S: 'lock' } }, ConditionExpression: '#o = :o',
        ExpressionAttributeNames: { '#o': 'owner' }, ExpressionAttributeValues: { ':o': { S: this.owner } },
      });
    } catch (error) {
      if (sdkErrorName(error) !== 'ConditionalCheckFailedException') throw error;
    }
  }
}
