import { describe, expectTypeOf, test } from 'vitest';
import { DynamORM, model, t, type InferItem, type InferKey } from 'dynamorm';

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
