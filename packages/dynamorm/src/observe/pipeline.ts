import type { Driver, DriverContext, InputOf, Operation, OutputOf } from '../driver/driver.js';
import type { DynamORMError } from '../errors/errors.js';
import { mapSdkError } from '../errors/map-sdk-error.js';
import type { AnyModel } from '../schema/model.js';
import type { AccessPattern } from './access-pattern.js';
import type { OperationTrace } from './telemetry.js';
import { askingForCapacity, consumedCapacity, itemCounts, type ConsumedCapacity } from './capacity.js';
import type { Hooks } from './hooks.js';
import { describeRequest, type DynamoRequest, type DynamoResponse } from './request.js';
import { isThrottle } from './throttle.js';

/** One request as it ended, for metrics, analytics, telemetry and warnings. */
export interface Outcome {
  readonly request: DynamoRequest;
  readonly response: DynamoResponse | undefined;
  readonly error: DynamORMError | undefined;
  readonly durationMs: number;
  readonly attempts: number;
  /** Retries this request stands for: the SDK's attempts beyond the first, plus one when the ORM sent it again (a batch round re-sending unprocessed items, a transaction after a conflict). */
  readonly retries: number;
  /** Attempts DynamoDB throttled, retried ones included. */
  readonly throttles: number;
  readonly capacity: ConsumedCapacity | undefined;
  readonly items: { readonly read: number; readonly returned: number };
  /** The read's access pattern, as its builder described it (with analytics on). */
  readonly access: AccessPattern | undefined;
  /** Why the ORM sent this request again (a batch round, a transaction after a conflict). */
  readonly retried: SendOptions['retried'];
  /** The SDK's retried attempts, as they started. */
  readonly retryLog: readonly RetryAttempt[] | undefined;
  /** The operation this request belongs to, when traced. */
  readonly trace: OperationTrace | undefined;
}

/** An attempt the SDK retried: its number, why the previous one failed, the wait, and when it started. */
export interface RetryAttempt {
  readonly attempt: number;
  readonly error: unknown;
  readonly delayMs: number | undefined;
  readonly time: number;
}

/** What records outcomes (metrics, analytics, telemetry, warnings). */
export interface Sink {
  record(outcome: Outcome): void;
  /** What the sink waits for before the first request (telemetry loading its API). */
  readonly ready?: Promise<void>;
}

/** How a caller sends: the attempt of its own retries, and the signal that cancels it. */
export interface SendOptions {
  readonly attempt?: number | undefined;
  readonly signal?: AbortSignal | undefined;
  /** A request the ORM sends again (a batch round, a transaction after a conflict): why, and the wait before it. */
  readonly retried?: { readonly error: unknown; readonly delayMs: number } | undefined;
  /** A read's access pattern, for analytics. */
  readonly access?: AccessPattern | undefined;
  /** The traced operation sending it (telemetry). */
  readonly trace?: OperationTrace | undefined;
}

const NO_ITEMS = Object.freeze({ read: 0, returned: 0 });

/**
 * The one way requests reach the driver: middleware, events and sinks around `driver.send`, and
 * SDK errors mapped to DynamORM's. With nothing observing, a request goes straight to the driver.
 */
export class Pipeline {
  private readonly sinks: Sink[] = [];
  private capacitySinks = false;
  private observed = false;
  /** Sinks still getting ready: requests wait for them (and fail with them). */
  private pending: Promise<void> | undefined;
  /** Ask DynamoDB for consumed capacity: only while something reads it, since it changes the request. */
  private capacity = false;
  private attempts = false;

  constructor(private readonly driver: Driver, private readonly hooks: Hooks) {
    hooks.onChange = () => this.refresh();
  }

  /** Passes every outcome to `sink`; `capacity`: it reads consumed capacity, so requests ask for it. */
  addSink(sink: Sink, capacity: boolean): void {
    this.sinks.push(sink);
    if (capacity) this.capacitySinks = true;
    if (sink.ready !== undefined) {
      const ready = Promise.all([this.pending, sink.ready]).then(() => {
        if (this.pending === ready) this.pending = undefined;
      });
      // A failure is reported by each request that waits on it; none may ever come (an operation
      // span that waits on the same sink fails first), and an unhandled rejection ends the process.
      ready.catch(() => {});
      this.pending = ready;
    }
    this.refresh();
  }

  private refresh(): void {
    const sinks = this.sinks.length > 0;
    this.capacity = this.capacitySinks || this.hooks.has('response') || this.hooks.has('error');
    this.attempts = sinks || this.hooks.has('retry');
    this.observed = this.capacity || this.attempts || this.hooks.has('request') || this.hooks.middleware.length > 0;
  }

  send<O extends Operation>(command: O, input: InputOf<O>, operation: string, model: AnyModel | undefined, options?: SendOptions): Promise<OutputOf<O>> {
    if (this.pending !== undefined) return this.pending.then(() => this.send(command, input, operation, model, options));
    if (!this.observed) return this.direct(command, input, operation, model, options?.signal);
    const request = describeRequest(command, input, operation, model?.name, options?.attempt ?? 1, options?.signal) as DynamoRequest;
    const chain = this.hooks.middleware;
    if (chain.length === 0) return this.terminal(request, model, options) as Promise<OutputOf<O>>;
    const run = (i: number, r: DynamoRequest): Promise<DynamoResponse> => (i < chain.length ? chain[i]!(r, (next) => run(i + 1, next)) : this.terminal(r, model, options));
    return run(0, request) as Promise<OutputOf<O>>;
  }

  private async direct<O extends Operation>(command: O, input: InputOf<O>, op: string, model: AnyModel | undefined, signal: AbortSignal | undefined): Promise<OutputOf<O>> {
    try {
      return await this.driver.send(command, input, signal === undefined ? { op, model } : { op, model, signal });
    } catch (error) {
      throw mapSdkError(error, op, model);
    }
  }

  private async terminal(request: DynamoRequest, model: AnyModel | undefined, options: SendOptions | undefined): Promise<DynamoResponse> {
    const { hooks } = this;
    const retried = options?.retried;
    if (retried !== undefined) hooks.emit('retry', { request, attempt: request.attempt, error: retried.error, delayMs: retried.delayMs });
    if (hooks.has('request')) hooks.emit('request', { request });
    const { command } = request;
    const input = this.capacity ? askingForCapacity(command, request.input) : request.input;
    let throttles = 0;
    let retryLog: RetryAttempt[] | undefined;
    const signal = request.signal;
    const sinks = this.sinks.length > 0;
    const context: DriverContext = !this.attempts ? { op: request.operation, model, signal } : {
      op: request.operation, model, signal,
      onRetry: (attempt, error, delayMs) => {
        if (isThrottle(error)) throttles++;
        if (sinks) (retryLog ??= []).push({ attempt, error, delayMs, time: Date.now() });
        hooks.emit('retry', { request, attempt, error, delayMs });
      },
    };
    const started = performance.now();
    let response: DynamoResponse;
    try {
      response = await this.driver.send(command, input as never, context);
    } catch (raw) {
      const durationMs = performance.now() - started;
      const error = mapSdkError(raw, request.operation, model);
      if (isThrottle(raw)) throttles++;
      const attempts = (raw as { $metadata?: { attempts?: number } } | undefined)?.$metadata?.attempts ?? 1;
      if (hooks.has('error')) hooks.emit('error', { kind: 'request', request, error, durationMs, attempts });
      const outcome: Outcome = { request, response: undefined, error, durationMs, attempts, retries: attempts - 1 + (retried === undefined ? 0 : 1), throttles, capacity: undefined, items: NO_ITEMS, access: options?.access, retried, retryLog, trace: options?.trace };
      for (const sink of this.sinks) sink.record(outcome);
      throw error;
    }
    const durationMs = performance.now() - started;
    if (!this.capacity && this.sinks.length === 0) return response;
    const attempts = response.$metadata?.attempts ?? 1;
    const capacity = consumedCapacity(command, response);
    const items = itemCounts(command, response);
    if (hooks.has('response')) hooks.emit('response', { request, response, durationMs, attempts, consumedCapacity: capacity, items });
    if (this.sinks.length === 0) return response;
    const outcome: Outcome = { request, response, error: undefined, durationMs, attempts, retries: attempts - 1 + (retried === undefined ? 0 : 1), throttles, capacity, items, access: options?.access, retried, retryLog, trace: options?.trace };
    for (const sink of this.sinks) sink.record(outcome);
    return response;
  }
}
