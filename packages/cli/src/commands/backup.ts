import { Option, type Command } from 'commander';
import type { Backup, PointInTimeRecovery } from 'dynamorm';
import { report, targetNamed, type Context } from '../context.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { jsonOption } from '../options.js';

const TARGET = 'a model of the config, or a table name (prefixed with the config\'s tablePrefix)';


/** The time of `--to-time`: an ISO 8601 date and time (a usage error otherwise). */
function pointInTime(value: string): Date {
  const time = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(time.getTime())) {
    throw new CliError(`--to-time must be an ISO 8601 date and time, such as 2026-11-30T12:00:00Z (received "${value}").`, ExitCode.usage);
  }
  return time;
}

const recoveryLine = (name: string, r: PointInTimeRecovery): string =>
  r.enabled
    ? `Point-in-time recovery of ${name} is on${r.earliestRestorableTime === undefined ? '' : `: restorable from ${r.earliestRestorableTime.toISOString()} to ${r.latestRestorableTime?.toISOString() ?? 'now'}`}.`
    : `Point-in-time recovery of ${name} is off.`;

const line = (b: Backup): string => `${b.name}  ${b.table ?? ''}  ${b.status}  ${b.createdAt.toISOString()}${b.sizeBytes === undefined ? '' : `  ${b.sizeBytes} bytes`}  ${b.arn}`;

/** `dynamorm backup create | list | restore | delete | pitr`: orm.backups on AWS (DynamoDB Local has no backups). */
export function registerBackup(program: Command, context: () => Context): void {
  const backup = program.command('backup').description('On-demand backups and point-in-time recovery of tables (AWS only: DynamoDB Local has none): create, list, restore, delete, pitr.');

  backup.command('create')
    .description('Back up a table now (CreateBackup).')
    .argument('<target>', TARGET)
    .argument('<name>', 'the backup\'s name')
    .addOption(jsonOption())
    .action(async (name: string, backupName: string, options: { json?: boolean }) => {
      const orm = await context().orm();
      const created = await orm.backups.create(targetNamed(orm, name), backupName);
      report(options.json === true, created, () => `Backup ${created.name} of ${created.table} is ${created.status}: ${created.arn}`);
    });

  backup.command('list')
    .description('List the on-demand backups (ListBackups), of every table or of one.')
    .argument('[target]', TARGET)
    .addOption(jsonOption())
    .action(async (name: string | undefined, options: { json?: boolean }) => {
      const orm = await context().orm();
      const backups = await orm.backups.list(name === undefined ? {} : { table: targetNamed(orm, name) });
      report(options.json === true, backups, () => (backups.length === 0 ? 'No backups.' : backups.map(line).join('\n')));
    });

  backup.command('restore')
    .description('Restore a backup into a new table (RestoreTableFromBackup), or, with --to-time or --latest, a table with point-in-time recovery as it was then (RestoreTableToPointInTime); wait until the new table is ACTIVE.')
    .argument('<source>', 'the backup\'s ARN (see backup list); with --to-time or --latest: ' + TARGET)
    .argument('<table>', 'the new table\'s name (prefixed with the config\'s tablePrefix); it must not exist')
    .option('--to-time <iso>', 'restore the source table as it was at this time (ISO 8601, within its restore window: see backup pitr)')
    .option('--latest', 'restore the source table as it was at the latest restorable time (about five minutes ago)')
    .option('--no-wait', 'return once DynamoDB has started the restore')
    .addOption(jsonOption())
    .action(async (source: string, table: string, options: { toTime?: string; latest?: boolean; wait: boolean; json?: boolean }) => {
      const toPoint = options.toTime !== undefined || options.latest === true;
      if (options.toTime !== undefined && options.latest === true) throw new CliError('backup restore takes --to-time <iso> or --latest, not both.', ExitCode.usage);
      const isArn = source.startsWith('arn:');
      if (toPoint && isArn) throw new CliError(`A point-in-time restore names the source table (a model of the config, or a table name), not a backup ARN (received "${source}").`, ExitCode.usage);
      if (!toPoint && !isArn) throw new CliError(`"${source}" is not a backup ARN (arn:aws:dynamodb:...; see backup list): to restore a table to a point in time, add --to-time <iso> or --latest.`, ExitCode.usage);
      const time = options.toTime === undefined ? undefined : pointInTime(options.toTime);
      const orm = await context().orm();
      const restored = toPoint
        ? await orm.backups.restoreToPointInTime(targetNamed(orm, source), { table, wait: options.wait, ...(time === undefined ? {} : { time }) })
        : await orm.backups.restore(source, { table, wait: options.wait });
      report(options.json === true, { table: restored.table, status: restored.status }, () => `Restored into ${restored.table} (${restored.status}).`);
    });

  backup.command('pitr')
    .description('Show point-in-time recovery of a table (DescribeContinuousBackups), or turn it on or off (UpdateContinuousBackups).')
    .argument('<target>', TARGET)
    .addOption(new Option('--enable', 'turn point-in-time recovery on').conflicts('disable'))
    .option('--disable', 'turn point-in-time recovery off (its restore window is lost)')
    .addOption(jsonOption())
    .action(async (name: string, options: { enable?: boolean; disable?: boolean; json?: boolean }) => {
      const orm = await context().orm();
      const target = targetNamed(orm, name);
      const change = options.enable === true ? true : options.disable === true ? false : undefined;
      const recovery = change === undefined ? await orm.backups.pointInTimeRecovery(target) : await orm.backups.setPointInTimeRecovery(target, change);
      report(options.json === true, recovery, () => recoveryLine(name, recovery));
    });

  backup.command('delete')
    .description('Delete a backup (DeleteBackup).')
    .argument('<arn>', 'the backup\'s ARN')
    .addOption(jsonOption())
    .action(async (arn: string, options: { json?: boolean }) => {
      const orm = await context().orm();
      const deleted = await orm.backups.delete(arn);
      report(options.json === true, deleted, () => `Deleted backup ${deleted.name} (${deleted.arn}).`);
    });
}
