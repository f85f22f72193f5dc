import type { GetItemCommandInput, QueryCommandInput, ScanCommandInput } from '@aws-sdk/client-dynamodb';
import { ItemNotFoundError, ValidationError } from '../errors/errors.js';
import { and, type Condition } from '../expression/nodes.js';
import type { Simplify } from '../schema/infer.js';
import type { AnyModel, InferFullItem, InferIndexName, InferInput, InferItem, InferKey } from '../schema/model.js';
import { batchGet, type BatchGetOptions } from '../batch/get.js';
import { prepareBatch, type BatchWriteOptions, type BatchWriteResult } from '../batch/write.js';
import { buildCondition, type ConditionFn } from './condition-builder.js';
import { executeDelete, compileDelete } from './delete.js';
import { compileGet, executeGet } from './get.js';
import { loadLazy, type LazyName, type Loaded } from './load.js';
import { encodeKey } from './keys.js';
import { parseWhere, type OperandFor, type WhereClause } from './operators.js';
import { parseFilter, type FilterParams } from './raw-filter.js';
import { plan, planReasons, type Plan } from './plan.js';
import { compilePut, executePut } from './put.js';
import type { OnInvalid } from './item-reader.js';
import { compileRead, ReadExecution, type Page, type ReadOptions, type ReadRequest } from './read.js';
import { PreparedQuery, type ReadParts } from './prepared.js';
import { accessPattern } from './access-pattern.js';
import { isParam, refuseParam } from './param.js';
import { withIteration, withOperation, type Session } from './session.js';
import type { CancelOptions } from '../ops/signal.js';
import type { DeleteReturnValues, DeleteResult, PutResult, PutReturnValues, UpdateOptions, UpdateResult, UpdateReturnValues, WriteOptions } from './return-values.js';
import { compileUpdate, executeUpdate, splitUpdateArgs, type UpdateArgs } from './update.js';
import type { PreparedWrite, PreparedWriteOf } from './prepared-write.js';
import type { UpdatableName, UpdateChanges, Updater } from './update-builder.js';

import type { AttributeName, CheckedPath, OneOf, PathOperator, QueryPathValue } from './path-types.js';
import { merged } from '../util/merged.js';

interface QueryState {
  readonly where: readonly WhereClause[];
  readonly filters: readonly Condition[];
  readonly index: string | undefined;
  readonly order: { readonly attribute: string; readonly direction: 'asc' | 'desc' } | undefined;
  readonly limit: number | undefined;
  readonly select: readonly string[] | undefined;
  readonly consistent: boolean;
  /** Show items whose TTL has passed (DynamoDB deletes them lazily). */
  readonly includeExpired: boolean;
  /** Stored items that do not fit the model (undefined: the ORM's choice). */
  readonly onInvalid: OnInvalid | undefined;
  /** Stops every operation of this builder when aborted (`.signal()`). */
  readonly signal: AbortSignal | undefined;
}

const EMPTY: QueryState = Object.freeze({ where: [], filters: [], index: undefined, order: undefined, limit: undefined, select: undefined, consistent: false, includeExpired: false, onInvalid: undefined, signal: undefined });

/**
 * A scan's parallelism: `segments` parts of the table, read by `concurrency` workers at a time
 * (default min(segments, 4)); `signal` stops it, `timeoutMs` bounds it (iterate(): each page).
 */
export interface ScanOptions extends CancelOptions {
  readonly segments?: number;
  readonly concurrency?: number;
}

/** What `explain()` shows: the operation, the index, the exact SDK request and why. */
export interface Explanation {
  readonly operation: 'GetItem' | 'Query' | 'Scan';
  readonly index: string | undefined;
  readonly request: GetItemCommandInput | QueryCommandInput | ScanCommandInput;
  readonly reasons: readonly string[];
}

/** The exact SDK requests a write would send, without sending them. */
export interface CompiledWrites<M extends AnyModel> {
  create(item: InferInput<M>): import('@aws-sdk/client-dynamodb').PutItemCommandInput;
  put(item: InferInput<M>): import('@aws-sdk/client-dynamodb').PutItemCommandInput;
  update(key: InferKey<M>, ...args: UpdateArgs<M>): import('@aws-sdk/client-dynamodb').UpdateItemCommandInput;
  delete(key: InferKey<M>): import('@aws-sdk/client-dynamodb').DeleteItemCommandInput;
  get(key: InferKey<M>): GetItemCommandInput;
}

/**
 * The query builder of one model: immutable, every method returns a new builder, so a partly
 * built query can be reused as a base. Attribute names, operators, values and index names are
 * checked by the compiler against the model.
 */
export class Query<M extends AnyModel, R = InferItem<M>> {
  /** @internal */
  readonly session: Session;
  readonly model: M;
  /** @internal */
  readonly state: QueryState;

  constructor(session: Session, model: M, state: QueryState = EMPTY) {
    this.session = session;
    this.model = model;
    this.state = state;
  }

  private with<R2 = R>(change: Partial<QueryState>): Query<M, R2> {
    // Never mutated: every method makes a new state (typed readonly; not frozen, as this runs per call).
    return new Query<M, R2>(this.session, this.model, merged(this.state, change));
  }

  /**
   * A condition: on a key it becomes the key condition, elsewhere a filter. The attribute may be
   * a path into a map, object or list (`'preferences.theme'`, `'history[0]'`).
   * @example .where('age', '>', 18)  // #0 > :0  with { '#0': 'age' }, { ':0': { N: '18' } }
   */
  // V, the value type, is looked up from the name and never inferred from the value (NoInfer): the
  // compiler then sizes the operand without evaluating the model's value types for any name.
  where<K extends string, O extends PathOperator<M, K>, V = QueryPathValue<M, K>>(attribute: CheckedPath<M, K>, op: O, ...operand: OperandFor<NoInfer<V>, O>): Query<M, R>;
  where(attribute: string, op: string, ...operand: readonly unknown[]): Query<M, R> {
    const args = operand as readonly unknown[];
    return this.with({ where: [...this.state.where, parseWhere(this.model, 'where', attribute, op, args[0], args.length)] });
  }

  /**
   * A condition that always filters (never used to choose the key): typed like `where`, or a raw
   * condition in DynamoDB's syntax with model attribute names and `:named` parameters, parsed and
   * checked before any request (attribute names still travel as placeholders).
   * @example .filter('contains(tags, :tag) AND size(tags) > :n', { tag: 'active', n: 1 })
   *   // contains(#0, :0) AND size(#0) > :1  with { '#0': 'tags' }, { ':0': { S: 'active' }, ':1': { N: '1' } }
   */
  filter<K extends string, O extends PathOperator<M, K>, V = QueryPathValue<M, K>>(attribute: CheckedPath<M, K>, op: O, ...operand: OperandFor<NoInfer<V>, O>): Query<M, R>;
  filter(expression: string, params?: FilterParams): Query<M, R>;
  filter(first: string, ...rest: readonly unknown[]): Query<M, R> {
    const node = typeof rest[0] === 'string'
      ? parseWhere(this.model, 'filter', first, rest[0], rest[1], rest.length - 1).node
      : parseFilter(this.model, first, rest[0] as FilterParams | undefined);
    return this.with({ filters: [...this.state.filters, node] });
  }

  /** Query this secondary index (the planner picks one by itself otherwise). */
  index(name: InferIndexName<M>): Query<M, R> {
    refuseParam(name, 'as the index');
    return this.with({ index: name });
  }

  /** Order by the sort key of the chosen index: ascending by default. */
  orderBy(attribute: AttributeName<M>, direction: 'asc' | 'desc' = 'asc'): Query<M, R> {
    refuseParam(attribute, 'as the order');
    refuseParam(direction, 'as the order');
    return this.with({ order: { attribute, direction } });
  }

  /** At most n items, exactly n when there are that many, whatever a filter drops. */
  limit(n: number): Query<M, R> {
    refuseParam(n, 'as the limit');
    if (!Number.isInteger(n) || n < 1) {
      throw new ValidationError([{ attribute: '', expected: 'a positive integer', received: String(n), message: 'limit' }], { op: 'limit', model: this.model.name }, `limit ${this.model.name}: expected a positive integer, received ${String(n)}`);
    }
    return this.with({ limit: n });
  }

  /** Read only these attributes (lazy ones too); the result type narrows to them. */
  select<const K extends readonly AttributeName<M>[]>(...attributes: K): Query<M, Simplify<Pick<InferFullItem<M>, K[number] & keyof InferFullItem<M>>>> {
    for (const a of attributes) {
      refuseParam(a, 'in select()');
      if (typeof a !== 'string' || this.model.attribute(a) === undefined) {
        const names = this.model.codec.entries.map((e) => e.name).join(', ');
        throw new ValidationError([{ attribute: String(a), expected: `an attribute of ${this.model.name} (${names})`, received: `"${String(a)}"`, message: `${this.model.name}.${String(a)}: not an attribute` }], { op: 'select', model: this.model.name }, `select ${this.model.name}: "${String(a)}" is not an attribute (${names}); select reads whole top-level attributes`);
      }
    }
    return this.with({ select: attributes });
  }

  /**
   * What this read does with a stored item that does not fit the model (a required attribute
   * missing, a stored type or enum value it cannot hold), instead of the ORM's `onInvalid`:
   * `'throw'` rejects with a ValidationError naming the key and each issue; `'skip'` leaves the
   * item out (a get resolves undefined) and reports it to the ORM's logger; a callback receives
   * `{ model, op, key, item, issues }` and skips (returns nothing or `'skip'`) or throws (`'throw'`,
   * or its own error). Limits stay exact: skipped items do not count.
   * @example orm.model(Order).where('customerId', '=', id).onInvalid('skip').all()
   */
  onInvalid(policy: OnInvalid<M>): Query<M, R> {
    return this.with({ onInvalid: policy as OnInvalid });
  }

  /** Strongly consistent reads (the table and local indexes only). */
  consistentRead(): Query<M, R> {
    return this.with({ consistent: true });
  }

  /** Address one item by its primary key: `key({ id, createdAt }).update(...)`; an item read may stand for its key (its other attributes are ignored). */
  key(key: InferKey<M>): Query<M, R> {
    const k = key as Record<string, unknown>;
    // A prepared query's parameters are marshalled per call (and checked per clause below).
    if (!Object.values(k).some(isParam)) encodeKey(this.model, k, 'key');
    const clauses = this.model.primaryKeyAttributes.map((a) => parseWhere(this.model, 'key', a.name, '=', k[a.name], 1));
    return this.with({ where: [...this.state.where, ...clauses] });
  }

  /** What a read fetches: the attributes selected, else all but the lazy ones (undefined: the whole item). */
  private get selected(): readonly string[] | undefined {
    return this.state.select ?? this.model.eagerSelect;
  }

  private plan(scan = false, counting = false): Plan {
    const { where, filters, index, order } = this.state;
    return plan({ model: this.model, where, filters, index, order, select: this.selected, scan, counting });
  }

  private compile(p: Plan, select = this.selected): ReadRequest {
    return compileRead(this.model, this.session.tableName(this.model), p, this.readOptions(select));
  }

  private readOptions(select: readonly string[] | undefined): ReadOptions {
    return { limit: this.state.limit, consistent: this.state.consistent, select, includeExpired: this.state.includeExpired, onInvalid: this.state.onInvalid };
  }

  /**
   * @internal A read's plan, exact request and options, not run (`counting`: those of count()).
   * `now` fixes the second of the TTL filter, so that a prepared query finds its value.
   */
  readParts(counting = false, scan = false, now?: Date): ReadParts {
    const select = counting ? undefined : this.selected;
    const p = this.plan(scan, counting);
    if (p.warning !== undefined) this.session.warnings.warn('scanIndexCouldServe', this.model.name, p.warning, p.warning);
    const options: ReadOptions = now === undefined ? this.readOptions(select) : merged(this.readOptions(select), { now });
    const read = compileRead(this.model, this.session.tableName(this.model), p, options);
    // Described only while analytics is on: no cost otherwise.
    if (this.session.analytics === true) return { plan: p, read, options: merged(options, { access: accessPattern(this.model, this.state.where, this.state.filters, select, p, scan) }) };
    return { plan: p, read, options };
  }

  private execution(session: Session, scan = false, counting = false, pageTimeoutMs?: number): ReadExecution<R> {
    const { plan: p, read, options } = this.readParts(counting, scan);
    return new ReadExecution<R>(session, this.model, p, read, pageTimeoutMs === undefined ? options : merged(options, { pageTimeoutMs }));
  }

  /** Runs one operation under this builder's signal and the call's `{ signal, timeoutMs }`. */
  private run<T>(op: string, options: CancelOptions | undefined, operation: (session: Session) => Promise<T>): Promise<T> {
    return withOperation(this.session, op, this.model, [this.state.signal], options, operation);
  }

  /**
   * Stops every operation of this builder when `signal` aborts (a new builder; this one is
   * unchanged): reads, writes, batches and iterations reject with AbortedError, or TimeoutError
   * for `AbortSignal.timeout(ms)`; an aborted batch rejects with BatchWriteError listing exactly
   * the items not written. The signal is passed to the SDK, so a request in flight is cancelled.
   * @example await orm.model(User).signal(AbortSignal.timeout(500)).where('id', '=', id).first();
   */
  signal(signal: AbortSignal): Query<M, R> {
    return this.with({ signal });
  }

  /**
   * A query prepared once and run many times with parameters: `build` runs once, with
   * placeholders for the parameters, and the plan, expression text and placeholders are reused by
   * every call, which only marshals the parameters' values. Parameters may only be the values of
   * conditions: one used as an attribute, operator, index, limit or in the callback's own logic
   * is refused, as the request's shape would depend on it.
   * @example const byName = orm.model(User).prepare((q, p: { name: string; min: number }) => q.where('name', '=', p.name).where('age', '>', p.min));
   * await byName.all({ name: 'Ada', min: 18 });
   */
  prepare<P extends object, R2>(build: (query: Query<M, R>, params: P) => Query<M, R2>): PreparedQuery<P, R2> {
    return new PreparedQuery<P, R2>(this, (params) => build(this, params));
  }

  /** The plan without running it: operation, index, the exact SDK request, and the reasons. */
  explain(): Explanation {
    const p = this.plan();
    // Plain data, so that console.log and JSON.stringify show what it says, reasons included.
    return { operation: p.operation, index: p.path.index, request: this.compile(p).request, reasons: planReasons(p) };
  }

  /** The first matching item; rejects with ItemNotFoundError when there is none. */
  async first(): Promise<R> {
    const [item] = await this.run('first', undefined, (session) => this.limit(1).execution(session).all());
    if (item === undefined) {
      const what = this.state.where.map((w) => `${w.name} ${w.op} ${w.operands.map((o) => JSON.stringify(Object.values(o)[0])).join(', ')}`.trim()).join(' and ');
      throw new ItemNotFoundError(`first ${this.model.name}: no item where ${what || 'anything'}`, { op: 'first', model: this.model.name, context: { conditions: this.state.where.map((w) => ({ attribute: w.name, op: w.op })) } });
    }
    return item;
  }

  // Every method that returns a promise is async, so bad input rejects it instead of throwing
  // synchronously past a `.catch()`.

  /** Every matching item (up to `limit`), across pages. */
  async all(): Promise<R[]> {
    return this.run('all', undefined, (session) => this.execution(session).all());
  }

  /** One page of `limit` items and the cursor of the next page. */
  async page(cursor?: string): Promise<Page<R>> {
    return this.run('page', undefined, (session) => this.execution(session).page(cursor));
  }

  /**
   * Every matching item, page by page, holding one page in memory at a time. With `segments`, a
   * parallel scan read item by item, holding a few pages at a time however large the table.
   */
  async *iterate(options?: ScanOptions): AsyncGenerator<R> {
    yield* withIteration(this.session, this.model, [this.state.signal], options, (session, pageTimeoutMs) => {
      if (options?.segments === undefined) return this.execution(session, false, false, pageTimeoutMs).iterate();
      const { segments, concurrency } = this.scanOptions(options);
      return this.execution(session, true, false, pageTimeoutMs).parallelIterate(segments, concurrency);
    });
  }

  /** How many items match (DynamoDB Select COUNT, across pages). */
  async count(): Promise<number> {
    return this.run('count', undefined, (session) => this.execution(session, false, true).count());
  }

  /**
   * A scan with the conditions as filter. `segments` splits the table for a parallel scan, of
   * which at most `concurrency` segments (default 4) are read at a time.
   */
  async scan(options: ScanOptions = {}): Promise<R[]> {
    const { segments, concurrency } = this.scanOptions(options);
    return this.run('scan', options, (session) => {
      const execution = this.execution(session, true);
      return segments === 1 ? execution.all() : execution.parallel(segments, concurrency);
    });
  }

  private scanOptions(options: ScanOptions): { segments: number; concurrency: number } {
    const segments = options.segments ?? 1;
    const concurrency = options.concurrency ?? Math.min(segments, 4);
    for (const [name, n, max] of [['segments', segments, 1_000_000], ['concurrency', concurrency, 1_000]] as const) {
      if (!Number.isInteger(n) || n < 1 || n > max) {
        throw new ValidationError([{ attribute: '', expected: `an integer from 1 to ${max}`, received: String(n), message: name }], { op: 'scan', model: this.model.name }, `scan ${this.model.name}: ${name} must be an integer from 1 to ${max}, received ${String(n)}`);
      }
    }
    return { segments, concurrency };
  }

  /**
   * The item with this primary key (or the key of this item, whose other attributes are ignored),
   * or undefined. Concurrent gets of one tick are coalesced into
   * BatchGetItem requests (unless the ORM has `batchGets: false`); a get with select() or other
   * conditions is sent on its own.
   */
  async get(key: InferKey<M>, options?: CancelOptions): Promise<R | undefined> {
    return this.run('get', options, (session) => this.getWith(session, key));
  }

  private async getWith(session: Session, key: InferKey<M>): Promise<R | undefined> {
    const { consistent, includeExpired, onInvalid } = this.state;
    const { loader } = session;
    const select = this.selected;
    if (loader !== undefined && this.state.select === undefined) {
      return loader.load(this.model, key as Record<string, unknown>, { consistent, includeExpired, onInvalid, select, signal: session.signal }) as Promise<R | undefined>;
    }
    if (loader === undefined) this.session.warnings.singleGet(this.model);
    const ttl = includeExpired ? undefined : this.model.ttlAttribute;
    if (ttl === undefined || select === undefined) {
      return executeGet<R>(session, this.model, compileGet(this.model, this.session.tableName(this.model), key as Record<string, unknown>, consistent, select), onInvalid, select);
    }
    // A get checks the TTL itself, so it reads the TTL attribute too.
    const withTtl = select.includes(ttl.name) ? select : [...select, ttl.name];
    const item = await executeGet<Record<string, unknown>>(session, this.model, compileGet(this.model, this.session.tableName(this.model), key as Record<string, unknown>, consistent, withTtl), onInvalid, withTtl);
    if (item === undefined || (typeof item[ttl.name] === 'number' && (item[ttl.name] as number) <= Math.floor(Date.now() / 1000))) return undefined;
    if (withTtl !== select) delete item[ttl.name];
    return item as R;
  }

  /**
   * Reads lazy attributes (`.lazy()`) of items already read, each standing for its key: resolves
   * with copies holding them (an array for an array). The keys of a call, and of the loads and
   * gets of the same tick, go out together as BatchGetItem requests whose projection is just
   * these attributes and the keys. Rejects with ItemNotFoundError when an item is gone.
   * @example const full = await orm.model(Post).load(post, 'body'); // full.body: string
   */
  // One signature (not an overload per form), so that a wrong name gets one error, not one per overload.
  async load<I extends InferKey<M> | readonly InferKey<M>[], const K extends string>(items: I, ...attributes: [LazyName<M, K>, ...LazyName<M, K>[]]): Promise<I extends readonly (infer E)[] ? Loaded<M, E, K>[] : Loaded<M, I, K>> {
    const list: readonly object[] = Array.isArray(items) ? items : [items];
    const loaded = await this.run('load', undefined, (session) => loadLazy(session, this.model, list, attributes, { consistent: this.state.consistent, onInvalid: this.state.onInvalid }));
    return (Array.isArray(items) ? loaded : loaded[0]) as I extends readonly (infer E)[] ? Loaded<M, E, K>[] : Loaded<M, I, K>;
  }

  /** Creates an item; rejects with ConditionFailedError when its key exists (or a `.if()` condition fails). */
  async create(item: InferInput<M>, options?: CancelOptions): Promise<InferItem<M>> {
    const write = this.prepareWrite('create', [item]);
    return this.run('create', options, (session) => executePut(session, this.model, write.compiled, 'create'));
  }

  /**
   * Creates or replaces an item (a versioned model replaces only the version that was read).
   * Resolves with the item written, or with `{ returnValues: 'old' }` the item it replaced.
   */
  async put<RV extends PutReturnValues = 'new'>(item: InferInput<M>, options?: WriteOptions<RV>): Promise<PutResult<M, RV>> {
    const write = this.prepareWrite('put', [item]);
    return this.run('put', options, (session) => executePut(session, this.model, write.compiled, 'put', options?.returnValues));
  }

  /**
   * Updates the item the key conditions name: `.update({ name })`, `.update('name', v)` or
   * `.update(u => u.set(...).add(...))`. Other conditions (where, `.if()`) must hold for the write
   * to happen. Resolves with the item after the update, or what `returnValues` asks for.
   * `{ upsert: true }` creates the item when the key is missing (its changes then give every
   * required attribute); without it, an update of a missing key rejects with ItemNotFoundError.
   */
  update<RV extends UpdateReturnValues = 'new'>(changes: UpdateChanges<M> | Updater<M>, options?: UpdateOptions<RV>): Promise<UpdateResult<M, RV>>;
  update<K extends string, RV extends UpdateReturnValues = 'new'>(attribute: OneOf<K, UpdatableName<M>>, value: UpdateChanges<M>[K & UpdatableName<M>], options?: UpdateOptions<RV>): Promise<UpdateResult<M, RV>>;
  async update(...args: unknown[]): Promise<unknown> {
    const [updateArgs, options] = splitUpdateArgs(args);
    const write = this.prepareWrite('update', updateArgs, undefined, options?.upsert === true);
    return this.run('update', options, (session) => executeUpdate(session, this.model, write.compiled, options?.returnValues));
  }

  /** Deletes an item by key, or by the item itself (or the one the key conditions name); resolves with the old item, if any. */
  async delete<RV extends DeleteReturnValues = 'old'>(key?: InferKey<M>, options?: WriteOptions<RV>): Promise<DeleteResult<M, RV>> {
    const write = this.prepareWrite('delete', key === undefined ? [] : [key]);
    return this.run('delete', options, (session) => executeDelete(session, this.model, write.compiled, options?.returnValues)) as Promise<DeleteResult<M, RV>>;
  }

  /**
   * @internal The compiled write, not sent: what the write methods send and transactions enqueue.
   * `args` are the write's arguments: [item], [key] or [] (the key from where), or the update's.
   */
  prepareWrite<K extends PreparedWrite['kind']>(kind: K, args: readonly unknown[], now?: Date, upsert?: boolean): PreparedWriteOf<K>;
  prepareWrite(kind: PreparedWrite['kind'], args: readonly unknown[], now = new Date(), upsert = false): PreparedWrite {
    const table = this.session.tableName(this.model);
    switch (kind) {
      case 'create':
      case 'put':
        return { kind, compiled: compilePut(this.model, table, args[0] as Record<string, unknown>, kind, this.writeCondition(), now) };
      case 'update': {
        // where('version', '=', n) names the version that was read, as update({ ..., version: n }) does.
        const version = this.model.versionAttribute;
        const read = version === undefined ? undefined : this.state.where.find((w) => !w.nested && w.attribute === version && w.op === '=');
        const { key, condition } = this.target('update', read);
        return { kind, compiled: compileUpdate(this.model, table, key, args, condition, now, read === undefined ? undefined : Number(read.operands[0]!.N), upsert) };
      }
      case 'delete': {
        const target = args[0] === undefined ? this.target('delete') : { key: args[0] as Record<string, unknown>, condition: this.writeCondition() };
        return { kind, compiled: compileDelete(this.model, table, target.key, target.condition) };
      }
    }
  }

  /** @internal The key and conditions of a transaction's ConditionCheck (`tx.model(M).key(k).if(...).check()`). */
  prepareCheck(): { key: Record<string, unknown>; condition: Condition } {
    const { key, condition } = this.target('conditionCheck');
    if (condition === undefined) {
      const message = `conditionCheck ${this.model.name}: no condition to check: add .if(c => ...)`;
      throw new ValidationError([{ attribute: '', expected: 'a condition', received: 'none', message }], { op: 'conditionCheck', model: this.model.name }, message);
    }
    return { key, condition };
  }

  /**
   * A condition the write must see hold, typed like filters; combined with the model's own
   * (create-only, version). On a read it filters.
   * @example .if(c => c.and(c.eq('status', 'open'), c.gt('balance', 0)))
   * // ConditionExpression: attribute_exists(#0) AND (#1 = :0 AND #2 > :1)
   */
  if(condition: ConditionFn<M>): Query<M, R> {
    return this.with({ filters: [...this.state.filters, buildCondition(this.model, condition)] });
  }

  /** Show items whose TTL has passed but which DynamoDB has not deleted yet (hidden by default). */
  includeExpired(): Query<M, R> {
    return this.with({ includeExpired: true });
  }

  /**
   * Creates any number of items: chunked, sent with bounded parallelism, unprocessed items
   * retried. Create-only (and versioned) semantics need conditions, which BatchWriteItem cannot
   * carry, so items go in TransactWriteItems chunks of up to 100 with the same conditions as
   * create(); `{ unchecked: true }` writes with BatchWriteItem, overwriting existing items.
   * Rejects with BatchWriteError listing exactly the items not written.
   */
  async batchCreate(items: readonly InferInput<M>[], options?: BatchWriteOptions): Promise<BatchWriteResult> {
    const write = prepareBatch(this.session, this.model, 'create', items as readonly Record<string, unknown>[], this.writeCondition(), options);
    return this.run('batchCreate', options, write);
  }

  /**
   * Puts any number of items. On a model without version (and without `.if()`) a put carries no
   * condition, so BatchWriteItem is used; a versioned model goes through TransactWriteItems chunks
   * with the version checks of put(), unless `{ unchecked: true }`.
   */
  async batchPut(items: readonly InferInput<M>[], options?: BatchWriteOptions): Promise<BatchWriteResult> {
    const write = prepareBatch(this.session, this.model, 'put', items as readonly Record<string, unknown>[], this.writeCondition(), options);
    return this.run('batchPut', options, write);
  }

  /** Deletes any number of items by key (BatchWriteItem: a delete by key carries no condition). */
  async batchDelete(keys: readonly InferKey<M>[], options?: BatchWriteOptions): Promise<BatchWriteResult> {
    const write = prepareBatch(this.session, this.model, 'delete', keys as readonly Record<string, unknown>[], this.writeCondition(), options);
    return this.run('batchDelete', options, write);
  }

  /**
   * Reads any number of items by key (BatchGetItem, 100 keys a request, unprocessed keys retried).
   * Resolves with the items found, in the order of the keys; `{ ordered: true }` keeps a slot per
   * key, undefined where no item was found.
   */
  batchGet(keys: readonly InferKey<M>[], options: BatchGetOptions<M> & { ordered: true }): Promise<(R | undefined)[]>;
  batchGet(keys: readonly InferKey<M>[], options?: BatchGetOptions<M> & { ordered?: false }): Promise<R[]>;
  async batchGet(keys: readonly InferKey<M>[], options: BatchGetOptions<M> = {}): Promise<(R | undefined)[]> {
    return this.run('batchGet', options, (session) => batchGet(session, this.model, keys as readonly Record<string, unknown>[], {
      ...options,
      consistent: options.consistent ?? this.state.consistent,
      includeExpired: this.state.includeExpired,
      select: this.selected,
      onInvalid: (options.onInvalid ?? this.state.onInvalid) as OnInvalid | undefined,
    })) as Promise<(R | undefined)[]>;
  }

  /** The exact requests of writes, compiled without sending (for tests, logs, benchmarks). */
  get compiled(): CompiledWrites<M> {
    const table = this.session.tableName(this.model);
    const model = this.model;
    return {
      create: (item) => compilePut(model, table, item as Record<string, unknown>, 'create', this.writeCondition()).request,
      put: (item) => compilePut(model, table, item as Record<string, unknown>, 'put', this.writeCondition()).request,
      update: (key, ...args) => compileUpdate(model, table, key as Record<string, unknown>, args, this.writeCondition()).request,
      delete: (key) => compileDelete(model, table, key as Record<string, unknown>, this.writeCondition()).request,
      get: (key) => compileGet(model, table, key as Record<string, unknown>, this.state.consistent, this.selected),
    };
  }

  /** Conditions given with where() that a write must see hold. */
  private writeCondition(): Condition | undefined {
    return and([...this.state.where.map((w) => w.node), ...this.state.filters]);
  }

  /** The primary key named by equality conditions, and the other conditions (but `handled`). */
  private target(op: string, handled?: WhereClause): { key: Record<string, unknown>; condition: Condition | undefined } {
    const attributes = this.model.primaryKeyAttributes;
    const keyClauses = attributes.map((k) => this.state.where.find((w) => !w.nested && w.attribute === k && w.op === '='));
    const missing = attributes.filter((_, i) => keyClauses[i] === undefined).map((k) => k.name);
    if (missing.length > 0) {
      const message = `${op} ${this.model.name}: the full primary key is needed: add where('${missing[0]}', '=', …) or use key({ ... })`;
      throw new ValidationError([{ attribute: missing[0]!, expected: 'an equality condition on each key attribute', received: 'none', message }], { op, model: this.model.name }, message);
    }
    const key: Record<string, unknown> = {};
    // The operands were encoded by the attribute's own codec, so they decode.
    for (const clause of keyClauses) if (clause !== undefined) key[clause.attribute.name] = (this.model.decode({ [clause.attribute.field]: clause.operands[0]! }, [clause.attribute]) as Record<string, unknown>)[clause.attribute.name];
    const rest = this.state.where.filter((w) => !keyClauses.includes(w) && w !== handled);
    return { key, condition: and([...rest.map((w) => w.node), ...this.state.filters]) };
  }
}

