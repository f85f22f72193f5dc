import { DescribeTableCommand, DescribeTimeToLiveCommand, ListTablesCommand, ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describeModel } from 'dynamorm';
import type { Route, StudioContext } from '../context.js';
import { StudioHttpError } from '../http-error.js';
import { toJson } from '../values.js';

function clientOf(ctx: StudioContext): DynamoDBClient {
  if (ctx.orm.client === undefined) throw new StudioHttpError(501, 'client.missing', 'This ORM runs on a custom driver, not a DynamoDB client: the studio cannot describe or scan tables directly.');
  return ctx.orm.client;
}

/** Every table name of the account (ListTables, all pages). */
async function listTables(client: DynamoDBClient): Promise<string[]> {
  const names: string[] = [];
  let start: string | undefined;
  do {
    const out = await client.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
    names.push(...(out.TableNames ?? []));
    start = out.LastEvaluatedTableName;
  } while (start !== undefined);
  return names;
}

const RAW_PAGE = 25;

export const tableRoutes: readonly Route[] = [
  {
    // The models' tables and the account's others: DescribeTable and DescribeTimeToLive of each.
    method: 'GET', path: '/api/tables', write: false,
    handle: async (ctx) => {
      const client = clientOf(ctx);
      const byTable = new Map<string, string[]>();
      for (const model of ctx.models.values()) {
        const table = ctx.orm.tableName(model);
        byTable.set(table, [...(byTable.get(table) ?? []), model.name]);
      }
      for (const name of await listTables(client)) if (!byTable.has(name)) byTable.set(name, []);
      const tables = await Promise.all([...byTable].map(async ([name, models]) => {
        try {
          const [described, ttl] = await Promise.all([
            client.send(new DescribeTableCommand({ TableName: name })),
            client.send(new DescribeTimeToLiveCommand({ TableName: name })),
          ]);
          return { name, models, exists: true, table: toJson(described.Table), ttl: toJson(ttl.TimeToLiveDescription) };
        } catch (error) {
          if ((error as { name?: string }).name === 'ResourceNotFoundException') return { name, models, exists: false };
          throw error;
        }
      }));
      return { body: { tables } };
    },
  },
  {
    // A raw page of a table: the items as stored (DynamoDB JSON), whatever model they fit.
    method: 'POST', path: '/api/tables/:table/scan', write: false,
    handle: async (ctx, req) => {
      const client = clientOf(ctx);
      const cursor = req.body.cursor;
      let start: Record<string, AttributeValue> | undefined;
      if (typeof cursor === 'string' && cursor !== '') {
        try {
          start = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, AttributeValue>;
        } catch {
          throw new StudioHttpError(400, 'cursor.invalid', 'This cursor is not one the raw table view gave: start again from the first page.');
        }
      }
      const out = await client.send(new ScanCommand({ TableName: req.params.table, Limit: RAW_PAGE, ExclusiveStartKey: start, ReturnConsumedCapacity: 'TOTAL' }));
      const next = out.LastEvaluatedKey === undefined ? null : Buffer.from(JSON.stringify(out.LastEvaluatedKey)).toString('base64url');
      return { body: { items: toJson(out.Items ?? []), cursor: next, cost: { rcu: out.ConsumedCapacity?.CapacityUnits ?? 0, itemsRead: out.ScannedCount ?? 0, itemsReturned: out.Count ?? 0 } } };
    },
  },
  {
    method: 'GET', path: '/api/session', write: false,
    handle: async (ctx) => ({
      body: {
        readOnly: ctx.readOnly,
        migrations: ctx.migrations !== undefined,
        models: [...ctx.models.values()].map((m) => ({ ...describeModel(m), tableName: ctx.orm.tableName(m) })),
      },
    }),
  },
];
