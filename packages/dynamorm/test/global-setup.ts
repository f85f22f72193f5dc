import type { TestProject } from 'vitest/node';
import { startLocalDynamo } from 'dynamorm/local';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `http://127.0.0.1:PORT` of the DynamoDB Local shared by the whole test run. */
    dynamoEndpoint: string;
  }
}

/**
 * Starts one DynamoDB Local for the whole run and stops it at the end. `sharedDb`: every
 * client sees the same tables whatever its region and credentials, so a test cannot miss a
 * table because its client was configured differently; test/support/dynamo.ts gives each
 * test its own table names instead.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const local = await startLocalDynamo({ sharedDb: true });
  project.provide('dynamoEndpoint', local.endpoint);
  return () => local.stop();
}
