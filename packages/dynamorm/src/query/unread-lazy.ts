import { ValidationError } from '../errors/errors.js';
import type { AnyModel } from '../schema/model.js';
import { showKey } from './keys.js';

/**
 * The lazy attributes each object a read returned was read without. A put replaces the whole
 * item, so putting such an object back would remove them from DynamoDB: every put checks here.
 * Keyed by the object itself (no visible property); a copy the caller makes is the caller's own.
 */
const unread = new WeakMap<object, readonly string[]>();

/** The lazy attributes of `model` a read of `select` leaves out (none when it reads whole items). */
export function lazyLeftOut(model: AnyModel, select: readonly string[] | undefined): readonly string[] {
  if (select === undefined) return [];
  return model.lazyAttributes.filter((e) => !select.includes(e.name)).map((e) => e.name);
}

/** Records that a read returned `item` without these lazy attributes. */
export function markUnread(item: object, names: readonly string[]): void {
  if (names.length > 0) unread.set(item, names);
}

/** `copy` of `item` with `loaded` read since: it still lacks the lazy attributes `item` lacked but these. */
export function markLoaded(item: object, copy: object, loaded: readonly string[]): void {
  const names = unread.get(item);
  if (names !== undefined) markUnread(copy, names.filter((n) => !loaded.includes(n)));
}

/**
 * Refuses a put (or create) of an object a read returned without lazy attributes that it still
 * lacks: the put would remove them. A lazy attribute set on the object since is written as given.
 */
export function refuseUnreadLazy(model: AnyModel, op: string, input: Record<string, unknown>): void {
  const names = unread.get(input)?.filter((n) => input[n] === undefined);
  if (names === undefined || names.length === 0) return;
  const key = model.keyOf(input, op) as Record<string, unknown>;
  const load = `orm.model(${model.name}).load(item, ${names.map((n) => `'${n}'`).join(', ')})`;
  const message = `${op} ${model.name} ${showKey(key)}: the item was read without its lazy attributes ${names.join(', ')}, and a put replaces the whole item: it would remove them from DynamoDB; load them first (${load}), or update() the attributes that changed`;
  const issues = names.map((attribute) => ({
    attribute, expected: 'its value, loaded or set', received: 'nothing: the read left it out', message: `${model.name}.${attribute}: left out by the read (lazy); load it before a put`,
  }));
  throw new ValidationError(issues, { op, model: model.name, context: { key } }, message);
}
