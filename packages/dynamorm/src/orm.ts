import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { AwsDriver, endpointOf, isLocalEndpoint } from './driver/aws.js';
import type { Driver } from './driver/driver.js';
import { DynamORMError, ModelDefinitionError, ValidationError } from './errors/errors.js';
import type { EventName, Listener, Middleware } from './observe/events.js';
import { Hooks } from './observe/hooks.js';
import { Metrics, type MetricsSnapshot } from './observe/metrics.js';
import { Analytics, NO_ANALYTICS, type AnalyticsOptions, type QueryAnalytics } from './observe/analytics.js';
import { Pipeline } from './observe/pipeline.js';
import { Telemetry, type TelemetryOptions } from './observe/telemetry.js';
import { Warnings, type WarningsConfig } from './observe/warnings.js';
import { Query } from './query/builder.js';
import { Collection } from './query/collection.js';
import { CursorCodec, type CursorOptions } from './query/cursor.js';
import { withOperation, type Logger, type Session } from './query/session.js';
import type { OnInvalid } from './query/item-reader.js';
import type { AnyModel } from './schema/model.js';
import { ensureTable } from './table/migrate.js';
import { GetLoader } from './batch/loader.js';
import { batchGetMany, type BatchGetManyOptions, type BatchGetRequest, type BatchGetResult } from './batch/get.js';
import { commitTransaction, type TransactionOptions } from './transaction/commit.js';
import { transactGet, type TransactGetOptions, type TransactGetRequest, type TransactGetResult } from './transaction/get.js';
import { Transaction } from './transaction/transaction.js';
import { loadFixture, type Fixture, type FixtureCounts } from './batch/fixtures.js';
import { destructiveRefused, dropTable, truncate } from './table/reset.js';
import { StreamReader, type StreamReaderOptions } from './stream/reader.js';
import { StreamReaderError } from './stream/errors.js';
import { SchemaManager } from './table/schema-manager.js';
import { Backups } from './backup/backups.js';
import type { Capacity } from './table/definition.js';
import type { Writable } from 'node:stream';
import { exportTable, type ExportOptions, type ExportResult, type TransferTarget } from './transfer/export-table.js';
import { tableTarget } from './transfer/table-target.js';
import { importTable, type ImportOptions, type ImportResult } from './transfer/import-table.js';
import { migrate, migrationStatus, type MigrateOptions, type MigrateResult, type MigrationStatus, type MigratorHost } from './migration/migrator.js';
import { ReadCache, type CacheStats } from './cache/read-cache.js';
import { MemoryStore } from './cache/memory-store.js';
import type { CacheStore } from './cache/store.js';
import { RetryBudgetError } from './ops/errors.js';
import { RetryPolicy, type RetryConfig } from './ops/policy.js';
import { PolicyRetryStrategy, refusedByBudget } from './ops/sdk-strategy.js';
import { checkTimeout } from './ops/signal.js';

/**
 * The error of a request that failed: the operation's own TimeoutError / AbortedError when its
 * signal aborted it, RetryBudgetError when the SDK stopped retrying because the budget was spent.
 */
function stopped(error: unknown, op: string, model: AnyModel | undefined, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted === true) return signal.reason;
  const cause = error instanceof DynamORMError ? error.cause : error;
  if (!refusedByBudget(cause)) return error;
  const subject = model === undefined ? op : `${op} ${model.name}`;
  return new RetryBudgetError(`${subject}: not retried, the retry budget is spent (many requests failed lately: DynamoDB is throttling or failing); nothing more was sent for it, try again later`, { op, model: model?.name, cause });
}

/** The read cache (`new DynamORM({ cache })`): see docs/read-heavy.md. */
export interface CacheOptions {
  /** How long an entry lives, at most: the staleness allowed for writes of other processes. */
  readonly ttlMs: number;
  /** The most entries the default in-memory store holds (least recently used evicted; default 10,000). */
  readonly maxItems?: number | undefined;
  /** Where entries live: in memory by default, or shared (`new RedisStore(...)`). */
  readonly store?: CacheStore | undefined;
  /** Cache only these models' items (default: every model's). */
  readonly models?: readonly AnyModel[] | undefined;
}
import { refuseBesideRegions, regionDriver, type RegionsConfig } from './region/regions.js';
import type { RegionDriver, RegionHealth } from './region/region-driver.js';

/** Every option may be left out or given as undefined (`endpoint: process.env.DYNAMODB_ENDPOINT`). */
export interface DynamORMConfig<Known extends AnyModel = AnyModel> {
  readonly region?: string | undefined;
  /** e.g. http://localhost:8000 for DynamoDB Local. */
  readonly endpoint?: string | undefined;
  /**
   * Retries of throttled and transient failures (default 3): of each request (throttling, 5xx,
   * dropped connections), of a transaction's conflicts, and for batches the rounds in a row
   * without progress before giving up (a batch retries as long as each round writes something).
   */
  readonly maxRetries?: number | undefined;
  /** The backoff between retries (exponential, full jitter) and the retry budget shared by all operations. */
  readonly retry?: RetryConfig | undefined;
  /**
   * Stops any operation running longer than this (ms) with a TimeoutError; each operation may
   * set its own (`{ timeoutMs }`) or take a signal (`.signal(signal)`, `{ signal }`). Default: none.
   */
  readonly timeoutMs?: number | undefined;
  readonly credentials?: DynamoDBClientConfig['credentials'] | undefined;
  readonly defaultRCU?: number | undefined;
  readonly defaultWCU?: number | undefined;
  /** Billing of tables created by autoMigrate: PROVISIONED (with defaultRCU/WCU) or PAY_PER_REQUEST. */
  readonly billingMode?: 'PROVISIONED' | 'PAY_PER_REQUEST' | undefined;
  /** Create missing tables and their indexes on first use. */
  readonly autoMigrate?: boolean | undefined;
  /** Count requests, errors, throttles, retries, latency, capacity and items per model and operation (see `orm.metrics()`). */
  readonly enableMetrics?: boolean | undefined;
  /**
   * Group traffic by access pattern (model, operation, index, the shape of the conditions) with
   * counts, latency, capacity, items read and returned, cost shares and advice: `orm.analytics()`.
   * At most `maxPatterns` patterns are kept (default 100). Off by default.
   * @example new DynamORM({ analytics: { maxPatterns: 50 } })
   */
  readonly analytics?: AnalyticsOptions | boolean | undefined;
  /**
   * An existing client; region, endpoint and credentials are then ignored, and so is the retry
   * policy for single requests: the client keeps its own retry strategy (batches, transactions
   * and the budget still follow `maxRetries` and `retry`).
   */
  readonly client?: DynamoDBClient | undefined;
  /** Prefix of every table name, to isolate environments or test runs. */
  readonly tablePrefix?: string | undefined;
  /**
   * Models to register up front (others register on first use). Their types are the ORM's own
   * (`DynamORM<typeof User | typeof Order>`), which is how `streamHandler` types its handlers.
   */
  readonly models?: readonly Known[] | undefined;
  /** Where best-practice warnings and skipped items go (default: console.warn). */
  readonly logger?: Logger | undefined;
  /**
   * Best-practice warnings, each with a stable code, at most once a minute per subject, to the
   * logger and `orm.on('warning')`: turn each on or off, or `false` to silence all.
   * @example new DynamORM({ warnings: { hotPartition: true, filterDiscardsMost: { ratio: 0.8 }, scanIndexCouldServe: false } })
   */
  readonly warnings?: WarningsConfig | false | undefined;
  /**
   * OpenTelemetry (install `@opentelemetry/api`): a span per operation with a child per request, following the database
   * conventions, and metrics. `true`: the global tracer and meter; or give them.
   * @example new DynamORM({ telemetry: { tracer: trace.getTracer('api'), meter: metrics.getMeter('api') } })
   */
  readonly telemetry?: TelemetryOptions | boolean | undefined;
  /**
   * What reads do with a stored item that does not fit its model (a required attribute missing, a
   * stored type or enum value it cannot hold): `'throw'` (default), `'skip'` (left out, reported
   * to the logger) or a callback; each read may choose otherwise (`.onInvalid(...)`).
   */
  readonly onInvalid?: OnInvalid | undefined;
  /**
   * Coalesce the gets issued in one tick into BatchGetItem requests (default true): 1,000
   * concurrent gets become 10 requests. Each caller still receives its own item.
   */
  readonly batchGets?: boolean | undefined;
  /**
   * Let `truncate`, `resetTables` and `dropTables` delete data on an endpoint that is not local
   * (default false: they run only on DynamoDB Local, the mock and ORMs of dynamorm/testing, and
   * are refused before any request elsewhere, so a production ORM is never one call away from
   * emptying its tables).
   */
  readonly allowDestructive?: boolean | undefined;
  /**
   * Seal page cursors so that an API can hand them to clients: signed with HMAC-SHA256 under
   * `secret` (cursors altered, signed with another secret, or unsigned are then refused), and
   * encrypted with AES-256-GCM with `encrypt: true`. Without it cursors are readable JSON with
   * a checksum.
   * @example new DynamORM({ cursors: { secret: process.env.CURSOR_SECRET!, encrypt: true } })
   */
  readonly cursors?: CursorOptions | undefined;
  /** Name of the migration history table (default `dynamorm_migrations`, prefixed by tablePrefix). */
  readonly migrationsTable?: string | undefined;
  /**
   * Serve reads by key (get, batchGet, a key's first()) from a cache, invalidated by every write
   * of this process to the key; a consistent read always goes to DynamoDB. Writes of other
   * processes show after `ttlMs` at the latest.
   * @example new DynamORM({ cache: { ttlMs: 30_000, maxItems: 10_000 } })
   */
  readonly cache?: CacheOptions | undefined;
  /**
   * Several regions of a global table (instead of `region`, `endpoint` and `client`, which are
   * refused beside it, as is a driver: each region has a client of its own): writes go to the primary,
   * eventually consistent reads to the nearest healthy region, with failover. `orm.regions()`
   * tells each region's health.
   * @example new DynamORM({ regions: { primary: 'us-east-1', replicas: ['eu-west-1'] } })
   */
  readonly regions?: RegionsConfig | undefined;
  /**
   * Global tables: the regions autoMigrate and `createTables()` replicate each table to
   * (UpdateTable ReplicaUpdates, version 2019.11.21), one at a time, waiting until each is ACTIVE.
   * Replicas are added, never removed. DynamoDB Local has no replicas: leave this out there.
   * @example new DynamORM({ region: 'us-east-1', replicas: ['eu-west-1'], autoMigrate: true })
   */
  readonly replicas?: readonly string[] | undefined;
  /** @internal another driver (the mock of dynamorm/testing). */
  readonly driver?: Driver;
}

const isLocal = (endpoint: string | undefined): boolean => endpoint !== undefined && isLocalEndpoint(endpoint);

function readCache(options: CacheOptions, models: () => readonly AnyModel[], tableName: (m: AnyModel) => string): ReadCache {
  const { ttlMs, maxItems = 10_000 } = options;
  for (const [name, n] of [['ttlMs', ttlMs], ['maxItems', maxItems]] as const) {
    if (!Number.isInteger(n) || n < 1) throw new ValidationError([{ attribute: name, expected: 'a positive integer', received: String(n), message: `cache.${name}` }], { op: 'config' }, `new DynamORM: cache.${name} must be a positive integer, received ${String(n)}`);
  }
  return new ReadCache(options.store ?? new MemoryStore(maxItems), ttlMs, models, tableName, options.models === undefined ? undefined : new Set(options.models));
}

/** The entry point: holds the client, the model registry and the tables it has checked. */
export class DynamORM<Known extends AnyModel = AnyModel> {
  /** The models given in `models`, as a type only. */
  declare readonly '~models': Known;
  readonly client: DynamoDBClient | undefined;
  private readonly driver: Driver;
  private readonly config: DynamORMConfig<Known>;
  private readonly registry = new Map<string, AnyModel>();
  private readonly tables = new Map<string, Promise<unknown>>();
  private readonly readyTables = new Set<string>();
  private readonly hooks: Hooks;
  private readonly regionDriver: RegionDriver | undefined;
  private readonly pipeline: Pipeline;
  private readonly counters: Metrics | undefined;
  private readonly patterns: Analytics | undefined;
  private readonly warnings: Warnings;
  private readonly cache: ReadCache | undefined;
  /** @internal */
  readonly session: Session;
  /**
   * The live tables against the models: `plan()` lists the steps from one to the other (each
   * safe or destructive), `apply(plan)` runs them, `check()` reports each model's differences,
   * `fingerprint()` hashes what the models declare.
   */
  readonly schema: SchemaManager;
  /**
   * On-demand backups (create, list, describe, delete, restore into a new table) and point-in-time
   * recovery (its state, on or off, restore to a time) of the models' tables or of tables by name.
   * AWS only: on DynamoDB Local they reject with UnsupportedOperationError.
   */
  readonly backups: Backups;

  constructor(config: DynamORMConfig<Known> = {}) {
    this.config = config;
    this.regionDriver = undefined;
    const logger: Logger = config.logger ?? { warn: (message, details) => (details === undefined ? console.warn(message) : console.warn(message, details)) };
    checkTimeout(config.timeoutMs, 'config', undefined);
    const retry = RetryPolicy.of(config.maxRetries, config.retry);
    if (config.driver !== undefined) {
      if (config.regions !== undefined) refuseBesideRegions(config);
      this.client = undefined;
      this.driver = config.driver;
    } else {
      const client = (region: string | undefined, endpoint: string | undefined): DynamoDBClient => new DynamoDBClient({
        ...(region !== undefined ? { region } : isLocal(endpoint) ? { region: 'local' } : {}),
        ...(endpoint !== undefined ? { endpoint } : {}),
        // DynamoDB Local accepts any credentials; spare local development the AWS setup.
        ...(config.credentials !== undefined ? { credentials: config.credentials } : isLocal(endpoint) ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
        maxAttempts: retry.maxRetries + 1,
        retryStrategy: new PolicyRetryStrategy(retry),
      });
      if (config.regions !== undefined) {
        refuseBesideRegions(config);
        this.regionDriver = regionDriver(config.regions, client);
        this.client = this.regionDriver.primary;
        this.driver = this.regionDriver;
      } else {
        this.client = config.client ?? client(config.region, config.endpoint);
        this.driver = new AwsDriver(this.client);
      }
    }
    for (const m of config.models ?? []) this.register(m);
    this.hooks = new Hooks(logger);
    this.pipeline = new Pipeline(this.driver, this.hooks);
    this.counters = config.enableMetrics === true ? new Metrics() : undefined;
    if (this.counters !== undefined) this.pipeline.addSink(this.counters, true);
    this.patterns = config.analytics === undefined || config.analytics === false ? undefined : new Analytics(config.analytics === true ? {} : config.analytics, (name) => this.registry.get(name));
    if (this.patterns !== undefined) this.pipeline.addSink(this.patterns, true);
    this.warnings = new Warnings(config.warnings ?? {}, logger, this.hooks, (name) => this.registry.get(name));
    if (this.warnings.perRequest) this.pipeline.addSink(this.warnings, false);
    this.cache = config.cache === undefined ? undefined : readCache(config.cache, () => this.models(), (m) => this.tableName(m));
    for (const m of config.cache?.models ?? []) this.register(m);
    const telemetry = config.telemetry === undefined || config.telemetry === false ? undefined : new Telemetry(config.telemetry === true ? {} : config.telemetry);
    if (telemetry !== undefined) this.pipeline.addSink(telemetry, true);
    const session: Session = {
      logger,
      warnings: this.warnings,
      onInvalid: config.onInvalid ?? 'throw',
      driver: this.driver,
      tableName: (model) => this.tableName(model),
      send: async (operation, input, op, model, options) => {
        if (this.config.autoMigrate === true && model !== undefined && !this.readyTables.has(this.tableName(model))) await this.ensure(model);
        try {
          if (this.cache === undefined) return await this.pipeline.send(operation, input, op, model, options);
          return await this.cache.send(operation, input, (i) => this.pipeline.send(operation, i, op, model, options));
        } catch (error) {
          throw stopped(error, op, model, options?.signal);
        }
      },
      retry,
      analytics: this.patterns !== undefined,
      tracing: telemetry,
      timeoutMs: config.timeoutMs,
      ready: async (model) => {
        this.register(model);
        if (this.config.autoMigrate === true && !this.readyTables.has(this.tableName(model))) await this.ensure(model);
      },
      ...(config.cursors === undefined ? {} : { cursors: new CursorCodec(config.cursors) }),
    };
    this.session = config.batchGets === false ? session : { ...session, loader: new GetLoader(session) };
    this.schema = new SchemaManager({
      driver: this.observed('schema'),
      capacity: this.capacity(),
      billingMode: config.billingMode,
      tables: (models) => this.tablesOf(models),
    });
    this.backups = new Backups({
      session: this.session,
      tableOf: (target) => (typeof target === 'string' ? (config.tablePrefix ?? '') + target : (this.register(target), this.tableName(target))),
    });
  }

  /** Registered models grouped by table (these models registered first; default: all). */
  private tablesOf(models?: readonly AnyModel[]): Map<string, AnyModel[]> {
    if (models !== undefined) this.register(...models);
    const wanted = models === undefined ? undefined : new Set(models.map((m) => this.tableName(m)));
    const tables = new Map<string, AnyModel[]>();
    for (const m of this.registry.values()) {
      const table = this.tableName(m);
      if (wanted !== undefined && !wanted.has(table)) continue;
      tables.set(table, [...(tables.get(table) ?? []), m]);
    }
    return tables;
  }

  private capacity(): Capacity {
    return { billingMode: this.config.billingMode ?? 'PROVISIONED', readCapacity: this.config.defaultRCU ?? 5, writeCapacity: this.config.defaultWCU ?? 5 };
  }

  /** A driver whose requests go through the pipeline: hooks, metrics, analytics and telemetry see the schema's and migrations' requests. */
  private observed(op: string): Driver {
    return { send: (command, input, context) => this.pipeline.send(command, input, context?.op ?? op, context?.model, { signal: context?.signal }) };
  }

  private migrator(): MigratorHost {
    return {
      session: this.session,
      driver: this.observed('migrate'),
      capacity: this.capacity(),
      historyTable: (this.config.tablePrefix ?? '') + (this.config.migrationsTable ?? 'dynamorm_migrations'),
      modelsOf: (model) => {
        this.register(model);
        return this.tablesOf().get(this.tableName(model))!;
      },
      tableNamed: (table) => (this.config.tablePrefix ?? '') + table,
      fingerprint: () => this.schema.fingerprint(),
    };
  }

  /**
   * Applies the migrations not yet applied (or rolls back to `to`), once, under a lease lock
   * that other processes migrating the same tables wait for. Each run of `up` or `down` is recorded
   * in the history table with its checksum, time, duration and outcome; an applied migration
   * changed since is refused. Resolves with the versions applied and reverted.
   * @example await orm.migrate({ migrations: [m1, m2] });
   */
  migrate(options: MigrateOptions): Promise<MigrateResult> {
    return migrate(this.migrator(), options);
  }

  /**
   * Writes every item of a model, or of a table without a model (its name, prefixed as the ORM
   * prefixes), to `file` (or a stream such as stdout), one line of DynamoDB JSON (`{"Item":{...}}`)
   * per item: a parallel scan, streamed, the lines sorted by primary key so that the same items
   * always give the same file. `onProgress` reports items, estimated total and rate.
   * @example await orm.exportTable(User, 'users.jsonl', { onProgress: (p) => console.log(p.items) });
   */
  async exportTable(target: AnyModel | string, file: string | Writable, options?: ExportOptions): Promise<ExportResult> {
    return exportTable(this.session, await this.transferTarget(target, 'exportTable'), file, options);
  }

  /**
   * Writes the items of a JSON Lines file of DynamoDB JSON (an export) to the model's table, or to
   * a table without a model (each line must hold its key): every line checked first (a bad line is
   * reported with its number before anything is written), then batch writes with unprocessed items
   * retried. After an interruption, `fromLine` resumes after the last line reported.
   */
  async importTable(target: AnyModel | string, file: string, options?: ImportOptions): Promise<ImportResult> {
    return importTable(this.session, await this.transferTarget(target, 'importTable'), file, options);
  }

  private async transferTarget(target: AnyModel | string, op: string): Promise<TransferTarget> {
    if (typeof target === 'string') return tableTarget(this.session, target, (this.config.tablePrefix ?? '') + target, op);
    this.register(target);
    return { table: this.tableName(target), model: target };
  }

  /** Each migration's state (applied, pending, failed, changed since applied...), and whether the models' fingerprint is the one recorded. */
  migrationStatus(options: Pick<MigrateOptions, 'migrations'>): Promise<MigrationStatus> {
    return migrationStatus(this.migrator(), options);
  }

  /**
   * Registers models so they can be found by name; a second, different model of one name is
   * refused, and so are two models of one table with the same entity discriminator or with TTL
   * attributes stored under different names (a table has one TTL attribute). Register the
   * models sharing a table before its first use (or pass them as `models`): autoMigrate creates a
   * table once, from every model registered for it.
   */
  register(...models: AnyModel[]): this {
    for (const m of models) {
      const known = this.registry.get(m.name);
      if (known !== undefined && known !== m) throw new ModelDefinitionError(m.name, undefined, 'another model of this name is already registered with this ORM');
      if (known === undefined && m.entity !== undefined) {
        for (const other of this.registry.values()) {
          if (other.entity === m.entity && this.tableName(other) === this.tableName(m)) {
            throw new ModelDefinitionError(m.name, undefined, `entity "${m.entity}" is already used by ${other.name} in table ${this.tableName(m)}: give each model of a shared table its own entity`);
          }
        }
      }
      if (known === undefined) this.refuseSecondTtl(m);
      this.registry.set(m.name, m);
    }
    return this;
  }

  /** DynamoDB keeps one TTL attribute per table: another model's would be enabled, and this one's expired items never deleted. */
  private refuseSecondTtl(m: AnyModel): void {
    const ttl = m.ttlAttribute;
    if (ttl === undefined) return;
    for (const other of this.registry.values()) {
      const theirs = other.ttlAttribute;
      if (theirs !== undefined && theirs.field !== ttl.field && this.tableName(other) === this.tableName(m)) {
        throw new ModelDefinitionError(m.name, ttl.name, `table ${this.tableName(m)} has one TTL attribute, and ${other.name} already keeps it in ${theirs.field} (attribute ${theirs.name}), so DynamoDB would never delete the expired items of ${m.name}: store every TTL of the table under one name (t.ttl().field('${theirs.field}'))`);
      }
    }
  }

  /** A registered model by name. */
  getModel(name: string): AnyModel | undefined {
    return this.registry.get(name);
  }

  /** Every registered model (given in `models`, registered, or used so far). */
  models(): AnyModel[] {
    return [...this.registry.values()];
  }

  /** The query builder and writes of a model. */
  model<M extends AnyModel>(model: M): Query<M> {
    if (this.registry.get(model.name) !== model) this.register(model);
    return new Query(this.session, model);
  }

  /**
   * A query over one partition shared by several single-table models, each item decoded by its
   * own model: `orm.collection([User, Order]).where('userId', '=', 'u1').all()` resolves with
   * `({ entity: 'User', item: User } | { entity: 'Order', item: Order })[]`.
   */
  collection<const Ms extends readonly [AnyModel, ...AnyModel[]]>(models: Ms): Collection<Ms> {
    for (const m of models) if (this.registry.get(m.name) !== m) this.register(m);
    return new Collection(this.session, models);
  }

  /**
   * Runs `fn`, whose `tx` enqueues writes, then sends them as one TransactWriteItems: all or
   * nothing. Resolves with what `fn` returned; rejects with TransactionCanceledError listing
   * the reason of each action, or a ValidationError (over 100 actions or 4 MB, two actions on one
   * item) before anything is sent. Conflicts are retried with the same ClientRequestToken.
   * @example
   * await orm.transaction(async (tx) => {
   *   tx.create(User, { id: '123', name: 'John' });
   *   tx.model(Account).where('userId', '=', '123').update('balance', 100);
   *   tx.conditionCheck(Account, { userId: '999' }, (c) => c.attributeExists('userId'));
   * });
   */
  async transaction<T>(fn: (tx: Transaction) => T | Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const tx = new Transaction({ session: this.session, query: (m) => this.model(m), now: options.now ?? new Date() });
    const result = await fn(tx);
    await withOperation(this.session, 'transaction', tx.actions.length === 1 ? tx.actions[0]!.model : undefined, [], options, (session) => commitTransaction(session, tx.actions, options));
    return result;
  }

  /**
   * Reads up to 100 items of any models as one snapshot (TransactGetItems); one result per
   * request, typed by its model, undefined where no item was found.
   * @example const [user, account] = await orm.transactGet([{ model: User, key: { id, createdAt } }, { model: Account, key: { userId } }]);
   */
  async transactGet<const T extends readonly AnyModel[]>(
    requests: readonly [...{ [I in keyof T]: TransactGetRequest<T[I]> }],
    options?: TransactGetOptions,
  ): Promise<TransactGetResult<T>> {
    return (await withOperation(this.session, 'transactGet', undefined, [], options, (session) => transactGet(session, requests as readonly TransactGetRequest[], options))) as TransactGetResult<T>;
  }

  /**
   * Reads keys of several models together: one BatchGetItem takes keys of many tables (100 keys a
   * request, unprocessed keys retried with backoff). Resolves with one list per request, typed by
   * its model: the items found, in the order of the keys (`{ ordered: true }`: a slot per key,
   * undefined where no item was found). Rejects with BatchGetError when keys remain unread.
   * @example const [users, accounts] = await orm.batchGet([{ model: User, keys: userKeys }, { model: Account, keys: [{ userId }] }]);
   */
  batchGet<const T extends readonly AnyModel[]>(requests: readonly [...{ [I in keyof T]: BatchGetRequest<T[I]> }], options: BatchGetManyOptions & { readonly ordered: true }): Promise<BatchGetResult<T, true>>;
  batchGet<const T extends readonly AnyModel[]>(requests: readonly [...{ [I in keyof T]: BatchGetRequest<T[I]> }], options?: BatchGetManyOptions & { readonly ordered?: false }): Promise<BatchGetResult<T>>;
  async batchGet(requests: readonly BatchGetRequest[], options: BatchGetManyOptions = {}): Promise<unknown[][]> {
    for (const r of requests) if (this.registry.get(r.model.name) !== r.model) this.register(r.model);
    const groups = requests.map((r) => ({ model: r.model, keys: r.keys as readonly Record<string, unknown>[], select: r.model.eagerSelect }));
    return withOperation(this.session, 'batchGet', undefined, [], options, (session) => batchGetMany(session, groups, { ...options, includeExpired: options.includeExpired === true }));
  }

  /**
   * A reader of a table's DynamoDB stream, for long-running processes and local development: the
   * changes of these models (or of every registered model of the table), decoded by their models.
   * At least once, in order per key; positions kept in `checkpoints` (a table by default). Needs
   * `@aws-sdk/client-dynamodb-streams`.
   * @example
   * const reader = orm.stream(User, { from: 'TRIM_HORIZON' }).on('insert', ({ newItem }) => welcome(newItem));
   * await reader.start(); // ... await reader.stop();
   */
  stream<S extends AnyModel>(models: S | readonly S[], options?: StreamReaderOptions): StreamReader<S>;
  stream(table: string, options?: StreamReaderOptions): StreamReader<Known>;
  stream(target: AnyModel | readonly AnyModel[] | string, options: StreamReaderOptions = {}): StreamReader<AnyModel> {
    const table = typeof target === 'string' ? (this.config.tablePrefix ?? '') + target : undefined;
    const models = table !== undefined ? this.models().filter((m) => this.tableName(m) === table) : Array.isArray(target) ? target : [target as AnyModel];
    this.register(...models);
    const tables = [...new Set(models.map((m) => this.tableName(m)))];
    if (tables.length !== 1) {
      throw new StreamReaderError('stream.readFailed', tables.length === 0 ? `orm.stream('${String(target)}'): no registered model is stored in table ${table}: register its models first` : `orm.stream: the models are stored in several tables (${tables.join(', ')}); a reader reads one table's stream`, { table });
    }
    return new StreamReader(this, tables[0]!, models, options);
  }

  /**
   * Each region's health and traffic (with `regions`; empty otherwise): whether it is down, how
   * many requests it served, failed and took over from another region, and its mean latency.
   */
  regions(): RegionHealth[] {
    return this.regionDriver?.health() ?? [];
  }

  tableName(model: AnyModel): string {
    return (this.config.tablePrefix ?? '') + model.table;
  }

  /** Creates every registered model's missing table (what autoMigrate does on first use). */
  async createTables(...models: AnyModel[]): Promise<void> {
    this.register(...models);
    await Promise.all([...this.registry.values()].map((m) => this.ensure(m)));
  }

  /**
   * Writes test data: `{ User: [...], Account: [...] }`, keyed by registered model names. Every
   * item is validated through its model before anything is written, then written in batches.
   * Resolves with the count written per model.
   */
  loadFixture(fixture: Fixture): Promise<FixtureCounts> {
    return loadFixture(this.session, (name) => this.registry.get(name), () => [...this.registry.keys()], fixture);
  }

  /**
   * Deletes every item of these models' tables (a table shared by several models is emptied of all).
   * Only where tests run (see `allowDestructive`); elsewhere it rejects before any request.
   */
  async truncate(...models: AnyModel[]): Promise<void> {
    await this.checkDestructive('truncate');
    this.register(...models);
    await Promise.all(this.byTable(models).map((m) => truncate(this.session, m)));
  }

  /** Deletes every item of every registered model's table, keeping the tables (where tests run, as truncate). */
  async resetTables(): Promise<void> {
    await this.checkDestructive('resetTables');
    await this.truncate(...this.registry.values());
  }

  /**
   * Deletes these models' tables (default: every registered model's). With autoMigrate the next
   * use creates them again; `createTables()` does it at once. Only where tests run (as truncate).
   */
  async dropTables(...models: AnyModel[]): Promise<void> {
    await this.checkDestructive('dropTables');
    this.register(...models);
    await Promise.all(this.byTable(models.length === 0 ? [...this.registry.values()] : models).map(async (m) => {
      const table = this.tableName(m);
      await this.tables.get(table)?.catch(() => undefined); // let a creation in flight finish first
      await dropTable(this.driver, table, m);
      this.tables.delete(table);
      this.readyTables.delete(table);
    }));
  }

  /** Rejects a call that deletes data unless it runs where tests run: the mock, DynamoDB Local, or with allowDestructive. */
  private async checkDestructive(op: string): Promise<void> {
    if (this.config.allowDestructive === true || this.client === undefined) return;
    const endpoint = await endpointOf(this.client);
    if (endpoint === undefined || !isLocalEndpoint(endpoint)) throw destructiveRefused(op, endpoint);
  }

  /** One model per distinct table. */
  private byTable(models: readonly AnyModel[]): AnyModel[] {
    const seen = new Map<string, AnyModel>();
    for (const m of models) if (!seen.has(this.tableName(m))) seen.set(this.tableName(m), m);
    return [...seen.values()];
  }

  /**
   * Listens to every request the ORM sends: `request` (before sending), `response`, `retry`,
   * `error` (a failed request, or a listener that threw) and `warning`. A listener that throws
   * never breaks the operation: it is reported to the logger and as an `error` event.
   * Returns the function that removes the listener.
   * @example const off = orm.on('response', (e) => log(e.request.model, e.request.operation, e.durationMs, e.consumedCapacity));
   */
  on<E extends EventName>(event: E, listener: Listener<E>): () => void {
    return this.hooks.on(event, listener);
  }

  /**
   * Wraps every request in `middleware`, in the order given: it may change the request passed to
   * `next`, the response it returns, or throw to refuse the request. Returns the function that removes it.
   * @example orm.use(async (request, next) => { audit(request.command, request.table); return next(request); });
   */
  use(middleware: Middleware): () => void {
    return this.hooks.use(middleware);
  }

  /** Requests, errors, throttles, retries, latency percentiles, capacity and items per model and operation (with enableMetrics; empty without). */
  metrics(): MetricsSnapshot {
    return this.counters?.snapshot() ?? {};
  }

  /**
   * Traffic by access pattern (with `analytics`; empty without): `report()` as data, the most
   * costly pattern first, with counts, latency percentiles, RCU/WCU, items read and returned, cost
   * shares, the planner's reasons and advice; `toMarkdown()` the same as a table.
   * @example console.log(orm.analytics().toMarkdown());
   */
  analytics(): QueryAnalytics {
    return this.patterns ?? NO_ANALYTICS;
  }

  /** The read cache's hits, misses, coalesced reads, invalidations, entries and evictions; undefined without `cache`. */
  cacheStats(): CacheStats | undefined {
    return this.cache?.stats();
  }

  private ensure(model: AnyModel): Promise<unknown> {
    const table = this.tableName(model);
    let pending = this.tables.get(table);
    if (pending === undefined) {
      const models = this.tablesOf().get(table) ?? [model];
      pending = ensureTable(this.driver, table, models, this.capacity(), this.session.logger, this.config.replicas === undefined ? {} : { replicas: this.config.replicas }).then(() => this.readyTables.add(table));
      // A failed check is retried by the next use rather than cached.
      pending.catch(() => this.tables.delete(table));
      this.tables.set(table, pending);
    }
    return pending;
  }
}
