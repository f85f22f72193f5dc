import { describe, expectTypeOf, test } from 'vitest';
import { DynamORM, model, t, type CollectionIndex, type InferIndexName, type InferKey } from 'dynamorm';

const User = model('User', {
  table: 'app',
  keys: { pk: 'USER#{userId}', sk: 'PROFILE' },
  indexes: {
    GSI1: { pk: 'EMAIL#{email}', sk: 'USER#{userId}' },
    GSI2: { pk: { field: 'GSI2PK', template: 'ORG#{orgId}' }, projection: 'KEYS_ONLY' },
  },
  attributes: { userId: t.string(), email: t.string(), orgId: t.string().optional(), nick: t.string().index('gsi-nick') },
});
const Order = model('Order', {
  table: 'app',
  keys: { pk: 'USER#{userId}', sk: 'ORDER#{placedAt}#{orderId}' },
  indexes: { GSI2: { pk: 'ORG#{orgId}', sk: 'ORDER#{orderId}' } },
  attributes: { userId: t.string(), orderId: t.string(), placedAt: t.date(), orgId: t.string(), total: t.number() },
});
const orm = new DynamORM({ region: 'us-east-1' });

describe('composed indexes', () => {
  test('index names: the attributes\' and the composed ones; index(name) takes only those', () => {
    expectTypeOf<InferIndexName<typeof User>>().toEqualTypeOf<'gsi-nick' | 'GSI1' | 'GSI2'>();
    expectTypeOf<InferIndexName<typeof Order>>().toEqualTypeOf<'GSI2'>();
    expectTypeOf<InferKey<typeof User>>().toEqualTypeOf<{ userId: string }>();
    orm.model(User).index('GSI1').where('email', '=', 'a@b.c');
    orm.model(User).index('gsi-nick');
    // @ts-expect-error Order has no GSI1
    orm.model(Order).index('GSI1');
  });

  test('a template naming an unknown attribute, or settings of an index nothing declares, do not compile', () => {
    // @ts-expect-error {mail} is not an attribute
    model('Bad', { keys: { pk: 'X#{id}' }, indexes: { G: { pk: 'M#{mail}' } }, attributes: { id: t.string(), email: t.string() } });
    // @ts-expect-error no attribute declares index nope, and it has no templates
    model('Bad', { attributes: { id: t.string().pk() }, indexes: { nope: { projection: 'KEYS_ONLY' } } });
    model('Good', { attributes: { id: t.string().pk(), e: t.string().index('by-e') }, indexes: { 'by-e': { projection: 'KEYS_ONLY' } } });
  });

  test('a composed local index is an index name of the model, and its template is checked', () => {
    const Line = model('Line', {
      keys: { pk: 'ORDER#{orderId}', sk: 'LINE#{lineId}' },
      indexes: { LSI1: { local: true, sk: 'QTY#{sku}#{lineId}' } },
      attributes: { orderId: t.string(), lineId: t.string().keyOnly(), sku: t.string() },
    });
    expectTypeOf<InferIndexName<typeof Line>>().toEqualTypeOf<'LSI1'>();
    orm.model(Line).index('LSI1').where('orderId', '=', 'o1').where('sku', '=', 's');
    // @ts-expect-error {skew} is not an attribute
    model('Bad', { keys: { pk: 'X#{id}', sk: 'Y' }, indexes: { L: { local: true, sk: 'S#{skew}' } }, attributes: { id: t.string(), sku: t.string() } });
    // @ts-expect-error keyOnly() needs an attribute DynamoDB can key on
    t.boolean().keyOnly();
  });

  test('range conditions on sort-key template attributes are typed like any attribute', () => {
    orm.model(Order).where('userId', '=', 'u').where('placedAt', '>', new Date()).where('placedAt', 'between', [new Date(), new Date()]);
    // @ts-expect-error a date compares with a Date
    orm.model(Order).where('userId', '=', 'u').where('placedAt', '>', '2024');
  });
});

describe('collections', () => {
  test('index(name) takes the indexes every model has', () => {
    expectTypeOf<CollectionIndex<[typeof User, typeof Order]>>().toEqualTypeOf<'GSI2'>();
    orm.collection([User, Order]).index('GSI2').where('orgId', '=', 'acme');
    // @ts-expect-error Order has no GSI1
    orm.collection([User, Order]).index('GSI1');
  });

  test('filters are typed per model', () => {
    const c = orm.collection([User, Order]).where('userId', '=', 'u1');
    c.filter(Order, 'total', '>', 5).filter(User, 'email', 'begins_with', 'a').filter(Order, 'total > :t', { t: 1 }).filter(Order, (f) => f.gt('total', 1));
    // @ts-expect-error total is a number
    c.filter(Order, 'total', '>', 'x');
    // @ts-expect-error User has no total
    c.filter(User, 'total', '>', 5);
    c.sortKey('begins_with', 'ORDER#').sortKey('between', ['A', 'B']);
    // @ts-expect-error between takes a pair
    c.sortKey('between', 'A');
  });
});
