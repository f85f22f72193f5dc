// Raw filter strings, nested paths, and attempts to inject expression text, against DynamoDB Local.
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamORM, ValidationError, model, t, type InferItem } from 'dynamorm';
import { endpoint, uniqueTable } from './support/dynamo.js';

const Doc = model('Doc', {
  table: 'docs',
  attributes: {
    id: t.string().pk(),
    title: t.string().field('T'),
    tags: t.stringSet().optional(),
    rank: t.number(),
    at: t.date(),
    history: t.list(t.string()).optional(),
    preferences: t.map(t.unknown()).optional(),
    address: t.object({ city: t.string(), zip: t.string().field('postcode').optional() }).optional(),
    blob: t.unknown().optional(),
  },
});
type Doc = InferItem<typeof Doc>;

const orm = new DynamORM({ endpoint: endpoint(), autoMigrate: true, tablePrefix: `${uniqueTable('filter')}_` });

const docs: Doc[] = [
  { id: 'a', title: 'Alpha', tags: new Set(['active', 'red']), rank: 1, at: new Date('2024-01-01'), history: ['x', 'y'], preferences: { theme: 'dark', size: 3 }, address: { city: 'Paris', zip: '75001' } },
  { id: 'b', title: 'Beta', tags: new Set(['idle']), rank: 2, at: new Date('2024-02-01'), history: ['y'], preferences: { theme: 'light' }, address: { city: 'Rome' } },
  { id: 'c', title: 'Gamma', rank: 3, at: new Date('2024-03-01'), preferences: { theme: 'dark', nested: { deep: true } }, blob: { kind: 'k1', n: 5 } },
  { id: 'x) OR (attribute_exists(id)', title: 'Evil', rank: 4, at: new Date('2024-04-01') },
];

beforeAll(async () => {
  await Promise.all(docs.map((d) => orm.model(Doc).create(d)));
});

const idsOf = (items: readonly { id: string }[]): string[] => items.map((d) => d.id).sort();

describe('raw filter strings', () => {
  it("filter('contains(tags, :tag)', { tag }) scans for the tag (API.md)", async () => {
    const q = orm.model(Doc).filter('contains(tags, :tag)', { tag: 'active' });
    expect(q.explain().request).toMatchObject({ FilterExpression: 'contains(#0, :0)', ExpressionAttributeNames: { '#0': 'tags' }, ExpressionAttributeValues: { ':0': { S: 'active' } } });
    expect(idsOf(await q.scan())).toEqual(['a']);
  });

  it('the whole grammar: comparisons, BETWEEN, IN, AND/OR/NOT, parentheses, every function', async () => {
    const cases: [string, Record<string, unknown>, string[]][] = [
      ['rank > :r', { r: 1 }, ['b', 'c', 'x) OR (attribute_exists(id)']],
      ['rank <> :r AND rank <= :m', { r: 2, m: 3 }, ['a', 'c']],
      ['rank BETWEEN :lo AND :hi', { lo: 2, hi: 3 }, ['b', 'c']],
      ['title IN (:a, :b)', { a: 'Alpha', b: 'Gamma' }, ['a', 'c']],
      ['NOT (rank < :r) and (title = :t OR begins_with(title, :p))', { r: 2, t: 'Beta', p: 'Ga' }, ['b', 'c']],
      ['attribute_exists(tags) AND NOT attribute_not_exists(history)', {}, ['a', 'b']],
      ['attribute_type(preferences.size, :n)', { n: 'N' }, ['a']],
      ['size(history) >= :two', { two: 2 }, ['a']],
      ['at >= :d', { d: new Date('2024-02-15') }, ['c', 'x) OR (attribute_exists(id)']],
      ['preferences.theme = :t', { t: 'dark' }, ['a', 'c']],
      ['preferences.nested.deep = :yes', { yes: true }, ['c']],
      ['history[0] = :x', { x: 'x' }, ['a']],
      ['address.city = :c OR address.zip = :z', { c: 'Rome', z: '75001' }, ['a', 'b']],
      ['blob.n > :n', { n: 4 }, ['c']],
      ['contains(history, :y)', { y: 'y' }, ['a', 'b']],
    ];
    for (const [expression, params, want] of cases) {
      expect(idsOf(await orm.model(Doc).filter(expression, params).scan()), expression).toEqual(want);
    }
  });

  it('maps attribute names to .field() names (nested too) and values through the codec', () => {
    const request = orm.model(Doc).filter('title = :t AND address.zip = :z AND at < :d', { t: 'Alpha', z: '75001', d: new Date('2024-01-02') }).explain().request;
    expect(request).toMatchObject({
      FilterExpression: '#0 = :0 AND #1.#2 = :1 AND #3 < :2',
      ExpressionAttributeNames: { '#0': 'T', '#1': 'address', '#2': 'postcode', '#3': 'at' },
      ExpressionAttributeValues: { ':0': { S: 'Alpha' }, ':1': { S: '75001' }, ':2': { S: '2024-01-02T00:00:00.000Z' } },
    });
  });

  it('an unknown attribute, a missing or unused parameter, a bad value or a syntax error is a ValidationError with the position, before any request', async () => {
    const refusals: [string, Record<string, unknown>, RegExp][] = [
      ['nope = :v', { v: 1 }, /"nope" is not an attribute of Doc .* at position 0/],
      ['rank = :v AND address.country = :c', { v: 1, c: 'x' }, /address.country is not in the object's schema .* at position 14/],
      ['rank = :v', {}, /parameter :v is not given .* at position 7/],
      ['rank = :v', { v: 1, w: 2 }, /parameter "w" is given but the filter does not use :w/],
      ['rank = :v', { v: 'one' }, /parameter :v compared with rank: expected a number, received string "one"/],
      ['rank = = :v', { v: 1 }, /syntax error: expected an attribute name, a :parameter or size\(…\), found "=" at position 7/],
      ['(rank = :v', { v: 1 }, /expected "\)", found the end at position 10/],
      ['rank = 5', {}, /syntax error: expected an attribute name.*found "5"/],
      ["title = 'x'", {}, /unexpected character "'" at position 8/],
      ['contains(tags)', {}, /expected "," and a second argument of contains/],
      ['', {}, /an empty filter/],
    ];
    for (const [expression, params, message] of refusals) {
      // Building the query throws: no request can be made of it.
      expect(() => orm.model(Doc).filter(expression, params), expression).toThrow(ValidationError);
      expect(() => orm.model(Doc).filter(expression, params), expression).toThrow(message);
    }
  });
});

describe('typed nested paths', () => {
  it("where('preferences.theme', '=', 'dark') and other paths into maps, objects and lists", async () => {
    expect(idsOf(await orm.model(Doc).where('preferences.theme', '=', 'dark').scan())).toEqual(['a', 'c']);
    expect(idsOf(await orm.model(Doc).filter('address.city', 'begins_with', 'Pa').scan())).toEqual(['a']);
    expect(idsOf(await orm.model(Doc).filter('history[1]', '=', 'y').scan())).toEqual(['a']);
    expect(idsOf(await orm.model(Doc).filter('blob.kind', 'exists').scan())).toEqual(['c']);
    expect(orm.model(Doc).where('address.zip', '=', '75001').explain().request).toMatchObject({ ExpressionAttributeNames: { '#0': 'address', '#1': 'postcode' } });
  });

  it('a path the schema does not have is refused', () => {
    expect(() => orm.model(Doc).where('address.country' as 'address.city', '=', 'x')).toThrow(ValidationError);
    expect(() => orm.model(Doc).where('rank.x' as 'rank', '=', 1)).toThrow(/needs a map or object, but rank is number/);
  });
});

describe('injection', () => {
  it('a value holding expression text is a value: it matches only the item that holds that exact text', async () => {
    const evil = 'x) OR (attribute_exists(id)';
    expect(idsOf(await orm.model(Doc).where('title', '=', evil).scan())).toEqual([]);
    expect(idsOf(await orm.model(Doc).filter('title = :t', { t: evil }).scan())).toEqual([]);
    expect((await orm.model(Doc).where('id', '=', evil).all()).map((d) => d.title)).toEqual(['Evil']);
    expect(await orm.model(Doc).where('id', '=', 'a" OR "1"="1').all()).toEqual([]);
  });

  it('attribute names with #, spaces or expression text are refused, in raw filters and typed where', async () => {
    for (const expression of ['#id = :v', 'ti tle = :v', 'rank = :v OR #0 = :v', 'rank = :v) OR (attribute_exists(id)']) {
      expect(() => orm.model(Doc).filter(expression, { v: 1 }), expression).toThrow(ValidationError);
    }
    for (const name of ['id) OR (attribute_exists(id', '#0', 'title OR rank']) {
      expect(() => orm.model(Doc).where(name as 'title', '=', 'x'), name).toThrow(ValidationError);
    }
  });

  it('parameters named like placeholders are plain names, and a parameter cannot smuggle text', async () => {
    // :0 is the user's parameter "0"; the compiler renumbers every value, so no collision.
    const q = orm.model(Doc).filter('rank = :0 OR title = :1', { 0: 3, 1: 'Alpha' });
    expect(q.explain().request).toMatchObject({ ExpressionAttributeValues: { ':0': { N: '3' }, ':1': { S: 'Alpha' } } });
    expect(idsOf(await q.scan())).toEqual(['a', 'c']);
    expect(() => orm.model(Doc).filter('rank = :v', { v: 1, ':v': 2 })).toThrow(/name parameters without ":"/);
    expect(() => orm.model(Doc).filter('rank = :v', { v: 1, '#0': 'id' })).toThrow(ValidationError);
    expect(idsOf(await orm.model(Doc).filter('title = :t', { t: ':t OR attribute_exists(id)' }).scan())).toEqual([]);
  });
});
