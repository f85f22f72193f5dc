/**
 * What `DynamoDBDocumentClient` does to a request before it is serialized, and to a response
 * after it is parsed, without sending anything.
 *
 * lib-dynamodb's middleware (`marshallInput` / `unmarshallOutput` in
 * @aws-sdk/lib-dynamodb/dist-es/commands/utils.js, not exported) walks the command's key nodes
 * and runs util-dynamodb's `marshall` on each value of `Item`, `Key`, `ExpressionAttributeValues`
 * and `ExclusiveStartKey`, with `convertTopLevelContainer: true` added to the client's
 * marshallOptions; the response side runs `unmarshall` on each value with
 * `convertWithoutMapWrapper: true`. These helpers do the same walk for the commands the
 * benchmark uses, so DocumentClient-based contenders (DocumentClient, electrodb,
 * dynamodb-toolbox) are charged for the marshalling their send would do.
 */
import type {
  AttributeValue,
  PutItemCommandInput,
  QueryCommandInput,
  UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall, type marshallOptions } from '@aws-sdk/util-dynamodb';
import type { AttributeMap } from '../contenders/types.js';

/** The marshallOptions every DocumentClient in the benchmark is created with. */
export const DOC_MARSHALL_OPTIONS: marshallOptions = { removeUndefinedValues: true };

const OPTIONS: marshallOptions = { ...DOC_MARSHALL_OPTIONS, convertTopLevelContainer: true };

/** One `ALL_VALUES` node: marshall every value of a record. */
export function marshallValues(values: Record<string, unknown> | undefined): AttributeMap | undefined {
  if (values === undefined) return undefined;
  const out: AttributeMap = {};
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined || typeof v === 'function') continue;
    const av = marshall(v as never, OPTIONS) as unknown as AttributeValue | undefined;
    if (av !== undefined) out[k] = av;
  }
  return out;
}

/** One `ALL_VALUES` node of a response: unmarshall every value of a record. */
export function unmarshallValues(item: AttributeMap): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) {
    out[k] = unmarshall(v as never, { convertWithoutMapWrapper: true });
  }
  return out;
}

interface DocPut {
  Item?: Record<string, unknown> | undefined;
  ExpressionAttributeValues?: Record<string, unknown> | undefined;
  [k: string]: unknown;
}
interface DocQuery {
  ExclusiveStartKey?: Record<string, unknown> | undefined;
  ExpressionAttributeValues?: Record<string, unknown> | undefined;
  [k: string]: unknown;
}
interface DocUpdate {
  Key?: Record<string, unknown> | undefined;
  ExpressionAttributeValues?: Record<string, unknown> | undefined;
  [k: string]: unknown;
}

function copyWithout(obj: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (typeof v === 'function' || keys.includes(k)) continue;
    out[k] = v;
  }
  return out;
}

export function docPutToWire(params: DocPut): PutItemCommandInput {
  const out = copyWithout(params, ['Item', 'ExpressionAttributeValues']);
  out['Item'] = marshallValues(params.Item);
  const eav = marshallValues(params.ExpressionAttributeValues);
  if (eav !== undefined) out['ExpressionAttributeValues'] = eav;
  return out as unknown as PutItemCommandInput;
}

export function docQueryToWire(params: DocQuery): QueryCommandInput {
  const out = copyWithout(params, ['ExclusiveStartKey', 'ExpressionAttributeValues']);
  const esk = marshallValues(params.ExclusiveStartKey);
  if (esk !== undefined) out['ExclusiveStartKey'] = esk;
  const eav = marshallValues(params.ExpressionAttributeValues);
  if (eav !== undefined) out['ExpressionAttributeValues'] = eav;
  return out as unknown as QueryCommandInput;
}

export function docUpdateToWire(params: DocUpdate): UpdateItemCommandInput {
  const out = copyWithout(params, ['Key', 'ExpressionAttributeValues']);
  out['Key'] = marshallValues(params.Key);
  const eav = marshallValues(params.ExpressionAttributeValues);
  if (eav !== undefined) out['ExpressionAttributeValues'] = eav;
  return out as unknown as UpdateItemCommandInput;
}
