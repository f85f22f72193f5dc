import type { AttributeDefinition, CreateTableCommandInput, GlobalSecondaryIndex, KeySchemaElement, LocalSecondaryIndex, Projection as SdkProjection } from '@aws-sdk/client-dynamodb';
import { ModelDefinitionError } from '../errors/errors.js';
import type { AccessPath, AnyModel } from '../schema/model.js';
import { keyStorage } from '../schema/model.js';

export interface Capacity {
  readonly billingMode: 'PROVISIONED' | 'PAY_PER_REQUEST';
  readonly readCapacity: number;
  readonly writeCapacity: number;
}

function keySchema(path: AccessPath): KeySchemaElement[] {
  const schema: KeySchemaElement[] = [{ AttributeName: path.pk.field, KeyType: 'HASH' }];
  if (path.sk !== undefined) schema.push({ AttributeName: path.sk.field, KeyType: 'RANGE' });
  return schema;
}

function projection(model: AnyModel, path: AccessPath): SdkProjection {
  if (path.projection === 'ALL' || path.projection === 'KEYS_ONLY') return { ProjectionType: path.projection };
  const fields = (path.projection as readonly string[]).map((n) => model.attribute(n)!.field);
  // A single-table model's reads check the discriminator: an index that includes attributes includes it too.
  if (model.entityField !== undefined) fields.push(model.entityField);
  return { ProjectionType: 'INCLUDE', NonKeyAttributes: fields };
}

/**
 * The CreateTable request for a table, from every model stored in it: the shared primary key,
 * each model's indexes (a GSI or LSI shared by several models must agree), and the capacity.
 */
export function tableDefinition(table: string, models: readonly AnyModel[], capacity: Capacity): CreateTableCommandInput {
  const first = models[0]!;
  const attributes = new Map<string, AttributeDefinition>();
  const define = (model: AnyModel, path: AccessPath): void => {
    for (const key of [path.pk, path.sk]) {
      if (key === undefined) continue;
      const type = keyStorage(key.def)!;
      const known = attributes.get(key.field);
      if (known !== undefined && known.AttributeType !== type) {
        throw new ModelDefinitionError(model.name, key.name, `stored as ${key.field} of type ${type}, but another model of table ${table} keys it as ${known.AttributeType}`);
      }
      attributes.set(key.field, { AttributeName: key.field, AttributeType: type });
    }
  };
  const provisioned = capacity.billingMode === 'PROVISIONED';
  const gsis = new Map<string, GlobalSecondaryIndex>();
  const lsis = new Map<string, LocalSecondaryIndex>();
  for (const model of models) {
    if (model.primary.pk.field !== first.primary.pk.field || model.primary.sk?.field !== first.primary.sk?.field) {
      throw new ModelDefinitionError(model.name, model.primary.pk.name, `shares table ${table} with ${first.name} but not its primary key`);
    }
    define(model, model.primary);
    for (const path of model.indexes.values()) {
      define(model, path);
      const name = path.index!;
      const index = path.type === 'LSI'
        ? { IndexName: name, KeySchema: keySchema(path), Projection: projection(model, path) }
        : {
          IndexName: name,
          KeySchema: keySchema(path),
          Projection: projection(model, path),
          ...(provisioned ? { ProvisionedThroughput: { ReadCapacityUnits: path.readCapacity ?? capacity.readCapacity, WriteCapacityUnits: path.writeCapacity ?? capacity.writeCapacity } } : {}),
        };
      const all: Map<string, GlobalSecondaryIndex | LocalSecondaryIndex> = path.type === 'LSI' ? lsis : gsis;
      // An index several models share (an overloaded GSI) must be keyed alike; INCLUDE projections add up.
      const known = all.get(name);
      if (known !== undefined) {
        const keys = (i: { KeySchema?: KeySchemaElement[] }): string => i.KeySchema!.map((k) => `${k.AttributeName} ${k.KeyType}`).join(', ');
        if (keys(known) !== keys(index)) throw new ModelDefinitionError(model.name, undefined, `index ${name} of table ${table} is keyed (${keys(index)}), but another model keys it (${keys(known)}): models sharing an index use the same key fields`);
        if (known.Projection!.ProjectionType !== index.Projection.ProjectionType) throw new ModelDefinitionError(model.name, undefined, `index ${name} of table ${table} projects ${index.Projection.ProjectionType}, but another model's projects ${known.Projection!.ProjectionType}`);
        if (index.Projection.ProjectionType === 'INCLUDE') index.Projection.NonKeyAttributes = [...new Set([...known.Projection!.NonKeyAttributes!, ...index.Projection.NonKeyAttributes!])];
      }
      all.set(name, index);
    }
  }
  return {
    TableName: table,
    AttributeDefinitions: [...attributes.values()],
    KeySchema: keySchema(first.primary),
    BillingMode: capacity.billingMode,
    ...(provisioned ? { ProvisionedThroughput: { ReadCapacityUnits: capacity.readCapacity, WriteCapacityUnits: capacity.writeCapacity } } : {}),
    ...(gsis.size > 0 ? { GlobalSecondaryIndexes: [...gsis.values()] } : {}),
    ...(lsis.size > 0 ? { LocalSecondaryIndexes: [...lsis.values()] } : {}),
  };
}
