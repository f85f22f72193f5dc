// Lazy attributes on DynamoDB Local: left out of what every read fetches by default (a projection
// of the other attributes is sent), read by select() or load() (coalesced into BatchGetItem with a
// projection of just what is asked and the keys), written and validated as any attribute, and
// round-tripped with compression through every read path. Compressed attributes refuse update
// actions other than a whole set.
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DynamORM, ItemNotFoundError, model, ModelDefinitionError, streamHandler, t, ValidationError } from 'dynamorm';
import { createMock } from 'dynamorm/testing';
import { endpoint } from './support/dynamo.js';
import { rawClient, rejection, storedItem, thrown, uniquePrefix } from './support/inspect.js';

const prefix = uniquePrefix('lazy');
const orm = new DynamORM({ endpoint: endpoint(), autoMigrate: true, tablePrefix: prefix });
const unbatched = new DynamORM({ endpoint: endpoint(), tablePrefix: prefix, batchGets: false, warnings: false });

const Post = model('Post', {
  table: 'posts',
  attributes: {
    blog: t.string().pk(),
    id: t.string().sk(),
    title: t.string().index('by-title'),
    body: t.string().lazy().compress(),
    notes: t.list(t.string()).lazy().optional().validate((n) => n.length <= 3 || 'at most 3 notes'),
    words: t.number(),
  },
  indexes: { 'by-title': { projection: ['words'] } },
});
const Author = model('Author', { table: 'authors', keys: { pk: 'BLOG#{blog}', sk: 'AUTHOR#{name}' }, attributes: { blog: t.string(), name: t.string(), bio: t.string().lazy() } });
const Entry = model('Entry', { table: 'authors', keys: { pk: 'BLOG#{blog}', sk: 'ENTRY#{id}' }, attributes: { blog: t.string(), id: t.string(), text: t.string().lazy().compress('brotli'), n: t.number() } });
const Tag = model('Tag', { table: 'authors', keys: { pk: 'BLOG#{blog}', sk: 'TAG#{tag}' }, attributes: { blog: t.string(), tag: t.string(), count: t.number() } });
// Only optional lazy attributes: a put without them is valid, so only the read can tell they were left out.
const Draft = model('Draft', { table: 'drafts', attributes: { id: t.string().pk(), title: t.string(), notes: t.list(t.string()).lazy().optional(), summary: t.string().lazy().optional() } });

const text = (n: number) => Array.from({ length: n }, (_, i) => `paragraph ${i % 50} of a long post. `).join('');
const post = (id: string, size = 500) => ({ blog: 'b1', id, title: `Post ${id}`, body: text(size), notes: ['a'], words: size });
const head = ({ body: _b, notes: _n, ...rest }: ReturnType<typeof post>) => rest;

/** The requests an ORM sends from now on: command and input. */
function recordRequests(o: DynamORM): { command: string; input: Record<string, unknown> }[] {
  const seen: { command: string; input: Record<string, unknown> }[] = [];
  o.on('request', (e) => void seen.push({ command: e.request.command, input: e.request.input as unknown as Record<string, unknown> }));
  return seen;
}
/** The attribute names a request's projection reads. */
const projected = (input: Record<string, unknown>): string[] => {
  const names = (input['ExpressionAttributeNames'] ?? {}) as Record<string, string>;
  const expression = input['ProjectionExpression'] as string | undefined;
  return expression === undefined ? [] : expression.split(', ').map((p) => names[p] ?? p).sort();
};

beforeAll(async () => {
  await orm.createTables(Post, Author, Entry, Tag, Draft);
  await orm.model(Post).batchPut([post('p1'), post('p2'), post('p3')]);
});
afterAll(() => orm.dropTables());

describe('left out of default reads', () => {
  test('get, query, scan, batchGet and transactGet send a projection without the lazy attributes and return items without them', async () => {
    const sent = recordRequests(orm);
    expect(await orm.model(Post).get({ blog: 'b1', id: 'p1' })).toEqual(head(post('p1')));
    expect(await orm.model(Post).where('blog', '=', 'b1').all()).toEqual([head(post('p1')), head(post('p2')), head(post('p3'))]);
    expect(await orm.model(Post).scan()).toHaveLength(3);
    expect(await orm.model(Post).batchGet([{ blog: 'b1', id: 'p2' }, { blog: 'b1', id: 'p3' }])).toEqual([head(post('p2')), head(post('p3'))]);
    const [many] = await orm.batchGet([{ model: Post, keys: [{ blog: 'b1', id: 'p1' }] }]);
    expect(many).toEqual([head(post('p1'))]);
    const [got] = await orm.transactGet([{ model: Post, key: { blog: 'b1', id: 'p3' } }]);
    expect(got).toEqual(head(post('p3')));
    const reads = sent.filter((r) => r.command !== 'DescribeTable' && r.command !== 'DescribeTimeToLive');
    expect(reads.map((r) => r.command)).toEqual(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'BatchGetItem', 'TransactGetItems']);
    const eager = ['blog', 'id', 'title', 'words'];
    expect(projected(reads[0]!.input)).toEqual(eager);
    expect(projected(reads[1]!.input)).toEqual(eager);
    expect(projected(reads[2]!.input)).toEqual(eager);
    const batch = (reads[3]!.input['RequestItems'] as Record<string, Record<string, unknown>>)[orm.tableName(Post)]!;
    expect(projected(batch)).toEqual(eager);
    const tx = (reads[5]!.input['TransactItems'] as { Get: Record<string, unknown> }[])[0]!.Get;
    expect(projected(tx)).toEqual(eager);
  });

  test('select() reads a lazy attribute, and the body stays compressed in DynamoDB', async () => {
    expect(await orm.model(Post).select('id', 'body').get({ blog: 'b1', id: 'p1' })).toEqual({ id: 'p1', body: post('p1').body });
    expect(await orm.model(Post).where('blog', '=', 'b1').select('id', 'notes').all()).toEqual(['p1', 'p2', 'p3'].map((id) => ({ id, notes: ['a'] })));
    const stored = (await storedItem(orm, Post, { blog: { S: 'b1' }, id: { S: 'p1' } }))!;
    expect(stored.body!.B).toBeInstanceOf(Uint8Array);
  });

  test('an index projecting every attribute but the lazy ones serves the default read; selecting a lazy one passes it over', async () => {
    const plan = orm.model(Post).where('title', '=', 'Post p2').explain();
    expect(plan.index).toBe('by-title');
    expect(await orm.model(Post).where('title', '=', 'Post p2').all()).toEqual([head(post('p2'))]);
    const full = orm.model(Post).where('title', '=', 'Post p2').select('id', 'body').explain();
    expect(full.operation).toBe('Scan');
    expect(full.reasons.join(' ')).toContain('does not project body');
  });
});

describe('load()', () => {
  test('one item: its lazy attributes read by key with a projection of just them and the key', async () => {
    const item = (await orm.model(Post).get({ blog: 'b1', id: 'p1' }))!;
    const sent = recordRequests(orm);
    const full = await orm.model(Post).load(item, 'body', 'notes');
    expect(full).toEqual(post('p1'));
    expect(item).toEqual(head(post('p1'))); // a copy: the item read is unchanged
    expect(sent.map((r) => r.command)).toEqual(['GetItem']);
    expect(projected(sent[0]!.input)).toEqual(['blog', 'body', 'id', 'notes']);
  });

  test('many items, and concurrent loads of a tick, coalesce into one BatchGetItem', async () => {
    const items = await orm.model(Post).where('blog', '=', 'b1').all();
    const sent = recordRequests(orm);
    const [all, one] = await Promise.all([orm.model(Post).load(items, 'body'), orm.model(Post).load(items[0]!, 'body')]);
    expect(all).toEqual(items.map((i) => ({ ...i, body: post(i.id).body })));
    expect(one).toEqual({ ...items[0], body: post('p1').body });
    expect(sent.map((r) => r.command)).toEqual(['BatchGetItem']);
    const request = (sent[0]!.input['RequestItems'] as Record<string, Record<string, unknown>>)[orm.tableName(Post)]!;
    expect((request['Keys'] as unknown[]).length).toBe(3);
    expect(projected(request)).toEqual(['blog', 'body', 'id']);
  });

  test('without get coalescing (batchGets: false) a load of many is one BatchGetItem too', async () => {
    const items = await unbatched.model(Post).where('blog', '=', 'b1').all();
    const sent = recordRequests(unbatched);
    expect(await unbatched.model(Post).load(items, 'notes')).toEqual(items.map((i) => ({ ...i, notes: ['a'] })));
    expect(sent.map((r) => r.command)).toEqual(['BatchGetItem']);
  });

  test('an attribute that is not lazy, none, or an item gone since it was read are refused clearly', async () => {
    const item = (await orm.model(Post).get({ blog: 'b1', id: 'p2' }))!;
    const notLazy = await rejection(orm.model(Post).load(item, 'title' as never));
    expect(notLazy).toBeInstanceOf(ValidationError);
    expect(notLazy.message).toBe('load Post: "title" is not a lazy attribute; load reads Post\'s lazy attributes (body, notes); other attributes are read with the item already');
    expect((await rejection((orm.model(Post).load as (i: object) => Promise<unknown>)(item))).message).toContain('no attribute is not a lazy attribute');
    await orm.model(Post).put(post('gone'));
    const gone = (await orm.model(Post).get({ blog: 'b1', id: 'gone' }))!;
    await orm.model(Post).delete(gone);
    const missing = await rejection(orm.model(Post).load(gone, 'body'));
    expect(missing).toBeInstanceOf(ItemNotFoundError);
    expect(missing.message).toContain('load Post { blog: "b1", id: "gone" }: the item is no longer stored (deleted since it was read); read it again');
  });
});

describe('writes and validation', () => {
  test('lazy attributes are written by put, create and update, and validated', async () => {
    await orm.model(Post).create(post('w1'));
    await orm.model(Post).key({ blog: 'b1', id: 'w1' }).update({ body: 'short', notes: ['x', 'y'] });
    expect(await orm.model(Post).select('body', 'notes').get({ blog: 'b1', id: 'w1' })).toEqual({ body: 'short', notes: ['x', 'y'] });
    const bad = await rejection(orm.model(Post).put({ ...post('w2'), notes: ['1', '2', '3', '4'] }));
    expect(bad).toBeInstanceOf(ValidationError);
    expect(bad.message).toContain('at most 3 notes');
    // put replaces the whole item: an item read without its lazy attributes is refused, nothing is lost.
    const item = (await orm.model(Post).get({ blog: 'b1', id: 'w1' }))!;
    const partial = await rejection(orm.model(Post).put(item as never));
    expect(partial).toBeInstanceOf(ValidationError);
    expect(partial.message).toContain("load them first (orm.model(Post).load(item, 'body', 'notes'))");
    expect((await orm.model(Post).select('body').get({ blog: 'b1', id: 'w1' }))!.body).toBe('short');
  });

  test('transactions, fixtures and stream images round-trip lazy compressed attributes', async () => {
    await orm.transaction(async (tx) => {
      tx.create(Post, post('t1', 40));
      tx.model(Post).key({ blog: 'b1', id: 'p3' }).update({ body: 'rewritten' });
    });
    expect(await orm.model(Post).load((await orm.model(Post).get({ blog: 'b1', id: 't1' }))!, 'body', 'notes')).toEqual(post('t1', 40));
    expect((await orm.model(Post).select('body').get({ blog: 'b1', id: 'p3' }))!.body).toBe('rewritten');
    await orm.loadFixture({ Post: [post('f1', 30)] });
    expect((await orm.model(Post).select('body').get({ blog: 'b1', id: 'f1' }))!.body).toBe(post('f1', 30).body);
    // A stream image holds the whole item: decoded with its lazy attributes.
    const image = (await rawClient().send(new GetItemCommand({ TableName: orm.tableName(Post), Key: { blog: { S: 'b1' }, id: { S: 'f1' } } }))).Item!;
    expect(Post.unmarshal(image)).toEqual(post('f1', 30));
    const seen: unknown[] = [];
    const lambdaImage = Object.fromEntries(Object.entries(image).map(([k, v]) => [k, v.B !== undefined ? { B: Buffer.from(v.B).toString('base64') } : v]));
    const handler = streamHandler(orm, { Post: { insert: ({ newItem }) => void seen.push(newItem) } });
    const arn = `arn:aws:dynamodb:local:000000000000:table/${orm.tableName(Post)}/stream/2024-01-01T00:00:00.000`;
    expect(await handler({ Records: [{ eventName: 'INSERT', eventSourceARN: arn, dynamodb: { Keys: { blog: image.blog!, id: image.id! }, NewImage: lambdaImage, SequenceNumber: '1' } }] })).toEqual({ batchItemFailures: [] });
    expect(seen).toEqual([post('f1', 30)]);
  });

  test('the mock: default reads leave lazy attributes out, load reads them', async () => {
    const mock = createMock();
    mock.expectGet(Post).withCondition('blog', '=', 'b1').withCondition('id', '=', 'm1').willReturn(post('m1', 5));
    const item = (await mock.orm.model(Post).get({ blog: 'b1', id: 'm1' }))!;
    expect(item).toEqual(head(post('m1', 5)));
    mock.expectGet(Post).withCondition('blog', '=', 'b1').withCondition('id', '=', 'm1').willReturn(post('m1', 5));
    expect(await mock.orm.model(Post).load(item, 'body')).toEqual({ ...head(post('m1', 5)), body: post('m1', 5).body });
    mock.verify();
  });
});

describe('a put never removes lazy attributes it did not read', () => {
  const draft = (id: string) => ({ id, title: `Draft ${id}`, notes: ['n1'], summary: 'a summary' });
  const stored = async (id: string) => orm.model(Draft).select('notes', 'summary').get({ id });

  test('put, create, batchPut and a transaction put of an item read without its lazy attributes are refused, naming them; nothing is written', async () => {
    await orm.model(Draft).batchPut([draft('d1'), draft('d2')]);
    const item = (await orm.model(Draft).get({ id: 'd1' }))!;
    expect(item).toEqual({ id: 'd1', title: 'Draft d1' });
    const refused = await rejection(orm.model(Draft).put(item));
    expect(refused).toBeInstanceOf(ValidationError);
    expect(refused.message).toBe('put Draft { id: "d1" }: the item was read without its lazy attributes notes, summary, and a put replaces the whole item: it would remove them from DynamoDB; load them first (orm.model(Draft).load(item, \'notes\', \'summary\')), or update() the attributes that changed');
    expect((refused as ValidationError).issues.map((i) => i.attribute)).toEqual(['notes', 'summary']);
    expect((await rejection(orm.model(Draft).create(item))).message).toContain('create Draft { id: "d1" }: the item was read without its lazy attributes');
    const batch = await rejection(orm.model(Draft).batchPut([draft('d3'), item]));
    expect(batch).toBeInstanceOf(ValidationError);
    expect(batch.message).toContain('nothing was written: [1] Draft.notes: left out by the read (lazy); load it before a put; [1] Draft.summary');
    const tx = await rejection(orm.transaction((t) => { t.put(Draft, item); }));
    expect(tx).toBeInstanceOf(ValidationError);
    expect(await stored('d1')).toEqual({ notes: ['n1'], summary: 'a summary' });
    expect(await orm.model(Draft).get({ id: 'd3' })).toBeUndefined();
  });

  test('every read marks what it left out: queries, scans, batch gets, transactGet, select() and loads of some', async () => {
    const reads: [string, object][] = [
      ['query', (await orm.model(Draft).where('id', '=', 'd2').all())[0]!],
      ['scan', (await orm.model(Draft).scan()).find((d) => d.id === 'd2')!],
      ['batchGet', (await orm.model(Draft).batchGet([{ id: 'd2' }]))[0]!],
      ['orm.batchGet', (await orm.batchGet([{ model: Draft, keys: [{ id: 'd2' }] }]))[0][0]!],
      ['transactGet', (await orm.transactGet([{ model: Draft, key: { id: 'd2' } }]))[0]!],
      ['select', { ...(await orm.model(Draft).select('id', 'title', 'summary').get({ id: 'd2' }))!, summary: undefined }],
      ['load', await orm.model(Draft).load((await orm.model(Draft).get({ id: 'd2' }))!, 'summary')],
    ];
    for (const [read, item] of reads.slice(0, 5)) expect((await rejection(orm.model(Draft).put(item as never))).message, read).toContain('lazy attributes notes, summary,');
    // A spread copy is an object of the caller's own: only the select()'s own object is marked.
    const selected = (await orm.model(Draft).select('id', 'title').get({ id: 'd2' }))!;
    expect((await rejection(orm.model(Draft).put(selected as never))).message).toContain('lazy attributes notes, summary,');
    expect((await rejection(orm.model(Draft).put(reads[6]![1] as never))).message).toContain("lazy attributes notes, and a put replaces the whole item: it would remove them from DynamoDB; load them first (orm.model(Draft).load(item, 'notes'))");
    expect(await stored('d2')).toEqual({ notes: ['n1'], summary: 'a summary' });
  });

  test('an item whose lazy attributes were loaded or set is put as given', async () => {
    const item = (await orm.model(Draft).get({ id: 'd2' }))!;
    const full = await orm.model(Draft).load(item, 'notes', 'summary');
    full.title = 'Renamed';
    await orm.model(Draft).put(full);
    expect(await orm.model(Draft).select('title', 'notes', 'summary').get({ id: 'd2' })).toEqual({ title: 'Renamed', notes: ['n1'], summary: 'a summary' });
    const again = (await orm.model(Draft).get({ id: 'd2' }))! as { id: string; title: string; notes?: string[]; summary?: string };
    again.notes = ['replaced'];
    again.summary = 'new';
    await orm.model(Draft).put(again);
    expect(await stored('d2')).toEqual({ notes: ['replaced'], summary: 'new' });
  });
});

describe('write results', () => {
  test('put, create and update resolve with the item without its lazy attributes, as their types say, and such an item is not put back', async () => {
    const written = await orm.model(Post).put(post('r1'));
    expect(written).toEqual(head(post('r1')));
    expect(await orm.model(Post).create(post('r2'))).toEqual(head(post('r2')));
    const updated = await orm.model(Post).key({ blog: 'b1', id: 'r1' }).update({ title: 'R1' });
    expect(updated).toEqual({ ...head(post('r1')), title: 'R1' });
    expect(await orm.model(Post).key({ blog: 'b1', id: 'r1' }).update({ body: 'short' }, { returnValues: 'updated' })).toEqual({});
    expect(await orm.model(Post).put(post('r1'), { returnValues: 'old' })).toEqual({ ...head(post('r1')), title: 'R1' });
    expect(await orm.model(Post).delete({ blog: 'b1', id: 'r2' })).toEqual(head(post('r2')));
    expect((await rejection(orm.model(Post).put(written as never))).message).toContain('read without its lazy attributes body, notes');
    expect((await rejection(orm.model(Post).put(updated as never))).message).toContain('read without its lazy attributes body, notes');
  });
});

describe('single-table collections', () => {
  test('a collection reads every model without its lazy attributes; load reads them per model', async () => {
    await orm.model(Author).put({ blog: 'b9', name: 'ann', bio: 'a long bio' });
    await orm.model(Entry).put({ blog: 'b9', id: 'e1', text: text(100), n: 1 });
    const sent = recordRequests(orm);
    const items = await orm.collection([Author, Entry]).where('blog', '=', 'b9').all();
    expect(items).toEqual([{ entity: 'Author', item: { blog: 'b9', name: 'ann' } }, { entity: 'Entry', item: { blog: 'b9', id: 'e1', n: 1 } }]);
    expect(projected(sent[0]!.input)).not.toContain('bio');
    expect(projected(sent[0]!.input)).not.toContain('text');
    const entry = (await orm.model(Entry).get({ blog: 'b9', id: 'e1' }))!;
    expect(entry).toEqual({ blog: 'b9', id: 'e1', n: 1 });
    expect((await orm.model(Entry).load(entry, 'text')).text).toBe(text(100));
    expect((await orm.model(Author).load({ blog: 'b9', name: 'ann' }, 'bio')).bio).toBe('a long bio');
  });

  test('orm.batchGet reads models of one table together, each without its own lazy attributes', async () => {
    await orm.model(Tag).put({ blog: 'b9', tag: 'news', count: 2 });
    const sent = recordRequests(orm);
    const [authors, entries] = await orm.batchGet([{ model: Author, keys: [{ blog: 'b9', name: 'ann' }] }, { model: Entry, keys: [{ blog: 'b9', id: 'e1' }] }]);
    expect(authors).toEqual([{ blog: 'b9', name: 'ann' }]);
    expect(entries).toEqual([{ blog: 'b9', id: 'e1', n: 1 }]);
    expect(sent.map((r) => r.command)).toEqual(['BatchGetItem']);
    const request = (sent[0]!.input['RequestItems'] as Record<string, Record<string, unknown>>)[orm.tableName(Author)]!;
    expect(projected(request)).not.toContain('bio');
    expect(projected(request)).not.toContain('text');
    const [a, e, tags] = await orm.batchGet([{ model: Author, keys: [{ blog: 'b9', name: 'ann' }] }, { model: Entry, keys: [{ blog: 'b9', id: 'e1' }] }, { model: Tag, keys: [{ blog: 'b9', tag: 'news' }] }]);
    expect([a, e, tags]).toEqual([[{ blog: 'b9', name: 'ann' }], [{ blog: 'b9', id: 'e1', n: 1 }], [{ blog: 'b9', tag: 'news', count: 2 }]]);
  });
});

describe('the read cache', () => {
  test('default reads of a model with lazy attributes are cached, written keys invalidated; loads and selects go to DynamoDB', async () => {
    const cached = new DynamORM({ endpoint: endpoint(), tablePrefix: prefix, cache: { ttlMs: 60_000 } });
    const sent = recordRequests(cached);
    const key = { blog: 'b1', id: 'p1' };
    const first = (await cached.model(Post).get(key))!;
    expect(await cached.model(Post).get(key)).toEqual(first);
    expect(await cached.model(Post).batchGet([key])).toEqual([first]);
    expect(cached.cacheStats()).toMatchObject({ misses: 1, hits: 2 });
    expect((await cached.model(Post).load(first, 'body')).body).toBe(post('p1').body);
    expect((await cached.model(Post).load(first, 'body')).body).toBe(post('p1').body);
    await cached.model(Post).key(key).update({ title: 'Renamed' });
    expect((await cached.model(Post).get(key))!.title).toBe('Renamed');
    expect(sent.map((r) => r.command)).toEqual(['GetItem', 'GetItem', 'GetItem', 'UpdateItem', 'GetItem']);
    expect(cached.cacheStats()).toMatchObject({ misses: 2, hits: 2, invalidations: 1 });
    await cached.model(Post).key(key).update({ title: 'Post p1' });
  });
});

describe('definitions', () => {
  test('a lazy attribute that every read needs is refused at model() time, naming it', () => {
    const cases: [() => unknown, string][] = [
      [() => model('V', { attributes: { id: t.string().pk(), v: t.number().version().lazy() } }), 'model V, attribute v: cannot be .lazy(): it is .version() (managed attributes are read with every item); drop .lazy()'],
      [() => model('T', { attributes: { id: t.string().pk(), exp: t.ttl().lazy() } }), 'it is the TTL attribute'],
      [() => model('K', { keys: { pk: 'K#{id}' }, attributes: { id: t.string().lazy() } }), 'a key template names it'],
      [() => model('N', { attributes: { id: t.string().pk(), o: t.object({ inner: t.string().lazy() }) } }), 'only top-level attributes'],
      [() => model('U', { undeclared: 'keep', attributes: { id: t.string().pk(), body: t.string().lazy() } }), "the model has undeclared: 'keep'"],
    ];
    for (const [define, message] of cases) {
      const error = thrown(define);
      expect(error).toBeInstanceOf(ModelDefinitionError);
      expect((error as Error).message).toContain(message);
    }
  });
});

describe('compressed attributes take whole values only', () => {
  const Doc = model('Doc', { table: 'docs', attributes: { id: t.string().pk(), tags: t.list(t.string()).compress(), n: t.number().compress(), set: t.stringSet().compress().optional() } });
  const key = { id: 'd1' };
  test('append, prepend, add, delete, increment and decrement are refused before sending, naming model and attribute', () => {
    const refused: [string, () => unknown][] = [
      ['append', () => orm.model(Doc).compiled.update(key, (u) => u.append('tags', ['x']))],
      ['prepend', () => orm.model(Doc).compiled.update(key, (u) => u.prepend('tags', ['x']))],
      ['add', () => orm.model(Doc).compiled.update(key, (u) => u.add('n', 1))],
      ['add', () => orm.model(Doc).compiled.update(key, (u) => u.add('set', new Set(['x'])))],
      ['delete', () => orm.model(Doc).compiled.update(key, (u) => u.delete('set', new Set(['x'])))],
      ['increment', () => orm.model(Doc).compiled.update(key, (u) => u.increment('n'))],
      ['decrement', () => orm.model(Doc).compiled.update(key, (u) => u.decrement('n', 2))],
    ];
    for (const [verb, update] of refused) {
      const error = thrown(update);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as Error).message).toContain(`update Doc: nothing was sent: Doc.${verb === 'add' || verb === 'delete' ? ((error as ValidationError).issues[0]!.attribute) : verb.endsWith('crement') ? 'n' : 'tags'}: expected set(...) of the whole value: it is stored compressed (.compress()), as bytes DynamoDB cannot ${verb}; read the item, change the value and set it whole, received ${verb}(...)`);
    }
  });

  test('set, setIfNotExists and remove of the whole value work', async () => {
    await orm.createTables(Doc);
    await orm.model(Doc).put({ id: 'd1', tags: ['a'], n: 1 });
    await orm.model(Doc).key(key).update((u) => u.set('tags', ['a', 'b']).setIfNotExists('set', new Set(['s'])));
    expect(await orm.model(Doc).get(key)).toEqual({ id: 'd1', tags: ['a', 'b'], n: 1, set: new Set(['s']) });
    await orm.model(Doc).key(key).update((u) => u.remove('set'));
    expect(await orm.model(Doc).get(key)).toEqual({ id: 'd1', tags: ['a', 'b'], n: 1 });
  });
});
