import { describe, expectTypeOf, test } from 'vitest';
import { DynamORM, model, t, type InferInput, type InferItem, type InferKey, type InferIndexName, type Page } from 'dynamorm';
import { User } from './fixtures/user-model.js';

const orm = new DynamORM({ region: 'us-east-1' });
const at = new Date();

describe('InferItem, InferInput and InferKey of the API.md User', () => {
  test('the item has every attribute, optional ones optional', () => {
    expectTypeOf<User>().toEqualTypeOf<{
      id: string;
      createdAt: Date;
      email: string;
      name: string;
      age: number;
      updatedAt: Date;
      version: number;
      tags?: Set<string>;
      preferences?: Record<string, unknown>;
      ttl?: number;
    }>();
  });

  test('the input leaves managed and optional attributes optional, and takes a Date for the ttl', () => {
    type In = InferInput<typeof User>;
    expectTypeOf<In>().toEqualTypeOf<{
      id: string;
      createdAt: Date;
      email: string;
      name: string;
      age: number;
      updatedAt?: Date;
      version?: number;
      tags?: Set<string>;
      preferences?: Record<string, unknown>;
      ttl?: number | Date;
    }>();
  });

  test('the key is exactly the primary key', () => {
    expectTypeOf<InferKey<typeof User>>().toEqualTypeOf<{ id: string; createdAt: Date }>();
  });

  test('index names are inferred from the attributes', () => {
    expectTypeOf<InferIndexName<typeof User>>().toEqualTypeOf<'gsi-email' | 'gsi-name-age'>();
  });

  test('modifiers shape the types: nullable, default, enum, nested object, list, bigint, custom', () => {
    const Thing = model('Thing', {
      attributes: {
        id: t.string().pk(),
        note: t.string().nullable(),
        status: t.enum(['open', 'closed']).default('open'),
        address: t.object({ city: t.string(), zip: t.string().optional() }),
        scores: t.list(t.number()),
        big: t.bigint(),
        money: t.custom({ type: 'S', marshal: (m: { cents: number }) => String(m.cents), unmarshal: (s: string) => ({ cents: Number(s) }) }),
      },
    });
    expectTypeOf<InferItem<typeof Thing>>().toEqualTypeOf<{
      id: string;
      note: string | null;
      status: 'open' | 'closed';
      address: { city: string; zip?: string };
      scores: number[];
      big: bigint;
      money: { cents: number };
    }>();
    expectTypeOf<InferInput<typeof Thing>>().toHaveProperty('status').toEqualTypeOf<'open' | 'closed' | undefined>();
  });
});

describe('model definitions the compiler refuses', () => {
  test('a key of a type DynamoDB cannot key on', () => {
    // @ts-expect-error booleans cannot be keys
    t.boolean().pk();
    // @ts-expect-error sets cannot be index keys
    t.stringSet().index('gsi');
    // @ts-expect-error a nullable attribute cannot be a key
    t.string().nullable().pk();
  });

  test('a custom attribute stored as a scalar can be a key, whatever its TypeScript type', () => {
    class OrderId {
      constructor(readonly value: string) {}
    }
    const id = () => t.custom({ type: 'S', marshal: (o: OrderId) => o.value, unmarshal: (s: string) => new OrderId(s) });
    const Order = model('Order', { attributes: { id: id().field('PK').pk(), parent: id().index('by-parent'), at: t.date().sk() } });
    expectTypeOf<InferKey<typeof Order>>().toEqualTypeOf<{ id: OrderId; at: Date }>();
    orm.model(Order).where('parent', '=', new OrderId('p')).where('at', '>', at);
    orm.model(Order).where('parent', 'between', [new OrderId('a'), new OrderId('b')]);
    // @ts-expect-error compared with its own type, not the stored string
    orm.model(Order).where('parent', '=', 'p');
    // @ts-expect-error a nullable one cannot
    id().nullable().pk();
    // @ts-expect-error nor a list of them
    t.list(id()).pk();
  });

  test('a version that is not a number, a timestamp that is not a time', () => {
    // @ts-expect-error version needs a number
    t.string().version();
    // @ts-expect-error updatedAt needs a date, number or string
    t.boolean().updatedAt();
    expectTypeOf(t.number().version()).not.toBeNever();
  });

  test('index options name only declared indexes', () => {
    model('Indexed', {
      attributes: { id: t.string().pk(), email: t.string().index('by-email') },
      indexes: { 'by-email': { projection: 'KEYS_ONLY' } },
    });
    model('Indexed2', {
      attributes: { id: t.string().pk(), email: t.string().index('by-email') },
      // @ts-expect-error no index of this name
      indexes: { 'by-mail': { projection: 'KEYS_ONLY' } },
    });
  });
});

describe('queries', () => {
  test('result types of first, all, get, page and iterate', () => {
    expectTypeOf(orm.model(User).where('id', '=', 'u1').first()).toEqualTypeOf<Promise<User>>();
    expectTypeOf(orm.model(User).where('id', '=', 'u1').all()).toEqualTypeOf<Promise<User[]>>();
    expectTypeOf(orm.model(User).get({ id: 'u1', createdAt: at })).toEqualTypeOf<Promise<User | undefined>>();
    expectTypeOf(orm.model(User).where('id', '=', 'u1').page()).toEqualTypeOf<Promise<Page<User>>>();
    expectTypeOf(orm.model(User).where('id', '=', 'u1').iterate()).toEqualTypeOf<AsyncGenerator<User>>();
    expectTypeOf(orm.model(User).where('email', '=', 'a@b.c').count()).toEqualTypeOf<Promise<number>>();
  });

  test('select narrows the result type', () => {
    const q = orm.model(User).where('id', '=', 'u1').select('id', 'email', 'tags');
    expectTypeOf(q.all()).toEqualTypeOf<Promise<{ id: string; email: string; tags?: Set<string> }[]>>();
    // @ts-expect-error not an attribute
    orm.model(User).select('id', 'nope');
  });

  test('unknown attributes are refused', () => {
    // @ts-expect-error no attribute "nmae"
    orm.model(User).where('nmae', '=', 'John');
    // @ts-expect-error no attribute "nope"
    orm.model(User).orderBy('nope', 'desc');
  });

  test('values must have the attribute type', () => {
    orm.model(User).where('age', '>', 18);
    // @ts-expect-error age is a number
    orm.model(User).where('age', '>', '18');
    // @ts-expect-error createdAt is a Date
    orm.model(User).where('createdAt', '=', 12);
    orm.model(User).where('age', 'between', [18, 65]);
    // @ts-expect-error between takes a pair
    orm.model(User).where('age', 'between', 18);
    orm.model(User).where('name', 'in', ['a', 'b']);
    orm.model(User).where('tags', 'exists');
    // @ts-expect-error exists takes no value
    orm.model(User).where('tags', 'exists', 'x');
  });

  test('operators are offered only where they fit the type', () => {
    orm.model(User).where('name', 'begins_with', 'Jo');
    orm.model(User).where('tags', 'contains', 'active');
    // @ts-expect-error begins_with does not fit a number
    orm.model(User).where('age', 'begins_with', 1);
    // @ts-expect-error a set cannot be compared with >
    orm.model(User).where('tags', '>', new Set(['a']));
    // @ts-expect-error contains takes an element of the set
    orm.model(User).where('tags', 'contains', 1);
    // @ts-expect-error a map has no order
    orm.model(User).where('preferences', '<', {});
  });

  test('indexes are typed to the model', () => {
    orm.model(User).index('gsi-email').where('email', '=', 'a@b.c');
    // @ts-expect-error no such index
    orm.model(User).index('gsi-mail');
  });

  test('get takes exactly the primary key', () => {
    orm.model(User).get({ id: 'u1', createdAt: at });
    // @ts-expect-error the sort key is missing
    orm.model(User).get({ id: 'u1' });
    // @ts-expect-error email is not part of the key
    orm.model(User).get({ id: 'u1', createdAt: at, email: 'a@b.c' });
  });
});

describe('writes', () => {
  const input = { id: 'u1', createdAt: at, email: 'a@b.c', name: 'John', age: 30 };

  test('create and put take the input and resolve with the item', () => {
    expectTypeOf(orm.model(User).create(input)).toEqualTypeOf<Promise<User>>();
    expectTypeOf(orm.model(User).put({ ...input, version: 3 })).toEqualTypeOf<Promise<User>>();
  });

  test('a missing required attribute or a wrong type is refused', () => {
    const { email: _email, ...withoutEmail } = input;
    // @ts-expect-error email is required
    orm.model(User).create(withoutEmail);
    // @ts-expect-error age is a number
    orm.model(User).create({ ...input, age: '30' });
    // @ts-expect-error no attribute "nickname"
    orm.model(User).create({ ...input, nickname: 'J' });
  });

  test('the three update forms are typed', () => {
    const q = orm.model(User).where('id', '=', 'u1').where('createdAt', '=', at);
    expectTypeOf(q.update({ name: 'Jane' })).toEqualTypeOf<Promise<User>>();
    q.update('name', 'Jane');
    q.update((u) => u.set('name', 'Jane').add('age', 1).remove('ttl').add('tags', new Set(['x'])));
    // @ts-expect-error age is a number
    q.update({ age: 'old' });
    // @ts-expect-error the key cannot be updated
    q.update({ id: 'other' });
    // @ts-expect-error name is a string
    q.update('name', 5);
    // @ts-expect-error email is required, so it cannot be removed
    q.update((u) => u.remove('email'));
    // @ts-expect-error add needs a number or a set
    q.update((u) => u.add('name', 1));
  });

  test('delete takes the key and resolves with the old item', () => {
    expectTypeOf(orm.model(User).delete({ id: 'u1', createdAt: at })).toEqualTypeOf<Promise<User | undefined>>();
  });
});
