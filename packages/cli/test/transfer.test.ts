// export and import, spawned as a user runs them, against DynamoDB Local: a model of the config
// and a table without one; export, drop, import, export again gives the same file; clear errors
// and exit codes for an unknown target, an unreadable file and a bad line.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BatchWriteItemCommand, CreateTableCommand, DeleteTableCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { endpoint, rawClient, uniqueTable } from '../../dynamorm/test/support/dynamo.js';
import { runCli, scratchDir } from './support/run-cli.js';

const dir = scratchDir('transfer');
const prefix = `${uniqueTable('cli_transfer')}_`;
const client = rawClient();
const notes = `${prefix}notes`;
const events = `${prefix}events`;
const count = async (table: string): Promise<number> => (await client.send(new ScanCommand({ TableName: table, Select: 'COUNT' }))).Count ?? 0;
const createEvents = (): Promise<unknown> => client.send(new CreateTableCommand({
  TableName: events, BillingMode: 'PAY_PER_REQUEST',
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'n', KeyType: 'RANGE' }],
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'n', AttributeType: 'N' }],
}));

beforeAll(async () => {
  writeFileSync(join(dir, 'models.ts'), "import { model, t } from 'dynamorm';\nexport const Note = model('Note', { table: 'notes', attributes: { id: t.string().pk(), body: t.string(), tags: t.stringSet().optional() } });\n");
  writeFileSync(join(dir, 'dynamorm.config.ts'), [
    "import { defineConfig } from 'dynamorm-cli';",
    "import * as models from './models.js';",
    `export default defineConfig({ models, orm: { endpoint: ${JSON.stringify(endpoint())}, tablePrefix: ${JSON.stringify(prefix)}, autoMigrate: true, billingMode: 'PAY_PER_REQUEST' } });`,
  ].join('\n'));
  await client.send(new CreateTableCommand({ TableName: notes, BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }] }));
  await client.send(new BatchWriteItemCommand({ RequestItems: { [notes]: Array.from({ length: 25 }, (_, i) => ({ PutRequest: { Item: { id: { S: `n${i}` }, body: { S: `note ${i}` }, ...(i % 5 === 0 ? { tags: { SS: ['b', 'a'] } } : {}) } } })) } }));
  await createEvents();
  await client.send(new BatchWriteItemCommand({ RequestItems: { [events]: Array.from({ length: 10 }, (_, i) => ({ PutRequest: { Item: { pk: { S: 'e' }, n: { N: String(i) }, raw: { BOOL: i % 2 === 0 } } } })) } }));
});
afterAll(async () => {
  for (const table of [notes, events]) await client.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
});

describe('export and import', { timeout: 120_000 }, () => {
  test('a model: export, drop, import, export again gives the same file; stdout holds the same lines', async () => {
    const exported = await runCli(['export', 'Note', 'notes.jsonl', '--json'], dir);
    expect(exported.stderr).not.toContain('error');
    expect(exported.code).toBe(0);
    expect(JSON.parse(exported.stdout)).toMatchObject({ target: 'Note', file: 'notes.jsonl', items: 25 });
    const first = readFileSync(join(dir, 'notes.jsonl'));
    expect(first.toString().split('\n')[0]).toBe('{"Item":{"body":{"S":"note 0"},"id":{"S":"n0"},"tags":{"SS":["a","b"]}}}');

    await client.send(new DeleteTableCommand({ TableName: notes }));
    const imported = await runCli(['import', 'Note', 'notes.jsonl'], dir);
    expect(imported.stderr).not.toContain('error');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/^Imported 25 items into Note from notes\.jsonl \(lines up to 25\) in \d+ ms\.\n$/);
    expect(await count(notes)).toBe(25);

    const again = await runCli(['export', 'Note', 'again.jsonl'], dir);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^Exported 25 items of Note to again\.jsonl in \d+ ms\.\n$/);
    expect(readFileSync(join(dir, 'again.jsonl')).equals(first)).toBe(true);

    const piped = await runCli(['export', 'Note'], dir);
    expect(piped.code).toBe(0);
    expect(piped.stdout).toBe(first.toString());
    expect(piped.stderr).toMatch(/(^|\n)Exported 25 items of Note in \d+ ms\.\n$/);
  });

  test('a table without a model, and --from-line', async () => {
    const exported = await runCli(['export', 'events', 'events.jsonl'], dir);
    expect(exported.code).toBe(0);
    const first = readFileSync(join(dir, 'events.jsonl'));
    expect(first.toString().trimEnd().split('\n')).toHaveLength(10);
    await client.send(new DeleteTableCommand({ TableName: events }));
    await createEvents();
    const resumed = await runCli(['import', 'events', 'events.jsonl', '--from-line', '8', '--json'], dir);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ target: 'events', items: 3, lines: 10 });
    expect(await count(events)).toBe(3);
    expect((await runCli(['import', 'events', 'events.jsonl'], dir)).code).toBe(0);
    await runCli(['export', 'events', 'events-again.jsonl'], dir);
    expect(readFileSync(join(dir, 'events-again.jsonl')).equals(first)).toBe(true);
  });

  test('errors: an unknown target (2), an unreadable file (1), a bad line named with its number (1), a bad --from-line (2)', async () => {
    const unknown = await runCli(['export', 'Nope', 'nope.jsonl'], dir);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/(^|\n)error: Nope is neither a model of the config \(Note\) nor an existing table: exportTable: table .*_Nope does not exist/);

    const missing = await runCli(['import', 'Note', 'missing.jsonl'], dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/(^|\n)error: importTable: cannot read missing\.jsonl \(no such file\); nothing was written to .*_notes\n$/);

    writeFileSync(join(dir, 'bad.jsonl'), '{"Item":{"id":{"S":"ok"},"body":{"S":"fine"}}}\n{"Item":{"id":{"S":"bad"}}}\n');
    const bad = await runCli(['import', 'Note', 'bad.jsonl'], dir);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/(^|\n)error: importTable: bad\.jsonl:2 is not a valid Note: .*body/);
    expect(await count(notes)).toBe(25); // nothing of bad.jsonl was written

    const from = await runCli(['import', 'Note', 'bad.jsonl', '--from-line', '0'], dir);
    expect(from.code).toBe(2);
    expect(from.stderr).toMatch(/(^|\n)error: --from-line is a line number from 1\n$/);
  });
});
