import { describe, expectTypeOf, test } from 'vitest';
import { DynamORM, model, t, TransactionCanceledError, type CancellationReason, type InferItem, type InferKey } from 'dynamorm';

const orm = new DynamORM({ region: 'us-east-1' });

const Post = model('Post', {
  table: 'posts',
  attributes: { author: t.string().pk(), postedAt: t.date().sk(), title: t.string() },
});
type Post = InferItem<typeof Post>;
declare const post: Post;

describe('get(), key() and delete() take a key or an item', () => {
  test('an item read is accepted where a key is', () => {
    expectTypeOf(orm.model(Post).get(post)).toEqualTypeOf<Promise<Post | undefined>>();
    orm.model(Post).key(post);
    orm.model(Post).delete(post);
  });

  test('an object without the whole key is refused', () => {
    // @ts-expect-error the sort key is missing
    orm.model(Post).get({ author: 'ann' });
    // @ts-expect-error the sort key is missing
    orm.model(Post).delete({ author: 'ann' });
    // @ts-expect-error the sort key is missing
    orm.model(Post).key({ author: 'ann' });
  });

  test('Model.keyOf(item) is typed as the key', () => {
    expectTypeOf(Post.keyOf(post)).toEqualTypeOf<InferKey<typeof Post>>();
    expectTypeOf(Post.keyOf(post)).toEqualTypeOf<{ author: string; postedAt: Date }>();
  });
});

const Account = model('Account', {
  table: 'accounts',
  attributes: { userId: t.string().pk(), balance: t.number() },
});

describe('TransactionCanceledError reasons', () => {
  test('typed by the models of the transaction: model is the name union, key the model\'s key', () => {
    const e = new TransactionCanceledError<typeof Post | typeof Account>('x', { op: 'transaction', reasons: [] });
    const reason = e.reasons[0]!;
    expectTypeOf(reason.model).toEqualTypeOf<'Post' | 'Account'>();
    if (reason.model === 'Post') expectTypeOf(reason.key).toEqualTypeOf<Readonly<{ author: string; postedAt: Date }>>();
    else expectTypeOf(reason.key).toEqualTypeOf<Readonly<{ userId: string }>>();
    expectTypeOf<CancellationReason<typeof Account>['model']>().toEqualTypeOf<'Account'>();
  });

  test('reasonsOf(model) picks one model\'s reasons, typed', () => {
    const e = new TransactionCanceledError('x', { op: 'transaction', reasons: [] });
    expectTypeOf(e.reasonsOf(Account)[0]!.key).toEqualTypeOf<Readonly<{ userId: string }>>();
    expectTypeOf(e.reasonsOf(Account)[0]!.model).toEqualTypeOf<'Account'>();
  });

  test('untyped, a reason names any model by a string and its key by attribute names', () => {
    const e = new TransactionCanceledError('x', { op: 'transaction', reasons: [] });
    expectTypeOf(e.reasons[0]!.model).toEqualTypeOf<string>();
    expectTypeOf(e.reasons[0]!.key).toEqualTypeOf<Readonly<Record<string, unknown>>>();
  });
});

describe('orm.batchGet across models', () => {
  test('one list per request, typed by its model', () => {
    const read = orm.batchGet([{ model: Post, keys: [post] }, { model: Account, keys: [{ userId: 'u1' }] }]);
    expectTypeOf(read).toEqualTypeOf<Promise<[Post[], InferItem<typeof Account>[]]>>();
    const ordered = orm.batchGet([{ model: Account, keys: [{ userId: 'u1' }] }], { ordered: true });
    expectTypeOf(ordered).toEqualTypeOf<Promise<[(InferItem<typeof Account> | undefined)[]]>>();
  });

  test('keys are checked against their own model', () => {
    // @ts-expect-error an Account key given for Post
    orm.batchGet([{ model: Post, keys: [{ userId: 'u1' }] }]);
  });
});

describe('update with upsert', () => {
  test('takes { upsert: true } next to returnValues', () => {
    expectTypeOf(orm.model(Post).key(post).update({ title: 'x' }, { upsert: true })).toEqualTypeOf<Promise<Post>>();
    orm.model(Post).key(post).update('title', 'x', { upsert: true, returnValues: 'none' });
    // @ts-expect-error upsert is a boolean
    orm.model(Post).key(post).update({ title: 'x' }, { upsert: 'yes' });
  });
});
