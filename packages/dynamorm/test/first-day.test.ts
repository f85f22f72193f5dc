// What a user meets on the first day, on DynamoDB Local: explain() as plain data, get/key/delete
// given a whole item, keyOf, errors that log each thing once, TTL values in milliseconds refused,
// upserts, batchGet across models, oversize items, a new item put with a version.
import { inspect } from 'node:util';
import type { BatchGetItemCommandOutput } from '@aws-sdk/client-dynamodb';
import { describe, expect, test } from 'vitest';
import { DynamORM, DynamORMError, ItemNotFoundError, ItemTooLargeError, model, OptimisticLockError, t, TransactionCanceledError, ValidationError } from 'dynamorm';
import { endpoint } from './support/dynamo.js';
import { recordCommands, rejection, thrown, uniquePrefix } from './support/inspect.js';

const orm = new DynamORM({ endpoint: endpoint(), autoMigrate: true, tablePrefix: uniquePrefix('firstday'), logger: { warn: () => undefined } });

const Post = model('Post', {
  table: 'posts',
  attributes: {
    author: t.string().pk(),
    postedAt: t.date().sk(),
    slug: t.string().index('by-slug'),
    title: t.string(),
  },
});

describe('explain()', () => {
  test('is plain data: JSON.stringify and console.log show the reasons and no internals', () => {
    const explanation = orm.model(Post).where('slug', '=', 'a-1').explain();
    const json = JSON.parse(JSON.stringify(explanation)) as Record<string, unknown>;
    expect(Object.keys(json).sort()).toEqual(['index', 'operation', 'reasons', 'request']);
    expect(json.reasons).toEqual(explanation.reasons);
    expect((json.reasons as string[]).length).toBeGreaterThan(0);
    expect(json).toMatchObject({ operation: 'Query', index: 'by-slug' });
    const logged = inspect(explanation, { depth: 10 });
    expect(logged).toContain('reasons');
    expect(logged).not.toContain('plan');
    expect(Object.getPrototypeOf(explanation)).toBe(Object.prototype);
  });
});

const Tagged = model('Tagged', {
  table: 'single',
  keys: { pk: 'OWNER#{owner}', sk: 'TAG#{label}' },
  attributes: { owner: t.string(), label: t.string(), colour: t.string() },
});

describe('get(), key() and delete() given a whole item', () => {
  test('take its key and ignore the other attributes', async () => {
    const posts = orm.model(Post);
    const post = await posts.create({ author: 'ann', postedAt: new Date(Date.UTC(2024, 0, 1)), slug: 'item-1', title: 'One' });
    expect(await posts.get(post)).toEqual(post);
    expect(await posts.key(post).first()).toEqual(post);
    expect(await posts.key(post).update({ title: 'Two' })).toMatchObject({ title: 'Two' });
    expect(await posts.delete(post)).toMatchObject({ slug: 'item-1', title: 'Two' });
    expect(await posts.get(post)).toBeUndefined();
  });

  test('on a model with key templates too', async () => {
    const tags = orm.model(Tagged);
    const tag = await tags.create({ owner: 'ann', label: 'red', colour: '#f00' });
    expect(await tags.get(tag)).toEqual(tag);
    expect(await tags.delete(tag)).toEqual(tag);
  });

  test('a key attribute missing is still a ValidationError', async () => {
    const error = await rejection(orm.model(Post).get({ author: 'ann' } as never));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).attribute).toBe('postedAt');
  });
});

describe('Model.keyOf(item)', () => {
  test('is the primary key of an item, as the model names it', () => {
    const at = new Date(Date.UTC(2024, 0, 1));
    expect(Post.keyOf({ author: 'ann', postedAt: at, slug: 's', title: 'x' })).toEqual({ author: 'ann', postedAt: at });
    expect(Tagged.keyOf({ owner: 'ann', label: 'red', colour: '#f00' })).toEqual({ owner: 'ann', label: 'red' });
  });

  test('an object without the whole key is a ValidationError naming the missing attribute', () => {
    const error = thrown(() => Post.keyOf({ author: 'ann' } as never));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toBe('keyOf Post: Post.postedAt: expected the sort key (required in a key), received nothing');
  });
});

const Counter = model('Counter', {
  table: 'counters',
  attributes: { id: t.string().pk(), value: t.number(), version: t.number().version() },
});

describe('put() with a version of an item that does not exist', () => {
  test('says no item has the key, and to create it or put it without a version', async () => {
    const error = await rejection(orm.model(Counter).put({ id: 'never-created', value: 1, version: 1 }));
    expect(error).toBeInstanceOf(OptimisticLockError);
    const e = error as OptimisticLockError;
    expect(e.message).toBe('put Counter { id: "never-created" }: expected version 1, but no item has this key (it was never created, or was deleted since it was read): create it with create(), or put it without a version');
    expect(e.message).not.toContain('no longer exists');
    expect(e.expectedVersion).toBe(1);
    expect(e.actualVersion).toBeUndefined();
    expect(await orm.model(Counter).get({ id: 'never-created' })).toBeUndefined();
  });
});

const Session = model('Session', {
  table: 'sessions',
  attributes: { id: t.string().pk(), expiresAt: t.ttl().optional() },
});

describe('t.ttl() given epoch milliseconds', () => {
  test('is a ValidationError before any request, saying to pass seconds or a Date', async () => {
    const sessions = orm.model(Session);
    await sessions.create({ id: 'ms-0' }); // the table exists: what follows sends nothing
    const sent = recordCommands(orm.client);
    const ms = Date.UTC(2030, 0, 1);
    for (const write of [sessions.create({ id: 'ms-1', expiresAt: ms }), sessions.key({ id: 'ms-0' }).update({ expiresAt: ms })]) {
      const error = await rejection(write);
      expect(error).toBeInstanceOf(ValidationError);
      const e = error as ValidationError;
      expect(e.attribute).toBe('expiresAt');
      expect(e.message).toContain(`Session.expiresAt: expected epoch seconds or a Date, received number ${ms} (epoch milliseconds, but a TTL is epoch seconds: pass Math.floor(ms / 1000) or a Date)`);
    }
    expect(sent).toEqual([]);
    expect(await sessions.get({ id: 'ms-1' })).toBeUndefined();
  });

  test('epoch seconds and Dates are stored as seconds', async () => {
    const sessions = orm.model(Session);
    const seconds = Math.floor(Date.UTC(2030, 0, 1) / 1000);
    expect((await sessions.create({ id: 's-1', expiresAt: seconds })).expiresAt).toBe(seconds);
    expect((await sessions.create({ id: 's-2', expiresAt: new Date(Date.UTC(2030, 0, 1)) })).expiresAt).toBe(seconds);
  });
});

const count = (text: string, part: string): number => text.split(part).length - 1;

describe('errors say each thing once when logged', () => {
  test('a ValidationError shows its issues once: not again in context, nor as fields of its own', () => {
    const error = thrown(() => orm.model(Session).compiled.put({ id: 's', expiresAt: 'soon' as never }));
    expect(error).toBeInstanceOf(ValidationError);
    const e = error as ValidationError;
    // The first issue's fields stay readable, but are not properties of their own.
    expect([e.attribute, e.expected, e.received]).toEqual([e.issues[0]!.attribute, e.issues[0]!.expected, e.issues[0]!.received]);
    expect(Object.keys(e)).not.toContain('attribute');
    expect(e.context).toEqual({});
    const logged = inspect(e, { depth: 10 });
    expect(count(logged, 'received: ')).toBe(1);
    expect(count(logged, 'expected: ')).toBe(1);
  });

  test("an unknown attribute's message lists the model's attributes once", () => {
    const error = thrown(() => orm.model(Post).where('titel' as 'title', '=', 'x')) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(count(error.message, 'author, postedAt, slug, title')).toBe(1);
    expect(error.message).toBe('where Post: Post.titel: expected an attribute of Post (author, postedAt, slug, title) or a path into one, received "titel"');
  });

  test('a cancelled transaction shows the SDK exception once, not in every reason', async () => {
    await orm.model(Session).create({ id: 'tx-1' });
    const error = await rejection(orm.transaction((tx) => {
      tx.create(Session, { id: 'tx-1' });
      tx.create(Session, { id: 'tx-2' });
    }));
    expect(error).toBeInstanceOf(TransactionCanceledError);
    const e = error as TransactionCanceledError;
    expect(e.reasons[0]!.error?.cause).toBeUndefined();
    expect(e.reasonsOf(Session).map((r) => [r.key.id, r.code])).toEqual([['tx-1', 'ConditionalCheckFailed'], ['tx-2', 'None']]);
    expect(e.reasonsOf(Post)).toEqual([]);
    const logged = inspect(e, { depth: 10 });
    expect(count(logged, 'CancellationReasons')).toBe(1);
    expect(count(logged, '$metadata')).toBe(1);
  });
});

const Doc = model('Doc', {
  table: 'docs',
  attributes: { id: t.string().pk(), body: t.string().optional(), notes: t.string().optional() },
});

describe('items over 400 KB', () => {
  const kb = (n: number) => 'x'.repeat(n * 1024);

  test('a put, create, batch or transaction put over 400 KB is an ItemTooLargeError before any request, naming model, key, size and limit', async () => {
    const docs = orm.model(Doc);
    await docs.create({ id: 'big-p' });
    const sent = recordCommands(orm.client);
    const error = await rejection(docs.put({ id: 'big-p', body: kb(250), notes: kb(200) }));
    expect(error).toBeInstanceOf(ItemTooLargeError);
    expect(error).not.toBeInstanceOf(ValidationError);
    const e = error as ItemTooLargeError;
    expect([e.code, e.op, e.model, e.size, e.limit]).toEqual(['item.tooLarge', 'put', 'Doc', 460_816, 409_600]);
    expect(e.context).toEqual({ key: { id: 'big-p' }, size: 460_816, limit: 409_600 });
    expect(e.message).toBe('put Doc { id: "big-p" }: the item is 460816 bytes, over DynamoDB\'s 400 KB item limit (409600 bytes); nothing was sent: store large values elsewhere (S3), compress them (.compress()) or split the item');
    expect((await rejection(docs.create({ id: 'big-c', body: kb(450) }))).message).toMatch(/^create Doc \{ id: "big-c" \}: the item is 46\d{4} bytes/);
    const batch = await rejection(docs.batchPut([{ id: 'small' }, { id: 'big-b', body: kb(450) }]));
    expect(batch).toBeInstanceOf(ItemTooLargeError);
    expect(batch.message).toMatch(/^batch put Doc: \[1\] put Doc \{ id: "big-b" \}: the item is 46\d{4} bytes, .*; nothing of the batch was written$/);
    expect(await rejection(orm.transaction((tx) => { tx.put(Doc, { id: 'big-t', body: kb(450) }); }))).toBeInstanceOf(ItemTooLargeError);
    expect(sent).toEqual([]);
    expect(await docs.get({ id: 'big-p' })).toEqual({ id: 'big-p' });
  });

  test('an update whose values alone are over 400 KB is an ItemTooLargeError before any request', async () => {
    const docs = orm.model(Doc);
    await docs.create({ id: 'big-0' });
    const sent = recordCommands(orm.client);
    const error = await rejection(docs.key({ id: 'big-0' }).update({ body: kb(250), notes: kb(200) }));
    expect(error).toBeInstanceOf(ItemTooLargeError);
    expect((error as ItemTooLargeError).message).toMatch(/^update Doc \{ id: "big-0" \}: the key and the values written alone are 46\d{4} bytes, over DynamoDB's 400 KB item limit \(409600 bytes\); nothing was sent: store large values elsewhere \(S3\), compress them \(.compress\(\)\) or split the item$/);
    expect(sent).toEqual([]);
  });

  test('that DynamoDB refuses, as the stored item grows past 400 KB, is an ItemTooLargeError, not a ValidationError', async () => {
    const docs = orm.model(Doc);
    await docs.create({ id: 'big-1', body: kb(300) });
    const error = await rejection(docs.key({ id: 'big-1' }).update({ notes: kb(150) }));
    expect(error).toBeInstanceOf(ItemTooLargeError);
    expect(error).toBeInstanceOf(DynamORMError);
    expect(error).not.toBeInstanceOf(ValidationError);
    const e = error as ItemTooLargeError;
    expect(e.code).toBe('item.tooLarge');
    expect(e.message).toBe('update Doc: DynamoDB refused it: the item would be over 400 KB, its size limit (nothing was written): store large values elsewhere (S3) or split the item');
    expect((await docs.get({ id: 'big-1' }))?.notes).toBeUndefined();
  });
});

describe('orm.batchGet across models', () => {
  const at = new Date(Date.UTC(2024, 1, 1));

  test('reads keys of several tables in one BatchGetItem, one list per model in key order', async () => {
    await orm.model(Post).create({ author: 'bg', postedAt: at, slug: 'bg-1', title: 'Batch' });
    await orm.model(Tagged).create({ owner: 'bg', label: 'green', colour: '#0f0' });
    await orm.model(Session).create({ id: 'bg-1' });
    await orm.model(Session).create({ id: 'bg-2' });
    const sent = recordCommands(orm.client);
    const [posts, tags, sessions] = await orm.batchGet([
      { model: Post, keys: [{ author: 'bg', postedAt: at }, { author: 'nobody', postedAt: at }] },
      { model: Tagged, keys: [{ owner: 'bg', label: 'green' }] },
      { model: Session, keys: [{ id: 'bg-2' }, { id: 'bg-1' }] },
    ]);
    expect(sent.filter((c) => c === 'BatchGetItemCommand')).toHaveLength(1);
    expect(posts.map((p) => p.title)).toEqual(['Batch']);
    expect(tags).toEqual([{ owner: 'bg', label: 'green', colour: '#0f0' }]);
    expect(sessions.map((s) => s.id)).toEqual(['bg-2', 'bg-1']);
    const [ordered] = await orm.batchGet([{ model: Post, keys: [{ author: 'nobody', postedAt: at }, { author: 'bg', postedAt: at }] }], { ordered: true });
    expect(ordered.map((p) => p?.title)).toEqual([undefined, 'Batch']);
  });

  test('more than 100 keys over several models are chunked, and unprocessed keys retried', async () => {
    const ids = Array.from({ length: 130 }, (_, i) => `chunk-${i}`);
    await orm.model(Session).batchCreate(ids.map((id) => ({ id })), { unchecked: true });
    const batches: number[] = [];
    let held = 0;
    orm.client!.middlewareStack.add((next, context) => async (args) => {
      if (context.commandName !== 'BatchGetItemCommand') return next(args);
      const input = args.input as { RequestItems: Record<string, { Keys: unknown[] }> };
      const tables = Object.entries(input.RequestItems);
      batches.push(tables.reduce((n, [, r]) => n + r.Keys.length, 0));
      if (batches.length > 1) return next(args);
      // The first request: every table's last key comes back unprocessed, unread.
      held = tables.length;
      const unprocessed = Object.fromEntries(tables.map(([table, r]) => [table, { ...r, Keys: r.Keys.slice(-1) }]));
      const result = await next({ ...args, input: { RequestItems: Object.fromEntries(tables.map(([table, r]) => [table, { ...r, Keys: r.Keys.slice(0, -1) }])) } });
      return { ...result, output: { ...(result.output as BatchGetItemCommandOutput), UnprocessedKeys: unprocessed as BatchGetItemCommandOutput['UnprocessedKeys'] } };
    }, { step: 'initialize', name: 'hold-back' });
    try {
      const [sessions, posts] = await orm.batchGet([{ model: Session, keys: ids.map((id) => ({ id })) }, { model: Post, keys: [{ author: 'bg', postedAt: at }] }]);
      expect(sessions.map((s) => s.id)).toEqual(ids);
      expect(posts).toHaveLength(1);
    } finally {
      orm.client!.middlewareStack.remove('hold-back');
    }
    expect(batches.slice(0, 2).sort((a, b) => b - a)).toEqual([100, 31]);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(131 + held); // each held-back key read once more
  });
});

const Profile = model('Profile', {
  table: 'profiles',
  attributes: {
    id: t.string().pk(),
    name: t.string(),
    visits: t.number().default(0),
    nickname: t.string().optional(),
    createdAt: t.date().createdAt(),
    updatedAt: t.date().updatedAt(),
    version: t.number().version(),
  },
});

const Membership = model('Membership', {
  table: 'members',
  keys: { pk: 'GROUP#{group}', sk: 'MEMBER#{member}' },
  indexes: { GSI1: { pk: 'ROLE#{role}', sk: 'MEMBER#{member}' } },
  attributes: { group: t.string(), member: t.string(), role: t.string() },
});

describe('update(changes, { upsert: true })', () => {
  test('creates a missing item: createdAt, defaults and version 1 set on creation only', async () => {
    const profiles = orm.model(Profile);
    expect(await rejection(profiles.key({ id: 'up-1' }).update({ name: 'Ann' }))).toBeInstanceOf(ItemNotFoundError);
    const created = await profiles.key({ id: 'up-1' }).update({ name: 'Ann' }, { upsert: true });
    expect(created).toMatchObject({ id: 'up-1', name: 'Ann', visits: 0, version: 1 });
    expect(created.createdAt).toEqual(created.updatedAt);
    expect(await profiles.get({ id: 'up-1' })).toEqual(created);
    await profiles.key({ id: 'up-1' }).update((u) => u.add('visits', 5));
    const again = await profiles.key({ id: 'up-1' }).update({ name: 'Anna' }, { upsert: true });
    expect(again).toMatchObject({ name: 'Anna', visits: 5, version: 3 });
    expect(again.createdAt).toEqual(created.createdAt);
    expect(again.updatedAt.getTime()).toBeGreaterThanOrEqual(created.updatedAt.getTime());
  });

  test('a missing required attribute is a ValidationError before any request', async () => {
    const profiles = orm.model(Profile);
    await profiles.create({ id: 'up-0', name: 'x' });
    const sent = recordCommands(orm.client);
    const error = await rejection(profiles.key({ id: 'up-2' }).update({ nickname: 'A' }, { upsert: true }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toBe('update Profile: nothing was sent: Profile.name: an upsert creates the item when it is missing, so it needs every required attribute: give name too, or update without upsert (received nothing)');
    expect(sent).toEqual([]);
  });

  test('with a version read, it still checks it', async () => {
    const profiles = orm.model(Profile);
    await profiles.create({ id: 'up-3', name: 'Bo' });
    expect(await rejection(profiles.key({ id: 'up-3' }).update({ name: 'Bob', version: 7 }, { upsert: true }))).toBeInstanceOf(OptimisticLockError);
  });

  test('on composed keys: the key attributes, discriminator and composed index are written', async () => {
    const members = orm.model(Membership);
    const created = await members.key({ group: 'g1', member: 'ann' }).update({ role: 'admin' }, { upsert: true });
    expect(created).toEqual({ group: 'g1', member: 'ann', role: 'admin' });
    expect(await members.get({ group: 'g1', member: 'ann' })).toEqual(created);
    expect(await members.where('group', '=', 'g1').all()).toEqual([created]);
    expect(await members.where('role', '=', 'admin').all()).toEqual([created]);
  });
});
