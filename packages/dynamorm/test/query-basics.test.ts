// The query builder's basics on DynamoDB Local: first / all / get / count / explain on the primary
// key (GetItem or Query) and on GSIs, chosen by index() or by the planner.
import { beforeAll, describe, expect, test } from 'vitest';
import { DynamORM, ItemNotFoundError, model, t, ValidationError } from 'dynamorm';
import { endpoint } from './support/dynamo.js';
import { recordCommands, rejection, uniquePrefix } from './support/inspect.js';

const warnings: string[] = [];
const orm = new DynamORM({ endpoint: endpoint(), autoMigrate: true, tablePrefix: uniquePrefix('query'), logger: { warn: (m) => warnings.push(m) } });

const Post = model('Post', {
  table: 'posts',
  attributes: {
    author: t.string().pk(),
    postedAt: t.date().sk(),
    slug: t.string().index('by-slug'),
    category: t.string().index('by-category'),
    likes: t.number().index('by-category', 'sk'),
    title: t.string(),
  },
});
const User = model('User', { table: 'users', attributes: { id: t.string().pk(), name: t.string() } });

const day = (d: number) => new Date(Date.UTC(2024, 0, d, 12));
const posts = [
  { author: 'ann', postedAt: day(1), slug: 'a-1', category: 'db', likes: 5, title: 'First' },
  { author: 'ann', postedAt: day(2), slug: 'a-2', category: 'db', likes: 50, title: 'Second' },
  { author: 'ann', postedAt: day(3), slug: 'a-3', category: 'ts', likes: 7, title: 'Third' },
  { author: 'bob', postedAt: day(1), slug: 'b-1', category: 'db', likes: 20, title: 'Bob' },
];

beforeAll(async () => {
  for (const p of posts) await orm.model(Post).create(p);
  await orm.model(User).create({ id: 'u1', name: 'Ann' });
});

describe('the primary key', () => {
  test("where(pk, '=').first() on a pk-only table is a GetItem", async () => {
    const q = orm.model(User).where('id', '=', 'u1');
    const plan = q.explain();
    expect(plan.operation).toBe('GetItem');
    expect(plan.index).toBeUndefined();
    expect(plan.request).toMatchObject({ Key: { id: { S: 'u1' } } });
    const sent = recordCommands(orm.client);
    expect(await q.first()).toEqual({ id: 'u1', name: 'Ann' });
    expect(sent).toEqual(['GetItemCommand']);
  });

  test('first() of an absent key rejects with ItemNotFoundError; get() resolves undefined', async () => {
    expect(await rejection(orm.model(User).where('id', '=', 'nobody').first())).toBeInstanceOf(ItemNotFoundError);
    expect(await orm.model(User).get({ id: 'nobody' })).toBeUndefined();
    expect(await orm.model(User).where('id', '=', 'nobody').all()).toEqual([]);
  });

  test("where(pk, '=').first() on a composite key is a Query returning the lowest sort key", async () => {
    const q = orm.model(Post).where('author', '=', 'ann');
    expect(q.explain().operation).toBe('Query');
    expect(q.explain().index).toBeUndefined();
    expect((await q.first()).title).toBe('First');
    expect((await q.orderBy('postedAt', 'desc').first()).title).toBe('Third');
  });

  test('the full composite key is a GetItem', async () => {
    const q = orm.model(Post).where('author', '=', 'ann').where('postedAt', '=', day(2));
    expect(q.explain().operation).toBe('GetItem');
    expect((await q.first()).title).toBe('Second');
    expect(await orm.model(Post).get({ author: 'ann', postedAt: day(2) })).toEqual(posts[1]);
  });

  test('all(), count(), a sort key range, order and limit', async () => {
    const ann = orm.model(Post).where('author', '=', 'ann');
    expect((await ann.all()).map((p) => p.title)).toEqual(['First', 'Second', 'Third']);
    expect(await ann.count()).toBe(3);
    expect(await orm.model(Post).where('author', '=', 'bob').count()).toBe(1);
    const range = ann.where('postedAt', 'between', [day(2), day(3)]);
    expect((await range.all()).map((p) => p.title)).toEqual(['Second', 'Third']);
    expect(range.explain().request).toMatchObject({ KeyConditionExpression: expect.stringContaining('BETWEEN') });
    expect((await ann.orderBy('postedAt', 'desc').limit(2).all()).map((p) => p.title)).toEqual(['Third', 'Second']);
    expect(await ann.where('postedAt', '>', day(3)).all()).toEqual([]);
  });

  test('a condition on a non-key attribute becomes a filter', async () => {
    const q = orm.model(Post).where('author', '=', 'ann').where('title', 'begins_with', 'S');
    expect(q.explain().request).toMatchObject({ FilterExpression: expect.stringContaining('begins_with') });
    expect((await q.all()).map((p) => p.title)).toEqual(['Second']);
  });

  test('values never become expression text', () => {
    const request = orm.model(Post).where('author', '=', "ann' OR 1=1").explain().request as { KeyConditionExpression: string; ExpressionAttributeValues: object };
    expect(request.KeyConditionExpression).not.toContain('ann');
    expect(JSON.stringify(request.ExpressionAttributeValues)).toContain("ann' OR 1=1");
  });
});

describe('GSIs', () => {
  test('index(name).where(...).first() / all() / count()', async () => {
    const q = orm.model(Post).index('by-slug').where('slug', '=', 'a-2');
    expect(q.explain()).toMatchObject({ operation: 'Query', index: 'by-slug' });
    expect(await q.first()).toEqual(posts[1]);
    expect(await orm.model(Post).index('by-category').where('category', '=', 'db').count()).toBe(3);
    expect(await rejection(orm.model(Post).index('by-slug').where('slug', '=', 'none').first())).toBeInstanceOf(ItemNotFoundError);
  });

  test('the planner picks the index by itself', async () => {
    const q = orm.model(Post).where('category', '=', 'db').where('likes', '>', 10);
    expect(q.explain()).toMatchObject({ operation: 'Query', index: 'by-category' });
    expect((await q.all()).map((p) => p.likes)).toEqual([20, 50]);
    expect((await q.orderBy('likes', 'desc').all()).map((p) => p.likes)).toEqual([50, 20]);
    expect(orm.model(Post).where('slug', '=', 'b-1').explain().index).toBe('by-slug');
    expect((await orm.model(Post).where('slug', '=', 'b-1').first()).author).toBe('bob');
  });

  test('an orderBy no index can serve is refused, never silently done wrong', async () => {
    const error = await rejection(orm.model(Post).where('category', '=', 'db').orderBy('title').all());
    expect(error).toBeInstanceOf(ValidationError);
  });

  test('a query no key serves is a Scan reported to the logger', async () => {
    warnings.length = 0;
    const q = orm.model(Post).where('title', '=', 'Bob');
    expect(q.explain().operation).toBe('Scan');
    expect((await q.all()).map((p) => p.author)).toEqual(['bob']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/Scan/);
    warnings.length = 0;
    expect(await orm.model(Post).scan()).toHaveLength(4);
    expect(warnings).toEqual([]);
  });
});
