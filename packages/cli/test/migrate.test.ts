// migrate up | down | status | create, plan and apply, spawned as a user runs them, on a project
// whose dynamorm.config.ts and migrations are TypeScript (loaded with jiti), against DynamoDB Local.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, test } from 'vitest';
import { endpoint, rawClient, uniqueTable, useOwnDynamo } from '../../dynamorm/test/support/dynamo.js';
import { runCli, scratchDir } from './support/run-cli.js';

const dir = scratchDir('migrate');
const prefix = `${uniqueTable('cli_migrate')}_`;
useOwnDynamo();
const tables = async (): Promise<string[]> => ((await rawClient().send(new ListTablesCommand({}))).TableNames ?? []).filter((t) => t.startsWith(prefix) && !t.endsWith('dynamorm_migrations')).sort();

beforeAll(() => {
  const note = (withIndex: boolean): string => `model('Note', { table: 'notes', attributes: { id: t.string().pk(), kind: t.string()${withIndex ? ".index('by-kind')" : ''} } })`;
  writeFileSync(join(dir, 'models.ts'), `import { model, t } from 'dynamorm';\nexport const Note = ${note(true)};\nexport const Tag = model('Tag', { table: 'tags', attributes: { name: t.string().pk() } });\n`);
  writeFileSync(join(dir, 'models-without-index.ts'), `import { model, t } from 'dynamorm';\nexport const Note = ${note(false)};\n`);
  const config = (models: string): string => [
    "import { defineConfig } from 'dynamorm-cli';",
    `import * as models from './${models}.js';`,
    `export default defineConfig({ models, migrations: 'db/migrations', orm: { endpoint: ${JSON.stringify(endpoint())}, tablePrefix: ${JSON.stringify(prefix)} } });`,
  ].join('\n');
  writeFileSync(join(dir, 'dynamorm.config.ts'), config('models'));
  writeFileSync(join(dir, 'shrunk.config.ts'), config('models-without-index'));
});

describe('migrations', { timeout: 120_000 }, () => {
  test('create writes a migration file; up applies, status lists, down rolls back the latest', async () => {
    const created = await runCli(['migrate', 'create', 'add_notes'], dir);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^Created db\/migrations\/\d{14}_add_notes\.ts\.\n$/);
    const file = readdirSync(join(dir, 'db/migrations'))[0]!;
    const version = file.replace(/\.ts$/, '');
    // The generated file, filled in as a user would, and a second migration after it.
    writeFileSync(join(dir, 'db/migrations', file), `import { defineMigration } from 'dynamorm';\nimport { Note } from '../../models.js';\nexport const migration = defineMigration({ version: '${version}', async up(schema) { await schema.createTable(Note, { billingMode: 'PAY_PER_REQUEST' }); }, async down(schema) { await schema.dropTable(Note); } });\n`);
    writeFileSync(join(dir, 'db/migrations', '99990101000000_add_tags.ts'), "import { defineMigration } from 'dynamorm';\nimport { Tag } from '../../models.js';\nexport const migration = defineMigration({ version: '99990101000000_add_tags', description: 'add tags', async up(schema) { await schema.createTable(Tag, { billingMode: 'PAY_PER_REQUEST' }); }, async down(schema) { await schema.dropTable(Tag); } });\n");

    const before = await runCli(['migrate', 'status', '--json'], dir);
    expect(before.code).toBe(0);
    expect(JSON.parse(before.stdout)).toMatchObject({ pending: [version, '99990101000000_add_tags'] });

    const up = await runCli(['migrate', 'up'], dir);
    expect(up.stderr).not.toContain('error');
    expect(up.code).toBe(0);
    expect(up.stdout).toBe(`Applied ${version}, 99990101000000_add_tags. Current version: 99990101000000_add_tags.\n`);
    expect(await tables()).toEqual([`${prefix}notes`, `${prefix}tags`]);

    const down = await runCli(['migrate', 'down', '--json'], dir);
    expect(down.code).toBe(0);
    expect(JSON.parse(down.stdout)).toMatchObject({ reverted: ['99990101000000_add_tags'], current: version });
    expect(await tables()).toEqual([`${prefix}notes`]);
  });
});

describe('plan and apply', { timeout: 120_000 }, () => {
  test('plan shows the missing table; apply creates it', async () => {
    const plan = await runCli(['plan', '--json'], dir);
    expect(plan.code).toBe(0);
    expect(JSON.parse(plan.stdout)).toMatchObject({ upToDate: false, destructive: false, steps: [{ kind: 'createTable', table: `${prefix}tags` }] });
    const apply = await runCli(['apply'], dir);
    expect(apply.code).toBe(0);
    expect(apply.stdout).toMatch(new RegExp(`^Applied 1 step:\\n\\+ createTable ${prefix}tags: `));
    expect(await tables()).toEqual([`${prefix}notes`, `${prefix}tags`]);
  });

  test('a destructive plan is refused without --allow-destructive: exit code 4, the steps named, nothing sent', async () => {
    const refused = await runCli(['apply', '--config', 'shrunk.config.ts'], dir);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/(^|\n)error: apply refused, nothing was sent: the plan has destructive steps:\n! removeIndex .*notes \(by-kind\)/);
    const applied = await runCli(['apply', '--config', 'shrunk.config.ts', '--allow-destructive', '--json'], dir);
    expect(applied.code).toBe(0);
    expect(JSON.parse(applied.stdout)).toMatchObject({ applied: [{ kind: 'removeIndex', index: 'by-kind' }] });
  });
});
