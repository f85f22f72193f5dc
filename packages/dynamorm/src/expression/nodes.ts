import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/**
 * Expressions as small frozen trees. Paths hold stored attribute names (after `.field()`
 * mapping) and values hold marshalled AttributeValues, so the compiler only hands out
 * placeholders: user input never becomes expression text.
 */
export type PathSegment = string | number;
export type Path = readonly PathSegment[];

export type Operand =
  | { readonly kind: 'path'; readonly path: Path }
  | { readonly kind: 'value'; readonly value: AttributeValue }
  | { readonly kind: 'size'; readonly path: Path };

export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';

/**
 * The shape of a condition tree over operands O, paths P and attribute_type arguments T: compiled
 * conditions hold marshalled operands, parsed raw filters (parse.ts) names and parameters.
 */
export type ConditionOf<O, P, T> =
  | { readonly kind: 'compare'; readonly op: Comparator; readonly left: O; readonly right: O }
  | { readonly kind: 'between'; readonly operand: O; readonly low: O; readonly high: O }
  | { readonly kind: 'in'; readonly operand: O; readonly values: readonly O[] }
  | { readonly kind: 'begins_with' | 'contains'; readonly path: P; readonly value: O }
  | { readonly kind: 'exists' | 'not_exists'; readonly path: P }
  | { readonly kind: 'attribute_type'; readonly path: P; readonly type: T }
  | { readonly kind: 'and' | 'or'; readonly items: readonly ConditionOf<O, P, T>[] }
  | { readonly kind: 'not'; readonly item: ConditionOf<O, P, T> };

export type Condition = ConditionOf<Operand, Path, string>;

/** The right-hand side of a SET action. */
export type SetValue =
  | Operand
  | { readonly kind: 'plus' | 'minus'; readonly left: SetValue; readonly right: SetValue }
  | { readonly kind: 'if_not_exists'; readonly path: Path; readonly value: SetValue }
  | { readonly kind: 'list_append'; readonly first: SetValue; readonly second: SetValue };

export type UpdateAction =
  | { readonly kind: 'set'; readonly path: Path; readonly value: SetValue }
  | { readonly kind: 'remove'; readonly path: Path }
  | { readonly kind: 'add' | 'delete'; readonly path: Path; readonly value: AttributeValue };

export const path = (p: Path): Operand => Object.freeze({ kind: 'path', path: p });
export const value = (v: AttributeValue): Operand => Object.freeze({ kind: 'value', value: v });

export const and = (items: readonly Condition[]): Condition | undefined =>
  items.length === 0 ? undefined : items.length === 1 ? items[0] : Object.freeze({ kind: 'and', items: Object.freeze([...items]) });

export const compare = (p: Path, op: Comparator, v: AttributeValue): Condition =>
  Object.freeze({ kind: 'compare', op, left: path(p), right: value(v) });

export const exists = (p: Path): Condition => Object.freeze({ kind: 'exists', path: p });
export const notExists = (p: Path): Condition => Object.freeze({ kind: 'not_exists', path: p });
