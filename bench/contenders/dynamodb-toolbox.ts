/**
 * dynamodb-toolbox v2, used as its docs show: a Table and an Entity on a DocumentClient, actions
 * built with `.build(Action)`; in-process figures use `.params()` (the documented no-I/O way) plus
 * the DocumentClient's marshalling, and `EntityFormatter.format()` for a returned item (what
 * `GetItemCommand.send()` runs on the response).
 *
 * Defaults kept: the entity attribute `_et` and the timestamps `_ct`/`_md` (read back as
 * `created`/`modified`) are written on every put and update, and queries filter on `_et`.
 */
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  $add,
  $remove,
  BatchGetCommand,
  BatchGetRequest,
  BatchPutRequest,
  BatchWriteCommand,
  boolean,
  Entity,
  EntityFormatter,
  executeBatchGet,
  executeBatchWrite,
  GetItemCommand,
  item,
  map,
  number,
  PutItemCommand,
  QueryCommand,
  set,
  string,
  Table,
  UpdateItemCommand,
  type FormattedItem,
  type InputItem,
} from 'dynamodb-toolbox';
import { canonicalUser, GSI_EMAIL, type QuerySpec, type UpdateSpec, type User, type UserKey } from '../model.js';
import { chunks } from '../lib/batch.js';
import { DOC_MARSHALL_OPTIONS, docPutToWire, docQueryToWire, docUpdateToWire, unmarshallValues } from '../lib/doc-marshall.js';
import type { BenchEnv, BundleEntry, Contender, TypecheckSource } from './types.js';

function define(name: string, documentClient: DynamoDBDocumentClient) {
  const table = new Table({
    name,
    partitionKey: { name: 'id', type: 'string' },
    sortKey: { name: 'createdAt', type: 'string' },
    indexes: {
      [GSI_EMAIL]: {
        type: 'global',
        partitionKey: { name: 'email', type: 'string' },
        sortKey: { name: 'createdAt', type: 'string' },
      },
    },
    documentClient,
  });
  const entity = new Entity({
    name: 'User',
    table,
    schema: item({
      id: string().key(),
      createdAt: string().key(),
      email: string(),
      name: string(),
      age: number(),
      tags: set(string()),
      preferences: map({
        theme: string(),
        locale: string(),
        notifications: map({ email: boolean(), sms: boolean() }),
      }),
      updatedAt: string(),
      version: number(),
      ttl: number().optional(),
    }),
  });
  return { table, entity };
}

type UserEntity = ReturnType<typeof define>['entity'];
type ToolboxInput = InputItem<UserEntity>;
type ToolboxUser = FormattedItem<UserEntity>;


export function createToolbox(env: BenchEnv): Contender<ToolboxInput, UserKey, ToolboxUser> {
  const doc = DynamoDBDocumentClient.from(env.client, { marshallOptions: DOC_MARSHALL_OPTIONS });
  const { table, entity: UserEntity } = define(env.tableName, doc);
  const formatter = UserEntity.build(EntityFormatter);

  const queryOf = (q: QuerySpec) =>
    table
      .build(QueryCommand)
      .entities(UserEntity)
      .query({ index: GSI_EMAIL, partition: q.email, range: { beginsWith: q.createdAtPrefix } })
      .options({ filters: { User: { attr: 'age', gt: q.minAge } } });

  return {
    id: 'dynamodb-toolbox',
    label: 'dynamodb-toolbox v2 (.build(...).params() + DocumentClient marshalling)',
    role: 'peer',
    packages: ['dynamodb-toolbox'],
    ignoredAttributes: ['_et', '_ct', '_md', 'created', 'modified', 'entity'],
    notes: 'Table + Entity with default options: writes _et/_ct/_md, filters queries on _et. The non-SDK `ToolboxItem` field of params() is dropped, as send() does.',
    toItem: (u) => ({ ...u, tags: new Set(u.tags) }),
    toKey: (k) => k,
    toUser: canonicalUser,
    buildPut(item) {
      const { ToolboxItem: _toolboxItem, ...params } = UserEntity.build(PutItemCommand).item(item).params();
      return docPutToWire(params);
    },
    unmarshal: (av) => formatter.format(unmarshallValues(av)),
    buildQuery: (q) => docQueryToWire(queryOf(q).params()),
    buildUpdate(k, u) {
      const { ToolboxItem: _toolboxItem, ...params } = UserEntity.build(UpdateItemCommand)
        .item({ id: k.id, createdAt: k.createdAt, name: u.name, age: $add(u.ageIncrement), ttl: $remove() })
        .params();
      return docUpdateToWire(params);
    },
    async put(item) {
      await UserEntity.build(PutItemCommand).item(item).send();
    },
    async get(k) {
      const { Item } = await UserEntity.build(GetItemCommand).key(k).send();
      return Item;
    },
    async query(q) {
      const { Items } = await queryOf(q).options({ filters: { User: { attr: 'age', gt: q.minAge } }, maxPages: Infinity }).send();
      return Items ?? [];
    },
    async batchWrite(items) {
      for (const chunk of chunks(items, 25)) {
        const command = table.build(BatchWriteCommand).requests(...chunk.map((i) => UserEntity.build(BatchPutRequest).item(i)));
        const out = await executeBatchWrite({ maxAttempts: 12 }, command);
        const left = Object.values(out.UnprocessedItems ?? {}).reduce((n, r) => n + (r?.length ?? 0), 0);
        if (left > 0) throw new Error(`dynamodb-toolbox: ${left} unprocessed items`);
      }
    },
    async batchGet(keys) {
      const users: ToolboxUser[] = [];
      for (const chunk of chunks(keys, 100)) {
        const command = table.build(BatchGetCommand).requests(...chunk.map((k) => UserEntity.build(BatchGetRequest).key(k)));
        const out = await executeBatchGet({ maxAttempts: 12 }, command);
        for (const found of out.Responses[0] ?? []) if (found !== undefined) users.push(found);
      }
      return users;
    },
  };
}

export default createToolbox;

/** 50 entities with one typed query each (bench/typecheck.ts). */
export const typecheck: TypecheckSource = {
  id: 'dynamodb-toolbox',
  source(models) {
    const lines = [
      "import { Table, Entity, item, string, number, set, map, boolean, QueryCommand } from 'dynamodb-toolbox';",
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
      "import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';",
      'const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}));',
    ];
    for (let i = 0; i < models; i++) {
      lines.push(`
const T${i} = new Table({
  name: 't${i}',
  partitionKey: { name: 'id', type: 'string' },
  sortKey: { name: 'createdAt', type: 'string' },
  indexes: { 'gsi-email': { type: 'global', partitionKey: { name: 'email', type: 'string' }, sortKey: { name: 'createdAt', type: 'string' } } },
  documentClient,
});
export const M${i} = new Entity({
  name: 'M${i}',
  table: T${i},
  schema: item({
    id: string().key(),
    createdAt: string().key(),
    email: string(),
    name${i}: string(),
    age: number(),
    tags: set(string()).optional(),
    prefs: map({ theme: string(), sms: boolean() }).optional(),
    version: number(),
  }),
});
export async function q${i}() {
  const { Items } = await T${i}.build(QueryCommand).entities(M${i})
    .query({ index: 'gsi-email', partition: 'a@b.c', range: { beginsWith: '2024-05' } })
    .options({ filters: { M${i}: { attr: 'age', gt: 18 } } })
    .send();
  const first = Items?.[0];
  const n: string | undefined = first?.name${i};
  const a: number | undefined = first?.age;
  return { n, a };
}`);
    }
    return lines.join('\n') + '\n';
  },
};

export const bundle: BundleEntry = { id: 'dynamodb-toolbox', specifier: 'dynamodb-toolbox', packageName: 'dynamodb-toolbox' };
