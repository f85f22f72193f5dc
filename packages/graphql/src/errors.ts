import { GraphQLError } from 'graphql';
import { DynamORMError, ValidationError } from 'dynamorm';

/** GraphQL error codes (`extensions.code`) of the ORM's refusals; other errors are left to the server to mask. */
const CODES: Readonly<Record<string, string>> = {
  'validation.failed': 'BAD_USER_INPUT',
  'condition.failed': 'CONFLICT',
  'condition.optimisticLock': 'CONFLICT',
  'item.notFound': 'NOT_FOUND',
  'item.tooLarge': 'BAD_USER_INPUT',
};

/**
 * A typed GraphQL error for what the ORM refused: validation errors name the field (the model's
 * attribute path, as `extensions.field`) and list each issue; conflicts and missing items get
 * their codes. The message is the ORM's (no stack, nothing of the request).
 */
export function toGraphQLError(error: unknown): unknown {
  if (!(error instanceof DynamORMError)) return error;
  const code = CODES[error.code];
  if (code === undefined) return error;
  const extensions: Record<string, unknown> = { code, model: error.model };
  if (error instanceof ValidationError) {
    extensions['field'] = error.issues[0]?.attribute;
    extensions['issues'] = error.issues.map(({ attribute, expected, received, message }) => ({ field: attribute, expected, received, message }));
  }
  return new GraphQLError(error.message, { extensions });
}

/** Runs a resolver's ORM call, turning the ORM's refusals into typed GraphQL errors. */
export async function mapped<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw toGraphQLError(error);
  }
}
