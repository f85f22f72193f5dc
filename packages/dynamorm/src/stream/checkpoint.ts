import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamORM } from '../orm.js';
import { model } from '../schema/model.js';
import { t } from '../schema/t.js';
import { ensureTable } from '../table/migrate.js';
import { StreamReaderError } from './errors.js';

/**
 * Where a reader is in each shard: the sequence number of the last record it acknowledged, or
 * `SHARD_END` for a shard read to its end. A reader resumes after these.
 */
export type StreamPosition = { readonly [shardId: string]: string };

/** The position of a shard read to its end. */
export const SHARD_END = 'SHARD_END';

/**
 * Keeps readers' positions, by reader name; a reader saves after each record its listeners
 * acknowledged (one save per record: a write to the store), at the end of each batch, and when it stops.
 */
export interface CheckpointStore {
  load(reader: string): Promise<StreamPosition>;
  save(reader: string, shardId: string, position: string): Promise<void>;
}

/** Positions in memory: for tests, or a reader that may start over (from `TRIM_HORIZON`/`LATEST`) after a restart. */
export class MemoryCheckpointStore implements CheckpointStore {
  private readonly readers = new Map<string, Map<string, string>>();

  async load(reader: string): Promise<StreamPosition> {
    return Object.fromEntries(this.readers.get(reader) ?? []);
  }

  async save(reader: string, shardId: string, position: string): Promise<void> {
    let shards = this.readers.get(reader);
    if (shards === undefined) this.readers.set(reader, (shards = new Map()));
    shards.set(shardId, position);
  }
}

/** The table of the default store: one item per reader and shard. */
const Checkpoint = model('StreamCheckpoint', {
  table: 'dynamorm-stream-checkpoints',
  attributes: { reader: t.string().pk(), shard: t.string().sk(), position: t.string() },
});

/**
 * Positions in a DynamoDB table of the ORM (default `dynamorm-stream-checkpoints`, under the ORM's
 * table prefix; created on first use, on demand billing): the default store of `orm.stream`.
 */
export class TableCheckpointStore implements CheckpointStore {
  private ready: Promise<unknown> | undefined;
  private readonly table: string;

  constructor(private readonly orm: DynamORM, options: { readonly table?: string } = {}) {
    this.table = orm.tableName(Checkpoint).slice(0, -Checkpoint.table.length) + (options.table ?? Checkpoint.table);
  }

  async load(reader: string): Promise<StreamPosition> {
    await this.ensure();
    const positions: Record<string, string> = {};
    let start: Record<string, AttributeValue> | undefined;
    do {
      const out = await this.orm.session.send('Query', {
        TableName: this.table,
        KeyConditionExpression: '#r = :r',
        ExpressionAttributeNames: { '#r': 'reader' },
        ExpressionAttributeValues: { ':r': { S: reader } },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }, 'streamCheckpoint', undefined);
      for (const item of out.Items ?? []) {
        const { shard, position } = Checkpoint.unmarshal(item, 'streamCheckpoint');
        positions[shard] = position;
      }
      start = out.LastEvaluatedKey;
    } while (start !== undefined);
    return positions;
  }

  async save(reader: string, shardId: string, position: string): Promise<void> {
    await this.ensure();
    await this.orm.session.send('PutItem', { TableName: this.table, Item: Checkpoint.marshal({ reader, shard: shardId, position }) }, 'streamCheckpoint', undefined);
  }

  private ensure(): Promise<unknown> {
    this.ready ??= ensureTable(this.orm.session.driver, this.table, [Checkpoint], { billingMode: 'PAY_PER_REQUEST', readCapacity: 1, writeCapacity: 1 }, this.orm.session.logger).catch((cause: unknown) => {
      this.ready = undefined;
      throw new StreamReaderError('stream.checkpointFailed', `the checkpoint table ${this.table} could not be created or read: ${(cause as Error).message}`, { table: this.table, cause });
    });
    return this.ready;
  }
}
