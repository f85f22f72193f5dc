import type * as Ddb from '@aws-sdk/client-dynamodb';
import type { AnyModel } from '../schema/model.js';

/** The DynamoDB operations DynamORM sends, with their SDK input and output types. */
export interface Operations {
  GetItem: [Ddb.GetItemCommandInput, Ddb.GetItemCommandOutput];
  PutItem: [Ddb.PutItemCommandInput, Ddb.PutItemCommandOutput];
  UpdateItem: [Ddb.UpdateItemCommandInput, Ddb.UpdateItemCommandOutput];
  DeleteItem: [Ddb.DeleteItemCommandInput, Ddb.DeleteItemCommandOutput];
  Query: [Ddb.QueryCommandInput, Ddb.QueryCommandOutput];
  Scan: [Ddb.ScanCommandInput, Ddb.ScanCommandOutput];
  BatchGetItem: [Ddb.BatchGetItemCommandInput, Ddb.BatchGetItemCommandOutput];
  BatchWriteItem: [Ddb.BatchWriteItemCommandInput, Ddb.BatchWriteItemCommandOutput];
  TransactGetItems: [Ddb.TransactGetItemsCommandInput, Ddb.TransactGetItemsCommandOutput];
  TransactWriteItems: [Ddb.TransactWriteItemsCommandInput, Ddb.TransactWriteItemsCommandOutput];
  CreateTable: [Ddb.CreateTableCommandInput, Ddb.CreateTableCommandOutput];
  DescribeTable: [Ddb.DescribeTableCommandInput, Ddb.DescribeTableCommandOutput];
  DeleteTable: [Ddb.DeleteTableCommandInput, Ddb.DeleteTableCommandOutput];
  UpdateTable: [Ddb.UpdateTableCommandInput, Ddb.UpdateTableCommandOutput];
  UpdateTimeToLive: [Ddb.UpdateTimeToLiveCommandInput, Ddb.UpdateTimeToLiveCommandOutput];
  DescribeTimeToLive: [Ddb.DescribeTimeToLiveCommandInput, Ddb.DescribeTimeToLiveCommandOutput];
  ListTables: [Ddb.ListTablesCommandInput, Ddb.ListTablesCommandOutput];
  DescribeContinuousBackups: [Ddb.DescribeContinuousBackupsCommandInput, Ddb.DescribeContinuousBackupsCommandOutput];
  UpdateContinuousBackups: [Ddb.UpdateContinuousBackupsCommandInput, Ddb.UpdateContinuousBackupsCommandOutput];
  CreateBackup: [Ddb.CreateBackupCommandInput, Ddb.CreateBackupCommandOutput];
  DescribeBackup: [Ddb.DescribeBackupCommandInput, Ddb.DescribeBackupCommandOutput];
  ListBackups: [Ddb.ListBackupsCommandInput, Ddb.ListBackupsCommandOutput];
  DeleteBackup: [Ddb.DeleteBackupCommandInput, Ddb.DeleteBackupCommandOutput];
  RestoreTableFromBackup: [Ddb.RestoreTableFromBackupCommandInput, Ddb.RestoreTableFromBackupCommandOutput];
  RestoreTableToPointInTime: [Ddb.RestoreTableToPointInTimeCommandInput, Ddb.RestoreTableToPointInTimeCommandOutput];
}
export type Operation = keyof Operations;
export type InputOf<O extends Operation> = Operations[O][0];
export type OutputOf<O extends Operation> = Operations[O][1];

/** What the ORM was doing when it sent a request: the operation (`query`, `update`…) and its model. */
export interface DriverContext {
  readonly op: string;
  /** The model the code called; undefined for requests of several models (a transaction of several). */
  readonly model: AnyModel | undefined;
  /**
   * Called as a retried attempt starts (2 for the first retry), with why the previous one failed
   * and the wait since: the SDK retries inside `send`, and this is how the ORM sees each attempt.
   */
  readonly onRetry?: ((attempt: number, error: unknown, delayMs: number) => void) | undefined;
  /** The operation's AbortSignal, when it has one (a `.signal()`, `{ signal }` or a timeout). */
  readonly signal?: AbortSignal | undefined;
}

/**
 * All I/O goes through a driver: the AWS SDK driver in production, the expectation mock of
 * `dynamorm/testing` in unit tests. Requests are the exact SDK inputs; the context says which
 * model asked (the SDK driver ignores it, the mock names calls by it).
 */
export interface Driver {
  send<O extends Operation>(operation: O, input: InputOf<O>, context?: DriverContext): Promise<OutputOf<O>>;
  /**
   * The items this driver returns may lack attributes on purpose (the mock of `dynamorm/testing`
   * answers with the partial items a test gives): reads then require none, and decode what is there.
   */
  readonly partialItems?: boolean;
}
