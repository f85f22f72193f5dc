// Items that drifted from the model (written by the raw SDK, by an older version of the code, by
// another service): a required attribute missing, a wrong stored type, an enum value the model
// does not know. Every read path decodes them one way: strict by default (a ValidationError naming
// the model, the key and each issue), or skipped and reported, or handed to a callback; never
// returned as a lie.
import { beforeAll, describe, expect, test } from 'vitest';
import { BatchWriteItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { ConditionFailedError, DynamORM, ItemNotFoundError, model, t, TransactionCanceledError, ValidationError, type InvalidItem } from 'dynamorm';
import { endpoint } from './support/dynamo.js';
import { rawClient, rejection, uniquePrefix } from './support/inspect.js';

const Order = model('Order', {
  table: 'orders',
  attributes: {
    customerId: t.string().pk(),
    orderId: t.string().sk(),
    total: t.number(),
    status: t.enum(['open', 'shipped']),
    placedAt: t.date(),
    note: t.string().optional(),
  },
});

// Single-table: customers and their orders in one partition.
const Customer = model('Customer', {
  table: 'shop',
  keys: { pk: 'CUSTOMER#{customerId}', sk: 'PROFILE' },
  attributes: { customerId: t.string(), name: t.string() },
});
const Line = model('Line', {
  table: 'shop',
  keys: { pk: 'CUSTOMER#{customerId}', sk: 'LINE#{lineId}' },
  attributes: { customerId: t.string(), lineId: t.string(), qty: t.number() },
});

const prefix = uniquePrefix('drift');
const warnings: { message: string; details: unknown }[] = [];
const logger = { warn: (message: string, details?: unknown) => void warnings.push({ message, details }) };
const orm = new DynamORM({ endpoint: endpoint(), autoMigrate: true, tablePrefix: prefix, logger, models: [Order, Customer, Line] });
const plain = new DynamORM({ endpoint: endpoint(), tablePrefix: prefix, logger, batchGets: false, models: [Order, Customer, Line] });
const skipping = new DynamORM({ endpoint: endpoint(), tablePrefix: prefix, logger, onInvalid: 'skip', models: [Order, Customer, Line] });

const S = (s: string): AttributeValue => ({ S: s });
const N = (n: number): AttributeValue => ({ N: String(n) });
const at = '2024-05-01T00:00:00.000Z';
const order = (id: string, extra: Record<string, AttributeValue | undefined> = {}): Record<string, AttributeValue> => {
  const item: Record<string, AttributeValue | undefined> = { customerId: S('c1'), orderId: S(id), total: N(10), status: S('open'), placedAt: S(at), ...extra };
  return Object.fromEntries(Object.entries(item).filter(([, v]) => v !== undefined)) as Record<string, AttributeValue>;
};

/** The raw items: o1, o5 fit the model; o2 lacks total; o3 stores total as text; o4 has an unknown status. */
const ORDERS = [
  order('o1'),
  order('o2', { total: undefined }),
  order('o3', { total: S('12') }),
  order('o4', { status: S('lost') }),
  order('o5', { note: S('ok') }),
];
const VALID = ['o1', 'o5'];

async function writeRaw(table: string, items: Record<string, AttributeValue>[]): Promise<void> {
  await rawClient().send(new BatchWriteItemCommand({ RequestItems: { [table]: items.map((Item) => ({ PutRequest: { Item } })) } }));
}

beforeAll(async () => {
  await orm.createTables(Order, Customer, Line);
  await writeRaw(orm.tableName(Order), ORDERS);
  await writeRaw(orm.tableName(Customer), [
    { PK: S('CUSTOMER#c1'), SK: S('PROFILE'), __entity: S('Customer'), customerId: S('c1'), name: S('Ann') },
    { PK: S('CUSTOMER#c1'), SK: S('LINE#l1'), __entity: S('Line'), customerId: S('c1'), lineId: S('l1'), qty: N(1) },
    { PK: S('CUSTOMER#c1'), SK: S('LINE#l2'), __entity: S('Line'), customerId: S('c1'), lineId: S('l2'), qty: S('two') },
    { PK: S('CUSTOMER#c1'), SK: S('LINE#l3'), __entity: S('Line'), customerId: S('c1'), lineId: S('l3') },
  ]);
});

const ids = (items: readonly ({ orderId: string } | undefined)[]): (string | undefined)[] => items.map((i) => i?.orderId);

describe('strict by default: a ValidationError naming the model, the key and each issue', () => {
  test('a missing required attribute is never returned as undefined', async () => {
    const error = await rejection(plain.model(Order).get({ customerId: 'c1', orderId: 'o2' }));
    expect(error).toBeInstanceOf(ValidationError);
    const e = error as ValidationError;
    expect(e.model).toBe('Order');
    expect(e.op).toBe('get');
    expect(e.message).toContain('{ customerId: "c1", orderId: "o2" }');
    expect(e.issues.map((i) => [i.attribute, i.received])).toEqual([['total', 'nothing']]);
    expect(e.message).toMatch(/Order\.total: expected a number \(required\), received nothing/);
    expect(e.message).toMatch(/onInvalid/);
  });

  test('a wrong stored type and an unknown enum value are issues too, in the model\'s attribute names', async () => {
    const wrongType = (await rejection(plain.model(Order).get({ customerId: 'c1', orderId: 'o3' }))) as ValidationError;
    expect(wrongType.issues.map((i) => i.attribute)).toEqual(['total']);
    expect(wrongType.message).toMatch(/Order\.total: expected a number \(stored N\), received stored S "12"/);
    const badEnum = (await rejection(plain.model(Order).get({ customerId: 'c1', orderId: 'o4' }))) as ValidationError;
    expect(badEnum.issues.map((i) => [i.attribute, i.received])).toEqual([['status', 'string "lost"']]);
    expect(badEnum.message).toMatch(/Order\.status: expected one of "open", "shipped"/);
  });

  test('every issue of an item is listed, with its stored field mapped back to the attribute', async () => {
    const Renamed = model('Renamed', { table: 'orders', attributes: { customerId: t.string().pk(), orderId: t.string().sk(), amount: t.number().field('total'), kind: t.enum(['a']).field('status') } });
    const e = (await rejection(plain.model(Renamed).get({ customerId: 'c1', orderId: 'o3' }))) as ValidationError;
    expect(e.issues.map((i) => i.attribute)).toEqual(['amount', 'kind']);
  });

  test('query, scan, page, iterate, first, parallel scan, coalesced get, batchGet, transactGet all refuse', async () => {
    const q = orm.model(Order).where('customerId', '=', 'c1');
    for (const read of [
      () => q.all(), () => q.page(), () => q.scan(), () => q.scan({ segments: 2 }), async () => { for await (const _ of q.iterate()) { /* read */ } },
      () => orm.model(Order).where('customerId', '=', 'c1').where('orderId', '>', 'o1').first(),
      () => orm.model(Order).get({ customerId: 'c1', orderId: 'o2' }),
      () => orm.model(Order).batchGet([{ customerId: 'c1', orderId: 'o1' }, { customerId: 'c1', orderId: 'o3' }]),
      () => orm.transactGet([{ model: Order, key: { customerId: 'c1', orderId: 'o4' } }]),
    ]) {
      expect(await rejection(read())).toBeInstanceOf(ValidationError);
    }
  });

  test('a failed condition on a drifted item shows the item as it was, not "no such item"', async () => {
    const e = await rejection(plain.model(Order).key({ customerId: 'c1', orderId: 'o2' }).if((c) => c.eq('status', 'shipped')).update({ note: 'x' }));
    expect(e).toBeInstanceOf(ConditionFailedError);
    expect(e).not.toBeInstanceOf(ItemNotFoundError);
    expect((e as ConditionFailedError).item).toMatchObject({ orderId: 'o2', status: 'open' });
    const tx = await rejection(plain.transaction((t) => void t.model(Order).key({ customerId: 'c1', orderId: 'o2' }).if((c) => c.eq('status', 'shipped')).update({ note: 'x' })));
    const reason = (tx as TransactionCanceledError).reasons[0]!.error;
    expect(reason).toBeInstanceOf(ConditionFailedError);
    expect(reason).not.toBeInstanceOf(ItemNotFoundError);
    expect((reason as ConditionFailedError).item).toMatchObject({ orderId: 'o2', status: 'open' });
  });

  test('one bad item fails a whole collection read', async () => {
    expect(await rejection(orm.collection([Customer, Line]).where('customerId', '=', 'c1').all())).toBeInstanceOf(ValidationError);
  });
});

describe("onInvalid('skip'): the item is left out and reported to the logger", () => {
  test('query, page, iterate, scan, parallel scan, first', async () => {
    warnings.length = 0;
    const q = orm.model(Order).where('customerId', '=', 'c1').onInvalid('skip');
    expect(ids(await q.all())).toEqual(VALID);
    expect(ids((await q.page()).items)).toEqual(VALID);
    const iterated: string[] = [];
    for await (const o of q.iterate()) iterated.push(o.orderId);
    expect(iterated).toEqual(VALID);
    expect(ids(await q.scan())).toEqual(VALID);
    expect(ids(await q.scan({ segments: 3 })).sort()).toEqual(VALID);
    expect((await orm.model(Order).onInvalid('skip').where('customerId', '=', 'c1').where('orderId', '>', 'o1').first()).orderId).toBe('o5');
    // Each skipped item is reported with its issues and the raw item.
    const first = warnings[0]!;
    expect(first.message).toMatch(/query Order \{ customerId: "c1", orderId: "o2" \}: skipped/);
    expect(first.details).toMatchObject({ model: 'Order', key: { customerId: 'c1', orderId: 'o2' }, item: ORDERS[1], issues: [{ attribute: 'total' }] });
  });

  test('limits stay exact when items are skipped', async () => {
    const page = await orm.model(Order).where('customerId', '=', 'c1').onInvalid('skip').limit(2).page();
    expect(ids(page.items)).toEqual(VALID);
  });

  test('get (alone and coalesced), batchGet, transactGet resolve undefined for the skipped item', async () => {
    expect(await plain.model(Order).onInvalid('skip').get({ customerId: 'c1', orderId: 'o2' })).toBeUndefined();
    const [a, b, c] = await Promise.all(['o1', 'o3', 'o5'].map((orderId) => orm.model(Order).onInvalid('skip').get({ customerId: 'c1', orderId })));
    expect(ids([a, b, c])).toEqual(['o1', undefined, 'o5']);
    // A strict caller in the same batch still gets its error; a skipping one its result.
    const [strict, lenient] = await Promise.allSettled([orm.model(Order).get({ customerId: 'c1', orderId: 'o4' }), orm.model(Order).onInvalid('skip').get({ customerId: 'c1', orderId: 'o4' })]);
    expect(strict.status === 'rejected' && strict.reason instanceof ValidationError).toBe(true);
    expect(lenient).toEqual({ status: 'fulfilled', value: undefined });
    const keys = ['o1', 'o2', 'o3', 'o5'].map((orderId) => ({ customerId: 'c1', orderId }));
    expect(ids(await orm.model(Order).batchGet(keys, { onInvalid: 'skip' }))).toEqual(VALID);
    expect(ids(await orm.model(Order).batchGet(keys, { onInvalid: 'skip', ordered: true }))).toEqual(['o1', undefined, undefined, 'o5']);
    expect(ids(await orm.model(Order).onInvalid('skip').batchGet(keys))).toEqual(VALID);
    const [t1, t2] = await orm.transactGet([{ model: Order, key: { customerId: 'c1', orderId: 'o1' } }, { model: Order, key: { customerId: 'c1', orderId: 'o2' } }], { onInvalid: 'skip' });
    expect(ids([t1, t2])).toEqual(['o1', undefined]);
  });

  test('select(): only the selected attributes are checked', async () => {
    expect(ids(await orm.model(Order).where('customerId', '=', 'c1').select('orderId', 'status').onInvalid('skip').all())).toEqual(['o1', 'o2', 'o3', 'o5']);
    expect(await orm.model(Order).select('orderId', 'note').get({ customerId: 'c1', orderId: 'o2' })).toEqual({ orderId: 'o2' });
  });

  test('a collection leaves out the bad items of one model, not the others', async () => {
    warnings.length = 0;
    const items = await orm.collection([Customer, Line]).where('customerId', '=', 'c1').onInvalid('skip').all();
    expect(items.map((i) => i.entity === 'Line' ? i.item.lineId : i.item.name)).toEqual(['l1', 'Ann']);
    expect(warnings.map((w) => (w.details as InvalidItem).key)).toEqual([{ customerId: 'c1', lineId: 'l2' }, { customerId: 'c1', lineId: 'l3' }]);
  });

  test('the ORM-wide default, overridden per read', async () => {
    expect(ids(await skipping.model(Order).where('customerId', '=', 'c1').all())).toEqual(VALID);
    expect(await skipping.model(Order).get({ customerId: 'c1', orderId: 'o2' })).toBeUndefined();
    expect(await rejection(skipping.model(Order).where('customerId', '=', 'c1').onInvalid('throw').all())).toBeInstanceOf(ValidationError);
    expect((await skipping.collection([Customer, Line]).where('customerId', '=', 'c1').all()).length).toBe(2);
  });
});

describe('onInvalid(callback): sees model, key, raw item and issues; decides', () => {
  test('returning nothing (or "skip") skips; returning "throw" throws the ValidationError; throwing throws its own error', async () => {
    const seen: InvalidItem[] = [];
    const items = await orm.model(Order).where('customerId', '=', 'c1').onInvalid((invalid) => void seen.push(invalid)).all();
    expect(ids(items)).toEqual(VALID);
    expect(seen.map((s) => [s.model, s.op, s.key['orderId'], s.issues.map((i) => i.attribute)])).toEqual([
      ['Order', 'query', 'o2', ['total']], ['Order', 'query', 'o3', ['total']], ['Order', 'query', 'o4', ['status']],
    ]);
    expect(seen[1]!.item).toEqual(ORDERS[2]);

    const strictAbout = (attribute: string) => (invalid: InvalidItem) => (invalid.issues.some((i) => i.attribute === attribute) ? 'throw' : 'skip');
    expect(ids(await orm.model(Order).where('customerId', '=', 'c1').onInvalid(strictAbout('placedAt')).all())).toEqual(VALID);
    const e = await rejection(orm.model(Order).where('customerId', '=', 'c1').onInvalid(strictAbout('status')).all());
    expect((e as ValidationError).issues[0]!.attribute).toBe('status');

    class Mine extends Error {}
    expect(await rejection(orm.model(Order).onInvalid(() => { throw new Mine('no'); }).get({ customerId: 'c1', orderId: 'o3' }))).toBeInstanceOf(Mine);
    expect(await orm.model(Order).where('customerId', '=', 'c1').where('orderId', '=', 'o1').onInvalid(() => { throw new Mine('never called'); }).all()).toHaveLength(1);
  });
});

describe('Model.marshal / Model.unmarshal: the stored form, for raw SDK calls, streams and exports', () => {
  test('marshal validates and adds what the library stores (composed keys, discriminator)', () => {
    expect(Line.marshal({ customerId: 'c1', lineId: 'l9', qty: 3 })).toEqual({ PK: S('CUSTOMER#c1'), SK: S('LINE#l9'), __entity: S('Line'), customerId: S('c1'), lineId: S('l9'), qty: N(3) });
    expect(() => Line.marshal({ customerId: 'c1', lineId: 'l9', qty: 'x' as unknown as number })).toThrow(ValidationError);
  });

  test('unmarshal drops what the library stores and is always strict: onInvalid is a read option of the ORM', () => {
    const item = Line.marshal({ customerId: 'c1', lineId: 'l9', qty: 3 });
    expect(Line.unmarshal(item)).toEqual({ customerId: 'c1', lineId: 'l9', qty: 3 });
    const e = (() => { try { Order.unmarshal(ORDERS[1]!); } catch (error) { return error; } })() as ValidationError;
    expect(e).toBeInstanceOf(ValidationError);
    expect(e.op).toBe('unmarshal');
    expect(e.issues.map((i) => i.attribute)).toEqual(['total']);
    // To skip instead, catch: the error carries the issues.
    const valid = ORDERS.flatMap((raw) => { try { return [Order.unmarshal(raw)]; } catch { return []; } });
    expect(ids(valid)).toEqual(VALID);
  });
});
