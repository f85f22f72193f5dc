// Backups and point-in-time recovery: the exact requests on the mock of dynamorm/testing (DynamoDB
// Local implements none of them), restores waiting for ACTIVE, PITR planned by orm.schema.plan,
// and on DynamoDB Local the typed error a request it does not implement gives.
import type { BackupStatus } from '@aws-sdk/client-dynamodb';
import { describe, expect, test } from 'vitest';
import { DynamORM, UnsupportedOperationError, model, t } from 'dynamorm';
import { createMock, MockError } from 'dynamorm/testing';
import { endpoint } from './support/dynamo.js';
import { rejection, uniquePrefix } from './support/inspect.js';

const Note = model('Note', { table: 'notes', attributes: { id: t.string().pk(), body: t.string() } });
const at = new Date('2026-11-30T12:00:00.000Z');
const details = (arn: string, name: string, status: BackupStatus = 'AVAILABLE') => ({ BackupArn: arn, BackupName: name, BackupStatus: status, BackupType: 'USER', BackupCreationDateTime: at, BackupSizeBytes: 1024 } as const);
const arn = (n: number): string => `arn:aws:dynamodb:eu-west-1:123456789012:table/app_notes/backup/0${n}`;

describe('on-demand backups on the mock', () => {
  test('create, list (every page, filtered), describe, delete: one exact request each', async () => {
    const mock = createMock({ tablePrefix: 'app_' });
    mock.expectRequest('CreateBackup', { TableName: 'app_notes', BackupName: 'before-v2' }).willReturn({ BackupDetails: details(arn(1), 'before-v2', 'CREATING') });
    mock.expectRequest('ListBackups', { TableName: 'app_notes', TimeRangeLowerBound: at, BackupType: 'ALL', ExclusiveStartBackupArn: undefined })
      .willReturn({ BackupSummaries: [{ ...details(arn(1), 'before-v2'), TableName: 'app_notes' }], LastEvaluatedBackupArn: arn(1) });
    mock.expectRequest('ListBackups', { TableName: 'app_notes', ExclusiveStartBackupArn: arn(1) }).willReturn({ BackupSummaries: [{ ...details(arn(2), 'nightly'), TableName: 'app_notes' }] });
    mock.expectRequest('DescribeBackup', { BackupArn: arn(1) }).willReturn({ BackupDescription: { BackupDetails: details(arn(1), 'before-v2'), SourceTableDetails: { TableName: 'app_notes', TableId: 'x', KeySchema: [], TableCreationDateTime: at, ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 0 }, BillingMode: 'PAY_PER_REQUEST' } } });
    mock.expectRequest('DeleteBackup', { BackupArn: arn(2) }).willReturn({ BackupDescription: { BackupDetails: details(arn(2), 'nightly', 'DELETED') } });

    const created = await mock.orm.backups.create(Note, 'before-v2');
    expect(created).toEqual({ arn: arn(1), name: 'before-v2', table: 'app_notes', status: 'CREATING', type: 'USER', createdAt: at, sizeBytes: 1024, expiresAt: undefined });
    const listed = await mock.orm.backups.list({ table: Note, from: at, type: 'ALL' });
    expect(listed.map((b) => [b.name, b.table, b.status])).toEqual([['before-v2', 'app_notes', 'AVAILABLE'], ['nightly', 'app_notes', 'AVAILABLE']]);
    expect(await mock.orm.backups.describe(arn(1))).toMatchObject({ arn: arn(1), table: 'app_notes', status: 'AVAILABLE' });
    expect(await mock.orm.backups.delete(arn(2))).toMatchObject({ name: 'nightly', status: 'DELETED' });
    mock.verify();
    // The requests exactly as sent: no field more than these.
    expect(mock.calls.map((c) => [c.operation, c.request])).toEqual([
      ['CreateBackup', { TableName: 'app_notes', BackupName: 'before-v2' }],
      ['ListBackups', { TableName: 'app_notes', TimeRangeLowerBound: at, BackupType: 'ALL' }],
      ['ListBackups', { TableName: 'app_notes', TimeRangeLowerBound: at, BackupType: 'ALL', ExclusiveStartBackupArn: arn(1) }],
      ['DescribeBackup', { BackupArn: arn(1) }],
      ['DeleteBackup', { BackupArn: arn(2) }],
    ]);
  });

  test('restore into a new table waits until it is ACTIVE', async () => {
    const mock = createMock({ tablePrefix: 'app_' });
    mock.expectRequest('RestoreTableFromBackup', { TargetTableName: 'app_notes_restored', BackupArn: arn(1) }).willReturn({ TableDescription: { TableName: 'app_notes_restored', TableStatus: 'CREATING' } });
    mock.expectRequest('DescribeTable', { TableName: 'app_notes_restored' }).willReturn({ Table: { TableName: 'app_notes_restored', TableStatus: 'CREATING' } }).times(2);
    mock.expectRequest('DescribeTable', { TableName: 'app_notes_restored' }).willReturn({ Table: { TableName: 'app_notes_restored', TableStatus: 'ACTIVE', ItemCount: 3 } });
    const restored = await mock.orm.backups.restore(arn(1), { table: 'notes_restored' });
    expect(restored).toMatchObject({ table: 'app_notes_restored', status: 'ACTIVE', description: { ItemCount: 3 } });
    mock.verify();
    expect(mock.calls.map((c) => c.operation)).toEqual(['RestoreTableFromBackup', 'DescribeTable', 'DescribeTable', 'DescribeTable']);

    // wait: false returns at once, the table still CREATING.
    mock.reset();
    mock.expectRequest('RestoreTableFromBackup').willReturn({ TableDescription: { TableName: 'app_copy', TableStatus: 'CREATING' } });
    expect(await mock.orm.backups.restore(arn(1), { table: 'copy', wait: false })).toMatchObject({ table: 'app_copy', status: 'CREATING' });
    mock.verify();
  });

  test('a request no expectation meets: the closest one and the field that differs', async () => {
    const mock = createMock();
    mock.expectRequest('CreateBackup', { TableName: 'notes', BackupName: 'nightly' });
    const error = await rejection(mock.orm.backups.create(Note, 'weekly'));
    expect(error).toBeInstanceOf(MockError);
    expect(error.message).toBe([
      'DynamORM mock: unexpected CreateBackup {"TableName":"notes","BackupName":"weekly"}.',
      'Closest expectation: expectRequest(\'CreateBackup\', {"TableName":"notes","BackupName":"nightly"})',
      'It did not match: BackupName is "weekly", not "nightly".',
      'Declare it with mock.expectRequest(\'CreateBackup\', { ...the request\'s fields }), or fix the code under test.',
    ].join('\n'));
    expect(() => mock.verify()).toThrow(/1 expectation\(s\) not met:\n {2}- expectRequest\('CreateBackup'.*expected 1 call\(s\), received 0/);
  });
});

describe('point-in-time recovery on the mock', () => {
  test('its state, on and off, and a restore to the latest time or to a given time', async () => {
    const mock = createMock();
    const window = { PointInTimeRecoveryStatus: 'ENABLED', EarliestRestorableDateTime: at, LatestRestorableDateTime: new Date('2026-11-30T22:00:00.000Z') } as const;
    mock.expectRequest('DescribeContinuousBackups', { TableName: 'notes' }).willReturn({ ContinuousBackupsDescription: { ContinuousBackupsStatus: 'ENABLED', PointInTimeRecoveryDescription: window } });
    mock.expectRequest('UpdateContinuousBackups', { TableName: 'notes', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false } })
      .willReturn({ ContinuousBackupsDescription: { ContinuousBackupsStatus: 'ENABLED', PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' } } });
    mock.expectRequest('RestoreTableToPointInTime', { SourceTableName: 'notes', TargetTableName: 'notes_latest', UseLatestRestorableTime: true }).willReturn({ TableDescription: { TableStatus: 'CREATING' } });
    mock.expectRequest('RestoreTableToPointInTime', { SourceTableName: 'notes', TargetTableName: 'notes_noon', RestoreDateTime: at }).willReturn({ TableDescription: { TableStatus: 'CREATING' } });
    mock.expectRequest('DescribeTable').willReturn({ Table: { TableStatus: 'ACTIVE' } }).times(2);

    expect(await mock.orm.backups.pointInTimeRecovery(Note)).toEqual({ enabled: true, earliestRestorableTime: at, latestRestorableTime: window.LatestRestorableDateTime });
    expect(await mock.orm.backups.setPointInTimeRecovery('notes', false)).toMatchObject({ enabled: false });
    expect(await mock.orm.backups.restoreToPointInTime(Note, { table: 'notes_latest' })).toMatchObject({ table: 'notes_latest', status: 'ACTIVE' });
    expect(await mock.orm.backups.restoreToPointInTime(Note, { table: 'notes_noon', time: at })).toMatchObject({ table: 'notes_noon', status: 'ACTIVE' });
    mock.verify();
    expect(mock.calls.filter((c) => c.operation === 'RestoreTableToPointInTime').map((c) => c.request)).toEqual([
      { SourceTableName: 'notes', TargetTableName: 'notes_latest', UseLatestRestorableTime: true },
      { SourceTableName: 'notes', TargetTableName: 'notes_noon', RestoreDateTime: at },
    ]);
  });

  test('orm.schema.plan({ pointInTimeRecovery: true }) plans UpdateContinuousBackups, and apply sends it', async () => {
    const mock = createMock({ models: [Note] });
    mock.expectRequest('DescribeTable', { TableName: 'notes' }).willReturn({
      Table: { TableName: 'notes', TableStatus: 'ACTIVE', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' } },
    });
    mock.expectRequest('DescribeTimeToLive', { TableName: 'notes' }).willReturn({ TimeToLiveDescription: { TimeToLiveStatus: 'DISABLED' } });
    mock.expectRequest('DescribeContinuousBackups', { TableName: 'notes' }).willReturn({ ContinuousBackupsDescription: { ContinuousBackupsStatus: 'ENABLED', PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' } } });
    mock.expectRequest('UpdateContinuousBackups', { TableName: 'notes', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } });
    const plan = await mock.orm.schema.plan({ pointInTimeRecovery: true });
    expect(plan.steps).toEqual([expect.objectContaining({
      kind: 'updatePointInTimeRecovery', destructive: false,
      requests: [{ operation: 'UpdateContinuousBackups', input: { TableName: 'notes', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } } }],
    })]);
    await mock.orm.schema.apply(plan);
    mock.verify();
  });
});

describe('on DynamoDB Local', () => {
  test('a backup request it does not implement rejects with UnsupportedOperationError, saying so', async () => {
    const orm = new DynamORM({ endpoint: endpoint(), tablePrefix: uniquePrefix('backups') });
    const error = await rejection(orm.backups.create(Note, 'nightly'));
    expect(error).toBeInstanceOf(UnsupportedOperationError);
    expect(error).toMatchObject({
      code: 'endpoint.unsupportedOperation', op: 'backups.create', model: 'Note',
      message: 'backups.create Note: the endpoint does not implement this request (DynamoDB Local has no backups, point-in-time recovery or global tables; nothing was done): run it against DynamoDB on AWS, and test the code that sends it with the mock of dynamorm/testing',
    });
    expect(await rejection(orm.backups.pointInTimeRecovery('notes'))).toBeInstanceOf(UnsupportedOperationError);
  });
});
