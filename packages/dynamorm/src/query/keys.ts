import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { EncodeContext } from '../schema/codec/issues.js';
import { conditionFields } from '../expression/evaluate.js';
import type { Condition } from '../expression/nodes.js';
import { fill } from '../schema/key-template.js';
import type { AnyModel } from '../schema/model.js';
import { merged } from '../util/merged.js';

/**
 * Marshals the primary key of `model` from `key`: both key attributes when the table has a sort
 * key (for a single-table model, the attributes its key templates name, composed into the key
 * fields). `key` may be a whole item: its other attributes are ignored; a key attribute it lacks
 * is a ValidationError.
 */
export function encodeKey(model: AnyModel, key: Record<string, unknown>, op: string): Record<string, AttributeValue> {
  const ctx: EncodeContext = { issues: [] };
  const out: Record<string, AttributeValue> = {};
  const attributes = model.primaryKeyAttributes;
  const templates = model.keyTemplates;
  const named = model.keyOf(key, op) as Record<string, unknown>;
  for (const attribute of attributes) {
    const before = ctx.issues.length;
    const encoded = attribute.encode(named[attribute.name], ctx);
    if (ctx.issues.length !== before) {
      for (let i = before; i < ctx.issues.length; i++) ctx.issues[i]!.path.unshift(attribute.name);
    } else out[attribute.field] = encoded!;
  }
  if (templates !== undefined && ctx.issues.length === 0) {
    // Single-table models: the stored key is the composed fields, not the attributes.
    const composed: Record<string, AttributeValue> = {};
    for (const t of [templates.pk, templates.sk]) if (t !== undefined) composed[t.field] = { S: fill(t, out)! };
    model.checkKeys(merged(out, composed), ctx);
    if (ctx.issues.length > 0) throw model.validationError(op, ctx.issues);
    return composed;
  }
  model.checkKeys(out, ctx);
  if (ctx.issues.length > 0) throw model.validationError(op, ctx.issues);
  return out;
}

export { showKey } from '../schema/codec/issues.js';

/**
 * A write condition cannot read a key-only attribute: it is no stored attribute, so DynamoDB
 * would find it absent. The key written already fixes its value: refused, saying so.
 */
export function refuseKeyOnlyCondition(model: AnyModel, condition: Condition | undefined, op: string): void {
  if (condition === undefined || model.keyOnlyAttributes.length === 0) return;
  const fields = conditionFields(condition);
  const read = model.keyOnlyAttributes.filter((e) => fields.has(e.field));
  if (read.length === 0) return;
  throw model.validationError(op, read.map((e) => ({
    path: [e.name],
    expected: 'no write condition on a key-only attribute',
    received: 'a condition on it',
    note: `is stored only inside the table's key (.keyOnly()), so a write condition cannot read it; the key of the write already fixes its value: drop the condition (or check it before writing)`,
  })));
}
