// Plans on DynamoDB Local: the registered models against the live tables, steps safe or
// destructive, applied in order; the schema operations of migrations; autoMigrate runs the
// same planner's safe steps and logs the destructive ones.
import { CreateTableCommand, DescribeTableCommand, DescribeTimeToLiveCommand, type TableDescription } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, test } from 'vitest';
import { defineMigration, DynamORM, model, t, type ApplyProgress } from 'dynamorm';
import { endpoint, useOwnDynamo } from './support/dynamo.js';
import { rawClient, recordCommands, rejection, uniquePrefix } from './support/inspect.js';

const attributes = { id: t.string().pk(), email: t.string(), team: t.string(), expiresAt: t.ttl().optional() };
const V1 = model('Member', { table: 'members', attributes: { id: t.string().pk(), email: t.string().index('byEmail'), team: t.string() } });
// The next version of the model: a new index and TTL, one index less.
const V2 = model('Member', { table: 'members', attributes: { ...attributes, team: t.string().index('byTeam') } });

useOwnDynamo();
const describeTable = async (name: string): Promise<TableDescription> => (await rawClient().send(new DescribeTableCommand({ TableName: name }))).Table!;
const orms: DynamORM[] = [];
const ormWith = (prefix: string, config: ConstructorParameters<typeof DynamORM>[0] = {}): DynamORM => {
  const orm = new DynamORM({ endpoint: endpoint(), tablePrefix: prefix, allowDestructive: true, ...config });
  orms.push(orm);
  return orm;
};
afterAll(async () => {
  for (const orm of orms) await orm.dropTables().catch(() => undefined);
}, 120_000);
// Index creation and removal wait for DynamoDB Local's ACTIVE states, which take several
// seconds on a machine busy with the rest of the suite: more than the suite's 30 s default.
const SLOW = { timeout: 120_000 };

describe('plan and apply', SLOW, () => {
  const prefix = uniquePrefix('plan');

  test('a missing table: one safe createTable step; applied, the next plan is empty', async () => {
    const orm = ormWith(prefix, { models: [V1], billingMode: 'PAY_PER_REQUEST' });
    const plan = await orm.schema.plan();
    expect(plan.steps.map((s) => [s.kind, s.destructive])).toEqual([['createTable', false]]);
    expect(plan.steps[0]!.description).toMatch(/create table .*members \(id HASH, indexes byEmail\)/);
    expect(plan.steps[0]!.requests[0]).toMatchObject({ operation: 'CreateTable', input: { BillingMode: 'PAY_PER_REQUEST' } });
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan); // plain data
    const progress: ApplyProgress[] = [];
    await orm.schema.apply(plan, { onProgress: (p) => progress.push(p) });
    expect(progress.map((p) => [p.index, p.total, p.done])).toEqual([[0, 1, false], [0, 1, true]]);
    expect((await orm.schema.plan()).upToDate).toBe(true);
    expect((await orm.schema.check()).ok).toBe(true);
  });

  test('the next model version: check reports each difference; the plan adds an index and TTL (safe) and removes one (destructive)', async () => {
    const orm = ormWith(prefix, { models: [V2] });
    const check = await orm.schema.check();
    expect(check.ok).toBe(false);
    expect(check.models).toHaveLength(1);
    expect(check.models[0]!.model).toBe('Member');
    expect(check.models[0]!.differences).toEqual([
      expect.stringMatching(/^add index byTeam \(team HASH S; ALL\)/),
      expect.stringMatching(/^remove index byEmail .*no model of it \(Member\) declares it/),
      expect.stringMatching(/^expire items of .*members by expiresAt/),
    ]);
    const plan = await orm.schema.plan();
    expect(plan.steps.map((s) => [s.kind, s.destructive])).toEqual([['addIndex', false], ['removeIndex', true], ['enableTtl', false]]);
    expect(plan.destructive).toBe(true);
  });

  test('a destructive step without allowDestructive: refused before any request', async () => {
    const orm = ormWith(prefix, { models: [V2] });
    const plan = await orm.schema.plan();
    const sent = recordCommands(orm.client);
    const error = await rejection(orm.schema.apply(plan));
    expect(error).toMatchObject({ code: 'schema.destructiveRefused', message: expect.stringMatching(/1 destructive step\(s\): remove index byEmail/) });
    expect(sent).toEqual([]);
  });

  test('with allowDestructive the steps run in order, each index ACTIVE before the next', async () => {
    const orm = ormWith(prefix, { models: [V2] });
    await orm.schema.apply(await orm.schema.plan(), { allowDestructive: true });
    const table = await describeTable(orm.tableName(V2));
    expect(table.GlobalSecondaryIndexes?.map((i) => [i.IndexName, i.IndexStatus])).toEqual([['byTeam', 'ACTIVE']]);
    const ttl = await rawClient().send(new DescribeTimeToLiveCommand({ TableName: orm.tableName(V2) }));
    expect(ttl.TimeToLiveDescription).toMatchObject({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
    expect((await orm.schema.check()).ok).toBe(true);
  });

  test('table settings: billing, stream and deletion protection are planned when asked', async () => {
    const orm = ormWith(prefix, { models: [V2] });
    const plan = await orm.schema.plan({ billingMode: 'PROVISIONED', capacity: { read: 3, write: 2 }, stream: 'KEYS_ONLY', deletionProtection: false });
    expect(plan.steps.map((s) => [s.kind, s.destructive])).toEqual([['updateBilling', false], ['updateStream', false]]);
    await orm.schema.apply(plan);
    const table = await describeTable(orm.tableName(V2));
    expect(table.BillingModeSummary?.BillingMode ?? 'PROVISIONED').toBe('PROVISIONED');
    expect(table.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 3, WriteCapacityUnits: 2 });
    expect(table.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'KEYS_ONLY' });
    // Turning a stream off loses its records to readers: destructive.
    const off = await orm.schema.plan({ stream: false });
    expect(off.steps.map((s) => [s.kind, s.destructive])).toEqual([['updateStream', true]]);
  });

  test('a changed key: one destructive recreateTable step naming both keys', async () => {
    const Rekeyed = model('Member', { table: 'members', attributes: { team: t.string().pk(), id: t.string().sk(), email: t.string() } });
    const orm = ormWith(prefix, { models: [Rekeyed] });
    const plan = await orm.schema.plan();
    expect(plan.steps[0]).toMatchObject({ kind: 'recreateTable', destructive: true, description: expect.stringMatching(/its key is \(id HASH S\) but the models key it \(team HASH S, id RANGE S\)/) });
  });
});

describe('autoMigrate uses the planner: safe steps run, destructive ones are logged', SLOW, () => {
  test('an extra index is logged, not removed; a missing one is added', async () => {
    const prefix = uniquePrefix('plan-auto');
    const warnings: string[] = [];
    await rawClient().send(new CreateTableCommand({
      TableName: `${prefix}members`, BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }, { AttributeName: 'email', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [{ IndexName: 'byEmail', KeySchema: [{ AttributeName: 'email', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
    }));
    const orm = ormWith(prefix, { autoMigrate: true, logger: { warn: (m) => warnings.push(m) } });
    await orm.model(V2).create({ id: 'm1', email: 'a@b.c', team: 'red' });
    const table = await describeTable(orm.tableName(V2));
    expect(table.GlobalSecondaryIndexes?.map((i) => i.IndexName).sort()).toEqual(['byEmail', 'byTeam']);
    expect(warnings).toEqual([expect.stringMatching(/autoMigrate leaves out a destructive step: remove index byEmail/)]);
    expect(await orm.model(V2).index('byTeam').where('team', '=', 'red').all()).toHaveLength(1);
  });
});

describe('schema operations of migrations', SLOW, () => {
  test('addIndex waits until it is backfilled, removeIndex until it is gone, updateTable and enableTtl', async () => {
    const prefix = uniquePrefix('plan-ops');
    const orm = ormWith(prefix);
    const m1 = defineMigration({ version: '1', up: (s) => s.createTable(V1, { billingMode: 'PAY_PER_REQUEST', ttl: false }) });
    await orm.migrate({ migrations: [m1] });
    await orm.model(V1).create({ id: 'm1', email: 'a@b.c', team: 'red' });
    const m2 = defineMigration({
      version: '2',
      async up(schema) {
        await schema.addIndex(V2, 'byTeam');
        await schema.removeIndex(V2, 'byEmail');
        await schema.enableTtl(V2);
        await schema.updateTable(V2, { stream: 'NEW_IMAGE' });
      },
      async down(schema) {
        await schema.updateTable(V2, { stream: false });
        await schema.removeIndex(V2, 'byTeam');
      },
    });
    const other = new DynamORM({ endpoint: endpoint(), tablePrefix: prefix, models: [V2] });
    await other.migrate({ migrations: [m1, m2] });
    const table = await describeTable(orm.tableName(V2));
    expect(table.GlobalSecondaryIndexes?.map((i) => [i.IndexName, i.IndexStatus, i.Backfilling ?? false])).toEqual([['byTeam', 'ACTIVE', false]]);
    expect(table.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_IMAGE' });
    expect((await rawClient().send(new DescribeTimeToLiveCommand({ TableName: orm.tableName(V2) }))).TimeToLiveDescription?.AttributeName).toBe('expiresAt');
    expect(await other.model(V2).index('byTeam').where('team', '=', 'red').all()).toEqual([expect.objectContaining({ id: 'm1' })]);
    await other.migrate({ migrations: [m1, m2], to: '1' });
    expect((await describeTable(orm.tableName(V2))).GlobalSecondaryIndexes ?? []).toEqual([]);
  });

  test('addIndex of an index the model does not declare, or of a local index: a clear error', async () => {
    const orm = ormWith(uniquePrefix('plan-bad'));
    const error = await rejection(orm.migrate({ migrations: [defineMigration({ version: '1', up: (s) => s.addIndex(V1, 'nope' as 'byEmail') })] }));
    expect(error).toMatchObject({ code: 'migration.failed', message: expect.stringMatching(/declares no index nope \(declared: byEmail\)/) });
  });
});
