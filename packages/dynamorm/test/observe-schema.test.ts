// The schema's and migrations' requests go through the same pipeline as every other request:
// listeners, middleware and metrics see them, under the operations `schema` and `migrate`.
import { describe, expect, test } from 'vitest';
import { defineMigration, DynamORM, model, t, type DynamoRequest } from 'dynamorm';
import { endpoint } from './support/dynamo.js';
import { uniquePrefix } from './support/inspect.js';

const Tag = model('Tag', { table: 'tags', attributes: { id: t.string().pk(), label: t.string().index('by-label') } });

describe('schema and migration requests', () => {
  test('plan, apply and migrate: each request is seen by listeners, middleware and metrics', async () => {
    const orm = new DynamORM({ endpoint: endpoint(), tablePrefix: uniquePrefix('observe-schema'), enableMetrics: true, models: [Tag] });
    const seen: DynamoRequest[] = [];
    const through: string[] = [];
    orm.on('request', (e) => void seen.push(e.request));
    orm.use((request, next) => {
      through.push(request.command);
      return next(request);
    });
    const plan = await orm.schema.plan();
    expect(plan.upToDate).toBe(false);
    expect(seen.map((r) => [r.operation, r.command])).toContainEqual(['schema', 'DescribeTable']);
    await orm.schema.apply(plan);
    expect(seen.filter((r) => r.operation === 'schema').map((r) => r.command)).toContain('CreateTable');
    expect(seen.find((r) => r.command === 'CreateTable')?.table).toBe(orm.tableName(Tag));
    const before = seen.length;
    await orm.migrate({ migrations: [defineMigration({ version: '1', up: () => undefined })] });
    const migrating = seen.slice(before);
    expect(migrating.length).toBeGreaterThan(0);
    expect(migrating.every((r) => r.operation === 'migrate')).toBe(true);
    expect(migrating.map((r) => r.command)).toContain('PutItem'); // the lock and the history record
    expect(through).toEqual(seen.map((r) => r.command));
    const metrics = orm.metrics()['*']!;
    expect(metrics.schema!.requests).toBe(seen.filter((r) => r.operation === 'schema').length);
    expect(metrics.migrate!.requests).toBe(migrating.length);
  });
});
