import type { GetItemCommandInput } from '@aws-sdk/client-dynamodb';
import { ExpressionCompiler } from '../expression/compile.js';
import type { AnyModel } from '../schema/model.js';
import { itemReader, type OnInvalid } from './item-reader.js';
import { encodeKey } from './keys.js';
import type { Session } from './session.js';
import { keyAccess } from './access-pattern.js';

/** The GetItem of one key: the hot path of reads, so it skips the planner. */
export function compileGet(model: AnyModel, table: string, key: Record<string, unknown>, consistent: boolean, select: readonly string[] | undefined): GetItemCommandInput {
  const request: GetItemCommandInput = { TableName: table, Key: encodeKey(model, key, 'get') };
  if (consistent) request.ConsistentRead = true;
  if (select !== undefined) {
    const compiler = new ExpressionCompiler();
    const fields = select.flatMap((name) => model.storedFields(name).map((f) => [f]));
    if (model.entityField !== undefined) fields.push([model.entityField]);
    request.ProjectionExpression = compiler.projection(fields);
    compiler.applyTo(request);
  }
  return request;
}

export async function executeGet<T>(session: Session, model: AnyModel, request: GetItemCommandInput, onInvalid: OnInvalid | undefined, select: readonly string[] | undefined): Promise<T | undefined> {
  const out = await session.send('GetItem', request, 'get', model, { signal: session.signal, access: session.analytics === true ? keyAccess(model) : undefined });
  // A single-table key may hold another model's item: it is not this model's.
  if (out.Item === undefined || !model.owns(out.Item)) return undefined;
  return itemReader(session, model, 'get', onInvalid, select)(out.Item) as T | undefined;
}
