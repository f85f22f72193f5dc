import type { AttributeValue, TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { ConditionFailedError, type DynamORMError } from '../errors/errors.js';
import { ExpressionCompiler } from '../expression/compile.js';
import type { Condition } from '../expression/nodes.js';
import { explainDeleteFailure } from '../query/delete.js';
import { encodeKey, refuseKeyOnlyCondition, showKey } from '../query/keys.js';
import type { PreparedWrite } from '../query/prepared-write.js';
import { explainPutFailure } from '../query/put.js';
import { explainUpdateFailure } from '../query/update.js';
import { itemSize } from '../schema/codec/size.js';
import type { AnyModel } from '../schema/model.js';
import { keyId } from '../batch/key-id.js';

/** One action of a write transaction: its TransactWriteItem, and how to explain its failure. */
export interface TransactionAction {
  readonly op: 'create' | 'put' | 'update' | 'delete' | 'conditionCheck';
  readonly model: AnyModel;
  /** The primary key, as the model names it. */
  readonly key: Readonly<Record<string, unknown>>;
  /** Table and key: two actions on one item are refused. */
  readonly id: string;
  /** Bytes counted toward the 4 MB of a transaction. */
  readonly size: number;
  readonly item: TransactWriteItem;
  /** The precise error of a failed condition (ConditionFailedError, OptimisticLockError, ItemNotFoundError). */
  explain(failure: ConditionFailedError): DynamORMError;
}

type Expressions = { ConditionExpression?: string; UpdateExpression?: string; ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Record<string, AttributeValue> };

/** The parts of a single-write request that a transaction item takes (no ReturnValues). */
function expressions(request: Expressions): Expressions & { ReturnValuesOnConditionCheckFailure?: 'ALL_OLD' } {
  const out: Expressions & { ReturnValuesOnConditionCheckFailure?: 'ALL_OLD' } = {};
  if (request.ConditionExpression !== undefined) {
    out.ConditionExpression = request.ConditionExpression;
    // Tells a version conflict from a missing item, or another failed condition.
    out.ReturnValuesOnConditionCheckFailure = 'ALL_OLD';
  }
  if (request.UpdateExpression !== undefined) out.UpdateExpression = request.UpdateExpression;
  if (request.ExpressionAttributeNames !== undefined) out.ExpressionAttributeNames = request.ExpressionAttributeNames;
  if (request.ExpressionAttributeValues !== undefined) out.ExpressionAttributeValues = request.ExpressionAttributeValues;
  return out;
}

const textSize = (...texts: (string | undefined)[]): number => texts.reduce((sum, t) => sum + (t === undefined ? 0 : Buffer.byteLength(t)), 0);

/** A transaction action from a write the builder compiled (the same compilePut/Update/Delete as single writes). */
export function actionOf(model: AnyModel, write: PreparedWrite): TransactionAction {
  const c = write.compiled;
  const table = c.request.TableName!;
  switch (write.kind) {
    case 'create':
    case 'put': {
      const { compiled, kind } = write;
      const key = model.keyOf(model.unmarshal(compiled.item)) as Record<string, unknown>;
      const request = compiled.request;
      return {
        op: kind, model, key, id: keyId(table, model, compiled.item),
        size: itemSize(compiled.item) + itemSize(request.ExpressionAttributeValues ?? {}) + textSize(request.ConditionExpression),
        item: { Put: { TableName: table, Item: compiled.item, ...expressions(request) } },
        explain: (failure) => explainPutFailure(model, compiled, kind, failure) as DynamORMError,
      };
    }
    case 'update': {
      const { compiled } = write;
      const request = compiled.request;
      return {
        op: 'update', model, key: compiled.key, id: keyId(table, model, request.Key!),
        size: itemSize(request.Key!) + itemSize(request.ExpressionAttributeValues ?? {}) + textSize(request.UpdateExpression, request.ConditionExpression),
        item: { Update: { TableName: table, Key: request.Key!, UpdateExpression: request.UpdateExpression!, ...expressions(request) } },
        explain: (failure) => explainUpdateFailure(model, compiled, failure) as DynamORMError,
      };
    }
    case 'delete': {
      const { compiled } = write;
      const request = compiled.request;
      return {
        op: 'delete', model, key: compiled.key, id: keyId(table, model, request.Key!),
        size: itemSize(request.Key!) + itemSize(request.ExpressionAttributeValues ?? {}) + textSize(request.ConditionExpression),
        item: { Delete: { TableName: table, Key: request.Key!, ...expressions(request) } },
        explain: (failure) => explainDeleteFailure(model, compiled, failure) as DynamORMError,
      };
    }
  }
}

/** A ConditionCheck: the transaction goes through only if `condition` holds on the item with `key`. */
export function conditionCheckOf(model: AnyModel, table: string, key: Record<string, unknown>, condition: Condition): TransactionAction {
  const Key = encodeKey(model, key, 'conditionCheck');
  refuseKeyOnlyCondition(model, condition, 'conditionCheck');
  const compiler = new ExpressionCompiler();
  const ConditionExpression = compiler.condition(condition);
  const request = { ConditionExpression, ...compiler.attributes() };
  return {
    op: 'conditionCheck', model, key, id: keyId(table, model, Key),
    size: itemSize(Key) + itemSize(request.ExpressionAttributeValues ?? {}) + textSize(ConditionExpression),
    item: { ConditionCheck: { TableName: table, Key, ...expressions(request), ConditionExpression } },
    explain: (failure) => new ConditionFailedError(`conditionCheck ${model.name} ${showKey(key)}: the condition did not hold${failure.item === undefined ? ' (no such item)' : ''}`, {
      op: 'conditionCheck', model: model.name, cause: failure.cause, item: failure.item, context: { key },
    }),
  };
}
