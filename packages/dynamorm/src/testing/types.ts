import type { CollectionAttribute, CollectionIndex } from '../query/collection.js';
import type { AttributeName, PathOperator } from '../query/path-types.js';
import type { OperandFor } from '../query/operators.js';
import type { UpdateChanges } from '../query/update-builder.js';
import type { AnyModel, InferIndexName, InferInput, InferItem, InferKey } from '../schema/model.js';
import type { SdkErrorName } from './expectation.js';

type ValueOf<M extends AnyModel, K extends AttributeName<M>> = M['~types']['shape'][K]['~types']['value'];

/**
 * An item an expectation answers with. It may be partial: the mock marshals the given
 * attributes through the model (so each is type-checked and the real decode path runs) and
 * the code under test receives exactly those; required attributes left out stay absent.
 */
export type MockItem<M extends AnyModel> = Partial<InferItem<M>>;

/**
 * How an expected call fails: the name of a DynamoDB exception, or an error. Both reach the code
 * under test as DynamoDB's own failure would, through the ORM's error mapping:
 * - `'ConditionalCheckFailedException'`: the condition failed on an existing item (a create: the
 *   key exists; an update or delete: the ConditionFailedError naming the model and key);
 * - a `ConditionFailedError` (or OptimisticLockError): the same, its `item` being the item as it was;
 * - any other Error (an ItemNotFoundError, a MockError...): rejected as it is.
 */
export type MockFailure = Error | SdkErrorName;

/** DynamoDB's reason codes of one action of a cancelled transaction. */
export type CancellationCode =
  | 'None' | 'ConditionalCheckFailed' | 'ItemCollectionSizeLimitExceeded' | 'TransactionConflict'
  | 'ProvisionedThroughputExceeded' | 'ThrottlingError' | 'ValidationError';

/**
 * Why one action failed: a code, or a failed condition with the item as it was (given through
 * the action's model; `null`: no item exists, so an update fails with ItemNotFoundError).
 * `'ConditionalCheckFailed'` alone: the item exists (its key only).
 */
export type MockCancellationReason = CancellationCode | { readonly code: 'ConditionalCheckFailed'; readonly item?: Readonly<Record<string, unknown>> | null };

/**
 * A cancelled transaction, a reason per action in the order the code enqueued them (actions
 * left out: `'None'`). The code gets the TransactionCanceledError listing them. Codes DynamoDB
 * may clear by itself (TransactionConflict, ThrottlingError, ProvisionedThroughputExceeded) make
 * the ORM retry: declare `.times(n)` for every attempt.
 * @example willFail({ transactionCanceled: ['None', { code: 'ConditionalCheckFailed', item: { productId: 'p1', stock: 0 } }] })
 */
export interface MockCancellation {
  readonly transactionCanceled: readonly MockCancellationReason[];
}

interface Counted<F = MockFailure> {
  /** Exactly n matching calls (default 1); `verify()` reports fewer, a further call is unexpected. */
  times(n: number): this;
  /** Reject the matching calls with this error instead of answering. */
  willFail(error: F): this;
}

interface Conditioned<M extends AnyModel> {
  /** The request carries this condition (key condition, filter, or write condition), typed like `where`. */
  withCondition<K extends AttributeName<M>, O extends PathOperator<M, K>>(attribute: K, op: O, ...operand: OperandFor<ValueOf<M, K>, O>): this;
}

/** A read through the query builder: whatever the planner made of it (GetItem, Query or Scan). */
export interface QueryExpectation<M extends AnyModel> extends Conditioned<M>, Counted {
  /** The request reads this secondary index. */
  withIndex(name: InferIndexName<M>): this;
  /** The request addresses this primary key (a GetItem's key, or a Query's key conditions). */
  withKey(key: InferKey<M>): this;
  /** The items the read returns (one page, then the ORM's own limit, select and decoding apply). */
  willReturn(items: MockItem<M> | readonly MockItem<M>[]): this;
}

/** `orm.model(M).get(key)`: a GetItem, or one key of a BatchGetItem (automatic get batching). */
export interface GetExpectation<M extends AnyModel> extends Conditioned<M>, Counted {
  withKey(key: InferKey<M>): this;
  /** The item found; without willReturn (or with undefined) the get finds nothing. */
  willReturn(item: MockItem<M> | undefined): this;
}

/** A Scan (`scan()`, or a query no index serves). A parallel scan counts once: segments past 0 return nothing. */
export interface ScanExpectation<M extends AnyModel> extends Conditioned<M>, Counted {
  withIndex(name: InferIndexName<M>): this;
  willReturn(items: MockItem<M> | readonly MockItem<M>[]): this;
}

/** `create(item)` (a PutItem conditioned on a new key) or `put(item)` (any PutItem). */
export interface PutExpectation<M extends AnyModel> extends Conditioned<M>, Counted {
  /** The written item holds these attributes with these values (others may differ). */
  withItem(item: Partial<InferInput<M>>): this;
  withKey(key: InferKey<M>): this;
}

/** `update(...)`: an UpdateItem. */
export interface UpdateExpectation<M extends AnyModel> extends Conditioned<M>, Counted {
  withKey(key: InferKey<M>): this;
  /** The update sets these attributes to these values (undefined: removes it); other changes may come too. */
  withChanges(changes: UpdateChanges<M>): this;
  /** The item as updated (ALL_NEW); by default, the key and the values the update SETs. */
  willReturn(item: MockItem<M>): this;
}

/** `delete(key)`: a DeleteItem. */
export interface DeleteExpectation<M extends AnyModel> extends Conditioned<M>, Counted {
  withKey(key: InferKey<M>): this;
  /** The item as it was before the delete (what delete() resolves with); by default none. */
  willReturn(item: MockItem<M>): this;
}

/** A BatchGetItem request's part for the model's table (one request of a chunked batchGet). */
export interface BatchGetExpectation<M extends AnyModel> extends Counted {
  /** The request asks for this key (repeat for several). */
  withKey(key: InferKey<M>): this;
  /** Items to find: each one whose key the request asks for is returned. */
  willReturn(items: MockItem<M> | readonly MockItem<M>[]): this;
}

/** A BatchWriteItem request's part for the model's table. */
export interface BatchWriteExpectation<M extends AnyModel> extends Counted {
  /** One of its puts holds these attributes (repeat for several). */
  withPut(item: Partial<InferInput<M>>): this;
  /** It deletes this key (repeat for several). */
  withDelete(key: InferKey<M>): this;
}

/**
 * A TransactWriteItems request: each `with…` names one action it must hold. `willFail` also
 * takes `'TransactionCanceledException'` (each action with a condition failed it; every action
 * when none has one) or `{ transactionCanceled: [...] }`, a reason per action.
 */
export interface TransactionExpectation extends Counted<MockFailure | MockCancellation> {
  withPut<M extends AnyModel>(model: M, item: Partial<InferInput<M>>): this;
  withUpdate<M extends AnyModel>(model: M, key: InferKey<M>, changes?: UpdateChanges<M>): this;
  withDelete<M extends AnyModel>(model: M, key: InferKey<M>): this;
  withConditionCheck<M extends AnyModel>(model: M, key: InferKey<M>): this;
}

/** A TransactGetItems request. */
export interface TransactGetExpectation extends Counted {
  withGet<M extends AnyModel>(model: M, key: InferKey<M>): this;
  /** Items to find; each Get of the request receives the one with its key, or nothing. */
  willReturn<M extends AnyModel>(model: M, items: MockItem<M> | readonly MockItem<M>[]): this;
}

/** `orm.collection([...])`: a Query over one partition shared by exactly these models. */
export interface CollectionExpectation<Ms extends readonly AnyModel[]> extends Counted {
  /** The query's partition: an equality on an attribute of the shared partition key template. */
  withCondition<K extends CollectionAttribute<Ms>>(attribute: K, op: '=', value: Ms[number]['~types']['shape'][K]['~types']['value']): this;
  /** The query reads this index (one every model has). */
  withIndex(name: CollectionIndex<Ms>): this;
  /** Items of one model of the collection; call it per model. Items come back in the order declared. */
  willReturn<M extends Ms[number]>(model: M, items: MockItem<M> | readonly MockItem<M>[]): this;
}
