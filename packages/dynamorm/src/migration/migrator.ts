import { compareVersions, type Migration } from './define.js';
import { MigrationError } from './errors.js';
import { History, type HistoryRecord } from './history.js';
import { loadMigrations } from './load.js';
import { Lease, type LockOptions } from './lock.js';
import { MigrationSchemaImpl, type SchemaHost } from './schema.js';

export interface MigrateOptions {
  /** The migrations, or a directory of migration modules. */
  readonly migrations: readonly Migration[] | string;
  /**
   * The version to end at: later applied ones are rolled back (their `down`, newest first),
   * missing earlier ones applied. Default: the latest. `null`: roll every migration back.
   */
  readonly to?: string | null | undefined;
  readonly lock?: LockOptions | undefined;
  /** Each migration starting and ending. */
  readonly onProgress?: ((event: MigrationEvent) => void) | undefined;
}

/** A migration starting (`phase: 'start'`), done, or failed. */
export interface MigrationEvent {
  readonly version: string;
  readonly direction: 'up' | 'down';
  readonly phase: 'start' | 'done' | 'failed';
  /** 0-based position among the migrations this run applies or rolls back. */
  readonly index: number;
  readonly total: number;
  readonly durationMs?: number;
}

export interface MigrateResult {
  /** Versions whose `up` ran, in order. */
  readonly applied: readonly string[];
  /** Versions whose `down` ran, in order. */
  readonly reverted: readonly string[];
  /** The latest applied version after the run. */
  readonly current: string | undefined;
  /** The models' schema fingerprint, as recorded with the run's migrations. */
  readonly fingerprint: string;
}

/** Where one migration is. `changed`: applied, but its source differs now; `orphan`: applied, with no module given. */
export type MigrationState = 'applied' | 'pending' | 'failed' | 'reverted' | 'changed' | 'orphan';

export interface MigrationStatusEntry {
  readonly version: string;
  readonly description?: string;
  readonly state: MigrationState;
  readonly checksum?: string;
  readonly recordedChecksum?: string;
  /** When its last run finished, ISO 8601. */
  readonly at?: string;
  readonly durationMs?: number;
  readonly error?: string;
}

export interface MigrationStatus {
  /** Every migration given and every one recorded, in version order. */
  readonly migrations: readonly MigrationStatusEntry[];
  readonly current: string | undefined;
  readonly pending: readonly string[];
  /** The fingerprint of the registered models now and as the latest applied migration recorded it. */
  readonly fingerprint: { readonly current: string; readonly recorded: string | undefined; readonly matches: boolean };
}

export interface MigratorHost extends SchemaHost {
  readonly historyTable: string;
  fingerprint(): string;
}

/** The migrations sorted by version; duplicates refused. */
async function resolveMigrations(given: readonly Migration[] | string): Promise<Migration[]> {
  const list = typeof given === 'string' ? await loadMigrations(given) : [...given];
  const seen = new Map<string, Migration>();
  for (const m of list) {
    if (typeof m?.version !== 'string' || m.version === '' || typeof m.up !== 'function') {
      throw new MigrationError('migration.invalid', 'migrate: every migration needs a non-empty string version and an up function: declare it with defineMigration({ version, up, down })', { op: 'migrate' });
    }
    if (seen.has(m.version)) throw new MigrationError('migration.duplicateVersion', `migrate: two migrations have version ${m.version}: give each its own version (nothing was run)`, { op: 'migrate', version: m.version });
    seen.set(m.version, m);
  }
  return list.sort((a, b) => compareVersions(a.version, b.version));
}

const byVersion = (records: readonly HistoryRecord[]): Map<string, HistoryRecord> => new Map(records.map((r) => [r.version, r]));

/** An applied migration whose source changed: refused rather than silently trusted or run again. */
function checkChecksums(migrations: readonly Migration[], records: Map<string, HistoryRecord>): void {
  for (const m of migrations) {
    const r = records.get(m.version);
    if (r !== undefined && r.outcome === 'applied' && r.checksum !== m.checksum) {
      throw new MigrationError('migration.checksumChanged', `migrate: migration ${m.version} was changed after it was applied (checksum ${r.checksum.slice(0, 12)}… recorded at ${r.at}, ${m.checksum.slice(0, 12)}… now): restore its source, and put the change in a new migration (nothing was run)`, { op: 'migrate', version: m.version, context: { recorded: r.checksum, current: m.checksum } });
    }
  }
}

/** Applies the missing migrations up to `to`, or rolls back those past it, under the lease lock. */
export async function migrate(host: MigratorHost, options: MigrateOptions): Promise<MigrateResult> {
  const migrations = await resolveMigrations(options.migrations);
  const to = options.to;
  if (to !== undefined && to !== null && !migrations.some((m) => m.version === to)) {
    throw new MigrationError('migration.unknownVersion', `migrate: no migration has version ${to} (known: ${migrations.map((m) => m.version).join(', ') || 'none'}); nothing was run`, { op: 'migrate', version: to });
  }
  const history = new History(host.driver, host.historyTable);
  await history.ensure();
  const lease = new Lease(history, options.lock);
  await lease.acquire();
  const applied: string[] = [];
  const reverted: string[] = [];
  try {
    const records = byVersion(await history.records());
    checkChecksums(migrations, records);
    const target = to === undefined ? migrations.length - 1 : to === null ? -1 : migrations.findIndex((m) => m.version === to);
    const targetVersion = migrations[target]?.version;
    const ups = migrations.slice(0, target + 1).filter((m) => records.get(m.version)?.outcome !== 'applied');
    // Rolled back: applied (or failed halfway) versions past the target, newest first.
    const past = [...records.values()].filter((r) => (r.outcome === 'applied' || r.outcome === 'failed') && (targetVersion === undefined || compareVersions(r.version, targetVersion) > 0));
    const downs = past.sort((a, b) => compareVersions(b.version, a.version)).map((r) => {
      const m = migrations.find((x) => x.version === r.version);
      if (m === undefined) throw new MigrationError('migration.unknownVersion', `migrate: cannot roll back ${r.version}: it is recorded as ${r.outcome} but no migration of this version was given (nothing was run)`, { op: 'migrate', version: r.version });
      if (m.down === undefined) throw new MigrationError('migration.irreversible', `migrate: cannot roll back ${r.version}: it has no down (nothing was run)`, { op: 'migrate', version: r.version });
      return m;
    });
    const total = ups.length + downs.length;
    const run = async (m: Migration, direction: 'up' | 'down', index: number): Promise<void> => {
      lease.check();
      options.onProgress?.({ version: m.version, direction, phase: 'start', index, total });
      const started = Date.now();
      const schema = new MigrationSchemaImpl(host, history, m.version);
      const base = { version: m.version, checksum: m.checksum, ...(m.description === undefined ? {} : { description: m.description }) };
      try {
        await (direction === 'up' ? m.up(schema) : m.down!(schema));
      } catch (error) {
        const durationMs = Date.now() - started;
        await history.record({ ...base, outcome: 'failed', at: new Date().toISOString(), durationMs, fingerprint: host.fingerprint(), error: `${direction}: ${(error as Error)?.message ?? String(error)}` });
        options.onProgress?.({ version: m.version, direction, phase: 'failed', index, total, durationMs });
        throw new MigrationError('migration.failed', `migrate: ${direction} of ${m.version} failed: ${(error as Error)?.message ?? String(error)}. The history records it as failed; fix the cause and run migrate again: it runs ${m.version} again (its transforms resume from their checkpoints)`, { op: 'migrate', version: m.version, cause: error });
      }
      const durationMs = Date.now() - started;
      await history.record({ ...base, outcome: direction === 'up' ? 'applied' : 'reverted', at: new Date().toISOString(), durationMs, fingerprint: host.fingerprint() });
      await history.clearCheckpoints(m.version);
      (direction === 'up' ? applied : reverted).push(m.version);
      options.onProgress?.({ version: m.version, direction, phase: 'done', index, total, durationMs });
    };
    let index = 0;
    for (const m of downs) await run(m, 'down', index++);
    for (const m of ups) await run(m, 'up', index++);
  } finally {
    await lease.release();
  }
  const after = byVersion(await history.records());
  const current = [...after.values()].filter((r) => r.outcome === 'applied').map((r) => r.version).sort(compareVersions).at(-1);
  return { applied, reverted, current, fingerprint: host.fingerprint() };
}

/** Each migration's state, from the history table (read without the lock). */
export async function migrationStatus(host: MigratorHost, options: Pick<MigrateOptions, 'migrations'>): Promise<MigrationStatus> {
  const migrations = await resolveMigrations(options.migrations);
  const records = byVersion(await new History(host.driver, host.historyTable).records());
  const entries: MigrationStatusEntry[] = migrations.map((m) => {
    const r = records.get(m.version);
    const recorded = r === undefined ? {} : { recordedChecksum: r.checksum, at: r.at, durationMs: r.durationMs, ...(r.error === undefined ? {} : { error: r.error }) };
    const state: MigrationState = r === undefined ? 'pending' : r.outcome === 'applied' && r.checksum !== m.checksum ? 'changed' : r.outcome;
    return { version: m.version, ...(m.description === undefined ? {} : { description: m.description }), state, checksum: m.checksum, ...recorded };
  });
  for (const r of records.values()) {
    if (!migrations.some((m) => m.version === r.version) && r.outcome !== 'reverted') {
      entries.push({ version: r.version, state: 'orphan', recordedChecksum: r.checksum, at: r.at, durationMs: r.durationMs, ...(r.error === undefined ? {} : { error: r.error }) });
    }
  }
  entries.sort((a, b) => compareVersions(a.version, b.version));
  const appliedRecords = [...records.values()].filter((r) => r.outcome === 'applied').sort((a, b) => compareVersions(a.version, b.version));
  const current = appliedRecords.at(-1);
  const fingerprint = host.fingerprint();
  return {
    migrations: entries,
    current: current?.version,
    pending: entries.filter((e) => e.state === 'pending' || e.state === 'failed' || e.state === 'reverted').map((e) => e.version),
    fingerprint: { current: fingerprint, recorded: current?.fingerprint, matches: current?.fingerprint === fingerprint },
  };
}
