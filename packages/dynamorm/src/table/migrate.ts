import type { Driver } from '../driver/driver.js';
import { mapSdkError } from '../errors/map-sdk-error.js';
import type { AnyModel } from '../schema/model.js';
import { tableDefinition, type Capacity } from './definition.js';

const errorName = (error: unknown): string | undefined => (error as { name?: string } | null)?.name;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the table and all its indexes are ACTIVE. */
async function waitActive(driver: Driver, table: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 50; ; delay = Math.min(delay * 2, 1000)) {
    const { Table } = await driver.send('DescribeTable', { TableName: table });
    const indexes = Table?.GlobalSecondaryIndexes ?? [];
    if (Table?.TableStatus === 'ACTIVE' && indexes.every((i) => i.IndexStatus === 'ACTIVE')) return;
    if (Date.now() > deadline) throw new Error(`table ${table} is not ACTIVE after ${timeoutMs} ms (status ${Table?.TableStatus})`);
    await sleep(delay);
  }
}

/**
 * Creates `table` from its models when it is missing, waits until it is ACTIVE and turns on TTL
 * for a `t.ttl()` attribute. A table that exists is left as it is. Safe to race: a concurrent
 * creation by another process is waited for.
 */
export async function ensureTable(driver: Driver, table: string, models: readonly AnyModel[], capacity: Capacity): Promise<'created' | 'exists'> {
  const model = models[0];
  try {
    try {
      await driver.send('DescribeTable', { TableName: table });
      await waitActive(driver, table);
      return 'exists';
    } catch (error) {
      if (errorName(error) !== 'ResourceNotFoundException') throw error;
    }
    try {
      await driver.send('CreateTable', tableDefinition(table, models, capacity));
    } catch (error) {
      if (errorName(error) !== 'ResourceInUseException') throw error;
    }
    await waitActive(driver, table);
    const ttl = models.map((m) => m.ttlAttribute).find((a) => a !== undefined);
    if (ttl !== undefined) {
      try {
        await driver.send('UpdateTimeToLive', { TableName: table, TimeToLiveSpecification: { AttributeName: ttl.field, Enabled: true } });
      } catch (error) {
        // Another process enabling it first is fine.
        if (!/already enabled/i.test((error as Error).message ?? '')) throw error;
      }
    }
    return 'created';
  } catch (error) {
    throw mapSdkError(error, 'migrate', model, { table });
  }
}
