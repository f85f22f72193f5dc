/**
 * Reference memory scenarios with the floor (hand-written requests): what holding one page, one
 * batch chunk, or a parallel scan costs with no library at all. DynamORM's own scenarios
 * (`iterate()`, `batchCreate`, `scan({ segments })`) go in its contender module under the same
 * names, so the report puts them side by side.
 */
import { BatchWriteItemCommand, QueryCommand, ScanCommand, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { makeUsers } from '../model.js';
import { chunks, retryUnprocessed } from '../lib/batch.js';
import { attributesToUser, userToAttributes } from './floor.js';
import type { AttributeMap, MemoryScenario } from './types.js';

export const MEMORY_PARTITION = 'mem-partition';
export function memoryItemCount(quick: boolean): number {
  return quick ? 2_000 : 100_000;
}

export const floorMemory: readonly MemoryScenario[] = [
  {
    name: 'batch-write-100k',
    description: 'BatchWriteItem of N users into one partition, the N-item array built up front (as a caller of batchCreate holds it)',
    async run(env, quick) {
      const n = memoryItemCount(quick);
      const users = makeUsers(n, 'm').map((u) => ({ ...u, id: MEMORY_PARTITION }));
      for (const chunk of chunks(users, 25)) {
        const requests: WriteRequest[] = chunk.map((u) => ({ PutRequest: { Item: userToAttributes(u) } }));
        await retryUnprocessed<WriteRequest[]>({ [env.tableName]: requests }, async (req) => {
          const out = await env.client.send(new BatchWriteItemCommand({ RequestItems: req }));
          return out.UnprocessedItems;
        });
      }
      return n;
    },
  },
  {
    name: 'iterate-100k',
    description: 'Query page by page over the N-item partition, each item unmarshalled then dropped',
    async run(env) {
      let count = 0;
      let start: AttributeMap | undefined;
      do {
        const out = await env.client.send(
          new QueryCommand({
            TableName: env.tableName,
            KeyConditionExpression: '#id = :id',
            ExpressionAttributeNames: { '#id': 'id' },
            ExpressionAttributeValues: { ':id': { S: MEMORY_PARTITION } },
            ExclusiveStartKey: start,
          }),
        );
        for (const item of out.Items ?? []) if (attributesToUser(item).id) count++;
        start = out.LastEvaluatedKey;
      } while (start !== undefined);
      return count;
    },
  },
  {
    name: 'parallel-scan',
    description: 'Scan of the table in 4 parallel segments, each item unmarshalled then dropped',
    async run(env) {
      const segments = 4;
      const counts = await Promise.all(
        Array.from({ length: segments }, async (_, segment) => {
          let count = 0;
          let start: AttributeMap | undefined;
          do {
            const out = await env.client.send(
              new ScanCommand({ TableName: env.tableName, Segment: segment, TotalSegments: segments, ExclusiveStartKey: start }),
            );
            for (const item of out.Items ?? []) if (attributesToUser(item).id) count++;
            start = out.LastEvaluatedKey;
          } while (start !== undefined);
          return count;
        }),
      );
      return counts.reduce((a, b) => a + b, 0);
    },
  },
];
