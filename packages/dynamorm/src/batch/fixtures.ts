import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { ValidationError, type ValidationIssue } from '../errors/errors.js';
import { timestampFor } from '../query/managed.js';
import type { Session } from '../query/session.js';
import type { AnyModel } from '../schema/model.js';
import { batchWriteStored } from './write.js';
import { keyId } from './key-id.js';

/**
 * Items to load, by registered model name: `{ User: [...], Account: [...] }`. Each item is what
 * `create()` takes; managed attributes left out are filled as a create fills them.
 */
export type Fixture = { readonly [modelName: string]: readonly object[] };

/** How many items were written, by model name. */
export type FixtureCounts = Record<string, number>;

/** The stored form of one fixture item: createdAt/updatedAt now, version 1 unless given. */
function storedItem(model: AnyModel, input: Record<string, unknown>, now: Date): Record<string, AttributeValue> {
  const item = { ...input };
  for (const entry of [model.createdAtAttribute, model.updatedAtAttribute]) {
    if (entry !== undefined && item[entry.name] === undefined) item[entry.name] = timestampFor(entry, now);
  }
  const version = model.versionAttribute;
  if (version !== undefined && item[version.name] === undefined) item[version.name] = 1;
  return model.marshal(item, 'loadFixture');
}

const MAX_LISTED = 10;

/**
 * Validates every item of every named model, then writes them all with BatchWriteItem (retrying unprocessed items). Nothing
 * is written when a name is unknown, an item is invalid, or two items share a key.
 */
export async function loadFixture(session: Session, models: (name: string) => AnyModel | undefined, registered: () => string[], fixture: Fixture): Promise<FixtureCounts> {
  const issues: ValidationIssue[] = [];
  const batches: { model: AnyModel; items: Record<string, AttributeValue>[] }[] = [];
  const now = new Date();
  for (const [name, items] of Object.entries(fixture)) {
    const model = models(name);
    if (model === undefined) {
      const message = `no registered model named "${name}" (registered: ${registered().join(', ') || 'none'}); register it with orm.register(Model) or new DynamORM({ models: [...] })`;
      issues.push({ attribute: name, expected: 'a registered model name', received: `"${name}"`, message });
      continue;
    }
    const stored: Record<string, AttributeValue>[] = [];
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
      try {
        const s = storedItem(model, item as Record<string, unknown>, now);
        const key = keyId('', model, s);
        const first = seen.get(key);
        if (first !== undefined) {
          issues.push({ attribute: `${name}[${i}]`, expected: 'a key no other item of the fixture has', received: `the key of ${name}[${first}]`, message: `${name}[${i}] has the same key as ${name}[${first}]: one would overwrite the other` });
        } else seen.set(key, i);
        stored.push(s);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        for (const issue of error.issues) issues.push({ ...issue, attribute: `${name}[${i}]${issue.attribute === '' ? '' : `.${issue.attribute}`}`, message: `${name}[${i}]: ${issue.message}` });
      }
    });
    batches.push({ model, items: stored });
  }
  if (issues.length > 0) {
    const listed = issues.slice(0, MAX_LISTED).map((i) => i.message).join('; ');
    const more = issues.length > MAX_LISTED ? `; and ${issues.length - MAX_LISTED} more` : '';
    throw new ValidationError(issues, { op: 'loadFixture' }, `loadFixture: nothing was written: ${listed}${more}`);
  }
  await Promise.all(batches.map(({ model, items }) => batchWriteStored(session, model, 'loadFixture', items.map((Item) => ({ PutRequest: { Item } })))));
  return Object.fromEntries(batches.map(({ model, items }) => [model.name, items.length]));
}
