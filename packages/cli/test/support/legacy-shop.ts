// A single-table design as code written with the raw AWS SDK left it: PK/SK, an overloaded GSI1,
// a local index LSI1, a Type discriminator, snake_case names, epoch-millisecond dates, TTL.
import { CreateTableCommand, UpdateTimeToLiveCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const S = 'S' as const;

export async function createLegacyShop(client: DynamoDBClient, table: string): Promise<void> {
  await client.send(new CreateTableCommand({
    TableName: table,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: ['PK', 'SK', 'GSI1PK', 'GSI1SK', 'LSI1SK'].map((name) => ({ AttributeName: name, AttributeType: S })),
    KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }, { AttributeName: 'SK', KeyType: 'RANGE' }],
    GlobalSecondaryIndexes: [{
      IndexName: 'GSI1',
      KeySchema: [{ AttributeName: 'GSI1PK', KeyType: 'HASH' }, { AttributeName: 'GSI1SK', KeyType: 'RANGE' }],
      Projection: { ProjectionType: 'ALL' },
    }],
    LocalSecondaryIndexes: [{
      IndexName: 'LSI1',
      KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }, { AttributeName: 'LSI1SK', KeyType: 'RANGE' }],
      Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['total', 'order_id', 'status'] },
    }],
  }));
  await client.send(new UpdateTimeToLiveCommand({ TableName: table, TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires_at' } }));
}

const customers = [
  { id: 'c1', name: 'Ann', email: 'ann@example.com', created: 1714642200000, tags: ['vip'], address: { street_name: 'Main St', city: 'Oslo' } },
  { id: 'c2', name: 'Bob', email: 'bob@example.com', created: 1714728600000, address: { street_name: 'High St', city: 'Leeds' } },
  { id: 'c3', name: 'Cyd', email: 'cyd@example.com', created: 1714815000000, tags: ['new', 'eu'], address: { street_name: 'Rue Haute', city: 'Paris' } },
];
const orders = [
  { customer: 'c1', id: 'o1', at: '2024-05-02T09:30:00.000Z', status: 'SHIPPED', total: 42.5, lines: [{ sku: 'A-1', qty: 2 }] },
  { customer: 'c1', id: 'o2', at: '2024-05-03T10:00:00.000Z', status: 'PENDING', total: 10, lines: [{ sku: 'B-2', qty: 1 }, { sku: 'C-3', qty: 4 }] },
  { customer: 'c2', id: 'o3', at: '2024-05-04T11:15:00.000Z', status: 'SHIPPED', total: 99.99, lines: [{ sku: 'A-1', qty: 1 }], expires: 1893456000 },
  { customer: 'c3', id: 'o4', at: '2024-05-05T12:45:00.000Z', status: 'PENDING', total: 5, lines: [] as { sku: string; qty: number }[] },
];

/** The items as the legacy code wrote them (plain JavaScript values, marshalled by the document client). */
export function legacyItems(): Record<string, unknown>[] {
  return [
    ...customers.map((c) => ({
      PK: `CUSTOMER#${c.id}`, SK: 'PROFILE', Type: 'Customer',
      customer_id: c.id, full_name: c.name, email: c.email, created_at: c.created,
      ...(c.tags === undefined ? {} : { tags: new Set(c.tags) }), address: c.address,
      GSI1PK: `EMAIL#${c.email}`, GSI1SK: `CUSTOMER#${c.id}`,
    })),
    ...orders.map((o) => ({
      PK: `CUSTOMER#${o.customer}`, SK: `ORDER#${o.at}#${o.id}`, Type: 'Order',
      order_id: o.id, status: o.status, total: o.total, lines: o.lines,
      ...(o.expires === undefined ? {} : { expires_at: o.expires }),
      GSI1PK: `ORDERS#${o.status}`, GSI1SK: `ORDER#${o.at}#${o.id}`, LSI1SK: `STATUS#${o.status}#${o.at}`,
    })),
  ];
}

export async function fillLegacyShop(client: DynamoDBClient, table: string): Promise<void> {
  const doc = DynamoDBDocumentClient.from(client);
  await doc.send(new BatchWriteCommand({ RequestItems: { [table]: legacyItems().map((Item) => ({ PutRequest: { Item } })) } }));
}

export type StoredItem = Record<string, AttributeValue>;
