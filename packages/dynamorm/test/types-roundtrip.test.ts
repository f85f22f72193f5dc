// Every attribute kind written to DynamoDB Local and read back: the value comes back equal, and
// the stored form (checked with the raw client) is the DynamoDB type the schema promises.
import { describe, expect, test } from 'vitest';
import { DynamORM, model, t } from 'dynamorm';
import { endpoint } from './support/dynamo.js';
import { storedItem, uniquePrefix } from './support/inspect.js';

const orm = new DynamORM({ endpoint: endpoint(), autoMigrate: true, tablePrefix: uniquePrefix('roundtrip') });

class Money {
  constructor(readonly currency: string, readonly cents: bigint) {}
  toString(): string {
    return `${this.currency} ${this.cents}`;
  }
  static parse(text: string): Money {
    const [currency, cents] = text.split(' ');
    return new Money(currency!, BigInt(cents!));
  }
}

let tokens = 0;
const Everything = model('Everything', {
  table: 'everything',
  attributes: {
    id: t.string().pk(),
    text: t.string(),
    empty: t.string(),
    count: t.number(),
    big: t.bigint(),
    negativeBig: t.bigint(),
    flag: t.boolean(),
    off: t.boolean(),
    bytes: t.binary(),
    at: t.date(),
    atSeconds: t.date({ storeAs: 'epochSeconds' }),
    atMillis: t.date({ storeAs: 'epochMillis' }),
    names: t.stringSet(),
    numbers: t.numberSet(),
    blobs: t.binarySet(),
    scores: t.list(t.number()),
    words: t.list(t.string()),
    nothing: t.list(t.string()),
    labels: t.map(t.string()),
    address: t.object({
      street: t.string(),
      zip: t.string().optional(),
      geo: t.object({ lat: t.number(), lng: t.number() }),
      lines: t.list(t.object({ label: t.string(), at: t.date() })),
    }),
    status: t.enum(['open', 'closed']),
    note: t.string().nullable(),
    keptNote: t.string().nullable(),
    role: t.enum(['member', 'admin']).default('member'),
    token: t.string().default(() => `token-${++tokens}`),
    price: t.custom({ type: 'S', marshal: (m: Money) => m.toString(), unmarshal: (s: string) => Money.parse(s) }),
    weight: t.custom({ type: 'N', marshal: (grams: { kg: number }) => grams.kg * 1000, unmarshal: (n: string) => ({ kg: Number(n) / 1000 }) }),
    owner: t.string().field('OwnerId'),
    anything: t.unknown(),
    expiresAt: t.ttl().optional(),
  },
});

const at = new Date('2024-02-29T23:59:58.123Z');
const full = {
  id: 'all-kinds',
  text: 'héllo wörld ✓ 😀',
  empty: '',
  count: -12.5,
  big: 2n ** 70n,
  negativeBig: -(10n ** 38n - 1n),
  flag: true,
  off: false,
  bytes: new Uint8Array([0, 1, 127, 128, 254, 255]),
  at,
  atSeconds: at,
  atMillis: at,
  names: new Set(['a', 'b', 'ü']),
  numbers: new Set([0, -1, 3.25, 1e20]),
  blobs: new Set([new Uint8Array([0]), new Uint8Array([255, 0, 255])]),
  scores: [1, 2.5, -3],
  words: ['', 'x', ''],
  nothing: [],
  labels: { en: 'yes', empty: '' },
  address: { street: 'Main St 1', geo: { lat: 52.52, lng: -13.405 }, lines: [{ label: 'home', at }] },
  status: 'closed' as const,
  note: null,
  keptNote: 'kept',
  role: 'admin' as const,
  token: 'given',
  price: new Money('EUR', 1234n),
  weight: { kg: 2.5 },
  owner: 'user-1',
  anything: { n: 1, s: 'x', list: [true, null, 'y'], nested: { big: 2n ** 70n }, set: new Set(['p', 'q']) },
};

describe('round trip of every attribute kind', () => {
  test('every value comes back equal', async () => {
    const written = await orm.model(Everything).create(full);
    const read = await orm.model(Everything).get({ id: 'all-kinds' });
    const expected = { ...full, atSeconds: new Date('2024-02-29T23:59:58.000Z') };
    expect(read).toEqual(expected);
    expect(written).toEqual(expected);
    // Types that toEqual could blur: exact bigints, real Dates, real binaries.
    expect(read!.big).toBe(1180591620717411303424n);
    expect(typeof read!.big).toBe('bigint');
    expect(read!.at).toBeInstanceOf(Date);
    expect(read!.at.getTime()).toBe(at.getTime());
    expect(read!.atMillis.getTime()).toBe(at.getTime());
    expect(read!.bytes).toBeInstanceOf(Uint8Array);
    expect([...read!.bytes]).toEqual([0, 1, 127, 128, 254, 255]);
    expect([...read!.blobs].map((b) => [...b]).sort((a, b) => a.length - b.length)).toEqual([[0], [255, 0, 255]]);
    expect(read!.price).toBeInstanceOf(Money);
    expect(read!.note).toBeNull();
    expect(read!.empty).toBe('');
  });

  test('each kind is stored as the DynamoDB type the schema promises', async () => {
    await orm.model(Everything).put({ ...full, id: 'stored-form' });
    const raw = (await storedItem(orm, Everything, { id: { S: 'stored-form' } }))!;
    expect(raw.text).toEqual({ S: 'héllo wörld ✓ 😀' });
    expect(raw.empty).toEqual({ S: '' });
    expect(raw.count).toEqual({ N: '-12.5' });
    expect(raw.big).toEqual({ N: '1180591620717411303424' });
    expect(raw.negativeBig).toEqual({ N: `-${'9'.repeat(38)}` });
    expect(raw.flag).toEqual({ BOOL: true });
    expect(raw.off).toEqual({ BOOL: false });
    expect([...raw.bytes!.B!]).toEqual([0, 1, 127, 128, 254, 255]);
    expect(raw.at).toEqual({ S: '2024-02-29T23:59:58.123Z' });
    expect(raw.atSeconds).toEqual({ N: String(Math.floor(at.getTime() / 1000)) });
    expect(raw.atMillis).toEqual({ N: String(at.getTime()) });
    expect(new Set(raw.names!.SS)).toEqual(new Set(['a', 'b', 'ü']));
    expect(new Set(raw.numbers!.NS!.map(Number))).toEqual(new Set([0, -1, 3.25, 1e20]));
    expect(raw.blobs!.BS).toHaveLength(2);
    expect(raw.scores).toEqual({ L: [{ N: '1' }, { N: '2.5' }, { N: '-3' }] });
    expect(raw.nothing).toEqual({ L: [] });
    expect(raw.labels).toEqual({ M: { en: { S: 'yes' }, empty: { S: '' } } });
    expect(raw.address).toEqual({
      M: {
        street: { S: 'Main St 1' },
        geo: { M: { lat: { N: '52.52' }, lng: { N: '-13.405' } } },
        lines: { L: [{ M: { label: { S: 'home' }, at: { S: '2024-02-29T23:59:58.123Z' } } }] },
      },
    });
    expect(raw.address!.M!.zip).toBeUndefined();
    expect(raw.status).toEqual({ S: 'closed' });
    expect(raw.note).toEqual({ NULL: true });
    expect(raw.price).toEqual({ S: 'EUR 1234' });
    expect(raw.weight).toEqual({ N: '2500' });
    expect(raw.anything!.M!.nested).toEqual({ M: { big: { N: '1180591620717411303424' } } });
    expect(raw.anything!.M!.list).toEqual({ L: [{ BOOL: true }, { NULL: true }, { S: 'y' }] });
    expect(new Set(raw.anything!.M!.set!.SS)).toEqual(new Set(['p', 'q']));
    // .field('OwnerId'): stored under the field name, never under the property name.
    expect(raw.OwnerId).toEqual({ S: 'user-1' });
    expect(raw.owner).toBeUndefined();
    // Optional attributes left out are absent, not NULL.
    expect(raw.expiresAt).toBeUndefined();
    expect(Object.keys(raw).sort()).toEqual(
      [...Object.keys(full).filter((k) => k !== 'owner'), 'OwnerId'].sort(),
    );
  });

  test('defaults fill left-out attributes: a value, and a function called per write', async () => {
    const { role: _role, token: _token, ...rest } = full;
    const first = await orm.model(Everything).create({ ...rest, id: 'defaults-1' });
    const second = await orm.model(Everything).create({ ...rest, id: 'defaults-2' });
    expect(first.role).toBe('member');
    expect(first.token).toMatch(/^token-\d+$/);
    expect(second.token).toMatch(/^token-\d+$/);
    expect(second.token).not.toBe(first.token);
    const raw = await storedItem(orm, Everything, { id: { S: 'defaults-2' } });
    expect(raw?.role).toEqual({ S: 'member' });
    expect(raw?.token).toEqual({ S: second.token });
    expect((await orm.model(Everything).get({ id: 'defaults-1' }))?.token).toBe(first.token);
  });

  test('a given value wins over the default', async () => {
    const item = await orm.model(Everything).create({ ...full, id: 'no-default', role: 'admin', token: 'mine' });
    expect(item.role).toBe('admin');
    expect(item.token).toBe('mine');
    expect((await storedItem(orm, Everything, { id: { S: 'no-default' } }))?.token).toEqual({ S: 'mine' });
  });

  test('nullable: null is stored as NULL and read back as null; a value replaces it', async () => {
    await orm.model(Everything).create({ ...full, id: 'nullable', note: null, keptNote: null });
    expect((await storedItem(orm, Everything, { id: { S: 'nullable' } }))?.keptNote).toEqual({ NULL: true });
    await orm.model(Everything).key({ id: 'nullable' }).update({ keptNote: 'now set' });
    const read = await orm.model(Everything).get({ id: 'nullable' });
    expect(read?.note).toBeNull();
    expect(read?.keptNote).toBe('now set');
    await orm.model(Everything).key({ id: 'nullable' }).update('keptNote', null);
    expect((await storedItem(orm, Everything, { id: { S: 'nullable' } }))?.keptNote).toEqual({ NULL: true });
  });
});

describe('numbers', () => {
  const Num = model('Num', {
    table: 'numbers',
    attributes: { id: t.string().pk(), n: t.number(), b: t.bigint().optional() },
  });

  test.each([
    ['zero', 0],
    ['negative fraction', -0.000123],
    ['max safe integer', Number.MAX_SAFE_INTEGER],
    ['largest DynamoDB accepts as a double', 9.99999999999999e125],
    ['smallest magnitude DynamoDB accepts', 1e-130],
    ['negative smallest', -1e-130],
    ['max double digits', 0.1 + 0.2],
  ])('a number round trips exactly: %s', async (name, n) => {
    await orm.model(Num).put({ id: name, n });
    expect((await orm.model(Num).get({ id: name }))?.n).toBe(n);
  });

  test.each([
    ['2^70', 2n ** 70n],
    ['-(2^70)', -(2n ** 70n)],
    ['38 nines', 10n ** 38n - 1n],
    ['2^53 + 1', 2n ** 53n + 1n],
    ['1e125 (one significant digit)', 10n ** 125n],
    ['zero', 0n],
  ])('a bigint round trips exactly beyond 2^53: %s', async (name, b) => {
    await orm.model(Num).put({ id: `big ${name}`, n: 1, b });
    const read = await orm.model(Num).get({ id: `big ${name}` });
    expect(read?.b).toBe(b);
    const raw = await storedItem(orm, Num, { id: { S: `big ${name}` } });
    expect(BigInt(raw!.b!.N!)).toBe(b);
  });
});

describe('dates', () => {
  const Dated = model('Dated', {
    table: 'dates',
    attributes: {
      id: t.string().pk(),
      iso: t.date(),
      seconds: t.date({ storeAs: 'epochSeconds' }),
      millis: t.date({ storeAs: 'epochMillis' }),
    },
  });

  test.each([
    ['milliseconds', '2024-01-02T03:04:05.678Z'],
    ['the epoch', '1970-01-01T00:00:00.000Z'],
    ['before the epoch', '1969-07-20T20:17:40.001Z'],
    ['far future', '2999-12-31T23:59:59.999Z'],
  ])('a date keeps its milliseconds as ISO and epochMillis, and its seconds as epochSeconds: %s', async (name, iso) => {
    const d = new Date(iso);
    await orm.model(Dated).put({ id: name, iso: d, seconds: d, millis: d });
    const read = await orm.model(Dated).get({ id: name });
    expect(read?.iso.toISOString()).toBe(iso);
    expect(read?.millis.toISOString()).toBe(iso);
    expect(read?.seconds.getTime()).toBe(Math.floor(d.getTime() / 1000) * 1000);
    const raw = await storedItem(orm, Dated, { id: { S: name } });
    expect(raw?.iso).toEqual({ S: iso });
    expect(raw?.seconds).toEqual({ N: String(Math.floor(d.getTime() / 1000)) });
    expect(raw?.millis).toEqual({ N: String(d.getTime()) });
  });
});

describe('t.ttl()', () => {
  const Session = model('Session', {
    table: 'sessions',
    attributes: { id: t.string().pk(), expiresAt: t.ttl() },
  });

  test('a Date is stored as epoch seconds', async () => {
    const when = new Date('2030-05-06T07:08:09.999Z');
    const written = await orm.model(Session).create({ id: 'date', expiresAt: when });
    const seconds = Math.floor(when.getTime() / 1000);
    expect(written.expiresAt).toBe(seconds);
    expect((await storedItem(orm, Session, { id: { S: 'date' } }))?.expiresAt).toEqual({ N: String(seconds) });
    expect((await orm.model(Session).get({ id: 'date' }))?.expiresAt).toBe(seconds);
  });

  test('a number is stored as it is', async () => {
    await orm.model(Session).create({ id: 'number', expiresAt: 1_900_000_000 });
    expect((await storedItem(orm, Session, { id: { S: 'number' } }))?.expiresAt).toEqual({ N: '1900000000' });
    expect((await orm.model(Session).get({ id: 'number' }))?.expiresAt).toBe(1_900_000_000);
  });
});

describe('.field() aliasing', () => {
  const Adopted = model('Adopted', {
    table: 'adopted',
    attributes: {
      id: t.string().pk().field('PK'),
      kind: t.string().sk().field('SK'),
      email: t.string().index('by-email').field('GSI1PK'),
      name: t.string().field('n'),
    },
  });

  test('keys, index keys and plain attributes are stored under their field names and read back by property', async () => {
    await orm.model(Adopted).create({ id: 'u1', kind: 'user', email: 'a@b.c', name: 'Ann' });
    const raw = await storedItem(orm, Adopted, { PK: { S: 'u1' }, SK: { S: 'user' } });
    expect(raw).toEqual({ PK: { S: 'u1' }, SK: { S: 'user' }, GSI1PK: { S: 'a@b.c' }, n: { S: 'Ann' } });
    expect(await orm.model(Adopted).get({ id: 'u1', kind: 'user' })).toEqual({ id: 'u1', kind: 'user', email: 'a@b.c', name: 'Ann' });
    expect(await orm.model(Adopted).where('email', '=', 'a@b.c').first()).toEqual({ id: 'u1', kind: 'user', email: 'a@b.c', name: 'Ann' });
    const updated = await orm.model(Adopted).key({ id: 'u1', kind: 'user' }).update({ name: 'Bea' });
    expect(updated.name).toBe('Bea');
    expect((await storedItem(orm, Adopted, { PK: { S: 'u1' }, SK: { S: 'user' } }))?.n).toEqual({ S: 'Bea' });
  });
});

describe('custom converters as keys', () => {
  class OrderId {
    constructor(readonly value: string) {}
  }
  const orderId = () => t.custom({ type: 'S', marshal: (o: OrderId) => `ORD-${o.value}`, unmarshal: (s: string) => new OrderId(s.slice(4)) });
  const Order = model('CustomKeyed', { table: 'custom_keyed', attributes: { id: orderId().pk(), parent: orderId().index('by-parent'), total: t.number() } });

  test('a class-typed key is stored through its converter and queried by it', async () => {
    await orm.model(Order).create({ id: new OrderId('1'), parent: new OrderId('p'), total: 5 });
    expect(await storedItem(orm, Order, { id: { S: 'ORD-1' } })).toEqual({ id: { S: 'ORD-1' }, parent: { S: 'ORD-p' }, total: { N: '5' } });
    expect(await orm.model(Order).get({ id: new OrderId('1') })).toEqual({ id: new OrderId('1'), parent: new OrderId('p'), total: 5 });
    expect((await orm.model(Order).where('parent', '=', new OrderId('p')).all()).map((o) => o.id.value)).toEqual(['1']);
  });
});
