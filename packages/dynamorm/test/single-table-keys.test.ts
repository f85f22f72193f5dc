// Composed keys that cannot collide: a value holding the delimiter that follows it in its template,
// or an empty value, is refused before any request, in writes, keys and query conditions; and the
// templates no value could ever satisfy are refused when the model is defined.
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamORM, ModelDefinitionError, ValidationError, model, t } from 'dynamorm';
import { endpoint, uniqueTable } from './support/dynamo.js';
import { recordCommands, rejection, storedItems, thrown } from './support/inspect.js';

const Tag = model('Tag', {
  table: 'tags',
  keys: { pk: 'TAG#{owner}#{label}', sk: 'V#{version}' },
  indexes: { GSI1: { pk: 'COLOR#{color}#{shade}', sk: 'TAG#{label}' } },
  attributes: {
    owner: t.string(),
    label: t.string(),
    version: t.number(),
    color: t.string().optional(),
    shade: t.string().optional(),
  },
});

const orm = new DynamORM({ endpoint: endpoint(), autoMigrate: true, tablePrefix: `${uniqueTable('stkeys')}_`, models: [Tag] });
const tags = () => orm.model(Tag);

beforeAll(async () => {
  await tags().create({ owner: 'ann', label: 'x#y', version: 1 });
});

/** The ValidationError a call rejects with, after checking nothing reached DynamoDB. */
async function refused(sent: string[], call: () => Promise<unknown>): Promise<ValidationError> {
  const before = sent.length;
  const error = await rejection(Promise.resolve().then(call));
  expect(error).toBeInstanceOf(ValidationError);
  expect(sent.length).toBe(before);
  return error as ValidationError;
}

describe('a value holding the delimiter that follows it in a template', () => {
  it("is refused in writes: { owner: 'ann#x', label: 'y' } would be the key of { owner: 'ann', label: 'x#y' }", async () => {
    const sent = recordCommands(orm.client);
    const error = await refused(sent, () => tags().put({ owner: 'ann#x', label: 'y', version: 1 }));
    expect(error.message).toContain('Tag.owner');
    expect(error.message).toContain('"#"');
    expect(error.message).toContain('TAG#{owner}#{label}');
    expect(error.message).toMatch(/remove "#" from the value/);
    expect(error.issues).toHaveLength(1);
    await refused(sent, () => tags().create({ owner: 'ann#x', label: 'y', version: 1 }));
    await refused(sent, () => tags().batchPut([{ owner: 'bob', label: 'a', version: 1 }, { owner: 'ann#x', label: 'y', version: 1 }]));
    await refused(sent, () => orm.transaction((tx) => { tx.model(Tag).put({ owner: 'ann#x', label: 'y', version: 1 }); }));
    // The item that was there is untouched and nothing else was written.
    expect((await storedItems(orm, Tag)).map((i) => i['PK']!.S)).toEqual(['TAG#ann#x#y']);
  });

  it('is refused in keys: get, key(), delete, batchGet, and an update of another attribute', async () => {
    const sent = recordCommands(orm.client);
    await refused(sent, () => tags().get({ owner: 'ann#x', label: 'y', version: 1 }));
    await refused(sent, () => tags().key({ owner: 'ann#x', label: 'y', version: 1 }).first());
    await refused(sent, () => tags().delete({ owner: 'ann#x', label: 'y', version: 1 }));
    await refused(sent, () => tags().batchGet([{ owner: 'ann#x', label: 'y', version: 1 }]));
    await refused(sent, () => tags().key({ owner: 'ann#x', label: 'y', version: 1 }).update({ color: 'red', shade: 'dark' }));
    expect(await tags().get({ owner: 'ann', label: 'x#y', version: 1 })).toEqual({ owner: 'ann', label: 'x#y', version: 1 });
  });

  it('is refused in query conditions, which could only match another item', async () => {
    const sent = recordCommands(orm.client);
    await refused(sent, () => tags().where('owner', '=', 'ann#x').where('label', '=', 'y').all());
    await refused(sent, () => tags().where('color', '=', 'red#x').where('shade', '=', 'dark').all());
    // A prefix holding the delimiter matches no owner either.
    await refused(sent, () => tags().where('owner', 'begins_with', 'an#').where('label', '=', 'y').scan());
    // The last variable of a template may hold it: nothing follows it.
    expect(await tags().where('owner', '=', 'ann').where('label', '=', 'x#y').all()).toEqual([{ owner: 'ann', label: 'x#y', version: 1 }]);
  });

  it('is refused in the composed keys of an index, on put and on update', async () => {
    const sent = recordCommands(orm.client);
    const error = await refused(sent, () => tags().put({ owner: 'ann', label: 'x#y', version: 1, color: 'red#dark', shade: 'x' }));
    expect(error.message).toContain('COLOR#{color}#{shade}');
    await refused(sent, () => tags().key({ owner: 'ann', label: 'x#y', version: 1 }).update({ color: 'red#dark', shade: 'x' }));
    await tags().key({ owner: 'ann', label: 'x#y', version: 1 }).update({ color: 'red', shade: 'dark#er' });
    expect(await tags().where('color', '=', 'red').where('shade', '=', 'dark#er').all()).toHaveLength(1);
  });
});

describe('an empty value in a composed key', () => {
  it('is refused like an empty key (CUSTOMER# is no key), wherever the variable stands', async () => {
    const sent = recordCommands(orm.client);
    const first = await refused(sent, () => tags().put({ owner: '', label: 'y', version: 1 }));
    expect(first.message).toMatch(/Tag\.owner: expected a non-empty value \(it is part of key template "TAG#\{owner\}#\{label\}"\)/);
    await refused(sent, () => tags().put({ owner: 'ann', label: '', version: 1 }));
    await refused(sent, () => tags().put({ owner: 'ann', label: 'y', version: 1, color: '', shade: 'dark' }));
    await refused(sent, () => tags().get({ owner: 'ann', label: '', version: 1 }));
    await refused(sent, () => tags().where('owner', '=', 'ann').where('label', '=', '').all());
    await refused(sent, () => tags().key({ owner: 'ann', label: 'x#y', version: 1 }).update({ color: '', shade: 'dark' }));
  });
});

describe('templates no value could satisfy are refused at definition', () => {
  const attributes = { a: t.string(), b: t.string(), at: t.date(), ms: t.date({ storeAs: 'epochMillis' }), n: t.number(), kind: t.enum(['x', 'y#z']) };
  const define = (pk: string) => () => model('Bad', { keys: { pk, sk: 'S' }, attributes });

  it('two variables side by side', () => {
    const error = thrown(define('{a}{b}')) as ModelDefinitionError;
    expect(error).toBeInstanceOf(ModelDefinitionError);
    expect(error.message).toMatch(/side by side.*put a delimiter between them/);
  });

  it("an ISO date followed by text an ISO date holds (':', '-', 'T', digits)", () => {
    for (const pk of ['D#{at}-{a}', 'D#{at}:{a}', 'D#{at}T{a}', 'D#{at}1{a}']) {
      expect(thrown(define(pk))).toBeInstanceOf(ModelDefinitionError);
    }
    expect((thrown(define('D#{at}-{a}')) as Error).message).toMatch(/Bad\.at|at:.*ISO-8601 date.*such as "#"/);
    expect(() => define('D#{at}#{a}')()).not.toThrow();
  });

  it('a number or epoch date followed by "-" or "."', () => {
    expect(thrown(define('N#{n}-{a}'))).toBeInstanceOf(ModelDefinitionError);
    expect(thrown(define('N#{ms}.{a}'))).toBeInstanceOf(ModelDefinitionError);
    expect(() => define('N#{n}#{a}')()).not.toThrow();
  });

  it('an enum whose values hold the delimiter', () => {
    expect((thrown(define('E#{kind}#{a}')) as Error).message).toMatch(/enum value "y#z" contains "#"/);
    expect(() => define('E#{kind}|{a}')()).not.toThrow();
    // Last in its template, nothing follows it.
    expect(() => define('E#{a}#{kind}')()).not.toThrow();
  });
});
