import { ConditionFailedError, DynamORMError, IndexNotFoundError, ItemNotFoundError, OptimisticLockError, ValidationError } from 'dynamorm';
import { StudioHttpError } from './http-error.js';

/**
 * The HTTP answer to a failed call: the ORM's refusals keep their message and details (a
 * validation error lists its issues by attribute, a stale version names both versions).
 */
export function httpErrorOf(error: unknown): StudioHttpError {
  if (error instanceof StudioHttpError) return error;
  if (error instanceof ValidationError) {
    const issues = error.issues.map(({ attribute, expected, received, message }) => ({ attribute, expected, received, message }));
    return new StudioHttpError(400, error.code, error.message, { model: error.model, issues });
  }
  if (error instanceof OptimisticLockError) {
    return new StudioHttpError(409, error.code, `${error.message}. Reload the item to see its current version, then edit again.`, { model: error.model, expectedVersion: error.expectedVersion, actualVersion: error.actualVersion });
  }
  if (error instanceof ConditionFailedError) return new StudioHttpError(409, error.code, error.message, { model: error.model });
  if (error instanceof ItemNotFoundError) return new StudioHttpError(404, error.code, error.message, { model: error.model });
  if (error instanceof IndexNotFoundError) return new StudioHttpError(400, error.code, error.message, { model: error.model });
  // The ORM's other refusals are about the input (an operator, a path, a cursor); DynamoDB's own
  // failures come through as DynamORMErrors too, with the code of DynamoDB's error.
  if (error instanceof DynamORMError) return new StudioHttpError(error.code.startsWith('dynamodb.') ? 502 : 400, error.code, error.message, { model: error.model });
  const message = error instanceof Error ? error.message : String(error);
  return new StudioHttpError(500, 'internal', `The studio failed: ${message}`);
}
