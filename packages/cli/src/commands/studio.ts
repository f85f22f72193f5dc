import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { startStudio } from 'dynamorm-studio';
import type { Context } from '../context.js';
import { parsePort } from '../options.js';
import { loadMigrations, migrationsDir } from './migrate.js';

interface StudioOptions {
  readonly port?: string;
  readonly host?: string;
  readonly readOnly?: boolean;
  readonly open: boolean;
}

/** Opens the URL in the desktop's browser; where there is none, the printed URL is enough. */
function openBrowser(url: string): void {
  const [command, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  const child = spawn(command, args, { detached: true, stdio: 'ignore' });
  child.on('error', () => {});
  child.unref();
}

/** `dynamorm studio`: the admin UI of the config's models (dynamorm-studio) until Ctrl-C. */
export function registerStudio(program: Command, context: () => Context): void {
  program
    .command('studio')
    .description('Serve DynamORM Studio, the admin UI of the config\'s models: tables, items, queries with their plan and cost, edits validated by the models, migrations, metrics.')
    .option('-p, --port <port>', 'port to listen on (default: a free port)')
    .option('--host <host>', 'interface to listen on (default 127.0.0.1: this machine only)')
    .option('--read-only', 'refuse every write')
    .option('--no-open', 'do not open a browser')
    .action(async (options: StudioOptions) => {
      const port = parsePort(options.port);
      const ctx = context();
      const loaded = await ctx.config('studio');
      const dir = migrationsDir(loaded, ctx.cwd);
      const migrations = existsSync(dir) ? await loadMigrations(dir) : undefined;
      // Metrics and access-pattern analytics feed the studio's Metrics view.
      const orm = await ctx.orm(loaded, { enableMetrics: true, analytics: true });
      const studio = await startStudio({
        orm, models: loaded.models, readOnly: options.readOnly === true,
        ...(options.host === undefined ? {} : { host: options.host }),
        ...(port === undefined ? {} : { port }),
        ...(migrations === undefined ? {} : { migrations }),
      });
      process.stdout.write(`DynamORM Studio${options.readOnly === true ? ' (read-only)' : ''} is running at ${studio.url}\nThe URL carries this session's token: keep it to yourself. Ctrl-C stops it.\n`);
      if (options.open) openBrowser(studio.url);
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          for (const signal of ['SIGINT', 'SIGTERM'] as const) process.off(signal, stop);
          void studio.close().then(resolve);
        };
        for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, stop);
      });
    });
}
