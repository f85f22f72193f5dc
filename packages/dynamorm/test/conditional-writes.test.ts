// `.if(c => ...)` on create, put, update and delete: compiled next to the model's own conditions
// (create-only, version), refused with a ConditionFailedError that names the write and carries
// the item as it was; nothing changes when a condition fails.
import { describe, expect, test } from 'vitest';
import { ConditionFailedError, DynamORM, model, OptimisticLockError, t, ValidationError } from 'dynamorm';
import { endpoint } from './support/dynamo.js';
import { rejection, storedItem, uniquePrefix } from './support/inspect.js';

const orm = new DynamORM({ endpoint: endpoint(), autoMigrate: true, tablePrefix: uniquePrefix('conditions') });

const Account = model('Account', {
  table: 'accounts',
  attributes: {
    userId: t.string().pk(),
    balance: t.number(),
    status: t.enum(['open', 'frozen']),
    owner: t.string().optional(),
    tags: t.stringSet().optional(),
    address: t.object({ city: t.string(), zip: t.string().optional() }).optional(),
  },
});

const Doc = model('Doc', {
  table: 'docs',
  attributes: { id: t.string().pk(), title: t.string(), state: t.string(), version: t.number().version() },
});

const stored = (id: string) => storedItem(orm, Account, { userId: { S: id } });

describe('conditions on nested paths', () => {
  test('a condition on an object property holds or refuses the write, against DynamoDB', async () => {
    await orm.model(Account).create({ userId: 'nested', balance: 1, status: 'open', address: { city: 'Oslo' } });
    const oslo = orm.model(Account).key({ userId: 'nested' }).if((c) => c.and(c.eq('address.city', 'Oslo'), c.attributeNotExists('address.zip')));
    expect(oslo.compiled.delete({ userId: 'nested' }).ConditionExpression).toBe('#0 = :0 AND (#1.#2 = :1 AND attribute_not_exists(#1.#3))');
    expect(await oslo.update('balance', 2)).toMatchObject({ balance: 2 });
    const before = await stored('nested');
    const error = await rejection(orm.model(Account).key({ userId: 'nested' }).if((c) => c.eq('address.city', 'Bergen')).update('balance', 3));
    expect(error).toBeInstanceOf(ConditionFailedError);
    expect(await stored('nested')).toEqual(before);
  });
});

describe('conditions compile next to the model’s own', () => {
  test('update: item exists AND version AND the caller’s condition', () => {
    const request = orm.model(Doc).if((c) => c.eq('state', 'draft')).compiled.update({ id: 'd' }, { title: 'T', version: 3 });
    expect(request.UpdateExpression).toBe('SET #0 = :0, #1 = :1');
    expect(request.ConditionExpression).toBe('attribute_exists(#2) AND #1 = :2 AND #3 = :3');
    expect(request.ExpressionAttributeNames).toEqual({ '#0': 'title', '#1': 'version', '#2': 'id', '#3': 'state' });
    expect(request.ExpressionAttributeValues).toEqual({ ':0': { S: 'T' }, ':1': { N: '4' }, ':2': { N: '3' }, ':3': { S: 'draft' } });
  });

  test('every operator of the builder, and and/or/not', () => {
    const request = orm.model(Account).if((c) =>
      c.and(
        c.or(c.eq('status', 'open'), c.ne('owner', 'bob')),
        c.not(c.lt('balance', 0)),
        c.le('balance', 10),
        c.gt('balance', -1),
        c.ge('balance', 0),
        c.between('balance', 0, 100),
        c.in('status', ['open', 'frozen']),
        c.beginsWith('owner', 'a'),
        c.contains('tags', 'vip'),
        c.attributeExists('owner'),
        c.attributeNotExists('tags'),
      ),
    ).compiled.put({ userId: 'u', balance: 1, status: 'open' });
    expect(request.ConditionExpression).toBe(
      '(#0 = :0 OR #1 <> :1) AND NOT (#2 < :2) AND #2 <= :3 AND #2 > :4 AND #2 >= :5 AND #2 BETWEEN :6 AND :7 AND #0 IN (:8, :9) AND begins_with(#1, :a) AND contains(#3, :b) AND attribute_exists(#1) AND attribute_not_exists(#3)',
    );
  });

  test('a value of the wrong type is refused before any request', () => {
    const error = (() => {
      try {
        orm.model(Account).if((c) => c.eq('balance', 'ten' as never));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).attribute).toBe('balance');
  });
});

describe('against DynamoDB Local', () => {
  test('create with a condition, and a failed create names the write and the key', async () => {
    await orm.model(Account).create({ userId: 'c1', balance: 5, status: 'open' });
    const error = await rejection(orm.model(Account).create({ userId: 'c1', balance: 0, status: 'open' }));
    expect(error).toBeInstanceOf(ConditionFailedError);
    expect((error as ConditionFailedError).message).toMatch(/create Account: an item with key \{ userId: "c1" \} already exists/);
    expect((error as ConditionFailedError).item).toMatchObject({ userId: 'c1', balance: 5 });
    expect((await stored('c1'))?.balance).toEqual({ N: '5' });
  });

  test('put only if the item is not frozen', async () => {
    await orm.model(Account).create({ userId: 'p1', balance: 5, status: 'frozen' });
    const error = await rejection(orm.model(Account).if((c) => c.ne('status', 'frozen')).put({ userId: 'p1', balance: 0, status: 'open' }));
    expect(error).toBeInstanceOf(ConditionFailedError);
    expect((error as ConditionFailedError).message).toMatch(/^put Account \{ userId: "p1" \}: the condition did not hold/);
    expect((error as ConditionFailedError).item).toMatchObject({ status: 'frozen', balance: 5 });
    await orm.model(Account).if((c) => c.eq('status', 'frozen')).put({ userId: 'p1', balance: 1, status: 'open' });
    expect((await stored('p1'))?.status).toEqual({ S: 'open' });
  });

  test('update with a balance check: a debit that would overdraw fails and changes nothing', async () => {
    await orm.model(Account).create({ userId: 'u1', balance: 10, status: 'open' });
    const debit = (n: number) => orm.model(Account).key({ userId: 'u1' }).if((c) => c.ge('balance', n)).update((u) => u.decrement('balance', n));
    expect((await debit(7)).balance).toBe(3);
    const error = await rejection(debit(7));
    expect(error).toBeInstanceOf(ConditionFailedError);
    expect((error as ConditionFailedError).message).toMatch(/^update Account \{ userId: "u1" \}: the condition did not hold/);
    expect((error as ConditionFailedError).item).toMatchObject({ balance: 3 });
    expect((await stored('u1'))?.balance).toEqual({ N: '3' });
  });

  test('delete only if empty', async () => {
    await orm.model(Account).create({ userId: 'd1', balance: 2, status: 'open' });
    const error = await rejection(orm.model(Account).if((c) => c.eq('balance', 0)).delete({ userId: 'd1' }));
    expect(error).toBeInstanceOf(ConditionFailedError);
    expect((error as ConditionFailedError).message).toMatch(/^delete Account \{ userId: "d1" \}/);
    expect(await stored('d1')).toBeDefined();
    await orm.model(Account).key({ userId: 'd1' }).update({ balance: 0 });
    const deleted = await orm.model(Account).if((c) => c.eq('balance', 0)).delete({ userId: 'd1' });
    expect(deleted).toMatchObject({ userId: 'd1' });
    expect(await stored('d1')).toBeUndefined();
  });

  test('with a version: a stale version is an OptimisticLockError, a failed .if() a ConditionFailedError', async () => {
    const doc = await orm.model(Doc).create({ id: 'v1', title: 'a', state: 'draft' });
    const stale = await rejection(orm.model(Doc).key({ id: 'v1' }).if((c) => c.eq('state', 'draft')).update({ title: 'b', version: doc.version + 1 }));
    expect(stale).toBeInstanceOf(OptimisticLockError);
    const failed = await rejection(orm.model(Doc).key({ id: 'v1' }).if((c) => c.eq('state', 'published')).update({ title: 'b', version: doc.version }));
    expect(failed).toBeInstanceOf(ConditionFailedError);
    expect(failed).not.toBeInstanceOf(OptimisticLockError);
    const ok = await orm.model(Doc).key({ id: 'v1' }).if((c) => c.eq('state', 'draft')).update({ title: 'b', version: doc.version });
    expect(ok).toMatchObject({ title: 'b', version: 2 });
  });
});
