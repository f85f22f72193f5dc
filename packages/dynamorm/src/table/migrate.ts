import type { CreateTableCommandInput, TableDescription } from '@aws-sdk/client-dynamodb';
import type { Driver } from '../driver/driver.js';
import type { Logger } from '../query/session.js';
import { mapSdkError } from '../errors/map-sdk-error.js';
import type { AnyModel } from '../schema/model.js';
import { tableDefinition, type Capacity } from './definition.js';

const errorName = (error: unknown): string | undefined => (error as { name?: string } | null)?.name;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the table and all its indexes are ACTIVE, and returns its description. */
async function waitActive(driver: Driver, table: string, timeoutMs = 120_000): Promise<TableDescription> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 50; ; delay = Math.min(delay * 2, 1000)) {
    const { Table } = await driver.send('DescribeTable', { TableName: table });
    const indexes = Table?.GlobalSecondaryIndexes ?? [];
    if (Table?.TableStatus === 'ACTIVE' && indexes.every((i) => i.IndexStatus === 'ACTIVE')) return Table;
    if (Date.now() > deadline) throw new Error(`table ${table} is not ACTIVE after ${timeoutMs} ms (status ${Table?.TableStatus})`);
    await sleep(delay);
  }
}

/** Adds the GSIs the models declare and the table lacks, one at a time as DynamoDB requires. */
async function addMissingIndexes(driver: Driver, wanted: CreateTableCommandInput, current: TableDescription, logger: Logger): Promise<boolean> {
  const have = new Set((current.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
  let added = false;
  for (const gsi of wanted.GlobalSecondaryIndexes ?? []) {
    if (have.has(gsi.IndexName)) continue;
    const keys = new Set(gsi.KeySchema!.map((k) => k.AttributeName));
    await driver.send('UpdateTable', {
      TableName: wanted.TableName,
      AttributeDefinitions: wanted.AttributeDefinitions!.filter((d) => keys.has(d.AttributeName)),
      GlobalSecondaryIndexUpdates: [{ Create: gsi }],
    });
    await waitActive(driver, wanted.TableName!);
    added = true;
  }
  const haveLocal = new Set((current.LocalSecondaryIndexes ?? []).map((i) => i.IndexName));
  for (const lsi of wanted.LocalSecondaryIndexes ?? []) {
    if (!haveLocal.has(lsi.IndexName)) {
      logger.warn(`DynamORM: table ${wanted.TableName} has no local index ${lsi.IndexName}, and DynamoDB adds local indexes only when a table is created: queries on it will fail until the table is recreated`);
    }
  }
  return added;
}

/** Turns TTL on for the models' `t.ttl()` attribute, unless it already is. */
async function enableTtl(driver: Driver, table: string, models: readonly AnyModel[], logger: Logger): Promise<void> {
  const ttl = models.map((m) => m.ttlAttribute).find((a) => a !== undefined);
  if (ttl === undefined) return;
  const { TimeToLiveDescription: current } = await driver.send('DescribeTimeToLive', { TableName: table });
  const status = current?.TimeToLiveStatus;
  if (status === 'ENABLED' || status === 'ENABLING') {
    if (current?.AttributeName !== ttl.field) {
      logger.warn(`DynamORM: table ${table} expires items by ${current?.AttributeName}, not by ${ttl.field}; DynamoDB allows one TTL attribute per table`);
    }
    return;
  }
  try {
    await driver.send('UpdateTimeToLive', { TableName: table, TimeToLiveSpecification: { AttributeName: ttl.field, Enabled: true } });
  } catch (error) {
    // Another process enabling it first is fine.
    if (!/already enabled/i.test((error as Error).message ?? '')) throw error;
  }
}

/**
 * Brings `table` to what its models declare: creates it when missing, adds GSIs it lacks, turns
 * on TTL for a `t.ttl()` attribute, and waits until all is ACTIVE. Nothing is ever dropped.
 * Safe to race: a concurrent creation by another process is waited for.
 */
export async function ensureTable(driver: Driver, table: string, models: readonly AnyModel[], capacity: Capacity, logger: Logger): Promise<'created' | 'updated' | 'exists'> {
  const model = models[0];
  try {
    const wanted = tableDefinition(table, models, capacity);
    let created = false;
    try {
      await driver.send('DescribeTable', { TableName: table });
    } catch (error) {
      if (errorName(error) !== 'ResourceNotFoundException') throw error;
      try {
        await driver.send('CreateTable', wanted);
        created = true;
      } catch (raced) {
        if (errorName(raced) !== 'ResourceInUseException') throw raced;
      }
    }
    const current = await waitActive(driver, table);
    const updated = await addMissingIndexes(driver, wanted, current, logger);
    await enableTtl(driver, table, models, logger);
    return created ? 'created' : updated ? 'updated' : 'exists';
  } catch (error) {
    throw mapSdkError(error, 'migrate', model, { table });
  }
}
