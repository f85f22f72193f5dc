// The migration example of the README's "Schema lifecycle" section, run exactly as written: its
// code block is read from README.md, wrapped in a function with the README's User model and an
// ORM on DynamoDB Local, and run: the table is created with on-demand billing and a stream of new
// and old images, then `to: null` drops it again.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { DescribeTableCommand, type TableDescription } from '@aws-sdk/client-dynamodb';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from 'vitest';
import { DynamORM, type MigrationStatus } from 'dynamorm';
import { User } from './fixtures/user-model.js';
import { endpoint } from './support/dynamo.js';
import { rawClient, uniquePrefix } from './support/inspect.js';

const README = fileURLToPath(new URL('../../../README.md', import.meta.url));
const GENERATED = fileURLToPath(new URL('./.generated/', import.meta.url));

/** The first ts block after the "### Schema lifecycle" heading. */
function migrationBlock(): string {
  const text = readFileSync(README, 'utf8');
  const section = text.slice(text.indexOf('### Schema lifecycle'));
  const match = /```ts\n([\s\S]*?)```/.exec(section);
  if (match === null) throw new Error('README.md: no ts block in "### Schema lifecycle"');
  return match[1]!;
}

const orm = new DynamORM({ endpoint: endpoint(), tablePrefix: uniquePrefix('readme_migration'), allowDestructive: true });
afterAll(async () => {
  await orm.dropTables(User).catch(() => undefined);
});

const describeTable = async (): Promise<TableDescription | undefined> =>
  (await rawClient().send(new DescribeTableCommand({ TableName: orm.tableName(User) })).catch(() => undefined))?.Table;

test('the README migration example runs as written: a PAY_PER_REQUEST table with a NEW_AND_OLD_IMAGES stream, dropped by down', { timeout: 120_000 }, async () => {
  const block = migrationBlock();
  expect(block).toContain("await schema.createTable(User, { billingMode: 'PAY_PER_REQUEST', stream: 'NEW_AND_OLD_IMAGES' });");
  expect(block).toContain('async down(schema) { await schema.dropTable(User); },');
  // The imports stay at the top of the module; the rest becomes the body of a function, its
  // `export const` a local const. Between the two migrate calls it checks the table.
  const imports = block.split('\n').filter((l) => l.startsWith('import '));
  const body = block.split('\n').filter((l) => !l.startsWith('import ')).join('\n')
    .replace('export const m1', 'const m1')
    .replace('await orm.migrate({ migrations: [m1], to: null });', 'await afterUp();\nawait orm.migrate({ migrations: [m1], to: null });');
  expect(body).toContain('await afterUp();');
  mkdirSync(GENERATED, { recursive: true });
  const file = `${GENERATED}readme-migration.ts`;
  writeFileSync(file, [
    ...imports,
    "import type { DynamORM } from 'dynamorm';",
    "import { User } from '../fixtures/user-model.js';",
    'export async function run(orm: DynamORM, afterUp: () => Promise<void>) {',
    body,
    '  return status;',
    '}',
  ].join('\n'));
  const { run } = (await import(/* @vite-ignore */ file)) as { run: (orm: DynamORM, afterUp: () => Promise<void>) => Promise<MigrationStatus> };

  let created: TableDescription | undefined;
  const status = await run(orm, async () => {
    created = await describeTable();
  });
  expect(created?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
  expect(created?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
  expect(await describeTable()).toBeUndefined(); // rolled back: down dropped it
  expect(status.migrations.map((m) => [m.version, m.state])).toEqual([['v1.0.0', 'reverted']]);
});
