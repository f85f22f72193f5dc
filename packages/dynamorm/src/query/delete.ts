import type { DeleteItemCommandInput } from '@aws-sdk/client-dynamodb';
import { ConditionFailedError, OptimisticLockError } from '../errors/errors.js';
import { ExpressionCompiler } from '../expression/compile.js';
import type { Condition } from '../expression/nodes.js';
import type { AnyModel } from '../schema/model.js';
import { encodeKey, refuseKeyOnlyCondition, showKey } from './keys.js';
import { decodeReturned, sdkReturnValues, type DeleteReturnValues } from './return-values.js';
import type { Session } from './session.js';
import { merged } from '../util/merged.js';

export interface CompiledDelete {
  readonly request: DeleteItemCommandInput;
  readonly key: Record<string, unknown>;
}

export function compileDelete(model: AnyModel, table: string, key: Record<string, unknown>, condition?: Condition): CompiledDelete {
  const request: DeleteItemCommandInput = { TableName: table, Key: encodeKey(model, key, 'delete'), ReturnValues: 'ALL_OLD' };
  refuseKeyOnlyCondition(model, condition, 'delete');
  if (condition !== undefined) {
    const compiler = new ExpressionCompiler();
    request.ConditionExpression = compiler.condition(condition);
    compiler.applyTo(request);
    request.ReturnValuesOnConditionCheckFailure = 'ALL_OLD';
  }
  return { request, key };
}

export async function executeDelete<T>(session: Session, model: AnyModel, compiled: CompiledDelete, returnValues: DeleteReturnValues = 'old'): Promise<T | undefined> {
  const request = returnValues === 'old' ? compiled.request : merged(compiled.request, { ReturnValues: sdkReturnValues('delete', model, returnValues) });
  try {
    const out = await session.send('DeleteItem', request, 'delete', model, { signal: session.signal });
    return decodeReturned(session, model, 'delete', returnValues, out.Attributes) as T | undefined;
  } catch (error) {
    throw explainDeleteFailure(model, compiled, error);
  }
}

/** Which condition of a delete failed: another version, or the caller's condition. */
export function explainDeleteFailure(model: AnyModel, compiled: CompiledDelete, error: unknown): unknown {
  if (!(error instanceof ConditionFailedError)) return error;
  const key = showKey(compiled.key);
  const version = model.versionAttribute;
  const actual = version === undefined ? undefined : error.item?.[version.name];
  const base = { op: 'delete', model: model.name, cause: error.cause, item: error.item, context: { key: compiled.key } };
  if (version !== undefined && compiled.request.ConditionExpression !== undefined && Object.values(compiled.request.ExpressionAttributeNames ?? {}).includes(version.field)) {
    return new OptimisticLockError(`delete ${model.name} ${key}: the version condition did not hold (found ${String(actual)}): another write came first`, { ...base, actualVersion: actual as number | undefined });
  }
  return new ConditionFailedError(`delete ${model.name} ${key}: the condition did not hold`, base);
}
