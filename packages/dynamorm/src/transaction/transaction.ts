import { buildCondition, type ConditionFn } from '../query/condition-builder.js';
import type { Query } from '../query/builder.js';
import type { CheckedPath, PathOperator, QueryPathValue } from '../query/path-types.js';
import type { OperandFor } from '../query/operators.js';
import type { UpdateChanges, Updater } from '../query/update-builder.js';
import { splitUpdateArgs } from '../query/update.js';
import type { UpdateOptions } from '../query/return-values.js';
import type { AnyModel, InferInput, InferKey } from '../schema/model.js';
import type { Session } from '../query/session.js';
import { actionOf, conditionCheckOf, type TransactionAction } from './actions.js';

/** Options of an update in a transaction: `upsert` (what it resolves with is the transaction's). */
export type TransactionUpdateOptions = Pick<UpdateOptions, 'upsert'>;

/** What a transaction needs from the ORM: the session and a query builder per model. */
export interface TransactionContext {
  readonly session: Session;
  query<M extends AnyModel>(model: M): Query<M>;
  readonly now: Date;
}

/**
 * The builder of `tx.model(M)`: the same where/key/if as `orm.model(M)`, but its writes are
 * enqueued in the transaction instead of sent. Immutable, like Query.
 */
export class TransactionQuery<M extends AnyModel> {
  constructor(private readonly tx: Transaction, private readonly query: Query<M>) {}

  /** A condition: on a key attribute it names the item, elsewhere it must hold for the write. */
  where<K extends string, O extends PathOperator<M, K>, V = QueryPathValue<M, K>>(attribute: CheckedPath<M, K>, op: O, ...operand: OperandFor<NoInfer<V>, O>): TransactionQuery<M> {
    return new TransactionQuery(this.tx, this.query.where<K, O, V>(attribute, op, ...operand));
  }

  /** Address one item by its primary key. */
  key(key: InferKey<M>): TransactionQuery<M> {
    return new TransactionQuery(this.tx, this.query.key(key));
  }

  /** A condition the write must see hold (`c => c.gt('balance', 0)`). */
  if(condition: ConditionFn<M>): TransactionQuery<M> {
    return new TransactionQuery(this.tx, this.query.if(condition));
  }

  /** Enqueues a create (the key must be new). */
  create(item: InferInput<M>): void {
    this.tx.enqueue(actionOf(this.query.model, this.query.prepareWrite('create', [item], this.tx.now)));
  }

  /** Enqueues a put (a versioned model replaces only the version that was read). */
  put(item: InferInput<M>): void {
    this.tx.enqueue(actionOf(this.query.model, this.query.prepareWrite('put', [item], this.tx.now)));
  }

  /**
   * Enqueues an update of the item the key conditions name, in any of the three forms;
   * `{ upsert: true }` creates the item when the key is missing, as a single update does.
   */
  update(changes: UpdateChanges<M>, options?: TransactionUpdateOptions): void;
  update<K extends keyof UpdateChanges<M>>(attribute: K, value: UpdateChanges<M>[K], options?: TransactionUpdateOptions): void;
  update(updater: Updater<M>, options?: TransactionUpdateOptions): void;
  update(...args: unknown[]): void {
    const [updateArgs, options] = splitUpdateArgs(args);
    this.tx.enqueue(actionOf(this.query.model, this.query.prepareWrite('update', updateArgs, this.tx.now, options?.upsert === true)));
  }

  /** Enqueues a delete by key, or of the item the key conditions name. */
  delete(key?: InferKey<M>): void {
    this.tx.enqueue(actionOf(this.query.model, this.query.prepareWrite('delete', key === undefined ? [] : [key], this.tx.now)));
  }

  /** Enqueues a ConditionCheck: the transaction goes through only if the conditions hold on this item. */
  check(): void {
    const { key, condition } = this.query.prepareCheck();
    this.tx.enqueue(conditionCheckOf(this.query.model, this.tx.context.session.tableName(this.query.model), key, condition));
  }
}

/**
 * The `tx` of `orm.transaction(async (tx) => ...)`: each call enqueues one action; when the
 * function returns, all are sent as one TransactWriteItems, all or nothing. Bad input is thrown
 * right away by the call that gives it, and nothing is sent.
 */
export class Transaction {
  /** @internal */
  readonly actions: TransactionAction[] = [];
  /** @internal */
  readonly context: TransactionContext;
  /** The time written to createdAt/updatedAt by every action. */
  readonly now: Date;

  constructor(context: TransactionContext) {
    this.context = context;
    this.now = context.now;
  }

  /** @internal */
  enqueue(action: TransactionAction): void {
    this.actions.push(action);
  }

  /** How many actions are enqueued. */
  get size(): number {
    return this.actions.length;
  }

  /** The builder of a model whose writes join this transaction: `tx.model(Account).where(...).update(...)`. */
  model<M extends AnyModel>(model: M): TransactionQuery<M> {
    return new TransactionQuery(this, this.context.query(model));
  }

  /** Creates an item; the transaction fails if its key exists. */
  create<M extends AnyModel>(model: M, item: InferInput<M>): void {
    this.model(model).create(item);
  }

  /** Creates or replaces an item (with the version check of a versioned model). */
  put<M extends AnyModel>(model: M, item: InferInput<M>): void {
    this.model(model).put(item);
  }

  /** Updates the item with this key: `tx.update(Account, { userId }, { balance: 100 })` or `(u => u.increment('balance', 5))`. */
  update<M extends AnyModel>(model: M, key: InferKey<M>, changes: UpdateChanges<M>, options?: TransactionUpdateOptions): void;
  update<M extends AnyModel, K extends keyof UpdateChanges<M>>(model: M, key: InferKey<M>, attribute: K, value: UpdateChanges<M>[K], options?: TransactionUpdateOptions): void;
  update<M extends AnyModel>(model: M, key: InferKey<M>, updater: Updater<M>, options?: TransactionUpdateOptions): void;
  update(model: AnyModel, key: InferKey<AnyModel>, ...args: unknown[]): void {
    (this.model(model).key(key).update as (...a: unknown[]) => void)(...args);
  }

  /** Deletes the item with this key. */
  delete<M extends AnyModel>(model: M, key: InferKey<M>): void {
    this.model(model).delete(key);
  }

  /**
   * The transaction goes through only if the condition holds on the item with this key.
   * @example tx.conditionCheck(Account, { userId: '999' }, (c) => c.attributeExists('userId'))
   */
  conditionCheck<M extends AnyModel>(model: M, key: InferKey<M>, condition: ConditionFn<M>): void {
    const node = buildCondition(model, condition, 'conditionCheck');
    this.enqueue(conditionCheckOf(model, this.context.session.tableName(model), key as Record<string, unknown>, node));
  }
}
