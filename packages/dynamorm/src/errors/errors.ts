/**
 * Every error DynamORM throws is a DynamORMError: `op` says which operation failed, `model` on
 * which model, `cause` keeps the underlying error (an AWS SDK exception, for example) and
 * `context` carries the details a handler may want (key, attribute, index, ...).
 */
export interface ErrorDetails {
  readonly op: string;
  readonly model?: string | undefined;
  readonly cause?: unknown;
  readonly context?: Readonly<Record<string, unknown>>;
}

export class DynamORMError extends Error {
  /** A stable, dotted code such as `item.notFound`, for matching without instanceof. */
  readonly code: string;
  readonly op: string;
  readonly model: string | undefined;
  readonly context: Readonly<Record<string, unknown>>;

  constructor(code: string, message: string, details: ErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.code = code;
    this.op = details.op;
    this.model = details.model;
    this.context = details.context ?? {};
  }
}

/** A read that must find an item (`first()`, an update of a missing item) found none. */
export class ItemNotFoundError extends DynamORMError {
  constructor(message: string, details: ErrorDetails) {
    super('item.notFound', message, details);
  }
}

/** A write's condition did not hold: the key already exists on `create`, or a `.if(...)` failed. */
export class ConditionFailedError extends DynamORMError {
  /** The item as it was when the condition failed, where DynamoDB returned it. */
  readonly item: Readonly<Record<string, unknown>> | undefined;
  constructor(message: string, details: ErrorDetails & { item?: Readonly<Record<string, unknown>> | undefined }) {
    super('condition.failed', message, details);
    this.item = details.item;
  }
}

/** A versioned write found another version than the one it read: reload and retry. */
export class OptimisticLockError extends ConditionFailedError {
  readonly expectedVersion: number | undefined;
  readonly actualVersion: number | undefined;
  constructor(
    message: string,
    details: ErrorDetails & {
      item?: Readonly<Record<string, unknown>> | undefined;
      expectedVersion?: number | undefined;
      actualVersion?: number | undefined;
    },
  ) {
    super(message, details);
    Object.defineProperty(this, 'code', { value: 'condition.optimisticLock' });
    this.expectedVersion = details.expectedVersion;
    this.actualVersion = details.actualVersion;
  }
}

/** `index(name)` named an index the model does not define. */
export class IndexNotFoundError extends DynamORMError {
  constructor(message: string, details: ErrorDetails) {
    super('index.notFound', message, details);
  }
}

/** One thing wrong with an input, located by attribute path. */
export interface ValidationIssue {
  /** Attribute path as the model names it, e.g. `preferences.theme` or `tags[2]`. */
  readonly attribute: string;
  readonly expected: string;
  readonly received: string;
  readonly message: string;
}

/** Bad input, caught before any request is sent: nothing was written. */
export class ValidationError extends DynamORMError {
  readonly issues: readonly ValidationIssue[];
  constructor(issues: readonly ValidationIssue[], details: ErrorDetails, message?: string) {
    const where = details.model === undefined ? details.op : `${details.op} ${details.model}`;
    super('validation.failed', message ?? `${where}: ${issues.map((i) => i.message).join('; ')}`, details);
    this.issues = issues;
  }

  // The first issue's fields, for the common one-issue case: getters, so that a logged error
  // shows its issues once.
  /** The first issue's attribute path. */
  get attribute(): string | undefined {
    return this.issues[0]?.attribute;
  }

  /** What the first issue expected. */
  get expected(): string | undefined {
    return this.issues[0]?.expected;
  }

  /** What the first issue received. */
  get received(): string | undefined {
    return this.issues[0]?.received;
  }
}

/**
 * A write of an item over DynamoDB's 400 KB limit: refused before sending when DynamORM can count
 * it (a put, create, batch or transaction put; an update whose values alone are over), or by
 * DynamoDB when the write adds to a stored item (an update). Nothing was written.
 */
export class ItemTooLargeError extends DynamORMError {
  /** The item's bytes, counted as DynamoDB counts them; undefined when DynamoDB refused it (it does not say). */
  readonly size: number | undefined;
  /** DynamoDB's limit: 409600 bytes (400 KB). */
  readonly limit: number;
  constructor(message: string, details: ErrorDetails & { size: number | undefined; limit: number }) {
    super('item.tooLarge', message, details);
    this.size = details.size;
    this.limit = details.limit;
  }
}

/**
 * The endpoint does not implement the request: DynamoDB Local has no backups, point-in-time
 * recovery or global tables. Nothing was done.
 */
export class UnsupportedOperationError extends DynamORMError {
  constructor(message: string, details: ErrorDetails) {
    super('endpoint.unsupportedOperation', message, details);
  }
}

/** What a cancellation reason needs of a model: its name and its key's type (any model fits). */
export interface ReasonModel {
  readonly name: string;
  readonly '~types': { readonly key: Readonly<Record<string, unknown>> };
}

/**
 * Why one action of a cancelled transaction failed. Typed per model: `CancellationReason<typeof
 * User | typeof Account>` narrows `key` by `model` (`if (r.model === 'User') r.key.id`).
 */
export type CancellationReason<M extends ReasonModel = ReasonModel> = M extends ReasonModel
  ? {
      readonly index: number;
      readonly model: M['name'];
      readonly key: Readonly<M['~types']['key']>;
      readonly code: string;
      readonly message: string;
      /** A ConditionFailedError or OptimisticLockError for a failed condition. */
      readonly error: DynamORMError | undefined;
    }
  : never;

/**
 * A transaction was cancelled and wrote nothing; `reasons` says why, action by action.
 * `reasonsOf(User)` gives one model's reasons with typed keys; `TransactionCanceledError<typeof
 * User | typeof Account>` types every reason by the models of the transaction.
 */
export class TransactionCanceledError<M extends ReasonModel = ReasonModel> extends DynamORMError {
  readonly reasons: readonly CancellationReason<M>[];
  constructor(message: string, details: ErrorDetails & { reasons: readonly CancellationReason<M>[] }) {
    super('transaction.canceled', message, details);
    this.reasons = details.reasons;
  }

  /** The reasons of this model's actions, keys typed by the model. */
  reasonsOf<N extends ReasonModel>(model: N): CancellationReason<N>[] {
    return this.reasons.filter((r) => r.model === model.name) as unknown as CancellationReason<N>[];
  }
}

/** A model definition that cannot work, thrown by `model()`. */
export class ModelDefinitionError extends DynamORMError {
  readonly attribute: string | undefined;
  constructor(model: string, attribute: string | undefined, problem: string) {
    super('model.invalid', `model ${model}${attribute === undefined ? '' : `, attribute ${attribute}`}: ${problem}`, {
      op: 'model',
      model,
      context: attribute === undefined ? {} : { attribute },
    });
    this.attribute = attribute;
  }
}
