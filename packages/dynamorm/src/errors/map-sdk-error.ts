import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { AnyModel } from '../schema/model.js';
import { MAX_ITEM_BYTES } from '../schema/codec/size.js';
import { ConditionFailedError, DynamORMError, ItemTooLargeError, UnsupportedOperationError, ValidationError } from './errors.js';

interface SdkError {
  name?: string;
  message?: string;
  Item?: Record<string, AttributeValue>;
}

const asSdkError = (error: unknown): SdkError => (typeof error === 'object' && error !== null ? (error as SdkError) : {});

const hints: Record<string, string> = {
  ResourceNotFoundException: 'the table does not exist: create it (autoMigrate: true, or orm.createTables()) or check the table name and region',
  ProvisionedThroughputExceededException: 'the table is throttled: the SDK retried up to maxRetries; raise capacity or use on-demand billing',
  ThrottlingException: 'DynamoDB throttled the request: the SDK retried up to maxRetries',
  RequestLimitExceeded: 'the account is over its request limit',
  ItemCollectionSizeLimitExceededException: 'an item collection with a local index is over 10 GB',
};

/** DynamoDB's words for an item over 400 KB ("Item size to update has exceeded the maximum allowed size"). */
const ITEM_TOO_LARGE = /item size.*exceeded the maximum allowed size/i;

/**
 * Turns an SDK exception into a DynamORMError: a failed condition is a ConditionFailedError
 * (with the item as it was, where DynamoDB returned it), an item over 400 KB an ItemTooLargeError,
 * DynamoDB's own validation failure a ValidationError, anything else a DynamORMError with the SDK error as cause.
 */
export function mapSdkError(error: unknown, op: string, model: AnyModel | undefined, context: Record<string, unknown> = {}): DynamORMError {
  if (error instanceof DynamORMError) return error;
  const sdk = asSdkError(error);
  const name = sdk.name ?? 'Error';
  const details = { op, model: model?.name, cause: error, context };
  const subject = model === undefined ? op : `${op} ${model.name}`;
  if (name === 'ConditionalCheckFailedException') {
    const item = sdk.Item !== undefined && model !== undefined ? model.itemAsStored(sdk.Item) : undefined;
    return new ConditionFailedError(`${subject}: the condition did not hold`, { ...details, item });
  }
  if (name === 'ValidationException' && ITEM_TOO_LARGE.test(sdk.message ?? '')) {
    return new ItemTooLargeError(`${subject}: DynamoDB refused it: the item would be over 400 KB, its size limit (nothing was written): store large values elsewhere (S3) or split the item`, { ...details, size: undefined, limit: MAX_ITEM_BYTES });
  }
  if (name === 'ValidationException') {
    const issue = { attribute: '', expected: 'a request DynamoDB accepts', received: sdk.message ?? 'a refused request', message: sdk.message ?? 'refused' };
    return new ValidationError([issue], details, `${subject}: DynamoDB refused the request: ${sdk.message ?? name}`);
  }
  if (name === 'UnknownOperationException') {
    return new UnsupportedOperationError(`${subject}: the endpoint does not implement this request (DynamoDB Local has no backups, point-in-time recovery or global tables; nothing was done): run it against DynamoDB on AWS, and test the code that sends it with the mock of dynamorm/testing`, details);
  }
  const hint = hints[name];
  return new DynamORMError(`dynamodb.${name}`, `${subject}: ${sdk.message ?? name}${hint === undefined ? '' : ` (${hint})`}`, details);
}

