import {
  BatchGetItemCommand, BatchWriteItemCommand, CreateTableCommand, DeleteItemCommand, DeleteTableCommand,
  DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient, GetItemCommand, ListTablesCommand,
  PutItemCommand, QueryCommand, ScanCommand, TransactGetItemsCommand, TransactWriteItemsCommand,
  UpdateItemCommand, UpdateTableCommand, UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import type { Driver, InputOf, Operation, OutputOf } from './driver.js';

// Each operation's command class; only these are imported, so bundlers drop the rest of the SDK.
const commands = {
  GetItem: GetItemCommand, PutItem: PutItemCommand, UpdateItem: UpdateItemCommand, DeleteItem: DeleteItemCommand,
  Query: QueryCommand, Scan: ScanCommand, BatchGetItem: BatchGetItemCommand, BatchWriteItem: BatchWriteItemCommand,
  TransactGetItems: TransactGetItemsCommand, TransactWriteItems: TransactWriteItemsCommand,
  CreateTable: CreateTableCommand, DescribeTable: DescribeTableCommand, DeleteTable: DeleteTableCommand,
  UpdateTable: UpdateTableCommand, UpdateTimeToLive: UpdateTimeToLiveCommand,
  DescribeTimeToLive: DescribeTimeToLiveCommand, ListTables: ListTablesCommand,
} as const;

type AnyCommand = new (input: never) => Parameters<DynamoDBClient['send']>[0];

/** The production driver: sends each request with the AWS SDK v3 DynamoDB client. */
export class AwsDriver implements Driver {
  constructor(readonly client: DynamoDBClient) {}

  send<O extends Operation>(operation: O, input: InputOf<O>): Promise<OutputOf<O>> {
    const Command = commands[operation] as unknown as AnyCommand;
    return this.client.send(new Command(input as never)) as Promise<OutputOf<O>>;
  }
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
