import { DescribeTableCommand, DescribeTimeToLiveCommand, ScanCommand, type AttributeValue, type DynamoDBClient, type TableDescription } from '@aws-sdk/client-dynamodb';
import type { Progress } from '../progress.js';

export type StoredItem = Record<string, AttributeValue>;

/** What codegen learns of a live table: its description, TTL attribute and a bounded sample of items. */
export interface TableSample {
  readonly table: TableDescription;
  /** The TTL attribute, when TTL is enabled. */
  readonly ttlAttribute: string | undefined;
  readonly items: readonly StoredItem[];
  /** Whether the table holds more items than were read. */
  readonly truncated: boolean;
  /** Why no items could be read (the Scan was refused), when it was. */
  readonly scanError: Error | undefined;
}

/** DescribeTable, DescribeTimeToLive and Scan pages until `limit` items are read or the table ends. */
export async function sampleTable(client: DynamoDBClient, name: string, limit: number, progress: Progress): Promise<TableSample> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
  const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: name })).catch(() => undefined);
  const status = ttl?.TimeToLiveDescription?.TimeToLiveStatus;
  const ttlAttribute = status === 'ENABLED' || status === 'ENABLING' ? ttl?.TimeToLiveDescription?.AttributeName : undefined;
  const items: StoredItem[] = [];
  let start: Record<string, AttributeValue> | undefined;
  let scanError: Error | undefined;
  try {
    do {
      const page = await client.send(new ScanCommand({ TableName: name, Limit: Math.min(1000, limit - items.length), ExclusiveStartKey: start }));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
      progress.update(items.length, limit);
    } while (start !== undefined && items.length < limit);
  } catch (error) {
    scanError = error instanceof Error ? error : new Error(String(error));
  } finally {
    progress.stop();
  }
  return { table: Table!, ttlAttribute, items, truncated: start !== undefined, scanError };
}
