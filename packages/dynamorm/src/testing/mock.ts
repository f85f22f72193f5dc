import type { AttributeValue, TableDescription, UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import { storedKey } from '../batch/key-id.js';
import type { Driver, DriverContext, InputOf, Operation, OutputOf } from '../driver/driver.js';
import { ConditionFailedError, OptimisticLockError } from '../errors/errors.js';
import { DynamORM } from '../orm.js';
import type { Logger } from '../query/session.js';
import type { AnyModel } from '../schema/model.js';
import { canonical } from './attribute-values.js';
import { decode, describeCall, keyAttributes, type Call, type Decoder } from './calls.js';
import {
  actionCheck, batchDeleteCheck, batchKeyCheck, batchPutCheck, changesCheck, conditionCheck, createCheck, indexCheck, itemCheck, keyCheck, storedPartial,
} from './checks.js';
import { MockError } from './errors.js';
import { Expectation, sdkError, type ExpectationKind } from './expectation.js';
import { assignedValues } from './expression-atoms.js';
import { CONTROL_OPERATIONS, RequestMatcher, unexpectedRequest, type RequestExpectation } from './request-expectation.js';
import { MockTables, TABLE_OPERATIONS } from './tables.js';
import { tableDefinition } from '../table/definition.js';
import type {
  BatchGetExpectation, BatchWriteExpectation, CollectionExpectation, DeleteExpectation, GetExpectation, MockCancellation, MockCancellationReason,
  PutExpectation, QueryExpectation, ScanExpectation, TransactGetExpectation, TransactionExpectation, UpdateExpectation,
} from './types.js';


type Item = Record<string, AttributeValue>;

export interface MockOptions {
  /** Prefix of table names, as in production (requests name `prefix + table`). */
  readonly tablePrefix?: string;
  /** Models to register up front (others register on first use, as with a real ORM). */
  readonly models?: readonly AnyModel[];
  /** Where the planner's warnings go (default: console.warn). */
  readonly logger?: Logger;
  /** The ORM's replicas (added by createTables and schema plans, on the mock's tables). */
  readonly replicas?: readonly string[];
  /** The ORM's billing mode for the tables it creates (default PROVISIONED, as the ORM's). */
  readonly billingMode?: 'PROVISIONED' | 'PAY_PER_REQUEST';
}

/** One request the mock received, and the expectation it met (undefined: it was unexpected). */
export interface MockCall {
  readonly operation: Operation;
  readonly request: unknown;
  readonly description: string;
  readonly expectation: string | undefined;
}

export interface Mock {
  /** A real DynamORM whose requests never leave the process: the same planner and compiler run. */
  readonly orm: DynamORM;
  /** Every request received so far, in order. */
  readonly calls: readonly MockCall[];
  expectQuery<M extends AnyModel>(model: M): QueryExpectation<M>;
  expectGet<M extends AnyModel>(model: M): GetExpectation<M>;
  expectScan<M extends AnyModel>(model: M): ScanExpectation<M>;
  /** A collection query (`orm.collection([...])`) over exactly these models. */
  expectCollection<const Ms extends readonly [AnyModel, ...AnyModel[]]>(models: Ms): CollectionExpectation<Ms>;
  expectCreate<M extends AnyModel>(model: M): PutExpectation<M>;
  expectPut<M extends AnyModel>(model: M): PutExpectation<M>;
  expectUpdate<M extends AnyModel>(model: M): UpdateExpectation<M>;
  expectDelete<M extends AnyModel>(model: M): DeleteExpectation<M>;
  expectBatchGet<M extends AnyModel>(model: M): BatchGetExpectation<M>;
  expectBatchWrite<M extends AnyModel>(model: M): BatchWriteExpectation<M>;
  expectTransaction(): TransactionExpectation;
  expectTransactGet(): TransactGetExpectation;
  /**
   * A request matched on its exact fields: on-demand backups and restores (which the mock answers
   * only this way), or any other operation. Each field given must equal the request's;
   * `willReturn` gives the SDK's output. One rule: a matching `expectRequest` with calls left
   * answers first; otherwise table requests are answered by the mock's tables (see `table`) and
   * item requests by the model expectations. A restore answered creates its table in the mock's tables.
   * @example mock.expectRequest('CreateBackup', { TableName: 'users', BackupName: 'nightly' }).willReturn({ BackupDetails: { ... } });
   */
  expectRequest<O extends Operation>(operation: O, request?: Partial<InputOf<O>>): RequestExpectation<O>;
  /**
   * A table that exists before the code under test runs: the model's table as the ORM creates it
   * (with every registered model of that table), with these replicas ACTIVE. The mock answers
   * CreateTable, DescribeTable, UpdateTable (indexes, billing and capacity, stream, deletion
   * protection, replicas), DeleteTable, Describe/UpdateTimeToLive and
   * Describe/UpdateContinuousBackups from its tables as DynamoDB does (a new index CREATING, then
   * ACTIVE and readable), each request in `calls`, so createTables, autoMigrate, schema plans and
   * migrations run on the mock; a matching `expectRequest` answers first.
   * @example mock.table(Account, { replicas: ['eu-west-1'] });
   */
  table(model: AnyModel, options?: { readonly replicas?: readonly string[] }): void;
  /** Throws a MockError listing every expectation not met as often as declared, and every unexpected call. */
  verify(): void;
  /** Forgets every expectation and call (models stay registered). */
  reset(): void;
}

/** Which `expect…` fits an operation, for the hint of an unexpected call. */
const HINTS: Partial<Record<Call['operation'], string>> = {
  GetItem: 'expectGet or expectQuery', Query: 'expectQuery', Scan: 'expectScan or expectQuery', PutItem: 'expectCreate or expectPut',
  UpdateItem: 'expectUpdate', DeleteItem: 'expectDelete', BatchGetItem: 'expectBatchGet (or expectGet per key)',
  BatchWriteItem: 'expectBatchWrite', TransactWriteItems: 'expectTransaction', TransactGetItems: 'expectTransactGet',
};

const holdsKey = (item: Item, key: Item): boolean => Object.entries(key).every(([f, v]) => item[f] !== undefined && canonical(item[f]!) === canonical(v));

/** A get's item, carrying the key it was read by (and the attributes a composed key holds), as DynamoDB's does. */
const withKey = (call: Call, item: Item): Item => (call.key === undefined ? item : { ...keyAttributes(call, call.key), ...item, ...call.key });

const isCancellation = (f: unknown): f is MockCancellation => typeof f === 'object' && f !== null && Array.isArray((f as MockCancellation).transactionCanceled);

/** Whether DynamoDB would return the item as it was with a failed condition (the ORM asks for it on every conditional write). */
const returnsOld = (call: Call): boolean => (call.request as { ReturnValuesOnConditionCheckFailure?: string }).ReturnValuesOnConditionCheckFailure === 'ALL_OLD';

/**
 * The stored item a failed condition returns: the attributes given (through the model), with the
 * key the request addresses. Without `given`, the key alone: the item exists, its condition failed.
 */
function itemAsItWas(call: Call, given: Readonly<Record<string, unknown>> | undefined): Item | undefined {
  const model = call.subjects[0];
  if (model === undefined) return call.key;
  const key = call.key ?? (call.item === undefined ? undefined : storedKey(model, call.item));
  const item: Item = { ...(given === undefined ? {} : storedPartial(model, given as Record<string, unknown>, 'willFail')), ...key };
  // A versioned write whose condition failed met another version: the next one, unless given.
  const version = model.versionAttribute;
  const expected = version === undefined ? undefined : call.facts.map((a) => /^(.+) = N:(\d+)$/.exec(a.key)).find((m) => m?.[1] === version.field)?.[2];
  if (version !== undefined && expected !== undefined && item[version.field] === undefined) item[version.field] = { N: String(Number(expected) + 1) };
  return item;
}

/** The expectation mock as a Driver: requests are decoded, matched, and answered in process. */
class MockDriver implements Driver {
  /** willReturn items may be partial: the code under test receives exactly what the test gave. */
  readonly partialItems = true;
  readonly expectations: Expectation[] = [];
  readonly calls: MockCall[] = [];
  readonly unexpected: MockError[] = [];
  readonly requests: RequestMatcher[] = [];
  readonly tables = new MockTables();
  decoder: Decoder = { modelsOf: () => [], tableOf: (m) => m.table };

  async send<O extends Operation>(operation: O, input: InputOf<O>, context?: DriverContext): Promise<OutputOf<O>> {
    const answered = this.answer(operation, input);
    if (answered !== undefined) return answered.output as OutputOf<O>;
    const parts = decode(operation, input, this.decoder, context);
    const record = (expectation: Expectation | undefined): void => {
      this.calls.push({ operation, request: input, description: parts.map(describeCall).join('; '), expectation: expectation?.describe() });
    };
    if (operation === 'BatchGetItem') return this.batchGet(parts, record) as Promise<OutputOf<O>>;
    if (operation === 'BatchWriteItem') {
      const met = parts.map((p) => this.take(p, ['BatchWrite']));
      record(met[0]);
      met.forEach((e, i) => {
        if (e.failure !== undefined) throw this.failureOf(e, parts[i]!);
      });
      return { UnprocessedItems: {}, $metadata: {} } as unknown as OutputOf<O>;
    }
    const call = parts[0]!;
    // A new index is read once DynamoDB has built it (the mock's tables say when).
    const unreadable = call.index === undefined ? undefined : this.tables.unreadableIndex(call.table, call.index);
    if (unreadable !== undefined) {
      record(undefined);
      throw unreadable;
    }
    const kinds: ExpectationKind[] = call.subjects.length > 1
      ? ['Collection', 'Query']
      : ['Query', 'Get', 'Scan', 'Create', 'Put', 'Update', 'Delete', 'Transaction', 'TransactGet', 'Collection'];
    let e: Expectation;
    try {
      // Segments past the first of a parallel scan belong to the call segment 0 counted.
      e = this.take(call, kinds, call.segment !== undefined && call.segment > 0);
    } catch (error) {
      record(undefined);
      throw error;
    }
    record(e);
    if (e.failure !== undefined) throw this.failureOf(e, call);
    return this.reply(e, call) as OutputOf<O>;
  }

  /**
   * The error a matched call rejects with, shaped as DynamoDB's for this request so that the ORM
   * maps it as it maps the real one: a failed condition returns the item as it was (the key, at
   * least: the item exists), a cancelled transaction a reason per action.
   */
  private failureOf(e: Expectation, call: Call): unknown {
    const f = e.failure;
    if (call.operation === 'TransactWriteItems' && (f === 'TransactionCanceledException' || isCancellation(f))) {
      return this.cancellation(call, isCancellation(f) ? f.transactionCanceled : undefined);
    }
    if (typeof f === 'string') {
      return f === 'ConditionalCheckFailedException' && returnsOld(call) ? sdkError(f, undefined, { Item: itemAsItWas(call, undefined) }) : sdkError(f);
    }
    if (f instanceof ConditionFailedError && returnsOld(call)) {
      // The write's condition failed on an existing item: the ORM explains it as that write does.
      const version = call.subjects[0]?.versionAttribute;
      const given = f instanceof OptimisticLockError && f.actualVersion !== undefined && version !== undefined ? { ...f.item, [version.name]: f.actualVersion } : f.item;
      return sdkError('ConditionalCheckFailedException', f.message, { Item: itemAsItWas(call, given), cause: f });
    }
    return f;
  }

  /** A TransactionCanceledException with a reason per action: as given, or a failed condition for each action that has one. */
  private cancellation(call: Call, given: readonly MockCancellationReason[] | undefined): Error {
    const { actions } = call;
    if (given !== undefined && given.length > actions.length) {
      throw new MockError('mock.invalidExpectation', `DynamORM mock: willFail gives ${given.length} cancellation reasons for a transaction of ${actions.length} action(s): give one per action, in order (missing ones are 'None')`, { op: 'transaction' });
    }
    const conditioned = actions.filter((a) => (a.request as { ConditionExpression?: string }).ConditionExpression !== undefined);
    const reasons = actions.map((a, i) => {
      const spec: MockCancellationReason = given !== undefined ? given[i] ?? 'None' : conditioned.length === 0 || conditioned.includes(a) ? 'ConditionalCheckFailed' : 'None';
      const code = typeof spec === 'string' ? spec : spec.code;
      if (code !== 'ConditionalCheckFailed' || !returnsOld(a)) return { Code: code };
      const item = typeof spec === 'string' ? undefined : spec.item;
      return item === null ? { Code: code } : { Code: code, Item: itemAsItWas(a, item) };
    });
    return sdkError('TransactionCanceledException', `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`, { CancellationReasons: reasons });
  }

  private reply(e: Expectation, call: Call): unknown {
    const items = e.itemsFor(call);
    switch (call.operation) {
      // A get's item carries the key it was read by, as DynamoDB's does.
      case 'GetItem': return { Item: items[0] === undefined ? undefined : withKey(call, items[0]), $metadata: {} };
      case 'Query':
      case 'Scan': {
        const page = call.segment !== undefined && call.segment > 0 ? [] : items;
        return call.count ? { Count: page.length, ScannedCount: page.length, $metadata: {} } : { Items: page, Count: page.length, ScannedCount: page.length, $metadata: {} };
      }
      case 'UpdateItem': {
        const r = call.request as UpdateItemCommandInput;
        return { Attributes: items[0] ?? { ...assignedValues(r.UpdateExpression, r.ExpressionAttributeNames, r.ExpressionAttributeValues), ...call.key }, $metadata: {} };
      }
      case 'DeleteItem': return { Attributes: items[0], $metadata: {} };
      case 'TransactGetItems': {
        const responses = call.actions.map((a) => ({ Item: e.itemsFor(a).find((i) => a.key !== undefined && holdsKey(i, a.key)) }));
        return { Responses: responses, $metadata: {} };
      }
      default: return { $metadata: {} };
    }
  }

  /**
   * The one rule for requests without a model expectation: the first `expectRequest` whose fields
   * the request holds, with calls left, answers it; else the mock's tables answer a table request
   * (table, TTL and point-in-time recovery requests); else the model expectations answer an item
   * request (undefined here). A backup request no `expectRequest` matches is unexpected, as is a
   * table request on a table the mock does not hold when `expectRequest`s of its operation were
   * declared and none matched (without any, the table is not found, as on DynamoDB).
   */
  private answer(operation: Operation, input: unknown): { output: unknown } | undefined {
    const matcher = this.requests.find((r) => r.used < r.expected && r.reasons(operation, input).length === 0);
    const table = (input as { TableName?: string }).TableName;
    if (matcher !== undefined) {
      this.calls.push({ operation, request: input, description: `${operation} request`, expectation: matcher.describe() });
      matcher.used++;
      const output = matcher.reply() as { TableDescription?: TableDescription };
      // A restore answered: DynamoDB now creates its table, which the mock's tables describe.
      if (operation === 'RestoreTableFromBackup' || operation === 'RestoreTableToPointInTime') this.tables.restored(input as InputOf<'RestoreTableToPointInTime'>, output.TableDescription);
      return { output };
    }
    const declared = this.requests.some((r) => r.operation === operation);
    if (TABLE_OPERATIONS.has(operation) && (this.tables.holds(table) || !declared)) {
      this.calls.push({ operation, request: input, description: `${operation} ${table}`, expectation: `the mock's table ${table}` });
      return { output: this.tables.answer(operation, input as { TableName?: string }) };
    }
    if (!CONTROL_OPERATIONS.has(operation) && !TABLE_OPERATIONS.has(operation)) return undefined;
    this.calls.push({ operation, request: input, description: `${operation} request`, expectation: undefined });
    const error = unexpectedRequest(operation, input, this.requests);
    this.unexpected.push(error);
    throw error;
  }

  /** Each table part meets an expectBatchGet, or else each of its keys an expectGet (automatic get batching). */
  private async batchGet(parts: Call[], record: (e: Expectation | undefined) => void): Promise<unknown> {
    const responses: Record<string, Item[]> = {};
    let first: Expectation | undefined;
    for (const part of parts) {
      let found: Item[];
      if (this.find(part, ['BatchGet']).expectation !== undefined) {
        const e = this.take(part, ['BatchGet']);
        first ??= e;
        if (e.failure !== undefined) throw this.failureOf(e, part);
        found = e.itemsFor(part).filter((i) => part.keys.some((k) => holdsKey(i, k)));
      } else {
        const singles = part.keys.map((key): Call => ({ ...part, operation: 'GetItem', key, keys: [] }));
        if (singles.length === 0 || singles.some((s) => this.find(s, ['Get']).expectation === undefined)) {
          record(undefined);
          throw this.unexpectedCall(part, ['BatchGet', 'Get']);
        }
        found = [];
        for (const s of singles) {
          const e = this.take(s, ['Get']);
          first ??= e;
          if (e.failure !== undefined) throw this.failureOf(e, s);
          const item = e.itemsFor(s)[0];
          if (item !== undefined) found.push(withKey(s, item));
        }
      }
      responses[part.table] = [...(responses[part.table] ?? []), ...found];
    }
    record(first);
    return { Responses: responses, UnprocessedKeys: {}, $metadata: {} };
  }

  /** The first expectation the call meets that still has calls left (or any, when `free`). */
  private find(call: Call, kinds: readonly ExpectationKind[], free = false): { expectation: Expectation | undefined; exhausted: Expectation | undefined } {
    let exhausted: Expectation | undefined;
    for (const e of this.expectations) {
      if (!kinds.includes(e.kind) || e.reasons(call).length > 0) continue;
      if (free || e.used < e.expected) return { expectation: e, exhausted };
      exhausted ??= e;
    }
    return { expectation: undefined, exhausted };
  }

  /** Finds and counts the expectation the call meets, or throws the error that explains why none does. */
  private take(call: Call, kinds: readonly ExpectationKind[], free = false): Expectation {
    const { expectation } = this.find(call, kinds, free);
    if (expectation === undefined) throw this.unexpectedCall(call, kinds);
    if (!free) expectation.used++;
    return expectation;
  }

  private unexpectedCall(call: Call, kinds: readonly ExpectationKind[]): MockError {
    const { exhausted } = this.find(call, kinds);
    const lines = [`DynamORM mock: unexpected ${describeCall(call)}.`];
    const hint = call.subjects.length > 1 ? 'expectCollection' : HINTS[call.operation];
    if (exhausted !== undefined) {
      lines.push(`It matches ${exhausted.describe()}${at(exhausted)}, but that expected ${exhausted.expected} call(s) and has had them all: raise .times(n) if more calls are right.`);
    } else {
      const closest = this.closest(call);
      if (closest === undefined) lines.push('No expectation is declared.');
      else lines.push(`Closest expectation: ${closest.expectation.describe()}${at(closest.expectation)}`, `It did not match: ${closest.reasons.join('; ')}.`);
      lines.push(`Declare the call with mock.${hint ?? 'expect…'}(…), or fix the code under test.`);
    }
    const error = new MockError('mock.unexpectedCall', lines.join('\n'), { op: call.operation, model: (call.subjects[0] ?? call.models[0])?.name, context: { request: call.request } });
    this.unexpected.push(error);
    return error;
  }

  /** The expectation with the fewest reasons not to match, preferring the call's model and operation. */
  private closest(call: Call): { expectation: Expectation; reasons: string[] } | undefined {
    let best: { expectation: Expectation; reasons: string[]; score: number } | undefined;
    for (const e of this.expectations) {
      const reasons = e.reasons(call);
      // An expectation with calls left beats a used-up one with as many reasons.
      const score = reasons.length + (e.table !== undefined && e.table !== call.table ? 100 : 0) + (reasons[0]?.startsWith('it is a ') === true ? 50 : 0) + (e.used < e.expected ? 0 : 0.5);
      if (best === undefined || score < best.score) best = { expectation: e, reasons, score };
    }
    return best;
  }
}

const at = (e: { readonly at: string | undefined }): string => (e.at === undefined ? '' : ` (declared at ${e.at})`);

/**
 * A DynamORM for unit tests: its driver is the expectation mock, so the real planner and
 * compiler build each request and the mock matches it against what the test declared.
 * @example
 * const mock = createMock();
 * mock.expectQuery(User).withCondition('id', '=', '123').willReturn({ id: '123', name: 'Test' });
 * const user = await mock.orm.model(User).where('id', '=', '123').first();
 * mock.verify();
 */
export function createMock(options: MockOptions = {}): Mock {
  const driver = new MockDriver();
  const orm = new DynamORM({ ...options, driver, autoMigrate: false });
  const tableOf = (m: AnyModel): string => orm.tableName(m);
  driver.decoder = { modelsOf: (table) => orm.models().filter((m) => orm.tableName(m) === table), tableOf };
  const expect = (kind: ExpectationKind, model: AnyModel | undefined, models?: readonly AnyModel[]): Expectation => {
    for (const m of models ?? (model === undefined ? [] : [model])) orm.register(m);
    const e = new Expectation(kind, model, tableOf, models);
    driver.expectations.push(e);
    return e;
  };

  /** One fluent object per expectation, exposing the methods its public interface declares. */
  const modelExpectation = (kind: ExpectationKind, model: AnyModel): Record<string, (...args: never[]) => unknown> => {
    const e = expect(kind, model);
    if (kind === 'Create') e.add(createCheck(model));
    const self: Record<string, (...args: never[]) => unknown> = {
      withCondition: (attribute: string, op: string, ...operand: unknown[]) => (e.add(conditionCheck(model, e.label('withCondition', attribute, op, ...operand), attribute, op, operand, e.clauses)), self),
      withIndex: (name: string) => (e.add(indexCheck(model, e.label('withIndex', name), name)), self),
      withKey: (key: Record<string, unknown>) => (e.add(kind === 'BatchGet' ? batchKeyCheck(model, e.label('withKey', key), key) : keyCheck(model, e.label('withKey', key), key)), self),
      withItem: (item: Record<string, unknown>) => (e.add(itemCheck(model, e.label('withItem', item), item)), self),
      withChanges: (changes: Record<string, unknown>) => (e.add(changesCheck(model, e.label('withChanges', changes), changes)), self),
      withPut: (item: Record<string, unknown>) => (e.add(batchPutCheck(model, e.label('withPut', item), item)), self),
      withDelete: (key: Record<string, unknown>) => (e.add(batchDeleteCheck(model, e.label('withDelete', key), key)), self),
      times: (n: number) => (e.times(n), self),
      willReturn: (items: unknown) => (e.willReturn(items), self),
      willFail: (error: unknown) => (e.willFail(error), self),
    };
    return self;
  };

  const transaction = (): TransactionExpectation => {
    const e = expect('Transaction', undefined);
    const action = (method: string, operation: Call['operation'], model: AnyModel, checks: Parameters<typeof actionCheck>[4], ...args: unknown[]): void => {
      orm.register(model);
      e.add(actionCheck(e.label(method, model, ...args), operation, model, () => tableOf(model), checks));
    };
    const self: TransactionExpectation = {
      withPut: (model, item) => (action('withPut', 'PutItem', model, [itemCheck(model, '', item as Record<string, unknown>)], item), self),
      withUpdate: (model, key, changes) => {
        const checks = [keyCheck(model, '', key as Record<string, unknown>)];
        if (changes !== undefined) checks.push(changesCheck(model, '', changes as Record<string, unknown>));
        action('withUpdate', 'UpdateItem', model, checks, ...(changes === undefined ? [key] : [key, changes]));
        return self;
      },
      withDelete: (model, key) => (action('withDelete', 'DeleteItem', model, [keyCheck(model, '', key as Record<string, unknown>)], key), self),
      withConditionCheck: (model, key) => (action('withConditionCheck', 'ConditionCheck', model, [keyCheck(model, '', key as Record<string, unknown>)], key), self),
      times: (n) => (e.times(n), self),
      willFail: (error) => (e.willFail(error), self),
    };
    return self;
  };

  const transactGet = (): TransactGetExpectation => {
    const e = expect('TransactGet', undefined);
    const self: TransactGetExpectation = {
      withGet: (model, key) => {
        orm.register(model);
        e.add(actionCheck(e.label('withGet', model, key), 'GetItem', model, () => tableOf(model), [keyCheck(model, '', key as Record<string, unknown>)]));
        return self;
      },
      willReturn: (model, items) => (orm.register(model), e.willReturn(items, model), self),
      times: (n) => (e.times(n), self),
      willFail: (error) => (e.willFail(error), self),
    };
    return self;
  };

  /** The first model answers for the collection: the planner composes its partition key from it. */
  const collection = (models: readonly AnyModel[]): CollectionExpectation<readonly AnyModel[]> => {
    const e = expect('Collection', models[0], models);
    const self: CollectionExpectation<readonly AnyModel[]> = {
      withCondition: (attribute, op, ...operand) => (e.add(conditionCheck(models[0]!, e.label('withCondition', attribute, op, ...operand), attribute, op, operand as unknown[], e.clauses)), self),
      withIndex: (name) => (e.add(indexCheck(models[0]!, e.label('withIndex', name), name)), self),
      willReturn: (model, items) => (e.willReturn(items, model), self),
      times: (n) => (e.times(n), self),
      willFail: (error) => (e.willFail(error), self),
    };
    return self;
  };

  const typed = <T>(kind: ExpectationKind) => (model: AnyModel): T => modelExpectation(kind, model) as unknown as T;
  return {
    orm,
    get calls() {
      return driver.calls;
    },
    expectQuery: typed('Query'),
    expectGet: typed('Get'),
    expectScan: typed('Scan'),
    expectCollection: collection,
    expectCreate: typed('Create'),
    expectPut: typed('Put'),
    expectUpdate: typed('Update'),
    expectDelete: typed('Delete'),
    expectBatchGet: typed('BatchGet'),
    expectBatchWrite: typed('BatchWrite'),
    expectTransaction: transaction,
    expectTransactGet: transactGet,
    expectRequest: (operation: Operation, request?: Record<string, unknown>) => {
      const matcher = new RequestMatcher(operation, request);
      driver.requests.push(matcher);
      return matcher.fluent();
    },
    table: (model: AnyModel, tableOptions: { readonly replicas?: readonly string[] } = {}) => {
      orm.register(model);
      const name = tableOf(model);
      // The table as the ORM creates it (its default capacity: 5 RCU and WCU when provisioned).
      const capacity = { billingMode: options.billingMode ?? 'PROVISIONED', readCapacity: 5, writeCapacity: 5 } as const;
      driver.tables.create(tableDefinition(name, orm.models().filter((m) => tableOf(m) === name), capacity), tableOptions.replicas);
    },
    verify() {
      const unmet: { describe(): string; expected: number; used: number; at: string | undefined }[] = [...driver.expectations, ...driver.requests].filter((e) => e.used < e.expected);
      if (unmet.length === 0 && driver.unexpected.length === 0) return;
      const lines: string[] = [];
      if (unmet.length > 0) {
        lines.push(`DynamORM mock: ${unmet.length} expectation(s) not met:`);
        for (const e of unmet) lines.push(`  - ${e.describe()}: expected ${e.expected} call(s), received ${e.used}${at(e)}`);
      }
      if (driver.unexpected.length > 0) {
        lines.push(`DynamORM mock: ${driver.unexpected.length} unexpected call(s):`);
        for (const u of driver.unexpected) lines.push(`  - ${u.message.replace(/^DynamORM mock: unexpected /, '').split('\n').join('\n    ')}`);
      }
      throw new MockError('mock.unmetExpectations', lines.join('\n'), { op: 'verify', context: { unmet: unmet.map((e) => e.describe()), unexpected: driver.unexpected.length } });
    },
    reset() {
      driver.expectations.length = 0;
      driver.calls.length = 0;
      driver.unexpected.length = 0;
      driver.requests.length = 0;
    },
  } as Mock;
}
