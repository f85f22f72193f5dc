// What a user meets on the first day, on DynamoDB Local: explain() as plain data, get/key/delete
// given a whole item, keyOf, errors that log each thing once, TTL values in milliseconds refused,
// upserts, batchGet across models, oversize items, a new item put with a version.
import { inspect } from 'node:util';
import { describe, expect, test } from 'vitest';
import { DynamORM, model, t } from 'dynamorm';
import { endpoint } from './support/dynamo.js';
import { uniquePrefix } from './support/inspect.js';

const orm = new DynamORM({ endpoint: endpoint(), autoMigrate: true, tablePrefix: uniquePrefix('firstday'), logger: { warn: () => undefined } });

const Post = model('Post', {
  table: 'posts',
  attributes: {
    author: t.string().pk(),
    postedAt: t.date().sk(),
    slug: t.string().index('by-slug'),
    title: t.string(),
  },
});

describe('explain()', () => {
  test('is plain data: JSON.stringify and console.log show the reasons and no internals', () => {
    const explanation = orm.model(Post).where('slug', '=', 'a-1').explain();
    const json = JSON.parse(JSON.stringify(explanation)) as Record<string, unknown>;
    expect(Object.keys(json).sort()).toEqual(['index', 'operation', 'reasons', 'request']);
    expect(json.reasons).toEqual(explanation.reasons);
    expect((json.reasons as string[]).length).toBeGreaterThan(0);
    expect(json).toMatchObject({ operation: 'Query', index: 'by-slug' });
    const logged = inspect(explanation, { depth: 10 });
    expect(logged).toContain('reasons');
    expect(logged).not.toContain('plan');
    expect(Object.getPrototypeOf(explanation)).toBe(Object.prototype);
  });
});
