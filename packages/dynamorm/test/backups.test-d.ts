// Backups and point-in-time recovery: the typed API of orm.backups, and the requests the mock
// matches typed as the SDK's own inputs (CreateBackupCommandInput...), outputs as its outputs.
import type {
  CreateBackupCommandInput, CreateBackupCommandOutput, DeleteBackupCommandInput, DescribeBackupCommandInput, DescribeContinuousBackupsCommandInput,
  ListBackupsCommandInput, RestoreTableFromBackupCommandInput, RestoreTableToPointInTimeCommandInput, UpdateContinuousBackupsCommandInput,
} from '@aws-sdk/client-dynamodb';
import { expectTypeOf, test } from 'vitest';
import { DynamORM, model, t, type Backup, type PointInTimeRecovery, type RestoredTable } from 'dynamorm';
import { createMock, type RequestExpectation } from 'dynamorm/testing';

const Note = model('Note', { table: 'notes', attributes: { id: t.string().pk() } });
declare const orm: DynamORM;

test('orm.backups: a model or a table name; typed results', () => {
  expectTypeOf(orm.backups.create(Note, 'nightly')).resolves.toEqualTypeOf<Backup>();
  expectTypeOf(orm.backups.create('audit_log', 'nightly')).resolves.toEqualTypeOf<Backup>();
  expectTypeOf(orm.backups.list({ table: Note, from: new Date(), type: 'ALL' })).resolves.toEqualTypeOf<Backup[]>();
  expectTypeOf(orm.backups.restore('arn:...', { table: 'notes_copy' })).resolves.toEqualTypeOf<RestoredTable>();
  expectTypeOf(orm.backups.restoreToPointInTime(Note, { table: 'notes_noon', time: new Date() })).resolves.toEqualTypeOf<RestoredTable>();
  expectTypeOf(orm.backups.pointInTimeRecovery(Note)).resolves.toEqualTypeOf<PointInTimeRecovery>();
  expectTypeOf<Backup['status']>().toEqualTypeOf<'CREATING' | 'AVAILABLE' | 'DELETED'>();
  // @ts-expect-error a backup has a name
  void orm.backups.create(Note);
  // @ts-expect-error a restore names its new table
  void orm.backups.restore('arn:...', {});
  // @ts-expect-error a point in time is a Date
  void orm.backups.restoreToPointInTime(Note, { table: 'x', time: '2026-11-30' });
  // @ts-expect-error not a backup type DynamoDB knows
  void orm.backups.list({ type: 'WEEKLY' });
});

test('mock.expectRequest: the request is (part of) the SDK input of its operation, the reply its output', () => {
  const mock = createMock();
  type RequestOf<O extends Parameters<typeof mock.expectRequest>[0]> = NonNullable<Parameters<typeof mock.expectRequest<O>>[1]>;
  expectTypeOf<RequestOf<'CreateBackup'>>().toEqualTypeOf<Partial<CreateBackupCommandInput>>();
  expectTypeOf<RequestOf<'ListBackups'>>().toEqualTypeOf<Partial<ListBackupsCommandInput>>();
  expectTypeOf<RequestOf<'DescribeBackup'>>().toEqualTypeOf<Partial<DescribeBackupCommandInput>>();
  expectTypeOf<RequestOf<'DeleteBackup'>>().toEqualTypeOf<Partial<DeleteBackupCommandInput>>();
  expectTypeOf<RequestOf<'RestoreTableFromBackup'>>().toEqualTypeOf<Partial<RestoreTableFromBackupCommandInput>>();
  expectTypeOf<RequestOf<'RestoreTableToPointInTime'>>().toEqualTypeOf<Partial<RestoreTableToPointInTimeCommandInput>>();
  expectTypeOf<RequestOf<'DescribeContinuousBackups'>>().toEqualTypeOf<Partial<DescribeContinuousBackupsCommandInput>>();
  expectTypeOf<RequestOf<'UpdateContinuousBackups'>>().toEqualTypeOf<Partial<UpdateContinuousBackupsCommandInput>>();
  expectTypeOf(mock.expectRequest('CreateBackup')).toEqualTypeOf<RequestExpectation<'CreateBackup'>>();
  expectTypeOf<Parameters<RequestExpectation<'CreateBackup'>['willReturn']>[0]>().toEqualTypeOf<Omit<CreateBackupCommandOutput, '$metadata'>>();
  // @ts-expect-error CreateBackup has no BackupArn
  mock.expectRequest('CreateBackup', { BackupArn: 'arn' });
  // @ts-expect-error not an operation DynamORM sends
  mock.expectRequest('CreateGlobalTable');
  // @ts-expect-error a restore's answer is a TableDescription, not backup details
  mock.expectRequest('RestoreTableFromBackup').willReturn({ BackupDetails: {} });
});
