import type { Driver } from '../driver/driver.js';
import type { Logger } from '../query/session.js';
import { mapSdkError } from '../errors/map-sdk-error.js';
import { sdkErrorName } from '../ops/retryable.js';
import type { AnyModel } from '../schema/model.js';
import type { Capacity } from './definition.js';
import { applyPlan } from './apply.js';
import { describeLive, orderSteps, planTable, type TableSettings } from './plan.js';
import { waitActive } from './wait.js';

/**
 * autoMigrate: brings `table` to what its models declare with the planner's safe steps (create
 * it, add the GSIs it lacks, turn on TTL) and logs each destructive step it leaves out (a changed
 * key, a local index it cannot add, an index no model declares). Safe to race: a concurrent
 * creation by another process is waited for.
 */
export async function ensureTable(driver: Driver, table: string, models: readonly AnyModel[], capacity: Capacity, logger: Logger, settings: TableSettings = {}): Promise<'created' | 'updated' | 'exists'> {
  try {
    // A table another process is creating or changing is waited for before it is compared.
    await waitActive(driver, table).catch((error: unknown) => {
      if (sdkErrorName(error) !== 'ResourceNotFoundException') throw error;
    });
    const live = await describeLive(driver, table, settings);
    const steps = planTable(table, models, capacity, settings, live);
    for (const step of steps) {
      if (step.destructive) logger.warn(`DynamORM: table ${table}: autoMigrate leaves out a destructive step: ${step.description}. See it with orm.schema.plan(), run it with orm.schema.apply(plan, { allowDestructive: true })`);
    }
    const safe = steps.filter((s) => !s.destructive);
    await applyPlan(driver, orderSteps(safe), {}, 'migrate');
    return safe.some((s) => s.kind === 'createTable') ? 'created' : safe.length > 0 ? 'updated' : 'exists';
  } catch (error) {
    throw mapSdkError(error, 'migrate', models[0], { table });
  }
}
