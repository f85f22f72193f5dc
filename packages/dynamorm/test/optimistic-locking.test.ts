// Optimistic locking on DynamoDB Local: every write of a versioned model checks the version it
// read and stores the next one; a stale write is an OptimisticLockError that changes nothing.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { describe, expect, test } from 'vitest';
import { ConditionFailedError, DynamORM, DynamORMError, model, OptimisticLockError, t, type InferItem } from 'dynamorm';
import { endpoint } from './support/dynamo.js';
import { rejection, storedItem, uniquePrefix } from './support/inspect.js';

const orm = new DynamORM({ endpoint: endpoint(), autoMigrate: true, tablePrefix: uniquePrefix('locking') });

const Counter = model('Counter', {
  table: 'counters',
  attributes: {
    id: t.string().pk(),
    count: t.number(),
    note: t.string().optional(),
    version: t.number().version(),
    updatedAt: t.date().updatedAt(),
  },
});
type Counter = InferItem<typeof Counter>;

const counters = orm.model(Counter);
const raw = (id: string) => storedItem(orm, Counter, { id: { S: id } });

async function lockError(write: Promise<unknown>, op: string): Promise<OptimisticLockError> {
  const error = await rejection(write);
  expect(error).toBeInstanceOf(OptimisticLockError);
  expect(error).toBeInstanceOf(ConditionFailedError);
  expect(error).toBeInstanceOf(DynamORMError);
  expect(error).not.toBeInstanceOf(ConditionalCheckFailedException);
  const e = error as OptimisticLockError;
  expect(e.op).toBe(op);
  expect(e.model).toBe('Counter');
  expect(e.code).toBe('condition.optimisticLock');
  expect(e.cause).toBeInstanceOf(ConditionalCheckFailedException);
  return e;
}

describe('versions', () => {
  test('create stores version 1; each write with the version read stores the next', async () => {
    const v1 = await counters.create({ id: 'v', count: 0 });
    expect(v1.version).toBe(1);
    expect((await raw('v'))?.version).toEqual({ N: '1' });
    const v2 = await counters.put({ ...v1, count: 1 });
    expect(v2.version).toBe(2);
    const v3 = await counters.key({ id: 'v' }).update({ count: 2, version: v2.version });
    expect(v3.version).toBe(3);
    expect(await counters.get({ id: 'v' })).toMatchObject({ count: 2, version: 3 });
    expect((await raw('v'))?.version).toEqual({ N: '3' });
  });

  test('a version given to create is ignored: a new item starts at 1', async () => {
    const created = await counters.create({ id: 'v-given', count: 0, version: 41 });
    expect(created.version).toBe(1);
    expect((await raw('v-given'))?.version).toEqual({ N: '1' });
  });

  test('a put without a version creates a new item at version 1', async () => {
    const created = await counters.put({ id: 'v-put-new', count: 3 });
    expect(created.version).toBe(1);
    expect(await raw('v-put-new')).toMatchObject({ count: { N: '3' }, version: { N: '1' } });
  });

  test('an update that names no version still bumps it', async () => {
    await counters.create({ id: 'v-bump', count: 0 });
    expect((await counters.key({ id: 'v-bump' }).update({ note: 'x' })).version).toBe(2);
    expect((await counters.key({ id: 'v-bump' }).update('count', 5)).version).toBe(3);
    expect((await counters.key({ id: 'v-bump' }).update((u) => u.add('count', 1))).version).toBe(4);
    expect((await raw('v-bump'))?.version).toEqual({ N: '4' });
  });
});

describe('stale writes reject with OptimisticLockError and change nothing', () => {
  test('stale put', async () => {
    const read = await counters.create({ id: 's-put', count: 0 });
    await counters.put({ ...read, count: 10 });
    const stored = await raw('s-put');
    const e = await lockError(counters.put({ ...read, count: 99 }), 'put');
    expect(e.expectedVersion).toBe(1);
    expect(e.actualVersion).toBe(2);
    expect(e.item).toMatchObject({ count: 10, version: 2 });
    expect(await raw('s-put')).toEqual(stored);
  });

  test('stale update', async () => {
    const read = await counters.create({ id: 's-update', count: 0 });
    await counters.key({ id: 's-update' }).update({ count: 10, version: read.version });
    const stored = await raw('s-update');
    const e = await lockError(counters.key({ id: 's-update' }).update({ count: 99, version: read.version }), 'update');
    expect(e.expectedVersion).toBe(1);
    expect(e.actualVersion).toBe(2);
    expect(await raw('s-update')).toEqual(stored);
  });

  test("where('version', '=', read) names the version read, for every update form", async () => {
    const read = await counters.create({ id: 'w-update', count: 0 });
    const next = await counters.key({ id: 'w-update' }).where('version', '=', read.version).update((u) => u.increment('count', 5));
    expect(next).toMatchObject({ count: 5, version: 2 });
    const stored = await raw('w-update');
    const e = await lockError(counters.key({ id: 'w-update' }).where('version', '=', read.version).update('count', 99), 'update');
    expect(e.expectedVersion).toBe(1);
    expect(e.actualVersion).toBe(2);
    expect(await raw('w-update')).toEqual(stored);
    const conflicting = await rejection(counters.key({ id: 'w-update' }).where('version', '=', 2).update({ count: 1, version: 1 }));
    expect((conflicting as Error).message).toMatch(/Counter\.version: expected one version \(where\(\) says 2\), received version 1 in the changes/);
  });

  test('a put without the version over an existing item is refused (no blind overwrite)', async () => {
    await counters.create({ id: 's-blind', count: 7 });
    const stored = await raw('s-blind');
    const e = await lockError(counters.put({ id: 's-blind', count: 0 }), 'put');
    expect(e.actualVersion).toBe(1);
    expect(await raw('s-blind')).toEqual(stored);
  });

  test('a put with a version of an item deleted since is refused and recreates nothing', async () => {
    const read = await counters.create({ id: 's-deleted', count: 1 });
    await counters.delete({ id: 's-deleted' });
    const e = await lockError(counters.put({ ...read, count: 2 }), 'put');
    expect(e.expectedVersion).toBe(1);
    expect(e.actualVersion).toBeUndefined();
    expect(await raw('s-deleted')).toBeUndefined();
  });

  test('a delete conditioned on a stale version', async () => {
    const read = await counters.create({ id: 's-delete', count: 1 });
    await counters.put({ ...read, count: 2 });
    const stored = await raw('s-delete');
    await lockError(counters.where('id', '=', 's-delete').where('version', '=', read.version).delete(), 'delete');
    expect(await raw('s-delete')).toEqual(stored);
    await counters.where('id', '=', 's-delete').where('version', '=', 2).delete();
    expect(await raw('s-delete')).toBeUndefined();
  });
});

describe('20 concurrent read-modify-write increments', () => {
  /**
   * Each writer reads (the first reads all happen before any write, so 19 of the first writes
   * must conflict), writes count + 1 with the version it read, and on OptimisticLockError reads
   * again and retries.
   */
  async function race(id: string, write: (read: Counter) => Promise<unknown>): Promise<number> {
    await counters.create({ id, count: 0 });
    const firstReads = await Promise.all(Array.from({ length: 20 }, () => counters.get({ id })));
    let conflicts = 0;
    await Promise.all(
      firstReads.map(async (first) => {
        let read = first!;
        for (;;) {
          try {
            await write(read);
            return;
          } catch (error) {
            if (!(error instanceof OptimisticLockError)) throw error;
            conflicts++;
            read = (await counters.get({ id }))!;
          }
        }
      }),
    );
    return conflicts;
  }

  test('with update and the version read: exactly 20, version 21', async () => {
    const conflicts = await race('race-update', (read) => counters.key({ id: read.id }).update({ count: read.count + 1, version: read.version }));
    expect(conflicts).toBeGreaterThanOrEqual(19);
    const final = await counters.get({ id: 'race-update' });
    expect(final).toMatchObject({ count: 20, version: 21 });
    expect(await raw('race-update')).toMatchObject({ count: { N: '20' }, version: { N: '21' } });
  });

  test('with put of the item read: exactly 20, version 21', async () => {
    const conflicts = await race('race-put', (read) => counters.put({ ...read, count: read.count + 1 }));
    expect(conflicts).toBeGreaterThanOrEqual(19);
    expect(await counters.get({ id: 'race-put' })).toMatchObject({ count: 20, version: 21 });
  });
});
