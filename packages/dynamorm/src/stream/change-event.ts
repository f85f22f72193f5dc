import type { AnyModel, InferFullItem, InferKey } from '../schema/model.js';
import type { StreamRecordLike } from './record.js';

/** An image's item: a stream record holds the whole item, lazy attributes (`.lazy()`) included. */
type Image<M extends AnyModel> = InferFullItem<M>;

/** What every change event of model M carries. */
interface ChangeOf<M extends AnyModel> {
  /** The model the record was routed to (by its discriminator, or its key templates). */
  readonly model: M['~types']['name'];
  /** The item's primary key, as the model names it. */
  readonly key: InferKey<M>;
  /** The record's sequence number: its identity in its shard, and the order of changes of one key. */
  readonly sequenceNumber: string;
  /** The record as DynamoDB Streams delivered it. */
  readonly record: StreamRecordLike;
}

/** An item was created. */
export interface InsertEvent<M extends AnyModel = AnyModel> extends ChangeOf<M> {
  readonly type: 'insert';
  readonly oldItem: undefined;
  readonly newItem: Image<M>;
}

/** An item was changed: `oldItem` is undefined on a stream that keeps only new images (NEW_IMAGE). */
export interface ModifyEvent<M extends AnyModel = AnyModel> extends ChangeOf<M> {
  readonly type: 'modify';
  readonly oldItem: Image<M> | undefined;
  readonly newItem: Image<M>;
}

/** An item was deleted (or expired by TTL): `oldItem` is undefined on a stream without old images. */
export interface RemoveEvent<M extends AnyModel = AnyModel> extends ChangeOf<M> {
  readonly type: 'remove';
  readonly oldItem: Image<M> | undefined;
  readonly newItem: undefined;
}

/**
 * A change of an item of one of the models M, decoded by its model: narrow by `type` (and by
 * `model` when M is several models).
 * @example
 * (e: ChangeEvent<typeof User | typeof Order>) => { if (e.model === 'Order' && e.type === 'modify') e.newItem.total; }
 */
export type ChangeEvent<M extends AnyModel = AnyModel> = M extends AnyModel ? InsertEvent<M> | ModifyEvent<M> | RemoveEvent<M> : never;

/** The kinds of change: `insert`, `modify`, `remove`. */
export type ChangeType = 'insert' | 'modify' | 'remove';

/** The change events of M of one kind. */
export type ChangeEventOf<M extends AnyModel, T extends ChangeType> = Extract<ChangeEvent<M>, { readonly type: T }>;
