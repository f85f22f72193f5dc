import type { AnyAttribute, Shape } from './attribute.js';

/** Flattens an intersection so editors show one object type. */
export type Simplify<T> = { [K in keyof T]: T[K] } & {};

type Types<A extends AnyAttribute> = A['~types'];

// `read` is the attribute's optionality, or 'lazy' (`.lazy()`: left out until selected or loaded).
type RequiredOut<S extends Shape> = { -readonly [K in keyof S as Types<S[K]>['read'] extends false ? K : never]: Types<S[K]>['value'] };
type OptionalOut<S extends Shape> = { -readonly [K in keyof S as Types<S[K]>['read'] extends true ? K : never]?: Types<S[K]>['value'] };

/** The object a read returns: optional attributes may be absent, lazy ones are not read. */
export type ItemOf<S extends Shape> = Simplify<RequiredOut<S> & OptionalOut<S>>;

/** Names of the lazy attributes (`.lazy()`). */
export type LazyNameOf<S extends Shape> = { [K in keyof S]: Types<S[K]>['lazy'] extends true ? K & string : never }[keyof S];

type LazyRequired<S extends Shape> = { -readonly [K in LazyNameOf<S> as Types<S[K]>['optional'] extends true ? never : K]: Types<S[K]>['value'] };
type LazyOptional<S extends Shape> = { -readonly [K in LazyNameOf<S> as Types<S[K]>['optional'] extends true ? K : never]?: Types<S[K]>['value'] };

/** The item with its lazy attributes too: what `select(...)` and `load(...)` pick from. */
export type FullItemOf<S extends Shape, Item = ItemOf<S>> = [LazyNameOf<S>] extends [never] ? Item : Simplify<Item & LazyRequired<S> & LazyOptional<S>>;

type InputOptional<A extends AnyAttribute> = Types<A>['optional'] extends true ? true : Types<A>['generated'];
type RequiredIn<S extends Shape> = { -readonly [K in keyof S as InputOptional<S[K]> extends true ? never : K]: Types<S[K]>['input'] };
type OptionalIn<S extends Shape> = { -readonly [K in keyof S as InputOptional<S[K]> extends true ? K : never]?: Types<S[K]>['input'] };

/** The object a write takes: optional, defaulted and managed attributes may be left out. */
export type InputOf<S extends Shape> = Simplify<RequiredIn<S> & OptionalIn<S>>;

/** Exactly the primary key: the partition key and, where the table has one, the sort key. */
export type KeyOf<S extends Shape> = Simplify<{
  -readonly [K in keyof S as Types<S[K]>['key'] extends 'none' ? never : K]: Types<S[K]>['input'];
}>;

/** Names of the model's secondary indexes. */
export type IndexNameOf<S extends Shape> = Types<S[keyof S]>['index'];

/** The value type of one attribute. */
export type ValueOf<S extends Shape, K extends keyof S> = Types<S[K]>['value'];
