import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Session } from '../query/session.js';
import type { AnyModel } from '../schema/model.js';

type Stored = Record<string, AttributeValue>;

/**
 * One page of a segment of a strongly consistent parallel scan (transforms, exports). Throttles
 * are retried by the request itself, with the ORM's policy.
 */
export function scanPage(session: Session, op: string, model: AnyModel, table: string, segment: number, total: number, start: Stored | undefined, options: { readonly pageSize?: number | undefined } = {}): Promise<{ Items?: Stored[]; LastEvaluatedKey?: Stored }> {
  return session.send('Scan', {
    TableName: table, Segment: segment, TotalSegments: total, ConsistentRead: true,
    ...(options.pageSize === undefined ? {} : { Limit: options.pageSize }),
    ...(start === undefined ? {} : { ExclusiveStartKey: start }),
  }, op, model);
}
