// Global tables: createTables / autoMigrate and schema plans add the replicas a table lacks.
// DynamoDB Local has no replicas, so the exact requests are checked on the mock of
// dynamorm/testing, whose tables report a new replica CREATING, then ACTIVE, as DynamoDB does.
import { describe, expect, it } from 'vitest';
import { model, t } from 'dynamorm';
import { createMock, type Mock } from 'dynamorm/testing';

const Account = model('Account', { table: 'accounts', attributes: { id: t.string().pk(), balance: t.number() } });

const requests = (mock: Mock): [string, unknown][] => mock.calls.map((c) => [c.operation, c.request]);
const describeAccounts = ['DescribeTable', { TableName: 'accounts' }] as const;
const addReplica = (region: string): [string, unknown] => ['UpdateTable', { TableName: 'accounts', ReplicaUpdates: [{ Create: { RegionName: region } }] }];

describe('replicas', () => {
  it('creates the table, then adds each replica with its own UpdateTable, waiting for ACTIVE in between', async () => {
    const mock = createMock({ replicas: ['eu-west-1', 'ap-southeast-2'], billingMode: 'PAY_PER_REQUEST' });
    await mock.orm.createTables(Account);
    const create = requests(mock).find(([op]) => op === 'CreateTable')!;
    expect(create[1]).toMatchObject({ TableName: 'accounts', BillingMode: 'PAY_PER_REQUEST' });
    // After each UpdateTable, DescribeTable until the replica is ACTIVE (CREATING the first time),
    // and once more for the replicas still lacking, before the next.
    expect(requests(mock)).toEqual([
      describeAccounts, describeAccounts, create, describeAccounts, describeAccounts,
      addReplica('eu-west-1'), describeAccounts, describeAccounts, describeAccounts,
      addReplica('ap-southeast-2'), describeAccounts, describeAccounts,
    ]);
    mock.verify();
  });

  it('adds only the replicas the table lacks, and removes none', async () => {
    const mock = createMock({ replicas: ['eu-west-1', 'ap-southeast-2'] });
    mock.table(Account, { replicas: ['eu-west-1', 'us-west-2'] });
    await mock.orm.createTables(Account);
    expect(requests(mock).filter(([op]) => op !== 'DescribeTable' && op !== 'DescribeTimeToLive')).toEqual([addReplica('ap-southeast-2')]);
  });

  it('plans the replicas a table lacks as steps of orm.schema.plan, and applies them', async () => {
    const mock = createMock({ models: [Account], billingMode: 'PAY_PER_REQUEST' });
    mock.table(Account, { replicas: ['eu-west-1'] });
    const plan = await mock.orm.schema.plan({ replicas: ['eu-west-1', 'ap-southeast-2'] });
    expect(plan.steps.map((s) => [s.kind, s.destructive, s.requests])).toEqual([
      ['addReplica', false, [{ operation: 'UpdateTable', input: { TableName: 'accounts', ReplicaUpdates: [{ Create: { RegionName: 'ap-southeast-2' } }] } }]],
    ]);
    const before = mock.calls.length;
    await mock.orm.schema.apply(plan);
    expect(requests(mock).slice(before).filter(([op]) => op === 'UpdateTable')).toEqual([addReplica('ap-southeast-2')]);
    expect((await mock.orm.schema.plan({ replicas: ['eu-west-1', 'ap-southeast-2'] })).steps).toEqual([]);
  });

  it('sends no replica update without replicas, or when all exist', async () => {
    const none = createMock();
    none.table(Account);
    await none.orm.createTables(Account);
    const all = createMock({ replicas: ['eu-west-1'] });
    all.table(Account, { replicas: ['eu-west-1'] });
    await all.orm.createTables(Account);
    expect([none, all].map((m) => requests(m).filter(([op]) => op === 'UpdateTable'))).toEqual([[], []]);
  });

  it('a table the mock does not hold is not found, as DynamoDB says it; one declared twice is refused', async () => {
    const mock = createMock({ models: [Account] });
    const plan = await mock.orm.schema.plan();
    expect(plan.steps.map((s) => s.kind)).toEqual(['createTable']);
    mock.table(Account);
    expect(() => mock.table(Account)).toThrow('Table already exists: accounts');
  });
});
