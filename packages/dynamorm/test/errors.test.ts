// The error contract on DynamoDB Local: every error is a DynamORMError with op, model, cause and
// context; SDK exceptions are mapped (a failed condition is never a bare SDK exception).
import { ConditionalCheckFailedException, DynamoDBServiceException, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { describe, expect, test } from 'vitest';
import {
  ConditionFailedError, DynamORM, DynamORMError, IndexNotFoundError, ItemNotFoundError, ItemTooLargeError, model, ModelDefinitionError,
  OptimisticLockError, t, TransactionCanceledError, ValidationError,
} from 'dynamorm';
import { endpoint } from './support/dynamo.js';
import { rejection, thrown, uniquePrefix } from './support/inspect.js';

const orm = new DynamORM({ endpoint: endpoint(), autoMigrate: true, tablePrefix: uniquePrefix('errors') });

const Account = model('Account', {
  table: 'accounts',
  attributes: {
    id: t.string().pk(),
    owner: t.string().index('by-owner'),
    balance: t.number(),
    note: t.string().optional(),
    version: t.number().version(),
  },
});
const accounts = orm.model(Account);

/** Checks the DynamORMError contract and that no SDK exception leaks through. */
function contract(error: unknown, type: abstract new (...args: never[]) => DynamORMError, op: string, modelName: string | undefined): DynamORMError {
  expect(error).toBeInstanceOf(type);
  expect(error).toBeInstanceOf(DynamORMError);
  expect(error).toBeInstanceOf(Error);
  expect(error).not.toBeInstanceOf(DynamoDBServiceException);
  const e = error as DynamORMError;
  expect(e.name).toBe(type.name);
  expect(e.op).toBe(op);
  expect(e.model).toBe(modelName);
  expect(typeof e.code).toBe('string');
  expect(typeof e.context).toBe('object');
  expect(e.message.length).toBeGreaterThan(0);
  return e;
}

describe('the error classes', () => {
  test('every subclass of API.md extends DynamORMError and is exported by name', () => {
    for (const type of [ItemNotFoundError, ConditionFailedError, IndexNotFoundError, ValidationError, OptimisticLockError, TransactionCanceledError, ModelDefinitionError]) {
      expect(type.prototype).toBeInstanceOf(DynamORMError);
    }
    expect(OptimisticLockError.prototype).toBeInstanceOf(ConditionFailedError);
  });
});

describe('errors of operations carry op, model, cause and context', () => {
  test('ConditionFailedError from create: the SDK exception is the cause, never thrown bare', async () => {
    await accounts.create({ id: 'a1', owner: 'ann', balance: 10 });
    const error = await rejection(accounts.create({ id: 'a1', owner: 'bob', balance: 0 }));
    const e = contract(error, ConditionFailedError, 'create', 'Account') as ConditionFailedError;
    expect(e).not.toBeInstanceOf(OptimisticLockError);
    expect(e.code).toBe('condition.failed');
    expect(e.cause).toBeInstanceOf(ConditionalCheckFailedException);
    expect(e.context).toEqual({ key: { id: 'a1' } });
    expect(e.item).toEqual({ id: 'a1', owner: 'ann', balance: 10, version: 1 });
  });

  test('ConditionFailedError from a conditional update and a conditional put', async () => {
    await accounts.create({ id: 'a2', owner: 'ann', balance: 10 });
    const update = await rejection(accounts.where('id', '=', 'a2').where('balance', '>=', 100).update((u) => u.add('balance', -100)));
    const u = contract(update, ConditionFailedError, 'update', 'Account');
    expect(u.cause).toBeInstanceOf(ConditionalCheckFailedException);
    expect(u.context).toEqual({ key: { id: 'a2' } });
    const read = (await accounts.get({ id: 'a2' }))!;
    const put = await rejection(accounts.where('owner', '=', 'nobody').put({ ...read, balance: 0 }));
    const p = contract(put, ConditionFailedError, 'put', 'Account');
    expect(p.cause).toBeInstanceOf(ConditionalCheckFailedException);
    expect(p.context).toEqual({ key: { id: 'a2' } });
    expect((await accounts.get({ id: 'a2' }))?.balance).toBe(10);
  });

  test('OptimisticLockError', async () => {
    const read = await accounts.create({ id: 'a3', owner: 'ann', balance: 10 });
    await accounts.put({ ...read, balance: 20 });
    const error = await rejection(accounts.put({ ...read, balance: 30 }));
    const e = contract(error, OptimisticLockError, 'put', 'Account') as OptimisticLockError;
    expect(e.code).toBe('condition.optimisticLock');
    expect(e.cause).toBeInstanceOf(ConditionalCheckFailedException);
    expect(e.context).toEqual({ key: { id: 'a3' } });
    expect([e.expectedVersion, e.actualVersion]).toEqual([1, 2]);
  });

  test('ItemNotFoundError from first() and from an update of a missing item', async () => {
    const first = contract(await rejection(accounts.where('id', '=', 'nobody').first()), ItemNotFoundError, 'first', 'Account');
    expect(first.code).toBe('item.notFound');
    expect(first.context).toEqual({ conditions: [{ attribute: 'id', op: '=' }] });
    const viaIndex = contract(await rejection(accounts.where('owner', '=', 'nobody').first()), ItemNotFoundError, 'first', 'Account');
    expect(viaIndex.context).toEqual({ conditions: [{ attribute: 'owner', op: '=' }] });
    const update = contract(await rejection(accounts.key({ id: 'nobody' }).update({ balance: 1 })), ItemNotFoundError, 'update', 'Account');
    expect(update.cause).toBeInstanceOf(ConditionalCheckFailedException);
    expect(update.context).toEqual({ key: { id: 'nobody' } });
  });

  test('IndexNotFoundError names the index and the ones that exist', async () => {
    const error = await rejection(accounts.index('by-nothing' as never).where('owner', '=', 'ann').all());
    const e = contract(error, IndexNotFoundError, 'query', 'Account');
    expect(e.code).toBe('index.notFound');
    expect(e.context).toEqual({ index: 'by-nothing', indexes: ['by-owner'] });
    expect(e.message).toMatch(/by-nothing.*by-owner/);
  });

  test('ValidationError: before any request, with the issues in context', async () => {
    // @ts-expect-error balance is a number
    const e = contract(await rejection(accounts.create({ id: 'v', owner: 'x', balance: 'lots' })), ValidationError, 'create', 'Account') as ValidationError;
    expect(e.code).toBe('validation.failed');
    expect(e.cause).toBeUndefined();
    expect(e.context).toEqual({}); // the issues are said once, in e.issues
    expect(e.issues).toHaveLength(1);
  });

  test('a where() on an attribute the model does not have, or an operator that does not fit', () => {
    // @ts-expect-error not an attribute of Account
    const unknown = contract(thrown(() => accounts.where('nickname', '=', 'x')), ValidationError, 'where', 'Account') as ValidationError;
    expect(unknown.attribute).toBe('nickname');
    // @ts-expect-error begins_with does not fit a number
    const operator = contract(thrown(() => accounts.where('balance', 'begins_with', '1')), ValidationError, 'where', 'Account') as ValidationError;
    expect(operator.attribute).toBe('balance');
    expect(operator.received).toBe('"begins_with"');
    // @ts-expect-error balance is a number
    const value = contract(thrown(() => accounts.where('balance', '>', '10')), ValidationError, 'where', 'Account') as ValidationError;
    expect([value.attribute, value.expected, value.received]).toEqual(['balance', 'a number', 'string "10"']);
  });

  test('ModelDefinitionError', () => {
    const e = contract(thrown(() => model('Broken', { attributes: { a: t.string() } })), ModelDefinitionError, 'model', 'Broken');
    expect(e.code).toBe('model.invalid');
  });

  test('DynamoDB refusing a request (a missing table) is a DynamORMError with the SDK exception as cause and a hint', async () => {
    const bare = new DynamORM({ endpoint: endpoint(), tablePrefix: uniquePrefix('missing') });
    const error = await rejection(bare.model(Account).get({ id: 'x' }));
    const e = contract(error, DynamORMError, 'get', 'Account');
    expect(e.code).toBe('dynamodb.ResourceNotFoundException');
    expect(e.cause).toBeInstanceOf(ResourceNotFoundException);
    expect(e.message).toMatch(/autoMigrate/);
  });

  test('an update whose values alone are over 400 KB is an ItemTooLargeError before any request', async () => {
    await accounts.create({ id: 'big', owner: 'x', balance: 0 });
    const error = await rejection(accounts.key({ id: 'big' }).update({ note: 'x'.repeat(410_000) }));
    const e = contract(error, ItemTooLargeError, 'update', 'Account');
    expect(e.cause).toBeUndefined();
    expect((await accounts.get({ id: 'big' }))?.version).toBe(1);
  });
});
