import type { Driver, InputOf, Operation, OutputOf } from '../driver/driver.js';
import type { GetLoader } from '../batch/loader.js';
import type { SendOptions } from '../observe/pipeline.js';
import type { Warnings } from '../observe/warnings.js';
import type { AnyModel } from '../schema/model.js';
import type { CursorCodec } from './cursor.js';
import type { InvalidItem, OnInvalid } from './item-reader.js';

/** Where best-practice warnings go, and the stored items reads skip (`onInvalid: 'skip'`, with `details`). */
export interface Logger {
  warn(message: string, details?: InvalidItem): void;
  debug?(message: string): void;
}

/**
 * What an operation needs from the ORM: the driver, table names, and the warnings channel.
 * `send` waits for the model's table (autoMigrate), then goes through the pipeline (middleware,
 * events, metrics; SDK errors mapped).
 */
export interface Session {
  readonly logger: Logger;
  /** Best-practice warnings: each on or off, rate-limited, to the logger and the `warning` event. */
  readonly warnings: Warnings;
  /** What reads do with stored items that do not fit their model, unless a read says otherwise. */
  readonly onInvalid: OnInvalid;
  tableName(model: AnyModel): string;
  send<O extends Operation>(operation: O, input: InputOf<O>, op: string, model: AnyModel | undefined, options?: SendOptions): Promise<OutputOf<O>>;
  /** The raw driver, for requests whose errors the caller interprets itself. */
  readonly driver: Driver;
  /** Waits for the model's table when autoMigrate is on (requests on several tables: transactions). */
  ready(model: AnyModel): Promise<void>;
  /** Coalesces concurrent gets into BatchGetItem requests; undefined with `batchGets: false`. */
  readonly loader?: GetLoader | undefined;
  /** How page cursors are sealed (`cursors` in the config); plain when undefined. */
  readonly cursors?: CursorCodec | undefined;
}
