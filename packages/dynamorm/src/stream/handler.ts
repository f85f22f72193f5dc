import type { DynamORM } from '../orm.js';
import type { AnyModel } from '../schema/model.js';
import type { ChangeEvent, InsertEvent, ModifyEvent, RemoveEvent } from './change-event.js';
import { StreamRecordError } from './errors.js';
import { streamDecoders } from './decoders.js';
import type { StreamEventLike, StreamRecordLike } from './record.js';

/** The handlers of one model's changes; a kind without a handler is acknowledged and ignored. */
export interface ChangeHandlers<M extends AnyModel = AnyModel> {
  readonly insert?: ((event: InsertEvent<M>) => unknown) | undefined;
  readonly modify?: ((event: ModifyEvent<M>) => unknown) | undefined;
  readonly remove?: ((event: RemoveEvent<M>) => unknown) | undefined;
}

/** Change handlers by model name: `{ User: { insert, modify, remove }, Order: { ... } }`. */
export type StreamHandlers<M extends AnyModel = AnyModel> = {
  readonly [N in M['~types']['name']]?: ChangeHandlers<Extract<M, { readonly name: N }>>;
};

export interface StreamHandlerOptions {
  /**
   * Receives each record that was not delivered: of no known model, with an image that does not
   * fit its model, without its new image (codes in StreamRecordError), or whose handler threw.
   * Default: a warning to the ORM's logger. A record whose handler threw is reported as failed
   * whatever this does; any other is acknowledged, unless this throws.
   */
  readonly onError?: ((error: StreamRecordError) => void) | undefined;
}

/** What a Lambda handler with ReportBatchItemFailures returns: the records to deliver again. */
export interface StreamBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

/**
 * A Lambda handler of a DynamoDB stream (turn on ReportBatchItemFailures in the event source
 * mapping): each record is routed to its model, decoded by it and handed to the handler of its
 * kind, in the order of the batch. A record whose handler throws is reported in
 * `batchItemFailures`, and so are the later records of the same key in the batch, which are not
 * run (their changes would otherwise be applied out of order); records of other keys go on.
 * Lambda then retries from the earliest failed record: records after it that succeeded are
 * delivered again, so handlers must be idempotent (at-least-once).
 * @example
 * export const handler = streamHandler(orm, {
 *   User: { insert: ({ newItem }) => welcome(newItem.email), remove: ({ key }) => forget(key.id) },
 * });
 */
export function streamHandler<M extends AnyModel>(
  orm: DynamORM<M>,
  handlers: NoInfer<StreamHandlers<M>>,
  options: StreamHandlerOptions = {},
): (event: StreamEventLike) => Promise<StreamBatchResponse> {
  const handled = Object.keys(handlers).map((name) => {
    const model = orm.getModel(name);
    if (model === undefined) throw new StreamRecordError('stream.unknownModel', `streamHandler: no model named ${name} is registered with this ORM: pass it in the ORM's models`, { record: {} });
    return model;
  });
  const decoders = streamDecoders(orm, handled);
  const report = options.onError ?? ((error: StreamRecordError) => orm.session.logger.warn(`DynamORM: ${error.message}`));
  const byModel = handlers as Readonly<Record<string, ChangeHandlers | undefined>>;

  return async (event) => {
    const failures: { itemIdentifier: string }[] = [];
    const failedKeys = new Set<string>();
    for (const record of event.Records) {
      const id = record.dynamodb?.SequenceNumber ?? record.eventID ?? '';
      // A record's key is computed only once some record of the batch failed.
      if (failedKeys.size > 0 && failedKeys.has(keyOfRecord(record))) {
        failures.push({ itemIdentifier: id });
        continue;
      }
      const change = decoders.of(record).decode(record);
      try {
        if (change instanceof StreamRecordError) {
          report(change);
          continue;
        }
        const fn = byModel[change.model]?.[change.type] as ((e: ChangeEvent) => unknown) | undefined;
        if (fn === undefined) continue;
        try {
          const done = fn(change);
          if (done instanceof Promise) await done;
        } catch (cause) {
          failedKeys.add(keyOfRecord(record));
          failures.push({ itemIdentifier: id });
          report(new StreamRecordError('stream.handlerFailed', `the ${change.type} handler failed: ${(cause as Error)?.message ?? String(cause)}`, { record, model: change.model, cause }));
        }
      } catch {
        // The report itself threw: the record is delivered again.
        if (failures.at(-1)?.itemIdentifier !== id) failures.push({ itemIdentifier: id });
        failedKeys.add(keyOfRecord(record));
      }
    }
    return { batchItemFailures: failures };
  };
}

/** The identity of a record's item: its table and key, for ordering per key. */
export function keyOfRecord(record: StreamRecordLike): string {
  const keys = record.dynamodb?.Keys ?? {};
  return `${record.eventSourceARN ?? ''}\n${JSON.stringify(Object.keys(keys).sort().map((k) => [k, keys[k]]))}`;
}
