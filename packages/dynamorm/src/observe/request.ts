import type { InputOf, Operation, OutputOf } from '../driver/driver.js';

/** One request as the pipeline carries it; `command` tells which input it holds. */
export interface RequestOf<O extends Operation> {
  /** What the ORM was doing: `get`, `query`, `scan`, `put`, `update`, `delete`, `batchWrite`, `transaction`… */
  readonly operation: string;
  /** The DynamoDB operation sent (`GetItem`, `Query`…). */
  readonly command: O;
  /** The model's name; undefined for a request of several models (a transaction of several). */
  readonly model: string | undefined;
  /** The table, or the first of several (BatchGetItem, TransactWriteItems: see `tables`). */
  readonly table: string | undefined;
  /** Every table the request touches. */
  readonly tables: readonly string[];
  /** The index a Query or Scan reads. */
  readonly index: string | undefined;
  /** The exact SDK input. Middleware may pass another to `next`. */
  readonly input: InputOf<O>;
  /** 1 for a first request; a batch round or a retried transaction counts up. */
  readonly attempt: number;
  readonly signal: AbortSignal | undefined;
}

/** A request of any DynamoDB operation: narrow it by `command`. */
export type DynamoRequest = { [O in Operation]: RequestOf<O> }[Operation];
/** The SDK output of any DynamoDB operation. */
export type DynamoResponse = OutputOf<Operation>;

interface AnyInput {
  TableName?: string;
  IndexName?: string;
  RequestItems?: Record<string, unknown>;
  TransactItems?: readonly Record<string, { TableName?: string } | undefined>[];
}

/** The tables an input names: its TableName, its RequestItems' keys, or its TransactItems' tables. */
export function tablesOf(input: object): readonly string[] {
  const i = input as AnyInput;
  if (i.TableName !== undefined) return [i.TableName];
  if (i.RequestItems !== undefined) return Object.keys(i.RequestItems);
  if (i.TransactItems === undefined) return [];
  const tables = new Set<string>();
  for (const item of i.TransactItems) for (const k in item) { const t = item[k]?.TableName; if (t !== undefined) tables.add(t); }
  return [...tables];
}

/** The request the pipeline carries for an input of `command`. */
export function describeRequest<O extends Operation>(command: O, input: InputOf<O>, operation: string, model: string | undefined, attempt: number, signal: AbortSignal | undefined): RequestOf<O> {
  const tables = tablesOf(input);
  return { operation, command, model, table: tables[0], tables, index: (input as AnyInput).IndexName, input, attempt, signal };
}
