import type { KeySchemaElement, Projection as SdkProjection, TableDescription } from '@aws-sdk/client-dynamodb';

/** A key attribute of the table or an index: its stored name and scalar type. */
export interface KeyField {
  readonly field: string;
  readonly type: 'S' | 'N' | 'B';
}

/** A secondary index as DescribeTable tells it; INCLUDE lists stored names. */
export interface IndexLayout {
  readonly name: string;
  readonly type: 'GSI' | 'LSI';
  readonly pk: KeyField;
  readonly sk: KeyField | undefined;
  readonly projection: 'ALL' | 'KEYS_ONLY' | readonly string[];
}

/** The keys, indexes and TTL attribute of a table. */
export interface TableLayout {
  readonly name: string;
  readonly pk: KeyField;
  readonly sk: KeyField | undefined;
  readonly indexes: readonly IndexLayout[];
  readonly ttl: string | undefined;
}

export function tableLayout(table: TableDescription, ttl: string | undefined): TableLayout {
  const types = new Map((table.AttributeDefinitions ?? []).map((d) => [d.AttributeName!, d.AttributeType as KeyField['type']]));
  const key = (schema: readonly KeySchemaElement[] | undefined, role: 'HASH' | 'RANGE'): KeyField | undefined => {
    const name = schema?.find((k) => k.KeyType === role)?.AttributeName;
    return name === undefined ? undefined : { field: name, type: types.get(name) ?? 'S' };
  };
  const projection = (p: SdkProjection | undefined): IndexLayout['projection'] =>
    p?.ProjectionType === 'KEYS_ONLY' ? 'KEYS_ONLY' : p?.ProjectionType === 'INCLUDE' ? [...(p.NonKeyAttributes ?? [])] : 'ALL';
  const indexes: IndexLayout[] = [
    ...(table.GlobalSecondaryIndexes ?? []).map((i) => ({ name: i.IndexName!, type: 'GSI' as const, pk: key(i.KeySchema, 'HASH')!, sk: key(i.KeySchema, 'RANGE'), projection: projection(i.Projection) })),
    ...(table.LocalSecondaryIndexes ?? []).map((i) => ({ name: i.IndexName!, type: 'LSI' as const, pk: key(i.KeySchema, 'HASH')!, sk: key(i.KeySchema, 'RANGE'), projection: projection(i.Projection) })),
  ];
  return { name: table.TableName!, pk: key(table.KeySchema, 'HASH')!, sk: key(table.KeySchema, 'RANGE'), indexes, ttl };
}

/** Every stored key field of the table and its indexes. */
export function keyFields(layout: TableLayout): Set<string> {
  const fields = new Set<string>();
  for (const k of [layout.pk, layout.sk, ...layout.indexes.flatMap((i) => [i.pk, i.sk])]) if (k !== undefined) fields.add(k.field);
  return fields;
}
