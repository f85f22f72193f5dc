// A table shared with other code holds attributes the model does not declare. With
// `undeclared: 'keep'`, read-modify-put keeps them: reads carry them on the item out of sight and
// every put of that object (single, batch, transaction) writes them back unchanged. Without the
// option a put of an item read drops them, as PutItem replaces the whole item.
import { beforeEach, describe, expect, test } from 'vitest';
import { PutItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { DynamORM, model, t, undeclaredOf } from 'dynamorm';
import { endpoint } from './support/dynamo.js';
import { rawClient, storedItem, uniquePrefix } from './support/inspect.js';

const attributes = { id: t.string().pk(), n: t.number(), note: t.string().optional() };
const Legacy = model('Legacy', { table: 'legacy', undeclared: 'keep', attributes });
const Dropping = model('Dropping', { table: 'legacy', attributes });
// Single-table: the composed key fields and the discriminator are the model's own, never "undeclared".
const Account = model('Account', {
  table: 'accounts',
  undeclared: 'keep',
  keys: { pk: 'ACCOUNT#{accountId}', sk: 'PROFILE' },
  attributes: { accountId: t.string(), owner: t.string() },
});

const orm = new DynamORM({ endpoint: endpoint(), autoMigrate: true, tablePrefix: uniquePrefix('undeclared'), models: [Legacy, Account] });
const EXTRA: Record<string, AttributeValue> = { legacy_flag: { BOOL: true }, Audit: { M: { by: { S: 'batch-job' }, at: { N: '1714521600' } } }, tags_v1: { SS: ['a', 'b'] } };

async function putRaw(id: string): Promise<void> {
  await rawClient().send(new PutItemCommand({ TableName: orm.tableName(Legacy), Item: { id: { S: id }, n: { N: '1' }, ...EXTRA } }));
}
const stored = (id: string) => storedItem(orm, Legacy, { id: { S: id } });

beforeEach(async () => {
  await orm.createTables(Legacy, Account);
});

describe("undeclared: 'keep'", () => {
  test('get, spread, put: the stored item keeps the attributes the model does not declare', async () => {
    await putRaw('k1');
    const item = (await orm.model(Legacy).get({ id: 'k1' }))!;
    // Out of sight: not in the keys, not in JSON.
    expect(Object.keys(item)).toEqual(['id', 'n']);
    expect(JSON.parse(JSON.stringify(item))).toEqual({ id: 'k1', n: 1 });
    expect(undeclaredOf(item)).toEqual(EXTRA);
    const written = await orm.model(Legacy).put({ ...item, n: 2, note: 'changed' });
    expect(await stored('k1')).toEqual({ id: { S: 'k1' }, n: { N: '2' }, note: { S: 'changed' }, ...EXTRA });
    expect(undeclaredOf(written)).toEqual(EXTRA);
  });

  test('query, spread, batchPut; read, transaction put; an update leaves them alone', async () => {
    await putRaw('k2');
    await putRaw('k3');
    const [a] = await orm.model(Legacy).where('id', '=', 'k2').all();
    await orm.model(Legacy).batchPut([{ ...a!, n: 20 }]);
    expect(await stored('k2')).toEqual({ id: { S: 'k2' }, n: { N: '20' }, ...EXTRA });
    const b = (await orm.model(Legacy).batchGet([{ id: 'k3' }]))[0]!;
    await orm.transaction((tx) => void tx.put(Legacy, { ...b, n: 30 }));
    expect(await stored('k3')).toEqual({ id: { S: 'k3' }, n: { N: '30' }, ...EXTRA });
    await orm.model(Legacy).key({ id: 'k3' }).update({ n: 31 });
    expect(await stored('k3')).toEqual({ id: { S: 'k3' }, n: { N: '31' }, ...EXTRA });
  });

  test('create of a copy under another key writes them too; Model.marshal of an item read includes them', async () => {
    await putRaw('k4');
    const item = (await orm.model(Legacy).get({ id: 'k4' }))!;
    await orm.model(Legacy).create({ ...item, id: 'k4-copy' });
    expect(await stored('k4-copy')).toEqual({ id: { S: 'k4-copy' }, n: { N: '1' }, ...EXTRA });
    expect(Legacy.marshal({ ...item })).toEqual({ id: { S: 'k4' }, n: { N: '1' }, ...EXTRA });
    // An object the model did not read carries none; an unknown property is still refused.
    expect(Legacy.marshal({ id: 'x', n: 1 })).toEqual({ id: { S: 'x' }, n: { N: '1' } });
    expect(() => Legacy.marshal({ id: 'x', n: 1, legacy_flag: true } as never)).toThrow(/legacy_flag/);
  });

  test("single-table: the composed keys and discriminator are the model's own, recomputed on write", async () => {
    await rawClient().send(new PutItemCommand({ TableName: orm.tableName(Account), Item: { PK: { S: 'ACCOUNT#a1' }, SK: { S: 'PROFILE' }, __entity: { S: 'Account' }, accountId: { S: 'a1' }, owner: { S: 'ann' }, plan: { S: 'gold' } } }));
    const account = (await orm.model(Account).get({ accountId: 'a1' }))!;
    expect(undeclaredOf(account)).toEqual({ plan: { S: 'gold' } });
    await orm.model(Account).put({ ...account, owner: 'bob' });
    expect(await storedItem(orm, Account, { PK: { S: 'ACCOUNT#a1' }, SK: { S: 'PROFILE' } })).toEqual({ PK: { S: 'ACCOUNT#a1' }, SK: { S: 'PROFILE' }, __entity: { S: 'Account' }, accountId: { S: 'a1' }, owner: { S: 'bob' }, plan: { S: 'gold' } });
  });
});

describe('without the option (default)', () => {
  test('reads leave them out and a put of the item read removes them, as PutItem replaces the item', async () => {
    await putRaw('d1');
    const item = (await orm.model(Dropping).get({ id: 'd1' }))!;
    expect(undeclaredOf(item)).toBeUndefined();
    await orm.model(Dropping).put({ ...item, n: 2 });
    expect(await stored('d1')).toEqual({ id: { S: 'd1' }, n: { N: '2' } });
  });
});
