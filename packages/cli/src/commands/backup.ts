import type { Command } from 'commander';
import type { Backup } from 'dynamorm';
import { report, targetNamed, type Context } from '../context.js';
import { jsonOption } from '../options.js';

const TARGET = 'a model of the config, or a table name (prefixed with the config\'s tablePrefix)';


const line = (b: Backup): string => `${b.name}  ${b.table ?? ''}  ${b.status}  ${b.createdAt.toISOString()}${b.sizeBytes === undefined ? '' : `  ${b.sizeBytes} bytes`}  ${b.arn}`;

/** `dynamorm backup create | list | restore | delete`: orm.backups on AWS (DynamoDB Local has no backups). */
export function registerBackup(program: Command, context: () => Context): void {
  const backup = program.command('backup').description('On-demand backups of tables (AWS only: DynamoDB Local has none): create, list, restore, delete.');

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
    .description('Restore a backup into a new table (RestoreTableFromBackup) and wait until it is ACTIVE.')
    .argument('<arn>', 'the backup\'s ARN (see backup list)')
    .argument('<table>', 'the new table\'s name (prefixed with the config\'s tablePrefix); it must not exist')
    .option('--no-wait', 'return once DynamoDB has started the restore')
    .addOption(jsonOption())
    .action(async (arn: string, table: string, options: { wait: boolean; json?: boolean }) => {
      const orm = await context().orm();
      const restored = await orm.backups.restore(arn, { table, wait: options.wait });
      report(options.json === true, { table: restored.table, status: restored.status }, () => `Restored into ${restored.table} (${restored.status}).`);
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
