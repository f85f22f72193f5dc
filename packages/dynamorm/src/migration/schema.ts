import type { StreamViewType } from '@aws-sdk/client-dynamodb';
import type { Driver } from '../driver/driver.js';
import { DynamORMError, ModelDefinitionError } from '../errors/errors.js';
import { mapSdkError } from '../errors/map-sdk-error.js';
import type { AttributeName } from '../query/path-types.js';
import type { Session } from '../query/session.js';
import type { AnyModel, InferIndexName, InferInput, InferItem, InferKey } from '../schema/model.js';
import type { Simplify } from '../schema/infer.js';
import { applyPlan } from '../table/apply.js';
import type { Capacity } from '../table/definition.js';
import { capacityOf, describeLive, orderSteps, planTable, type PlanStep, type PlanStepKind, type TableSettings } from '../table/plan.js';
import { dropTable } from '../table/reset.js';
import type { History } from './history.js';
import { rewriteTable, typedRewrite, type TransformOptions, type TransformResult } from './transform.js';

/** Options of `schema.createTable`: what a table's models do not declare. */
export interface CreateTableOptions {
  readonly billingMode?: 'PROVISIONED' | 'PAY_PER_REQUEST' | undefined;
  /** Capacity units of a PROVISIONED table (default: the ORM's defaultRCU / defaultWCU). */
  readonly capacity?: { readonly read: number; readonly write: number } | undefined;
  /** A stream of this view type (default: none). */
  readonly stream?: StreamViewType | undefined;
  /** Expire items by the model's `t.ttl()` attribute (default true when it has one). */
  readonly ttl?: boolean | undefined;
  /** Continuous backups for point-in-time recovery (AWS only). */
  readonly pointInTimeRecovery?: boolean | undefined;
  readonly deletionProtection?: boolean | undefined;
  /** Tags of the new table (AWS only). */
  readonly tags?: Readonly<Record<string, string>> | undefined;
}

/** What `schema.updateTable` changes: billing and capacity, the stream, point-in-time recovery, deletion protection. */
export type UpdateTableOptions = Omit<TableSettings, 'tags'>;

/** An item as a transform sees it: its key, and whatever attributes it holds (older items may lack newer ones). */
export type StoredItem<M extends AnyModel> = Simplify<InferKey<M> & Partial<InferItem<M>>>;

type ValueOf<M extends AnyModel, K extends AttributeName<M>> = M['~types']['shape'][K]['~types']['value'];

/** The operations an `up` or `down` runs. Each is idempotent, so a migration that failed halfway can run again. */
export interface MigrationSchema {
  /**
   * Creates the model's table (with every registered model of it: keys, indexes, TTL) and waits
   * until it is ACTIVE; a table that already exists is brought to the declaration's safe steps.
   */
  createTable(model: AnyModel, options?: CreateTableOptions): Promise<void>;
  /** Deletes the model's table (or the table of this name, prefixed as the ORM prefixes) and waits until it is gone. */
  dropTable(model: AnyModel | string): Promise<void>;
  /** Adds one GSI the model declares and waits until DynamoDB has backfilled it (ACTIVE). */
  addIndex<M extends AnyModel>(model: M, index: InferIndexName<M>): Promise<void>;
  /** Removes a GSI of the model's table (declared or not) and waits until it is gone. */
  removeIndex(model: AnyModel, index: string): Promise<void>;
  /** Changes billing, capacity, stream, point-in-time recovery or deletion protection of the model's table. */
  updateTable(model: AnyModel, options: UpdateTableOptions): Promise<void>;
  /** Turns on TTL for the model's `t.ttl()` attribute. */
  enableTtl(model: AnyModel): Promise<void>;
  /**
   * Rewrites every item of the model: `fn` gets each item (attributes older items lack are
   * undefined) and returns the item to store, or undefined to leave it. Conditional writes never
   * overwrite a concurrent application write (the item is read again and `fn` runs on it); the
   * progress is checkpointed in the history table, so a run that stopped resumes where it was.
   */
  transform<M extends AnyModel>(model: M, fn: (item: StoredItem<M>) => InferInput<M> | undefined | Promise<InferInput<M> | undefined>, options?: TransformOptions): Promise<TransformResult>;
  /** Sets an attribute on every item that lacks it: a value, or one computed from the item. */
  backfill<M extends AnyModel, K extends AttributeName<M>>(model: M, attribute: K, value: ValueOf<M, K> | ((item: StoredItem<M>) => ValueOf<M, K>), options?: TransformOptions): Promise<TransformResult>;
  /**
   * Renames a stored attribute to one of the model's: copies `from` to `to` on every item (readers
   * of either name keep working), then removes `from` in a second pass.
   */
  renameAttribute<M extends AnyModel>(model: M, from: string, to: AttributeName<M>, options?: TransformOptions): Promise<{ readonly copied: TransformResult; readonly removed: TransformResult }>;
}

/** What the schema operations need of the ORM. */
export interface SchemaHost {
  readonly session: Session;
  readonly driver: Driver;
  readonly capacity: Capacity;
  /** Every registered model of the model's table, the model registered first if it is not. */
  modelsOf(model: AnyModel): readonly AnyModel[];
  /** A table name with the ORM's prefix. */
  tableNamed(table: string): string;
}

const TABLE_SETTINGS: readonly PlanStepKind[] = ['updateBilling', 'updateCapacity', 'updateStream', 'updatePointInTimeRecovery', 'updateDeletionProtection'];

/** The `schema` of one migration run: its transforms checkpoint under the migration's version. */
export class MigrationSchemaImpl implements MigrationSchema {
  private transforms = 0;
  constructor(private readonly host: SchemaHost, private readonly history: History, private readonly version: string) {}

  /**
   * Plans the model's table with these settings and applies the steps `pick` keeps; `refuse`: a
   * destructive step among them is an error (createTable never drops what exists).
   */
  private async run(op: string, model: AnyModel, settings: TableSettings, pick: (s: PlanStep) => boolean, refuse = false): Promise<void> {
    const table = this.host.session.tableName(model);
    try {
      const models = this.host.modelsOf(model);
      const live = await describeLive(this.host.driver, table, settings);
      const steps = planTable(table, models, capacityOf(settings, this.host.capacity), settings, live).filter(pick);
      const destructive = steps.filter((s) => s.destructive);
      if (refuse && destructive.length > 0) {
        throw new DynamORMError('schema.tableDiffers', `${op} ${model.name}: table ${table} exists and differs from the models: ${destructive.map((s) => s.description).join('; ')}`, { op, model: model.name, context: { table } });
      }
      await applyPlan(this.host.driver, orderSteps(steps), { allowDestructive: true }, op);
    } catch (error) {
      throw mapSdkError(error, op, model, { table });
    }
  }

  async createTable(model: AnyModel, options: CreateTableOptions = {}): Promise<void> {
    const { ttl, ...settings } = options;
    // Run again after a failure, it brings the table it created to the declaration.
    await this.run('createTable', model, settings, (s) => ttl !== false || (s.kind !== 'enableTtl' && s.kind !== 'changeTtl' && s.kind !== 'disableTtl'), true);
  }

  async dropTable(model: AnyModel | string): Promise<void> {
    const table = typeof model === 'string' ? this.host.tableNamed(model) : this.host.session.tableName(model);
    await dropTable(this.host.driver, table, typeof model === 'string' ? undefined : model);
  }

  async addIndex<M extends AnyModel>(model: M, index: InferIndexName<M>): Promise<void> {
    const path = model.indexes.get(index as string);
    if (path === undefined) throw new ModelDefinitionError(model.name, undefined, `addIndex: the model declares no index ${String(index)} (declared: ${[...model.indexes.keys()].join(', ') || 'none'})`);
    if (path.type === 'LSI') throw new ModelDefinitionError(model.name, undefined, `addIndex: ${String(index)} is a local index, and DynamoDB adds local indexes only when a table is created`);
    await this.run('addIndex', model, {}, (s) => (s.kind === 'addIndex' || s.kind === 'replaceIndex') && s.index === index);
  }

  async removeIndex(model: AnyModel, index: string): Promise<void> {
    const table = this.host.session.tableName(model);
    const live = await describeLive(this.host.driver, table, {}).catch((error: unknown) => { throw mapSdkError(error, 'removeIndex', model, { table }); });
    if (!(live.description?.GlobalSecondaryIndexes ?? []).some((i) => i.IndexName === index)) return;
    const plan = orderSteps([{
      kind: 'removeIndex', table, models: [model.name], index, destructive: true, description: `remove index ${index} of ${table}`,
      requests: [{ operation: 'UpdateTable', input: { TableName: table, GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: index } }] } }],
    }]);
    await applyPlan(this.host.driver, plan, { allowDestructive: true }, 'removeIndex').catch((error: unknown) => { throw mapSdkError(error, 'removeIndex', model, { table }); });
  }

  async updateTable(model: AnyModel, options: UpdateTableOptions): Promise<void> {
    await this.run('updateTable', model, options, (s) => TABLE_SETTINGS.includes(s.kind));
  }

  async enableTtl(model: AnyModel): Promise<void> {
    if (model.ttlAttribute === undefined) throw new ModelDefinitionError(model.name, undefined, 'enableTtl: the model has no t.ttl() attribute');
    await this.run('enableTtl', model, {}, (s) => s.kind === 'enableTtl' || s.kind === 'changeTtl');
  }

  private context(name: string): { session: Session; history: History; checkpointId: string } {
    return { session: this.host.session, history: this.history, checkpointId: `checkpoint#${this.version}#${name}` };
  }

  transform<M extends AnyModel>(model: M, fn: (item: StoredItem<M>) => InferInput<M> | undefined | Promise<InferInput<M> | undefined>, options: TransformOptions = {}): Promise<TransformResult> {
    this.host.modelsOf(model);
    const name = options.name ?? `${model.name}#${++this.transforms}`;
    return rewriteTable(this.context(name), model, typedRewrite(model, fn as (item: Record<string, unknown>) => Record<string, unknown> | undefined), options);
  }

  backfill<M extends AnyModel, K extends AttributeName<M>>(model: M, attribute: K, value: ValueOf<M, K> | ((item: StoredItem<M>) => ValueOf<M, K>), options: TransformOptions = {}): Promise<TransformResult> {
    const compute = typeof value === 'function' ? value as (item: StoredItem<M>) => ValueOf<M, K> : () => value;
    return this.transform(model, (item) => ((item as Record<string, unknown>)[attribute] === undefined ? { ...item, [attribute]: compute(item) } as InferInput<M> : undefined), { name: `backfill:${model.name}.${attribute}`, ...options });
  }

  async renameAttribute<M extends AnyModel>(model: M, from: string, to: AttributeName<M>, options: TransformOptions = {}): Promise<{ readonly copied: TransformResult; readonly removed: TransformResult }> {
    this.host.modelsOf(model);
    const target = model.attribute(to as string);
    if (target === undefined) throw new ModelDefinitionError(model.name, to as string, 'renameAttribute: the model declares no attribute of this name');
    const field = target.field;
    const name = options.name ?? `rename:${model.name}.${from}:${field}`;
    const copied = await rewriteTable(this.context(`${name}:copy`), model, {
      removable: () => false,
      rewrite: (stored) => (stored[from] !== undefined && stored[field] === undefined ? { ...stored, [field]: stored[from] } : undefined),
    }, options);
    const removed = await rewriteTable(this.context(`${name}:remove`), model, {
      removable: (f) => f === from,
      rewrite: (stored) => {
        if (stored[from] === undefined) return undefined;
        const { [from]: _gone, ...rest } = stored;
        return rest;
      },
    }, options);
    return { copied, removed };
  }
}
