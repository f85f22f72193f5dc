/**
 * electrodb 3, used as its docs show: an Entity on a DocumentClient, requests built with the
 * chainable API; in-process figures use `.params()` (the documented way to see a request without
 * sending it) plus the DocumentClient's marshalling, and `entity.parse()` for a returned item.
 *
 * Deviations from the defaults, both needed for the shared table layout: every key uses
 * `casing: 'none'` (electrodb lowercases key values by default, which would change `createdAt`),
 * and the key fields are the model's own attributes (`id`, `createdAt`, `email`), which electrodb
 * then stores without a prefix. electrodb still adds `__edb_e__` / `__edb_v__` to every item and
 * update, and a set comes back as an array.
 */
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Entity, type CreateEntityItem, type EntityItem } from 'electrodb';
import { canonicalUser, type QuerySpec, type UpdateSpec, type User, type UserKey } from '../model.js';
import { DOC_MARSHALL_OPTIONS, docPutToWire, docQueryToWire, docUpdateToWire, unmarshallValues } from '../lib/doc-marshall.js';
import type { BenchEnv, Contender, TypecheckSource, BundleEntry } from './types.js';

function userEntity(table: string, client: DynamoDBDocumentClient) {
  return new Entity(
    {
      model: { entity: 'User', version: '1', service: 'bench' },
      attributes: {
        id: { type: 'string', required: true },
        createdAt: { type: 'string', required: true },
        email: { type: 'string', required: true },
        name: { type: 'string', required: true },
        age: { type: 'number', required: true },
        tags: { type: 'set', items: 'string', required: true },
        preferences: {
          type: 'map',
          required: true,
          properties: {
            theme: { type: 'string', required: true },
            locale: { type: 'string', required: true },
            notifications: {
              type: 'map',
              required: true,
              properties: { email: { type: 'boolean', required: true }, sms: { type: 'boolean', required: true } },
            },
          },
        },
        updatedAt: { type: 'string', required: true },
        version: { type: 'number', required: true },
        ttl: { type: 'number' },
      },
      indexes: {
        primary: {
          pk: { field: 'id', composite: ['id'], casing: 'none' },
          sk: { field: 'createdAt', composite: ['createdAt'], casing: 'none' },
        },
        byEmail: {
          index: 'gsi-email',
          pk: { field: 'email', composite: ['email'], casing: 'none' },
          sk: { field: 'createdAt', composite: ['createdAt'], casing: 'none' },
        },
      },
    },
    { table, client },
  );
}

type UserEntity = ReturnType<typeof userEntity>;
type ElectroItem = CreateEntityItem<UserEntity>;
type ElectroUser = EntityItem<UserEntity>;

function toElectro(u: User): ElectroItem {
  const item = {
    id: u.id,
    createdAt: u.createdAt,
    email: u.email,
    name: u.name,
    age: u.age,
    tags: Array.from(u.tags),
    preferences: u.preferences,
    updatedAt: u.updatedAt,
    version: u.version,
    ...(u.ttl === undefined ? {} : { ttl: u.ttl }),
  };
  return item;
}


export function createElectrodb(env: BenchEnv): Contender<ElectroItem, UserKey, ElectroUser> {
  const doc = DynamoDBDocumentClient.from(env.client, { marshallOptions: DOC_MARSHALL_OPTIONS });
  const User = userEntity(env.tableName, doc);

  const queryOf = (q: QuerySpec) =>
    User.query
      .byEmail({ email: q.email })
      .begins({ createdAt: q.createdAtPrefix })
      .where(({ age }, { gt }) => gt(age, q.minAge));

  const parse = (item: Record<string, unknown>): ElectroUser => {
    const { data } = User.parse({ Item: item });
    if (data === null) throw new Error('electrodb: parse returned null');
    return data;
  };

  return {
    id: 'electrodb',
    label: 'electrodb (.params() + DocumentClient marshalling)',
    role: 'peer',
    packages: ['electrodb'],
    ignoredAttributes: ['__edb_e__', '__edb_v__'],
    notes: "Entity with casing: 'none' keys on the model's own attributes; adds __edb_e__/__edb_v__; sets read back as arrays.",
    toItem: toElectro,
    toKey: (k) => k,
    toUser: canonicalUser,
    buildPut: (item) => docPutToWire(User.put(item).params()),
    unmarshal: (av) => parse(unmarshallValues(av)),
    buildQuery: (q) => docQueryToWire(queryOf(q).params()),
    buildUpdate: (k, u) =>
      docUpdateToWire(User.update(k).set({ name: u.name }).add({ age: u.ageIncrement }).remove(['ttl']).params()),
    async put(item) {
      await User.put(item).go();
    },
    async get(k) {
      const { data } = await User.get(k).go();
      return data ?? undefined;
    },
    async query(q) {
      const { data } = await queryOf(q).go({ pages: 'all' });
      return data;
    },
    async batchWrite(items) {
      const { unprocessed } = await User.put([...items]).go();
      if (unprocessed.length > 0) throw new Error(`electrodb: ${unprocessed.length} unprocessed items`);
    },
    async batchGet(keys) {
      const { data, unprocessed } = await User.get([...keys]).go();
      if (unprocessed.length > 0) throw new Error(`electrodb: ${unprocessed.length} unprocessed keys`);
      return data;
    },
  };
}

export default createElectrodb;

/** 50 entities with one typed query each (bench/typecheck.ts). */
export const typecheck: TypecheckSource = {
  id: 'electrodb',
  source(models) {
    const lines = [
      "import { Entity, type CreateEntityItem, type EntityItem } from 'electrodb';",
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
      "import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';",
      "const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));",
    ];
    for (let i = 0; i < models; i++) {
      lines.push(`
export const M${i} = new Entity({
  model: { entity: 'M${i}', version: '1', service: 'tc' },
  attributes: {
    id: { type: 'string', required: true },
    createdAt: { type: 'string', required: true },
    email: { type: 'string', required: true },
    name${i}: { type: 'string', required: true },
    age: { type: 'number', required: true },
    tags: { type: 'set', items: 'string' },
    prefs: { type: 'map', properties: { theme: { type: 'string' }, sms: { type: 'boolean' } } },
    version: { type: 'number', required: true },
  },
  indexes: {
    primary: { pk: { field: 'id', composite: ['id'], casing: 'none' }, sk: { field: 'createdAt', composite: ['createdAt'], casing: 'none' } },
    byEmail: { index: 'gsi-email', pk: { field: 'email', composite: ['email'], casing: 'none' }, sk: { field: 'createdAt', composite: ['createdAt'], casing: 'none' } },
  },
}, { table: 't', client });
export async function q${i}() {
  const { data } = await M${i}.query.byEmail({ email: 'a@b.c' }).begins({ createdAt: '2024-05' }).where(({ age }, { gt }) => gt(age, 18)).go();
  const first = data[0];
  const n: string | undefined = first?.name${i};
  const a: number | undefined = first?.age;
  return { n, a };
}`);
    }
    return lines.join('\n') + '\n';
  },
};

export const bundle: BundleEntry = { id: 'electrodb', specifier: 'electrodb', packageName: 'electrodb' };
