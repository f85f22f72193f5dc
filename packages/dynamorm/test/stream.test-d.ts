// Compile-time promises of streams: events typed per model and kind, handler maps checked by
// model name and event kind, and the Lambda handler fitting aws-lambda's types.
import type { DynamoDBBatchResponse, DynamoDBStreamEvent, DynamoDBStreamHandler, Handler } from 'aws-lambda';
import { describe, expectTypeOf, test } from 'vitest';
import {
  DynamORM, model, streamHandler, t, type ChangeEvent, type InferItem, type InferKey, type StreamBatchResponse,
  type StreamReader, type StreamReaderError, type StreamRecordError,
} from 'dynamorm';

const User = model('User', { attributes: { id: t.string().pk(), name: t.string(), joined: t.date() } });
const Order = model('Order', {
  table: 'app',
  keys: { pk: 'USER#{userId}', sk: 'ORDER#{orderId}' },
  attributes: { userId: t.string(), orderId: t.string(), total: t.number() },
});
type UserItem = InferItem<typeof User>;
type OrderItem = InferItem<typeof Order>;

const orm = new DynamORM({ models: [User, Order] });

describe('streamHandler', () => {
  test('the ORM knows its models by type', () => {
    expectTypeOf(orm).toEqualTypeOf<DynamORM<typeof User | typeof Order>>();
    expectTypeOf(orm).toMatchTypeOf<DynamORM>();
  });

  test('each handler receives its model\'s events of its kind', () => {
    streamHandler(orm, {
      User: {
        insert: (e) => {
          expectTypeOf(e.type).toEqualTypeOf<'insert'>();
          expectTypeOf(e.model).toEqualTypeOf<'User'>();
          expectTypeOf(e.newItem).toEqualTypeOf<UserItem>();
          expectTypeOf(e.oldItem).toEqualTypeOf<undefined>();
          expectTypeOf(e.key).toEqualTypeOf<InferKey<typeof User>>();
          expectTypeOf(e.newItem.joined).toEqualTypeOf<Date>();
        },
        modify: ({ oldItem, newItem }) => {
          expectTypeOf(oldItem).toEqualTypeOf<UserItem | undefined>();
          expectTypeOf(newItem).toEqualTypeOf<UserItem>();
        },
        remove: ({ oldItem, newItem }) => {
          expectTypeOf(oldItem).toEqualTypeOf<UserItem | undefined>();
          expectTypeOf(newItem).toEqualTypeOf<undefined>();
        },
      },
      Order: { insert: async ({ newItem, key }) => {
        expectTypeOf(newItem).toEqualTypeOf<OrderItem>();
        expectTypeOf(key).toEqualTypeOf<{ userId: string; orderId: string }>();
      } },
    });
  });

  test('a model the ORM does not know, or a kind of change that does not exist, does not compile', () => {
    // @ts-expect-error 'Usr' does not exist in the handlers of User | Order
    streamHandler(orm, { Usr: { insert: () => {} } });
    // @ts-expect-error 'create' is not a kind of change (insert, modify, remove)
    streamHandler(orm, { User: { create: () => {} } });
    // @ts-expect-error an Order handler does not receive Users
    streamHandler(orm, { Order: { insert: ({ newItem }: { newItem: UserItem }) => newItem } });
  });

  test('it is a Lambda handler of DynamoDB stream events with partial batch responses', () => {
    const handler = streamHandler(orm, { User: {} });
    expectTypeOf(handler).toMatchTypeOf<Handler<DynamoDBStreamEvent, DynamoDBBatchResponse>>();
    expectTypeOf(handler).toMatchTypeOf<DynamoDBStreamHandler>();
    const event = {} as DynamoDBStreamEvent;
    expectTypeOf(handler(event)).resolves.toMatchTypeOf<DynamoDBBatchResponse>();
    expectTypeOf<StreamBatchResponse>().toMatchTypeOf<DynamoDBBatchResponse>();
    const lambda: DynamoDBStreamHandler = handler;
    void lambda;
  });

  test('an ORM without declared models takes handlers of any name, items untyped', () => {
    streamHandler(new DynamORM(), { Anything: { insert: (e) => expectTypeOf(e.newItem).toEqualTypeOf<object>() } });
  });
});

describe('ChangeEvent', () => {
  test('narrows by model and by type', () => {
    const e = {} as ChangeEvent<typeof User | typeof Order>;
    if (e.model === 'Order' && e.type === 'modify') {
      expectTypeOf(e.newItem).toEqualTypeOf<OrderItem>();
      expectTypeOf(e.oldItem).toEqualTypeOf<OrderItem | undefined>();
    }
    if (e.type === 'remove') expectTypeOf(e.newItem).toEqualTypeOf<undefined>();
  });
});

describe('orm.stream', () => {
  test('listeners receive the reader\'s models\' events of their kind', () => {
    const reader = orm.stream(User, { from: 'TRIM_HORIZON' })
      .on('insert', (e) => {
        expectTypeOf(e.newItem).toEqualTypeOf<UserItem>();
        expectTypeOf(e.model).toEqualTypeOf<'User'>();
      })
      .on('remove', (e) => expectTypeOf(e.oldItem).toEqualTypeOf<UserItem | undefined>())
      .on('error', (error) => expectTypeOf(error).toEqualTypeOf<StreamRecordError | StreamReaderError>());
    expectTypeOf(reader).toEqualTypeOf<StreamReader<typeof User>>();
    expectTypeOf(reader.start()).resolves.toBeVoid();
    orm.stream([User, Order]).on('modify', (e) => {
      if (e.model === 'Order') expectTypeOf(e.newItem).toEqualTypeOf<OrderItem>();
      else expectTypeOf(e.newItem).toEqualTypeOf<UserItem>();
    });
    orm.stream('app').on('insert', (e) => expectTypeOf(e.model).toEqualTypeOf<'User' | 'Order'>());
  });

  test('a kind of change that does not exist, or a start position that is none, does not compile', () => {
    // @ts-expect-error 'create' is not a kind of change
    orm.stream(User).on('create', () => {});
    // @ts-expect-error from: 'TRIM_HORIZON', 'LATEST' or a saved position
    orm.stream(User, { from: 'OLDEST' });
  });
});
