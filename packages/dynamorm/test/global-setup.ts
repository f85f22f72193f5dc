import type { TestProject } from 'vitest/node';
import { dynamoGlobalSetup, testEndpoint } from 'dynamorm/testing';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `http://127.0.0.1:PORT` of the DynamoDB Local shared by the whole test run. */
    dynamoEndpoint: string;
  }
}

/**
 * Starts one DynamoDB Local for the whole run and stops it at the end, with the helper users
 * get from dynamorm/testing (so the repository runs on it too). It runs with `sharedDb`: every
 * client sees the same tables whatever its region and credentials, so a test cannot miss a
 * table because its client was configured differently; test/support/dynamo.ts gives each
 * test its own table names instead. The endpoint reaches tests both by inject('dynamoEndpoint')
 * and by DYNAMORM_TEST_ENDPOINT (what isolatedOrm() reads).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const teardown = await dynamoGlobalSetup();
  project.provide('dynamoEndpoint', testEndpoint());
  return teardown;
}
