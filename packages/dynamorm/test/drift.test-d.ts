// The types of reading items that drifted from the model (onInvalid) and of keeping undeclared
// attributes (undeclared: 'keep').
import { describe, expectTypeOf, test } from 'vitest';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { DynamORM, model, t, undeclaredOf, type InferItem, type InvalidItem, type OnInvalid } from 'dynamorm';

const Order = model('Order', {
  table: 'shop',
  keys: { pk: 'CUSTOMER#{customerId}', sk: 'ORDER#{orderId}' },
  attributes: { customerId: t.string(), orderId: t.string(), total: t.number() },
});
const Customer = model('Customer', {
  table: 'shop',
  keys: { pk: 'CUSTOMER#{customerId}', sk: 'PROFILE' },
  attributes: { customerId: t.string(), name: t.string() },
});
const orm = new DynamORM({ region: 'us-east-1', onInvalid: 'skip' });

describe('onInvalid', () => {
  test("the ORM's default: 'throw', 'skip' or a callback; nothing else", () => {
    new DynamORM({ onInvalid: 'throw' });
    new DynamORM({ onInvalid: (invalid) => (invalid.issues.length > 1 ? 'throw' : 'skip') });
    new DynamORM({ onInvalid: (invalid) => void console.log(invalid.model, invalid.key, invalid.item) });
    // @ts-expect-error not a choice
    new DynamORM({ onInvalid: 'ignore' });
    // @ts-expect-error a callback decides 'skip' or 'throw'
    new DynamORM({ onInvalid: () => 'repair' });
  });

  test('what a callback receives: plain data, the model named by its literal name', () => {
    expectTypeOf<InvalidItem<typeof Order>['model']>().toEqualTypeOf<'Order'>();
    expectTypeOf<InvalidItem['key']>().toEqualTypeOf<Readonly<Record<string, unknown>>>();
    expectTypeOf<InvalidItem['item']>().toEqualTypeOf<Readonly<Record<string, AttributeValue>>>();
    expectTypeOf<InvalidItem['issues'][number]>().toHaveProperty('attribute');
    orm.model(Order).onInvalid((invalid) => {
      expectTypeOf(invalid.model).toEqualTypeOf<'Order'>();
    });
    orm.collection([Order, Customer]).onInvalid((invalid) => {
      expectTypeOf(invalid.model).toEqualTypeOf<'Order' | 'Customer'>();
    });
  });

  test('per read: the builder, batchGet and transactGet options; results keep their types', () => {
    const q = orm.model(Order).where('customerId', '=', 'c1').onInvalid('skip');
    expectTypeOf(q.all()).resolves.toEqualTypeOf<InferItem<typeof Order>[]>();
    expectTypeOf(orm.model(Order).onInvalid('throw').get({ customerId: 'c1', orderId: 'o1' })).resolves.toEqualTypeOf<InferItem<typeof Order> | undefined>();
    orm.model(Order).batchGet([{ customerId: 'c1', orderId: 'o1' }], { onInvalid: 'skip' });
    orm.model(Order).batchGet([{ customerId: 'c1', orderId: 'o1' }], { onInvalid: (invalid) => { expectTypeOf(invalid.model).toEqualTypeOf<'Order'>(); } });
    orm.transactGet([{ model: Order, key: { customerId: 'c1', orderId: 'o1' } }], { onInvalid: 'skip' });
    // @ts-expect-error not a choice
    orm.model(Order).onInvalid('drop');
    expectTypeOf<'skip'>().toMatchTypeOf<OnInvalid>();
  });
});

describe("undeclared: 'keep'", () => {
  test("a model option, 'keep' or 'drop'; the kept attributes are not in the item's type", () => {
    const Legacy = model('Legacy', { undeclared: 'keep', attributes: { id: t.string().pk(), n: t.number() } });
    model('Dropping', { undeclared: 'drop', attributes: { id: t.string().pk() } });
    // @ts-expect-error not a choice
    model('Bad', { undeclared: 'retain', attributes: { id: t.string().pk() } });
    expectTypeOf<InferItem<typeof Legacy>>().toEqualTypeOf<{ id: string; n: number }>();
    expectTypeOf(undeclaredOf).parameter(0).toEqualTypeOf<object>();
    expectTypeOf(undeclaredOf).returns.toEqualTypeOf<Readonly<Record<string, AttributeValue>> | undefined>();
  });
});
