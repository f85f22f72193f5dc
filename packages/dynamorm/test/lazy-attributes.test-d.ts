import { describe, expectTypeOf, test } from 'vitest';
import { DynamORM, model, t, type ChangeEvent, type InferInput, type InferItem } from 'dynamorm';

const Post = model('Post', {
  attributes: {
    id: t.string().pk(),
    title: t.string(),
    body: t.string().lazy().compress(),
    notes: t.list(t.string()).lazy().optional(),
  },
});
const Plain = model('Plain', { attributes: { id: t.string().pk(), title: t.string() } });
const orm = new DynamORM({});

describe('lazy attributes', () => {
  test('absent from the item type by default, present in the input', () => {
    expectTypeOf<InferItem<typeof Post>>().toEqualTypeOf<{ id: string; title: string }>();
    expectTypeOf<InferInput<typeof Post>>().toEqualTypeOf<{ id: string; title: string; body: string; notes?: string[] | undefined }>();
    expectTypeOf(orm.model(Post).get({ id: 'p1' })).resolves.toEqualTypeOf<{ id: string; title: string } | undefined>();
    expectTypeOf(orm.model(Post).where('id', '=', 'p1').all()).resolves.toEqualTypeOf<{ id: string; title: string }[]>();
  });

  test('present once selected', () => {
    expectTypeOf(orm.model(Post).select('id', 'body').get({ id: 'p1' })).resolves.toEqualTypeOf<{ id: string; body: string } | undefined>();
    expectTypeOf(orm.model(Post).where('id', '=', 'p1').select('title', 'notes').all()).resolves.toEqualTypeOf<{ title: string; notes?: string[] | undefined }[]>();
  });

  test('present once loaded, for an item or an array of items', async () => {
    const post = (await orm.model(Post).get({ id: 'p1' }))!;
    expectTypeOf(orm.model(Post).load(post, 'body')).resolves.toEqualTypeOf<{ id: string; title: string; body: string }>();
    expectTypeOf(orm.model(Post).load([post], 'body', 'notes')).resolves.toEqualTypeOf<{ id: string; title: string; body: string; notes?: string[] | undefined }[]>();
    const picked = (await orm.model(Post).select('id').get({ id: 'p1' }))!;
    expectTypeOf(orm.model(Post).load(picked, 'notes')).resolves.toEqualTypeOf<{ id: string; notes?: string[] | undefined }>();
  });

  test('load takes lazy attribute names only, and says which', async () => {
    const post = (await orm.model(Post).get({ id: 'p1' }))!;
    // @ts-expect-error title is read with the item already: only "body" | "notes" may be loaded
    void orm.model(Post).load(post, 'title');
    // @ts-expect-error not an attribute at all
    void orm.model(Post).load(post, 'bdy');
    // @ts-expect-error at least one attribute
    void orm.model(Post).load(post);
    // @ts-expect-error Plain has no .lazy() attributes to load
    void orm.model(Plain).load({ id: 'x', title: 'y' }, 'title');
    // @ts-expect-error an object without the key cannot stand for an item
    void orm.model(Post).load({ title: 'x' }, 'body');
  });

  test('a lazy attribute cannot be a key, an index key or key-only', () => {
    // @ts-expect-error keys are read with every item
    t.string().pk().lazy();
    // @ts-expect-error nor can a lazy attribute become one
    t.string().lazy().pk();
    // @ts-expect-error nor an index key
    t.string().lazy().index('by-body');
  });

  test('writes resolve with the item without its lazy attributes, as reads do', () => {
    const input = { id: 'p1', title: 't', body: 'b' };
    expectTypeOf(orm.model(Post).put(input)).resolves.toEqualTypeOf<{ id: string; title: string }>();
    expectTypeOf(orm.model(Post).create(input)).resolves.toEqualTypeOf<{ id: string; title: string }>();
    expectTypeOf(orm.model(Post).put(input, { returnValues: 'old' })).resolves.toEqualTypeOf<{ id: string; title: string } | undefined>();
    expectTypeOf(orm.model(Post).key({ id: 'p1' }).update({ body: 'b2' })).resolves.toEqualTypeOf<{ id: string; title: string }>();
    expectTypeOf(orm.model(Post).key({ id: 'p1' }).update({ body: 'b2' }, { returnValues: 'updated' })).resolves.toEqualTypeOf<{ id?: string; title?: string }>();
  });

  test('stream images hold the whole item', () => {
    expectTypeOf<ChangeEvent<typeof Post> & { type: 'insert' }>().toHaveProperty('newItem').toEqualTypeOf<{ id: string; title: string; body: string; notes?: string[] | undefined }>();
  });
});
