/**
 * The end-to-end operations of a contender that sends AttributeValue requests with the plain
 * DynamoDBClient (the floor, util-dynamodb): the same loops, each with its own codec, so that the
 * two differ only in how items are marshalled and unmarshalled.
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
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import type { QuerySpec, User, UserKey } from '../model.js';
import type { AttributeMap, BenchEnv, Contender } from '../contenders/types.js';
import { chunks, retryUnprocessed } from './batch.js';

export interface RawCodec<Model> {
  buildPut(user: User): PutItemCommandInput;
  buildQuery(query: QuerySpec): QueryCommandInput;
  key(key: UserKey): AttributeMap;
  model(item: AttributeMap): Model;
}

export function rawClientOperations<Model>(env: BenchEnv, codec: RawCodec<Model>): Pick<Contender<User, UserKey, Model>, 'put' | 'get' | 'query' | 'batchWrite' | 'batchGet'> {
  const { client, tableName } = env;
  return {
    async put(u) {
      await client.send(new PutItemCommand(codec.buildPut(u)));
    },
    async get(k) {
      const out = await client.send(new GetItemCommand({ TableName: tableName, Key: codec.key(k) }));
      return out.Item === undefined ? undefined : codec.model(out.Item);
    },
    async query(q) {
      const input = codec.buildQuery(q);
      const found: Model[] = [];
      let start: AttributeMap | undefined;
      do {
        const out = await client.send(new QueryCommand(start === undefined ? input : { ...input, ExclusiveStartKey: start }));
        for (const item of out.Items ?? []) found.push(codec.model(item));
        start = out.LastEvaluatedKey;
      } while (start !== undefined);
      return found;
    },
    async batchWrite(users) {
      for (const chunk of chunks(users, 25)) {
        const requests: WriteRequest[] = chunk.map((u) => ({ PutRequest: { Item: codec.buildPut(u).Item! } }));
        await retryUnprocessed<WriteRequest[]>({ [tableName]: requests }, async (req) => {
          const out = await client.send(new BatchWriteItemCommand({ RequestItems: req }));
          return out.UnprocessedItems;
        });
      }
    },
    async batchGet(keys) {
      const found: Model[] = [];
      for (const chunk of chunks(keys, 100)) {
        await retryUnprocessed<KeysAndAttributes>({ [tableName]: { Keys: chunk.map(codec.key) } }, async (req) => {
          const out = await client.send(new BatchGetItemCommand({ RequestItems: req }));
          for (const item of out.Responses?.[tableName] ?? []) found.push(codec.model(item));
          return out.UnprocessedKeys;
        });
      }
      return found;
    },
  };
}
