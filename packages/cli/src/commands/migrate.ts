import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { defineMigration, type DynamORM, type Migration, type MigrationEvent } from 'dynamorm';
import { importModule, type LoadedConfig } from '../config/load-config.js';
import { report, type Context } from '../context.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { jsonOption } from '../options.js';
import { progress } from '../progress.js';

const MODULE = /\.(m?[jt]s|c[jt]s)$/;

/** The migrations directory of the project: the config's `migrations` (default `migrations`), beside the config. */
export function migrationsDir(loaded: LoadedConfig | undefined, cwd: string): string {
  return resolve(loaded?.dir ?? cwd, loaded?.config.migrations ?? 'migrations');
}

/**
 * Every migration module of the directory, in file order, loaded with jiti (TypeScript needs no
 * build); each must export at least one migration (`defineMigration({ version, up, down })`).
 */
export async function loadMigrations(dir: string): Promise<Migration[]> {
  if (!existsSync(dir)) throw new CliError(`No migrations directory ${relative(process.cwd(), dir) || dir}: create the first migration with \`dynamorm migrate create <name>\`.`, ExitCode.config);
  const migrations: Migration[] = [];
  for (const file of readdirSync(dir).filter((f) => MODULE.test(f) && !/\.d\.[cm]?ts$/.test(f)).sort()) {
    let exports: unknown;
    try {
      exports = await importModule(join(dir, file));
    } catch (cause) {
      throw new CliError(`Could not load migration ${file}: ${cause instanceof Error ? cause.message : String(cause)}`, ExitCode.config, { cause });
    }
    const found = Object.values(exports as Record<string, unknown>).filter((v): v is Migration =>
      typeof v === 'object' && v !== null && typeof (v as Migration).version === 'string' && typeof (v as Migration).up === 'function');
    if (found.length === 0) throw new CliError(`Migration ${file} exports no migration: export const migration = defineMigration({ version, up, down }).`, ExitCode.config);
    for (const m of new Set(found)) migrations.push(typeof m.checksum === 'string' ? m : defineMigration(m));
  }
  return migrations;
}

/** Progress of migrate: a bar on a terminal, nothing otherwise. */
function onProgress(json: boolean, label: string): { listener: (event: MigrationEvent) => void; stop: () => void } {
  const bar = progress(label, { json });
  return {
    listener: (event) => { if (event.phase === 'done') bar.update(event.index + 1, event.total); },
    stop: () => bar.stop(),
  };
}

async function setup(context: () => Context, command: string): Promise<{ orm: DynamORM; migrations: Migration[] }> {
  const ctx = context();
  const loaded = await ctx.config(command);
  const migrations = await loadMigrations(migrationsDir(loaded, ctx.cwd));
  return { orm: await ctx.orm(loaded), migrations };
}

const versionTag = (date: Date): string => date.toISOString().replace(/[-:T]/g, '').slice(0, 14);

/** `dynamorm migrate up | down | status | create <name>`: the ORM's versioned migrations from the project's directory. */
export function registerMigrate(program: Command, context: () => Context): void {
  const migrate = program.command('migrate').description('Versioned migrations from the migrations directory: up, down, status, create.');

  migrate.command('up')
    .description('Apply the migrations not yet applied (or move to --to), once, under a lock.')
    .option('--to <version>', 'stop at this version (later applied ones are rolled back)')
    .addOption(jsonOption())
    .action(async (options: { to?: string; json?: boolean }) => {
      const { orm, migrations } = await setup(context, 'migrate up');
      const bar = onProgress(options.json === true, 'Migrating');
      const result = await orm.migrate({ migrations, ...(options.to === undefined ? {} : { to: options.to }), onProgress: bar.listener }).finally(bar.stop);
      report(options.json === true, result, () => (result.applied.length + result.reverted.length === 0
        ? `Nothing to apply: at ${result.current ?? 'no version'}.`
        : [result.applied.length > 0 ? `Applied ${result.applied.join(', ')}.` : '', result.reverted.length > 0 ? `Rolled back ${result.reverted.join(', ')}.` : '', `Current version: ${result.current ?? 'none'}.`].filter((l) => l !== '').join(' ')));
    });

  migrate.command('down')
    .description('Roll back the latest applied migration (or back to --to, or all of them with --all).')
    .option('--to <version>', 'roll back the migrations after this version')
    .option('--all', 'roll back every applied migration')
    .addOption(jsonOption())
    .action(async (options: { to?: string; all?: boolean; json?: boolean }) => {
      if (options.all === true && options.to !== undefined) throw new CliError('migrate down takes --to <version> or --all, not both.', ExitCode.usage);
      const { orm, migrations } = await setup(context, 'migrate down');
      let to: string | null | undefined = options.all === true ? null : options.to;
      if (to === undefined) {
        const applied = (await orm.migrationStatus({ migrations })).migrations.filter((m) => m.state === 'applied').map((m) => m.version);
        if (applied.length === 0) {
          report(options.json === true, { applied: [], reverted: [], current: null }, () => 'Nothing to roll back: no migration is applied.');
          return;
        }
        to = applied.at(-2) ?? null;
      }
      const bar = onProgress(options.json === true, 'Rolling back');
      const result = await orm.migrate({ migrations, to, onProgress: bar.listener }).finally(bar.stop);
      report(options.json === true, result, () => `${result.reverted.length === 0 ? 'Nothing to roll back.' : `Rolled back ${result.reverted.join(', ')}.`} Current version: ${result.current ?? 'none'}.`);
    });

  migrate.command('status')
    .description('List the migrations: applied, pending, failed, changed since applied, or recorded but missing.')
    .addOption(jsonOption())
    .action(async (options: { json?: boolean }) => {
      const { orm, migrations } = await setup(context, 'migrate status');
      const status = await orm.migrationStatus({ migrations });
      report(options.json === true, status, () => [
        ...status.migrations.map((m) => `${m.state.padEnd(8)} ${m.version}${m.description === undefined ? '' : `  ${m.description}`}${m.at === undefined ? '' : `  (${m.at})`}`),
        `Current version: ${status.current ?? 'none'}; pending: ${status.pending.length === 0 ? 'none' : status.pending.join(', ')}.`,
      ].join('\n'));
    });

  migrate.command('create')
    .description('Write a new migration file (version: the current UTC time) in the migrations directory.')
    .argument('<name>', 'what the migration does, e.g. add_users')
    .action(async (name: string) => {
      if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(name)) throw new CliError(`The migration name must be letters, digits, - and _ (received "${name}").`, ExitCode.usage);
      const ctx = context();
      const dir = migrationsDir(await ctx.optionalConfig(), ctx.cwd);
      const version = `${versionTag(new Date())}_${name}`;
      const file = join(dir, `${version}.ts`);
      if (existsSync(file)) throw new CliError(`${relative(ctx.cwd, file)} exists already.`, ExitCode.failed);
      mkdirSync(dir, { recursive: true });
      writeFileSync(file, [
        "import { defineMigration } from 'dynamorm';",
        '',
        'export const migration = defineMigration({',
        `  version: '${version}',`,
        `  description: '${name.replace(/[_-]+/g, ' ')}',`,
        '  async up(schema) {',
        '    // e.g. await schema.createTable(User, { billingMode: \'PAY_PER_REQUEST\' });',
        '  },',
        '  async down(schema) {',
        '    // e.g. await schema.dropTable(User);',
        '  },',
        '});',
        '',
      ].join('\n'));
      process.stdout.write(`Created ${relative(ctx.cwd, file)}.\n`);
    });
}
