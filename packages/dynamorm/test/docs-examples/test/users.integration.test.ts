// test/users.integration.test.ts
import { afterAll, beforeEach, expect, test } from 'vitest';
import { isolatedOrm } from 'dynamorm/testing';
import { Invoice, User, UserService } from '../src/users.js';

// Tables of this file get a prefix of their own: files run in parallel on one DynamoDB Local.
const orm = isolatedOrm({ name: 'users', models: [User, Invoice] });
afterAll(() => orm.dropTables());

beforeEach(async () => {
  await orm.resetTables();
  await orm.loadFixture({
    User: [
      { id: 'u1', email: 'ann@example.com', name: 'Ann' },
      { id: 'u2', email: 'bob@example.com', name: 'Bob', plan: 'pro' },
    ],
    Invoice: [
      { userId: 'u1', number: 1, amount: 30 },
      { userId: 'u1', number: 2, amount: 12, paid: true },
      { userId: 'u1', number: 3, amount: 8 },
      { userId: 'u2', number: 1, amount: 99 },
    ],
  });
});

test('finds a user by email', async () => {
  const user = await new UserService(orm).findByEmail('bob@example.com');
  expect(user).toMatchObject({ id: 'u2', name: 'Bob', plan: 'pro' });
});

test('sums the unpaid invoices of one user', async () => {
  expect(await new UserService(orm).balance('u1')).toBe(38);
});

test('signUp refuses an id that exists, and upgrade changes the stored plan', async () => {
  const service = new UserService(orm);
  expect(await service.signUp('u1', 'other@example.com', 'Other')).toBe('taken');
  await service.upgrade('u1');
  expect(await orm.model(User).get({ id: 'u1' })).toMatchObject({ plan: 'pro' });
});
