// Hooks and middleware around every request, on DynamoDB Local: events and their payloads,
// middleware that changes a request or a response or refuses it, listeners that throw, and
// retries seen per attempt (a throttle injected by an SDK middleware inside the retry loop).
import { describe, expect, test } from 'vitest';
import { DynamORM, DynamORMError, model, t, type DynamoRequest, type ErrorEvent, type RequestEvent, type ResponseEvent, type RetryEvent } from 'dynamorm';
import { rawClient as newClient } from './support/dynamo.js';
import { rejection, storedItem, uniquePrefix } from './support/inspect.js';
import { throttleNext } from './support/throttle.js';

const User = model('User', {
  table: 'users',
  attributes: { id: t.string().pk(), name: t.string().index('gsi-name', 'pk'), age: t.number().index('gsi-name', 'sk'), note: t.string().optional() },
});

const messages: string[] = [];
const logger = { warn: (m: string) => void messages.push(m) };
const client = newClient();
const tablePrefix = uniquePrefix('hooks');
const orm = new DynamORM({ client, autoMigrate: true, tablePrefix, logger });

describe('events', () => {
  test('request and response carry model, operation, command, table, index, attempt, duration, capacity and items', async () => {
    await orm.model(User).put({ id: 'e1', name: 'Ann', age: 30 });
    const requests: RequestEvent[] = [];
    const responses: ResponseEvent[] = [];
    const offRequest = orm.on('request', (e) => void requests.push(e));
    const offResponse = orm.on('response', (e) => void responses.push(e));
    const found = await orm.model(User).where('name', '=', 'Ann').where('age', '>', 20).all();
    offRequest();
    offResponse();
    expect(found.map((u) => u.id)).toEqual(['e1']);
    expect(requests).toHaveLength(1);
    const { request } = requests[0]!;
    expect(request).toMatchObject({ model: 'User', operation: 'query', command: 'Query', table: orm.tableName(User), tables: [orm.tableName(User)], index: 'gsi-name', attempt: 1, signal: undefined });
    expect(responses).toHaveLength(1);
    const response = responses[0]!;
    expect(response.request).toBe(request);
    expect(response.attempts).toBe(1);
    expect(response.durationMs).toBeGreaterThan(0);
    expect(response.items).toEqual({ read: 1, returned: 1 });
    // The capacity event matches what DynamoDB reported in the response itself.
    const reported = (response.response as { ConsumedCapacity?: { CapacityUnits?: number } }).ConsumedCapacity?.CapacityUnits;
    expect(reported).toBeGreaterThan(0);
    expect(response.consumedCapacity).toMatchObject({ rcu: reported, wcu: 0 });
    // Listeners removed: nothing more is heard, and the request goes out unobserved (no capacity asked).
    await orm.model(User).get({ id: 'e1' });
    expect(requests).toHaveLength(1);
  });

  test('capacity is asked per table only where no index shares it: TOTAL for gets and queries of the table, INDEXES for a query of an index and for writes', async () => {
    const asked: string[] = [];
    const mine = orm.tableName(User);
    const watching = newClient();
    const seen = new DynamORM({ client: watching, tablePrefix });
    watching.middlewareStack.add((next) => async (args) => {
      const input = args.input as { TableName?: string; ReturnConsumedCapacity?: string };
      if (input.TableName === mine) asked.push(`${input.ReturnConsumedCapacity}`);
      return next(args);
    }, { step: 'initialize' });
    const responses: ResponseEvent[] = [];
    seen.on('response', (e) => void responses.push(e));
    await seen.model(User).put({ id: 'c1', name: 'Cai', age: 33 });
    await seen.model(User).get({ id: 'c1' });
    await seen.model(User).where('id', '=', 'c1').all();
    await seen.model(User).where('name', '=', 'Cai').all();
    watching.destroy();
    expect(asked).toEqual(['INDEXES', 'TOTAL', 'TOTAL', 'INDEXES']);
    const [put, get, query, indexQuery] = responses.map((r) => r.consumedCapacity!);
    // The put's units, split between the table and the index it updates; the reads' whole units on what they read.
    expect(Object.keys(put!.byTarget).sort()).toEqual([mine, `${mine}/gsi-name`]);
    expect(put!.byTarget[`${mine}/gsi-name`]).toBeGreaterThan(0);
    expect(get!.byTarget).toEqual({ [mine]: get!.rcu });
    expect(query!.byTarget).toEqual({ [mine]: query!.rcu });
    expect(indexQuery!.byTarget[`${mine}/gsi-name`]).toBe(indexQuery!.rcu);
  });

  test('a write reports its write units; a failed request an error event with the typed error', async () => {
    const responses: ResponseEvent[] = [];
    const errors: ErrorEvent[] = [];
    const offs = [orm.on('response', (e) => void responses.push(e)), orm.on('error', (e) => void errors.push(e))];
    await orm.model(User).create({ id: 'e2', name: 'Bob', age: 40 });
    const error = await rejection(orm.model(User).create({ id: 'e2', name: 'Bob', age: 40 }));
    for (const off of offs) off();
    expect(responses[0]).toMatchObject({ request: { operation: 'create', command: 'PutItem', model: 'User' }, consumedCapacity: { rcu: 0 } });
    expect(responses[0]!.consumedCapacity!.wcu).toBeGreaterThan(0);
    expect(errors).toHaveLength(1);
    const failed = errors[0]!;
    expect(failed.kind).toBe('request');
    if (failed.kind !== 'request') return;
    // The same SDK failure the caller's error wraps (the put adds the key to its own copy).
    expect(failed.error.cause).toBe(error.cause);
    expect(failed.error.code).toBe('condition.failed');
    expect(failed.request).toMatchObject({ operation: 'create', command: 'PutItem', model: 'User' });
  });

  test('a retried throttle: one retry event per retried attempt, and the response counts the attempts', async () => {
    await orm.model(User).put({ id: 'r1', name: 'Cy', age: 20 });
    throttleNext(client, 'GetItem', 2);
    const retries: RetryEvent[] = [];
    const responses: ResponseEvent[] = [];
    const offs = [orm.on('retry', (e) => void retries.push(e)), orm.on('response', (e) => void responses.push(e))];
    const user = await orm.model(User).get({ id: 'r1' });
    for (const off of offs) off();
    expect(user?.name).toBe('Cy');
    expect(retries.map((r) => r.attempt)).toEqual([2, 3]);
    expect(retries.every((r) => (r.error as Error).name === 'ProvisionedThroughputExceededException' && r.delayMs! >= 0)).toBe(true);
    expect(retries[0]!.request).toMatchObject({ operation: 'get', command: 'GetItem', model: 'User' });
    expect(responses.map((r) => r.attempts)).toEqual([3]);
  });
});

describe('middleware', () => {
  test('runs in order around the request, changes the request sent and the response returned', async () => {
    const order: string[] = [];
    const offs = [
      orm.use(async (request, next) => {
        order.push('outer in');
        const out = await next(request);
        order.push('outer out');
        return out;
      }),
      orm.use(async (request, next) => {
        order.push('inner in');
        // An audit stamp on every put, written by DynamoDB with the item.
        const stamped: DynamoRequest = request.command === 'PutItem'
          ? { ...request, input: { ...request.input, Item: { ...request.input.Item, note: { S: 'audited' } } } }
          : request;
        const out = await next(stamped);
        order.push('inner out');
        return out;
      }),
    ];
    await orm.model(User).put({ id: 'm1', name: 'Di', age: 50 });
    for (const off of offs) off();
    expect(order).toEqual(['outer in', 'inner in', 'inner out', 'outer out']);
    expect((await storedItem(orm, User, { id: { S: 'm1' } }))?.note).toEqual({ S: 'audited' });

    // A response changed on its way back: the ORM decodes what the middleware returned.
    const off = orm.use(async (request, next) => {
      const out = await next(request);
      return request.command === 'GetItem' && 'Item' in out && out.Item !== undefined ? { ...out, Item: { ...out.Item, name: { S: 'Masked' } } } : out;
    });
    const read = await orm.model(User).get({ id: 'm1' });
    off();
    expect(read).toMatchObject({ id: 'm1', name: 'Masked', note: 'audited' });
  });

  test('a middleware that throws refuses the request: nothing is sent, the caller gets its error', async () => {
    const sent: RequestEvent[] = [];
    const offs = [
      orm.use(async (request, next) => {
        if (request.command === 'DeleteItem') throw new Error(`deletes of ${request.model} are not allowed here`);
        return next(request);
      }),
      orm.on('request', (e) => void sent.push(e)),
    ];
    await orm.model(User).put({ id: 'm2', name: 'Ed', age: 60 });
    const error = await rejection(orm.model(User).delete({ id: 'm2' }));
    for (const off of offs) off();
    expect(error.message).toBe('deletes of User are not allowed here');
    expect(sent.map((e) => e.request.command)).toEqual(['PutItem']);
    expect(await storedItem(orm, User, { id: { S: 'm2' } })).toBeDefined();
  });
});

describe('listeners that fail', () => {
  test('a listener that throws or rejects never breaks the operation: logged and reported as an error event of kind hook', async () => {
    const hookErrors: ErrorEvent[] = [];
    messages.length = 0;
    const offs = [
      orm.on('request', () => { throw new Error('listener bug'); }),
      orm.on('response', async () => { throw new Error('async listener bug'); }),
      orm.on('error', (e) => void hookErrors.push(e)),
      // A failing error listener is only logged: no loop.
      orm.on('error', () => { throw new Error('error listener bug'); }),
    ];
    await orm.model(User).put({ id: 'h1', name: 'Fa', age: 70 });
    await new Promise((resolve) => setImmediate(resolve));
    for (const off of offs) off();
    expect(await storedItem(orm, User, { id: { S: 'h1' } })).toBeDefined();
    expect(hookErrors.map((e) => (e.kind === 'hook' ? [e.event, (e.error as Error).message] : e.kind))).toEqual([
      ['request', 'listener bug'],
      ['response', 'async listener bug'],
    ]);
    expect(messages).toEqual([
      "DynamORM: a 'request' listener threw (the operation went on): listener bug",
      "DynamORM: a 'error' listener threw (the operation went on): error listener bug",
      "DynamORM: a 'response' listener threw (the operation went on): async listener bug",
      "DynamORM: a 'error' listener threw (the operation went on): error listener bug",
    ]);
  });

  test('an unknown event name is refused', () => {
    expect(() => orm.on('sent' as 'request', () => {})).toThrow(/unknown event "sent"; events are request, response, retry, error, warning/);
  });
});

test('errors keep their types through the pipeline', async () => {
  const off = orm.on('error', () => {});
  const error = await rejection(orm.model(User).where('id', '=', 'missing').first());
  off();
  expect(error).toBeInstanceOf(DynamORMError);
  expect((error as DynamORMError).code).toBe('item.notFound');
});
