import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { defineMigration, type Migration } from './define.js';
import { MigrationError } from './errors.js';

const MODULE = /\.(m?js|cjs|m?ts|cts)$/;

const isMigrationLike = (v: unknown): v is Migration =>
  typeof v === 'object' && v !== null && typeof (v as Migration).version === 'string' && typeof (v as Migration).up === 'function';

/**
 * The migrations of a directory: every module in it (`.js`, `.mjs`, `.cjs`, and `.ts` where the
 * runtime loads TypeScript), each exporting one or more migrations (plain `{ version, up, down }`
 * objects are taken too). A module exporting none is an error, not skipped.
 */
export async function loadMigrations(directory: string): Promise<Migration[]> {
  const dir = resolve(directory);
  let files: string[];
  try {
    files = (await readdir(dir)).filter((f) => MODULE.test(f) && !/\.d\.[cm]?ts$/.test(f)).sort();
  } catch (error) {
    throw new MigrationError('migration.invalid', `migrate: cannot read the migrations directory ${dir}: ${(error as Error).message}`, { op: 'migrate', cause: error });
  }
  const migrations: Migration[] = [];
  for (const file of files) {
    const exports = (await import(pathToFileURL(join(dir, file)).href)) as Record<string, unknown>;
    const found = Object.values(exports).filter(isMigrationLike);
    if (found.length === 0) throw new MigrationError('migration.invalid', `migrate: ${join(dir, file)} exports no migration: export defineMigration({ version, up, down })`, { op: 'migrate', context: { file } });
    for (const m of new Set(found)) migrations.push(typeof m.checksum === 'string' ? m : defineMigration(m));
  }
  return migrations;
}
