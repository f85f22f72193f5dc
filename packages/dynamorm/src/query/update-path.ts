import type { Path } from '../expression/nodes.js';
import type { AttrDef } from '../schema/attribute.js';
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

/** A path resolved against the schema: stored segments and the schema of the value it reaches. */
export interface ResolvedPath {
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

/** `a.b[2].c` → ['a', 'b', 2, 'c'] */
function segments(text: string): (string | number)[] | undefined {
  const out: (string | number)[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]/gy;
  let expectName = true;
  let i = 0;
  while (i < text.length) {
    if (!expectName && text[i] === '.') {
      i++;
      expectName = true;
      continue;
    }
    re.lastIndex = i;
    const m = re.exec(text);
    if (m === null) return undefined;
    if (m[1] !== undefined) {
      if (!expectName) return undefined;
      out.push(m[1]);
    } else out.push(Number(m[2]));
    expectName = false;
    i = re.lastIndex;
  }
  return expectName && out.length > 0 ? undefined : out;
}

/** Resolves an update path against the model: each step must exist in the schema. */
export function resolvePath(model: AnyModel, text: string, verb: string): ResolvedPath {
  const parts = typeof text === 'string' ? segments(text) : undefined;
  if (parts === undefined || typeof parts[0] !== 'string') throw new PathError(String(text), 'an attribute name or a path such as a.b or list[0]', JSON.stringify(text));
  const entry = model.attribute(parts[0]);
  if (entry === undefined) throw new PathError(parts[0], `an attribute of ${model.name}`, 'an unknown name');
  // A single-table model's key is the attributes its templates name: changing one would move the item.
  if (entry.def.key !== 'none' || model.primaryKeyAttributes.includes(entry)) throw new PathError(parts[0], `a non-key attribute (${verb} cannot change the primary key: delete and create instead)`, 'a key attribute');
  if (entry.def.managed === 'version') throw new PathError(parts[0], 'an attribute the library does not manage (the version is bumped by every write)', 'the version attribute');
  const path: (string | number)[] = [entry.field];
  let def = entry.def;
  let removable = def.optional;
  for (const part of parts.slice(1)) {
    const where = `${text} (at ${typeof part === 'number' ? `[${part}]` : part})`;
    if (def.kind === 'unknown') {
      path.push(part);
      removable = true;
    } else if (typeof part === 'number') {
      if (def.kind !== 'list') throw new PathError(where, 'a list before an [index]', `a ${def.kind}`);
      def = def.element!;
      path.push(part);
      removable = true;
    } else if (def.kind === 'map') {
      def = def.element!;
      path.push(part);
      removable = true;
    } else if (def.kind === 'object') {
      const child = def.shape![part];
      if (child === undefined) throw new PathError(where, `a property of ${parts[0]} (${Object.keys(def.shape!).join(', ')})`, `"${part}"`);
      def = child;
      path.push(child.field ?? part);
      removable = child.optional;
    } else throw new PathError(where, 'a map, object or list to go into', `a ${def.kind}`);
  }
  return { entry, path, def, text, removable };
}
