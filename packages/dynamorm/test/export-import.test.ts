// Export and import on DynamoDB Local: JSON Lines of DynamoDB JSON with every type exact, sorted
// by key so that export -> drop -> import -> export gives the same bytes; bad lines reported with
// their number before anything is written; an import resumed from a line.
import { readFileSync, rmSync, writeFileSync, mkdtempSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { BatchWriteItemCommand, CreateTableCommand, DeleteTableCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, test } from 'vitest';
import { DynamORM, model, t, type TransferProgress } from 'dynamorm';
import { endpoint } from './support/dynamo.js';
import { rawClient, rejection, storedItems, uniquePrefix, type Stored } from './support/inspect.js';

const Everything = model('Everything', {
  table: 'everything',
  attributes: {
    id: t.string().pk(),
    n: t.number(),
    big: t.bigint().optional(),
    ok: t.boolean(),
    bytes: t.binary().optional(),
    at: t.date(),
    tags: t.stringSet().optional(),
    scores: t.numberSet().optional(),
    blobs: t.binarySet().optional(),
    list: t.list(t.unknown()).optional(),
    nested: t.object({ city: t.string(), zip: t.number().nullable() }).optional(),
  },
});

const dir = mkdtempSync(join(tmpdir(), 'dynamorm-export-'));
const orm = new DynamORM({ endpoint: endpoint(), tablePrefix: uniquePrefix('export'), autoMigrate: true, allowDestructive: true });
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await orm.dropTables().catch(() => undefined);
});

const item = (i: number): Parameters<ReturnType<typeof orm.model<typeof Everything>>['put']>[0] => ({
  id: `e${i}`,
  n: i === 0 ? 0.1 : i * 1.5,
  ...(i % 2 === 0 ? { big: 123456789012345678901234567890n + BigInt(i) } : {}),
  ok: i % 3 === 0,
  ...(i % 4 === 0 ? { bytes: new Uint8Array([0, 255, i % 256]) } : {}),
  at: new Date(Date.UTC(2024, 0, 1 + (i % 28))),
  ...(i % 5 === 0 ? { tags: new Set(['b', 'a', `t${i}`]), scores: new Set([3, 1, i]), blobs: new Set([new Uint8Array([i % 256]), new Uint8Array([9, 9])]) } : {}),
  ...(i % 6 === 0 ? { list: [1, 'two', { three: [true, null] }], nested: { city: 'Oslo', zip: i % 12 === 0 ? null : 150 } } : {}),
});

describe('exportTable and importTable', () => {
  const first = join(dir, 'first.jsonl');
  const second = join(dir, 'second.jsonl');

  test('export -> drop -> import -> export gives a byte-identical file', async () => {
    await orm.model(Everything).batchPut(Array.from({ length: 120 }, (_, i) => item(i)));
    const before = await storedItems(orm, Everything);
    const progress: TransferProgress[] = [];
    const exported = await orm.exportTable(Everything, first, { onProgress: (p) => progress.push(p), runSize: 25 });
    expect(exported.items).toBe(120);
    expect(progress.at(-1)).toMatchObject({ items: 120, estimatedTotal: 120 });
    const text = readFileSync(first, 'utf8');
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(120);
    // Sorted by key, every type as DynamoDB holds it.
    expect(lines.map((l) => (JSON.parse(l) as { Item: { id: { S: string } } }).Item.id.S)).toEqual([...Array.from({ length: 120 }, (_, i) => `e${i}`)].sort((a, b) => (JSON.stringify([{ S: a }]) < JSON.stringify([{ S: b }]) ? -1 : 1)));
    expect(JSON.parse(lines.find((l) => l.includes('"e0"'))!)).toEqual({
      Item: {
        at: { S: '2024-01-01T00:00:00.000Z' }, big: { N: '123456789012345678901234567890' }, blobs: { BS: ['AA==', 'CQk='] },
        bytes: { B: 'AP8A' }, id: { S: 'e0' }, list: { L: [{ N: '1' }, { S: 'two' }, { M: { three: { L: [{ BOOL: true }, { NULL: true }] } } }] },
        n: { N: '0.1' }, nested: { M: { city: { S: 'Oslo' }, zip: { NULL: true } } }, ok: { BOOL: true },
        scores: { NS: ['0', '1', '3'] }, tags: { SS: ['a', 'b', 't0'] },
      },
    });
    expect(readdirSync(dir)).toEqual(['first.jsonl']); // no run files or partial file left

    await orm.dropTables(Everything);
    const imported = await orm.importTable(Everything, first, { groupSize: 50 });
    expect(imported).toMatchObject({ items: 120, lines: 120 });
    const after = await storedItems(orm, Everything);
    const byId = (items: typeof before): typeof before => [...items].sort((a, b) => (a.id!.S! < b.id!.S! ? -1 : 1));
    expect(byId(after)).toEqual(byId(before));
    await orm.exportTable(Everything, second);
    expect(readFileSync(second).equals(readFileSync(first))).toBe(true);
  });

  test('an interrupted import resumes from a line number', async () => {
    await orm.truncate(Everything);
    const progress: TransferProgress[] = [];
    await orm.importTable(Everything, first, { fromLine: 101, onProgress: (p) => progress.push(p), groupSize: 7 });
    expect((await storedItems(orm, Everything)).length).toBe(20);
    expect(progress.at(-1)).toMatchObject({ items: 20, line: 120 });
    await orm.importTable(Everything, first, { fromLine: 1 });
    expect((await storedItems(orm, Everything)).length).toBe(120);
  });

  test('a line that is not a valid item: reported with its number, nothing written', async () => {
    await orm.truncate(Everything);
    const bad = join(dir, 'bad.jsonl');
    const lines = readFileSync(first, 'utf8').trimEnd().split('\n');
    writeFileSync(bad, [...lines.slice(0, 5), '{"Item":{"id":{"S":"x"},"n":{"S":"not a number"},"ok":{"BOOL":true},"at":{"S":"2024-01-01T00:00:00.000Z"}}}', ...lines.slice(5)].join('\n'));
    const error = await rejection(orm.importTable(Everything, bad));
    expect(error).toMatchObject({ code: 'import.invalidLine', context: { line: 6 }, message: expect.stringMatching(/bad\.jsonl:6 is not a valid Everything: .*n/) });
    expect(await storedItems(orm, Everything)).toEqual([]);
    writeFileSync(bad, '{"Item":{"id":{"S":"x"},"n":{"N":"1"},"ok":{"BOOL":true},"at":{"S":"2024-01-01T00:00:00.000Z"}}}\nnot json\n');
    expect(await rejection(orm.importTable(Everything, bad))).toMatchObject({ code: 'import.invalidLine', context: { line: 2 } });
    expect(await storedItems(orm, Everything)).toEqual([]);
    expect(existsSync(bad)).toBe(true);
  });
});

describe('a table without a model', () => {
  const raw = rawClient();
  const name = 'raw_events';
  const table = orm.tableName({ table: name } as typeof Everything);
  const first = join(dir, 'raw-first.jsonl');
  const second = join(dir, 'raw-second.jsonl');
  const create = async (): Promise<void> => {
    await raw.send(new CreateTableCommand({
      TableName: table, BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'stream', KeyType: 'HASH' }, { AttributeName: 'seq', KeyType: 'RANGE' }],
      AttributeDefinitions: [{ AttributeName: 'stream', AttributeType: 'S' }, { AttributeName: 'seq', AttributeType: 'N' }],
    }));
  };
  const scanAll = async (): Promise<Stored[]> => (await raw.send(new ScanCommand({ TableName: table, ConsistentRead: true }))).Items ?? [];
  afterAll(async () => {
    await raw.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
  });

  test('export by table name -> drop -> import -> export: byte-identical, every attribute kept', async () => {
    await create();
    for (let i = 0; i < 60; i += 20) {
      await raw.send(new BatchWriteItemCommand({
        RequestItems: { [table]: Array.from({ length: 20 }, (_, j) => ({ PutRequest: { Item: { stream: { S: `s${(i + j) % 3}` }, seq: { N: String(i + j) }, payload: { M: { b: { B: new Uint8Array([i + j]) }, ns: { NS: ['2', '10'] }, '10': { N: '1' }, '2': { N: '2' } } } } } })) },
      }));
    }
    const before = await scanAll();
    const exported = await orm.exportTable(name, first, { runSize: 16 });
    expect(exported).toMatchObject({ file: first, items: 60 });
    const lines = readFileSync(first, 'utf8').trimEnd().split('\n');
    // Names that are array indexes come first, in numeric order, as JSON.stringify writes them.
    expect(lines[0]).toBe('{"Item":{"payload":{"M":{"2":{"N":"2"},"10":{"N":"1"},"b":{"B":"AA=="},"ns":{"NS":["10","2"]}}},"seq":{"N":"0"},"stream":{"S":"s0"}}}');

    await raw.send(new DeleteTableCommand({ TableName: table }));
    await create();
    expect(await orm.importTable(name, first, { groupSize: 25 })).toMatchObject({ items: 60, lines: 60 });
    const key = (i: Stored): string => `${i.stream!.S}#${i.seq!.N}`;
    expect((await scanAll()).sort((a, b) => (key(a) < key(b) ? -1 : 1))).toEqual(before.sort((a, b) => (key(a) < key(b) ? -1 : 1)));
    await orm.exportTable(name, second);
    expect(readFileSync(second).equals(readFileSync(first))).toBe(true);
  });

  test('an export to a stream (stdout) writes the same lines and leaves the stream open', async () => {
    const chunks: Buffer[] = [];
    const out = new PassThrough().on('data', (c: Buffer) => chunks.push(c));
    const result = await orm.exportTable(name, out);
    expect(result).toMatchObject({ file: undefined, items: 60 });
    expect(out.writableEnded).toBe(false);
    expect(Buffer.concat(chunks).equals(readFileSync(first))).toBe(true);
  });

  test('a line without the table\'s key, an unknown table, an unreadable file: clear errors, nothing written', async () => {
    const bad = join(dir, 'raw-bad.jsonl');
    writeFileSync(bad, '{"Item":{"stream":{"S":"x"},"seq":{"N":"1"}}}\n{"Item":{"stream":{"S":"x"},"seq":{"S":"one"}}}\n');
    await raw.send(new DeleteTableCommand({ TableName: table }));
    await create();
    expect(await rejection(orm.importTable(name, bad))).toMatchObject({ code: 'import.invalidLine', context: { line: 2 }, message: expect.stringMatching(/raw-bad\.jsonl:2 is not a valid item of table .*raw_events: .*seq/) });
    expect(await scanAll()).toEqual([]);
    expect(await rejection(orm.exportTable('no_such_table', join(dir, 'none.jsonl')))).toMatchObject({ code: 'transfer.unknownTable', message: expect.stringMatching(/^exportTable: table .*no_such_table does not exist \(no_such_table with the ORM's tablePrefix\)/) });
    expect(existsSync(join(dir, 'none.jsonl'))).toBe(false);
    expect(await rejection(orm.importTable(name, join(dir, 'missing.jsonl')))).toMatchObject({ code: 'import.unreadableFile', message: expect.stringMatching(/^importTable: cannot read .*missing\.jsonl \(no such file\); nothing was written to .*raw_events$/) });
  });
});
