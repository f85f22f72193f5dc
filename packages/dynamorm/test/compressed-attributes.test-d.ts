import { describe, expectTypeOf, test } from 'vitest';
import { model, t, type InferItem } from 'dynamorm';

describe('compressed attributes', () => {
  test('the item type is the value type; a compressed attribute cannot be a key', () => {
    const Doc = model('Doc', { attributes: { id: t.string().pk(), body: t.string().compress(), meta: t.object({ n: t.number() }).compress('brotli').optional() } });
    expectTypeOf<InferItem<typeof Doc>>().toEqualTypeOf<{ id: string; body: string; meta?: { n: number } | undefined }>();
    // @ts-expect-error a key is compared by DynamoDB: it cannot be stored compressed
    t.string().pk().compress();
    // @ts-expect-error nor can a compressed attribute become a key or an index key
    t.string().compress().index('by-body');
    // @ts-expect-error gzip or brotli
    t.string().compress('zip');
  });
});
