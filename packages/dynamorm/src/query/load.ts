import { ItemNotFoundError, ValidationError } from '../errors/errors.js';
import { batchGetMany } from '../batch/get.js';
import type { Simplify } from '../schema/infer.js';
import type { AnyModel, InferFullItem, InferLazyName } from '../schema/model.js';
import { showKey } from '../schema/codec/issues.js';
import type { OnInvalid } from './item-reader.js';
import type { OneOf } from './path-types.js';
import type { Session } from './session.js';
import { markLoaded } from './unread-lazy.js';
import { merged } from '../util/merged.js';

/**
 * K when it is a lazy attribute of M; otherwise the lazy attributes as a plain union, or a
 * sentence when M has none (what the compiler then prints).
 */
export type LazyName<M extends AnyModel, K extends string> = [InferLazyName<M>] extends [never]
  ? `${M['~types']['name']} has no .lazy() attributes to load`
  : OneOf<K, InferLazyName<M>>;

/** An item with the lazy attributes K read. */
export type Loaded<M extends AnyModel, I, K extends string> = Simplify<I & Pick<InferFullItem<M>, K & keyof InferFullItem<M>>>;

export interface LoadOptions {
  readonly consistent: boolean;
  readonly onInvalid: OnInvalid | undefined;
}

/**
 * Reads the lazy `attributes` of items already read (each item stands for its key) and returns
 * copies with them. Through the get coalescing (batch/loader.ts): the keys of one call, and of
 * every load and get of the same tick, go out as BatchGetItem requests whose projection is the
 * attributes asked for plus the keys. An item no longer stored rejects with ItemNotFoundError.
 */
export async function loadLazy(session: Session, model: AnyModel, items: readonly object[], attributes: readonly string[], options: LoadOptions): Promise<Record<string, unknown>[]> {
  const select = checkLazy(model, attributes);
  const keys = items.map((item) => model.keyOf(item, 'load') as Record<string, unknown>);
  const { loader } = session;
  // The item was read already: a TTL passed since does not hide what is loaded for it.
  const read = { consistent: options.consistent, includeExpired: true, onInvalid: options.onInvalid, select };
  const loaded = loader !== undefined
    ? await Promise.all(keys.map((key) => loader.load(model, key, merged(read, { signal: session.signal, op: 'load' }))))
    : (await batchGetMany(session, [{ model, keys, select }], merged(read, { ordered: true }), 'load'))[0]!;
  return items.map((item, i) => {
    const found = loaded[i] as Record<string, unknown> | undefined;
    if (found === undefined) {
      throw new ItemNotFoundError(`load ${model.name} ${showKey(keys[i]!)}: the item is no longer stored (deleted since it was read); read it again`, { op: 'load', model: model.name, context: { key: keys[i] } });
    }
    const copy = merged(item as Record<string, unknown>, found);
    markLoaded(item, copy, select);
    return copy;
  });
}

/** The attributes asked for, in the model's order (so that loads of one tick share a request), or a ValidationError. */
function checkLazy(model: AnyModel, attributes: readonly string[]): readonly string[] {
  const lazy = model.lazyAttributes.map((e) => e.name);
  const wrong = attributes.find((a) => !lazy.includes(a));
  if (wrong !== undefined || attributes.length === 0) {
    const received = wrong === undefined ? 'no attribute' : `"${String(wrong)}"`;
    const what = lazy.length === 0 ? `${model.name} has no .lazy() attributes` : `load reads ${model.name}'s lazy attributes (${lazy.join(', ')})`;
    const message = `load ${model.name}: ${received} is not a lazy attribute; ${what}; other attributes are read with the item already`;
    throw new ValidationError([{ attribute: wrong === undefined ? '' : String(wrong), expected: `a lazy attribute of ${model.name}`, received, message }], { op: 'load', model: model.name }, message);
  }
  return lazy.filter((a) => attributes.includes(a));
}
