import type {
  AttributeDefinition, ContinuousBackupsDescription, CreateTableCommandInput, GlobalSecondaryIndexDescription, GlobalSecondaryIndexUpdate, ReplicaDescription, TableDescription,
  TimeToLiveDescription, UpdateContinuousBackupsCommandInput, UpdateTableCommandInput, UpdateTimeToLiveCommandInput,
} from '@aws-sdk/client-dynamodb';
import type { Operation } from '../driver/driver.js';
import { sdkError } from './expectation.js';

/** The table requests the mock answers from the tables it holds (when no `expectRequest` matches first). */
export const TABLE_OPERATIONS: ReadonlySet<Operation> = new Set<Operation>([
  'CreateTable', 'DescribeTable', 'UpdateTable', 'DeleteTable', 'DescribeTimeToLive', 'UpdateTimeToLive', 'DescribeContinuousBackups', 'UpdateContinuousBackups',
]);

/** One table the mock holds: its description, TTL, point-in-time recovery, and the changes DynamoDB is still making. */
interface HeldTable {
  readonly description: TableDescription;
  ttl: TimeToLiveDescription;
  /** When point-in-time recovery was turned on (undefined: off). */
  pitrSince: Date | undefined;
  /** What DynamoDB is still doing: the status of the next description (a restore CREATING, an UpdateTable UPDATING), then ACTIVE. */
  pending: 'CREATING' | 'UPDATING' | undefined;
}

const notFound = (table: string | undefined): Error => sdkError('ResourceNotFoundException', `Requested resource not found: Table: ${table} not found`);
const invalid = (message: string): Error => sdkError('ValidationException', `One or more parameter values were invalid: ${message}`);
const zero = { ReadCapacityUnits: 0, WriteCapacityUnits: 0 };

/**
 * The mock's tables, for the schema lifecycle (createTables, autoMigrate, schema plans and
 * migrations) on the mock. Each change goes through what DynamoDB shows: CreateTable makes a
 * table ACTIVE at once; an UpdateTable leaves it UPDATING in the next DescribeTable (a further
 * UpdateTable meanwhile is refused, as DynamoDB refuses it), a new index CREATING and
 * backfilling, a removed one DELETING, a new replica CREATING, each settled by the description
 * after. Billing mode, capacity, stream, deletion protection, TTL (UpdateTimeToLive) and
 * point-in-time recovery (UpdateContinuousBackups) are kept and described. A table that does
 * not exist is a ResourceNotFoundException, as DynamoDB says it.
 */
export class MockTables {
  private readonly tables = new Map<string, HeldTable>();

  /** A table made from its CreateTable request, with these replicas already ACTIVE. */
  create(input: CreateTableCommandInput, replicas: readonly string[] = []): TableDescription {
    const name = input.TableName!;
    if (this.tables.has(name)) throw sdkError('ResourceInUseException', `Table already exists: ${name}`);
    const onDemand = input.BillingMode === 'PAY_PER_REQUEST';
    const description: TableDescription = {
      TableName: name,
      TableStatus: 'ACTIVE',
      KeySchema: input.KeySchema,
      AttributeDefinitions: input.AttributeDefinitions,
      BillingModeSummary: { BillingMode: input.BillingMode ?? 'PROVISIONED' },
      ProvisionedThroughput: onDemand ? zero : input.ProvisionedThroughput,
      ...(input.GlobalSecondaryIndexes === undefined ? {} : {
        GlobalSecondaryIndexes: input.GlobalSecondaryIndexes.map((i) => ({ ...i, ProvisionedThroughput: onDemand ? zero : i.ProvisionedThroughput, IndexStatus: 'ACTIVE' as const })),
      }),
      ...(input.LocalSecondaryIndexes === undefined ? {} : { LocalSecondaryIndexes: input.LocalSecondaryIndexes }),
      ...streamOf(name, input.StreamSpecification?.StreamEnabled === true ? input.StreamSpecification.StreamViewType : undefined),
      DeletionProtectionEnabled: input.DeletionProtectionEnabled ?? false,
      Replicas: replicas.map((RegionName): ReplicaDescription => ({ RegionName, ReplicaStatus: 'ACTIVE' })),
    };
    this.tables.set(name, { description, ttl: { TimeToLiveStatus: 'DISABLED' }, pitrSince: undefined, pending: undefined });
    return structuredClone(description);
  }

  /**
   * The new table of a restore an `expectRequest` answered, as DynamoDB creates it: the source
   * table's definition (a point-in-time restore of a table the mock holds) or the one answered,
   * CREATING in the next description, then ACTIVE. Nothing when the mock holds the table already.
   */
  restored(input: { readonly TargetTableName?: string | undefined; readonly SourceTableName?: string | undefined }, answered: TableDescription | undefined): void {
    const name = input.TargetTableName;
    if (name === undefined || this.tables.has(name)) return;
    const source = this.tables.get(input.SourceTableName ?? '');
    const description: TableDescription = { ...structuredClone(source?.description ?? answered ?? {}), TableName: name, TableStatus: 'ACTIVE' };
    this.tables.set(name, { description, ttl: { TimeToLiveStatus: 'DISABLED' }, pitrSince: undefined, pending: 'CREATING' });
  }

  /** Whether the mock holds this table. */
  holds(table: string | undefined): boolean {
    return this.tables.has(table ?? '');
  }

  /**
   * Why DynamoDB would refuse to read this index of a table the mock holds (undefined: it reads).
   * A new index is readable once ACTIVE: DynamoDB has backfilled it from the table's items.
   */
  unreadableIndex(table: string, index: string): Error | undefined {
    const held = this.tables.get(table);
    if (held === undefined) return undefined;
    const { description: d } = held;
    const gsi = d.GlobalSecondaryIndexes?.find((i) => i.IndexName === index);
    if (gsi === undefined && !(d.LocalSecondaryIndexes ?? []).some((i) => i.IndexName === index)) {
      return sdkError('ValidationException', `The table does not have the specified index: ${index}`);
    }
    if (gsi !== undefined && gsi.IndexStatus !== 'ACTIVE') return sdkError('ValidationException', `Cannot read from backfilling global secondary index: ${index}`);
    return undefined;
  }

  answer(operation: Operation, input: { readonly TableName?: string | undefined }): unknown {
    if (operation === 'CreateTable') return { TableDescription: this.create(input as CreateTableCommandInput), $metadata: {} };
    const held = this.tables.get(input.TableName ?? '');
    if (held === undefined) throw notFound(input.TableName);
    const table = held.description;
    switch (operation) {
      case 'DescribeTable': {
        const described = structuredClone(table);
        if (held.pending !== undefined) described.TableStatus = held.pending;
        settle(held);
        return { Table: described, $metadata: {} };
      }
      case 'UpdateTable':
        update(held, input as UpdateTableCommandInput);
        return { TableDescription: { ...structuredClone(table), TableStatus: 'UPDATING' }, $metadata: {} };
      case 'DeleteTable':
        if (table.DeletionProtectionEnabled === true) {
          throw sdkError('ValidationException', `Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.`);
        }
        this.tables.delete(table.TableName!);
        return { TableDescription: { ...structuredClone(table), TableStatus: 'DELETING' }, $metadata: {} };
      case 'UpdateTimeToLive':
        return { TimeToLiveSpecification: updateTtl(held, input as UpdateTimeToLiveCommandInput), $metadata: {} };
      case 'UpdateContinuousBackups': {
        const enabled = (input as UpdateContinuousBackupsCommandInput).PointInTimeRecoverySpecification?.PointInTimeRecoveryEnabled === true;
        held.pitrSince = enabled ? held.pitrSince ?? new Date() : undefined;
        return { ContinuousBackupsDescription: continuousBackups(held), $metadata: {} };
      }
      case 'DescribeContinuousBackups':
        return { ContinuousBackupsDescription: continuousBackups(held), $metadata: {} };
      default:
        return { TimeToLiveDescription: structuredClone(held.ttl), $metadata: {} };
    }
  }
}

/** A table's stream fields: enabled with its view type and ARN, or none. */
function streamOf(table: string, view: string | undefined): Pick<TableDescription, 'StreamSpecification' | 'LatestStreamArn' | 'LatestStreamLabel'> {
  if (view === undefined) return {};
  const label = new Date().toISOString().replace(/Z$/, '');
  return {
    StreamSpecification: { StreamEnabled: true, StreamViewType: view as never },
    LatestStreamLabel: label,
    LatestStreamArn: `arn:aws:dynamodb:mock:000000000000:table/${table}/stream/${label}`,
  };
}

/** What DynamoDB has finished by the next description: the table ACTIVE, new indexes and replicas built, removed indexes gone. */
function settle(held: HeldTable): void {
  const table = held.description;
  held.pending = undefined;
  if (table.GlobalSecondaryIndexes !== undefined) {
    table.GlobalSecondaryIndexes = table.GlobalSecondaryIndexes.filter((i) => i.IndexStatus !== 'DELETING').map((i) => {
      const { Backfilling: _, ...built } = i;
      return { ...built, IndexStatus: 'ACTIVE' };
    });
    if (table.GlobalSecondaryIndexes.length === 0) delete table.GlobalSecondaryIndexes;
  }
  // DynamoDB defines only the attributes a key of the table or of an index names: a removed index's go with it.
  const keyed = new Set([table, ...(table.GlobalSecondaryIndexes ?? []), ...(table.LocalSecondaryIndexes ?? [])].flatMap((k) => (k.KeySchema ?? []).map((e) => e.AttributeName)));
  table.AttributeDefinitions = table.AttributeDefinitions?.filter((d) => keyed.has(d.AttributeName));
  for (const r of table.Replicas ?? []) r.ReplicaStatus = 'ACTIVE';
}

/** Applies an UpdateTable as DynamoDB does, or throws its error with nothing changed. */
function update(held: HeldTable, input: UpdateTableCommandInput): void {
  const table = held.description;
  const name = table.TableName!;
  const indexChanges = (input.GlobalSecondaryIndexUpdates ?? []).filter((u) => u.Create !== undefined || u.Delete !== undefined);
  const busy = held.pending !== undefined || (table.GlobalSecondaryIndexes ?? []).some((i) => i.IndexStatus !== 'ACTIVE') || (table.Replicas ?? []).some((r) => r.ReplicaStatus !== 'ACTIVE');
  if (busy) throw sdkError('ResourceInUseException', `Attempt to change a resource which is still in use: Table is being updated: ${name}`);
  if (indexChanges.length > 1) throw sdkError('LimitExceededException', `Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table`);
  const billing = input.BillingMode ?? table.BillingModeSummary?.BillingMode ?? 'PROVISIONED';
  const onDemand = billing === 'PAY_PER_REQUEST';
  if (input.BillingMode === 'PROVISIONED' && table.BillingModeSummary?.BillingMode !== 'PROVISIONED' && input.ProvisionedThroughput === undefined) {
    throw invalid('ProvisionedThroughput must be specified when BillingMode is PROVISIONED');
  }
  if (onDemand && input.ProvisionedThroughput !== undefined) throw invalid('Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST');
  const view = input.StreamSpecification === undefined ? undefined : input.StreamSpecification.StreamEnabled === true ? input.StreamSpecification.StreamViewType : false;
  const hasStream = table.StreamSpecification?.StreamEnabled === true;
  if (view !== undefined && view !== false && hasStream) throw sdkError('ValidationException', `Table already has an enabled stream: TableName: ${name}`);
  if (view === false && !hasStream) throw sdkError('ValidationException', `Table already has no stream enabled: TableName: ${name}`);
  const indexes = indexUpdates(table, input.GlobalSecondaryIndexUpdates ?? [], input.AttributeDefinitions ?? [], onDemand);
  const replicas = replicaUpdates(table, input);

  // Every check passed: the changes, which DynamoDB now carries out.
  if (input.AttributeDefinitions !== undefined) {
    const known = new Set((table.AttributeDefinitions ?? []).map((d) => d.AttributeName));
    table.AttributeDefinitions = [...(table.AttributeDefinitions ?? []), ...input.AttributeDefinitions.filter((d) => !known.has(d.AttributeName))];
  }
  if (input.BillingMode !== undefined) table.BillingModeSummary = { BillingMode: input.BillingMode, LastUpdateToPayPerRequestDateTime: onDemand ? new Date() : undefined };
  if (onDemand) table.ProvisionedThroughput = zero;
  else if (input.ProvisionedThroughput !== undefined) table.ProvisionedThroughput = input.ProvisionedThroughput;
  if (indexes !== undefined) table.GlobalSecondaryIndexes = indexes;
  else delete table.GlobalSecondaryIndexes;
  if (replicas !== undefined) table.Replicas = replicas;
  if (view === false) {
    delete table.StreamSpecification;
  } else if (view !== undefined) Object.assign(table, streamOf(name, view));
  if (input.DeletionProtectionEnabled !== undefined) table.DeletionProtectionEnabled = input.DeletionProtectionEnabled;
  held.pending = 'UPDATING';
}

/** The table's indexes after GlobalSecondaryIndexUpdates: a new one CREATING and backfilling, a deleted one DELETING. */
function indexUpdates(table: TableDescription, updates: readonly GlobalSecondaryIndexUpdate[], definitions: readonly AttributeDefinition[], onDemand: boolean): GlobalSecondaryIndexDescription[] | undefined {
  const name = table.TableName!;
  let indexes = structuredClone(table.GlobalSecondaryIndexes ?? []);
  const defined = new Set([...(table.AttributeDefinitions ?? []), ...definitions].map((d) => d.AttributeName));
  for (const u of updates) {
    const target = u.Create?.IndexName ?? u.Delete?.IndexName ?? u.Update?.IndexName;
    const at = indexes.findIndex((i) => i.IndexName === target);
    if (u.Create !== undefined) {
      if (at >= 0) throw sdkError('ValidationException', `One or more parameter values were invalid: Attempting to create an index which already exists: ${target}`);
      const undefinedKey = u.Create.KeySchema?.find((k) => !defined.has(k.AttributeName));
      if (undefinedKey !== undefined) throw invalid(`Some index key attributes are not defined in AttributeDefinitions. Keys: [${undefinedKey.AttributeName}], AttributeDefinitions: [${[...defined].join(', ')}]`);
      if (onDemand && u.Create.ProvisionedThroughput !== undefined) throw invalid(`ProvisionedThroughput should not be specified for index: ${target} when BillingMode is PAY_PER_REQUEST`);
      if (!onDemand && u.Create.ProvisionedThroughput === undefined) throw invalid(`ProvisionedThroughput must be specified for index: ${target}`);
      indexes.push({ ...u.Create, ProvisionedThroughput: onDemand ? zero : u.Create.ProvisionedThroughput, IndexStatus: 'CREATING', Backfilling: true });
    } else if (at < 0) {
      throw sdkError('ResourceNotFoundException', `Requested resource not found: Attempting to ${u.Delete === undefined ? 'update' : 'delete'} an index which does not exist: ${target} of table ${name}`);
    } else if (u.Delete !== undefined) {
      indexes[at] = { ...indexes[at], IndexStatus: 'DELETING' };
    } else {
      if (onDemand && u.Update!.ProvisionedThroughput !== undefined) throw invalid(`ProvisionedThroughput cannot be specified for index ${target} of a PAY_PER_REQUEST table`);
      indexes[at] = { ...indexes[at], ProvisionedThroughput: u.Update!.ProvisionedThroughput };
    }
  }
  if (onDemand) indexes = indexes.map((i) => ({ ...i, ProvisionedThroughput: zero }));
  return indexes.length === 0 ? undefined : indexes;
}

/** The table's replicas after ReplicaUpdates: a new one CREATING (DynamoDB builds it), a deleted one gone. */
function replicaUpdates(table: TableDescription, input: UpdateTableCommandInput): ReplicaDescription[] | undefined {
  if (input.ReplicaUpdates === undefined) return undefined;
  const replicas = structuredClone(table.Replicas ?? []);
  for (const update of input.ReplicaUpdates) {
    const region = update.Create?.RegionName ?? update.Delete?.RegionName;
    const at = replicas.findIndex((r) => r.RegionName === region);
    if (update.Create !== undefined && at >= 0) throw sdkError('ValidationException', `table ${table.TableName} has a replica in ${region} already`);
    if (update.Delete !== undefined && at < 0) throw sdkError('ValidationException', `Cannot delete replica in region ${region}: table ${table.TableName} has none there`);
    if (update.Create !== undefined) replicas.push({ RegionName: region, ReplicaStatus: 'CREATING' });
    else replicas.splice(at, 1);
  }
  return replicas;
}

/** UpdateTimeToLive as DynamoDB answers it: enabling an enabled TTL (or disabling a disabled one) is refused. */
function updateTtl(held: HeldTable, input: UpdateTimeToLiveCommandInput): UpdateTimeToLiveCommandInput['TimeToLiveSpecification'] {
  const spec = input.TimeToLiveSpecification;
  const on = held.ttl.TimeToLiveStatus === 'ENABLED';
  if (spec?.Enabled === true && on) throw sdkError('ValidationException', 'TimeToLive is already enabled');
  if (spec?.Enabled !== true && !on) throw sdkError('ValidationException', 'TimeToLive is already disabled');
  if (spec?.Enabled !== true && held.ttl.AttributeName !== spec?.AttributeName) {
    throw invalid(`TimeToLive attribute ${spec?.AttributeName} is not the table's: ${held.ttl.AttributeName}`);
  }
  held.ttl = spec?.Enabled === true ? { TimeToLiveStatus: 'ENABLED', AttributeName: spec.AttributeName } : { TimeToLiveStatus: 'DISABLED' };
  return spec;
}

function continuousBackups(held: HeldTable): ContinuousBackupsDescription {
  return {
    ContinuousBackupsStatus: 'ENABLED',
    PointInTimeRecoveryDescription: held.pitrSince === undefined
      ? { PointInTimeRecoveryStatus: 'DISABLED' }
      : { PointInTimeRecoveryStatus: 'ENABLED', EarliestRestorableDateTime: held.pitrSince, LatestRestorableDateTime: new Date() },
  };
}
