// TTL: t.ttl() takes a Date or epoch seconds, autoMigrate enables the table's TTL, and an item
// whose TTL has passed (DynamoDB deletes it lazily) is hidden from every read unless includeExpired().
import { DescribeTimeToLiveCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, test } from 'vitest';
import { DynamORM, ModelDefinitionError, model, t } from 'dynamorm';
import { endpoint } from './support/dynamo.js';
import { rawClient, storedItem, uniquePrefix } from './support/inspect.js';

const orm = new DynamORM({ endpoint: endpoint(), autoMigrate: true, tablePrefix: uniquePrefix('ttl') });
const Session = model('Session', {
  table: 'sessions',
  attributes: { user: t.string().pk(), id: t.string().sk(), data: t.string(), expiresAt: t.ttl().optional() },
});

// The same model on a second table whose TTL is then turned off: DynamoDB Local deletes expired
// items within seconds, and the hiding must be shown on an item that is still stored.
const Kept = model('Kept', { table: 'kept', attributes: { user: t.string().pk(), id: t.string().sk(), data: t.string(), expiresAt: t.ttl().optional() } });

const now = Math.floor(Date.now() / 1000);
beforeAll(async () => {
  await orm.createTables(Session, Kept);
  await rawClient().send(new UpdateTimeToLiveCommand({ TableName: orm.tableName(Kept), TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: false } }));
  await orm.model(Session).put({ user: 'u', id: 'live-date', data: 'a', expiresAt: new Date(Date.now() + 3600_000) });
  await orm.model(Kept).batchPut([
    { user: 'u', id: 'live-date', data: 'a', expiresAt: new Date(Date.now() + 3600_000) },
    { user: 'u', id: 'live-secs', data: 'b', expiresAt: now + 3600 },
    { user: 'u', id: 'forever', data: 'c' },
    { user: 'u', id: 'expired', data: 'd', expiresAt: now - 60 },
  ]);
});

describe('TTL', () => {
  test('the table’s TTL is enabled on the t.ttl() attribute; a Date is stored as epoch seconds', async () => {
    const out = await rawClient().send(new DescribeTimeToLiveCommand({ TableName: orm.tableName(Session) }));
    expect(out.TimeToLiveDescription).toMatchObject({ AttributeName: 'expiresAt', TimeToLiveStatus: 'ENABLED' });
    const stored = await storedItem(orm, Session, { user: { S: 'u' }, id: { S: 'live-date' } });
    expect(Number(stored?.expiresAt?.N)).toBeGreaterThan(now + 3500);
    expect(stored?.expiresAt?.N).toMatch(/^\d+$/);
  });

  test('an expired item is hidden from get, query, scan, count, batchGet, coalesced gets and transactGet', async () => {
    // Still stored: DynamoDB deletes expired items lazily.
    expect(await storedItem(orm, Kept, { user: { S: 'u' }, id: { S: 'expired' } })).toBeDefined();
    const key = { user: 'u', id: 'expired' };
    expect(await orm.model(Kept).get(key)).toBeUndefined();
    expect(await orm.model(Kept).select('data').get(key)).toBeUndefined();
    expect(await orm.model(Kept).where('user', '=', 'u').where('id', '=', 'expired').all()).toEqual([]);
    const ids = (await orm.model(Kept).where('user', '=', 'u').all()).map((s) => s.id).sort();
    expect(ids).toEqual(['forever', 'live-date', 'live-secs']);
    expect(await orm.model(Kept).where('user', '=', 'u').count()).toBe(3);
    expect((await orm.model(Kept).scan()).map((s) => s.id).sort()).toEqual(['forever', 'live-date', 'live-secs']);
    expect(await orm.model(Kept).batchGet([key, { user: 'u', id: 'forever' }], { ordered: true })).toEqual([undefined, expect.objectContaining({ id: 'forever' })]);
    const [a, b] = await Promise.all([orm.model(Kept).get(key), orm.model(Kept).get({ user: 'u', id: 'live-secs' })]);
    expect([a, b?.id]).toEqual([undefined, 'live-secs']);
    expect(await orm.transactGet([{ model: Kept, key }])).toEqual([undefined]);
    const explained = orm.model(Kept).where('user', '=', 'u').explain().request as { FilterExpression?: string };
    expect(explained.FilterExpression).toBe('attribute_not_exists(#1) OR #1 > :1');
  });

  test('includeExpired() shows it', async () => {
    const key = { user: 'u', id: 'expired' };
    expect(await storedItem(orm, Kept, { user: { S: 'u' }, id: { S: 'expired' } })).toBeDefined();
    expect((await orm.model(Kept).includeExpired().get(key))?.data).toBe('d');
    expect(await orm.model(Kept).includeExpired().where('user', '=', 'u').count()).toBe(4);
    expect(await orm.model(Kept).includeExpired().batchGet([key])).toHaveLength(1);
    expect(await orm.transactGet([{ model: Kept, key }], { includeExpired: true })).toEqual([expect.objectContaining({ data: 'd' })]);
  });
});

describe('TTL of several models of one table', () => {
  // Two models of one single-table table, each with a TTL attribute of its own stored under the
  // table's one TTL field; the table's TTL is turned off so that expired items stay stored and the
  // hiding shows.
  const Token = model('Token', { table: 'single', keys: { pk: 'USER#{user}', sk: 'TOKEN#{id}' }, attributes: { user: t.string(), id: t.string(), expiresAt: t.ttl().optional() } });
  const Invite = model('Invite', { table: 'single', keys: { pk: 'USER#{user}', sk: 'INVITE#{id}' }, attributes: { user: t.string(), id: t.string(), deleteAt: t.ttl().field('expiresAt').optional() } });

  test('a second model of a table with a TTL attribute of another stored name is refused when registered', () => {
    const Other = model('OtherInvite', { table: 'single', keys: { pk: 'USER#{user}', sk: 'OTHER#{id}' }, attributes: { user: t.string(), id: t.string(), deleteAt: t.ttl().optional() } });
    const message = 'model OtherInvite, attribute deleteAt: table single has one TTL attribute, and Token already keeps it in expiresAt (attribute expiresAt), so DynamoDB would never delete the expired items of OtherInvite: store every TTL of the table under one name (t.ttl().field(\'expiresAt\'))';
    const fresh = (): DynamORM => new DynamORM({ endpoint: endpoint() });
    expect(() => fresh().register(Token, Other)).toThrow(ModelDefinitionError);
    expect(() => fresh().register(Token, Other)).toThrow(message);
    expect(() => new DynamORM({ endpoint: endpoint(), models: [Token, Other] })).toThrow(message);
    const orm = fresh().register(Token);
    expect(() => orm.register(Other)).toThrow(message);
    // Nothing half-registered: the refused model is not known, the first one still is.
    expect(orm.models()).toEqual([Token]);
    // Under the same stored name, or without TTL, a model joins the table.
    expect(orm.register(Invite, model('Plain', { table: 'single', keys: { pk: 'USER#{user}', sk: 'PLAIN#{id}' }, attributes: { user: t.string(), id: t.string() } })).models().map((m) => m.name)).toEqual(['Token', 'Invite', 'Plain']);
  });

  test('a collection hides each model\'s expired items by its own TTL attribute, whichever model comes first', async () => {
    await orm.createTables(Token, Invite);
    await rawClient().send(new UpdateTimeToLiveCommand({ TableName: orm.tableName(Token), TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: false } }));
    await orm.model(Token).batchPut([{ user: 'u', id: 'live', expiresAt: now + 3600 }, { user: 'u', id: 'old', expiresAt: now - 60 }]);
    await orm.model(Invite).batchPut([{ user: 'u', id: 'live', deleteAt: now + 3600 }, { user: 'u', id: 'old', deleteAt: now - 60 }, { user: 'u', id: 'forever' }]);
    const live = [
      { entity: 'Invite', item: { user: 'u', id: 'forever' } },
      { entity: 'Invite', item: { user: 'u', id: 'live', deleteAt: now + 3600 } },
      { entity: 'Token', item: { user: 'u', id: 'live', expiresAt: now + 3600 } },
    ];
    expect(await orm.collection([Token, Invite]).where('user', '=', 'u').all()).toEqual(live);
    expect(await orm.collection([Invite, Token]).where('user', '=', 'u').all()).toEqual(live);
    expect(await orm.collection([Invite, Token]).where('user', '=', 'u').count()).toBe(3);
    // Each model's own reads hide by its own attribute too.
    expect((await orm.model(Invite).where('user', '=', 'u').all()).map((i) => i.id)).toEqual(['forever', 'live']);
    expect(await orm.model(Invite).get({ user: 'u', id: 'old' })).toBeUndefined();
    expect(await orm.model(Invite).includeExpired().get({ user: 'u', id: 'old' })).toEqual({ user: 'u', id: 'old', deleteAt: now - 60 });
  });
});
