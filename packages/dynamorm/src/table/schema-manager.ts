import type { Driver } from '../driver/driver.js';
import { mapSdkError } from '../errors/map-sdk-error.js';
import type { AnyModel } from '../schema/model.js';
import { applyPlan, type ApplyOptions, type ApplyResult } from './apply.js';
import type { Capacity } from './definition.js';
import { schemaFingerprint } from './fingerprint.js';
import { capacityOf, describeLive, orderSteps, planTable, type PlanStep, type SchemaPlan, type TableSettings } from './plan.js';

/** What `orm.schema.plan()` compares besides the models: table settings it should bring every table to. */
export interface PlanOptions extends Omit<TableSettings, 'tags'> {
  /** Plan these models' tables only (default: every registered model's). */
  readonly models?: readonly AnyModel[] | undefined;
}

/** How one model differs from its live table. */
export interface ModelDifferences {
  readonly model: string;
  readonly table: string;
  /** Each difference, in a sentence (a missing table, index, TTL attribute; a different key...). */
  readonly differences: readonly string[];
  readonly steps: readonly PlanStep[];
}

export interface SchemaCheck {
  /** True when every model matches its live table. */
  readonly ok: boolean;
  readonly models: readonly ModelDifferences[];
  /** The registered models' schema fingerprint. */
  readonly fingerprint: string;
}

/** What the schema manager needs of the ORM. */
export interface SchemaManagerHost {
  readonly driver: Driver;
  readonly capacity: Capacity;
  /** The ORM's billing mode when its config names one (a plan then compares it). */
  readonly billingMode: Capacity['billingMode'] | undefined;
  /** Registered models by table (these models registered first). */
  tables(models?: readonly AnyModel[]): ReadonlyMap<string, readonly AnyModel[]>;
}

/** `orm.schema`: plans from the models to the live tables, applies them, checks and fingerprints. */
export class SchemaManager {
  constructor(private readonly host: SchemaManagerHost) {}

  /**
   * Compares every registered model with its live table (DescribeTable, DescribeTimeToLive, and
   * DescribeContinuousBackups when `pointInTimeRecovery` is given) and lists the steps to bring
   * the tables to them, each marked safe or destructive. Nothing is changed.
   */
  plan(options: PlanOptions = {}): Promise<SchemaPlan> {
    const { models, ...given } = options;
    return this.planWith({ ...given, billingMode: given.billingMode ?? this.host.billingMode }, models);
  }

  private async planWith(settings: TableSettings, models: readonly AnyModel[] | undefined): Promise<SchemaPlan> {
    const steps: PlanStep[] = [];
    for (const [table, group] of this.host.tables(models)) {
      try {
        const live = await describeLive(this.host.driver, table, settings);
        steps.push(...planTable(table, group, capacityOf(settings, this.host.capacity), settings, live));
      } catch (error) {
        throw mapSdkError(error, 'schema.plan', group[0], { table });
      }
    }
    return orderSteps(steps);
  }

  /**
   * Runs a plan's steps in order, waiting for each table and index to be ACTIVE. A plan with a
   * destructive step is refused before any request unless `allowDestructive` is true.
   */
  async apply(plan: SchemaPlan, options: ApplyOptions = {}): Promise<ApplyResult> {
    try {
      return await applyPlan(this.host.driver, plan, options);
    } catch (error) {
      throw mapSdkError(error, 'schema.apply', undefined);
    }
  }

  /** How each registered model differs from its live table (keys, indexes, TTL), without changing anything. */
  async check(options: Pick<PlanOptions, 'models'> = {}): Promise<SchemaCheck> {
    const plan = await this.planWith({}, options.models);
    const models: ModelDifferences[] = [];
    for (const [table, group] of this.host.tables(options.models)) {
      for (const model of group) {
        const steps = plan.steps.filter((s) => s.table === table);
        models.push({ model: model.name, table, differences: steps.map((s) => s.description), steps });
      }
    }
    return { ok: plan.upToDate, models, fingerprint: this.fingerprint() };
  }

  /** The registered models' schema fingerprint (keys, attribute types, indexes, TTL attribute). */
  fingerprint(): string {
    return schemaFingerprint(this.host.tables());
  }
}
