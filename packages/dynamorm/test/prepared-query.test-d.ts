import { describe, expectTypeOf, test } from 'vitest';
import { DynamORM, type InferItem, type Page, type PreparedQuery } from 'dynamorm';
import { User } from './fixtures/user-model.js';

const orm = new DynamORM({ region: 'us-east-1' });

describe('prepared queries', () => {
  test('the parameters are inferred from the callback, the items from the query it returns', () => {
    const byName = orm.model(User).prepare((q, p: { name: string; min: number }) => q.where('name', '=', p.name).where('age', '>', p.min).limit(10));
    expectTypeOf(byName).toEqualTypeOf<PreparedQuery<{ name: string; min: number }, InferItem<typeof User>>>();
    expectTypeOf(byName.all).parameter(0).toEqualTypeOf<{ name: string; min: number }>();
    expectTypeOf(byName.all({ name: 'Ann', min: 1 })).toEqualTypeOf<Promise<InferItem<typeof User>[]>>();
    expectTypeOf(byName.first({ name: 'Ann', min: 1 })).toEqualTypeOf<Promise<InferItem<typeof User>>>();
    expectTypeOf(byName.page({ name: 'Ann', min: 1 }, 'cursor')).toEqualTypeOf<Promise<Page<InferItem<typeof User>>>>();
    expectTypeOf(byName.count({ name: 'Ann', min: 1 })).toEqualTypeOf<Promise<number>>();
    const picked = orm.model(User).prepare((q, p: { id: string }) => q.where('id', '=', p.id).select('name'));
    expectTypeOf(picked.all({ id: 'x' })).toEqualTypeOf<Promise<{ name: string }[]>>();
  });

  test('a wrong, missing or mistyped parameter does not compile', () => {
    const byName = orm.model(User).prepare((q, p: { name: string; min: number }) => q.where('name', '=', p.name).where('age', '>', p.min));
    // @ts-expect-error 'nme' is not a parameter ("Object literal may only specify known properties")
    void byName.all({ nme: 'Ann', min: 1 });
    // @ts-expect-error min is missing
    void byName.all({ name: 'Ann' });
    // @ts-expect-error min is a number
    void byName.all({ name: 'Ann', min: '1' });
    // @ts-expect-error a parameter's type must fit where it is used: age is a number
    orm.model(User).prepare((q, p: { age: string }) => q.where('age', '>', p.age));
  });

  test('calls take { signal, timeoutMs }; .signal() keeps the parameters and result types', () => {
    const byName = orm.model(User).prepare((q, p: { name: string }) => q.where('name', '=', p.name).select('name'));
    const stopped = byName.signal(AbortSignal.timeout(100));
    expectTypeOf(stopped).toEqualTypeOf(byName);
    expectTypeOf(stopped.all({ name: 'Ann' }, { timeoutMs: 50 })).resolves.toEqualTypeOf<{ name: string }[]>();
    void byName.first({ name: 'Ann' }, { signal: new AbortController().signal });
    void byName.page({ name: 'Ann' }, undefined, { timeoutMs: 50 });
    void byName.iterate({ name: 'Ann' }, { timeoutMs: 50 });
    // @ts-expect-error timeoutMs is a number of milliseconds
    void byName.count({ name: 'Ann' }, { timeoutMs: '50' });
  });
});
