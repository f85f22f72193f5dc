import type { BackupDescription, ContinuousBackupsDescription, BackupDetails, BackupSummary as SdkBackupSummary, BackupTypeFilter, TableDescription } from '@aws-sdk/client-dynamodb';
import { DynamORMError } from '../errors/errors.js';
import type { Session } from '../query/session.js';
import type { AnyModel } from '../schema/model.js';
import { waitActive } from '../table/wait.js';

/** An on-demand backup, as CreateBackup, ListBackups, DescribeBackup and DeleteBackup describe it. */
export interface Backup {
  readonly arn: string;
  readonly name: string;
  /** The table backed up (undefined where DynamoDB does not say: CreateBackup's answer). */
  readonly table: string | undefined;
  readonly status: 'CREATING' | 'AVAILABLE' | 'DELETED';
  /** USER (on demand), SYSTEM (kept by DynamoDB when a table is deleted) or AWS_BACKUP. */
  readonly type: 'USER' | 'SYSTEM' | 'AWS_BACKUP';
  readonly createdAt: Date;
  readonly sizeBytes: number | undefined;
  /** When a SYSTEM backup expires. */
  readonly expiresAt: Date | undefined;
}

export interface ListBackupsOptions {
  /** Only the backups of this model's table, or of the table of this name (prefixed as the ORM prefixes). */
  readonly table?: AnyModel | string | undefined;
  /** Created at or after. */
  readonly from?: Date | undefined;
  /** Created before. */
  readonly to?: Date | undefined;
  /** Default USER (on-demand backups); ALL includes SYSTEM and AWS_BACKUP ones. */
  readonly type?: BackupTypeFilter | undefined;
}

export interface RestoreOptions {
  /** The new table's name (prefixed as the ORM prefixes); it must not exist. */
  readonly table: string;
  /** Wait until the new table is ACTIVE (default true). */
  readonly wait?: boolean | undefined;
  /** How long to wait, at most (default 30 minutes: restores of large tables take long). */
  readonly timeoutMs?: number | undefined;
}

export interface PointInTimeRestoreOptions extends RestoreOptions {
  /** The time to restore to; default: the latest restorable time (about five minutes ago). */
  readonly time?: Date | undefined;
}

/** A table restored from a backup or to a point in time. */
export interface RestoredTable {
  readonly table: string;
  /** ACTIVE once waited for; CREATING with `wait: false`. */
  readonly status: string;
  readonly description: TableDescription;
}

/** Point-in-time recovery of a table: whether it is on, and the window it can restore from. */
export interface PointInTimeRecovery {
  readonly enabled: boolean;
  readonly earliestRestorableTime: Date | undefined;
  readonly latestRestorableTime: Date | undefined;
}

/** What backups need of the ORM. */
export interface BackupsHost {
  readonly session: Session;
  /** A model's table, or a table name with the ORM's prefix. */
  tableOf(target: AnyModel | string): string;
}

const THIRTY_MINUTES = 30 * 60_000;

function fromDetails(d: BackupDetails | undefined, table: string | undefined, op: string): Backup {
  if (d?.BackupArn === undefined) throw new DynamORMError('backup.noDetails', `${op}: DynamoDB answered without the backup's details`, { op, context: { table } });
  return {
    arn: d.BackupArn, name: d.BackupName!, table, status: d.BackupStatus as Backup['status'], type: d.BackupType as Backup['type'],
    createdAt: d.BackupCreationDateTime!, sizeBytes: d.BackupSizeBytes, expiresAt: d.BackupExpiryDateTime,
  };
}

const fromSummary = (s: SdkBackupSummary): Backup => ({
  arn: s.BackupArn!, name: s.BackupName!, table: s.TableName, status: s.BackupStatus as Backup['status'], type: s.BackupType as Backup['type'],
  createdAt: s.BackupCreationDateTime!, sizeBytes: s.BackupSizeBytes, expiresAt: s.BackupExpiryDateTime,
});

const fromDescription = (d: BackupDescription | undefined, op: string): Backup => fromDetails(d?.BackupDetails, d?.SourceTableDetails?.TableName, op);

function recoveryOf(c: ContinuousBackupsDescription | undefined): PointInTimeRecovery {
  const d = c?.PointInTimeRecoveryDescription;
  return { enabled: d?.PointInTimeRecoveryStatus === 'ENABLED', earliestRestorableTime: d?.EarliestRestorableDateTime, latestRestorableTime: d?.LatestRestorableDateTime };
}

const modelOf = (target: AnyModel | string | undefined): AnyModel | undefined => (typeof target === 'object' ? target : undefined);

/**
 * On-demand backups and point-in-time recovery of tables (`orm.backups`): each method sends the
 * one DynamoDB request it names; restores wait until the new table is ACTIVE. DynamoDB Local
 * implements none of these requests: there they reject with an UnsupportedOperationError.
 */
export class Backups {
  constructor(private readonly host: BackupsHost) {}

  /**
   * Backs up a model's table (or a table by name) now (CreateBackup); resolves with the backup,
   * CREATING until DynamoDB has finished it (`describe` tells).
   * @example const backup = await orm.backups.create(User, 'before-v2');
   */
  async create(target: AnyModel | string, name: string): Promise<Backup> {
    const table = this.host.tableOf(target);
    const out = await this.host.session.send('CreateBackup', { TableName: table, BackupName: name }, 'backups.create', modelOf(target));
    return fromDetails(out.BackupDetails, table, 'backups.create');
  }

  /** Every backup (ListBackups, all pages), newest last as DynamoDB lists them; default: on-demand backups of every table. */
  async list(options: ListBackupsOptions = {}): Promise<Backup[]> {
    const backups: Backup[] = [];
    let start: string | undefined;
    do {
      const out = await this.host.session.send('ListBackups', {
        ...(options.table === undefined ? {} : { TableName: this.host.tableOf(options.table) }),
        ...(options.from === undefined ? {} : { TimeRangeLowerBound: options.from }),
        ...(options.to === undefined ? {} : { TimeRangeUpperBound: options.to }),
        ...(options.type === undefined ? {} : { BackupType: options.type }),
        ...(start === undefined ? {} : { ExclusiveStartBackupArn: start }),
      }, 'backups.list', modelOf(options.table));
      backups.push(...(out.BackupSummaries ?? []).map(fromSummary));
      start = out.LastEvaluatedBackupArn;
    } while (start !== undefined);
    return backups;
  }

  /** One backup by ARN (DescribeBackup): its status, size and table. */
  async describe(arn: string): Promise<Backup> {
    const out = await this.host.session.send('DescribeBackup', { BackupArn: arn }, 'backups.describe', undefined);
    return fromDescription(out.BackupDescription, 'backups.describe');
  }

  /** Deletes a backup (DeleteBackup); resolves with it, DELETED. */
  async delete(arn: string): Promise<Backup> {
    const out = await this.host.session.send('DeleteBackup', { BackupArn: arn }, 'backups.delete', undefined);
    return fromDescription(out.BackupDescription, 'backups.delete');
  }

  /**
   * Restores a backup into a new table (RestoreTableFromBackup) and waits until it is ACTIVE.
   * @example await orm.backups.restore(backup.arn, { table: 'users_restored' });
   */
  async restore(arn: string, options: RestoreOptions): Promise<RestoredTable> {
    const table = this.host.tableOf(options.table);
    const out = await this.host.session.send('RestoreTableFromBackup', { TargetTableName: table, BackupArn: arn }, 'backups.restore', undefined);
    return this.restored(table, out.TableDescription, options, 'backups.restore');
  }

  /**
   * Restores a table with point-in-time recovery on into a new table, as it was at `time` (default:
   * the latest restorable time) (RestoreTableToPointInTime), and waits until it is ACTIVE.
   * @example await orm.backups.restoreToPointInTime(User, { table: 'users_at_noon', time: new Date('2026-11-30T12:00:00Z') });
   */
  async restoreToPointInTime(source: AnyModel | string, options: PointInTimeRestoreOptions): Promise<RestoredTable> {
    const table = this.host.tableOf(options.table);
    const out = await this.host.session.send('RestoreTableToPointInTime', {
      SourceTableName: this.host.tableOf(source), TargetTableName: table,
      ...(options.time === undefined ? { UseLatestRestorableTime: true } : { RestoreDateTime: options.time }),
    }, 'backups.restoreToPointInTime', modelOf(source));
    return this.restored(table, out.TableDescription, options, 'backups.restoreToPointInTime');
  }

  /** Whether point-in-time recovery is on for a table, and its restorable window (DescribeContinuousBackups). */
  async pointInTimeRecovery(target: AnyModel | string): Promise<PointInTimeRecovery> {
    const out = await this.host.session.send('DescribeContinuousBackups', { TableName: this.host.tableOf(target) }, 'backups.pointInTimeRecovery', modelOf(target));
    return recoveryOf(out.ContinuousBackupsDescription);
  }

  /**
   * Turns point-in-time recovery on or off (UpdateContinuousBackups). To keep it declared with the
   * tables, give `pointInTimeRecovery` to `orm.schema.plan()` or a migration's `createTable`/`updateTable` instead.
   */
  async setPointInTimeRecovery(target: AnyModel | string, enabled: boolean): Promise<PointInTimeRecovery> {
    const out = await this.host.session.send('UpdateContinuousBackups', {
      TableName: this.host.tableOf(target), PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: enabled },
    }, 'backups.setPointInTimeRecovery', modelOf(target));
    return recoveryOf(out.ContinuousBackupsDescription);
  }

  private async restored(table: string, description: TableDescription | undefined, options: RestoreOptions, op: string): Promise<RestoredTable> {
    if (options.wait === false) return { table, status: description?.TableStatus ?? 'CREATING', description: description ?? { TableName: table } };
    const active = await waitActive(this.host.session.driver, table, op, options.timeoutMs ?? THIRTY_MINUTES);
    return { table, status: 'ACTIVE', description: active };
  }
}
