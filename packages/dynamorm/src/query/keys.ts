import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { describe, type EncodeContext } from '../schema/codec/issues.js';
import type { AnyModel } from '../schema/model.js';

/**
 * Marshals exactly the primary key of `model` from `key`: both key attributes when the table has
 * a sort key, and nothing else (a key with extra or missing attributes is a ValidationError).
 */
export function encodeKey(model: AnyModel, key: Record<string, unknown>, op: string, strict = true): Record<string, AttributeValue> {
  const ctx: EncodeContext = { issues: [] };
  const out: Record<string, AttributeValue> = {};
  const { pk, sk } = model.primary;
  for (const attribute of sk === undefined ? [pk] : [pk, sk]) {
    const v = key?.[attribute.name];
    if (v === undefined) {
      ctx.issues.push({ path: [attribute.name], expected: `the ${attribute === pk ? 'partition' : 'sort'} key (required in a key)`, received: 'nothing' });
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
      if (name !== pk.name && name !== sk?.name && key[name] !== undefined) {
        ctx.issues.push({ path: [name], expected: `no attribute besides the key (${[pk.name, sk?.name].filter(Boolean).join(', ')})`, received: describe(key[name]) });
      }
    }
  }
  model.checkKeys(out, ctx);
  if (ctx.issues.length > 0) throw model.validationError(op, ctx.issues);
  return out;
}

/** The primary key of an item, as the model names it (for error messages and results). */
export function keyOf(model: AnyModel, item: Record<string, unknown>): Record<string, unknown> {
  const { pk, sk } = model.primary;
  return sk === undefined ? { [pk.name]: item[pk.name] } : { [pk.name]: item[pk.name], [sk.name]: item[sk.name] };
}

/** A key for messages: `{ id: "1", createdAt: 2024-... }`. */
export function showKey(key: Record<string, unknown>): string {
  return `{ ${Object.entries(key).map(([k, v]) => `${k}: ${v instanceof Date ? v.toISOString() : typeof v === 'string' ? JSON.stringify(v) : String(v)}`).join(', ')} }`;
}
