// The planner's choice for each kind of condition set, checked on explain() AND by running the
// query on DynamoDB Local against the items it must return.
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamORM, IndexNotFoundError, ValidationError, model, t, type InferItem } from 'dynamorm';
import { endpoint, uniqueTable } from './support/dynamo.js';
import { rejection } from './support/inspect.js';

const User = model('User', {
  table: 'users',
  attributes: {
    id: t.string().pk(),
    createdAt: t.date().sk(),
    email: t.string().index('gsi-email'),
    name: t.string().index('gsi-name-age', 'pk'),
    age: t.number().index('gsi-name-age', 'sk'),
    score: t.number().localIndex('lsi-score'),
    city: t.string().index('gsi-city'),
    status: t.string().index('gsi-status'),
    tags: t.stringSet().optional(),
    preferences: t.map(t.unknown()).optional(),
  },
  indexes: {
    'gsi-city': { projection: 'KEYS_ONLY' },
    'gsi-status': { projection: ['name'] },
    'lsi-score': { projection: 'KEYS_ONLY' },
  },
});
type User = InferItem<typeof User>;

const warnings: string[] = [];
const orm = new DynamORM({ endpoint: endpoint(), autoMigrate: true, tablePrefix: `${uniqueTable('plan')}_`, logger: { warn: (m) => warnings.push(m) } });
const day = (n: number): Date => new Date(Date.UTC(2024, 0, n));

const users: User[] = [];
for (let i = 0; i < 30; i++) {
  users.push({
    id: `u${i % 3}`,
    createdAt: day(i + 1),
    email: `user${i}@example.com`,
    name: i % 2 === 0 ? 'John' : 'Jane',
    age: 10 + i * 2,
    score: i % 10,
    city: i % 5 === 0 ? 'Paris' : 'Rome',
    status: i % 4 === 0 ? 'active' : 'idle',
    tags: new Set(i % 3 === 0 ? ['active', 'x'] : ['y']),
  });
}

beforeAll(async () => {
  await Promise.all(users.map((u) => orm.model(User).create(u)));
});

const ids = (items: readonly Pick<User, 'email'>[]): string[] => items.map((u) => u.email).sort();
const expected = (pick: (u: User) => boolean): string[] => ids(users.filter(pick));

describe('the planner', () => {
  it('the full primary key is a GetItem', async () => {
    const q = orm.model(User).where('id', '=', 'u1').where('createdAt', '=', day(2));
    const plan = q.explain();
    expect(plan.operation).toBe('GetItem');
    expect(plan.index).toBeUndefined();
    expect(plan.request).toEqual({ TableName: orm.tableName(User), Key: { id: { S: 'u1' }, createdAt: { S: day(2).toISOString() } } });
    expect((await q.all()).map((u) => u.email)).toEqual(['user1@example.com']);
  });

  it('partition key equality with a sort key range is a Query on the table', async () => {
    const q = orm.model(User).where('id', '=', 'u0').where('createdAt', 'between', [day(1), day(10)]);
    const plan = q.explain();
    expect(plan.operation).toBe('Query');
    expect(plan.index).toBeUndefined();
    expect(plan.request).toMatchObject({ KeyConditionExpression: '#0 = :0 AND #1 BETWEEN :1 AND :2' });
    expect(ids(await q.all())).toEqual(expected((u) => u.id === 'u0' && u.createdAt <= day(10)));
  });

  it('an equality on a GSI partition key queries that index (gsi-email)', async () => {
    const q = orm.model(User).where('email', '=', 'user7@example.com');
    expect(q.explain()).toMatchObject({ operation: 'Query', index: 'gsi-email', request: { IndexName: 'gsi-email', KeyConditionExpression: '#0 = :0' } });
    expect(ids(await q.all())).toEqual(['user7@example.com']);
  });

  it('name and age pick gsi-name-age by themselves, ordered by age descending', async () => {
    const q = orm.model(User).where('name', '=', 'John').where('age', '>', 18).orderBy('age', 'desc').limit(10);
    const plan = q.explain();
    expect(plan).toMatchObject({ operation: 'Query', index: 'gsi-name-age', request: { ScanIndexForward: false, Limit: 10 } });
    expect(plan.reasons[0]).toContain('gsi-name-age');
    const got = await q.all();
    const want = users.filter((u) => u.name === 'John' && u.age > 18).sort((a, b) => b.age - a.age).slice(0, 10);
    expect(got.map((u) => u.age)).toEqual(want.map((u) => u.age));
  });

  it('a KEYS_ONLY index is not chosen when it does not project what is read; it is when select() fits it', async () => {
    warnings.length = 0;
    const whole = orm.model(User).where('city', '=', 'Paris');
    const plan = whole.explain();
    expect(plan.operation).toBe('Scan');
    expect(plan.reasons.join('\n')).toMatch(/index gsi-city \(projection KEYS_ONLY\) does not project/);
    expect(ids(await whole.all())).toEqual(expected((u) => u.city === 'Paris'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('gsi-city');

    const keysOnly = orm.model(User).where('city', '=', 'Paris').select('id', 'createdAt', 'city');
    expect(keysOnly.explain()).toMatchObject({ operation: 'Query', index: 'gsi-city' });
    const got = await keysOnly.all();
    expect(got).toHaveLength(users.filter((u) => u.city === 'Paris').length);
    expect(Object.keys(got[0]!).sort()).toEqual(['city', 'createdAt', 'id']);
  });

  it('an INCLUDE index is chosen for what it projects, and an explicit index() that cannot serve the read is refused', async () => {
    const q = orm.model(User).where('status', '=', 'active').select('name', 'status');
    expect(q.explain()).toMatchObject({ operation: 'Query', index: 'gsi-status' });
    expect((await q.all()).map((u) => u.name).sort()).toEqual(users.filter((u) => u.status === 'active').map((u) => u.name).sort());

    const error = await rejection(orm.model(User).index('gsi-status').where('status', '=', 'active').all());
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(/gsi-status .*does not project .*select/);
  });

  it('a partition key with a condition on an LSI sort key queries the LSI, reading every attribute', async () => {
    const q = orm.model(User).where('id', '=', 'u2').where('score', '>=', 5);
    const plan = q.explain();
    expect(plan).toMatchObject({ operation: 'Query', index: 'lsi-score', request: { IndexName: 'lsi-score', Select: 'ALL_ATTRIBUTES' } });
    const got = await q.all();
    expect(ids(got)).toEqual(expected((u) => u.id === 'u2' && u.score >= 5));
    // KEYS_ONLY local index, yet whole items: DynamoDB fetched the rest from the table.
    expect(got[0]!.email).toMatch(/@example.com$/);
    expect(got.map((u) => u.score)).toEqual([...got.map((u) => u.score)].sort((a, b) => a - b));
  });

  it('no partition key equality is a Scan, reported through the logger with the index that would serve it', async () => {
    warnings.length = 0;
    const q = orm.model(User).where('age', '>', 50);
    expect(q.explain().operation).toBe('Scan');
    expect(ids(await q.all())).toEqual(expected((u) => u.age > 50));
    expect(warnings).toEqual([expect.stringMatching(/User query reads the whole table \(Scan filtering on age\)/)]);
    expect(warnings[0]).toContain('index gsi-name-age would serve it');

    warnings.length = 0;
    expect(ids(await q.scan())).toEqual(expected((u) => u.age > 50));
    expect(warnings).toEqual([]);
  });

  it('an orderBy the chosen path cannot serve is refused, naming the indexes that could', async () => {
    const error = await rejection(orm.model(User).where('email', '=', 'user1@example.com').orderBy('age').all());
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(/orderBy\(age\) cannot be served by index gsi-email .*index gsi-name-age can/);
    expect(() => orm.model(User).where('age', '>', 3).orderBy('score').explain()).toThrow(/orderBy\(score\) needs a Query.*index lsi-score can serve it/);
  });

  it('index() with a name the model lacks is an IndexNotFoundError', async () => {
    const error = await rejection(orm.model(User).index('gsi-nope' as 'gsi-email').where('email', '=', 'x').all());
    expect(error).toBeInstanceOf(IndexNotFoundError);
    expect((error as Error).message).toContain('gsi-email, gsi-name-age');
  });

  it('several conditions on the sort key: one is the key condition, the others are checked per item, and limit stays exact', async () => {
    const q = orm.model(User).where('name', '=', 'John').where('age', '>', 18).where('age', '<', 50);
    const plan = q.explain();
    expect(plan.index).toBe('gsi-name-age');
    // Never a filter on a key attribute: DynamoDB refuses it.
    expect(plan.request).not.toHaveProperty('FilterExpression');
    expect(plan.reasons.join(' ')).toContain('checked on each item read');
    const want = expected((u) => u.name === 'John' && u.age > 18 && u.age < 50);
    expect(ids(await q.all())).toEqual(want);
    expect(await q.count()).toBe(want.length);
    expect(await q.limit(3).all()).toHaveLength(3);
    // The extra sort key condition may come from a raw filter too.
    expect(ids(await orm.model(User).where('name', '=', 'John').filter('age BETWEEN :lo AND :hi', { lo: 20, hi: 30 }).all())).toEqual(expected((u) => u.name === 'John' && u.age >= 20 && u.age <= 30));
    // between wins the key condition over a bare range.
    expect(orm.model(User).where('id', '=', 'u0').where('createdAt', '>', day(2)).where('createdAt', 'between', [day(1), day(20)]).explain().request).toMatchObject({ KeyConditionExpression: expect.stringContaining('BETWEEN') });
  });

  it('conditions on non-key attributes become the filter, keys stay in the key condition', async () => {
    const q = orm.model(User).where('id', '=', 'u1').filter('contains(tags, :t)', { t: 'active' }).where('age', '>=', 20);
    expect(q.explain().request).toMatchObject({ KeyConditionExpression: '#0 = :0', FilterExpression: '#1 >= :1 AND contains(#2, :2)' });
    expect(ids(await q.all())).toEqual(expected((u) => u.id === 'u1' && u.tags!.has('active') && u.age >= 20));
  });
});
