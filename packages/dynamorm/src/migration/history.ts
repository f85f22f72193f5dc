import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { sdkErrorName } from '../ops/retryable.js';
import type { Driver } from '../driver/driver.js';
import { waitActive } from '../table/wait.js';

type Stored = Record<string, AttributeValue>;

/** How a migration's last run ended. */
export type MigrationOutcome = 'applied' | 'failed' | 'reverted';

/** One migration as the history table records it. */
export interface HistoryRecord {
  readonly version: string;
  readonly checksum: string;
  readonly outcome: MigrationOutcome;
  /** When the last run of `up` (or `down`, for `reverted`) finished, ISO 8601. */
  readonly at: string;
  readonly durationMs: number;
  /** The error message of a failed run. */
  readonly error?: string;
  /** The models' schema fingerprint when the run finished (see `orm.schema.fingerprint()`). */
  readonly fingerprint: string;
  readonly description?: string;
}

const s = (v: string): AttributeValue => ({ S: v });
const n = (v: number): AttributeValue => ({ N: String(v) });
const str = (item: Stored, f: string): string | undefined => item[f]?.S;

/** Checkpoint of a data migration: where each scan segment is, and the counts so far. */
export interface Checkpoint {
  readonly segments: readonly (Stored | null | 'done')[];
  readonly done: number;
}

/**
 * The history table: one item per migration (`migration#<version>`), the lease lock (`lock`)
 * and transform checkpoints (`checkpoint#<version>#<name>`), keyed by one string `id`.
 */
export class History {
  private ready: Promise<void> | undefined;
  constructor(readonly driver: Driver, readonly table: string) {}

  /** Creates the table on first use (on-demand billing: it sees a few requests per run). */
  ensure(): Promise<void> {
    this.ready ??= (async () => {
      try {
        await this.driver.send('CreateTable', {
          TableName: this.table, BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        });
      } catch (error) {
        if (sdkErrorName(error) !== 'ResourceInUseException') throw error;
      }
      await waitActive(this.driver, this.table, 'migrate');
    })().catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  /** Every migration record (a table that does not exist yet: none). */
  async records(): Promise<HistoryRecord[]> {
    const records: HistoryRecord[] = [];
    let start: Stored | undefined;
    try {
      do {
        const out = await this.driver.send('Scan', {
          TableName: this.table, ConsistentRead: true, FilterExpression: 'begins_with(#id, :p)',
          ExpressionAttributeNames: { '#id': 'id' }, ExpressionAttributeValues: { ':p': s('migration#') },
          ...(start === undefined ? {} : { ExclusiveStartKey: start }),
        });
        for (const item of out.Items ?? []) {
          records.push({
            version: str(item, 'version')!, checksum: str(item, 'checksum')!, outcome: str(item, 'outcome') as MigrationOutcome,
            at: str(item, 'at')!, durationMs: Number(item.durationMs?.N ?? 0), fingerprint: str(item, 'fingerprint') ?? '',
            ...(item.error?.S === undefined ? {} : { error: item.error.S }),
            ...(item.description?.S === undefined ? {} : { description: item.description.S }),
          });
        }
        start = out.LastEvaluatedKey;
      } while (start !== undefined);
    } catch (error) {
      if (sdkErrorName(error) === 'ResourceNotFoundException') return [];
      throw error;
    }
    return records;
  }

  async record(r: HistoryRecord): Promise<void> {
    const item: Stored = {
      id: s(`migration#${r.version}`), version: s(r.version), checksum: s(r.checksum), outcome: s(r.outcome),
      at: s(r.at), durationMs: n(r.durationMs), fingerprint: s(r.fingerprint),
      ...(r.error === undefined ? {} : { error: s(r.error) }),
      ...(r.description === undefined ? {} : { description: s(r.description) }),
    };
    await this.driver.send('PutItem', { TableName: this.table, Item: item });
  }

  async checkpoint(id: string): Promise<Checkpoint | undefined> {
    const out = await this.driver.send('GetItem', { TableName: this.table, Key: { id: s(id) }, ConsistentRead: true });
    const state = out.Item?.state?.S;
    return state === undefined ? undefined : JSON.parse(state) as Checkpoint;
  }

  async saveCheckpoint(id: string, checkpoint: Checkpoint): Promise<void> {
    await this.driver.send('PutItem', { TableName: this.table, Item: { id: s(id), state: s(JSON.stringify(checkpoint)), at: s(new Date().toISOString()) } });
  }

  /** Forgets the checkpoints of a migration once it has run to the end. */
  async clearCheckpoints(version: string): Promise<void> {
    const out = await this.driver.send('Scan', {
      TableName: this.table, ConsistentRead: true, FilterExpression: 'begins_with(#id, :p)', ProjectionExpression: '#id',
      ExpressionAttributeNames: { '#id': 'id' }, ExpressionAttributeValues: { ':p': s(`checkpoint#${version}#`) },
    });
    for (const item of out.Items ?? []) await this.driver.send('DeleteItem', { TableName: this.table, Key: { id: item.id! } });
  }
}
