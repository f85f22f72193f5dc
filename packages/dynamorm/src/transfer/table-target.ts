import { DynamORMError } from '../errors/errors.js';
import { mapSdkError } from '../errors/map-sdk-error.js';
import { sdkErrorName } from '../ops/retryable.js';
import type { Session } from '../query/session.js';
import type { TransferTarget } from './export-table.js';
import { tableModel } from './table-model.js';

/**
 * The target of an export or import of a table without a model (`name` as given, `table` with the
 * ORM's prefix): its key read from DescribeTable. A missing table is an error that names it.
 */
export async function tableTarget(session: Session, name: string, table: string, op: string): Promise<TransferTarget> {
  try {
    const { Table } = await session.send('DescribeTable', { TableName: table }, op, undefined);
    return { table, model: tableModel(name, Table!), raw: true };
  } catch (error) {
    if (sdkErrorName(error) === 'ResourceNotFoundException') {
      throw new DynamORMError('transfer.unknownTable', `${op}: table ${table} does not exist${table === name ? '' : ` (${name} with the ORM's tablePrefix)`}: check its name and the region or endpoint`, { op, cause: error, context: { table } });
    }
    throw mapSdkError(error, op, undefined, { table });
  }
}
