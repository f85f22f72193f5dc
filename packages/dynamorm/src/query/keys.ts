import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { describe, type EncodeContext } from '../schema/codec/issues.js';
import { fill, parse } from '../schema/key-template.js';
import type { AnyModel } from '../schema/model.js';

/**
 * Marshals exactly the primary key of `model` from `key`: both key attributes when the table has
 * a sort key (for a single-table model, the attributes its key templates name, composed into the
 * key fields), and nothing else (a key with extra or missing attributes is a ValidationError).
 */
export function encodeKey(model: AnyModel, key: Record<string, unknown>, op: string, strict = true): Record<string, AttributeValue> {
  const ctx: EncodeContext = { issues: [] };
  const out: Record<string, AttributeValue> = {};
  const { pk } = model.primary;
  const attributes = model.primaryKeyAttributes;
  const templates = model.keyTemplates;
  for (const attribute of attributes) {
    const v = key?.[attribute.name];
    if (v === undefined) {
      const role = templates !== undefined ? 'an attribute of the key templates' : attribute === pk ? 'the partition key' : 'the sort key';
      ctx.issues.push({ path: [attribute.name], expected: `${role} (required in a key)`, received: 'nothing' });
      continue;
    }
    const before = ctx.issues.length;
    const encoded = attribute.encode(v, ctx);
    if (ctx.issues.length !== before) {
      for (let i = before; i < ctx.issues.length; i++) ctx.issues[i]!.path.unshift(attribute.name);
    } else out[attribute.field] = encoded!;
  }
  if (strict && typeof key === 'object' && key !== null) {
    for (const name of Object.keys(key)) {
      if (!attributes.some((a) => a.name === name) && key[name] !== undefined) {
        ctx.issues.push({ path: [name], expected: `no attribute besides the key (${attributes.map((a) => a.name).join(', ')})`, received: describe(key[name]) });
      }
    }
  }
  if (templates !== undefined && ctx.issues.length === 0) {
    // Single-table models: the stored key is the composed fields, not the attributes.
    const composed: Record<string, AttributeValue> = {};
    for (const t of [templates.pk, templates.sk]) if (t !== undefined) composed[t.field] = { S: fill(t, out)! };
    model.checkKeys(composed, ctx);
    if (ctx.issues.length > 0) throw model.validationError(op, ctx.issues);
    return composed;
  }
  model.checkKeys(out, ctx);
  if (ctx.issues.length > 0) throw model.validationError(op, ctx.issues);
  return out;
}

/** The primary key of an item, as the model names it (for error messages and results). */
export function keyOf(model: AnyModel, item: Record<string, unknown>): Record<string, unknown> {
  const key: Record<string, unknown> = {};
  for (const a of model.primaryKeyAttributes) key[a.name] = item[a.name];
  return key;
}

/**
 * The primary key of a stored item or stored key, as the model names it: from its attributes, or
 * read back from its composed key fields (single-table models, whose stored key holds only
 * `PK` / `SK`); the stored key fields as they are when neither works (another model's item).
 */
export function storedKeyOf(model: AnyModel, stored: Record<string, AttributeValue>): Record<string, unknown> {
  const attributes: Record<string, AttributeValue> = {};
  for (const a of model.primaryKeyAttributes) if (stored[a.field] !== undefined) attributes[a.field] = stored[a.field]!;
  const templates = model.keyTemplates;
  if (templates !== undefined && Object.keys(attributes).length < model.primaryKeyAttributes.length) {
    for (const t of [templates.pk, templates.sk]) {
      const text = t === undefined ? undefined : stored[t.field]?.S;
      if (text !== undefined) Object.assign(attributes, parse(t!, text));
    }
  }
  try {
    if (model.primaryKeyAttributes.every((a) => attributes[a.field] !== undefined)) return keyOf(model, model.unmarshal(attributes) as Record<string, unknown>);
  } catch {
    // Not this model's key: shown as stored below.
  }
  const raw: Record<string, unknown> = {};
  for (const key of [model.primary.pk, model.primary.sk]) if (key !== undefined && stored[key.field] !== undefined) raw[key.field] = Object.values(stored[key.field]!)[0];
  return raw;
}

/** A key for messages: `{ id: "1", createdAt: 2024-... }`. */
export function showKey(key: Record<string, unknown>): string {
  return `{ ${Object.entries(key).map(([k, v]) => `${k}: ${v instanceof Date ? v.toISOString() : typeof v === 'string' ? JSON.stringify(v) : String(v)}`).join(', ')} }`;
}
