/**
 * @aws-sdk/util-dynamodb: `marshall` / `unmarshall` around hand-written expressions, sent with
 * the plain DynamoDBClient. The generic-walk baseline the put and unmarshal targets are
 * measured against.
 */
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type KeysAndAttributes,
  type PutItemCommandInput,
  type QueryCommandInput,
  type UpdateItemCommandInput,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall, type marshallOptions } from '@aws-sdk/util-dynamodb';
import { GSI_EMAIL, type QuerySpec, type UpdateSpec, type User, type UserKey } from '../model.js';
import { chunks, retryUnprocessed } from '../lib/batch.js';
import type { AttributeMap, BenchEnv, Contender } from './types.js';

const OPTIONS: marshallOptions = { removeUndefinedValues: true };

type Native = Record<string, unknown>;

export function createUtilDynamodb(env: BenchEnv): Contender<User, UserKey, Native> {
  const { client, tableName } = env;

  const buildPut = (u: User): PutItemCommandInput => ({ TableName: tableName, Item: marshall(u, OPTIONS) });
  const unmarshal = (av: AttributeMap): Native => unmarshall(av);
  const buildQuery = (q: QuerySpec): QueryCommandInput => ({
    TableName: tableName,
    IndexName: GSI_EMAIL,
    KeyConditionExpression: '#email = :email AND begins_with(#createdAt, :prefix)',
    FilterExpression: '#age > :minAge',
    ExpressionAttributeNames: { '#email': 'email', '#createdAt': 'createdAt', '#age': 'age' },
    ExpressionAttributeValues: marshall({ ':email': q.email, ':prefix': q.createdAtPrefix, ':minAge': q.minAge }, OPTIONS),
  });
  const buildUpdate = (k: UserKey, u: UpdateSpec): UpdateItemCommandInput => ({
    TableName: tableName,
    Key: marshall(k, OPTIONS),
    UpdateExpression: 'SET #name = :name ADD #age :inc REMOVE #ttl',
    ExpressionAttributeNames: { '#name': 'name', '#age': 'age', '#ttl': 'ttl' },
    ExpressionAttributeValues: marshall({ ':name': u.name, ':inc': u.ageIncrement }, OPTIONS),
  });

  return {
    id: 'util-dynamodb',
    label: '@aws-sdk/util-dynamodb marshall/unmarshall + client-dynamodb',
    role: 'sdk',
    packages: ['@aws-sdk/util-dynamodb', '@aws-sdk/client-dynamodb'],
    notes: 'marshall(item, { removeUndefinedValues: true }) / unmarshall(item); expressions hand-written.',
    toItem: (u) => u,
    toKey: (k) => k,
    toUser: (m) => m as unknown as User,
    buildPut,
    unmarshal,
    buildQuery,
    buildUpdate,
    async put(u) {
      await client.send(new PutItemCommand(buildPut(u)));
    },
    async get(k) {
      const out = await client.send(new GetItemCommand({ TableName: tableName, Key: marshall(k, OPTIONS) }));
      return out.Item === undefined ? undefined : unmarshall(out.Item);
    },
    async query(q) {
      const input = buildQuery(q);
      const items: Native[] = [];
      let start: AttributeMap | undefined;
      do {
        const out = await client.send(new QueryCommand(start === undefined ? input : { ...input, ExclusiveStartKey: start }));
        for (const item of out.Items ?? []) items.push(unmarshall(item));
        start = out.LastEvaluatedKey;
      } while (start !== undefined);
      return items;
    },
    async batchWrite(users) {
      for (const chunk of chunks(users, 25)) {
        const requests: WriteRequest[] = chunk.map((u) => ({ PutRequest: { Item: marshall(u, OPTIONS) } }));
        await retryUnprocessed<WriteRequest[]>({ [tableName]: requests }, async (req) => {
          const out = await client.send(new BatchWriteItemCommand({ RequestItems: req }));
          return out.UnprocessedItems;
        });
      }
    },
    async batchGet(keys) {
      const items: Native[] = [];
      for (const chunk of chunks(keys, 100)) {
        const req = { [tableName]: { Keys: chunk.map((k) => marshall(k, OPTIONS)) } };
        await retryUnprocessed<KeysAndAttributes>(req, async (r) => {
          const out = await client.send(new BatchGetItemCommand({ RequestItems: r }));
          for (const item of out.Responses?.[tableName] ?? []) items.push(unmarshall(item));
          return out.UnprocessedKeys;
        });
      }
      return items;
    },
  };
}

export default createUtilDynamodb;
