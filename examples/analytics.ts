/**
 * Query analytics on DynamoDB Local: `npx tsx examples/analytics.ts` prints the report of a small
 * workload (the README shows its output): queries by customer, and a query by status that the
 * planner can only run as a Scan, for which the report names the index to add.
 */
import { DynamORM, model, t } from 'dynamorm';
import { startLocalDynamo } from 'dynamorm/local';
import { fileURLToPath } from 'node:url';

const Order = model('Order', {
  table: 'orders',
  attributes: {
    id: t.string().pk(),
    customer: t.string().index('gsi-customer', 'pk'),
    placedAt: t.date().index('gsi-customer', 'sk'),
    status: t.enum(['open', 'shipped']),
    total: t.number(),
  },
});

/** Runs the workload on `endpoint` and returns the Markdown report. */
export async function analyticsExample(endpoint: string, tablePrefix = ''): Promise<string> {
  const orm = new DynamORM({ endpoint, tablePrefix, autoMigrate: true, analytics: true, warnings: false });
  await orm.model(Order).batchPut(Array.from({ length: 200 }, (_, n) => ({
    id: `o${n}`, customer: `c${n % 10}`, placedAt: new Date(Date.UTC(2026, 0, 1 + (n % 28))), status: n % 25 === 0 ? 'open' as const : 'shipped' as const, total: n,
  })));
  orm.analytics().reset(); // report the reads only
  for (let n = 0; n < 20; n++) await orm.model(Order).where('customer', '=', `c${n % 10}`).where('placedAt', '>=', new Date('2026-01-15')).all();
  for (let n = 0; n < 10; n++) await orm.model(Order).where('status', '=', 'open').all();
  return orm.analytics().toMarkdown();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const local = await startLocalDynamo();
  try {
    console.log(await analyticsExample(local.endpoint));
  } finally {
    await local.stop();
  }
}
