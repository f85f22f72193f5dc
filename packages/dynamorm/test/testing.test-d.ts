// The types of dynamorm/testing: expectations are checked against the model like where().
import { describe, expectTypeOf, test } from 'vitest';
import { model, t, type DynamORM, type FixtureCounts } from 'dynamorm';
import { createMock, isolatedOrm, type Mock, type QueryExpectation } from 'dynamorm/testing';
import { User } from './fixtures/user-model.js';

const Account = model('Account', { attributes: { userId: t.string().pk(), balance: t.number() } });
declare const mock: Mock;

describe('dynamorm/testing types', () => {
  test('API.md: the example compiles and orm is a DynamORM', () => {
    expectTypeOf(createMock).returns.toEqualTypeOf<Mock>();
    expectTypeOf(mock.orm).toEqualTypeOf<DynamORM>();
    expectTypeOf(mock.expectQuery(User).withCondition('id', '=', '123').willReturn({ id: '123', name: 'Test' })).toEqualTypeOf<QueryExpectation<typeof User>>();
    expectTypeOf(mock.orm.loadFixture).returns.resolves.toEqualTypeOf<FixtureCounts>();
    expectTypeOf(isolatedOrm).returns.toEqualTypeOf<DynamORM>();
  });

  test('attributes, operators, operands, indexes, keys and items are the model\'s', () => {
    mock.expectQuery(User).withCondition('age', 'between', [18, 65]).withCondition('tags', 'contains', 'x').withIndex('gsi-name-age');
    // @ts-expect-error no attribute "nope"
    mock.expectQuery(User).withCondition('nope', '=', 1);
    // @ts-expect-error begins_with does not fit a number
    mock.expectQuery(User).withCondition('age', 'begins_with', '1');
    // @ts-expect-error age is a number
    mock.expectQuery(User).withCondition('age', '>', '18');
    // @ts-expect-error not an index of User
    mock.expectQuery(User).withIndex('by-nothing');
    // @ts-expect-error the key needs createdAt too
    mock.expectGet(User).withKey({ id: '1' });
    // @ts-expect-error balance is a number
    mock.expectCreate(Account).withItem({ balance: 'lots' });
    // @ts-expect-error an update sets attributes of the model
    mock.expectUpdate(Account).withChanges({ nope: 1 });
    // @ts-expect-error willReturn takes items of the model
    mock.expectScan(Account).willReturn([{ userId: 1 }]);
    mock.expectTransaction().withPut(Account, { userId: 'a' }).withUpdate(User, { id: '1', createdAt: new Date() }, { name: 'x' });
    // @ts-expect-error the key of Account is userId
    mock.expectTransaction().withDelete(Account, { id: 'a' });
  });

  test('tables on the mock: a model and its replicas; the ORM options it takes', () => {
    const mock = createMock({ replicas: ['eu-west-1'], billingMode: 'PAY_PER_REQUEST' });
    expectTypeOf(mock.table(User, { replicas: ['eu-west-1'] })).toEqualTypeOf<void>();
    // @ts-expect-error replicas are region names
    mock.table(User, { replicas: [1] });
    // @ts-expect-error no such billing mode
    createMock({ billingMode: 'ON_DEMAND' });
  });

  test('methods fit the kind: no willReturn on a create, no withChanges on a query', () => {
    // @ts-expect-error a create answers with success or a failure
    mock.expectCreate(Account).willReturn({ userId: 'a' });
    // @ts-expect-error withChanges is for updates
    mock.expectQuery(Account).withChanges({ balance: 1 });
    expectTypeOf(mock.expectDelete(Account).willFail('ConditionalCheckFailedException').times(2)).toHaveProperty('withKey');
    // @ts-expect-error not a DynamoDB exception name
    mock.expectDelete(Account).willFail('Oops');
  });

  test('transaction cancellations: a reason per action, with DynamoDB\'s codes', () => {
    mock.expectTransaction().willFail('TransactionCanceledException');
    mock.expectTransaction().willFail({ transactionCanceled: ['None', 'TransactionConflict', { code: 'ConditionalCheckFailed', item: { balance: 0 } }, { code: 'ConditionalCheckFailed', item: null }] });
    // @ts-expect-error not a cancellation code
    mock.expectTransaction().willFail({ transactionCanceled: ['Conflict'] });
    // @ts-expect-error only a failed condition carries an item
    mock.expectTransaction().willFail({ transactionCanceled: [{ code: 'None', item: {} }] });
    // @ts-expect-error a cancellation is a transaction's failure
    mock.expectUpdate(Account).willFail({ transactionCanceled: ['None'] });
  });

  test('collections: conditions on the shared attributes, items of the collection\'s models', () => {
    const Customer = model('Customer', { table: 'shop', keys: { pk: 'C#{customerId}', sk: 'PROFILE' }, attributes: { customerId: t.string(), name: t.string() } });
    const Order = model('Order', { table: 'shop', keys: { pk: 'C#{customerId}', sk: 'O#{orderId}' }, attributes: { customerId: t.string(), orderId: t.string(), total: t.number() } });
    mock.expectCollection([Customer, Order]).withCondition('customerId', '=', 'c1').willReturn(Customer, { name: 'Ann' }).willReturn(Order, [{ orderId: 'o1', total: 1 }]);
    // @ts-expect-error Account is not a model of the collection
    mock.expectCollection([Customer, Order]).willReturn(Account, { userId: 'a' });
    // @ts-expect-error total is a number
    mock.expectCollection([Customer, Order]).willReturn(Order, { total: 'x' });
    // @ts-expect-error customerId is a string
    mock.expectCollection([Customer, Order]).withCondition('customerId', '=', 1);
  });
});
