// dynamorm/local: embedded DynamoDB Local for development and tests.
export { startLocalDynamo } from './start-local-dynamo.js';
export type { LocalDynamo, StartLocalDynamoOptions } from './start-local-dynamo.js';
export { LocalDynamoError } from './local-dynamo-error.js';
