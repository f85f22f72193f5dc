// dynamorm/testing: the expectation mock, fixtures and a test-runner helper.

// The mock: a DynamORM whose driver matches requests against expectations
export { createMock } from './mock.js';
export type { Mock, MockCall, MockOptions } from './mock.js';
export type {
  QueryExpectation, GetExpectation, ScanExpectation, PutExpectation, UpdateExpectation, DeleteExpectation,
  BatchGetExpectation, BatchWriteExpectation, TransactionExpectation, TransactGetExpectation, CollectionExpectation, MockItem, MockFailure,
  MockCancellation, MockCancellationReason, CancellationCode,
} from './types.js';
export { sdkError } from './expectation.js';
export type { SdkErrorName, ExpectationKind } from './expectation.js';
export { MockError } from './errors.js';
export type { RequestExpectation } from './request-expectation.js';

// Fixtures and table resets (also as methods: orm.loadFixture, orm.truncate, orm.resetTables, orm.dropTables)
export type { Fixture, FixtureCounts } from '../batch/fixtures.js';

// Test-runner helper: one DynamoDB Local per run, isolated tables per file or test
export { dynamoGlobalSetup, dynamoGlobalTeardown, testEndpoint, isolatedOrm, ENDPOINT_VARIABLE } from './runner.js';
export type { IsolatedOrmOptions } from './runner.js';
