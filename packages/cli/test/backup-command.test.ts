// `dynamorm backup create | list | restore | delete | pitr`. In process, the CLI's ORM is the mock of
// dynamorm/testing, which checks the exact requests each command sends. Spawned as a user runs
// them: on DynamoDB Local (which has no backups nor point-in-time recovery) each fails with the
// UnsupportedOperationError and exit code 1; through a proxy answering the backup requests as
// DynamoDB on AWS does, each succeeds, and the proxy holds the exact requests sent.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateTableCommand, DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { model, t } from 'dynamorm';
import { createMock, type Mock } from 'dynamorm/testing';
import { Context } from '../src/context.js';
import { runCli } from '../src/program.js';
import { endpoint, rawClient, uniqueTable } from '../../dynamorm/test/support/dynamo.js';
import { startFaultProxy, type FaultProxy, type Json } from '../../dynamorm/test/support/fault-proxy.js';
import { runCli as spawnCli, scratchDir } from './support/run-cli.js';

const Note = model('Note', { table: 'notes', attributes: { id: t.string().pk() } });
const at = new Date('2026-11-30T12:00:00.000Z');
const arn = 'arn:aws:dynamodb:eu-west-1:123456789012:table/app_notes/backup/01';
const details = { BackupArn: arn, BackupName: 'nightly', BackupStatus: 'CREATING', BackupType: 'USER', BackupCreationDateTime: at } as const;

/** Runs the command line with the mock as its ORM; resolves with the exit code and what it printed. */
async function cli(mock: Mock, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  vi.spyOn(Context.prototype, 'orm').mockResolvedValue(mock.orm);
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    const code = await runCli(args);
    return { code, stdout, stderr };
  } finally {
    vi.restoreAllMocks();
  }
}
afterEach(() => vi.restoreAllMocks());

test('backup create: a model of the config by name, CreateBackup on its table', async () => {
  const mock = createMock({ tablePrefix: 'app_', models: [Note] });
  mock.expectRequest('CreateBackup', { TableName: 'app_notes', BackupName: 'nightly' }).willReturn({ BackupDetails: details });
  const { code, stdout } = await cli(mock, ['backup', 'create', 'Note', 'nightly']);
  expect(code).toBe(0);
  expect(stdout).toBe(`Backup nightly of app_notes is CREATING: ${arn}\n`);
  mock.verify();
});

test('backup list: of one table by name, --json', async () => {
  const mock = createMock({ tablePrefix: 'app_' });
  mock.expectRequest('ListBackups', { TableName: 'app_audit' }).willReturn({ BackupSummaries: [{ ...details, BackupStatus: 'AVAILABLE', TableName: 'app_audit' }] });
  const { code, stdout } = await cli(mock, ['backup', 'list', 'audit', '--json']);
  expect(code).toBe(0);
  expect(JSON.parse(stdout)).toEqual([{ arn, name: 'nightly', table: 'app_audit', status: 'AVAILABLE', type: 'USER', createdAt: at.toISOString() }]);
  mock.verify();
});

test('backup restore waits until the new table is ACTIVE; --no-wait does not', async () => {
  const mock = createMock({ tablePrefix: 'app_' });
  mock.expectRequest('RestoreTableFromBackup', { TargetTableName: 'app_notes_copy', BackupArn: arn }).willReturn({ TableDescription: { TableStatus: 'CREATING' } }).times(2);
  mock.expectRequest('DescribeTable', { TableName: 'app_notes_copy' }).willReturn({ Table: { TableStatus: 'ACTIVE' } });
  expect(await cli(mock, ['backup', 'restore', arn, 'notes_copy'])).toMatchObject({ code: 0, stdout: 'Restored into app_notes_copy (ACTIVE).\n' });
  expect(await cli(mock, ['backup', 'restore', arn, 'notes_copy', '--no-wait', '--json'])).toMatchObject({ code: 0, stdout: `${JSON.stringify({ table: 'app_notes_copy', status: 'CREATING' }, null, 2)}\n` });
  mock.verify();
});

test('backup delete; an endpoint without backups: the error on stderr, exit code 1', async () => {
  const mock = createMock();
  mock.expectRequest('DeleteBackup', { BackupArn: arn }).willReturn({ BackupDescription: { BackupDetails: { ...details, BackupStatus: 'DELETED' } } });
  mock.expectRequest('CreateBackup').willFail('UnknownOperationException');
  expect(await cli(mock, ['backup', 'delete', arn])).toMatchObject({ code: 0, stdout: `Deleted backup nightly (${arn}).\n` });
  const failed = await cli(mock, ['backup', 'create', 'notes', 'nightly']);
  expect(failed.code).toBe(1);
  expect(failed.stderr).toMatch(/^error: UnsupportedOperationError: backups\.create: the endpoint does not implement this request \(DynamoDB Local has no backups/);
  mock.verify();
});

test('backup restore --to-time and --latest: RestoreTableToPointInTime from a model or table; bad input is a usage error, nothing sent', async () => {
  const mock = createMock({ tablePrefix: 'app_', models: [Note] });
  mock.expectRequest('RestoreTableToPointInTime', { SourceTableName: 'app_notes', TargetTableName: 'app_notes_noon', RestoreDateTime: at }).willReturn({ TableDescription: { TableStatus: 'CREATING' } });
  mock.expectRequest('RestoreTableToPointInTime', { SourceTableName: 'app_audit', TargetTableName: 'app_audit_now', UseLatestRestorableTime: true }).willReturn({ TableDescription: { TableStatus: 'CREATING' } });
  expect(await cli(mock, ['backup', 'restore', 'Note', 'notes_noon', '--to-time', at.toISOString(), '--no-wait'])).toMatchObject({ code: 0, stdout: 'Restored into app_notes_noon (CREATING).\n' });
  expect(await cli(mock, ['backup', 'restore', 'audit', 'audit_now', '--latest', '--no-wait'])).toMatchObject({ code: 0, stdout: 'Restored into app_audit_now (CREATING).\n' });
  const usage = async (args: string[]): Promise<string> => {
    const r = await cli(mock, ['backup', 'restore', ...args]);
    expect(r.code).toBe(2);
    return r.stderr;
  };
  expect(await usage(['Note', 'copy', '--to-time', 'yesterday'])).toBe('error: --to-time must be an ISO 8601 date and time, such as 2026-11-30T12:00:00Z (received "yesterday").\n');
  expect(await usage(['Note', 'copy', '--to-time', at.toISOString(), '--latest'])).toBe('error: backup restore takes --to-time <iso> or --latest, not both.\n');
  expect(await usage([arn, 'copy', '--latest'])).toContain('A point-in-time restore names the source table');
  expect(await usage(['Note', 'copy'])).toBe('error: "Note" is not a backup ARN (arn:aws:dynamodb:...; see backup list): to restore a table to a point in time, add --to-time <iso> or --latest.\n');
  mock.verify();
});

test('backup pitr: shows point-in-time recovery, --enable / --disable turn it on and off (--json: orm.backups\' result)', async () => {
  const mock = createMock({ tablePrefix: 'app_', models: [Note] });
  const window = { PointInTimeRecoveryStatus: 'ENABLED', EarliestRestorableDateTime: at, LatestRestorableDateTime: new Date('2026-11-30T13:00:00.000Z') } as const;
  mock.expectRequest('DescribeContinuousBackups', { TableName: 'app_notes' }).willReturn({ ContinuousBackupsDescription: { ContinuousBackupsStatus: 'ENABLED', PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' } } });
  mock.expectRequest('UpdateContinuousBackups', { TableName: 'app_notes', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }).willReturn({ ContinuousBackupsDescription: { ContinuousBackupsStatus: 'ENABLED', PointInTimeRecoveryDescription: window } });
  mock.expectRequest('UpdateContinuousBackups', { TableName: 'app_audit', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false } }).willReturn({ ContinuousBackupsDescription: { ContinuousBackupsStatus: 'ENABLED', PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' } } });
  expect(await cli(mock, ['backup', 'pitr', 'Note'])).toMatchObject({ code: 0, stdout: 'Point-in-time recovery of Note is off.\n' });
  expect(await cli(mock, ['backup', 'pitr', 'Note', '--enable'])).toMatchObject({ code: 0, stdout: 'Point-in-time recovery of Note is on: restorable from 2026-11-30T12:00:00.000Z to 2026-11-30T13:00:00.000Z.\n' });
  expect(JSON.parse((await cli(mock, ['backup', 'pitr', 'audit', '--disable', '--json'])).stdout)).toEqual({ enabled: false });
  const both = await cli(mock, ['backup', 'pitr', 'Note', '--enable', '--disable']);
  expect(both.code).toBe(2);
  expect(both.stderr).toContain("error: option '--enable' cannot be used with option '--disable'");
  mock.verify();
});

describe('spawned as a user runs them', { timeout: 60_000 }, () => {
  const dir = scratchDir('backup');
  const prefix = `${uniqueTable('cli_backup')}_`;
  const seconds = (d: Date): number => d.getTime() / 1000;
  let proxy: FaultProxy;
  beforeAll(async () => {
    writeFileSync(join(dir, 'models.ts'), "import { model, t } from 'dynamorm';\nexport const Note = model('Note', { table: 'notes', attributes: { id: t.string().pk() } });\n");
    writeFileSync(join(dir, 'dynamorm.config.ts'), [
      "import { defineConfig } from 'dynamorm-cli';",
      "import * as models from './models.js';",
      `export default defineConfig({ models, orm: { endpoint: ${JSON.stringify(endpoint())}, tablePrefix: ${JSON.stringify(prefix)} } });`,
    ].join('\n'));
    proxy = await startFaultProxy(endpoint());
  });
  afterAll(async () => {
    await proxy.close();
    await rawClient().send(new DeleteTableCommand({ TableName: `${prefix}notes_noon` })).catch(() => undefined);
  });

  test('on DynamoDB Local every backup command fails with the UnsupportedOperationError, exit code 1, and says what to do', async () => {
    const commands: [string[], string][] = [
      [['create', 'Note', 'nightly'], 'backups.create Note'], [['list', 'Note'], 'backups.list Note'], [['restore', arn, 'notes_copy'], 'backups.restore'],
      [['restore', 'Note', 'notes_noon', '--to-time', at.toISOString()], 'backups.restoreToPointInTime Note'], [['delete', arn], 'backups.delete'],
      [['pitr', 'Note'], 'backups.pointInTimeRecovery Note'], [['pitr', 'Note', '--enable'], 'backups.setPointInTimeRecovery Note'],
    ];
    for (const [args, op] of commands) {
      const { code, stdout, stderr } = await spawnCli(['backup', ...args], dir);
      expect({ args, code, stdout }).toEqual({ args, code: 1, stdout: '' });
      // (The AWS SDK may warn about the Node version on stderr first.)
      expect(stderr.split('\n').filter((l) => l.startsWith('error'))).toEqual([
        `error: UnsupportedOperationError: ${op}: the endpoint does not implement this request (DynamoDB Local has no backups, point-in-time recovery or global tables; nothing was done): run it against DynamoDB on AWS, and test the code that sends it with the mock of dynamorm/testing`,
      ]);
    }
  });

  test('through a proxy answering as DynamoDB on AWS: pitr, create, list, restore to a point in time (waiting for ACTIVE) and delete send exactly these requests', async () => {
    const table = `${prefix}notes`;
    const window = { PointInTimeRecoveryStatus: 'ENABLED', EarliestRestorableDateTime: seconds(at), LatestRestorableDateTime: seconds(at) + 3600 };
    const backup = { BackupArn: arn, BackupName: 'nightly', BackupStatus: 'CREATING', BackupType: 'USER', BackupCreationDateTime: seconds(at) };
    const answers: Record<string, (request: Json) => Json | Promise<Json>> = {
      DescribeContinuousBackups: () => ({ ContinuousBackupsDescription: { ContinuousBackupsStatus: 'ENABLED', PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' } } }),
      UpdateContinuousBackups: () => ({ ContinuousBackupsDescription: { ContinuousBackupsStatus: 'ENABLED', PointInTimeRecoveryDescription: window } }),
      CreateBackup: () => ({ BackupDetails: backup }),
      ListBackups: () => ({ BackupSummaries: [{ ...backup, BackupStatus: 'AVAILABLE', TableName: table }] }),
      DeleteBackup: () => ({ BackupDescription: { BackupDetails: { ...backup, BackupStatus: 'DELETED' } } }),
      // DynamoDB creates the new table: here DynamoDB Local does, so the command's wait sees it ACTIVE.
      RestoreTableToPointInTime: async (request) => {
        const created = await rawClient().send(new CreateTableCommand({
          TableName: request['TargetTableName'] as string, KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST',
        }));
        return { TableDescription: { TableName: created.TableDescription!.TableName, TableStatus: 'CREATING' } };
      },
    };
    proxy.set({ answer: answers });
    const run = async (...args: string[]): Promise<{ code: number | null; stdout: string; errors: string[] }> => {
      const { code, stdout, stderr } = await spawnCli(['backup', ...args, '--endpoint', proxy.endpoint], dir);
      return { code, stdout, errors: stderr.split('\n').filter((l) => l.startsWith('error')) };
    };
    expect(await run('pitr', 'Note')).toEqual({ code: 0, stdout: 'Point-in-time recovery of Note is off.\n', errors: [] });
    expect(await run('pitr', 'Note', '--enable')).toEqual({ code: 0, stdout: 'Point-in-time recovery of Note is on: restorable from 2026-11-30T12:00:00.000Z to 2026-11-30T13:00:00.000Z.\n', errors: [] });
    expect(await run('create', 'Note', 'nightly')).toEqual({ code: 0, stdout: `Backup nightly of ${table} is CREATING: ${arn}\n`, errors: [] });
    expect(JSON.parse((await run('list', 'Note', '--json')).stdout)).toEqual([{ arn, name: 'nightly', table, status: 'AVAILABLE', type: 'USER', createdAt: at.toISOString() }]);
    expect(await run('restore', 'Note', 'notes_noon', '--to-time', '2026-11-30T12:30:00Z')).toEqual({ code: 0, stdout: `Restored into ${prefix}notes_noon (ACTIVE).\n`, errors: [] });
    expect(await run('delete', arn)).toEqual({ code: 0, stdout: `Deleted backup nightly (${arn}).\n`, errors: [] });
    expect(proxy.stats.answered).toEqual([
      { operation: 'DescribeContinuousBackups', request: { TableName: table } },
      { operation: 'UpdateContinuousBackups', request: { TableName: table, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } } },
      { operation: 'CreateBackup', request: { TableName: table, BackupName: 'nightly' } },
      { operation: 'ListBackups', request: { TableName: table } },
      { operation: 'RestoreTableToPointInTime', request: { SourceTableName: table, TargetTableName: `${prefix}notes_noon`, RestoreDateTime: seconds(new Date('2026-11-30T12:30:00Z')) } },
      { operation: 'DeleteBackup', request: { BackupArn: arn } },
    ]);
    // The restore waited on the new table: its DescribeTable went on to DynamoDB Local.
    expect(proxy.stats.forwarded['DescribeTable']).toBeGreaterThanOrEqual(1);
  });
});
