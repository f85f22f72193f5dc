// Compressed attributes on DynamoDB Local: stored as gzip or brotli binary, read back exactly on
// every path (get, query, batch, transaction, fixtures, the mock, Model.decode of stream images),
// the item size limit checked on the compressed form, conditions on them refused.
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, test } from 'vitest';
import { DynamORM, ItemTooLargeError, model, t, ValidationError } from 'dynamorm';
import { createMock } from 'dynamorm/testing';
import { endpoint } from './support/dynamo.js';
import { rawClient, rejection, storedItem, thrown, uniquePrefix } from './support/inspect.js';

const orm = new DynamORM({ endpoint: endpoint(), autoMigrate: true, tablePrefix: uniquePrefix('compress') });
const Doc = model('Doc', {
  table: 'docs',
  attributes: {
    id: t.string().pk(),
    title: t.string(),
    body: t.string().compress(),
    meta: t.object({ words: t.number(), at: t.date(), tags: t.stringSet(), raw: t.binary() }).compress('brotli'),
    note: t.string().compress().optional(),
  },
});
const Plain = model('PlainDoc', { table: 'plain', attributes: { id: t.string().pk(), body: t.string() } });

const text = (n: number) => Array.from({ length: n }, (_, i) => `line ${i % 100} of a long and repetitive document. `).join('');
const doc = (id: string, size = 2_000) => ({ id, title: `Doc ${id}`, body: text(size), meta: { words: size, at: new Date('2024-05-01T00:00:00.000Z'), tags: new Set(['a', 'b']), raw: new Uint8Array([0, 255, 7]) } });

beforeAll(async () => {
  await orm.createTables(Doc, Plain);
});

describe('stored compressed, read back exactly', () => {
  test('put/get, query, batchGet, transactGet; the stored form is binary and far smaller', async () => {
    const d = doc('d1');
    await orm.model(Doc).put(d);
    const stored = (await storedItem(orm, Doc, { id: { S: 'd1' } }))!;
    expect(stored.body!.B).toBeInstanceOf(Uint8Array);
    expect(stored.body!.B!.length).toBeLessThan(d.body.length / 20);
    expect(stored.meta!.B![0]).toBe(2); // brotli
    expect(stored.note).toBeUndefined();
    expect(await orm.model(Doc).get({ id: 'd1' })).toEqual(d);
    expect(await orm.model(Doc).where('id', '=', 'd1').first()).toEqual(d);
    expect(await orm.model(Doc).scan()).toEqual([d]);
    await orm.model(Doc).batchPut([doc('d2', 10), { ...doc('d3', 10), note: 'short' }]);
    expect(await orm.model(Doc).batchGet([{ id: 'd2' }, { id: 'd3' }])).toEqual([doc('d2', 10), { ...doc('d3', 10), note: 'short' }]);
    await orm.transaction(async (tx) => { tx.model(Doc).key({ id: 'd2' }).update({ body: 'rewritten', note: 'n' }); });
    const [got] = await orm.transactGet([{ model: Doc, key: { id: 'd2' } }]);
    expect(got).toEqual({ ...doc('d2', 10), body: 'rewritten', note: 'n' });
  });

  test('fixtures, the mock, and Model.decode of a stored image (as a stream record carries it)', async () => {
    await orm.loadFixture({ Doc: [doc('f1', 50)] });
    expect(await orm.model(Doc).get({ id: 'f1' })).toEqual(doc('f1', 50));
    const image = (await rawClient().send(new GetItemCommand({ TableName: orm.tableName(Doc), Key: { id: { S: 'f1' } } }))).Item!;
    expect(Doc.decode(image)).toEqual(doc('f1', 50));
    const mock = createMock();
    mock.expectGet(Doc).withCondition('id', '=', 'm1').willReturn(doc('m1', 5));
    expect(await mock.orm.model(Doc).get({ id: 'm1' })).toEqual(doc('m1', 5));
    mock.verify();
  });

  test('a value stored before the attribute was compressed is read as it is', async () => {
    await rawClient().send(new PutItemCommand({ TableName: orm.tableName(Doc), Item: {
      id: { S: 'old' }, title: { S: 'Old' }, body: { S: 'plain text' },
      meta: { M: { words: { N: '2' }, at: { S: '2024-05-01T00:00:00.000Z' }, tags: { SS: ['a'] }, raw: { B: new Uint8Array([1]) } } },
    } }));
    expect(await orm.model(Doc).get({ id: 'old' })).toEqual({ id: 'old', title: 'Old', body: 'plain text', meta: { words: 2, at: new Date('2024-05-01T00:00:00.000Z'), tags: new Set(['a']), raw: new Uint8Array([1]) } });
  });
});

describe('size and conditions', () => {
  test('the 400 KB limit is checked on the compressed form', async () => {
    const big = text(10_000); // about 430 KB of text
    expect(big.length).toBeGreaterThan(400_000);
    await orm.model(Doc).put({ ...doc('big'), body: big });
    expect((await orm.model(Doc).get({ id: 'big' }))!.body).toBe(big);
    // Uncompressed, the same text is refused before any request.
    const refused = await rejection(orm.model(Plain).put({ id: 'big', body: big }));
    expect(refused).toBeInstanceOf(ItemTooLargeError);
    expect(refused.message).toContain("over DynamoDB's 400 KB item limit (409600 bytes)");
  });

  test('conditions and filters on a compressed attribute are refused before any request', async () => {
    const err = thrown(() => orm.model(Doc).where('id', '=', 'd1').filter('body', '=', 'x'));
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as Error).message).toContain('an operator for a compressed (.compress(), stored as bytes) attribute (exists, not_exists)');
    expect((thrown(() => orm.model(Doc).filter('contains(body, :x)', { x: 'a' })) as Error).message).toContain('a compressed attribute (.compress()) is stored as bytes');
    expect((thrown(() => orm.model(Doc).filter('meta.words', '>', 1 as never)) as Error).message).toContain('meta is stored compressed');
    expect(await orm.model(Doc).where('id', '=', 'd1').filter('note', 'not_exists').all()).toHaveLength(1);
  });
});
