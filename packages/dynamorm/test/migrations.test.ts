// Versioned migrations on DynamoDB Local: the history table, the lease lock, checksums, rollbacks,
// failures that resume, two ORMs racing, and a directory of migration modules.
import { DescribeTableCommand, GetItemCommand, PutItemCommand, type TableDescription } from '@aws-sdk/client-dynamodb';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { defineMigration, DynamORM, MigrationError, model, t, type Migration, type MigrationEvent } from 'dynamorm';
import { endpoint } from './support/dynamo.js';
import { rawClient, rejection, uniquePrefix } from './support/inspect.js';

const User = model('User', {
  table: 'users',
  attributes: { id: t.string().pk(), email: t.string().index('byEmail'), name: t.string() },
});

const describeTable = async (name: string): Promise<TableDescription | undefined> => {
  try {
    return (await rawClient().send(new DescribeTableCommand({ TableName: name }))).Table;
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
};
const newOrm = (prefix: string): DynamORM => new DynamORM({ endpoint: endpoint(), tablePrefix: prefix, allowDestructive: true });
const orms: DynamORM[] = [];
const fresh = (area: string): DynamORM => {
  const orm = newOrm(uniquePrefix(area));
  orms.push(orm);
  return orm;
};
afterAll(async () => {
  for (const orm of orms) await orm.dropTables(...orm.models()).catch(() => undefined);
});

// The example of the README: a table with on-demand billing and a stream, dropped on down.
const m1 = defineMigration({
  version: 'v1.0.0',
  async up(schema) {
    await schema.createTable(User, { billingMode: 'PAY_PER_REQUEST', stream: 'NEW_AND_OLD_IMAGES' });
  },
  async down(schema) { await schema.dropTable(User); },
});

describe('migrate forward and back', () => {
  const orm = fresh('mig');
  const history = (): string => orm.tableName({ table: 'dynamorm_migrations' } as typeof User);

  test('applies the migration once: the table as declared, the history recorded', async () => {
    const events: MigrationEvent[] = [];
    const result = await orm.migrate({ migrations: [m1], onProgress: (e) => events.push(e) });
    expect(result).toMatchObject({ applied: ['v1.0.0'], reverted: [], current: 'v1.0.0' });
    expect(events.map((e) => `${e.version} ${e.direction} ${e.phase}`)).toEqual(['v1.0.0 up start', 'v1.0.0 up done']);

    const table = (await describeTable(orm.tableName(User)))!;
    expect(table.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(table.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(table.GlobalSecondaryIndexes?.map((i) => i.IndexName)).toEqual(['byEmail']);

    const record = (await rawClient().send(new GetItemCommand({ TableName: history(), Key: { id: { S: 'migration#v1.0.0' } } }))).Item!;
    expect(record.outcome).toEqual({ S: 'applied' });
    expect(record.checksum).toEqual({ S: m1.checksum });
    expect(record.fingerprint).toEqual({ S: orm.schema.fingerprint() });
    expect(Number(record.durationMs!.N)).toBeGreaterThanOrEqual(0);
    expect(new Date(record.at!.S!).getTime()).toBeGreaterThan(Date.now() - 60_000);
    // The lock was released.
    expect((await rawClient().send(new GetItemCommand({ TableName: history(), Key: { id: { S: 'lock' } } }))).Item).toBeUndefined();

    expect(await orm.migrate({ migrations: [m1] })).toMatchObject({ applied: [], reverted: [] });
  });

  test('status lists each migration with its state and the fingerprint', async () => {
    const m2 = defineMigration({ version: 'v1.1.0', up: () => undefined, down: () => undefined });
    const status = await orm.migrationStatus({ migrations: [m2, m1] });
    expect(status.migrations.map((m) => [m.version, m.state])).toEqual([['v1.0.0', 'applied'], ['v1.1.0', 'pending']]);
    expect(status).toMatchObject({ current: 'v1.0.0', pending: ['v1.1.0'], fingerprint: { matches: true } });
  });

  test('migrate({ to: null }) rolls back: down ran, the table is gone, the history says reverted', async () => {
    const result = await orm.migrate({ migrations: [m1], to: null });
    expect(result).toMatchObject({ applied: [], reverted: ['v1.0.0'], current: undefined });
    expect(await describeTable(orm.tableName(User))).toBeUndefined();
    const status = await orm.migrationStatus({ migrations: [m1] });
    expect(status.migrations.map((m) => m.state)).toEqual(['reverted']);
    expect(status.pending).toEqual(['v1.0.0']);
  });

  test('to a version: later ones roll back newest first, earlier missing ones apply', async () => {
    const order: string[] = [];
    const step = (version: string): Migration => defineMigration({ version, up: () => void order.push(`up ${version}`), down: () => void order.push(`down ${version}`) });
    const all = [step('v2'), step('v10'), step('v3')];
    await orm.migrate({ migrations: all });
    expect(order).toEqual(['up v2', 'up v3', 'up v10']); // natural order: v2 < v3 < v10
    order.length = 0;
    expect(await orm.migrate({ migrations: all, to: 'v2' })).toMatchObject({ reverted: ['v10', 'v3'], current: 'v2' });
    expect(order).toEqual(['down v10', 'down v3']);
    order.length = 0;
    expect(await orm.migrate({ migrations: all, to: 'v3' })).toMatchObject({ applied: ['v3'], current: 'v3' });
    expect(order).toEqual(['up v3']);
  });
});

describe('refusals, before anything runs', () => {
  const orm = fresh('mig-refuse');
  let runs = 0;
  const counted = (version: string, down = true): Migration => defineMigration({ version, up: () => void runs++, ...(down ? { down: () => void runs++ } : {}) });

  test('two migrations of one version', async () => {
    const error = await rejection(orm.migrate({ migrations: [counted('1'), counted('1')] }));
    expect(error).toBeInstanceOf(MigrationError);
    expect(error).toMatchObject({ code: 'migration.duplicateVersion', version: '1' });
    expect(runs).toBe(0);
  });

  test('a `to` no migration has', async () => {
    const error = await rejection(orm.migrate({ migrations: [counted('1')], to: '7' }));
    expect(error).toMatchObject({ code: 'migration.unknownVersion', message: expect.stringMatching(/no migration has version 7 \(known: 1\)/) });
    expect(runs).toBe(0);
  });

  test('an applied migration edited since: the checksum differs', async () => {
    await orm.migrate({ migrations: [defineMigration({ version: 'c1', up: () => undefined })] });
    const edited = defineMigration({ version: 'c1', up: () => { runs++; } });
    const error = await rejection(orm.migrate({ migrations: [edited] }));
    expect(error).toMatchObject({ code: 'migration.checksumChanged', version: 'c1', message: expect.stringMatching(/changed after it was applied/) });
    expect(runs).toBe(0);
    expect((await orm.migrationStatus({ migrations: [edited] })).migrations[0]!.state).toBe('changed');
  });

  test('rolling back a migration without down', async () => {
    await orm.migrate({ migrations: [counted('i1'), counted('i2', false)] });
    runs = 0;
    const error = await rejection(orm.migrate({ migrations: [counted('i1'), counted('i2', false)], to: 'i1' }));
    expect(error).toMatchObject({ code: 'migration.irreversible', version: 'i2' });
    expect(runs).toBe(0);
  });
});

describe('a migration that throws', () => {
  const orm = fresh('mig-fail');
  let broken = true;
  const ran: string[] = [];
  const migrations = [
    defineMigration({ version: '1', up: () => void ran.push('1') }),
    defineMigration({
      version: '2',
      up: () => {
        ran.push('2');
        if (broken) throw new Error('disk full');
      },
    }),
    defineMigration({ version: '3', up: () => void ran.push('3') }),
  ];

  test('is recorded as failed, stops the run, and releases the lock', async () => {
    const error = await rejection(orm.migrate({ migrations }));
    expect(error).toMatchObject({ code: 'migration.failed', version: '2', message: expect.stringMatching(/up of 2 failed: disk full/) });
    expect((error as MigrationError).cause).toMatchObject({ message: 'disk full' });
    expect(ran).toEqual(['1', '2']);
    const status = await orm.migrationStatus({ migrations });
    expect(status.migrations.map((m) => [m.version, m.state, m.error])).toEqual([['1', 'applied', undefined], ['2', 'failed', 'up: disk full'], ['3', 'pending', undefined]]);
    const lock = await rawClient().send(new GetItemCommand({ TableName: `${orm.tableName({ table: 'dynamorm_migrations' } as typeof User)}`, Key: { id: { S: 'lock' } } }));
    expect(lock.Item).toBeUndefined();
  });

  test('running again resumes at the failed one', async () => {
    broken = false;
    ran.length = 0;
    expect(await orm.migrate({ migrations })).toMatchObject({ applied: ['2', '3'], current: '3' });
    expect(ran).toEqual(['2', '3']);
  });
});

describe('the lease lock', () => {
  test('two ORMs racing migrate(): each version applied exactly once', async () => {
    const prefix = uniquePrefix('mig-race');
    const a = newOrm(prefix);
    const b = newOrm(prefix);
    const runs = new Map<string, number>();
    const slow = (version: string): Migration => defineMigration({
      version,
      up: async () => {
        runs.set(version, (runs.get(version) ?? 0) + 1);
        await new Promise((resolve) => setTimeout(resolve, 100));
      },
    });
    const migrations = [slow('1'), slow('2'), slow('3')];
    const [ra, rb] = await Promise.all([a.migrate({ migrations }), b.migrate({ migrations })]);
    expect([...runs]).toEqual([['1', 1], ['2', 1], ['3', 1]]);
    expect([...ra.applied, ...rb.applied].sort()).toEqual(['1', '2', '3']);
    expect(ra.current).toBe('3');
    expect(rb.current).toBe('3');
  });

  test('a live lock of another run: refused after waitMs, naming its owner', async () => {
    const orm = fresh('mig-locked');
    await orm.migrate({ migrations: [] });
    const table = orm.tableName({ table: 'dynamorm_migrations' } as typeof User);
    await rawClient().send(new PutItemCommand({ TableName: table, Item: { id: { S: 'lock' }, owner: { S: 'deploy-42' }, expiresAt: { N: String(Date.now() + 60_000) } } }));
    let ran = false;
    const error = await rejection(orm.migrate({ migrations: [defineMigration({ version: '1', up: () => { ran = true; } })], lock: { waitMs: 0 } }));
    expect(error).toMatchObject({ code: 'migration.locked', message: expect.stringMatching(/deploy-42/) });
    expect(ran).toBe(false);
  });

  test("a crashed run's lock is taken over once its lease expired", async () => {
    const orm = fresh('mig-crash');
    await orm.migrate({ migrations: [] });
    const table = orm.tableName({ table: 'dynamorm_migrations' } as typeof User);
    await rawClient().send(new PutItemCommand({ TableName: table, Item: { id: { S: 'lock' }, owner: { S: 'crashed' }, expiresAt: { N: String(Date.now() - 1) } } }));
    expect(await orm.migrate({ migrations: [defineMigration({ version: '1', up: () => undefined })], lock: { waitMs: 0 } })).toMatchObject({ applied: ['1'] });
  });

  test('the lease is renewed while a long migration runs: a second run waits for it', async () => {
    const prefix = uniquePrefix('mig-renew');
    const a = newOrm(prefix);
    const b = newOrm(prefix);
    await a.migrate({ migrations: [] });
    let runs = 0;
    // Three leases long: without renewals b would take the lock over while a runs.
    const long = defineMigration({ version: '1', up: async () => { runs++; await new Promise((resolve) => setTimeout(resolve, 900)); } });
    const first = a.migrate({ migrations: [long], lock: { leaseMs: 300 } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const second = await b.migrate({ migrations: [long], lock: { leaseMs: 300, waitMs: 5_000 } });
    expect((await first).applied).toEqual(['1']);
    expect(second.applied).toEqual([]);
    expect(runs).toBe(1);
  });
});

describe('a directory of migration modules', () => {
  const orm = fresh('mig-dir');
  const dir = fileURLToPath(new URL('./fixtures/migrations/', import.meta.url));

  test('every module is loaded, ordered by version, and applied', async () => {
    expect(await orm.migrate({ migrations: dir })).toMatchObject({ applied: ['001', '010'] });
    const table = (await describeTable(`${orm.tableName({ table: 'notes' } as typeof User)}`))!;
    expect(table.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_IMAGE' });
    expect(await orm.migrate({ migrations: dir, to: '001' })).toMatchObject({ reverted: ['010'] });
    expect((await describeTable(`${orm.tableName({ table: 'notes' } as typeof User)}`))!.StreamSpecification?.StreamEnabled).not.toBe(true);
    await orm.migrate({ migrations: dir, to: null });
  });

  test('a directory that does not exist is a clear error', async () => {
    const error = await rejection(orm.migrate({ migrations: `${dir}/nope` }));
    expect(error).toMatchObject({ code: 'migration.invalid', message: expect.stringMatching(/cannot read the migrations directory/) });
  });
});
