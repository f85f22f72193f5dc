// Data migrations on DynamoDB Local: schema.transform rewrites every item with conditional
// writes (a concurrent application write is never overwritten), through injected throttles,
// with checkpoints that let an interrupted transform resume; backfill and rename.
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, test } from 'vitest';
import { defineMigration, DynamORM, model, t, type TransformProgress } from 'dynamorm';
import { endpoint } from './support/dynamo.js';
import { rawClient, rejection, storedItems, uniquePrefix } from './support/inspect.js';

const Person = model('Person', { table: 'people', attributes: { id: t.string().pk(), name: t.string(), email: t.string().optional() } });
const orms: DynamORM[] = [];
const setup = async (area: string, count: number): Promise<DynamORM> => {
  const orm = new DynamORM({ endpoint: endpoint(), tablePrefix: uniquePrefix(area), autoMigrate: true, allowDestructive: true });
  orms.push(orm);
  await orm.createTables(Person);
  await orm.model(Person).batchPut(Array.from({ length: count }, (_, i) => ({ id: `p${String(i).padStart(3, '0')}`, name: `name ${i}` })));
  return orm;
};
afterAll(async () => {
  for (const orm of orms) await orm.dropTables().catch(() => undefined);
});
const names = async (orm: DynamORM): Promise<string[]> => (await orm.model(Person).scan()).map((p) => p.name).sort();

describe('schema.transform', () => {
  test('rewrites every item, reporting progress (done / estimated total, rate)', async () => {
    const orm = await setup('tx', 50);
    const progress: TransformProgress[] = [];
    await orm.migrate({
      migrations: [defineMigration({
        version: '1',
        async up(schema) {
          const result = await schema.transform(Person, (p) => ({ ...p, name: p.name!.toUpperCase() }), { pageSize: 10, segments: 2, onProgress: (e) => progress.push(e) });
          expect(result).toMatchObject({ done: 50, written: 50, unchanged: 0, conflicts: 0, estimatedTotal: 50 });
        },
      })],
    });
    expect(await names(orm)).toEqual(Array.from({ length: 50 }, (_, i) => `NAME ${i}`).sort());
    expect(progress.at(-1)).toMatchObject({ model: 'Person', done: 50, estimatedTotal: 50 });
    expect(progress.map((p) => p.done)).toEqual([...progress.map((p) => p.done)].sort((a, b) => a - b));
    expect(progress.every((p) => p.ratePerSecond >= 0 && p.elapsedMs >= 0)).toBe(true);
  });

  test('an application write meanwhile is not overwritten: the item is read again and rewritten from it', async () => {
    const orm = await setup('tx-race', 3);
    let interfered = false;
    let result: TransformProgress | undefined;
    await orm.migrate({
      migrations: [defineMigration({
        version: '1',
        async up(schema) {
          result = await schema.transform(Person, async (p) => {
            if (p.id === 'p001' && !interfered) {
              interfered = true;
              // The application renames p001 after the transform read it.
              await orm.model(Person).where('id', '=', 'p001').update({ name: 'renamed meanwhile' });
            }
            return { ...p, name: p.name!.toUpperCase() };
          });
        },
      })],
    });
    expect(result).toMatchObject({ written: 3, conflicts: 1 });
    expect(await names(orm)).toEqual(['NAME 0', 'NAME 2', 'RENAMED MEANWHILE']);
  });

  test('through injected throttles: nothing lost, nothing written twice', async () => {
    const orm = await setup('tx-throttle', 40);
    // Every third item's first update is throttled (by key, not by a request counter, which
    // concurrent workers in step could make hit the same item on every retry until it gives up).
    const seen = new Set<string>();
    let throttled = 0;
    orm.client!.middlewareStack.add((next, context) => async (args) => {
      const id = (args.input as { Key?: { id?: { S?: string } } }).Key?.id?.S;
      if (context.commandName === 'UpdateItemCommand' && id !== undefined && !seen.has(id) && seen.add(id) && Number(id.slice(1)) % 3 === 0) {
        throttled++;
        throw Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), { name: 'ProvisionedThroughputExceededException', $fault: 'client', $metadata: {} });
      }
      if (context.commandName === 'ScanCommand' && throttled === 1) {
        throttled++;
        throw Object.assign(new Error('Throughput exceeds the current capacity.'), { name: 'ThrottlingException', $fault: 'client', $metadata: {} });
      }
      return next(args);
    }, { step: 'deserialize' }); // inside the SDK's retry loop, as DynamoDB's throttles are
    let result: TransformProgress | undefined;
    await orm.migrate({ migrations: [defineMigration({ version: '1', up: async (s) => { result = await s.transform(Person, (p) => ({ ...p, name: `${p.name}!` }), { pageSize: 7 }); } })] });
    expect(throttled).toBeGreaterThan(10);
    expect(result).toMatchObject({ done: 40, written: 40, conflicts: 0 });
    // One "!" each: no item rewritten twice, none skipped.
    expect(await names(orm)).toEqual(Array.from({ length: 40 }, (_, i) => `name ${i}!`).sort());
  });

  test('a write throttled on every attempt is tried maxRetries + 1 times in all, then the transform fails', async () => {
    const orm = new DynamORM({ endpoint: endpoint(), tablePrefix: uniquePrefix('tx-give-up'), maxRetries: 2, retry: { baseDelayMs: 1, maxDelayMs: 2 } });
    orms.push(orm);
    await orm.createTables(Person);
    await orm.model(Person).create({ id: 'p1', name: 'one' });
    // In the deserialize step, inside the SDK's retry loop: each attempt sent is counted.
    let attempts = 0;
    orm.client!.middlewareStack.add((next, context) => async (args) => {
      if (context.commandName !== 'UpdateItemCommand') return next(args);
      attempts++;
      throw Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), { name: 'ProvisionedThroughputExceededException', $fault: 'client', $metadata: {} });
    }, { step: 'deserialize' });
    const error = await rejection(orm.migrate({ migrations: [defineMigration({ version: '1', up: async (s) => { await s.transform(Person, (p) => ({ ...p, name: 'x' })); } })] }));
    expect(error).toMatchObject({ code: 'migration.failed' });
    expect(attempts).toBe(3);
  });

  test('interrupted, it resumes from its checkpoint instead of starting over', async () => {
    const orm = await setup('tx-resume', 40);
    let calls = 0;
    let crash = true;
    const migration = defineMigration({
      version: '1',
      async up(schema) {
        await schema.transform(Person, (p) => {
          calls++;
          if (crash && calls === 25) throw new Error('process killed');
          return p.name!.endsWith('.') ? undefined : { ...p, name: `${p.name}.` };
        }, { pageSize: 10, segments: 1, concurrency: 1 });
      },
    });
    const error = await rejection(orm.migrate({ migrations: [migration] }));
    expect(error).toMatchObject({ code: 'migration.failed', message: expect.stringMatching(/process killed/) });
    crash = false;
    calls = 0;
    await orm.migrate({ migrations: [migration] });
    // Two pages were checkpointed: the run starts at the third page.
    expect(calls).toBe(20);
    expect(await names(orm)).toEqual(Array.from({ length: 40 }, (_, i) => `name ${i}.`).sort());
    // The checkpoint is gone once the migration is applied.
    const history = await storedItems(orm, { table: 'dynamorm_migrations' } as typeof Person);
    expect(history.map((i) => i.id!.S)).toEqual(['migration#1']);
  });
});

describe('backfill and rename', () => {
  test('backfill sets a new attribute where it is missing, computed or constant', async () => {
    const orm = await setup('tx-backfill', 5);
    const WithPlan = model('Person', { table: 'people', attributes: { id: t.string().pk(), name: t.string(), plan: t.enum(['free', 'pro']), email: t.string().optional() } });
    const next = new DynamORM({ endpoint: endpoint(), tablePrefix: orm.tableName(Person).slice(0, -'people'.length) });
    await next.model(WithPlan).put({ id: 'p000', name: 'name 0', plan: 'pro' });
    await next.migrate({ migrations: [defineMigration({ version: '1', up: (s) => s.backfill(WithPlan, 'plan', (p) => (p.id === 'p001' ? 'pro' : 'free')).then(() => undefined) })] });
    const plans = (await next.model(WithPlan).scan()).map((p) => `${p.id}:${p.plan}`).sort();
    expect(plans).toEqual(['p000:pro', 'p001:pro', 'p002:free', 'p003:free', 'p004:free']);
  });

  test('rename copies the stored attribute to the new one, then removes the old', async () => {
    const orm = await setup('tx-rename', 0);
    const table = orm.tableName(Person);
    for (let i = 0; i < 4; i++) {
      await rawClient().send(new PutItemCommand({ TableName: table, Item: { id: { S: `p${i}` }, name: { S: `n${i}` }, mail: { S: `p${i}@example.com` } } }));
    }
    let removed: TransformProgress | undefined;
    await orm.migrate({ migrations: [defineMigration({ version: '1', up: async (s) => { removed = (await s.renameAttribute(Person, 'mail', 'email')).removed; } })] });
    expect(removed).toMatchObject({ written: 4 });
    const stored = await storedItems(orm, Person);
    expect(stored.map((i) => [i.id!.S, i.email?.S, i.mail]).sort()).toEqual([0, 1, 2, 3].map((i) => [`p${i}`, `p${i}@example.com`, undefined]));
  });
});
