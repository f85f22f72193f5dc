/**
 * The README's screenshots of the Studio: `npm run screenshots --workspace dynamorm-studio`.
 * DynamoDB Local in memory, the examples' User model with seeded users and a few reads for the
 * metrics, the Studio on it, and Debian's chromium taking docs/images/studio-*.png.
 */
import { fileURLToPath } from 'node:url';
import { DynamORM, type InferInput } from 'dynamorm';
import { startLocalDynamo } from 'dynamorm/local';
import { User } from '../../../examples/models.js';
import { startStudio } from '../src/index.js';
import { launchChromium } from '../test/support/browser.js';

const out = (name: string): string => fileURLToPath(new URL(`../../../docs/images/studio-${name}.png`, import.meta.url));
const NAMES = ['Ada', 'John', 'Grace', 'Linus', 'Barbara', 'Ken'];

const local = await startLocalDynamo();
const orm = new DynamORM({ endpoint: local.endpoint, autoMigrate: true, enableMetrics: true, analytics: true, models: [User], logger: { warn: () => {} } });
const studio = await startStudio({ orm, models: [User] });
const browser = await launchChromium();
try {
  const users: InferInput<typeof User>[] = Array.from({ length: 60 }, (_, i) => ({
    id: `u${String(i + 1).padStart(2, '0')}`, createdAt: new Date(Date.UTC(2024, 4, 1 + i, 12)), email: `${NAMES[i % 6]!.toLowerCase()}${i}@example.com`,
    name: NAMES[i % 6]!, age: 18 + ((i * 7) % 50), ...(i % 4 === 0 ? { tags: new Set(['vip']) } : {}),
  }));
  await orm.model(User).batchPut(users);
  for (const name of NAMES) await orm.model(User).where('name', '=', name).where('age', '>', 30).all();
  await orm.model(User).where('age', '>', 60).all(); // a scan whose filter drops most: analytics advises an index
  await orm.model(User).index('gsi-email').where('email', '=', 'ada0@example.com').first();
  for (const u of users.slice(0, 8)) await orm.model(User).get({ id: u.id, createdAt: u.createdAt as Date });

  const page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
  await page.goto(studio.url);
  await page.locator('[data-table="users"] .stat').first().waitFor();
  await page.screenshot({ path: out('tables') });

  await page.evaluate(() => { location.hash = '#/model/User'; });
  await page.locator('table.items tbody tr').first().waitFor();
  await page.screenshot({ path: out('items') });

  await page.evaluate(() => { location.hash = '#/model/User/query'; });
  await page.locator('select[name="attribute"]').selectOption('name');
  await page.locator('input[name="value"]').fill('John');
  await page.getByRole('button', { name: '+ Condition' }).click();
  await page.locator('select[name="attribute"]').nth(1).selectOption('age');
  await page.locator('select[name="op"]').nth(1).selectOption('>');
  await page.locator('input[name="value"]').nth(1).fill('30');
  await page.getByRole('button', { name: 'Run' }).click();
  await page.getByTestId('plan-operation').waitFor();
  await page.screenshot({ path: out('query'), fullPage: true });

  await page.evaluate(() => { location.hash = `#/model/User/item/${encodeURIComponent(JSON.stringify({ id: 'u02', createdAt: '2024-05-02T12:00:00.000Z' }))}`; });
  await page.locator('input[name="age"]').fill('thirty');
  await page.locator('input[name="email"]').fill('');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.locator('[data-error-for="age"]:not(:empty)').waitFor();
  await page.screenshot({ path: out('item-edit') });

  await page.evaluate(() => { location.hash = '#/metrics'; });
  await page.locator('canvas').first().waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: out('metrics'), fullPage: true });

  await page.evaluate(() => { location.hash = '#/migrations'; });
  await page.getByRole('heading', { name: 'Migrations', exact: true }).waitFor();
  await page.screenshot({ path: out('migrations') });
  console.log('Wrote docs/images/studio-{tables,items,query,item-edit,metrics,migrations}.png');
} finally {
  await browser.close();
  await studio.close();
  await local.stop();
}
