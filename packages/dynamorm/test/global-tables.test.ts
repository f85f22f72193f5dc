// Global tables: autoMigrate / createTables add the replicas a table lacks. DynamoDB Local has no
// replicas, so the exact requests are checked on a driver that plays DynamoDB's table states.
import type { ReplicaDescription, TableDescription } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamORM, model, t, type Driver, type Operation } from 'dynamorm';

const Account = model('Account', { table: 'accounts', attributes: { id: t.string().pk(), balance: t.number() } });

/** A table as DynamoDB would report it while replicas are created: each new replica CREATING on its first description. */
function tableDriver(initial: { exists: boolean; replicas: string[] }): Driver & { sent: { operation: Operation; input: unknown }[]; replicas: ReplicaDescription[]; allActiveAtUpdate: boolean[] } {
  let exists = initial.exists;
  const replicas: ReplicaDescription[] = initial.replicas.map((r) => ({ RegionName: r, ReplicaStatus: 'ACTIVE' }));
  const sent: { operation: Operation; input: unknown }[] = [];
  const allActiveAtUpdate: boolean[] = [];
  return {
    sent,
    replicas,
    allActiveAtUpdate,
    async send(operation, input) {
      sent.push({ operation, input });
      const table = (): TableDescription => ({
        TableName: 'accounts', TableStatus: 'ACTIVE', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
        Replicas: replicas.map((r) => ({ ...r })),
      });
      switch (operation) {
        case 'DescribeTable': {
          if (!exists) throw Object.assign(new Error('not found'), { name: 'ResourceNotFoundException' });
          const description = table();
          for (const r of replicas) r.ReplicaStatus = 'ACTIVE';
          return { Table: description } as never;
        }
        case 'DescribeTimeToLive':
          return { TimeToLiveDescription: { TimeToLiveStatus: 'DISABLED' } } as never;
        case 'CreateTable':
          exists = true;
          return {} as never;
        case 'UpdateTable': {
          const region = (input as { ReplicaUpdates?: { Create?: { RegionName?: string } }[] }).ReplicaUpdates?.[0]?.Create?.RegionName;
          allActiveAtUpdate.push(replicas.every((r) => r.ReplicaStatus === 'ACTIVE'));
          if (region !== undefined) replicas.push({ RegionName: region, ReplicaStatus: 'CREATING' });
          return {} as never;
        }
        default:
          throw new Error(`unexpected ${operation}`);
      }
    },
  };
}

const updates = (sent: readonly { operation: Operation; input: unknown }[]): unknown[] => sent.filter((s) => s.operation === 'UpdateTable').map((s) => s.input);

describe('replicas', () => {
  it('creates the table, then adds each replica with its own UpdateTable, waiting for ACTIVE in between', async () => {
    const driver = tableDriver({ exists: false, replicas: [] });
    const orm = new DynamORM({ driver, replicas: ['eu-west-1', 'ap-southeast-2'], billingMode: 'PAY_PER_REQUEST' });
    await orm.createTables(Account);
    expect(updates(driver.sent)).toEqual([
      { TableName: 'accounts', ReplicaUpdates: [{ Create: { RegionName: 'eu-west-1' } }] },
      { TableName: 'accounts', ReplicaUpdates: [{ Create: { RegionName: 'ap-southeast-2' } }] },
    ]);
    // Each replica was ACTIVE before the next was asked for, and the last one when createTables resolved.
    expect(driver.allActiveAtUpdate).toEqual([true, true]);
    expect(driver.replicas.map((r) => [r.RegionName, r.ReplicaStatus])).toEqual([['eu-west-1', 'ACTIVE'], ['ap-southeast-2', 'ACTIVE']]);
  });

  it('adds only the replicas the table lacks, and removes none', async () => {
    const driver = tableDriver({ exists: true, replicas: ['eu-west-1', 'us-west-2'] });
    await new DynamORM({ driver, replicas: ['eu-west-1', 'ap-southeast-2'], autoMigrate: true }).createTables(Account);
    expect(updates(driver.sent)).toEqual([{ TableName: 'accounts', ReplicaUpdates: [{ Create: { RegionName: 'ap-southeast-2' } }] }]);
  });

  it('plans the replicas a table lacks as steps of orm.schema.plan', async () => {
    const driver = tableDriver({ exists: true, replicas: ['eu-west-1'] });
    const orm = new DynamORM({ driver, models: [Account], billingMode: 'PAY_PER_REQUEST' });
    const plan = await orm.schema.plan({ replicas: ['eu-west-1', 'ap-southeast-2'] });
    expect(plan.steps.map((s) => [s.kind, s.destructive, s.requests])).toEqual([
      ['addReplica', false, [{ operation: 'UpdateTable', input: { TableName: 'accounts', ReplicaUpdates: [{ Create: { RegionName: 'ap-southeast-2' } }] } }]],
    ]);
  });

  it('sends no replica update without replicas, or when all exist', async () => {
    const none = tableDriver({ exists: true, replicas: [] });
    await new DynamORM({ driver: none }).createTables(Account);
    const all = tableDriver({ exists: true, replicas: ['eu-west-1'] });
    await new DynamORM({ driver: all, replicas: ['eu-west-1'] }).createTables(Account);
    expect([updates(none.sent), updates(all.sent)]).toEqual([[], []]);
  });
});
