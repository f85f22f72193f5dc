// Looking behind the ORM in integration tests: the stored form of items (read with the raw SDK
// client), the requests an ORM sends, and the error a call rejects with.
import { GetItemCommand, ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AnyModel, DynamORM } from 'dynamorm';
import { rawClient as newRawClient, uniqueTable } from './dynamo.js';

export type Stored = Record<string, AttributeValue>;

let client: DynamoDBClient | undefined;
/** One raw SDK client per test file. */
export const rawClient = (): DynamoDBClient => (client ??= newRawClient());

/** The item as DynamoDB holds it (strongly consistent), or undefined. */
export async function storedItem(orm: DynamORM, model: AnyModel, key: Stored): Promise<Stored | undefined> {
  const out = await rawClient().send(new GetItemCommand({ TableName: orm.tableName(model), Key: key, ConsistentRead: true }));
  return out.Item;
}

/** Every item of the model's table as DynamoDB holds it. */
export async function storedItems(orm: DynamORM, model: AnyModel): Promise<Stored[]> {
  const items: Stored[] = [];
  let start: Stored | undefined;
  do {
    const out = await rawClient().send(new ScanCommand({ TableName: orm.tableName(model), ConsistentRead: true, ExclusiveStartKey: start }));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start !== undefined);
  return items;
}

/** Records the name of every command the client sends from now on (e.g. `PutItemCommand`). */
export function recordCommands(client: DynamoDBClient | undefined): string[] {
  if (client === undefined) throw new Error('the ORM has no SDK client');
  const sent: string[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      sent.push(context.commandName ?? 'unknown');
      return next(args);
    },
    { step: 'initialize' },
  );
  return sent;
}

/** The Query and Scan requests a client sends from now on, and the read capacity they consume (ReturnConsumedCapacity TOTAL). */
export function recordReads(client: DynamoDBClient | undefined): { requests: Record<string, unknown>[]; capacity: () => number; reset: () => void } {
  if (client === undefined) throw new Error('the ORM has no SDK client');
  const requests: Record<string, unknown>[] = [];
  let consumed = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'QueryCommand' && context.commandName !== 'ScanCommand') return next(args);
      const input = args.input as Record<string, unknown>;
      requests.push({ ...input });
      const out = await next({ ...args, input: { ...input, ReturnConsumedCapacity: 'TOTAL' } });
      consumed += (out.output as { ConsumedCapacity?: { CapacityUnits?: number } }).ConsumedCapacity?.CapacityUnits ?? 0;
      return out;
    },
    { step: 'initialize' },
  );
  return { requests, capacity: () => consumed, reset: () => { requests.length = 0; consumed = 0; } };
}

/** The error the promise rejects with; a promise that resolves, or rejects with a non-Error, fails the test. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`expected a rejection with an Error, got ${String(error)}`);
  }
  throw new Error('expected a rejection, but the promise resolved');
}

/** What the function throws; a function that returns fails the test. */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw, but the function returned');
}

/** A `tablePrefix` no other test file, worker or run uses. */
export function uniquePrefix(area: string): string {
  return `${uniqueTable(area)}-`;
}
