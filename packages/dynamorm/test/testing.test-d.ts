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

  test('methods fit the kind: no willReturn on a create, no withChanges on a query', () => {
    // @ts-expect-error a create answers with success or a failure
    mock.expectCreate(Account).willReturn({ userId: 'a' });
    // @ts-expect-error withChanges is for updates
    mock.expectQuery(Account).withChanges({ balance: 1 });
    expectTypeOf(mock.expectDelete(Account).willFail('ConditionalCheckFailedException').times(2)).toHaveProperty('withKey');
    // @ts-expect-error not a DynamoDB exception name
    mock.expectDelete(Account).willFail('Oops');
  });
});
