// describeModel: what tools (the CLI, GraphQL schemas) read of a model, for plain and composed keys.
import { describe, expect, test } from 'vitest';
import { describeModel, model, t } from 'dynamorm';

describe('describeModel', () => {
  test('a plain model: attributes with kinds and nested schemas, key, indexes with their key attributes', () => {
    const User = model('User', {
      table: 'users',
      indexes: { 'gsi-email': { projection: 'KEYS_ONLY' } },
      attributes: {
        id: t.string().pk(),
        createdAt: t.date().sk(),
        email: t.string().index('gsi-email').field('mail'),
        tags: t.stringSet().optional(),
        address: t.object({ city: t.string(), zip: t.string().nullable() }),
        scores: t.list(t.number()),
        status: t.enum(['on', 'off']).default('on'),
        version: t.number().version(),
      },
    });
    const d = describeModel(User);
    expect(d).toMatchObject({ name: 'User', table: 'users', entity: undefined, key: ['id', 'createdAt'] });
    expect(d.primary).toEqual({ index: undefined, type: 'TABLE', partitionKey: ['id'], sortKey: ['createdAt'], projection: 'ALL' });
    expect(d.indexes).toEqual([{ index: 'gsi-email', type: 'GSI', partitionKey: ['email'], sortKey: [], projection: 'KEYS_ONLY' }]);
    const byName = Object.fromEntries(d.attributes.map((a) => [a.name, a]));
    expect(byName['email']).toMatchObject({ field: 'mail', kind: 'string', optional: false, generated: false });
    expect(byName['tags']).toMatchObject({ kind: 'stringSet', optional: true });
    expect(byName['address']!.shape!.map((s) => [s.name, s.kind, s.nullable])).toEqual([['city', 'string', false], ['zip', 'string', true]]);
    expect(byName['scores']!.element).toMatchObject({ kind: 'number' });
    expect(byName['status']).toMatchObject({ kind: 'enum', values: ['on', 'off'], generated: true });
    expect(byName['version']).toMatchObject({ managed: 'version', generated: true });
    expect(Object.isFrozen(d) && Object.isFrozen(d.attributes)).toBe(true);
  });

  test('composed keys list the attributes their templates name; key-only attributes are marked', () => {
    const Order = model('Order', {
      table: 'shop',
      keys: { pk: 'CUSTOMER#{customerId}', sk: 'ORDER#{placedAt}#{orderId}' },
      indexes: { GSI1: { pk: 'ORDERS#{status}', sk: 'ORDER#{placedAt}#{orderId}' }, LSI1: { local: true, sk: 'STATUS#{status}' } },
      attributes: { customerId: t.string().keyOnly(), placedAt: t.date().keyOnly(), orderId: t.string(), status: t.enum(['open', 'done']) },
    });
    const d = describeModel(Order);
    expect(d.key).toEqual(['customerId', 'placedAt', 'orderId']);
    expect(d.entity).toBe('Order');
    expect(d.primary).toMatchObject({ partitionKey: ['customerId'], sortKey: ['placedAt', 'orderId'] });
    expect(d.indexes).toEqual([
      { index: 'GSI1', type: 'GSI', partitionKey: ['status'], sortKey: ['placedAt', 'orderId'], projection: 'ALL' },
      { index: 'LSI1', type: 'LSI', partitionKey: ['customerId'], sortKey: ['status'], projection: 'ALL' },
    ]);
    expect(d.attributes.find((a) => a.name === 'placedAt')).toMatchObject({ keyOnly: true, kind: 'date' });
  });
});
