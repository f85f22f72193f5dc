import {
  BatchGetItemCommand, BatchWriteItemCommand, CreateTableCommand, DeleteItemCommand, DeleteTableCommand,
  DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient, GetItemCommand, ListTablesCommand,
  PutItemCommand, QueryCommand, ScanCommand, TransactGetItemsCommand, TransactWriteItemsCommand,
  UpdateItemCommand, UpdateTableCommand, UpdateTimeToLiveCommand, DescribeContinuousBackupsCommand,
  UpdateContinuousBackupsCommand, CreateBackupCommand, DescribeBackupCommand, ListBackupsCommand, DeleteBackupCommand,
  RestoreTableFromBackupCommand, RestoreTableToPointInTimeCommand,
} from '@aws-sdk/client-dynamodb';
import { requestScope } from '../ops/sdk-strategy.js';
import type { Driver, DriverContext, InputOf, Operation, OutputOf } from './driver.js';

// Each operation's command class; only these are imported, so bundlers drop the rest of the SDK.
const commands = {
  GetItem: GetItemCommand, PutItem: PutItemCommand, UpdateItem: UpdateItemCommand, DeleteItem: DeleteItemCommand,
  Query: QueryCommand, Scan: ScanCommand, BatchGetItem: BatchGetItemCommand, BatchWriteItem: BatchWriteItemCommand,
  TransactGetItems: TransactGetItemsCommand, TransactWriteItems: TransactWriteItemsCommand,
  CreateTable: CreateTableCommand, DescribeTable: DescribeTableCommand, DeleteTable: DeleteTableCommand,
  UpdateTable: UpdateTableCommand, UpdateTimeToLive: UpdateTimeToLiveCommand,
  DescribeTimeToLive: DescribeTimeToLiveCommand, ListTables: ListTablesCommand,
  DescribeContinuousBackups: DescribeContinuousBackupsCommand, UpdateContinuousBackups: UpdateContinuousBackupsCommand,
  CreateBackup: CreateBackupCommand, DescribeBackup: DescribeBackupCommand, ListBackups: ListBackupsCommand, DeleteBackup: DeleteBackupCommand,
  RestoreTableFromBackup: RestoreTableFromBackupCommand, RestoreTableToPointInTime: RestoreTableToPointInTimeCommand,
} as const;

type AnyCommand = new (input: never) => Parameters<DynamoDBClient['send']>[0];

/** The production driver: sends each request with the AWS SDK v3 DynamoDB client. */
export class AwsDriver implements Driver {
  constructor(readonly client: DynamoDBClient) {}

  send<O extends Operation>(operation: O, input: InputOf<O>, context?: DriverContext): Promise<OutputOf<O>> {
    const Command = commands[operation] as unknown as AnyCommand;
    const command = new Command(input as never);
    if (context?.onRetry !== undefined) watchAttempts(command, context.onRetry);
    const options = context?.signal === undefined ? undefined : { abortSignal: context.signal };
    // The retry strategy of the ORM's client leaves batch requests to their rounds.
    return requestScope.run(operation, () => this.client.send(command, options)) as Promise<OutputOf<O>>;
  }
}

/**
 * Reports each retried attempt of one command: a step of its own stack that runs inside the
 * SDK's retry loop (finalizeRequest, after the high-priority retry middleware), once per attempt.
 */
function watchAttempts(command: InstanceType<AnyCommand>, onRetry: NonNullable<DriverContext['onRetry']>): void {
  let attempt = 0;
  let failure: { error: unknown; at: number } | undefined;
  // Every command's stack has the same shape; GetItem's types stand for all.
  (command as GetItemCommand).middlewareStack.add((next) => async (args) => {
    attempt++;
    if (failure !== undefined) onRetry(attempt, failure.error, performance.now() - failure.at);
    try {
      return await next(args);
    } catch (error) {
      failure = { error, at: performance.now() };
      throw error;
    }
  }, { step: 'finalizeRequest', priority: 'low', name: 'dynamormAttempts' });
}

/** Whether an endpoint is on this machine (DynamoDB Local): localhost, 127.x.x.x or [::1]. */
export const isLocalEndpoint = (endpoint: string): boolean => /^https?:\/\/(localhost|127(\.\d{1,3}){3}|\[::1\])(:\d+)?(\/|$)/.test(endpoint);

/** Where the client sends requests (`http://127.0.0.1:8000`); undefined: AWS's endpoint of the region. */
export async function endpointOf(client: DynamoDBClient): Promise<string | undefined> {
  const provider = client.config.endpoint;
  if (provider === undefined) return undefined;
  const { protocol, hostname, port } = await provider();
  return `${protocol}//${hostname}${port === undefined ? '' : `:${port}`}`;
}
