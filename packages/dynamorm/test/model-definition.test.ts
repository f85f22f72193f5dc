// Model definitions that cannot work throw a ModelDefinitionError naming model and attribute
// when model() is called, before any ORM or request exists. Where TypeScript already refuses
// the definition, `@ts-expect-error` says so and the runtime check is asserted too.
import { describe, expect, test } from 'vitest';
import { DynamORM, DynamORMError, model, ModelDefinitionError, t } from 'dynamorm';
import { thrown } from './support/inspect.js';

function definitionError(define: () => unknown, modelName: string, attribute: string | undefined, problem: RegExp): ModelDefinitionError {
  const error = thrown(define);
  expect(error).toBeInstanceOf(ModelDefinitionError);
  expect(error).toBeInstanceOf(DynamORMError);
  const e = error as ModelDefinitionError;
  expect(e.model).toBe(modelName);
  expect(e.attribute).toBe(attribute);
  expect(e.op).toBe('model');
  expect(e.code).toBe('model.invalid');
  expect(e.context).toEqual(attribute === undefined ? {} : { attribute });
  expect(e.message).toContain(`model ${modelName}`);
  if (attribute !== undefined) expect(e.message).toContain(`attribute ${attribute}`);
  expect(e.message).toMatch(problem);
  return e;
}

describe('ModelDefinitionError at model() time', () => {
  test('two partition keys', () => {
    definitionError(
      () => model('TwoPk', { attributes: { a: t.string().pk(), b: t.string().pk() } }),
      'TwoPk', 'b', /second partition key/,
    );
  });

  test('no partition key', () => {
    definitionError(() => model('NoPk', { attributes: { a: t.string(), b: t.number().sk() } }), 'NoPk', undefined, /no partition key/);
  });

  test('two sort keys', () => {
    definitionError(
      () => model('TwoSk', { attributes: { id: t.string().pk(), a: t.number().sk(), b: t.number().sk() } }),
      'TwoSk', 'b', /second sort key/,
    );
  });

  test.each([
    ['boolean', () => t.boolean()],
    ['stringSet', () => t.stringSet()],
    ['list', () => t.list(t.string())],
    ['map', () => t.map(t.string())],
    ['object', () => t.object({ a: t.string() })],
    ['unknown', () => t.unknown()],
  ])('a partition key of an unkeyable type: %s', (kind, attribute) => {
    // @ts-expect-error TypeScript refuses .pk() on a type DynamoDB cannot key on
    definitionError(() => model('BadKey', { attributes: { id: attribute().pk() } }), 'BadKey', 'id', new RegExp(`not ${kind}`));
  });

  test('a sort key and a GSI key of an unkeyable type', () => {
    definitionError(
      // @ts-expect-error TypeScript refuses .sk() on a boolean
      () => model('BadSk', { attributes: { id: t.string().pk(), flag: t.boolean().sk() } }),
      'BadSk', 'flag', /sort key must be/,
    );
    definitionError(
      // @ts-expect-error TypeScript refuses .index() on a list
      () => model('BadGsi', { attributes: { id: t.string().pk(), tags: t.list(t.string()).index('by-tags') } }),
      'BadGsi', 'tags', /partition key of index by-tags/,
    );
  });

  test('keys of every keyable type are accepted', () => {
    const models = [
      model('K1', { attributes: { id: t.string().pk() } }),
      model('K2', { attributes: { id: t.number().pk() } }),
      model('K3', { attributes: { id: t.bigint().pk() } }),
      model('K4', { attributes: { id: t.binary().pk() } }),
      model('K5', { attributes: { id: t.date().pk() } }),
      model('K6', { attributes: { id: t.date({ storeAs: 'epochMillis' }).pk() } }),
      model('K7', { attributes: { id: t.enum(['a', 'b']).pk() } }),
      model('K8', { attributes: { id: t.ttl().pk() } }),
      model('K9', { attributes: { id: t.custom({ type: 'S', marshal: (v: string) => v.toUpperCase(), unmarshal: (s) => s.toLowerCase() }).pk() } }),
    ];
    expect(models.map((m) => m.primary.pk.name)).toEqual(Array(9).fill('id'));
  });

  test('a nullable key', () => {
    // @ts-expect-error a nullable string is not keyable
    definitionError(() => model('NullKey', { attributes: { id: t.string().nullable().pk() } }), 'NullKey', 'id', /nullable/);
  });

  test('an optional key', () => {
    definitionError(() => model('OptKey', { attributes: { id: t.string().pk().optional() } }), 'OptKey', 'id', /cannot be \.optional\(\)/);
    definitionError(
      () => model('OptSk', { attributes: { id: t.string().pk(), at: t.date().sk().optional() } }),
      'OptSk', 'at', /cannot be \.optional\(\)/,
    );
  });

  test('a GSI with only a sort key', () => {
    definitionError(
      () => model('GsiNoPk', { attributes: { id: t.string().pk(), age: t.number().index('by-age', 'sk') } }),
      'GsiNoPk', 'age', /index by-age has a sort key but no partition key/,
    );
  });

  test('a GSI with two partition keys', () => {
    definitionError(
      () => model('GsiTwoPk', { attributes: { id: t.string().pk(), a: t.string().index('g'), b: t.string().index('g') } }),
      'GsiTwoPk', 'b', /second partition key for index g/,
    );
  });

  test('a version attribute that is not a number', () => {
    // @ts-expect-error TypeScript refuses .version() on a string
    definitionError(() => model('StrVersion', { attributes: { id: t.string().pk(), version: t.string().version() } }), 'StrVersion', 'version', /t\.number\(\)/);
    // @ts-expect-error TypeScript refuses .version() on a bigint
    definitionError(() => model('BigVersion', { attributes: { id: t.string().pk(), v: t.bigint().version() } }), 'BigVersion', 'v', /not bigint/);
  });

  test('two version attributes', () => {
    definitionError(
      () => model('TwoVersions', { attributes: { id: t.string().pk(), a: t.number().version(), b: t.number().version() } }),
      'TwoVersions', 'b', /second \.version\(\)/,
    );
  });

  test('duplicate field names', () => {
    definitionError(
      () => model('DupField', { attributes: { id: t.string().pk().field('PK'), other: t.string().field('PK') } }),
      'DupField', 'other', /"PK"/,
    );
    definitionError(
      () => model('DupName', { attributes: { id: t.string().pk(), name: t.string(), alias: t.string().field('name') } }),
      'DupName', 'alias', /"name"/,
    );
  });

  test('an LSI on a table without a sort key', () => {
    definitionError(
      () => model('LsiNoSk', { attributes: { id: t.string().pk(), at: t.date().localIndex('by-at') } }),
      'LsiNoSk', 'at', /local index by-at needs a table with a sort key/,
    );
  });

  test('an index declared both as a GSI and an LSI', () => {
    definitionError(
      () => model('Mixed', { attributes: { id: t.string().pk(), at: t.date().sk(), a: t.string().index('x'), b: t.number().localIndex('x') } }),
      'Mixed', 'b', /both as a GSI/,
    );
  });

  test('an unknown index in options.indexes', () => {
    definitionError(
      () => model('UnknownIndex', {
        attributes: { id: t.string().pk(), email: t.string().index('by-email') },
        // @ts-expect-error by-name is not an index of the model
        indexes: { 'by-name': { projection: 'KEYS_ONLY' } },
      }),
      'UnknownIndex', undefined, /options\.indexes names by-name/,
    );
  });

  test('an INCLUDE projection naming an attribute the model does not have', () => {
    definitionError(
      () => model('BadProjection', {
        attributes: { id: t.string().pk(), email: t.string().index('by-email') },
        indexes: { 'by-email': { projection: ['nope'] } },
      }),
      'BadProjection', 'nope', /projected by index by-email/,
    );
  });

  test('two TTL attributes', () => {
    definitionError(() => model('TwoTtl', { attributes: { id: t.string().pk(), a: t.ttl(), b: t.ttl() } }), 'TwoTtl', 'b', /second t\.ttl\(\)/);
  });

  test('a managed timestamp on an attribute that cannot hold a time', () => {
    // @ts-expect-error TypeScript refuses .createdAt() on a boolean
    definitionError(() => model('BadStamp', { attributes: { id: t.string().pk(), at: t.boolean().createdAt() } }), 'BadStamp', 'at', /createdAt/);
  });

  test('a valid model with every feature defines without error', () => {
    const Full = model('Full', {
      table: 'full',
      attributes: {
        id: t.string().pk().field('PK'),
        at: t.date().sk().field('SK'),
        email: t.string().index('by-email').optional(),
        name: t.string().index('by-name-age'),
        age: t.number().index('by-name-age', 'sk').localIndex('by-age'),
        version: t.number().version(),
        createdAt: t.date().createdAt(),
        updatedAt: t.date().updatedAt(),
        ttl: t.ttl().optional(),
      },
      indexes: { 'by-email': { projection: 'KEYS_ONLY' }, 'by-age': { projection: ['name'] } },
    });
    expect(Full.table).toBe('full');
    expect([...Full.indexes.keys()].sort()).toEqual(['by-age', 'by-email', 'by-name-age']);
    expect(Full.indexes.get('by-age')?.type).toBe('LSI');
    expect(Full.versionAttribute?.name).toBe('version');
  });

  test('the table name defaults to the model name', () => {
    expect(model('Defaulted', { attributes: { id: t.string().pk() } }).table).toBe('Defaulted');
  });
});

describe('the model registry', () => {
  const A = model('Registered', { attributes: { id: t.string().pk() } });
  const B = model('Registered', { attributes: { id: t.number().pk() } });

  test('models are found by name once registered or used', () => {
    const orm = new DynamORM({ region: 'local', models: [A] });
    expect(orm.getModel('Registered')).toBe(A);
    expect(orm.getModel('Other')).toBeUndefined();
    const Other = model('Other', { attributes: { id: t.string().pk() } });
    orm.model(Other);
    expect(orm.getModel('Other')).toBe(Other);
  });

  test('a second, different model of one name is refused', () => {
    const orm = new DynamORM({ region: 'local', models: [A] });
    orm.register(A);
    definitionError(() => orm.register(B), 'Registered', undefined, /already registered/);
    definitionError(() => orm.model(B), 'Registered', undefined, /already registered/);
    expect(orm.getModel('Registered')).toBe(A);
  });
});
