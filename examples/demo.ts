/**
 * A tour of DynamORM against an embedded DynamoDB Local: `npm run demo`.
 * Starts DynamoDB Local in memory, takes the README's User model (examples/models.ts), runs each CRUD operation,
 * shows the planner's choices and the typed errors, and stops DynamoDB Local.
 */
import { ConditionFailedError, DynamORM, ItemNotFoundError, OptimisticLockError, ValidationError } from 'dynamorm';
import { startLocalDynamo } from 'dynamorm/local';
import { User } from './models.js';

const step = (title: string): void => console.log(`\n\x1b[1m▸ ${title}\x1b[0m`);
const show = (label: string, value: unknown): void => console.log(`  ${label}:`, value);

step('Starting DynamoDB Local (in memory, on a free port)');
const local = await startLocalDynamo();
show('endpoint', local.endpoint);

try {
  const orm = new DynamORM({ endpoint: local.endpoint, autoMigrate: true, logger: { warn: (m) => console.log(`  ⚠ ${m}`) } });
  const users = orm.model(User);
  const joined = new Date('2024-05-01T12:00:00.123Z');

  step('create: the table and its two GSIs are created on first use (autoMigrate)');
  const john: User = await users.create({ id: 'u1', createdAt: joined, email: 'john@example.com', name: 'John', age: 30, tags: new Set(['active']) });
  show('created', john);
  await users.create({ id: 'u2', createdAt: joined, email: 'jane@example.com', name: 'John', age: 17 });

  step('get: by the exact primary key (undefined when absent)');
  show('get u1', await users.get({ id: 'u1', createdAt: joined }));
  show('get nobody', await users.get({ id: 'nobody', createdAt: joined }));

  step('Queries: the planner picks the index by itself');
  const young = users.where('name', '=', 'John').where('age', '>', 18).orderBy('age', 'desc').limit(10);
  const plan = young.explain();
  show('explain', { operation: plan.operation, index: plan.index, KeyConditionExpression: (plan.request as { KeyConditionExpression?: string }).KeyConditionExpression });
  show('adult Johns', (await young.all()).map((u) => u.id));
  show('by email (gsi-email)', (await users.index('gsi-email').where('email', '=', 'jane@example.com').select('id', 'email').all()));
  show('count where id = u1', await users.where('id', '=', 'u1').count());

  step('update: object form, attribute form and the update builder (each bumps the version)');
  show('object form', (await users.where('id', '=', 'u1').where('createdAt', '=', joined).update({ name: 'Johnny' })).name);
  show('attribute form', (await users.key({ id: 'u1', createdAt: joined }).update('age', 31)).age);
  const updated = await users.key({ id: 'u1', createdAt: joined }).update((u) => u.set('name', 'Jon').add('age', 1).add('tags', new Set(['vip'])));
  show('builder form', { name: updated.name, age: updated.age, tags: updated.tags, version: updated.version });

  step('Typed errors');
  try {
    await users.create({ id: 'u1', createdAt: joined, email: 'x@example.com', name: 'X', age: 1 });
  } catch (error) {
    if (error instanceof ConditionFailedError) show('ConditionFailedError', error.message);
  }
  try {
    await users.put({ ...john, name: 'stale copy' }); // john holds version 1; the item is at version 4
  } catch (error) {
    if (error instanceof OptimisticLockError) show('OptimisticLockError', error.message);
  }
  try {
    await users.create({ id: 'u3', createdAt: joined, email: 'bad', name: 'Bad', age: Number.NaN, tags: new Set() });
  } catch (error) {
    if (error instanceof ValidationError) show('ValidationError', error.issues.map((i) => `${i.attribute}: expected ${i.expected}, received ${i.received}`));
  }
  try {
    await users.where('id', '=', 'nobody').first();
  } catch (error) {
    if (error instanceof ItemNotFoundError) show('ItemNotFoundError', error.message);
  }

  step('A query no index serves is a Scan, and says so');
  show('scan result', (await users.where('email', 'begins_with', 'jane').all()).map((u) => u.id));

  step('delete: resolves with the item it removed');
  show('deleted', (await users.delete({ id: 'u2', createdAt: joined }))?.id);
  show('left', (await users.scan()).map((u) => u.id));
} finally {
  step('Stopping DynamoDB Local');
  await local.stop();
}
