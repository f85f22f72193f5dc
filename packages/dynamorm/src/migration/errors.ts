import { DynamORMError } from '../errors/errors.js';

/**
 * A migration run refused or failed. `code`: `migration.checksumChanged` (an applied migration
 * was edited), `migration.duplicateVersion`, `migration.unknownVersion` (a `to` no migration
 * has), `migration.irreversible` (no `down` to roll back with), `migration.locked` (another run
 * holds the lock), `migration.lockLost` (this run's lease expired), `migration.failed` (an `up`
 * or `down` threw: its error is the cause), `migration.invalid` (a module that is no migration).
 */
export class MigrationError extends DynamORMError {
  /** The migration concerned, when one is. */
  readonly version: string | undefined;
  constructor(code: `migration.${string}`, message: string, details: { op: string; version?: string | undefined; cause?: unknown; context?: Record<string, unknown> }) {
    super(code, message, { op: details.op, cause: details.cause, context: { ...details.context, ...(details.version === undefined ? {} : { version: details.version }) } });
    this.version = details.version;
  }
}
