/**
 * The contract every contender of the benchmark implements.
 *
 * A contender module (`bench/contenders/<id>.ts`) default-exports a `ContenderFactory` and may
 * export the optional extras of `ContenderModule` (type-checking source, bundle entry, memory
 * scenarios). The harness loads the modules listed in `registry.ts`; `dynamorm.ts` is loaded when
 * the file exists (see bench/README.md, "Adding the DynamORM contender").
 *
 * Three type parameters keep each contender honest about its own forms while the harness stays
 * generic:
 *   Item   what the library's users pass in to write (e.g. a plain object, Dates for t.date())
 *   Key    what they pass to address one item
 *   Model  what the library hands back after a read (a plain object, an electrodb item, a
 *          dynamoose Item instance, ...)
 * The harness only ever feeds a contender values that the same contender produced
 * (`toItem`/`toKey`), so the registry can erase the parameters (`AnyContender`).
 *
 * In-process operations do no I/O: they return the exact AWS SDK input that would be sent, in
 * the wire's AttributeValue form (`@aws-sdk/client-dynamodb` input types). Libraries built on
 * the DocumentClient return native values; their contender applies the same marshalling the
 * DocumentClient would (bench/lib/doc-marshall.ts), because that work is part of what it costs
 * to send the request. An operation may return a Promise (dynamoose does); the harness then
 * awaits each call.
 */
import type {
  AttributeValue,
  DynamoDBClient,
  PutItemCommandInput,
  QueryCommandInput,
  UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import type { QuerySpec, UpdateSpec, User, UserKey } from '../model.js';

export type MaybePromise<T> = T | Promise<T>;
export type AttributeMap = Record<string, AttributeValue>;

/**
 * floor:  hand-written AttributeValue requests with @aws-sdk/client-dynamodb
 * sdk:    the AWS SDK's own helpers (util-dynamodb, DocumentClient)
 * peer:   another DynamoDB library (electrodb, dynamodb-toolbox, dynamoose)
 * subject: DynamORM, the library under test
 * control: the floor a second time (A/A control): identical code, so its ratio to the floor
 *          shows how much of a difference the run's noise alone makes
 */
export type ContenderRole = 'floor' | 'sdk' | 'peer' | 'subject' | 'control';

/** Everything a contender needs to set itself up. Nothing in here has sent a request yet. */
export interface BenchEnv {
  /** The contender's own table, already created (model.ts `createTableInput`). */
  readonly tableName: string;
  /** http://127.0.0.1:<port> of DynamoDB Local. */
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** A client for that endpoint; a contender may use it or build its own from the fields above. */
  readonly client: DynamoDBClient;
}

export interface Contender<Item = unknown, Key = unknown, Model = unknown> {
  /** Short id: used in tables, as the table-name suffix and by `--only`. */
  readonly id: string;
  /** Human label for the report, e.g. "electrodb (params + DocumentClient marshalling)". */
  readonly label: string;
  readonly role: ContenderRole;
  /** npm packages whose versions the report lists for this contender. */
  readonly packages: readonly string[];
  /**
   * Attributes the library adds to or manages in the stored item (electrodb `__edb_e__`, toolbox
   * `_et`/`_ct`/`_md`, DynamORM's `updatedAt`/`version`, ...). Left out when requests and items of
   * different contenders are compared.
   */
  readonly ignoredAttributes?: readonly string[];
  /** Free text for the report: how the library is used, deviations from its defaults. */
  readonly notes?: string;

  // ---- untimed conversions from and to the shared fixture -----------------------------------
  toItem(user: User): Item;
  toKey(key: UserKey): Key;
  /** The library's model object back into the canonical shape, for cross-checks. */
  toUser(model: Model): User;

  // ---- in-process, no I/O: timed ----------------------------------------------------------
  /** An item into the PutItemInput that would be sent (marshalling included). */
  buildPut(item: Item): MaybePromise<PutItemCommandInput>;
  /** A returned AttributeValue item (as this contender stores it) into the model object. */
  unmarshal(item: AttributeMap): MaybePromise<Model>;
  /** The QueryInput of `QuerySpec` on gsi-email. */
  buildQuery(query: QuerySpec): MaybePromise<QueryCommandInput>;
  /** The UpdateItemInput of `UpdateSpec` (SET name, ADD age, REMOVE ttl) for one key. */
  buildUpdate(key: Key, update: UpdateSpec): MaybePromise<UpdateItemCommandInput>;

  // ---- end-to-end against DynamoDB Local: timed -------------------------------------------
  put(item: Item): Promise<void>;
  get(key: Key): Promise<Model | undefined>;
  /** Every page of the query, as model objects. */
  query(query: QuerySpec): Promise<Model[]>;
  /** Any number of items: chunked (25) and unprocessed items retried, the library's way. */
  batchWrite(items: readonly Item[]): Promise<void>;
  /** Any number of keys: chunked (100) and unprocessed keys retried, the library's way. */
  batchGet(keys: readonly Key[]): Promise<Model[]>;
  /**
   * 1,000 concurrent single-item reads. Default (when absent): `Promise.all(keys.map(get))`, i.e.
   * what a user writes; DynamORM coalesces those into BatchGetItem by itself.
   */
  concurrentGets?(keys: readonly Key[]): Promise<(Model | undefined)[]>;

  /** Release clients, timers, sockets. */
  close?(): MaybePromise<void>;
}

// The harness only hands a contender values it produced itself, so the registry erases the three
// parameters; `any` (not `unknown`) because the parameters sit in both input and output positions.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyContender = Contender<any, any, any>;

export type ContenderFactory = (env: BenchEnv) => MaybePromise<AnyContender>;

/** Type-checking cost: a generated file of `models` models with one typed query each. */
export interface TypecheckSource {
  /** Library id for the report; the harness replaces it with the contender id. */
  readonly id: string;
  /** The TypeScript source of one file; it may import the library by its package name. */
  source(models: number): string;
  /** Extra compilerOptions for the generated tsconfig.json (e.g. `paths` to a workspace source). */
  readonly compilerOptions?: Record<string, unknown>;
}

/** Bundle size and import time of the library's core entry. */
export interface BundleEntry {
  /** Library id for the report; the harness replaces it with the contender id. */
  readonly id: string;
  /** A module specifier or an absolute path of the core entry, e.g. 'electrodb'. */
  readonly specifier: string;
  /** Package whose version is reported. */
  readonly packageName?: string;
}

/**
 * Memory hook: a scenario run in a fresh child process, whose peak
 * RSS and peak heap the harness records. DynamORM's scenarios are `iterate()` over a 100,000-item
 * partition, a 100,000-item `batchCreate` and a parallel scan; the others may offer a reference.
 */
export interface MemoryScenario {
  /** e.g. 'iterate-100k'. */
  readonly name: string;
  readonly description: string;
  /** Untimed: write whatever the scenario needs (runs in the child before the measurement). */
  prepare?(env: BenchEnv, quick: boolean): Promise<void>;
  /** The measured part. Return the number of items that passed through, for the report. */
  run(env: BenchEnv, quick: boolean): Promise<number>;
}

/** What a contender module exports. */
export interface ContenderModule {
  readonly default: ContenderFactory;
  readonly typecheck?: TypecheckSource;
  readonly bundle?: BundleEntry;
  readonly memory?: readonly MemoryScenario[];
}
