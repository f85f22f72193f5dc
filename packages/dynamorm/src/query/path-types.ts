import type { AnyModel } from '../schema/model.js';
import type { Operator, OperatorFor } from './operators.js';

/* The type-level names of attributes and paths into them, as reads and conditions take them. */

type ShapeOf<M extends AnyModel> = M['~types']['shape'];
/** Attribute names of model M. */
export type AttributeName<M extends AnyModel> = M['~types']['names'];
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
/** The first segment of a path, and the rest (`a.b[0]` → `a`, `.b[0]`). */
type Split<P extends string> = P extends `${infer H}.${infer R}`
  ? H extends `${infer H2}[${infer R2}` ? [H2, `[${R2}.${R}`] : [H, `.${R}`]
  : P extends `${infer H}[${infer R}` ? [H, `[${R}`] : [P, ''];

/** The value at the rest of a path inside a value of type V, or never when it has no such path. */
type ValueAt<V, P extends string> = P extends ''
  ? V
  : unknown extends V
    ? unknown
    : V extends Scalar
      ? never
      : P extends `[${number}]${infer R}`
        ? V extends readonly (infer E)[] ? ValueAt<Exclude<E, undefined>, R> : never
        : P extends `.${infer Q}`
          ? Split<Q> extends [infer H extends string, infer R extends string]
            ? H extends keyof V
              ? ValueAt<Exclude<V[H], undefined>, R>
              : string extends keyof V ? ValueAt<Exclude<V[string & keyof V], undefined>, R> : never
            : never
          : never;

/**
 * The value type at a path (`unknown` inside maps of unknown values), never when M has no such
 * path. A path is walked segment by segment, so checking one costs its length, not the model's
 * every path.
 */
export type QueryPathValue<M extends AnyModel, P extends string> = P extends AttributeName<M>
  ? ValueOfAttr<M, P>
  : Split<P> extends [infer H extends AttributeName<M>, infer R extends string]
    ? unknown extends ValueOfAttr<M, H> ? unknown : ValueAt<NonNullable<ValueOfAttr<M, H>>, R>
    : never;

/** The operators of an attribute or path (custom types stored as scalars compare like scalars). */
export type PathOperator<M extends AnyModel, P extends string> = P extends AttributeName<M>
  ? OperatorFor<AttributeValueOf<M, P>, ShapeOf<M>[P]['~types']['keyable']>
  : OperatorFor<QueryPathValue<M, P>>;

/** Attributes and paths of M that take operator O. */
type NamesFor<M extends AnyModel, O extends Operator> = { [K in QueryPath<M>]: O extends PathOperator<M, K> ? K : never }[QueryPath<M>];

/*
 * The names a method takes are checked by a conditional parameter type rather than a constraint:
 * a good name costs one lookup (paths into values are only computed for a name that is not an
 * attribute), and a wrong one makes the parameter the plain union of the right ones, so the
 * compiler says `Argument of type '"colour"' is not assignable to parameter of type '"customerId" |
 * "orderId" | ...'`, once.
 */

/**
 * K when it is one of Allowed; otherwise Allowed rebuilt as a plain union (an alias written here
 * instead would be what the error prints).
 */
export type OneOf<K extends string, Allowed extends string> = K extends Allowed ? K : { [P in Allowed]: P }[Allowed];

/**
 * K when it is an attribute of M or a path into one; otherwise the attribute names. (Listing every
 * path for a wrong path would compute them all for every call: the compiler evaluates both
 * branches to constrain the parameter.)
 */
export type CheckedPath<M extends AnyModel, K extends string> = K extends AttributeName<M>
  ? K
  : [QueryPathValue<M, K>] extends [never]
    ? OneOf<K, AttributeName<M>>
    : K;

/** K when it is an attribute or path of M that takes operator O; otherwise those that do. */
export type CheckedPathFor<M extends AnyModel, K extends string, O extends Operator> = [K] extends [CheckedPath<M, K>]
  ? O extends PathOperator<M, K> ? K : OneOf<K, NamesFor<M, O>>
  : OneOf<K, NamesFor<M, O>>;
