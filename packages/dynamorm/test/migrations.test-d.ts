import { describe, expectTypeOf, test } from 'vitest';
import {
  defineMigration, DynamORM, model, t,
  type MigrateResult, type Migration, type MigrationSchema, type MigrationStatus, type SchemaPlan, type StoredItem, type TransformResult,
} from 'dynamorm';

const orm = new DynamORM({ region: 'us-east-1' });
const User = model('User', {
  table: 'users',
  attributes: { id: t.string().pk(), email: t.string().index('byEmail'), name: t.string(), plan: t.enum(['free', 'pro']).optional(), expiresAt: t.ttl().optional() },
});

describe('defineMigration', () => {
  test('up and down receive the schema operations; the result is a Migration with its checksum', () => {
    const m = defineMigration({
      version: 'v1.0.0',
      async up(schema) {
        expectTypeOf(schema).toEqualTypeOf<MigrationSchema>();
        await schema.createTable(User, { billingMode: 'PAY_PER_REQUEST', stream: 'NEW_AND_OLD_IMAGES', pointInTimeRecovery: true, deletionProtection: true, tags: { team: 'core' } });
        await schema.createTable(User, { billingMode: 'PROVISIONED', capacity: { read: 5, write: 5 }, ttl: false });
        await schema.addIndex(User, 'byEmail');
        // @ts-expect-error the model declares no such index
        await schema.addIndex(User, 'byName');
        // @ts-expect-error not a stream view type
        await schema.createTable(User, { stream: 'EVERYTHING' });
        // @ts-expect-error not a billing mode
        await schema.createTable(User, { billingMode: 'ON_DEMAND' });
        await schema.updateTable(User, { stream: false, capacity: { read: 1, write: 1 } });
      },
      down: (schema) => schema.dropTable(User),
    });
    expectTypeOf(m).toEqualTypeOf<Migration>();
    expectTypeOf(m.checksum).toEqualTypeOf<string>();
    // @ts-expect-error a version is a string
    defineMigration({ version: 1, up: () => undefined });
    // @ts-expect-error up is required
    defineMigration({ version: '1' });
  });

  test('transforms are typed by the model', () => {
    defineMigration({
      version: '2',
      async up(schema) {
        const r = await schema.transform(User, (item) => {
          expectTypeOf(item).toEqualTypeOf<StoredItem<typeof User>>();
          expectTypeOf(item.id).toEqualTypeOf<string>();
          expectTypeOf(item.name).toEqualTypeOf<string | undefined>();
          return item.name === undefined ? undefined : { ...item, name: item.name.trim(), email: item.email ?? '' };
        });
        expectTypeOf(r).toEqualTypeOf<TransformResult>();
        await schema.backfill(User, 'plan', 'free');
        await schema.backfill(User, 'plan', (item) => (item.email?.endsWith('@corp.example') === true ? 'pro' : 'free'));
        // @ts-expect-error not a value of the enum
        await schema.backfill(User, 'plan', 'gold');
        // @ts-expect-error no such attribute
        await schema.backfill(User, 'tier', 'free');
        await schema.renameAttribute(User, 'mail', 'email');
        // @ts-expect-error the target is one of the model's attributes
        await schema.renameAttribute(User, 'mail', 'mail2');
      },
    });
  });
});

describe('the ORM', () => {
  test('migrate, migrationStatus and schema take and return plain data', async () => {
    const m = defineMigration({ version: '1', up: () => undefined });
    expectTypeOf(await orm.migrate({ migrations: [m] })).toEqualTypeOf<MigrateResult>();
    await orm.migrate({ migrations: './migrations', to: null, lock: { leaseMs: 30_000, waitMs: 0 }, onProgress: (e) => expectTypeOf(e.phase).toEqualTypeOf<'start' | 'done' | 'failed'>() });
    // @ts-expect-error to is a version string or null
    await orm.migrate({ migrations: [m], to: 1 });
    expectTypeOf(await orm.migrationStatus({ migrations: [m] })).toEqualTypeOf<MigrationStatus>();
    const plan = await orm.schema.plan({ billingMode: 'PAY_PER_REQUEST', stream: 'NEW_IMAGE' });
    expectTypeOf(plan).toEqualTypeOf<SchemaPlan>();
    expectTypeOf(plan.steps[0]!.destructive).toEqualTypeOf<boolean>();
    await orm.schema.apply(plan, { allowDestructive: true, onProgress: (p) => expectTypeOf(p.step.kind).toBeString() });
    const exported = await orm.exportTable(User, 'users.jsonl', { onProgress: (p) => expectTypeOf(p.items).toEqualTypeOf<number>(), segments: 8 });
    expectTypeOf(exported.items).toEqualTypeOf<number>();
    await orm.importTable(User, 'users.jsonl', { fromLine: 10, onProgress: (p) => expectTypeOf(p.line).toEqualTypeOf<number | undefined>() });
    // @ts-expect-error fromLine is a number
    await orm.importTable(User, 'users.jsonl', { fromLine: '10' });
    const check = await orm.schema.check();
    expectTypeOf(check.models[0]!.differences).toEqualTypeOf<readonly string[]>();
  });
});
