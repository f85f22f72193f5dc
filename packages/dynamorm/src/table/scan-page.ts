import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { RetryOptions } from '../ops/policy.js';
import { isRetryable } from '../ops/retryable.js';
import { sleep } from '../ops/sleep.js';
import type { Session } from '../query/session.js';
import type { AnyModel } from '../schema/model.js';

type Stored = Record<string, AttributeValue>;

/** One page of a segment of a strongly consistent parallel scan, retried while throttled (transforms, exports). */
export async function scanPage(session: Session, op: string, model: AnyModel, table: string, segment: number, total: number, start: Stored | undefined, options: { readonly pageSize?: number | undefined; readonly retry?: RetryOptions | undefined } = {}): Promise<{ Items?: Stored[]; LastEvaluatedKey?: Stored }> {
  const policy = session.retry.with(options.retry);
  for (let attempt = 0; ; attempt++) {
    try {
      return await session.send('Scan', {
        TableName: table, Segment: segment, TotalSegments: total, ConsistentRead: true,
        ...(options.pageSize === undefined ? {} : { Limit: options.pageSize }),
        ...(start === undefined ? {} : { ExclusiveStartKey: start }),
      }, op, model);
    } catch (error) {
      if (!isRetryable(error) || attempt >= policy.maxRetries) throw error;
      await sleep(policy.delay(attempt), session.signal);
    }
  }
}
