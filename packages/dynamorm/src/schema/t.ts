import { Attribute, attrDef, type AnyAttribute, type CustomStorage, type DateFormat, type Shape, type StorageOf, type AttrDef } from './attribute.js';
import type { InputOf, ItemOf } from './infer.js';

type ValueOfAttr<A extends AnyAttribute> = A['~types']['value'];
type InputOfAttr<A extends AnyAttribute> = A['~types']['input'];

function shapeDefs(shape: Shape): Record<string, AttrDef> {
  const defs: Record<string, AttrDef> = {};
  for (const [name, attribute] of Object.entries(shape)) defs[name] = attribute.def;
  return Object.freeze(defs);
}

/**
 * The attribute builders. Each maps a TypeScript type to a DynamoDB type:
 * string S, number N, bigint N (exact), boolean BOOL, binary B, date S (ISO) or N (epoch),
 * sets SS/NS/BS as `Set`, list L, map and object M, enum S, ttl N (epoch seconds).
 */
export const t = {
  string: (): Attribute<string> => new Attribute(attrDef('string')),
  number: (): Attribute<number> => new Attribute(attrDef('number')),
  /** Exact integers beyond 2^53, stored as N. */
  bigint: (): Attribute<bigint> => new Attribute(attrDef('bigint')),
  boolean: (): Attribute<boolean> => new Attribute(attrDef('boolean')),
  binary: (): Attribute<Uint8Array> => new Attribute(attrDef('binary')),
  /** A Date, stored as ISO-8601 text by default (sorts as time), or as epoch seconds/milliseconds. */
  date: (options: { storeAs?: DateFormat } = {}): Attribute<Date> =>
    new Attribute(attrDef('date', { dateFormat: options.storeAs ?? 'iso' })),
  stringSet: (): Attribute<Set<string>> => new Attribute(attrDef('stringSet')),
  numberSet: (): Attribute<Set<number>> => new Attribute(attrDef('numberSet')),
  binarySet: (): Attribute<Set<Uint8Array>> => new Attribute(attrDef('binarySet')),
  list: <A extends AnyAttribute>(element: A): Attribute<ValueOfAttr<A>[], InputOfAttr<A>[]> =>
    new Attribute(attrDef('list', { element: element.def })),
  /** A map with free keys and values of one schema (`t.map(t.unknown())` for anything). */
  map: <A extends AnyAttribute>(element: A): Attribute<Record<string, ValueOfAttr<A>>, Record<string, InputOfAttr<A>>> =>
    new Attribute(attrDef('map', { element: element.def })),
  /** A nested object with a schema of its own, stored as M. */
  object: <S extends Shape>(shape: S): Attribute<ItemOf<S>, InputOf<S>> =>
    new Attribute(attrDef('object', { shape: shapeDefs(shape) })),
  enum: <const V extends readonly [string, ...string[]]>(values: V): Attribute<V[number]> =>
    new Attribute(attrDef('enum', { values: Object.freeze([...values]) })),
  /** The table's TTL attribute: epoch seconds; a Date is accepted on input. */
  ttl: (): Attribute<number, number | Date> => new Attribute(attrDef('ttl')),
  /** Any value DynamoDB can hold, converted generically (strings, numbers, maps, lists, sets...). */
  unknown: (): Attribute<unknown> => new Attribute(attrDef('unknown')),
  /**
   * A user converter: `marshal` turns the value into the stored scalar, `unmarshal` back.
   * A custom attribute stores a scalar (S, N or B), so it can be a key whatever its TypeScript type.
   * @example t.custom({ type: 'S', marshal: (m: Money) => m.toString(), unmarshal: (s) => Money.parse(s) })
   */
  custom: <T, S extends CustomStorage>(converter: {
    type: S;
    marshal: (value: T) => StorageOf<S>;
    unmarshal: (stored: S extends 'N' ? string : StorageOf<S>) => T;
  }): Attribute<T, T, false, false, 'none', never, true> => new Attribute(attrDef('custom', { custom: converter as unknown as AttrDef['custom'] })),
};
