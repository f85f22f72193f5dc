import { Command, CommanderError } from 'commander';
import { Context, type GlobalOptions } from './context.js';
import { CliError, ExitCode } from './exit-codes.js';
import { registerLocal } from './commands/local.js';
import { registerCodegen } from './commands/codegen.js';
import { registerGraphql } from './commands/graphql.js';
import { registerMigrate } from './commands/migrate.js';
import { registerSchema } from './commands/schema.js';
import { registerStudio } from './commands/studio.js';
import { registerTransfer } from './commands/transfer.js';
import { registerBackup } from './commands/backup.js';

const VERSION = '0.1.0';

/** The `dynamorm` program: global options, then one subcommand per capability. */
export function createProgram(): Command {
  const program = new Command('dynamorm')
    .description('DynamORM on the command line: migrations, plans, exports and imports, backups, DynamoDB Local, models generated from existing tables, GraphQL schemas, the Studio admin UI.')
    .version(VERSION, '-v, --version')
    .option('-c, --config <file>', 'the config file (default: dynamorm.config.ts in the working directory)')
    .option('--endpoint <url>', 'DynamoDB endpoint, e.g. http://127.0.0.1:8000 for DynamoDB Local (overrides the config)')
    .option('--region <region>', 'AWS region (overrides the config)')
    .addHelpText('after', '\nExit codes: 0 done, 1 failed, 2 bad command line, 3 config missing or broken, 4 refused, 5 incomplete.\nDocs: docs/cli.md')
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .showHelpAfterError()
    .exitOverride();
  const context = (): Context => new Context(program.opts<GlobalOptions>());
  registerMigrate(program, context);
  registerSchema(program, context);
  registerTransfer(program, context);
  registerBackup(program, context);
  registerLocal(program, context);
  registerCodegen(program, context);
  registerGraphql(program, context);
  registerStudio(program, context);
  const all = (command: Command): Command[] => [command, ...command.commands.flatMap(all)];
  for (const command of all(program).slice(1)) command.exitOverride().showHelpAfterError();
  return program;
}

/** Runs the command line and returns the exit code (the bin exits with it). */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = createProgram();
  if (argv.length === 0) {
    program.outputHelp({ error: true });
    return ExitCode.usage;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    if (error instanceof CliError) {
      process.stderr.write(`error: ${error.message}\n`);
      return error.exitCode;
    }
    // Errors of dynamorm and the AWS SDK say what went wrong; the stack would only hide it.
    const message = error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);
    process.stderr.write(`error: ${message}\n`);
    return ExitCode.failed;
  }
}
