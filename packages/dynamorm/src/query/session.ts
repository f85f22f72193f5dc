import type { Driver, InputOf, Operation, OutputOf } from '../driver/driver.js';
import type { GetLoader } from '../batch/loader.js';
import type { SendOptions } from '../observe/pipeline.js';
import type { OperationTrace, Telemetry } from '../observe/telemetry.js';
import type { Warnings } from '../observe/warnings.js';
import type { AnyModel } from '../schema/model.js';
import type { RetryPolicy } from '../ops/policy.js';
import { checkTimeout, operationSignal, type CancelOptions } from '../ops/signal.js';
import type { CursorCodec } from './cursor.js';
import type { InvalidItem, OnInvalid } from './item-reader.js';
import { merged } from '../util/merged.js';

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
  /**
   * Sends one request through the pipeline; `options.signal` (the operation's, see
   * withOperation) reaches the SDK, and when it aborts the request rejects with its typed reason
   * (TimeoutError, AbortedError).
   */
  send<O extends Operation>(operation: O, input: InputOf<O>, op: string, model: AnyModel | undefined, options?: SendOptions): Promise<OutputOf<O>>;
  /** The ORM's retry policy (`maxRetries`, `retry`): batches and transactions retry with it. */
  readonly retry: RetryPolicy;
  /** Reads describe their access pattern for `orm.analytics()` (with `analytics` on). */
  readonly analytics?: boolean | undefined;
  /** The ORM's `timeoutMs`, the default of every operation. */
  readonly timeoutMs: number | undefined;
  /** Spans per operation (telemetry with a tracer): withOperation runs each operation in one. */
  readonly tracing?: Pick<Telemetry, 'operation' | 'begin'> | undefined;
  /** The traced operation in progress (set by withOperation): its requests' spans are its children. */
  readonly trace?: OperationTrace | undefined;
  /** The signal of the operation in progress (set by withOperation). */
  readonly signal?: AbortSignal | undefined;
  /** The raw driver, for requests whose errors the caller interprets itself. */
  readonly driver: Driver;
  /** Waits for the model's table when autoMigrate is on (requests on several tables: transactions). */
  ready(model: AnyModel): Promise<void>;
  /** Coalesces concurrent gets into BatchGetItem requests; undefined with `batchGets: false`. */
  readonly loader?: GetLoader | undefined;
  /** How page cursors are sealed (`cursors` in the config); plain when undefined. */
  readonly cursors?: CursorCodec | undefined;
}

/**
 * Runs one operation under its signal: the caller's signals (the query's `.signal()`, the
 * options' `signal`) and its timeout (the options', else the ORM's `timeoutMs`). The session
 * `run` receives carries it as `session.signal`; without signal or timeout it is the same session.
 */
export async function withOperation<T>(session: Session, op: string, model: AnyModel | undefined, signals: readonly (AbortSignal | undefined)[], options: CancelOptions | undefined, run: (session: Session) => Promise<T>): Promise<T> {
  // Traced: one span for the operation (not one per nested step), its requests' spans under it.
  if (session.tracing !== undefined && session.trace === undefined) {
    return session.tracing.operation(op, model?.name, (trace) => withOperation(traced(session, trace), op, model, signals, options, run));
  }
  const stop = operationSignal(op, model?.name, [...signals, options?.signal], options?.timeoutMs ?? session.timeoutMs);
  if (stop === undefined) return run(session);
  try {
    if (stop.signal.aborted) throw stop.signal.reason; // aborted before it began: nothing is sent
    return await run(merged(session, { signal: stop.signal }));
  } finally {
    stop.done();
  }
}

/** The session of a traced operation: every request it sends carries the trace. */
function traced(session: Session, trace: OperationTrace | undefined): Session {
  if (trace === undefined) return merged(session, { tracing: undefined });
  return merged(session, { trace, send: ((command, input, op, model, options) => session.send(command, input, op, model, merged(options ?? {}, { trace }))) as Session['send'] });
}

/**
 * Runs an iteration under its signals, which stop it all, while its timeout (the options', else
 * the ORM's) bounds each page's request: the loop body may take as long as it needs.
 */
export async function* withIteration<T>(session: Session, model: AnyModel, signals: readonly (AbortSignal | undefined)[], options: CancelOptions | undefined, iterate: (session: Session, pageTimeoutMs: number | undefined) => AsyncGenerator<T>): AsyncGenerator<T> {
  // Traced: one span from the first page to the end of the loop, its pages' request spans under
  // it. It is not active in the loop body, which is the caller's code; an error thrown there is the caller's too.
  if (session.tracing !== undefined && session.trace === undefined) {
    const trace = await session.tracing.begin('iterate', model.name);
    let failure: unknown;
    try {
      yield* withIteration(traced(session, trace), model, signals, options, iterate);
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      trace?.end(failure);
    }
    return;
  }
  const timeoutMs = options?.timeoutMs ?? session.timeoutMs;
  checkTimeout(timeoutMs, 'iterate', model.name);
  const stop = operationSignal('iterate', model.name, [...signals, options?.signal], undefined);
  try {
    if (stop?.signal.aborted === true) throw stop.signal.reason;
    yield* iterate(stop === undefined ? session : merged(session, { signal: stop.signal }), timeoutMs);
  } finally {
    stop?.done();
  }
}
