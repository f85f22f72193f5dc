import type { AnyModel } from '../schema/model.js';
import type { OperatorFor } from './operators.js';

/* The type-level names of attributes and paths into them, as reads and conditions take them. */

type ShapeOf<M extends AnyModel> = M['~types']['shape'];
/** Attribute names of model M. */
export type AttributeName<M extends AnyModel> = keyof ShapeOf<M> & string;
/** The value type of a top-level attribute. */
export type AttributeValueOf<M extends AnyModel, K extends AttributeName<M>> = ShapeOf<M>[K]['~types']['value'];
type ValueOfAttr<M extends AnyModel, K extends AttributeName<M>> = AttributeValueOf<M, K>;

type Scalar = string | number | bigint | boolean | Date | Uint8Array | ReadonlySet<unknown> | null | undefined;
type Deeper = [never, 0, 1, 2];
/** `[path, value]` entries of the paths inside a value: object properties, map keys, list indexes. */
type NestedEntries<V, P extends string, D extends number> = [D] extends [never]
  ? never
  : unknown extends V
    ? { path: `${P}.${string}` | `${P}[${number}]`; value: unknown }
    : V extends Scalar
      ? never
      : V extends readonly (infer E)[]
        ? { path: `${P}[${number}]`; value: E } | NestedEntries<E, `${P}[${number}]`, Deeper[D]>
        : { [K in keyof V & string]-?: { path: `${P}.${K}`; value: Exclude<V[K], undefined> } | NestedEntries<Exclude<V[K], undefined>, `${P}.${K}`, Deeper[D]> }[keyof V & string];
type EntriesOf<M extends AnyModel> = {
  [K in AttributeName<M>]: unknown extends ValueOfAttr<M, K> ? NestedEntries<unknown, K, 3> : NestedEntries<NonNullable<ValueOfAttr<M, K>>, K, 3>;
}[AttributeName<M>];
/**
 * An attribute of model M, or a path into one: `preferences.theme` (a property of a t.object or a
 * key of a t.map / t.unknown), `history[2]` (a list element), up to three levels deep.
 */
export type QueryPath<M extends AnyModel> = AttributeName<M> | EntriesOf<M>['path'];
/** The value type at a path (`unknown` inside maps of unknown values). */
export type QueryPathValue<M extends AnyModel, P extends string> = P extends AttributeName<M>
  ? ValueOfAttr<M, P>
  : EntriesOf<M> extends infer E ? (E extends { path: infer Q; value: infer V } ? (P extends Q ? V : never) : never) : never;

/** The operators of an attribute or path (custom types stored as scalars compare like scalars). */
export type PathOperator<M extends AnyModel, P extends string> = P extends AttributeName<M>
  ? OperatorFor<AttributeValueOf<M, P>, ShapeOf<M>[P]['~types']['keyable']>
  : OperatorFor<QueryPathValue<M, P>>;
