import { createHash } from 'node:crypto';
import type { MigrationSchema } from './schema.js';

/** What a migration module declares. */
export interface MigrationDefinition {
  /** Orders migrations (natural order: `v1.2.0` < `v1.10.0`, `002` < `010`) and names them in the history. */
  readonly version: string;
  /** A line for `migrationStatus` and the history. */
  readonly description?: string | undefined;
  up(schema: MigrationSchema): Promise<void> | void;
  /** What undoes `up`, for `orm.migrate({ to })` back past this version; without it the migration cannot be rolled back. */
  down?(schema: MigrationSchema): Promise<void> | void;
}

/** A migration with its checksum: what `orm.migrate` takes. */
export interface Migration extends MigrationDefinition {
  /**
   * SHA-256 of the version and the source of `up` and `down`, recorded when the migration is
   * applied: a migration changed after it was applied is refused, not run again.
   */
  readonly checksum: string;
}

/** The checksum of a migration's version and functions' source. */
export function migrationChecksum(definition: MigrationDefinition): string {
  return createHash('sha256').update(`${definition.version}\n${String(definition.up)}\n${definition.down === undefined ? '' : String(definition.down)}`).digest('hex');
}

/**
 * Declares a versioned migration: `up` changes the schema (or data) forward, `down` undoes it.
 * @example
 * export const m1 = defineMigration({
 *   version: 'v1.0.0',
 *   async up(schema) { await schema.createTable(User, { billingMode: 'PAY_PER_REQUEST', stream: 'NEW_AND_OLD_IMAGES' }); },
 *   async down(schema) { await schema.dropTable(User); },
 * });
 */
export function defineMigration(definition: MigrationDefinition): Migration {
  return Object.freeze({ ...definition, checksum: migrationChecksum(definition) });
}

/** Natural order of versions: digit runs compare as numbers, the rest as text. */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string): string[] => v.match(/\d+|\D+/g) ?? [];
  const x = parts(a);
  const y = parts(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const p = x[i]!;
    const q = y[i]!;
    if (p === q) continue;
    const numeric = /^\d/.test(p) && /^\d/.test(q);
    if (numeric && BigInt(p) !== BigInt(q)) return BigInt(p) < BigInt(q) ? -1 : 1;
    return p < q ? -1 : 1;
  }
  return x.length - y.length || (a < b ? -1 : a > b ? 1 : 0);
}
