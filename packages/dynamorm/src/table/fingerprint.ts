import { createHash } from 'node:crypto';
import type { AnyModel } from '../schema/model.js';
import { tableDefinition } from './definition.js';

/**
 * The models' schema fingerprint: SHA-256 of what they declare of their tables (keys, attribute
 * types, indexes and projections, TTL attribute), not of capacity or billing. Recorded with each
 * migration, so a deployment can tell whether its models are the ones the migrations left.
 */
export function schemaFingerprint(tables: ReadonlyMap<string, readonly AnyModel[]>): string {
  const shape = [...tables].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([table, models]) => {
    const d = tableDefinition(table, models, { billingMode: 'PAY_PER_REQUEST', readCapacity: 0, writeCapacity: 0 });
    const byName = <T extends { IndexName?: string | undefined }>(list: readonly T[] | undefined): T[] => [...(list ?? [])].sort((x, y) => (x.IndexName! < y.IndexName! ? -1 : 1));
    return {
      table,
      keys: d.KeySchema,
      attributes: [...(d.AttributeDefinitions ?? [])].sort((x, y) => (x.AttributeName! < y.AttributeName! ? -1 : 1)),
      gsis: byName(d.GlobalSecondaryIndexes).map((i) => ({ name: i.IndexName, keys: i.KeySchema, projection: i.Projection })),
      lsis: byName(d.LocalSecondaryIndexes).map((i) => ({ name: i.IndexName, keys: i.KeySchema, projection: i.Projection })),
      ttl: models.map((m) => m.ttlAttribute?.field).find((f) => f !== undefined) ?? null,
    };
  });
  return createHash('sha256').update(JSON.stringify(shape)).digest('hex');
}
