import type { ScalarAttributeType, TableDescription } from '@aws-sdk/client-dynamodb';
import { model, type AnyModel } from '../schema/model.js';
import { t } from '../schema/t.js';

// One attribute type stands for the three: only the key's role and stored type matter here.
const keyType = (type: ScalarAttributeType | undefined): ReturnType<typeof t.string> => (type === 'N' ? t.number() : type === 'B' ? t.binary() : t.string()) as ReturnType<typeof t.string>;

/**
 * A model of a table that has none: its key attributes only, read from the table's description,
 * so that exports and imports of a raw table reuse the scans and batch writes of models.
 */
export function tableModel(table: string, description: TableDescription): AnyModel {
  const types = new Map((description.AttributeDefinitions ?? []).map((d) => [d.AttributeName!, d.AttributeType]));
  const attributes: Record<string, unknown> = {};
  for (const k of description.KeySchema ?? []) {
    const attribute = keyType(types.get(k.AttributeName!));
    attributes[k.AttributeName!] = k.KeyType === 'HASH' ? attribute.pk() : attribute.sk();
  }
  return model(`table ${table}`, { table, attributes: attributes as Record<string, ReturnType<typeof t.string>> }) as unknown as AnyModel;
}
