// Bad input is a ValidationError naming model, attribute, what was expected and what came,
// raised before any request: no command is sent and nothing is written (checked with the raw client).
import { CreateTableCommand, PutItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { DynamORM, DynamORMError, ItemTooLargeError, model, t, ValidationError } from 'dynamorm';
import { endpoint } from './support/dynamo.js';
import { rawClient, recordCommands, rejection, storedItems, uniquePrefix, type Stored } from './support/inspect.js';

const prefix = uniquePrefix('validation');
const orm = new DynamORM({ endpoint: endpoint(), autoMigrate: true, tablePrefix: prefix });

const Person = model('Person', {
  table: 'people',
  attributes: {
    id: t.string().pk(),
    name: t.string(),
    age: t.number().optional(),
    big: t.bigint().optional(),
    status: t.enum(['active', 'banned']).optional(),
    tags: t.stringSet().optional(),
    scores: t.numberSet().optional(),
    history: t.list(t.number()).optional(),
    address: t.object({ city: t.string(), zip: t.string().optional() }).optional(),
    email: t.string().validate((v) => v.includes('@') || 'must contain an @').optional(),
    even: t.number().validate((v) => v % 2 === 0).optional(),
    born: t.date().optional(),
    team: t.string().index('by-team').optional(),
    blobs: t.binarySet().optional(),
    labels: t.map(t.string()).optional(),
    extra: t.unknown().optional(),
    data: t.string().optional(),
  },
});

let sent: string[];
beforeAll(async () => {
  await orm.createTables(Person);
  sent = recordCommands(orm.client);
});
beforeEach(() => {
  sent.length = 0;
});

/** The ValidationError a write rejects with, after checking that nothing was sent or stored. */
async function refused(write: Promise<unknown>, op = 'create'): Promise<ValidationError> {
  const error = await rejection(write);
  expect(error).toBeInstanceOf(ValidationError);
  expect(error).toBeInstanceOf(DynamORMError);
  const v = error as ValidationError;
  expect(v.model).toBe('Person');
  expect(v.op).toBe(op);
  expect(v.code).toBe('validation.failed');
  expect(sent).toEqual([]);
  expect(await storedItems(orm, Person)).toEqual([]);
  return v;
}

describe('each bad input is a ValidationError and nothing is written', () => {
  test('wrong type', async () => {
    // @ts-expect-error age is a number
    const e = await refused(orm.model(Person).create({ id: 'p1', name: 'Ann', age: '42' }));
    expect(e.issues).toEqual([expect.objectContaining({ attribute: 'age', expected: 'a number', received: 'string "42"' })]);
    expect(e.attribute).toBe('age');
    expect(e.expected).toBe('a number');
    expect(e.received).toBe('string "42"');
    expect(e.message).toContain('Person.age');
    expect(e.message).toContain('string "42"');
  });

  test('wrong type deep in a nested object and a list is located by its path', async () => {
    const e = await refused(
      // @ts-expect-error city is a string, history holds numbers
      orm.model(Person).create({ id: 'p1', name: 'Ann', address: { city: 7 }, history: [1, 'two'] }),
    );
    expect(e.issues.map((i) => [i.attribute, i.expected, i.received])).toEqual([
      ['history[1]', 'a number', 'string "two"'],
      ['address.city', 'a string', 'number 7'],
    ]);
  });

  test('missing required attribute', async () => {
    // @ts-expect-error name is required
    const e = await refused(orm.model(Person).create({ id: 'p1' }));
    expect(e.issues).toEqual([expect.objectContaining({ attribute: 'name', expected: 'a string (required)', received: 'nothing' })]);
  });

  test('every issue of an input is listed, not only the first', async () => {
    // @ts-expect-error name missing, age a string
    const e = await refused(orm.model(Person).create({ id: 'p1', age: 'old', status: 'gone' }));
    expect(e.issues.map((i) => i.attribute).sort()).toEqual(['age', 'name', 'status']);
  });

  test('enum outside its list', async () => {
    // @ts-expect-error not one of the enum's values
    const e = await refused(orm.model(Person).create({ id: 'p1', name: 'Ann', status: 'pending' }));
    expect(e.issues).toEqual([expect.objectContaining({ attribute: 'status', expected: 'one of "active", "banned"', received: 'string "pending"' })]);
  });

  test('empty set', async () => {
    const e = await refused(orm.model(Person).create({ id: 'p1', name: 'Ann', tags: new Set() }));
    expect(e.attribute).toBe('tags');
    expect(e.expected).toBe('a non-empty Set of strings');
    expect(e.received).toMatch(/a Set of 0.*empty set/);
  });

  test.each([
    ['NaN', NaN, /not finite/],
    ['Infinity', Infinity, /not finite/],
    ['-Infinity', -Infinity, /not finite/],
    ['1e126', 1e126, /larger than/],
    ['-1e126', -1e126, /larger than/],
    ['1e-131', 1e-131, /closer to zero/],
  ])('a number DynamoDB cannot store: %s', async (_name, n, why) => {
    const e = await refused(orm.model(Person).create({ id: 'p1', name: 'Ann', age: n }));
    expect(e.attribute).toBe('age');
    expect(e.expected).toBe('a number DynamoDB can store');
    expect(e.received).toMatch(why);
  });

  test('a number DynamoDB cannot store, inside a number set', async () => {
    const e = await refused(orm.model(Person).create({ id: 'p1', name: 'Ann', scores: new Set([1, NaN]) }));
    expect(e.attribute).toBe('scores');
    expect(e.received).toMatch(/NaN/);
  });

  test('a bigint with 39 significant digits', async () => {
    const big = 10n ** 38n + 1n;
    expect(big.toString()).toHaveLength(39);
    const e = await refused(orm.model(Person).create({ id: 'p1', name: 'Ann', big }));
    expect(e.attribute).toBe('big');
    expect(e.expected).toBe('a number DynamoDB can store');
    expect(e.received).toMatch(/more than 38 significant digits/);
  });

  test('a number DynamoDB cannot store, in free-form data (t.unknown)', async () => {
    const nested = await refused(orm.model(Person).create({ id: 'p1', name: 'Ann', extra: { list: [1, NaN] } }));
    expect(nested.attribute).toBe('extra.list[1]');
    const inSet = await refused(orm.model(Person).create({ id: 'p1', name: 'Ann', extra: new Set([1n, 10n ** 38n + 1n]) }));
    expect(inSet.attribute).toBe('extra');
  });

  test('a set DynamoDB would refuse as holding duplicates', async () => {
    const bytes = await refused(orm.model(Person).create({ id: 'p1', name: 'Ann', blobs: new Set([new Uint8Array([1, 2]), new Uint8Array([1, 2])]) }));
    expect(bytes.attribute).toBe('blobs');
    expect(bytes.received).toMatch(/duplicate/);
    const numbers = await refused(orm.model(Person).create({ id: 'p1', name: 'Ann', extra: new Set([1, 1n]) }));
    expect(numbers.attribute).toBe('extra');
  });

  test('an empty map key (DynamoDB refuses empty attribute names)', async () => {
    const map = await refused(orm.model(Person).create({ id: 'p1', name: 'Ann', labels: { '': 'x' } }));
    expect(map.attribute).toBe('labels');
    expect(map.expected).toMatch(/empty/);
    const free = await refused(orm.model(Person).create({ id: 'p1', name: 'Ann', extra: { a: { '': 1 } } }));
    expect(free.attribute).toBe('extra.a');
  });

  test('a bigint beyond 9.99e125', async () => {
    const e = await refused(orm.model(Person).create({ id: 'p1', name: 'Ann', big: 10n ** 126n }));
    expect(e.received).toMatch(/larger than/);
  });

  test('an invalid Date', async () => {
    const e = await refused(orm.model(Person).create({ id: 'p1', name: 'Ann', born: new Date('not a date') }));
    expect(e.issues).toEqual([expect.objectContaining({ attribute: 'born', expected: 'a valid Date', received: 'an invalid Date' })]);
  });

  test('user validator with a message: the message is surfaced', async () => {
    const e = await refused(orm.model(Person).create({ id: 'p1', name: 'Ann', email: 'nobody' }));
    expect(e.attribute).toBe('email');
    expect(e.received).toBe('string "nobody"');
    expect(e.issues[0]!.message).toContain('must contain an @');
    expect(e.message).toContain('must contain an @');
  });

  test('user validator returning false', async () => {
    const e = await refused(orm.model(Person).create({ id: 'p1', name: 'Ann', even: 3 }));
    expect(e.issues).toEqual([expect.objectContaining({ attribute: 'even', expected: 'a value its validator accepts', received: 'number 3' })]);
  });

  test('unknown attribute', async () => {
    // @ts-expect-error nickname is not an attribute of Person
    const e = await refused(orm.model(Person).create({ id: 'p1', name: 'Ann', nickname: 'A' }));
    expect(e.attribute).toBe('nickname');
    expect(e.expected).toMatch(/not in the model/);
    expect(e.received).toBe('string "A"');
  });

  test('null for an attribute that is not nullable', async () => {
    // @ts-expect-error name is not nullable
    const e = await refused(orm.model(Person).create({ id: 'p1', name: null }));
    expect(e.attribute).toBe('name');
    expect(e.received).toBe('null');
    expect(e.expected).toMatch(/nullable/);
  });

  test('empty string as the partition key', async () => {
    const e = await refused(orm.model(Person).create({ id: '', name: 'Ann' }));
    expect(e.attribute).toBe('id');
    expect(e.received).toBe('an empty value');
    expect(e.expected).toMatch(/partition key/);
  });

  test('empty string as a GSI key', async () => {
    const e = await refused(orm.model(Person).create({ id: 'p1', name: 'Ann', team: '' }));
    expect(e.attribute).toBe('team');
    expect(e.expected).toMatch(/by-team/);
  });

  test('put and update validate the same way', async () => {
    // @ts-expect-error age is a number
    const put = await refused(orm.model(Person).put({ id: 'p1', name: 'Ann', age: 'x' }), 'put');
    expect(put.attribute).toBe('age');
    const update = await refused(orm.model(Person).key({ id: 'p1' }).update({ age: NaN }), 'update');
    expect(update.attribute).toBe('age');
    // @ts-expect-error status is an enum
    const single = await refused(orm.model(Person).key({ id: 'p1' }).update('status', 'gone'), 'update');
    expect(single.attribute).toBe('status');
    const builder = await refused(orm.model(Person).key({ id: 'p1' }).update((u) => u.set('tags', new Set())), 'update');
    expect(builder.attribute).toBe('tags');
  });

  test('a key with an empty string or a missing part, for get', async () => {
    const e = await rejection(orm.model(Person).get({ id: '' }));
    expect(e).toBeInstanceOf(ValidationError);
    expect((e as ValidationError).attribute).toBe('id');
    expect(sent).toEqual([]);
  });
});

describe('item size: 400 KB counted the way DynamoDB counts', () => {
  // A mixed item: multi-byte text, numbers DynamoDB sizes unevenly (negative, zero, fractions), a
  // bigint, a list, a map and sets, written by hand in its stored form for the raw oracle.
  const sized = (id: string, fill: number) => ({
    input: {
      id,
      name: 'Zoë 😀',
      age: -273.15,
      big: 2n ** 70n,
      tags: new Set(['é', 'xyz']),
      scores: new Set([-1, 0.5, 100]),
      history: [0, -1, 1.2, 333],
      address: { city: 'Köln', zip: '50667' },
      data: 'é'.repeat(Math.floor(fill / 2)) + 'x'.repeat(fill % 2),
    },
    stored: {
      id: { S: id },
      name: { S: 'Zoë 😀' },
      age: { N: '-273.15' },
      big: { N: (2n ** 70n).toString() },
      tags: { SS: ['é', 'xyz'] },
      scores: { NS: ['-1', '0.5', '100'] },
      history: { L: [{ N: '0' }, { N: '-1' }, { N: '1.2' }, { N: '333' }] },
      address: { M: { city: { S: 'Köln' }, zip: { S: '50667' } } },
      data: { S: 'é'.repeat(Math.floor(fill / 2)) + 'x'.repeat(fill % 2) },
    } satisfies Record<string, AttributeValue>,
  });

  /** DynamoDB Local as the oracle: the largest fill it accepts for the mixed item (ids of one length). */
  async function largestAccepted(): Promise<number> {
    const table = `${prefix}oracle`;
    await rawClient().send(new CreateTableCommand({
      TableName: table,
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }));
    const accepts = async (fill: number): Promise<boolean> => {
      try {
        await rawClient().send(new PutItemCommand({ TableName: table, Item: sized('item-a', fill).stored as Stored }));
        return true;
      } catch (error) {
        expect((error as Error).message).toMatch(/Item size/);
        return false;
      }
    };
    let low = 400_000;
    let high = 410_000;
    expect(await accepts(low)).toBe(true);
    expect(await accepts(high)).toBe(false);
    while (high - low > 1) {
      const mid = Math.floor((low + high) / 2);
      if (await accepts(mid)) low = mid;
      else high = mid;
    }
    return low;
  }

  test('the largest item DynamoDB accepts is accepted and stored; one byte more is refused before sending', async () => {
    const max = await largestAccepted();
    // Just over the limit: refused by our check, with nothing sent and nothing written.
    const over = sized('item-b', max + 1);
    const e = await rejection(orm.model(Person).create(over.input));
    expect(e).toBeInstanceOf(ItemTooLargeError);
    expect([(e as ItemTooLargeError).size, (e as ItemTooLargeError).limit, (e as ItemTooLargeError).model]).toEqual([409_601, 409_600, 'Person']);
    expect(sent).toEqual([]);
    expect(await storedItems(orm, Person)).toEqual([]);
    // Exactly at the limit: accepted by our check and by DynamoDB.
    const at = sized('item-c', max);
    const written = await orm.model(Person).create(at.input);
    expect(written.data).toHaveLength(at.input.data.length);
    expect(sent).toEqual(['PutItemCommand']);
    expect((await orm.model(Person).get({ id: 'item-c' }))?.data).toBe(at.input.data);
    await orm.model(Person).delete({ id: 'item-c' });
  });

  test('an update that would grow the item past 400 KB is refused as a typed error, changing nothing', async () => {
    await orm.model(Person).create({ id: 'grow', name: 'g' });
    const e = await rejection(orm.model(Person).key({ id: 'grow' }).update({ data: 'x'.repeat(409_600) }));
    expect(e).toBeInstanceOf(ItemTooLargeError);
    expect((e as ItemTooLargeError).model).toBe('Person');
    expect((e as ItemTooLargeError).op).toBe('update');
    expect((await orm.model(Person).get({ id: 'grow' }))?.data).toBeUndefined();
    await orm.model(Person).delete({ id: 'grow' });
  });
});
