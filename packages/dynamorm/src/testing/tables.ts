import type { CreateTableCommandInput, ReplicaDescription, TableDescription, UpdateTableCommandInput } from '@aws-sdk/client-dynamodb';
import type { Operation } from '../driver/driver.js';
import { sdkError } from './expectation.js';

/** The table requests the mock answers from the tables it holds (unless an `expectRequest` takes them). */
export const TABLE_OPERATIONS: ReadonlySet<Operation> = new Set<Operation>(['CreateTable', 'DescribeTable', 'UpdateTable', 'DeleteTable', 'DescribeTimeToLive']);

/**
 * The mock's tables, for the schema lifecycle (createTables, autoMigrate, schema plans) on the
 * mock: CreateTable makes a table, ACTIVE at once; DescribeTable describes it with its replicas;
 * UpdateTable applies ReplicaUpdates (a replica created is CREATING in the description that
 * follows, then ACTIVE, as DynamoDB builds it) and nothing else; DeleteTable drops it. A table
 * that does not exist is a ResourceNotFoundException, as DynamoDB says it.
 */
export class MockTables {
  private readonly tables = new Map<string, TableDescription>();

  /** A table made from its CreateTable request, with these replicas already ACTIVE. */
  create(input: CreateTableCommandInput, replicas: readonly string[] = []): TableDescription {
    const name = input.TableName!;
    if (this.tables.has(name)) throw sdkError('ResourceInUseException', `Table already exists: ${name}`);
    const table: TableDescription = {
      TableName: name,
      TableStatus: 'ACTIVE',
      KeySchema: input.KeySchema,
      AttributeDefinitions: input.AttributeDefinitions,
      BillingModeSummary: { BillingMode: input.BillingMode ?? 'PROVISIONED' },
      ...(input.ProvisionedThroughput === undefined ? {} : { ProvisionedThroughput: input.ProvisionedThroughput }),
      ...(input.GlobalSecondaryIndexes === undefined ? {} : { GlobalSecondaryIndexes: input.GlobalSecondaryIndexes.map((i) => ({ ...i, IndexStatus: 'ACTIVE' as const })) }),
      ...(input.LocalSecondaryIndexes === undefined ? {} : { LocalSecondaryIndexes: input.LocalSecondaryIndexes }),
      ...(input.StreamSpecification === undefined ? {} : { StreamSpecification: input.StreamSpecification }),
      Replicas: replicas.map((RegionName): ReplicaDescription => ({ RegionName, ReplicaStatus: 'ACTIVE' })),
    };
    this.tables.set(name, table);
    return structuredClone(table);
  }

  answer(operation: Operation, input: { readonly TableName?: string | undefined }): unknown {
    if (operation === 'CreateTable') return { TableDescription: this.create(input as CreateTableCommandInput), $metadata: {} };
    const table = this.tables.get(input.TableName ?? '');
    if (table === undefined) throw sdkError('ResourceNotFoundException', `Requested resource not found: Table: ${input.TableName} not found`);
    switch (operation) {
      case 'DescribeTable': {
        const described = structuredClone(table);
        // Seen CREATING once: built by the next description.
        for (const r of table.Replicas ?? []) if (r.ReplicaStatus === 'CREATING') r.ReplicaStatus = 'ACTIVE';
        return { Table: described, $metadata: {} };
      }
      case 'UpdateTable':
        for (const update of (input as UpdateTableCommandInput).ReplicaUpdates ?? []) {
          const replicas = (table.Replicas ??= []);
          const region = update.Create?.RegionName ?? update.Delete?.RegionName;
          const at = replicas.findIndex((r) => r.RegionName === region);
          if (update.Create !== undefined && at >= 0) throw sdkError('ValidationException', `table ${table.TableName} has a replica in ${region} already`);
          if (update.Delete !== undefined && at < 0) throw sdkError('ValidationException', `Cannot delete replica in region ${region}: table ${table.TableName} has none there`);
          if (update.Create !== undefined) replicas.push({ RegionName: region, ReplicaStatus: 'CREATING' });
          else replicas.splice(at, 1);
        }
        return { TableDescription: structuredClone(table), $metadata: {} };
      case 'DeleteTable':
        this.tables.delete(table.TableName!);
        return { TableDescription: { ...structuredClone(table), TableStatus: 'DELETING' }, $metadata: {} };
      default:
        return { TimeToLiveDescription: { TimeToLiveStatus: 'DISABLED' }, $metadata: {} };
    }
  }
}
