// `dynamorm backup create | list | restore | delete`: DynamoDB Local has no backups and a spawned CLI
// cannot use the mock, so the command wiring is tested in process: the CLI's ORM is the mock of
// dynamorm/testing, which checks the exact requests each command sends.
import { afterEach, expect, test, vi } from 'vitest';
import { model, t } from 'dynamorm';
import { createMock, type Mock } from 'dynamorm/testing';
import { Context } from '../src/context.js';
import { runCli } from '../src/program.js';

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
