import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { fileURLToPath } from 'node:url';
import { ValidationError } from '../errors/errors.js';
import type { Operation } from '../driver/driver.js';
import { Model, type AnyModel } from '../schema/model.js';
import { subjectName, type Call } from './calls.js';
import { storedPartial, type Check } from './checks.js';
import type { WhereClause } from '../query/operators.js';
import { show } from './errors.js';

type Item = Record<string, AttributeValue>;

/** The kinds of expectation, named after the `expect…` method that declares them. */
export type ExpectationKind =
  | 'Query' | 'Get' | 'Scan' | 'Create' | 'Put' | 'Update' | 'Delete'
  | 'BatchGet' | 'BatchWrite' | 'Transaction' | 'TransactGet' | 'Collection';

/** Which requests each kind accepts: a query is whatever read the planner chose. */
const OPERATIONS: Record<ExpectationKind, readonly (Operation | 'ConditionCheck')[]> = {
  Query: ['GetItem', 'Query', 'Scan'],
  Get: ['GetItem'],
  Scan: ['Scan'],
  Create: ['PutItem'],
  Put: ['PutItem'],
  Update: ['UpdateItem'],
  Delete: ['DeleteItem'],
  BatchGet: ['BatchGetItem'],
  BatchWrite: ['BatchWriteItem'],
  Transaction: ['TransactWriteItems'],
  TransactGet: ['TransactGetItems'],
  Collection: ['Query'],
};

/** A mock failure given by name: an SDK-style error that then goes through the ORM's error mapping. */
export type SdkErrorName =
  | 'ConditionalCheckFailedException' | 'TransactionCanceledException' | 'ProvisionedThroughputExceededException'
  | 'ThrottlingException' | 'RequestLimitExceeded' | 'ResourceNotFoundException' | 'ValidationException'
  | 'InternalServerError' | 'ItemCollectionSizeLimitExceededException' | 'TransactionConflictException';

/** An error shaped like the AWS SDK's service exceptions (name, message, $fault). */
export function sdkError(name: SdkErrorName | (string & {}), message = `${name} (from the DynamORM mock)`, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: {}, ...extra });
}

const sameModels = (a: readonly AnyModel[], b: readonly AnyModel[]): boolean => a.length === b.length && a.every((m) => b.includes(m));

const here = fileURLToPath(new URL('.', import.meta.url));

/** Where the test declared the expectation: the first stack frame outside this module's folder. */
export function declaredAt(): string | undefined {
  const frames = (new Error().stack ?? '').split('\n').slice(1);
  const frame = frames.find((f) => !f.includes(here) && !f.includes('node:internal') && /\d+:\d+\)?$/.test(f));
  return frame?.trim().replace(/^at\s+/, '').replace(/^.*\((.*)\)$/, '$1').replace(/^file:\/\//, '');
}

/**
 * One expectation. Every `with…` adds a check; a call meets the expectation when it is of an
 * accepted operation, on the model's table, and passes every check. Public interfaces expose
 * the methods that fit each kind; this class implements them all.
 * @internal
 */
export class Expectation {
  readonly checks: Check[] = [];
  /** The conditions of every withCondition, composed together as the planner composes a query's. */
  readonly clauses: WhereClause[] = [];
  expected = 1;
  used = 0;
  failure: unknown = undefined;
  /** Items to answer with, by table (the table is resolved when the call comes). */
  readonly replies: { model: AnyModel; items: Item[] }[] = [];
  readonly at: string | undefined = declaredAt();

  constructor(
    readonly kind: ExpectationKind,
    /** The model the call must be about; for a collection, the first of `models`. */
    readonly model: AnyModel | undefined,
    private readonly tableOf: (model: AnyModel) => string,
    /** A collection's models (otherwise the model alone). */
    readonly models: readonly AnyModel[] = model === undefined ? [] : [model],
  ) {}

  get table(): string | undefined {
    return this.model === undefined ? undefined : this.tableOf(this.model);
  }

  /** `expectQuery(User).withCondition('id', '=', '123')` */
  describe(): string {
    const subject = this.kind === 'Collection' ? `[${this.models.map((m) => m.name).join(', ')}]` : this.model?.name ?? '';
    return `expect${this.kind}(${subject})${this.checks.map((c) => c.label).join('')}${this.expected === 1 ? '' : `.times(${this.expected})`}`;
  }

  /** Why the call does not meet this expectation (empty: it does). */
  reasons(call: Call): string[] {
    const reasons: string[] = [];
    if (!OPERATIONS[this.kind].includes(call.operation)) reasons.push(`it is a ${call.operation}, not ${OPERATIONS[this.kind].join(' or ')}`);
    if (this.model !== undefined && call.table !== this.table) {
      reasons.push(`it is on table "${call.table}"${call.models.length > 0 ? ` (${call.models.map((m) => m.name).join('/')})` : ''}, not "${this.table}" of ${this.model.name}`);
    } else if (this.model !== undefined && call.subjects.length > 0 && !sameModels(call.subjects, this.models)) {
      // Models of one table (single-table design): the request is about another of them.
      reasons.push(`it is on ${subjectName(call.subjects)}, not ${subjectName(this.models)}`);
    }
    if (reasons.length > 0) return reasons;
    for (const check of this.checks) {
      const why = check.test(call);
      if (why !== undefined) reasons.push(check.label === '' ? why : `${check.label.replace(/^\./, '')}: ${why}`);
    }
    return reasons;
  }

  add(check: Check): this {
    this.checks.push(check);
    return this;
  }

  label(method: string, ...args: readonly unknown[]): string {
    return `.${method}(${args.map((a) => (a instanceof Model ? a.name : show(a))).join(', ')})`;
  }

  times(n: number): this {
    if (!Number.isInteger(n) || n < 0) {
      const message = `${this.describe()}.times(${String(n)}): expected a whole number of calls (0 or more)`;
      throw new ValidationError([{ attribute: '', expected: 'an integer >= 0', received: String(n), message }], { op: 'expect', model: this.model?.name }, message);
    }
    this.expected = n;
    return this;
  }

  /** Items as the model stores them (composed keys, discriminator), so the real read path decodes them. */
  willReturn(items: unknown, model: AnyModel | undefined = this.model): this {
    const list = items === undefined ? [] : Array.isArray(items) ? items : [items];
    this.replies.push({ model: model!, items: list.map((i) => storedPartial(model!, i as Record<string, unknown>, 'willReturn')) });
    return this;
  }

  /** Kept as given: the mock shapes it for the request it meets (see MockDriver.failureOf). */
  willFail(error: unknown): this {
    this.failure = error;
    return this;
  }

  /** Every item given to willReturn for the call's models (or, when the mock cannot tell them, its table), in the order given. */
  itemsFor(call: Pick<Call, 'subjects' | 'table'>): Item[] {
    return this.replies.filter((r) => (call.subjects.length > 0 ? call.subjects.includes(r.model) : this.tableOf(r.model) === call.table)).flatMap((r) => r.items);
  }
}
