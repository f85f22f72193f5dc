import type { Command } from 'commander';
import { DynamORMError, type DynamORM, type TransferProgress } from 'dynamorm';
import { report, targetNamed, type Context } from '../context.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { jsonOption } from '../options.js';
import { progress } from '../progress.js';

/** The ORM of the config (optional: a table name and --endpoint suffice) and the names of its models. */
async function setup(context: () => Context): Promise<{ orm: DynamORM; models: string[] }> {
  const orm = await context().orm();
  return { orm, models: orm.models().map((m) => m.name) };
}

/** DynamORM's transfer errors as the CLI's: an unknown target is a bad argument, a partial import is incomplete. */
function cliError(error: unknown, name: string, models: readonly string[]): unknown {
  if (!(error instanceof DynamORMError)) return error;
  if (error.code === 'transfer.unknownTable') {
    return new CliError(`${name} is neither a model of the config (${models.length === 0 ? 'it has none' : models.join(', ')}) nor an existing table: ${error.message}`, ExitCode.usage, { cause: error });
  }
  return new CliError(error.message, error.code === 'import.incomplete' ? ExitCode.incomplete : ExitCode.failed, { cause: error });
}

const plural = (n: number): string => `${n} item${n === 1 ? '' : 's'}`;

/** `dynamorm export <model|table> [file]` and `dynamorm import <model|table> <file>`: orm.exportTable / orm.importTable. */
export function registerTransfer(program: Command, context: () => Context): void {
  program.command('export')
    .description('Write every item of a model of the config, or of a table, as JSON Lines of DynamoDB JSON sorted by key (to stdout without a file).')
    .argument('<target>', 'a model of the config, or a table name (prefixed with the config\'s tablePrefix)')
    .argument('[file]', 'the file to write (written aside, then renamed); stdout when left out')
    .option('--segments <n>', 'parallel scan segments', (v) => Number(v))
    .addOption(jsonOption('print a JSON summary (on stderr when the items go to stdout)'))
    .action(async (name: string, file: string | undefined, options: { segments?: number; json?: boolean }) => {
      const { orm, models } = await setup(context);
      const json = options.json === true;
      const bar = progress('Exporting', { json });
      const onProgress = (p: TransferProgress): void => bar.update(p.items, p.estimatedTotal);
      const result = await orm.exportTable(targetNamed(orm, name), file ?? process.stdout, { onProgress, segments: options.segments })
        .catch((error: unknown) => { throw cliError(error, name, models); })
        .finally(() => bar.stop());
      const summary = { target: name, file: result.file ?? null, items: result.items, durationMs: result.durationMs };
      const text = json ? `${JSON.stringify(summary, null, 2)}\n` : `Exported ${plural(result.items)} of ${name}${file === undefined ? '' : ` to ${file}`} in ${result.durationMs} ms.\n`;
      if (file === undefined) process.stderr.write(text);
      else process.stdout.write(text);
    });

  program.command('import')
    .description('Write the items of a JSON Lines file of DynamoDB JSON (an export) to a model\'s or a table\'s table: every line checked first, then batch writes.')
    .argument('<target>', 'a model of the config, or a table name (prefixed with the config\'s tablePrefix)')
    .argument('<file>', 'the file to read')
    .option('--from-line <n>', 'the first line to import (after an interruption: the last line written + 1)', (v) => Number(v))
    .addOption(jsonOption())
    .action(async (name: string, file: string, options: { fromLine?: number; json?: boolean }) => {
      if (options.fromLine !== undefined && (!Number.isInteger(options.fromLine) || options.fromLine < 1)) {
        throw new CliError('--from-line is a line number from 1', ExitCode.usage);
      }
      const { orm, models } = await setup(context);
      const json = options.json === true;
      const bar = progress('Importing', { json });
      const result = await orm.importTable(targetNamed(orm, name), file, { fromLine: options.fromLine, onProgress: (p) => bar.update(p.items) })
        .catch((error: unknown) => { throw cliError(error, name, models); })
        .finally(() => bar.stop());
      report(json, { target: name, ...result }, () => `Imported ${plural(result.items)} into ${name} from ${file} (lines up to ${result.lines}) in ${result.durationMs} ms.`);
    });
}
