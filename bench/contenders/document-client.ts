/**
 * DynamoDBDocumentClient (@aws-sdk/lib-dynamodb): native values in, native values out, the
 * marshalling done by the client's middleware. In-process figures build the DocumentClient input
 * and apply the marshalling that middleware would (bench/lib/doc-marshall.ts).
 */
import {
  BatchGetCommand,
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type BatchGetCommandInput,
  type BatchWriteCommandInput,
  type PutCommandInput,
  type QueryCommandInput,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { GSI_EMAIL, type QuerySpec, type UpdateSpec, type User, type UserKey } from '../model.js';
import { chunks, retryUnprocessed } from '../lib/batch.js';
import { DOC_MARSHALL_OPTIONS, docPutToWire, docQueryToWire, docUpdateToWire, unmarshallValues } from '../lib/doc-marshall.js';
import type { BenchEnv, Contender } from './types.js';

type Native = Record<string, unknown>;
type WriteRequests = NonNullable<BatchWriteCommandInput['RequestItems']>[string];
type KeysAndAttributes = NonNullable<BatchGetCommandInput['RequestItems']>[string];

export function createDocumentClient(env: BenchEnv): Contender<User, UserKey, Native> {
  const { tableName } = env;
  const doc = DynamoDBDocumentClient.from(env.client, { marshallOptions: DOC_MARSHALL_OPTIONS });

  const putInput = (u: User): PutCommandInput => ({ TableName: tableName, Item: u });
  const queryInput = (q: QuerySpec): QueryCommandInput => ({
    TableName: tableName,
    IndexName: GSI_EMAIL,
    KeyConditionExpression: '#email = :email AND begins_with(#createdAt, :prefix)',
    FilterExpression: '#age > :minAge',
    ExpressionAttributeNames: { '#email': 'email', '#createdAt': 'createdAt', '#age': 'age' },
    ExpressionAttributeValues: { ':email': q.email, ':prefix': q.createdAtPrefix, ':minAge': q.minAge },
  });
  const updateInput = (k: UserKey, u: UpdateSpec): UpdateCommandInput => ({
    TableName: tableName,
    Key: { id: k.id, createdAt: k.createdAt },
    UpdateExpression: 'SET #name = :name ADD #age :inc REMOVE #ttl',
    ExpressionAttributeNames: { '#name': 'name', '#age': 'age', '#ttl': 'ttl' },
    ExpressionAttributeValues: { ':name': u.name, ':inc': u.ageIncrement },
  });

  return {
    id: 'document-client',
    label: 'DynamoDBDocumentClient (@aws-sdk/lib-dynamodb)',
    role: 'sdk',
    packages: ['@aws-sdk/lib-dynamodb', '@aws-sdk/util-dynamodb'],
    notes: 'DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }); expressions hand-written; in-process figures include the middleware\'s marshalling.',
    toItem: (u) => u,
    toKey: (k) => k,
    toUser: (m) => m as unknown as User,
    buildPut: (u) => docPutToWire(putInput(u)),
    unmarshal: unmarshallValues,
    buildQuery: (q) => docQueryToWire(queryInput(q)),
    buildUpdate: (k, u) => docUpdateToWire(updateInput(k, u)),
    async put(u) {
      await doc.send(new PutCommand(putInput(u)));
    },
    async get(k) {
      const out = await doc.send(new GetCommand({ TableName: tableName, Key: { id: k.id, createdAt: k.createdAt } }));
      return out.Item;
    },
    async query(q) {
      const input = queryInput(q);
      const items: Native[] = [];
      let start: Native | undefined;
      do {
        const out = await doc.send(new QueryCommand(start === undefined ? input : { ...input, ExclusiveStartKey: start }));
        for (const item of out.Items ?? []) items.push(item);
        start = out.LastEvaluatedKey;
      } while (start !== undefined);
      return items;
    },
    async batchWrite(users) {
      for (const chunk of chunks(users, 25)) {
        const requests: WriteRequests = chunk.map((u) => ({ PutRequest: { Item: u } }));
        await retryUnprocessed<WriteRequests>({ [tableName]: requests }, async (req) => {
          const out = await doc.send(new BatchWriteCommand({ RequestItems: req }));
          return out.UnprocessedItems;
        });
      }
    },
    async batchGet(keys) {
      const items: Native[] = [];
      for (const chunk of chunks(keys, 100)) {
        const req = { [tableName]: { Keys: chunk.map((k) => ({ id: k.id, createdAt: k.createdAt })) } };
        await retryUnprocessed<KeysAndAttributes>(req, async (r) => {
          const out = await doc.send(new BatchGetCommand({ RequestItems: r }));
          for (const item of out.Responses?.[tableName] ?? []) items.push(item);
          return out.UnprocessedKeys;
        });
      }
      return items;
    },
  };
}

export default createDocumentClient;
