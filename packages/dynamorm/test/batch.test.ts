// Batches of any size against DynamoDB Local: 1,000-item create, get (missing keys, order) and
// delete on the seed's versioned User; how create-only and version safety are kept; bad input.
import { beforeAll, describe, expect, test } from 'vitest';
import { BatchWriteError, ConditionFailedError, DynamORM, model, t, ValidationError } from 'dynamorm';
import { endpoint } from './support/dynamo.js';
import { recordCommands, rejection, storedItems, uniquePrefix } from './support/inspect.js';

const orm = new DynamORM({ endpoint: endpoint(), autoMigrate: true, tablePrefix: uniquePrefix('batch') });

const User = model('User', {
  table: 'users',
  attributes: {
    id: t.string().pk(),
    createdAt: t.date().sk(),
    email: t.string().index('gsi-email'),
    name: t.string().index('gsi-name-age', 'pk'),
    age: t.number().index('gsi-name-age', 'sk'),
    tags: t.stringSet().optional(),
    updatedAt: t.date().updatedAt(),
    version: t.number().version(),
  },
});
const Event = model('Event', { table: 'events', attributes: { id: t.string().pk(), n: t.number() } });

const createdAt = new Date('2024-01-01T00:00:00Z');
const user = (i: number) => ({ id: `u${i}`, createdAt, email: `u${i}@example.com`, name: `User ${i}`, age: 20 + (i % 50) });

let sent: string[];
beforeAll(async () => {
  await orm.createTables(User, Event);
  sent = recordCommands(orm.client);
});

describe('1,000 items', () => {
  test('batchCreate, batchGet with missing keys, batchDelete', async () => {
    const users = Array.from({ length: 1000 }, (_, i) => user(i));
    sent.length = 0;
    // The seed's example: a versioned model, create-only: TransactWriteItems chunks of 100.
    const created = await orm.model(User).batchCreate(users);
    expect(created).toMatchObject({ written: 1000, mode: 'transaction' });
    expect(sent.filter((c) => c === 'TransactWriteItemsCommand').length).toBe(10);
    expect(await storedItems(orm, User)).toHaveLength(1000);

    const keys = [...Array.from({ length: 1000 }, (_, i) => ({ id: `u${999 - i}`, createdAt })), { id: 'missing-1', createdAt }, { id: 'missing-2', createdAt }];
    sent.length = 0;
    const found = await orm.model(User).batchGet(keys);
    expect(found).toHaveLength(1000);
    expect(found.map((u) => u.id)).toEqual(keys.slice(0, 1000).map((k) => k.id)); // in the order of the keys
    expect(found[0]).toMatchObject({ id: 'u999', version: 1, age: 20 + (999 % 50) });
    expect(sent.filter((c) => c === 'BatchGetItemCommand').length).toBe(11);

    const ordered = await orm.model(User).batchGet([{ id: 'missing-1', createdAt }, { id: 'u5', createdAt }, { id: 'u5', createdAt }], { ordered: true });
    expect(ordered.map((u) => u?.id)).toEqual([undefined, 'u5', 'u5']);

    sent.length = 0;
    const deleted = await orm.model(User).batchDelete(keys.slice(0, 1000));
    expect(deleted).toMatchObject({ written: 1000, mode: 'batch' });
    expect(sent.filter((c) => c === 'BatchWriteItemCommand').length).toBe(40);
    expect(await storedItems(orm, User)).toHaveLength(0);
  });
});

describe('safety of batches', () => {
  test('batchCreate keeps create-only semantics: existing keys are reported, every other item written', async () => {
    await orm.model(User).create({ ...user(5000), name: 'Original' });
    const items = Array.from({ length: 150 }, (_, i) => user(4950 + i)); // u5000 is the 51st
    const error = (await rejection(orm.model(User).batchCreate(items))) as BatchWriteError;
    expect(error).toBeInstanceOf(BatchWriteError);
    expect(error.written).toBe(149);
    expect(error.unwritten).toHaveLength(1);
    expect(error.unwritten[0]).toMatchObject({ index: 50, key: { id: 'u5000', createdAt }, reason: 'conditionFailed' });
    expect(error.unwritten[0]!.error).toBeInstanceOf(ConditionFailedError);
    expect((await orm.model(User).get({ id: 'u5000', createdAt }))?.name).toBe('Original');
    expect((await orm.model(User).batchGet(items.map((u) => ({ id: u.id, createdAt }))))).toHaveLength(150);
  });

  test('{ unchecked: true } opts into plain BatchWriteItem: it overwrites', async () => {
    await orm.model(User).create({ ...user(6000), name: 'Original' });
    sent.length = 0;
    const result = await orm.model(User).batchCreate([{ ...user(6000), name: 'Overwritten' }, user(6001)], { unchecked: true });
    expect(result.mode).toBe('batch');
    expect(sent).toContain('BatchWriteItemCommand');
    expect((await orm.model(User).get({ id: 'u6000', createdAt }))?.name).toBe('Overwritten');
  });

  test('batchPut on a model without version uses BatchWriteItem; on a versioned one, the version checks', async () => {
    const plain = await orm.model(Event).batchPut(Array.from({ length: 60 }, (_, i) => ({ id: `e${i}`, n: i })));
    expect(plain).toMatchObject({ written: 60, mode: 'batch', requests: 3 });
    const [u] = await orm.model(User).batchGet([{ id: 'u6001', createdAt }]);
    const stale = { ...u!, version: u!.version + 5 };
    const error = (await rejection(orm.model(User).batchPut([{ ...u!, name: 'Fresh' }, { ...user(7000) }, { ...stale, id: 'u6000' }]))) as BatchWriteError;
    expect(error.unwritten.map((x) => [x.index, x.reason])).toEqual([[2, 'conditionFailed']]);
    expect((await orm.model(User).get({ id: 'u6001', createdAt }))).toMatchObject({ name: 'Fresh', version: 2 });
  });

  test('bad items and repeated keys refuse the whole batch before sending', async () => {
    sent.length = 0;
    const bad = (await rejection(orm.model(Event).batchPut([{ id: 'ok', n: 1 }, { id: 'bad', n: 'x' as never }, { id: 'ok', n: 2 }]))) as ValidationError;
    expect(bad).toBeInstanceOf(ValidationError);
    expect(bad.issues.map((i) => i.attribute)).toEqual(['[1].n', '[2]']);
    expect(sent).toEqual([]);
  });

  test('an empty batch sends nothing', async () => {
    sent.length = 0;
    expect(await orm.model(Event).batchPut([])).toMatchObject({ written: 0 });
    expect(await orm.model(Event).batchGet([])).toEqual([]);
    expect(sent).toEqual([]);
  });
});
