// test/users.test.ts
import { describe, expect, test } from 'vitest';
import { createMock } from 'dynamorm/testing';
import { User, UserService } from '../src/users.js';

describe('UserService, unit tests on the DynamORM mock', () => {
  test('finds a user by email through the by-email index', async () => {
    const mock = createMock();
    mock.expectQuery(User)
      .withIndex('by-email')
      .withCondition('email', '=', 'ann@example.com')
      .willReturn({ id: 'u1', email: 'ann@example.com', name: 'Ann', plan: 'pro' });

    const user = await new UserService(mock.orm).findByEmail('ann@example.com');

    expect(user).toEqual({ id: 'u1', email: 'ann@example.com', name: 'Ann', plan: 'pro' });
    mock.verify(); // every expectation was met
  });

  test('signUp reports a taken id', async () => {
    const mock = createMock();
    mock.expectCreate(User)
      .withItem({ id: 'u1', email: 'ann@example.com' })
      .willFail('ConditionalCheckFailedException'); // mapped by the ORM as DynamoDB's own error would be

    expect(await new UserService(mock.orm).signUp('u1', 'ann@example.com', 'Ann')).toBe('taken');
    mock.verify();
  });

  test('upgrade sets the plan of that user only', async () => {
    const mock = createMock();
    mock.expectUpdate(User).withKey({ id: 'u1' }).withChanges({ plan: 'pro' });

    const user = await new UserService(mock.orm).upgrade('u1');

    expect(user.plan).toBe('pro');
    mock.verify();
  });

  test('a call the test did not expect fails, saying what was sent and what was expected', async () => {
    const mock = createMock();
    mock.expectQuery(User).withCondition('email', '=', 'ann@example.com');

    await expect(new UserService(mock.orm).findByEmail('bob@example.com')).rejects.toThrow(
      'the request has no condition email = "ann@example.com" (its conditions: email = "bob@example.com")',
    );
  });
});
