import { ValidationError } from '../errors/errors.js';
import { AbortedError, TimeoutError } from './errors.js';

/** How one operation can be stopped: `{ signal, timeoutMs }` on any operation's options. */
export interface CancelOptions {
  /** Stops the operation when aborted: it rejects with AbortedError (a batch: BatchWriteError listing what was not written). */
  readonly signal?: AbortSignal | undefined;
  /** Stops the operation after this many milliseconds with TimeoutError (default: the ORM's `timeoutMs`, else none). */
  readonly timeoutMs?: number | undefined;
}

/** The signal of one running operation and the cleanup of its timer and listeners. */
export interface OperationSignal {
  /** Aborts with a TimeoutError or AbortedError naming the operation and model. */
  readonly signal: AbortSignal;
  done(): void;
}

export function checkTimeout(timeoutMs: number | undefined, op: string, model: string | undefined): void {
  if (timeoutMs === undefined || (Number.isFinite(timeoutMs) && timeoutMs > 0)) return;
  const message = `timeoutMs must be a number of milliseconds above 0, received ${String(timeoutMs)}`;
  throw new ValidationError([{ attribute: 'timeoutMs', expected: 'a number > 0', received: String(timeoutMs), message }], { op, model }, `${op}${model === undefined ? '' : ` ${model}`}: ${message}`);
}

/**
 * One signal for an operation from the caller's signals and its timeout, or undefined when it
 * has neither. Whichever comes first aborts it with a typed reason, so every place that sees the
 * abort (the SDK request, a backoff sleep, a batch between rounds) rejects with that error.
 * The timer starts now, so it covers the whole operation: every page, round and retry.
 */
export function operationSignal(op: string, model: string | undefined, signals: readonly (AbortSignal | undefined)[], timeoutMs: number | undefined): OperationSignal | undefined {
  const given = signals.filter((s): s is AbortSignal => s !== undefined);
  if (given.length === 0 && timeoutMs === undefined) return undefined;
  checkTimeout(timeoutMs, op, model);
  const subject = model === undefined ? op : `${op} ${model}`;
  const controller = new AbortController();
  const stop = (reason: unknown): void => {
    if (controller.signal.aborted) return;
    // AbortSignal.timeout() aborts with a DOMException named TimeoutError: a timeout all the same.
    if (reason instanceof Error && reason.name === 'TimeoutError' && !(reason instanceof AbortedError)) {
      controller.abort(new TimeoutError(`${subject}: timed out (the signal's timeout); a request in flight may still have been applied`, { op, model, cause: reason, timeoutMs: 0 }));
      return;
    }
    controller.abort(new AbortedError(`${subject}: aborted by its signal; a request in flight may still have been applied`, { op, model, cause: reason }));
  };
  const listeners = given.map((s) => {
    const listener = (): void => stop(s.reason);
    if (s.aborted) stop(s.reason);
    else s.addEventListener('abort', listener, { once: true });
    return () => s.removeEventListener('abort', listener);
  });
  const timer = timeoutMs === undefined ? undefined : setTimeout(() => {
    if (!controller.signal.aborted) controller.abort(new TimeoutError(`${subject}: timed out after ${timeoutMs} ms (timeoutMs); a request in flight may still have been applied: raise timeoutMs, or look at the table's capacity and latency`, { op, model, timeoutMs, context: { timeoutMs } }));
  }, timeoutMs);
  return {
    signal: controller.signal,
    done: () => {
      if (timer !== undefined) clearTimeout(timer);
      for (const remove of listeners) remove();
    },
  };
}
