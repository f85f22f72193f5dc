// Each update operator: the compiled UpdateExpression (names and values as placeholders) and its
// effect on DynamoDB Local, read back with the raw client; nested paths, list indexes,
// increments, managed attributes folded in, and returnValues.
import { describe, expect, test } from 'vitest';
import { DynamORM, ItemNotFoundError, model, t, ValidationError } from 'dynamorm';
import { endpoint } from './support/dynamo.js';
import { rejection, storedItem, uniquePrefix } from './support/inspect.js';

const orm = new DynamORM({ endpoint: endpoint(), autoMigrate: true, tablePrefix: uniquePrefix('update-ops') });

const Profile = model('Profile', {
  table: 'profiles',
  attributes: {
    id: t.string().pk(),
    name: t.string(),
    age: t.number().optional(),
    visits: t.bigint().optional(),
    tags: t.stringSet().optional(),
    scores: t.numberSet().optional(),
    history: t.list(t.object({ at: t.number(), note: t.string() })).optional(),
    preferences: t.map(t.unknown()).optional(),
    counters: t.map(t.number()).optional(),
    address: t.object({ city: t.string(), zip: t.string().optional() }).optional(),
    nickname: t.string().optional(),
    updatedAt: t.date().updatedAt(),
    version: t.number().version(),
  },
});

let n = 0;
async function fresh(extra: Partial<Parameters<ReturnType<typeof orm.model<typeof Profile>>['create']>[0]> = {}): Promise<string> {
  const id = `p${++n}`;
  await orm.model(Profile).create({ id, name: 'Ann', ...extra });
  return id;
}
const stored = (id: string) => storedItem(orm, Profile, { id: { S: id } });

describe('update operators, one by one', () => {
  test('set', async () => {
    const id = await fresh();
    const request = orm.model(Profile).compiled.update({ id }, (u) => u.set('name', 'Jane'));
    expect(request.UpdateExpression).toBe('SET #0 = :0, #1 = :1 ADD #2 :2');
    expect(request.ExpressionAttributeNames).toEqual({ '#0': 'name', '#1': 'updatedAt', '#2': 'version', '#3': 'id' });
    const after = await orm.model(Profile).key({ id }).update((u) => u.set('name', 'Jane'));
    expect(after).toMatchObject({ name: 'Jane', version: 2 });
    expect((await stored(id))?.name).toEqual({ S: 'Jane' });
  });

  test('setIfNotExists writes only an absent attribute', async () => {
    const id = await fresh({ age: 30 });
    await orm.model(Profile).key({ id }).update((u) => u.setIfNotExists('age', 99).setIfNotExists('nickname', 'A'));
    expect(await stored(id)).toMatchObject({ age: { N: '30' }, nickname: { S: 'A' } });
  });

  test('remove', async () => {
    const id = await fresh({ nickname: 'x', age: 3 });
    await orm.model(Profile).key({ id }).update((u) => u.remove('nickname'));
    const item = await stored(id);
    expect(item?.nickname).toBeUndefined();
    expect(item?.age).toEqual({ N: '3' });
  });

  test('add to a number, a bigint and a set', async () => {
    const id = await fresh({ age: 1, tags: new Set(['a']) });
    await orm.model(Profile).key({ id }).update((u) => u.add('age', 2).add('visits', 10n ** 20n).add('tags', new Set(['b', 'c'])));
    const item = await stored(id);
    expect(item?.age).toEqual({ N: '3' });
    expect(item?.visits).toEqual({ N: '100000000000000000000' });
    expect(new Set(item?.tags?.SS)).toEqual(new Set(['a', 'b', 'c']));
  });

  test('delete from a set', async () => {
    const id = await fresh({ tags: new Set(['a', 'b', 'c']), scores: new Set([1, 2]) });
    await orm.model(Profile).key({ id }).update((u) => u.delete('tags', new Set(['b'])).delete('scores', new Set([2])));
    const item = await stored(id);
    expect(new Set(item?.tags?.SS)).toEqual(new Set(['a', 'c']));
    expect(item?.scores?.NS).toEqual(['1']);
  });

  test('append and prepend (creating the list when absent)', async () => {
    const id = await fresh();
    await orm.model(Profile).key({ id }).update((u) => u.append('history', [{ at: 2, note: 'b' }]));
    const after = await orm.model(Profile).key({ id }).update((u) => u.prepend('history', [{ at: 1, note: 'a' }]));
    expect(after.history).toEqual([{ at: 1, note: 'a' }, { at: 2, note: 'b' }]);
    const request = orm.model(Profile).compiled.update({ id }, (u) => u.append('history', [{ at: 3, note: 'c' }]));
    expect(request.UpdateExpression).toMatch(/^SET #0 = list_append\(if_not_exists\(#0, :0\), :1\)/);
  });

  test('increment and decrement: SET a = if_not_exists(a, 0) ± n, from 0 when absent', async () => {
    const id = await fresh();
    const request = orm.model(Profile).compiled.update({ id }, (u) => u.increment('age', 5));
    expect(request.UpdateExpression).toBe('SET #0 = if_not_exists(#0, :0) + :1, #1 = :2 ADD #2 :3');
    expect(request.ExpressionAttributeValues?.[':0']).toEqual({ N: '0' });
    expect(request.ExpressionAttributeValues?.[':1']).toEqual({ N: '5' });
    await orm.model(Profile).key({ id }).update((u) => u.increment('age', 5));
    await orm.model(Profile).key({ id }).update((u) => u.increment('age'));
    const after = await orm.model(Profile).key({ id }).update((u) => u.decrement('age', 2).increment('visits', 3n));
    expect(after.age).toBe(4);
    expect(after.visits).toBe(3n);
  });

  test('concurrent increments all count (atomic)', async () => {
    const id = await fresh({ age: 0 });
    await Promise.all(Array.from({ length: 20 }, () => orm.model(Profile).key({ id }).update((u) => u.increment('age'))));
    expect((await stored(id))?.age).toEqual({ N: '20' });
  });
});

describe('nested paths', () => {
  test('a map entry: preferences.theme', async () => {
    const id = await fresh({ preferences: { lang: 'en' } });
    const request = orm.model(Profile).compiled.update({ id }, (u) => u.set('preferences.theme', 'dark'));
    expect(request.UpdateExpression?.startsWith('SET #0.#1 = :0')).toBe(true);
    expect(request.ExpressionAttributeNames).toMatchObject({ '#0': 'preferences', '#1': 'theme' });
    const after = await orm.model(Profile).key({ id }).update((u) => u.set('preferences.theme', 'dark'));
    expect(after.preferences).toEqual({ lang: 'en', theme: 'dark' });
  });

  test('an object property, a typed map entry, increments inside a map, removal of a map entry', async () => {
    const id = await fresh({ address: { city: 'Oslo', zip: '0150' }, counters: { a: 1 }, preferences: { a: 1, b: 2 } });
    const after = await orm.model(Profile).key({ id }).update((u) =>
      u.set('address.city', 'Bergen').remove('address.zip').increment('counters.a', 2).increment('counters.b').remove('preferences.a'),
    );
    expect(after.address).toEqual({ city: 'Bergen' });
    expect(after.counters).toEqual({ a: 3, b: 1 });
    expect(after.preferences).toEqual({ b: 2 });
  });

  test('list index paths: history[1].note and history[0]', async () => {
    const id = await fresh({ history: [{ at: 1, note: 'a' }, { at: 2, note: 'b' }] });
    const request = orm.model(Profile).compiled.update({ id }, (u) => u.set('history[1].note', 'B'));
    expect(request.UpdateExpression?.startsWith('SET #0[1].#1 = :0')).toBe(true);
    const after = await orm.model(Profile).key({ id }).update((u) => u.set('history[1].note', 'B').set('history[0]', { at: 0, note: 'z' }));
    expect(after.history).toEqual([{ at: 0, note: 'z' }, { at: 2, note: 'B' }]);
    const removed = await orm.model(Profile).key({ id }).update((u) => u.remove('history[0]'));
    expect(removed.history).toEqual([{ at: 2, note: 'B' }]);
  });

  test('a nested value is checked by the schema of where it goes, before any request', async () => {
    const id = await fresh({ address: { city: 'Oslo' } });
    const error = await rejection(orm.model(Profile).key({ id }).update((u) => u.set('address.city', 3 as never)));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).attribute).toBe('address.city');
    const unknown = await rejection(orm.model(Profile).key({ id }).update((u) => u.set('address.country' as never, 'NO' as never)));
    expect((unknown as ValidationError).message).toMatch(/address\.country is not in the object's schema \(city, zip\)/);
    const required = await rejection(orm.model(Profile).key({ id }).update((u) => u.remove('address.city' as never)));
    expect((required as ValidationError).message).toMatch(/optional/);
  });
});

describe('managed attributes and returnValues', () => {
  test('updatedAt and version are folded into every update', async () => {
    const id = await fresh();
    const before = await stored(id);
    await new Promise((r) => setTimeout(r, 5));
    await orm.model(Profile).key({ id }).update((u) => u.increment('age'));
    const after = await stored(id);
    expect(after?.version).toEqual({ N: '2' });
    expect(after?.updatedAt?.S! > before?.updatedAt?.S!).toBe(true);
  });

  test("returnValues 'old', 'updated', 'none'", async () => {
    const id = await fresh({ age: 1 });
    const old = await orm.model(Profile).key({ id }).update((u) => u.increment('age'), { returnValues: 'old' });
    expect(old.age).toBe(1);
    const updated = await orm.model(Profile).key({ id }).update({ nickname: 'N' }, { returnValues: 'updated' });
    expect(updated).toMatchObject({ nickname: 'N', version: 3 });
    expect(updated.name).toBeUndefined();
    const none = await orm.model(Profile).key({ id }).update('age', 10, { returnValues: 'none' });
    expect(none).toBeUndefined();
    expect((await stored(id))?.age).toEqual({ N: '10' });
    const replaced = await orm.model(Profile).put({ id, name: 'Bob', version: 4 }, { returnValues: 'old' });
    expect(replaced?.name).toBe('Ann');
    const deleted = await orm.model(Profile).delete({ id }, { returnValues: 'none' });
    expect(deleted).toBeUndefined();
    expect(await stored(id)).toBeUndefined();
  });

  test('an update of a missing item creates nothing', async () => {
    const error = await rejection(orm.model(Profile).key({ id: 'nobody' }).update((u) => u.increment('age')));
    expect(error).toBeInstanceOf(ItemNotFoundError);
    expect(await stored('nobody')).toBeUndefined();
  });
});
