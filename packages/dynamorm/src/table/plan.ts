import type {
  CreateTableCommandInput, GlobalSecondaryIndex, KeySchemaElement, Projection as SdkProjection, StreamViewType, TableDescription,
  UpdateContinuousBackupsCommandInput, UpdateTableCommandInput, UpdateTimeToLiveCommandInput, DeleteTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { sdkErrorName } from '../ops/retryable.js';
import type { Driver } from '../driver/driver.js';
import type { AnyModel } from '../schema/model.js';
import { tableDefinition, type Capacity } from './definition.js';

/**
 * Settings of a table that its models do not declare. Left out: not compared (a plan neither
 * adds nor removes them); given: the plan brings the live table to them.
 */
export interface TableSettings {
  readonly billingMode?: 'PROVISIONED' | 'PAY_PER_REQUEST' | undefined;
  /** Capacity units of a PROVISIONED table (its GSIs get the same unless their model says otherwise). */
  readonly capacity?: { readonly read: number; readonly write: number } | undefined;
  /** The stream's view type, or false for no stream. */
  readonly stream?: StreamViewType | false | undefined;
  /** Continuous backups for point-in-time recovery (AWS only: DynamoDB Local lacks them). */
  readonly pointInTimeRecovery?: boolean | undefined;
  readonly deletionProtection?: boolean | undefined;
  /** Tags set when the table is created (AWS only). */
  readonly tags?: Readonly<Record<string, string>> | undefined;
  /**
   * Regions of a global table (version 2019.11.21): a replica is added in each region the table
   * lacks, one UpdateTable each; replicas are never removed (AWS only: DynamoDB Local has none).
   */
  readonly replicas?: readonly string[] | undefined;
}

/** What a step sends: the exact SDK requests, in order. */
export type PlanRequest =
  | { readonly operation: 'CreateTable'; readonly input: CreateTableCommandInput }
  | { readonly operation: 'DeleteTable'; readonly input: DeleteTableCommandInput }
  | { readonly operation: 'UpdateTable'; readonly input: UpdateTableCommandInput }
  | { readonly operation: 'UpdateTimeToLive'; readonly input: UpdateTimeToLiveCommandInput }
  | { readonly operation: 'UpdateContinuousBackups'; readonly input: UpdateContinuousBackupsCommandInput };

export type PlanStepKind =
  | 'createTable' | 'recreateTable' | 'updateBilling' | 'updateCapacity' | 'addIndex' | 'replaceIndex' | 'removeIndex'
  | 'enableTtl' | 'changeTtl' | 'disableTtl' | 'updateStream' | 'addReplica' | 'updatePointInTimeRecovery' | 'updateDeletionProtection';

/**
 * One step of a plan: plain data (it prints, serializes and compares). `destructive` steps lose
 * data or change what DynamoDB keeps (drop a table or an index, stop a stream, TTL or backups).
 */
export interface PlanStep {
  readonly kind: PlanStepKind;
  readonly table: string;
  /** The models of the table the plan compared. */
  readonly models: readonly string[];
  readonly index?: string;
  readonly destructive: boolean;
  /** What differs and what the step does, in a sentence. */
  readonly description: string;
  readonly requests: readonly PlanRequest[];
}

/** The steps from the live tables to what the models declare, in the order apply runs them. */
export interface SchemaPlan {
  readonly steps: readonly PlanStep[];
  /** True when every table already matches. */
  readonly upToDate: boolean;
  readonly destructive: boolean;
}

/** The order apply runs steps in: tables, then additions before removals, settings last. */
const ORDER: readonly PlanStepKind[] = [
  'createTable', 'recreateTable', 'updateBilling', 'updateCapacity', 'addIndex', 'replaceIndex', 'removeIndex',
  'enableTtl', 'changeTtl', 'disableTtl', 'updateStream', 'addReplica', 'updatePointInTimeRecovery', 'updateDeletionProtection',
];

export function orderSteps(steps: readonly PlanStep[]): SchemaPlan {
  const sorted = [...steps].sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
  return { steps: sorted, upToDate: sorted.length === 0, destructive: sorted.some((s) => s.destructive) };
}

const keysText = (schema: readonly KeySchemaElement[] | undefined, types: ReadonlyMap<string, string>): string =>
  (schema ?? []).map((k) => `${k.AttributeName} ${k.KeyType}${types.has(k.AttributeName!) ? ` ${types.get(k.AttributeName!)}` : ''}`).join(', ');

const projectionText = (p: SdkProjection | undefined): string =>
  p?.ProjectionType === 'INCLUDE' ? `INCLUDE ${[...(p.NonKeyAttributes ?? [])].sort().join(', ')}` : p?.ProjectionType ?? 'ALL';

/** The CreateTable request of a table with its settings. */
export function createRequest(table: string, models: readonly AnyModel[], capacity: Capacity, settings: TableSettings): CreateTableCommandInput {
  const input = tableDefinition(table, models, capacity);
  const stream = settings.stream;
  return {
    ...input,
    ...(stream === undefined || stream === false ? {} : { StreamSpecification: { StreamEnabled: true, StreamViewType: stream } }),
    ...(settings.deletionProtection === undefined ? {} : { DeletionProtectionEnabled: settings.deletionProtection }),
    ...(settings.tags === undefined ? {} : { Tags: Object.entries(settings.tags).map(([Key, Value]) => ({ Key, Value })) }),
  };
}

/** The capacity a plan builds with: the settings' billing, else the ORM's. */
export function capacityOf(settings: TableSettings, fallback: Capacity): Capacity {
  return {
    billingMode: settings.billingMode ?? fallback.billingMode,
    readCapacity: settings.capacity?.read ?? fallback.readCapacity,
    writeCapacity: settings.capacity?.write ?? fallback.writeCapacity,
  };
}

/** The live state a plan compares with; undefined description: no such table. */
export interface LiveTable {
  readonly description: TableDescription | undefined;
  /** TTL attribute enabled (or being enabled), if any. */
  readonly ttl: string | undefined;
  /** Point-in-time recovery, when the plan asked (undefined: not read). */
  readonly pointInTimeRecovery: boolean | undefined;
}

/** Reads what a plan compares: DescribeTable, DescribeTimeToLive, and DescribeContinuousBackups when PITR is part of the plan. */
export async function describeLive(driver: Driver, table: string, settings: TableSettings): Promise<LiveTable> {
  let description: TableDescription | undefined;
  try {
    description = (await driver.send('DescribeTable', { TableName: table })).Table;
  } catch (error) {
    if (sdkErrorName(error) !== 'ResourceNotFoundException') throw error;
    return { description: undefined, ttl: undefined, pointInTimeRecovery: undefined };
  }
  const { TimeToLiveDescription: t } = await driver.send('DescribeTimeToLive', { TableName: table });
  const ttl = t?.TimeToLiveStatus === 'ENABLED' || t?.TimeToLiveStatus === 'ENABLING' ? t.AttributeName : undefined;
  let pointInTimeRecovery: boolean | undefined;
  if (settings.pointInTimeRecovery !== undefined) {
    const out = await driver.send('DescribeContinuousBackups', { TableName: table });
    pointInTimeRecovery = out.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus === 'ENABLED';
  }
  return { description, ttl, pointInTimeRecovery };
}

/**
 * The steps that bring one live table to what its models declare (keys, indexes, TTL) and to
 * the settings given (a setting left out is not compared). Pure: `live` was read before.
 */
export function planTable(table: string, models: readonly AnyModel[], capacity: Capacity, settings: TableSettings, live: LiveTable): PlanStep[] {
  const wanted = createRequest(table, models, capacity, settings);
  const names = models.map((m) => m.name);
  const ttlField = models.map((m) => m.ttlAttribute).find((a) => a !== undefined)?.field;
  const step = (kind: PlanStepKind, destructive: boolean, description: string, requests: PlanRequest[], index?: string): PlanStep =>
    ({ kind, table, models: names, destructive, description, requests, ...(index === undefined ? {} : { index }) });
  const enableTtl = (): PlanRequest => ({ operation: 'UpdateTimeToLive', input: { TableName: table, TimeToLiveSpecification: { AttributeName: ttlField!, Enabled: true } } });
  const steps: PlanStep[] = [];
  const current = live.description;
  if (current === undefined) {
    steps.push(step('createTable', false, `create table ${table} (${keysText(wanted.KeySchema, new Map())}${(wanted.GlobalSecondaryIndexes ?? []).length + (wanted.LocalSecondaryIndexes ?? []).length > 0 ? `, indexes ${[...(wanted.GlobalSecondaryIndexes ?? []), ...(wanted.LocalSecondaryIndexes ?? [])].map((i) => i.IndexName).join(', ')}` : ''})`, [{ operation: 'CreateTable', input: wanted }]));
    if (ttlField !== undefined) steps.push(step('enableTtl', false, `expire items of ${table} by ${ttlField}`, [enableTtl()]));
    if (settings.pointInTimeRecovery === true) steps.push(pitrStep(table, names, true));
    steps.push(...replicaSteps(table, names, settings, undefined));
    return steps;
  }

  const wantedTypes = new Map((wanted.AttributeDefinitions ?? []).map((d) => [d.AttributeName!, d.AttributeType!]));
  const liveTypes = new Map((current.AttributeDefinitions ?? []).map((d) => [d.AttributeName!, d.AttributeType!]));
  const typed = (schema: readonly KeySchemaElement[] | undefined, types: ReadonlyMap<string, string>): string => keysText(schema, types);

  // The key and local indexes are fixed at creation: a difference means a new table.
  const rebuild: string[] = [];
  if (typed(current.KeySchema, liveTypes) !== typed(wanted.KeySchema, wantedTypes)) {
    rebuild.push(`its key is (${typed(current.KeySchema, liveTypes)}) but the models key it (${typed(wanted.KeySchema, wantedTypes)})`);
  }
  const liveLocal = new Map((current.LocalSecondaryIndexes ?? []).map((i) => [i.IndexName!, i]));
  for (const lsi of wanted.LocalSecondaryIndexes ?? []) {
    const have = liveLocal.get(lsi.IndexName!);
    if (have === undefined) rebuild.push(`it has no local index ${lsi.IndexName}, and DynamoDB adds local indexes only when a table is created`);
    else if (typed(have.KeySchema, liveTypes) !== typed(lsi.KeySchema, wantedTypes) || projectionText(have.Projection) !== projectionText(lsi.Projection)) {
      rebuild.push(`its local index ${lsi.IndexName} is (${typed(have.KeySchema, liveTypes)}; ${projectionText(have.Projection)}) but the models declare (${typed(lsi.KeySchema, wantedTypes)}; ${projectionText(lsi.Projection)})`);
    }
  }
  // The other steps are planned too: autoMigrate runs the safe ones without the recreation.
  if (rebuild.length > 0) {
    steps.push(step('recreateTable', true, `recreate table ${table}, deleting every item (export and import them around it): ${rebuild.join('; ')}`, [
      { operation: 'DeleteTable', input: { TableName: table } },
      { operation: 'CreateTable', input: wanted },
    ]));
  }

  const liveBilling = current.BillingModeSummary?.BillingMode ?? 'PROVISIONED';
  const provisioned = capacity.billingMode === 'PROVISIONED';
  if (settings.billingMode !== undefined && liveBilling !== settings.billingMode) {
    const liveGsis = new Set((current.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
    const throughput = { ReadCapacityUnits: capacity.readCapacity, WriteCapacityUnits: capacity.writeCapacity };
    steps.push(step('updateBilling', false, `switch ${table} from ${liveBilling} to ${capacity.billingMode}${provisioned ? ` (${capacity.readCapacity} RCU, ${capacity.writeCapacity} WCU)` : ''}`, [{
      operation: 'UpdateTable',
      input: {
        TableName: table,
        BillingMode: capacity.billingMode,
        ...(provisioned ? { ProvisionedThroughput: throughput } : {}),
        ...(provisioned && liveGsis.size > 0
          ? { GlobalSecondaryIndexUpdates: [...liveGsis].map((IndexName) => ({ Update: { IndexName, ProvisionedThroughput: wanted.GlobalSecondaryIndexes?.find((g) => g.IndexName === IndexName)?.ProvisionedThroughput ?? throughput } })) }
          : {}),
      },
    }]));
  }

  const liveThroughput = current.ProvisionedThroughput;
  if (settings.capacity !== undefined && liveBilling === 'PROVISIONED' && settings.billingMode !== 'PAY_PER_REQUEST'
    && (liveThroughput?.ReadCapacityUnits !== settings.capacity.read || liveThroughput?.WriteCapacityUnits !== settings.capacity.write)) {
    steps.push(step('updateCapacity', false, `set the capacity of ${table} to ${settings.capacity.read} RCU, ${settings.capacity.write} WCU (was ${liveThroughput?.ReadCapacityUnits}, ${liveThroughput?.WriteCapacityUnits})`, [{
      operation: 'UpdateTable', input: { TableName: table, ProvisionedThroughput: { ReadCapacityUnits: settings.capacity.read, WriteCapacityUnits: settings.capacity.write } },
    }]));
  }

  const liveGlobal = new Map((current.GlobalSecondaryIndexes ?? []).map((i) => [i.IndexName!, i]));
  const wantedGlobal = new Map((wanted.GlobalSecondaryIndexes ?? []).map((i) => [i.IndexName!, i]));
  // A GSI created on a table that was switched billing mode takes the mode the table has after the switch.
  const createIndex = (gsi: GlobalSecondaryIndex): PlanRequest => {
    const keys = new Set(gsi.KeySchema!.map((k) => k.AttributeName));
    const { ProvisionedThroughput, ...rest } = gsi;
    const needsThroughput = settings.billingMode !== undefined ? provisioned : liveBilling === 'PROVISIONED';
    const throughput = ProvisionedThroughput ?? { ReadCapacityUnits: capacity.readCapacity, WriteCapacityUnits: capacity.writeCapacity };
    return {
      operation: 'UpdateTable',
      input: {
        TableName: table,
        AttributeDefinitions: wanted.AttributeDefinitions!.filter((d) => keys.has(d.AttributeName)),
        GlobalSecondaryIndexUpdates: [{ Create: { ...rest, ...(needsThroughput ? { ProvisionedThroughput: throughput } : {}) } }],
      },
    };
  };
  const deleteIndex = (name: string): PlanRequest => ({ operation: 'UpdateTable', input: { TableName: table, GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: name } }] } });
  for (const [name, gsi] of wantedGlobal) {
    const have = liveGlobal.get(name);
    if (have === undefined) {
      steps.push(step('addIndex', false, `add index ${name} (${typed(gsi.KeySchema, wantedTypes)}; ${projectionText(gsi.Projection)}) to ${table}, then wait while DynamoDB backfills it`, [createIndex(gsi)], name));
    } else if (typed(have.KeySchema, liveTypes) !== typed(gsi.KeySchema, wantedTypes) || projectionText(have.Projection) !== projectionText(gsi.Projection)) {
      steps.push(step('replaceIndex', true, `replace index ${name} of ${table}: it is (${typed(have.KeySchema, liveTypes)}; ${projectionText(have.Projection)}) but the models declare (${typed(gsi.KeySchema, wantedTypes)}; ${projectionText(gsi.Projection)}); queries on it fail until the new one is backfilled`, [deleteIndex(name), createIndex(gsi)], name));
    }
  }
  for (const name of liveGlobal.keys()) {
    if (!wantedGlobal.has(name)) steps.push(step('removeIndex', true, `remove index ${name} of ${table}: no model of it (${names.join(', ')}) declares it`, [deleteIndex(name)], name));
  }

  if (ttlField !== undefined && (live.ttl === undefined || rebuild.length > 0)) steps.push(step('enableTtl', false, `expire items of ${table} by ${ttlField}`, [enableTtl()]));
  if (ttlField !== undefined && live.ttl !== undefined && live.ttl !== ttlField && rebuild.length === 0) {
    steps.push(step('changeTtl', true, `expire items of ${table} by ${ttlField} instead of ${live.ttl} (DynamoDB allows one TTL attribute per table, and a new one only an hour after the last change)`, [
      { operation: 'UpdateTimeToLive', input: { TableName: table, TimeToLiveSpecification: { AttributeName: live.ttl, Enabled: false } } },
      enableTtl(),
    ]));
  }
  if (ttlField === undefined && live.ttl !== undefined) {
    steps.push(step('disableTtl', true, `stop expiring items of ${table} by ${live.ttl}: no model of it declares a t.ttl() attribute`, [
      { operation: 'UpdateTimeToLive', input: { TableName: table, TimeToLiveSpecification: { AttributeName: live.ttl, Enabled: false } } },
    ]));
  }

  if (settings.stream !== undefined) {
    const liveStream = current.StreamSpecification?.StreamEnabled === true ? current.StreamSpecification.StreamViewType : undefined;
    const want = settings.stream === false ? undefined : settings.stream;
    if (liveStream !== want) {
      const off: PlanRequest = { operation: 'UpdateTable', input: { TableName: table, StreamSpecification: { StreamEnabled: false } } };
      const on: PlanRequest | undefined = want === undefined ? undefined : { operation: 'UpdateTable', input: { TableName: table, StreamSpecification: { StreamEnabled: true, StreamViewType: want } } };
      steps.push(step('updateStream', liveStream !== undefined, liveStream === undefined ? `turn on the ${want} stream of ${table}` : want === undefined ? `turn off the ${liveStream} stream of ${table} (its records are lost to readers)` : `replace the ${liveStream} stream of ${table} by a ${want} one (readers of the old stream lose their place)`,
        liveStream === undefined ? [on!] : on === undefined ? [off] : [off, on]));
    }
  }
  steps.push(...replicaSteps(table, names, settings, current));
  if (settings.pointInTimeRecovery !== undefined && live.pointInTimeRecovery !== settings.pointInTimeRecovery) steps.push(pitrStep(table, names, settings.pointInTimeRecovery));
  if (settings.deletionProtection !== undefined && (current.DeletionProtectionEnabled ?? false) !== settings.deletionProtection) {
    steps.push(step('updateDeletionProtection', !settings.deletionProtection, `${settings.deletionProtection ? 'turn on' : 'turn off'} deletion protection of ${table}`, [
      { operation: 'UpdateTable', input: { TableName: table, DeletionProtectionEnabled: settings.deletionProtection } },
    ]));
  }
  return steps;
}

/** A step per replica region the table lacks (DynamoDB takes one replica change per UpdateTable). */
function replicaSteps(table: string, models: readonly string[], settings: TableSettings, current: TableDescription | undefined): PlanStep[] {
  const have = new Set((current?.Replicas ?? []).map((r) => r.RegionName));
  return (settings.replicas ?? []).filter((region) => !have.has(region)).map((region) => ({
    kind: 'addReplica', table, models, destructive: false,
    description: `replicate ${table} to ${region} (global table version 2019.11.21), then wait until the replica is ACTIVE`,
    requests: [{ operation: 'UpdateTable', input: { TableName: table, ReplicaUpdates: [{ Create: { RegionName: region } }] } }],
  }));
}

function pitrStep(table: string, models: readonly string[], enabled: boolean): PlanStep {
  return {
    kind: 'updatePointInTimeRecovery', table, models, destructive: !enabled,
    description: `${enabled ? 'turn on' : 'turn off (forgetting the restore window)'} point-in-time recovery of ${table}`,
    requests: [{ operation: 'UpdateContinuousBackups', input: { TableName: table, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: enabled } } }],
  };
}
