import { AsyncLocalStorage } from 'node:async_hooks';
import type { DynamORM, ResponseEvent } from 'dynamorm';

/** What the requests of one API call cost, as DynamoDB reported it. */
export interface RunCost {
  requests: number;
  rcu: number;
  wcu: number;
  itemsRead: number;
  itemsReturned: number;
  /** Capacity units per table and index (`users`, `users/gsi-email`). */
  byTarget: Record<string, number>;
}

/**
 * Adds up the responses of each API call: the ORM's response events reach the listener in the
 * async context of the call that sent the request, so concurrent calls keep their own totals.
 */
export class CostMeter {
  private readonly storage = new AsyncLocalStorage<RunCost>();
  readonly stop: () => void;

  constructor(orm: DynamORM) {
    this.stop = orm.on('response', (event) => this.add(event));
  }

  /** Runs `fn` and returns its result with the cost of the requests it sent. */
  async measure<T>(fn: () => Promise<T>): Promise<{ result: T; cost: RunCost }> {
    const cost: RunCost = { requests: 0, rcu: 0, wcu: 0, itemsRead: 0, itemsReturned: 0, byTarget: {} };
    const result = await this.storage.run(cost, fn);
    return { result, cost };
  }

  private add(event: ResponseEvent): void {
    const cost = this.storage.getStore();
    if (cost === undefined) return;
    cost.requests++;
    cost.itemsRead += event.items.read;
    cost.itemsReturned += event.items.returned;
    const capacity = event.consumedCapacity;
    if (capacity === undefined) return;
    cost.rcu += capacity.rcu;
    cost.wcu += capacity.wcu;
    for (const [target, units] of Object.entries(capacity.byTarget)) cost.byTarget[target] = (cost.byTarget[target] ?? 0) + units;
  }
}
