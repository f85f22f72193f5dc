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

export type Condition =
  | { readonly kind: 'compare'; readonly op: Comparator; readonly left: Operand; readonly right: Operand }
  | { readonly kind: 'between'; readonly operand: Operand; readonly low: Operand; readonly high: Operand }
  | { readonly kind: 'in'; readonly operand: Operand; readonly values: readonly Operand[] }
  | { readonly kind: 'begins_with' | 'contains'; readonly path: Path; readonly value: Operand }
  | { readonly kind: 'exists' | 'not_exists'; readonly path: Path }
  | { readonly kind: 'attribute_type'; readonly path: Path; readonly type: string }
  | { readonly kind: 'and' | 'or'; readonly items: readonly Condition[] }
  | { readonly kind: 'not'; readonly item: Condition };

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
