// Each operator on each attribute kind it fits, run on DynamoDB Local; values go through the
// attribute's codec (a Date compares as its stored form).
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamORM, ValidationError, model, t, type InferItem } from 'dynamorm';
import { endpoint, uniqueTable } from './support/dynamo.js';

const Thing = model('Thing', {
  table: 'things',
  attributes: {
    id: t.string().pk(),
    s: t.string(),
    n: t.number(),
    big: t.bigint(),
    flag: t.boolean(),
    bin: t.binary(),
    at: t.date(),
    epoch: t.date({ storeAs: 'epochSeconds' }),
    color: t.enum(['red', 'green', 'blue']),
    ss: t.stringSet().optional(),
    ns: t.numberSet().optional(),
    list: t.list(t.number()).optional(),
    opt: t.string().optional(),
  },
});
type Thing = InferItem<typeof Thing>;

const orm = new DynamORM({ endpoint: endpoint(), autoMigrate: true, tablePrefix: `${uniqueTable('ops')}_` });
const bytes = (...b: number[]): Uint8Array => new Uint8Array(b);
const things: Thing[] = [1, 2, 3].map((i) => ({
  id: `t${i}`,
  s: ['apple', 'banana', 'apricot'][i - 1]!,
  n: i * 1.5,
  big: 9007199254740993n + BigInt(i),
  flag: i % 2 === 1,
  bin: bytes(i, 0xff, i),
  at: new Date(Date.UTC(2024, i, 1)),
  epoch: new Date(Date.UTC(2020, i, 1)),
  color: (['red', 'green', 'blue'] as const)[i - 1]!,
  ...(i !== 2 ? { ss: new Set([`s${i}`, 'common']), ns: new Set([i, 100]), list: [i, 7] } : {}),
  ...(i === 3 ? { opt: 'here' } : {}),
}));

beforeAll(async () => {
  await Promise.all(things.map((x) => orm.model(Thing).create(x)));
});

const run = async (build: (q: ReturnType<typeof orm.model<typeof Thing>>) => ReturnType<typeof orm.model<typeof Thing>>): Promise<string[]> =>
  (await build(orm.model(Thing)).scan()).map((x) => x.id).sort();

describe('operators by attribute kind', () => {
  it('string: = <> < <= > >= between in begins_with contains exists not_exists', async () => {
    expect(await run((q) => q.where('s', '=', 'apple'))).toEqual(['t1']);
    expect(await run((q) => q.where('s', '<>', 'apple'))).toEqual(['t2', 't3']);
    expect(await run((q) => q.where('s', '<', 'apricot'))).toEqual(['t1']);
    expect(await run((q) => q.where('s', '<=', 'apricot'))).toEqual(['t1', 't3']);
    expect(await run((q) => q.where('s', '>', 'apricot'))).toEqual(['t2']);
    expect(await run((q) => q.where('s', '>=', 'apricot'))).toEqual(['t2', 't3']);
    expect(await run((q) => q.where('s', 'between', ['apq', 'az']))).toEqual(['t3']);
    expect(await run((q) => q.where('s', 'in', ['banana', 'kiwi']))).toEqual(['t2']);
    expect(await run((q) => q.where('s', 'begins_with', 'ap'))).toEqual(['t1', 't3']);
    expect(await run((q) => q.where('s', 'contains', 'nan'))).toEqual(['t2']);
    expect(await run((q) => q.where('opt', 'exists'))).toEqual(['t3']);
    expect(await run((q) => q.where('opt', 'not_exists'))).toEqual(['t1', 't2']);
  });

  it('number and bigint: ordered operators, exact beyond 2^53', async () => {
    expect(await run((q) => q.where('n', '>', 1.5))).toEqual(['t2', 't3']);
    expect(await run((q) => q.where('n', 'between', [1.5, 3]))).toEqual(['t1', 't2']);
    expect(await run((q) => q.where('n', 'in', [4.5]))).toEqual(['t3']);
    expect(await run((q) => q.where('big', '=', 9007199254740995n))).toEqual(['t2']);
    expect(await run((q) => q.where('big', '>=', 9007199254740995n))).toEqual(['t2', 't3']);
  });

  it('boolean, binary, enum', async () => {
    expect(await run((q) => q.where('flag', '=', true))).toEqual(['t1', 't3']);
    expect(await run((q) => q.where('flag', '<>', true))).toEqual(['t2']);
    expect(await run((q) => q.where('flag', 'in', [false]))).toEqual(['t2']);
    expect(await run((q) => q.where('bin', 'begins_with', bytes(2)))).toEqual(['t2']);
    expect(await run((q) => q.where('bin', '>', bytes(1, 0xff, 1)))).toEqual(['t2', 't3']);
    expect(await run((q) => q.where('bin', 'contains', bytes(0xff, 3)))).toEqual(['t3']);
    expect(await run((q) => q.where('color', 'in', ['red', 'blue']))).toEqual(['t1', 't3']);
    expect(await run((q) => q.where('color', 'begins_with', 'gr'))).toEqual(['t2']);
  });

  it('dates compare in their stored form (ISO text or epoch numbers)', async () => {
    expect(await run((q) => q.where('at', '>=', new Date(Date.UTC(2024, 2, 1))))).toEqual(['t2', 't3']);
    expect(await run((q) => q.where('at', 'begins_with', '2024-04'))).toEqual(['t3']);
    expect(await run((q) => q.where('epoch', '<', new Date(Date.UTC(2020, 2, 15))))).toEqual(['t1', 't2']);
    expect(orm.model(Thing).where('epoch', '=', new Date(Date.UTC(2020, 0, 1))).explain().request).toMatchObject({ ExpressionAttributeValues: { ':0': { N: '1577836800' } } });
  });

  it('sets and lists: contains an element, exists', async () => {
    expect(await run((q) => q.where('ss', 'contains', 'common'))).toEqual(['t1', 't3']);
    expect(await run((q) => q.where('ss', 'contains', 's3'))).toEqual(['t3']);
    expect(await run((q) => q.where('ns', 'contains', 100))).toEqual(['t1', 't3']);
    expect(await run((q) => q.where('list', 'contains', 3))).toEqual(['t3']);
    expect(await run((q) => q.where('list', 'not_exists'))).toEqual(['t2']);
  });

  it('an operator that does not fit the kind, or a value of the wrong type, is a ValidationError', () => {
    expect(() => orm.model(Thing).where('flag', '>' as '=', true)).toThrow(/an operator for a boolean attribute/);
    expect(() => orm.model(Thing).where('ss', '=' as 'contains', 'x')).toThrow(ValidationError);
    expect(() => orm.model(Thing).where('n', '=', 'one' as unknown as number)).toThrow(/expected a number/);
    expect(() => orm.model(Thing).where('color', '=', 'pink' as 'red')).toThrow(/one of "red", "green", "blue"/);
    expect(() => orm.model(Thing).where('n', 'in', [])).toThrow(/1 to 100 values/);
  });

  it('a reversed between (which DynamoDB refuses even in a filter) is a ValidationError, in the stored order', async () => {
    expect(() => orm.model(Thing).where('n', 'between', [3, 1.5])).toThrow(/low <= high, received a reversed range/);
    expect(() => orm.model(Thing).where('big', 'between', [9007199254740995n, 9007199254740994n])).toThrow(/reversed range/);
    expect(() => orm.model(Thing).where('s', 'between', ['b', 'a'])).toThrow(/reversed range/);
    expect(() => orm.model(Thing).where('at', 'between', [new Date(Date.UTC(2024, 5, 1)), new Date(Date.UTC(2024, 1, 1))])).toThrow(/reversed range/);
    // Equal ends and ordered ends stand, and run.
    expect(await run((q) => q.where('big', 'between', [9007199254740994n, 9007199254740994n]))).toEqual(['t1']);
    expect(await run((q) => q.where('s', 'between', ['Z', 'apple']))).toEqual(['t1']);
  });
});
