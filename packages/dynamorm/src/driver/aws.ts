import {
  BatchGetItemCommand, BatchWriteItemCommand, CreateTableCommand, DeleteItemCommand, DeleteTableCommand,
  DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient, GetItemCommand, ListTablesCommand,
  PutItemCommand, QueryCommand, ScanCommand, TransactGetItemsCommand, TransactWriteItemsCommand,
  UpdateItemCommand, UpdateTableCommand, UpdateTimeToLiveCommand, DescribeContinuousBackupsCommand,
  UpdateContinuousBackupsCommand, CreateBackupCommand, DescribeBackupCommand, ListBackupsCommand, DeleteBackupCommand,
  RestoreTableFromBackupCommand, RestoreTableToPointInTimeCommand,
} from '@aws-sdk/client-dynamodb';
import { BATCH_SCOPE } from '../ops/sdk-strategy.js';
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

type Stack = GetItemCommand['middlewareStack'];

/**
 * The production driver: sends each request with the AWS SDK v3 DynamoDB client. A request nobody
 * watches is sent as the raw SDK sends it: no per-request context (an AsyncLocalStorage scope
 * would cost every promise of the process a hook), no step of its own.
 */
export class AwsDriver implements Driver {
  constructor(readonly client: DynamoDBClient) {}

  send<O extends Operation>(operation: O, input: InputOf<O>, context?: DriverContext): Promise<OutputOf<O>> {
    const Command = commands[operation] as unknown as AnyCommand;
    const command = new Command(input as never);
    // The retry strategy of the ORM's client leaves batch requests to their rounds.
    if (operation === 'BatchWriteItem' || operation === 'BatchGetItem') {
      (command.middlewareStack as unknown as Stack).add((next, ctx) => (args) => {
        ctx['partition_id'] = BATCH_SCOPE;
        return next(args);
      }, { step: 'initialize', priority: 'high' });
    }
    const onRetry = context?.onRetry;
    if (onRetry !== undefined) {
      watchAttempts(this.client);
      (command as Watched)[WATCHING] = onRetry;
    }
    return this.client.send(command, context?.signal === undefined ? undefined : { abortSignal: context.signal }) as Promise<OutputOf<O>>;
  }
}

/**
 * Who is told of the retried attempts of a watched command, kept on the command itself: a
 * WeakMap keyed by commands, which live for one request, would cost every garbage collection an
 * ephemeron each.
 */
const WATCHING = Symbol('dynamorm.onRetry');
interface Watched { [WATCHING]?: NonNullable<DriverContext['onRetry']> }
const watched = new WeakSet<DynamoDBClient>();

/**
 * Reports each retried attempt of the watched requests of `client`: a step of its stack, added
 * once, that runs inside the SDK's retry loop (finalizeRequest, after the high-priority retry
 * middleware) once per attempt. A step per command would cost every request a stack entry of its
 * own. The SDK builds the step's handler per request: an unwatched request gets the next handler
 * itself, so its attempts run no code of ours.
 * Unnamed: another copy of DynamORM adding its own to the same client is no duplicate.
 */
function watchAttempts(client: DynamoDBClient): void {
  if (watched.has(client)) return;
  watched.add(client);
  // Every command's stack has the same shape; GetItem's types stand for all.
  (client.middlewareStack as unknown as Stack).add((next, context) => {
    const onRetry = (context.__smithy_context?.commandInstance as Watched | undefined)?.[WATCHING];
    if (onRetry === undefined) return next;
    let attempt = 0;
    let failure: { error: unknown; at: number } | undefined;
    return (args) => {
      attempt++;
      if (failure !== undefined) onRetry(attempt, failure.error, performance.now() - failure.at);
      return next(args).then(undefined, (error: unknown) => {
        failure = { error, at: performance.now() };
        throw error;
      });
    };
  }, { step: 'finalizeRequest', priority: 'low' });
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
