/**
 * Read cost of limited reads on a single-table partition: the consumed capacity (RCU), the items
 * DynamoDB reads (ScannedCount), the requests and the time of DynamoDB's `first()` and
 * `limit(n).page()` next to the raw SDK's hand-written `Limit` query, on a partition of one
 * customer and its orders (composed keys and a discriminator), and on the same with a TTL
 * attribute (whose hiding is a filter). A full read of the partition is what such a read cost
 * when a filter turned DynamoDB's Limit off.
 */
import { QueryCommand, type DynamoDBClient, type QueryCommandInput } from '@aws-sdk/client-dynamodb';
import { performance } from 'node:perf_hooks';
// The built package, as users run it (like the DynamORM contender).
import { DynamORM, model, t } from '../packages/dynamorm/dist/index.js';
import { makeClient } from './lib/setup.js';
import type { Check } from './verify.js';

export interface CostSizes {
  readonly orders: number;
  readonly rounds: number;
}
export const FULL_COST: CostSizes = { orders: 3000, rounds: 15 };
export const QUICK_COST: CostSizes = { orders: 200, rounds: 2 };

/** What one read consumed. */
export interface ReadCost {
  readonly rcu: number;
  readonly itemsRead: number;
  readonly requests: number;
  readonly returned: number;
  /** Wall time of each round. */
  readonly ms: number[];
}

export interface CostRow {
  readonly variant: string;
  readonly read: string;
  readonly dynamorm: ReadCost;
  readonly raw: ReadCost;
}

export interface CostResult {
  readonly orders: number;
  /** RCU of one read of the whole partition, per variant: what these reads cost while Limit was not sent. */
  readonly full: Record<string, number>;
  readonly rows: CostRow[];
}

const orderAttributes = {
  customerId: t.string(),
  orderId: t.string(),
  placedAt: t.date(),
  status: t.enum(['open', 'paid', 'shipped']),
  total: t.number(),
  address: t.string(),
};
const models = (table: string) => {
  const keys = { pk: 'CUSTOMER#{customerId}', sk: 'ORDER#{orderId}' } as const;
  return {
    Customer: model('Customer', { table, keys: { pk: 'CUSTOMER#{customerId}', sk: 'PROFILE' }, attributes: { customerId: t.string(), name: t.string() } }),
    Order: model('Order', { table, keys, attributes: orderAttributes }),
    Ttl: model('OrderTtl', { table: `${table}_ttl`, entity: 'Order', keys, attributes: { ...orderAttributes, expiresAt: t.ttl() } }),
  };
};

const ADDRESS = '221B Baker Street, Marylebone, London NW1 6XE, United Kingdom. Ring twice; leave parcels with the landlady.';
const orderId = (i: number): string => `o${String(i).padStart(5, '0')}`;

/** Sums the capacity, ScannedCount and requests of the Query requests sent through `client`. */
function meter(client: DynamoDBClient): { take: () => Omit<ReadCost, 'ms' | 'returned'> } {
  let rcu = 0;
  let itemsRead = 0;
  let requests = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'QueryCommand') return next(args);
      const out = await next({ ...args, input: { ...(args.input as object), ReturnConsumedCapacity: 'TOTAL' } });
      const o = out.output as { ConsumedCapacity?: { CapacityUnits?: number }; ScannedCount?: number };
      rcu += o.ConsumedCapacity?.CapacityUnits ?? 0;
      itemsRead += o.ScannedCount ?? 0;
      requests++;
      return out;
    },
    { step: 'initialize', name: 'benchCostMeter' },
  );
  return {
    take: () => {
      const taken = { rcu, itemsRead, requests };
      rcu = itemsRead = requests = 0;
      return taken;
    },
  };
}

export async function runCost(endpoint: string, sizes: CostSizes, log: (s: string) => void): Promise<{ result: CostResult; checks: Check[] }> {
  const client = makeClient(endpoint);
  const meterOf = meter(client);
  const orm = new DynamORM({ client, tablePrefix: `bench_cost_${Date.now().toString(36)}_` });
  const { Customer, Order, Ttl } = models('shop');
  const checks: Check[] = [];
  try {
    await orm.createTables(Customer, Ttl);
    const future = Math.floor(Date.now() / 1000) + 86_400 * 30;
    const orders = Array.from({ length: sizes.orders }, (_, i) => ({
      customerId: 'c1', orderId: orderId(i), placedAt: new Date(Date.UTC(2024, 0, 1) + i * 3_600_000), status: (['open', 'paid', 'shipped'] as const)[i % 3]!, total: (i % 97) * 10 + 0.5, address: ADDRESS,
    }));
    await orm.model(Customer).put({ customerId: 'c1', name: 'Ann' });
    await orm.model(Order).batchPut(orders);
    await orm.model(Ttl).batchPut(orders.map((o) => ({ ...o, expiresAt: future })));

    const variants = [
      { name: 'single-table', model: Order, table: orm.tableName(Order), ttl: false },
      { name: 'single-table + TTL', model: Ttl, table: orm.tableName(Ttl), ttl: true },
    ] as const;
    const full: Record<string, number> = {};
    const rows: CostRow[] = [];
    for (const v of variants) {
      // The hand-written query: the key condition, the Limit, and for TTL items the filter a careful user writes.
      const raw = (limit: number | undefined): QueryCommandInput => ({
        TableName: v.table,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
        ExpressionAttributeValues: { ':pk': { S: 'CUSTOMER#c1' }, ':sk': { S: 'ORDER#' }, ...(v.ttl ? { ':now': { N: String(Math.floor(Date.now() / 1000)) } } : {}) },
        ...(v.ttl ? { FilterExpression: 'attribute_not_exists(expiresAt) OR expiresAt > :now' } : {}),
        ...(limit === undefined ? {} : { Limit: limit }),
      });
      let start: Record<string, unknown> | undefined;
      meterOf.take();
      do {
        const out = await client.send(new QueryCommand({ ...raw(undefined), ...(start === undefined ? {} : { ExclusiveStartKey: start as QueryCommandInput['ExclusiveStartKey'] }) }));
        start = out.LastEvaluatedKey;
      } while (start !== undefined);
      full[v.name] = meterOf.take().rcu;

      const reads: { read: string; limit: number; run: () => Promise<{ orderId: string }[]> }[] = [
        { read: 'first()', limit: 1, run: async () => [await orm.model(v.model).where('customerId', '=', 'c1').first()] },
        { read: 'limit(5).page()', limit: 5, run: async () => (await orm.model(v.model).where('customerId', '=', 'c1').limit(5).page()).items },
        { read: 'limit(50).page()', limit: 50, run: async () => (await orm.model(v.model).where('customerId', '=', 'c1').limit(50).page()).items },
      ];
      for (const r of reads) {
        const runRaw = async (): Promise<{ orderId: string }[]> => {
          const out = await client.send(new QueryCommand(raw(r.limit)));
          return (out.Items ?? []).map((i) => ({ orderId: i.orderId!.S! }));
        };
        const sides = { dynamorm: r.run, raw: runRaw };
        const measured: Record<'dynamorm' | 'raw', { cost: Omit<ReadCost, 'ms' | 'returned'>; returned: string[]; ms: number[] }> = {
          dynamorm: { cost: { rcu: 0, itemsRead: 0, requests: 0 }, returned: [], ms: [] },
          raw: { cost: { rcu: 0, itemsRead: 0, requests: 0 }, returned: [], ms: [] },
        };
        // One warm-up each, then rounds in alternating order; capacity is that of one read (every round reads the same).
        for (let round = -1; round < sizes.rounds; round++) {
          for (const side of round % 2 === 0 ? (['dynamorm', 'raw'] as const) : (['raw', 'dynamorm'] as const)) {
            meterOf.take();
            const t0 = performance.now();
            const items = await sides[side]();
            const ms = performance.now() - t0;
            const cost = meterOf.take();
            if (round < 0) continue;
            measured[side].ms.push(ms);
            measured[side].cost = cost;
            measured[side].returned = items.map((i) => i.orderId);
          }
        }
        const want = orders.slice(0, r.limit).map((o) => o.orderId);
        const problems = [
          ...(JSON.stringify(measured.dynamorm.returned) === JSON.stringify(want) ? [] : [`DynamORM returned ${measured.dynamorm.returned.slice(0, 5).join(', ')}…, expected ${want.slice(0, 5).join(', ')}…`]),
          ...(JSON.stringify(measured.raw.returned) === JSON.stringify(want) ? [] : [`the raw query returned ${measured.raw.returned.length} items, expected ${want.length}`]),
        ];
        checks.push({ contender: 'dynamorm', check: `read cost: ${v.name} ${r.read} returns the partition's first ${r.limit}`, ok: problems.length === 0, details: problems });
        const row: CostRow = {
          variant: v.name,
          read: r.read,
          dynamorm: { ...measured.dynamorm.cost, returned: measured.dynamorm.returned.length, ms: measured.dynamorm.ms },
          raw: { ...measured.raw.cost, returned: measured.raw.returned.length, ms: measured.raw.ms },
        };
        rows.push(row);
        log(`   ${v.name} ${r.read}: DynamORM ${row.dynamorm.rcu} RCU / ${row.dynamorm.itemsRead} items read, raw SDK ${row.raw.rcu} RCU / ${row.raw.itemsRead} (full partition ${full[v.name]} RCU)`);
      }
    }
    return { result: { orders: sizes.orders, full, rows }, checks };
  } finally {
    // DynamoDB Local runs in memory and stops after the run: the tables go with it.
    client.destroy();
  }
}

