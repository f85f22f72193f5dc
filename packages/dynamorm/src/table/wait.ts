import type { TableDescription } from '@aws-sdk/client-dynamodb';
import type { Driver } from '../driver/driver.js';
import { DynamORMError } from '../errors/errors.js';
import { sleep } from '../ops/sleep.js';

/**
 * Waits until the table, every GSI and every replica are ACTIVE and no index is still backfilling, and returns
 * its description: DynamoDB takes one index change at a time, so each waits for the last.
 */
export async function waitActive(driver: Driver, table: string, op = 'migrate', timeoutMs = 300_000): Promise<TableDescription> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 50; ; delay = Math.min(delay * 2, 1000)) {
    const { Table } = await driver.send('DescribeTable', { TableName: table });
    const indexes = Table?.GlobalSecondaryIndexes ?? [];
    const replicas = Table?.Replicas ?? [];
    if (Table?.TableStatus === 'ACTIVE' && indexes.every((i) => i.IndexStatus === 'ACTIVE' && i.Backfilling !== true) && replicas.every((r) => r.ReplicaStatus === 'ACTIVE')) return Table;
    if (Date.now() > deadline) {
      throw new DynamORMError('table.notActive', `${op}: table ${table} is not ACTIVE after ${timeoutMs} ms (status ${Table?.TableStatus}${indexes.filter((i) => i.IndexStatus !== 'ACTIVE').map((i) => `, index ${i.IndexName} ${i.IndexStatus}`).join('')})`, { op, context: { table } });
    }
    await sleep(delay);
  }
}

