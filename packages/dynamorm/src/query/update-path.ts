import type { Path } from '../expression/nodes.js';
import { attrDef, type AttrDef } from '../schema/attribute.js';
import { isProblem, resolvePath } from './paths.js';
import type { ShapeEntry } from '../schema/codec/compile.js';
import type { AnyModel } from '../schema/model.js';

type S<M extends AnyModel> = M['~types']['shape'];
type T<M extends AnyModel, K extends keyof S<M>> = S<M>[K]['~types'];

/** Attributes an update may change: all but the primary key (the version is refused at runtime). */
export type UpdatableName<M extends AnyModel> = {
  [K in keyof S<M>]: T<M, K>['key'] extends 'none' ? (K extends string ? K : never) : never;
}[keyof S<M>];

type Depth = [never, 0, 1, 2];
type Leaf = Date | ReadonlySet<unknown> | Uint8Array | bigint | string | number | boolean | null | undefined;

/** `.a`, `.a.b`, `[0]`, `[0].c`: the paths inside a value of type V, three levels deep at most. */
type SubPaths<V, D extends number> = [D] extends [never]
  ? never
  : V extends Leaf
    ? never
    : V extends readonly (infer E)[]
      ? `[${number}]` | `[${number}]${SubPaths<NonNullable<E>, Depth[D]>}`
      : V extends object
        ? { [K in keyof V & string]-?: `.${K}` | `.${K}${SubPaths<NonNullable<V[K]>, Depth[D]>}` }[keyof V & string]
        : never;

type Input<M extends AnyModel, K extends keyof S<M>> = T<M, K>['input'];

/**
 * What `u.set(path, ...)` accepts: an attribute, or a path into it: `preferences.theme` (a map
 * entry or an object property) or `history[0]` (a list element).
 */
export type UpdatePath<M extends AnyModel> =
  | UpdatableName<M>
  | { [K in UpdatableName<M>]: `${K}${SubPaths<NonNullable<Input<M, K>>, 2>}` }[UpdatableName<M>];

/** The first segment of a path, and the rest. */
type Split<P extends string> = P extends `${infer H}.${infer R}`
  ? H extends `${infer H2}[${infer R2}` ? [H2, `[${R2}.${R}`] : [H, `.${R}`]
  : P extends `${infer H}[${infer R}` ? [H, `[${R}`] : [P, ''];

type At<V, P extends string> = P extends ''
  ? V
  : P extends `[${number}]${infer R}`
    ? NonNullable<V> extends readonly (infer E)[] ? At<E, R> : never
    : P extends `.${infer Q}`
      ? Split<Q> extends [infer H extends string, infer R extends string]
        ? H extends keyof NonNullable<V>
          ? At<NonNullable<V>[H], R>
          : string extends keyof NonNullable<V> ? At<NonNullable<V>[string], R> : never
        : never
      : never;

/** The value a path takes in an update: the attribute's input type, or the nested element's. */
export type PathValue<M extends AnyModel, P extends string> = P extends keyof S<M>
  ? Input<M, P>
  : Split<P> extends [infer H extends keyof S<M>, infer R extends string] ? At<Input<M, H>, R> : never;

/** Paths whose value is a number (or bigint): what increment/decrement take. */
export type NumericPath<M extends AnyModel> = {
  [P in UpdatePath<M>]: [NonNullable<PathValue<M, P>>] extends [number | bigint] ? ([NonNullable<PathValue<M, P>>] extends [never] ? never : P) : never;
}[UpdatePath<M>];

/** A path an update may write: stored segments and the schema of the value it reaches. */
export interface UpdateTarget {
  readonly entry: ShapeEntry;
  readonly path: Path;
  readonly def: AttrDef;
  /** The path as the user wrote it, for messages. */
  readonly text: string;
  /** Whether REMOVE may delete it: an optional attribute or property, a map entry or list element. */
  readonly removable: boolean;
}

export class PathError extends Error {
  constructor(readonly attribute: string, readonly expected: string, readonly received: string) {
    super(`${attribute}: expected ${expected}, received ${received}`);
  }
}

/** Inside a `t.unknown()` value any value goes, marshalled generically. */
const ANY_VALUE = attrDef('unknown');

/**
 * Resolves an update path with the read resolver (`paths.ts`), then refuses what an update may
 * not change: the primary key (composed keys included) and the version.
 */
export function resolveUpdatePath(model: AnyModel, text: string, verb: string): UpdateTarget {
  const resolved = typeof text === 'string' ? resolvePath(model, text) : undefined;
  if (resolved === undefined) throw new PathError(String(text), 'an attribute name or a path such as a.b or list[0]', JSON.stringify(text));
  if (isProblem(resolved)) throw new PathError(text, `a path in the schema of ${model.name}`, resolved.problem);
  const entry = resolved.attribute;
  // A single-table model's key is the attributes its templates name: changing one would move the item.
  if (entry.def.key !== 'none' || model.primaryKeyAttributes.includes(entry)) throw new PathError(entry.name, `a non-key attribute (${verb} cannot change the primary key: delete and create instead)`, 'a key attribute');
  if (entry.def.managed === 'version') throw new PathError(entry.name, 'an attribute the library does not manage (the version is bumped by every write)', 'the version attribute');
  return { entry, path: resolved.path, def: resolved.def ?? ANY_VALUE, text, removable: resolved.optional };
}
