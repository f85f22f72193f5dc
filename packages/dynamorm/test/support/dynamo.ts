import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, inject } from 'vitest';
import { startLocalDynamo, type LocalDynamo } from 'dynamorm/local';
import type {} from '../global-setup.js'; // the ProvidedContext augmentation

/** Region and credentials for DynamoDB Local, which checks neither. */
export const LOCAL_REGION = 'local';
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

let ownEndpoint: string | undefined;

/** Endpoint of the DynamoDB Local started once for the run by test/global-setup.ts, or the file's own. */
export function endpoint(): string {
  return ownEndpoint ?? inject('dynamoEndpoint');
}

/**
 * Gives the calling test file a DynamoDB Local of its own, for files that add indexes to live
 * tables. DynamoDB Local builds a new GSI in one background job for the whole process; in a
 * long parallel run that job stops at some point and every index added afterwards stays
 * CREATING forever, so a file that waits for ACTIVE must not share the run's instance. Call it
 * at the top of the file, before anything reads endpoint() or rawClient().
 */
export function useOwnDynamo(): void {
  let local: LocalDynamo | undefined;
  beforeAll(async () => {
    local = await startLocalDynamo({ sharedDb: true });
    ownEndpoint = local.endpoint;
  }, 60_000);
  afterAll(async () => {
    ownEndpoint = undefined;
    await local?.stop();
  }, 60_000);
}

/** Config for a `DynamoDBClient` pointed at the run's DynamoDB Local. */
export function clientConfig(): {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
} {
  return { endpoint: endpoint(), region: LOCAL_REGION, credentials: { ...LOCAL_CREDENTIALS } };
}

/** A plain AWS SDK client on the run's DynamoDB Local, to set up or inspect state directly. */
export function rawClient(): DynamoDBClient {
  return new DynamoDBClient(clientConfig());
}

// Random per module instance: test files run in parallel against one database, and a worker
// process can be reused for several files, so neither the pid nor a counter alone is unique.
const runId = randomBytes(4).toString('hex');
let counter = 0;

/** A table name no other call, test file or worker will produce: `<prefix>_<random>_<n>`. */
export function uniqueTable(prefix: string): string {
  const safe = prefix.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 200);
  counter += 1;
  return `${safe}_${runId}_${counter}`;
}
