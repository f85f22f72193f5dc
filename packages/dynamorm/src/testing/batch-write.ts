import type { WriteRequest } from '@aws-sdk/client-dynamodb';
import { DynamORMError } from '../errors/errors.js';
import type { Session } from '../query/session.js';
import type { AnyModel } from '../schema/model.js';

const CHUNK = 25; // BatchWriteItem's limit per request
const PARALLEL = 4;
const ATTEMPTS = 8;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** One BatchWriteItem chunk, resending what DynamoDB left unprocessed with a growing backoff. */
async function writeChunk(session: Session, model: AnyModel, table: string, chunk: WriteRequest[], op: string): Promise<void> {
  let pending = chunk;
  for (let attempt = 1; ; attempt++) {
    const out = await session.send('BatchWriteItem', { RequestItems: { [table]: pending } }, op, model);
    pending = out.UnprocessedItems?.[table] ?? [];
    if (pending.length === 0) return;
    if (attempt === ATTEMPTS) {
      throw new DynamORMError('batch.unprocessed', `${op} ${model.name}: ${pending.length} write(s) still unprocessed after ${ATTEMPTS} attempts; the table is throttled: raise its capacity`, { op, model: model.name, context: { table, unprocessed: pending.length } });
    }
    await sleep(Math.min(25 * 2 ** attempt, 2000));
  }
}

/**
 * Writes (puts and deletes) to one table in chunks of 25, a few chunks at a time, retrying
 * unprocessed items. Not a transaction: a failure can leave earlier chunks written.
 */
export async function batchWriteAll(session: Session, model: AnyModel, requests: readonly WriteRequest[], op: string): Promise<void> {
  const table = session.tableName(model);
  const chunks: WriteRequest[][] = [];
  for (let i = 0; i < requests.length; i += CHUNK) chunks.push(requests.slice(i, i + CHUNK));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < chunks.length) await writeChunk(session, model, table, chunks[next++]!, op);
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, chunks.length) }, worker));
}
