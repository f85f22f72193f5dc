import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Driver } from '../driver/driver.js';
import { DynamORMError } from '../errors/errors.js';
import { mapSdkError } from '../errors/map-sdk-error.js';
import type { Session } from '../query/session.js';
import type { AnyModel } from '../schema/model.js';
import { batchWriteStored } from '../batch/write.js';
import { ExpressionCompiler } from '../expression/compile.js';
import { sleep } from '../ops/sleep.js';

const SEGMENTS = 4;

/**
 * truncate, resetTables and dropTables delete data, so they run where tests run: DynamoDB Local,
 * the mock, ORMs of dynamorm/testing, or an ORM created with `allowDestructive: true`. Anywhere
 * else this error is thrown before any request. `endpoint` undefined: AWS's endpoint of the region.
 */
export function destructiveRefused(op: string, endpoint: string | undefined): DynamORMError {
  return new DynamORMError(
    'orm.destructiveRefused',
    `${op}: refused before any request: it deletes data, and ${endpoint ?? "AWS's endpoint of the region"} is not a local endpoint. It runs on DynamoDB Local (localhost), on the mock and on ORMs of dynamorm/testing; to run it here on purpose, create the ORM with { allowDestructive: true }`,
    { op, context: { endpoint } },
  );
}
const isMissingTable = (error: unknown): boolean =>
  (error instanceof DynamORMError && error.code === 'dynamodb.ResourceNotFoundException') || (error as { name?: string } | null)?.name === 'ResourceNotFoundException';

/**
 * Deletes every item of the model's table: a parallel scan of the keys, deleted in batches.
 * A table shared by several models (single-table design) is emptied of all of them. A table
 * that does not exist is already empty. Returns how many items were deleted.
 */
export async function truncate(session: Session, model: AnyModel): Promise<number> {
  const table = session.tableName(model);
  const fields = [model.primary.pk.field, ...(model.primary.sk === undefined ? [] : [model.primary.sk.field])];
  const compiler = new ExpressionCompiler();
  const projection = { ProjectionExpression: compiler.projection(fields.map((f) => [f])), ...compiler.attributes() };
  let deleted = 0;
  const segment = async (index: number): Promise<void> => {
    let start: Record<string, AttributeValue> | undefined;
    do {
      const out = await session.send('Scan', {
        TableName: table, Segment: index, TotalSegments: SEGMENTS, ConsistentRead: true,
        ...projection,
        ...(start === undefined ? {} : { ExclusiveStartKey: start }),
      }, 'truncate', model);
      const keys = out.Items ?? [];
      await batchWriteStored(session, model, 'truncate', keys.map((Key) => ({ DeleteRequest: { Key } })));
      deleted += keys.length;
      start = out.LastEvaluatedKey;
    } while (start !== undefined);
  };
  try {
    await Promise.all(Array.from({ length: SEGMENTS }, (_, i) => segment(i)));
  } catch (error) {
    if (isMissingTable(error)) return deleted;
    throw error;
  }
  return deleted;
}

/** Deletes a table and waits until it is gone; a missing table is fine. */
export async function dropTable(driver: Driver, table: string, model: AnyModel | undefined, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const timedOut = (): DynamORMError =>
    new DynamORMError('table.dropTimeout', `dropTables: table ${table} still exists after ${timeoutMs} ms`, { op: 'dropTables', model: model?.name, context: { table } });
  for (;;) {
    try {
      await driver.send('DeleteTable', { TableName: table });
      break;
    } catch (error) {
      if (isMissingTable(error)) return;
      // A table still being created or updated cannot be deleted yet: wait for it.
      if ((error as { name?: string }).name !== 'ResourceInUseException') throw mapSdkError(error, 'dropTables', model, { table });
      if (Date.now() > deadline) throw timedOut();
      await sleep(250);
    }
  }
  for (let delay = 50; ; delay = Math.min(delay * 2, 1000)) {
    try {
      await driver.send('DescribeTable', { TableName: table });
    } catch (error) {
      if (isMissingTable(error)) return;
      throw mapSdkError(error, 'dropTables', model, { table });
    }
    if (Date.now() > deadline) throw timedOut();
    await sleep(delay);
  }
}
