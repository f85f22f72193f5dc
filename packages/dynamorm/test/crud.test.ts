// create / put / get / first / update (three forms) / delete on DynamoDB Local, with their errors
// and the managed createdAt / updatedAt attributes. Stored state is checked with the raw client.
import { ConditionalCheckFailedException, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, test } from 'vitest';
import { ConditionFailedError, DynamORM, DynamORMError, ItemNotFoundError, model, t, ValidationError } from 'dynamorm';
import { endpoint } from './support/dynamo.js';
import { rawClient, recordCommands, rejection, storedItem, uniquePrefix } from './support/inspect.js';

const orm = new DynamORM({ endpoint: endpoint(), autoMigrate: true, tablePrefix: uniquePrefix('crud') });

const Note = model('Note', {
  table: 'notes',
  attributes: {
    id: t.string().pk(),
    title: t.string(),
    body: t.string().optional(),
    views: t.number().default(0),
    big: t.bigint().optional(),
    tags: t.stringSet().optional(),
    history: t.list(t.string()).optional(),
    firstSeen: t.date().optional(),
    createdAt: t.date().createdAt(),
    updatedAt: t.date().updatedAt(),
  },
});

const Event = model('Event', {
  table: 'events',
  attributes: {
    stream: t.string().pk(),
    seq: t.number().sk(),
    kind: t.string(),
  },
});

const notes = orm.model(Note);
const raw = (id: string) => storedItem(orm, Note, { id: { S: id } });

describe('create, get, put, delete', () => {
  test('create stores the item and returns it as read back', async () => {
    const before = new Date();
    const created = await notes.create({ id: 'c1', title: 'Hello', tags: new Set(['a']) });
    const after = new Date();
    expect(created).toMatchObject({ id: 'c1', title: 'Hello', views: 0, tags: new Set(['a']) });
    expect(created.createdAt.getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect(created.createdAt.getTime()).toBeLessThanOrEqual(after.getTime());
    expect(created.updatedAt).toEqual(created.createdAt);
    expect(await notes.get({ id: 'c1' })).toEqual(created);
    expect((await raw('c1'))?.createdAt).toEqual({ S: created.createdAt.toISOString() });
  });

  test('create on an existing key rejects with ConditionFailedError carrying the item, and changes nothing', async () => {
    const first = await notes.create({ id: 'c2', title: 'Original', body: 'kept' });
    const stored = await raw('c2');
    const error = await rejection(notes.create({ id: 'c2', title: 'Intruder' }));
    expect(error).toBeInstanceOf(ConditionFailedError);
    expect(error).toBeInstanceOf(DynamORMError);
    expect(error).not.toBeInstanceOf(ConditionalCheckFailedException);
    const e = error as ConditionFailedError;
    expect(e.op).toBe('create');
    expect(e.model).toBe('Note');
    expect(e.code).toBe('condition.failed');
    expect(e.item).toEqual(first);
    expect(e.cause).toBeInstanceOf(ConditionalCheckFailedException);
    expect(e.message).toMatch(/already exists/);
    expect(await raw('c2')).toEqual(stored);
  });

  test('get of an absent key resolves undefined after asking DynamoDB', async () => {
    const commands = recordCommands(orm.client);
    expect(await notes.get({ id: 'never-written' })).toBeUndefined();
    expect(commands).toContain('GetItemCommand');
  });

  test('put creates, then replaces the whole item', async () => {
    const created = await notes.put({ id: 'p1', title: 'One', body: 'first body', history: ['x'] });
    expect(created.body).toBe('first body');
    const replaced = await notes.put({ id: 'p1', title: 'Two' });
    expect(replaced.title).toBe('Two');
    expect(replaced.body).toBeUndefined();
    const read = await notes.get({ id: 'p1' });
    expect(read?.title).toBe('Two');
    expect(read?.body).toBeUndefined();
    expect(read?.history).toBeUndefined();
    expect((await raw('p1'))?.body).toBeUndefined();
  });

  test('delete by key resolves with the old item and removes it; an absent key resolves undefined', async () => {
    const created = await notes.create({ id: 'd1', title: 'Doomed' });
    expect(await notes.delete({ id: 'd1' })).toEqual(created);
    expect(await raw('d1')).toBeUndefined();
    expect(await notes.get({ id: 'd1' })).toBeUndefined();
    expect(await notes.delete({ id: 'd1' })).toBeUndefined();
  });

  test('delete of the item the where() conditions name', async () => {
    await notes.create({ id: 'd2', title: 'Doomed' });
    await notes.where('id', '=', 'd2').delete();
    expect(await raw('d2')).toBeUndefined();
  });

  test('a conditional delete whose condition fails is a ConditionFailedError and deletes nothing', async () => {
    await notes.create({ id: 'd3', title: 'Safe' });
    const error = await rejection(notes.where('id', '=', 'd3').where('title', '=', 'Other').delete());
    expect(error).toBeInstanceOf(ConditionFailedError);
    expect((error as ConditionFailedError).op).toBe('delete');
    expect((await raw('d3'))?.title).toEqual({ S: 'Safe' });
  });

  test('composite keys: create, get, first and delete need both parts', async () => {
    const events = orm.model(Event);
    await events.create({ stream: 's', seq: 1, kind: 'opened' });
    await events.create({ stream: 's', seq: 2, kind: 'closed' });
    expect(await events.get({ stream: 's', seq: 2 })).toEqual({ stream: 's', seq: 2, kind: 'closed' });
    expect(await events.where('stream', '=', 's').where('seq', '=', 1).first()).toEqual({ stream: 's', seq: 1, kind: 'opened' });
    expect(await events.where('stream', '=', 's').first()).toEqual({ stream: 's', seq: 1, kind: 'opened' });
    // @ts-expect-error a key needs the sort key too
    const partial = await rejection(events.get({ stream: 's' }));
    expect(partial).toBeInstanceOf(ValidationError);
    expect((partial as ValidationError).attribute).toBe('seq');
    expect(await events.delete({ stream: 's', seq: 1 })).toEqual({ stream: 's', seq: 1, kind: 'opened' });
    expect(await events.get({ stream: 's', seq: 1 })).toBeUndefined();
    expect(await events.get({ stream: 's', seq: 2 })).toBeDefined();
  });
});

describe('first()', () => {
  test('where(pk, =).first() resolves the item', async () => {
    const created = await notes.create({ id: 'f1', title: 'Found' });
    expect(await notes.where('id', '=', 'f1').first()).toEqual(created);
  });

  test('where(pk, =).first() rejects with ItemNotFoundError when absent', async () => {
    const error = await rejection(notes.where('id', '=', 'f-missing').first());
    expect(error).toBeInstanceOf(ItemNotFoundError);
    const e = error as ItemNotFoundError;
    expect(e.op).toBe('first');
    expect(e.model).toBe('Note');
    expect(e.code).toBe('item.notFound');
    expect(e.context).toEqual({ conditions: [{ attribute: 'id', op: '=' }] });
    expect(e.message).toMatch(/Note/);
  });
});

describe('update: the three forms of API.md', () => {
  test('object form: sets the given attributes, removes those given as undefined, returns the new item', async () => {
    await notes.create({ id: 'u1', title: 'Old', body: 'remove me', views: 3 });
    const updated = await notes.where('id', '=', 'u1').update({ title: 'New', body: undefined });
    expect(updated).toMatchObject({ id: 'u1', title: 'New', views: 3 });
    expect(updated.body).toBeUndefined();
    const stored = await raw('u1');
    expect(stored?.title).toEqual({ S: 'New' });
    expect(stored?.body).toBeUndefined();
    expect(stored?.views).toEqual({ N: '3' });
  });

  test('attribute and value form', async () => {
    await notes.create({ id: 'u2', title: 'Old' });
    const updated = await notes.where('id', '=', 'u2').update('title', 'Jane');
    expect(updated.title).toBe('Jane');
    expect((await raw('u2'))?.title).toEqual({ S: 'Jane' });
  });

  test('builder form: set, add, remove and append in one request', async () => {
    await notes.create({ id: 'u3', title: 'Old', body: 'gone soon', views: 5, history: ['a'], tags: new Set(['x']) });
    const updated = await notes
      .key({ id: 'u3' })
      .update((u) => u.set('title', 'Jane').add('views', 1).add('tags', new Set(['y'])).remove('body').append('history', ['b', 'c']));
    expect(updated).toMatchObject({ title: 'Jane', views: 6, history: ['a', 'b', 'c'], tags: new Set(['x', 'y']) });
    expect(updated.body).toBeUndefined();
    const stored = await raw('u3');
    expect(stored?.views).toEqual({ N: '6' });
    expect(stored?.history).toEqual({ L: [{ S: 'a' }, { S: 'b' }, { S: 'c' }] });
    expect(stored?.body).toBeUndefined();
  });

  test('builder form: setIfNotExists, prepend, delete from a set, add to an absent number and a bigint', async () => {
    const first = new Date('2020-01-01T00:00:00.001Z');
    await notes.create({ id: 'u4', title: 't', tags: new Set(['keep', 'drop']), history: ['middle'] });
    await notes.key({ id: 'u4' }).update((u) => u.setIfNotExists('firstSeen', first).prepend('history', ['start']).delete('tags', new Set(['drop'])));
    const updated = await notes
      .key({ id: 'u4' })
      .update((u) => u.setIfNotExists('firstSeen', new Date('2030-01-01T00:00:00.000Z')).append('history', ['end']).add('big', 2n ** 70n));
    expect(updated.firstSeen).toEqual(first);
    expect(updated.history).toEqual(['start', 'middle', 'end']);
    expect(updated.tags).toEqual(new Set(['keep']));
    expect(updated.big).toBe(2n ** 70n);
    const again = await notes.key({ id: 'u4' }).update((u) => u.add('big', 1n));
    expect(again.big).toBe(2n ** 70n + 1n);
    expect((await raw('u4'))?.big).toEqual({ N: (2n ** 70n + 1n).toString() });
  });

  test('append and prepend create a missing list', async () => {
    await notes.create({ id: 'u5', title: 't' });
    expect((await notes.key({ id: 'u5' }).update((u) => u.append('history', ['x']))).history).toEqual(['x']);
    await notes.create({ id: 'u6', title: 't' });
    expect((await notes.key({ id: 'u6' }).update((u) => u.prepend('history', ['y']))).history).toEqual(['y']);
  });

  test('update of a missing item rejects with ItemNotFoundError and creates nothing', async () => {
    for (const attempt of [
      () => notes.where('id', '=', 'u-missing').update({ title: 'x' }),
      () => notes.where('id', '=', 'u-missing').update('title', 'x'),
      () => notes.key({ id: 'u-missing' }).update((u) => u.add('views', 1)),
    ]) {
      const error = await rejection(attempt());
      expect(error).toBeInstanceOf(ItemNotFoundError);
      expect((error as ItemNotFoundError).op).toBe('update');
      expect((error as ItemNotFoundError).model).toBe('Note');
      expect((error as ItemNotFoundError).context).toEqual({ key: { id: 'u-missing' } });
      expect(await raw('u-missing')).toBeUndefined();
    }
  });

  test('a conditional update whose condition fails is a ConditionFailedError (not ItemNotFound) and changes nothing', async () => {
    await notes.create({ id: 'u7', title: 'Keep', views: 1 });
    const stored = await raw('u7');
    const error = await rejection(notes.where('id', '=', 'u7').where('views', '>', 10).update({ title: 'Lost' }));
    expect(error).toBeInstanceOf(ConditionFailedError);
    expect(error).not.toBeInstanceOf(ItemNotFoundError);
    expect((error as ConditionFailedError).item).toMatchObject({ id: 'u7', title: 'Keep' });
    expect(await raw('u7')).toEqual(stored);
    const ok = await notes.where('id', '=', 'u7').where('views', '<', 10).update({ title: 'Changed' });
    expect(ok.title).toBe('Changed');
  });

  test('an update without the full key, without changes, or on a key attribute is a ValidationError before any request', async () => {
    const sent = recordCommands(orm.client);
    // @ts-expect-error the builder cannot change the primary key
    const onKey = await rejection(notes.key({ id: 'u1' }).update((u) => u.set('id', 'other')));
    expect(onKey).toBeInstanceOf(ValidationError);
    expect((onKey as ValidationError).attribute).toBe('id');
    const noChanges = await rejection(notes.key({ id: 'u1' }).update({}));
    expect(noChanges).toBeInstanceOf(ValidationError);
    const noKey = await rejection(notes.where('title', '=', 'x').update({ title: 'y' }));
    expect(noKey).toBeInstanceOf(ValidationError);
    expect((noKey as ValidationError).attribute).toBe('id');
    // @ts-expect-error remove() takes optional attributes only
    const required = await rejection(notes.key({ id: 'u1' }).update((u) => u.remove('title')));
    expect(required).toBeInstanceOf(ValidationError);
    expect(sent).toEqual([]);
  });
});

describe('managed attributes: createdAt and updatedAt', () => {
  const old = '2001-02-03T04:05:06.789Z';
  const seedOld = async (id: string) => {
    await rawClient().send(new PutItemCommand({
      TableName: orm.tableName(Note),
      Item: { id: { S: id }, title: { S: 'seeded' }, views: { N: '0' }, createdAt: { S: old }, updatedAt: { S: old } },
    }));
  };

  test('an update keeps createdAt and sets updatedAt to now, in every form', async () => {
    const forms = [
      (id: string) => notes.key({ id }).update({ title: 'object' }),
      (id: string) => notes.key({ id }).update('title', 'pair'),
      (id: string) => notes.key({ id }).update((u) => u.add('views', 1)),
    ];
    for (const [i, update] of forms.entries()) {
      const id = `m${i}`;
      await seedOld(id);
      const before = new Date();
      const updated = await update(id);
      expect(updated.createdAt.toISOString()).toBe(old);
      expect(updated.updatedAt.getTime()).toBeGreaterThanOrEqual(before.getTime());
      const stored = await raw(id);
      expect(stored?.createdAt).toEqual({ S: old });
      expect(stored?.updatedAt).toEqual({ S: updated.updatedAt.toISOString() });
    }
  });

  test('put keeps a createdAt it is given and refreshes updatedAt', async () => {
    await seedOld('m-put');
    const read = (await notes.get({ id: 'm-put' }))!;
    const before = new Date();
    const replaced = await notes.put({ ...read, title: 'replaced' });
    expect(replaced.createdAt.toISOString()).toBe(old);
    expect(replaced.updatedAt.getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect((await raw('m-put'))?.createdAt).toEqual({ S: old });
  });

  test('create fills createdAt and updatedAt when left out', async () => {
    const before = new Date();
    const created = await notes.create({ id: 'm-create', title: 't' });
    expect(created.createdAt.getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect(created.updatedAt.getTime()).toBe(created.createdAt.getTime());
    const stored = await raw('m-create');
    expect(stored?.createdAt).toEqual({ S: created.createdAt.toISOString() });
    expect(stored?.updatedAt).toEqual({ S: created.updatedAt.toISOString() });
  });

  test('timestamps stored as numbers and strings', async () => {
    const Stamped = model('Stamped', {
      table: 'stamped',
      attributes: { id: t.string().pk(), createdAt: t.number().createdAt(), updatedAt: t.string().updatedAt() },
    });
    const before = Date.now();
    const item = await orm.model(Stamped).create({ id: 's' });
    expect(typeof item.createdAt).toBe('number');
    expect(item.createdAt).toBeGreaterThanOrEqual(before);
    expect(new Date(item.updatedAt).getTime()).toBe(item.createdAt);
    const stored = await storedItem(orm, Stamped, { id: { S: 's' } });
    expect(stored?.createdAt).toEqual({ N: String(item.createdAt) });
    expect(stored?.updatedAt).toEqual({ S: item.updatedAt });
  });
});
