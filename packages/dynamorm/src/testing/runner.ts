import { randomBytes } from 'node:crypto';
import { DynamORMError } from '../errors/errors.js';
import { startLocalDynamo, type LocalDynamo } from '../local/index.js';
import { DynamORM, type DynamORMConfig } from '../orm.js';

/** The environment variable through which the global setup hands the endpoint to test files. */
export const ENDPOINT_VARIABLE = 'DYNAMORM_TEST_ENDPOINT';

// The started DynamoDB Local, for jest's globalTeardown (which shares globalSetup's globals).
const RUNNING = Symbol.for('dynamorm.testing.localDynamo');
type WithLocal = typeof globalThis & { [RUNNING]?: LocalDynamo };

/**
 * A test-runner global setup: starts one in-memory DynamoDB Local for the whole run and puts its
 * endpoint in `DYNAMORM_TEST_ENDPOINT`, which test workers inherit. Resolves with the teardown
 * (vitest calls it; for jest, also set `globalTeardown` to `dynamoGlobalTeardown`). When the
 * variable is already set (a DynamoDB Local your CI started), nothing is started.
 * @example
 * // vitest.config.ts: test: { globalSetup: ['./test/dynamo-setup.ts'] }
 * // test/dynamo-setup.ts:
 * export { dynamoGlobalSetup as default } from 'dynamorm/testing';
 */
export async function dynamoGlobalSetup(): Promise<() => Promise<void>> {
  if (process.env[ENDPOINT_VARIABLE] !== undefined) return async () => undefined;
  // sharedDb: every client sees the same tables whatever region and credentials it uses.
  const local = await startLocalDynamo({ sharedDb: true });
  process.env[ENDPOINT_VARIABLE] = local.endpoint;
  (globalThis as WithLocal)[RUNNING] = local;
  return dynamoGlobalTeardown;
}

/** Stops the DynamoDB Local that dynamoGlobalSetup started (jest `globalTeardown`). */
export async function dynamoGlobalTeardown(): Promise<void> {
  const local = (globalThis as WithLocal)[RUNNING];
  if (local === undefined) return;
  delete (globalThis as WithLocal)[RUNNING];
  delete process.env[ENDPOINT_VARIABLE];
  await local.stop();
}

/** The endpoint of the run's DynamoDB Local, set by dynamoGlobalSetup. */
export function testEndpoint(): string {
  const endpoint = process.env[ENDPOINT_VARIABLE];
  if (endpoint === undefined || endpoint === '') {
    throw new DynamORMError('testing.noEndpoint', `testEndpoint: ${ENDPOINT_VARIABLE} is not set: add dynamoGlobalSetup from 'dynamorm/testing' as your test runner's globalSetup, or set it to a running DynamoDB Local`, { op: 'testEndpoint' });
  }
  return endpoint;
}

export interface IsolatedOrmOptions extends Omit<DynamORMConfig, 'tablePrefix' | 'driver' | 'allowDestructive'> {
  /** Readable start of the table prefix, e.g. the test file's name (default `test`). */
  readonly name?: string;
}

/**
 * A DynamORM on the run's DynamoDB Local whose tables carry a prefix no other call shares, so
 * test files (and tests) running in parallel never see each other's items. Tables are created
 * on first use (autoMigrate); drop them when done with `orm.dropTables()` (its truncate, resetTables
 * and dropTables run on any endpoint: it is a test ORM).
 * @example
 * const orm = isolatedOrm({ name: 'users' });
 * afterAll(() => orm.dropTables());
 */
export function isolatedOrm(options: IsolatedOrmOptions = {}): DynamORM {
  const { name = 'test', ...config } = options;
  // Random, not a counter: several workers, each with its own module state, share one database.
  const prefix = `${name.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 100)}-${randomBytes(5).toString('hex')}-`;
  // A test ORM: its resets and drops run on whatever test endpoint it is given.
  return new DynamORM({ autoMigrate: true, ...config, endpoint: config.endpoint ?? (config.client === undefined ? testEndpoint() : undefined), tablePrefix: prefix, allowDestructive: true });
}
