import { describe, expectTypeOf, test } from 'vitest';
import { DynamORM, model, t, type CollectionItem, type InferItem, type InferKey, type QueryPath, type Page } from 'dynamorm';
import { User } from './fixtures/user-model.js';

const orm = new DynamORM({ region: 'us-east-1' });
const q = orm.model(User);

const Doc = model('Doc', {
  attributes: {
    id: t.string().pk(),
    flag: t.boolean(),
    bin: t.binary(),
    at: t.date(),
    color: t.enum(['red', 'green']),
    nums: t.numberSet(),
    list: t.list(t.string()),
    address: t.object({ city: t.string(), geo: t.object({ lat: t.number() }).optional() }),
    extra: t.unknown(),
  },
});
const d = orm.model(Doc);

describe('operators per attribute type', () => {
  test('strings, numbers, dates, booleans, binaries, enums, sets, lists', () => {
    q.where('name', 'begins_with', 'J').where('age', 'between', [1, 2]).where('createdAt', '>', new Date());
    d.where('flag', '=', true).where('flag', 'in', [true, false]).where('bin', 'begins_with', new Uint8Array());
    d.where('color', 'in', ['red']).where('nums', 'contains', 3).where('list', 'contains', 'x').where('at', 'begins_with', '2024');
    // @ts-expect-error a boolean has no order
    d.where('flag', '<', true);
    // @ts-expect-error an enum takes its own values
    d.where('color', '=', 'blue');
    // @ts-expect-error a number set contains numbers
    d.where('nums', 'contains', 'x');
    // @ts-expect-error a list has no begins_with
    d.where('list', 'begins_with', 'x');
    // @ts-expect-error an object has no equality
    d.where('address', '=', { city: 'x' });
    // @ts-expect-error a date compares with a Date, not a string
    d.where('at', '>', '2024-01-01');
  });

  test('an unknown value takes any operator', () => {
    d.where('extra', '=', 1).where('extra', 'begins_with', 'x').where('extra.anything', '>', 3);
  });
});

describe('nested paths', () => {
  test('object properties with their own types, map keys and list elements', () => {
    d.where('address.city', 'begins_with', 'Pa').where('address.geo.lat', '>', 3).where('list[0]', '=', 'x');
    q.where('preferences.theme', '=', 'dark');
    expectTypeOf<'address.geo.lat'>().toMatchTypeOf<QueryPath<typeof Doc>>();
    // @ts-expect-error a property the object does not have
    d.where('address.country', '=', 'x');
    // @ts-expect-error lat is a number
    d.where('address.geo.lat', '=', 'north');
    // @ts-expect-error a string has no properties
    d.where('id.length', '=', 1);
  });
});

describe('raw filters', () => {
  test('a string and its parameters, or the typed form', () => {
    expectTypeOf(q.filter('contains(tags, :tag)', { tag: 'active' })).toEqualTypeOf(q);
    q.filter('age', '>', 3);
    // @ts-expect-error parameters are an object
    q.filter('age > :a', 3);
    // @ts-expect-error the typed form checks the value
    q.filter('age', '>', 'three');
  });
});

describe('select narrowing and indexes', () => {
  test('select narrows every result type', () => {
    const s = q.select('id', 'email');
    expectTypeOf(s.first()).resolves.toEqualTypeOf<{ id: string; email: string }>();
    expectTypeOf(s.page()).resolves.toEqualTypeOf<Page<{ id: string; email: string }>>();
    expectTypeOf<Page<{ id: string }>['cursorAfter']>().toEqualTypeOf<(index: number) => string>();
    expectTypeOf(s.scan({ segments: 4 })).resolves.toEqualTypeOf<{ id: string; email: string }[]>();
    // @ts-expect-error select takes top-level attributes
    q.select('preferences.theme');
  });

  test('unknown indexes and attributes are refused', () => {
    // @ts-expect-error no such index
    q.index('gsi-age');
    // @ts-expect-error no such attribute
    q.orderBy('nope');
    // @ts-expect-error no such attribute
    q.where('nope', '=', 1);
  });
});

describe('single-table models and collections', () => {
  const Customer = model('Customer', {
    table: 'app',
    keys: { pk: 'CUSTOMER#{customerId}', sk: 'PROFILE' },
    attributes: { customerId: t.string(), name: t.string() },
  });
  const Order = model('Order', {
    table: 'app',
    keys: { pk: 'CUSTOMER#{customerId}', sk: { field: 'SK', template: 'ORDER#{placedAt}#{orderId}' } },
    attributes: { customerId: t.string(), orderId: t.string(), placedAt: t.date(), total: t.number() },
  });

  test('the key is the attributes the templates name', () => {
    expectTypeOf<InferKey<typeof Customer>>().toEqualTypeOf<{ customerId: string }>();
    expectTypeOf<InferKey<typeof Order>>().toEqualTypeOf<{ customerId: string; orderId: string; placedAt: Date }>();
    // @ts-expect-error placedAt is part of the key
    orm.model(Order).get({ customerId: 'c', orderId: 'o' });
  });

  test('a template naming an attribute the model lacks is refused', () => {
    // @ts-expect-error {custId} is not an attribute
    model('Bad', { keys: { pk: 'C#{custId}' }, attributes: { customerId: t.string() } });
  });

  test('a collection is typed as a union discriminated by entity', () => {
    const c = orm.collection([Customer, Order]).where('customerId', '=', 'c1');
    type Item = CollectionItem<[typeof Customer, typeof Order]>;
    expectTypeOf(c.all()).resolves.toEqualTypeOf<Item[]>();
    expectTypeOf<Item>().toEqualTypeOf<
      | { readonly entity: 'Customer'; readonly item: InferItem<typeof Customer> }
      | { readonly entity: 'Order'; readonly item: InferItem<typeof Order> }
    >();
    const narrow = (i: Item): number | string => (i.entity === 'Order' ? i.item.total : i.item.name);
    expectTypeOf(narrow).returns.toEqualTypeOf<number | string>();
    // @ts-expect-error only attributes every model has
    orm.collection([Customer, Order]).where('orderId', '=', 'o1');
    // @ts-expect-error a collection needs at least one model
    orm.collection([]);
  });
});

describe('names are checked by one signature per method', () => {
  test('good names, paths, operators and values pass; each kind of mistake is refused', () => {
    q.where('age', '>', 1).filter('name', 'begins_with', 'J').filter('preferences.theme', '=', 'dark').orderBy('createdAt');
    d.where('list[0]', '=', 'x').filter('address.geo.lat', 'between', [1, 2]).where('extra.a.b', 'exists');
    const name: string = 'age';
    // @ts-expect-error a wide string is not a name of the model
    q.where(name, '=', 1);
    // @ts-expect-error no such attribute
    q.filter('colour', '=', 'red');
    // @ts-expect-error no such attribute
    q.orderBy('colour');
    // @ts-expect-error = takes a value
    q.where('age', '=');
    // @ts-expect-error exists takes none
    q.filter('age', 'exists', 1);
    // @ts-expect-error a path into a list element that has no such property
    d.where('list[0].x', '=', 'x');
  });

  test('updates and conditions', () => {
    const k = q.key({ id: 'u', createdAt: new Date() });
    void k.update('name', 'Jane');
    void k.update((u) => u.set('preferences.theme', 'dark').remove('tags').increment('age'));
    void k.if((c) => c.and(c.beginsWith('name', 'J'), c.attributeExists('preferences.theme')));
    // @ts-expect-error no such attribute
    void k.update('colour', 'red');
    // @ts-expect-error name is a string
    void k.update('name', 1);
    // @ts-expect-error a required attribute cannot be removed
    void k.update((u) => u.remove('name'));
    // @ts-expect-error name is not a number
    void k.update((u) => u.increment('name'));
    // @ts-expect-error begins_with does not fit a number
    void k.if((c) => c.beginsWith('age', '1'));
    // @ts-expect-error no such attribute
    void k.if((c) => c.attributeNotExists('colour'));
  });
});
