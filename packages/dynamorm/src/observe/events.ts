import type { DynamORMError } from '../errors/errors.js';
import type { ConsumedCapacity } from './capacity.js';
import type { DynamoRequest, DynamoResponse } from './request.js';
import type { WarningCode } from './warning-codes.js';

/** Before a request goes to DynamoDB (after every middleware). */
export interface RequestEvent {
  readonly request: DynamoRequest;
}

/** A request DynamoDB answered. */
export interface ResponseEvent {
  readonly request: DynamoRequest;
  readonly response: DynamoResponse;
  /** From sending to the answer, retries included. */
  readonly durationMs: number;
  /** Attempts the SDK made (1 without retries). */
  readonly attempts: number;
  /** What the request consumed (the ORM asks for it while anyone listens to responses, errors, metrics or analytics). */
  readonly consumedCapacity: ConsumedCapacity | undefined;
  /** Items DynamoDB read (and charged for) and returned: a filter drops the difference. */
  readonly items: { readonly read: number; readonly returned: number };
}

/** A failed attempt is about to be tried again. */
export interface RetryEvent {
  readonly request: DynamoRequest;
  /** The attempt about to start (2 for the first retry). */
  readonly attempt: number;
  /** Why the previous attempt failed (the SDK's error, or what a batch left unprocessed). */
  readonly error: unknown;
  /** The wait before this attempt, when known. */
  readonly delayMs: number | undefined;
}

/** A request that failed after its retries. */
export interface RequestErrorEvent {
  readonly kind: 'request';
  readonly request: DynamoRequest;
  readonly error: DynamORMError;
  readonly durationMs: number;
  readonly attempts: number;
}

/** A listener threw or rejected: reported here and to the logger, never to the operation. */
export interface HookErrorEvent {
  readonly kind: 'hook';
  /** The event whose listener failed. */
  readonly event: EventName;
  readonly error: unknown;
}

export type ErrorEvent = RequestErrorEvent | HookErrorEvent;

/** A best-practice warning (see `warnings` in the ORM config). */
export interface WarningEvent {
  readonly code: WarningCode;
  readonly message: string;
  readonly model: string | undefined;
  /** What the warning is about: the key, the size, the counts… */
  readonly details: Readonly<Record<string, unknown>>;
}

/** The events of `orm.on(name, listener)` and their payloads. */
export interface DynamORMEvents {
  request: RequestEvent;
  response: ResponseEvent;
  retry: RetryEvent;
  error: ErrorEvent;
  warning: WarningEvent;
}
export type EventName = keyof DynamORMEvents;
/** A listener may be async: a rejection is reported like a throw. */
export type Listener<E extends EventName> = (event: DynamORMEvents[E]) => unknown;

/**
 * Wraps every request: observe or change the request, call `next` (or answer without it), observe
 * or change the response, or throw to refuse it.
 * @example orm.use(async (request, next) => next({ ...request, input: { ...request.input, ReturnConsumedCapacity: 'TOTAL' } }))
 */
export type Middleware = (request: DynamoRequest, next: (request: DynamoRequest) => Promise<DynamoResponse>) => Promise<DynamoResponse>;
