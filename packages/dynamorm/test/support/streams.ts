// DynamoDB Streams in integration tests: turn a table's stream on, and read what it holds with the
// raw streams client (as Lambda would receive it), to feed the ORM's stream handlers.
import { DescribeTableCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, type _Record } from '@aws-sdk/client-dynamodb-streams';
import type { StreamEventLike, StreamRecordLike } from 'dynamorm';
import { clientConfig } from './dynamo.js';
import { rawClient } from './inspect.js';

let streams: DynamoDBStreamsClient | undefined;
export const streamsClient = (): DynamoDBStreamsClient => (streams ??= new DynamoDBStreamsClient(clientConfig()));

/** Turns on the table's stream (NEW_AND_OLD_IMAGES by default) and returns its ARN. */
export async function enableStream(table: string, view: 'NEW_AND_OLD_IMAGES' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'KEYS_ONLY' = 'NEW_AND_OLD_IMAGES'): Promise<string> {
  await rawClient().send(new UpdateTableCommand({ TableName: table, StreamSpecification: { StreamEnabled: true, StreamViewType: view } }));
  const { Table } = await rawClient().send(new DescribeTableCommand({ TableName: table }));
  return Table!.LatestStreamArn!;
}

/** Every record the stream holds now, from the start of each shard, in order per shard. */
export async function streamRecords(streamArn: string): Promise<_Record[]> {
  const { StreamDescription } = await streamsClient().send(new DescribeStreamCommand({ StreamArn: streamArn }));
  const records: _Record[] = [];
  for (const shard of StreamDescription?.Shards ?? []) {
    let { ShardIterator: iterator } = await streamsClient().send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }));
    while (iterator !== undefined) {
      const out = await streamsClient().send(new GetRecordsCommand({ ShardIterator: iterator }));
      records.push(...(out.Records ?? []));
      // An open shard answers with another iterator forever: stop at the first empty page.
      if ((out.Records ?? []).length === 0) break;
      iterator = out.NextShardIterator;
    }
  }
  return records;
}

/** The records as a Lambda event carries them: JSON, binaries as base64 text, with the stream's ARN. */
export function lambdaEvent(records: readonly _Record[], streamArn: string): StreamEventLike {
  const json = JSON.stringify(records.map((r) => ({ ...r, eventSourceARN: streamArn })), function (this: Record<string, unknown>, key, value: unknown) {
    const raw = this[key];
    return raw instanceof Date ? raw.getTime() / 1000 : raw instanceof Uint8Array ? Buffer.from(raw).toString('base64') : value;
  });
  return { Records: JSON.parse(json) as StreamRecordLike[] };
}
