/**
 * What a read tells analytics about itself, built only while analytics is on: its conditions in
 * the model's attribute names (never a value) and the planner's reasons.
 */
export interface AccessPattern {
  /** The conditions, values as `?`: `name = ? age > ?`, then `filter status = ?`. */
  readonly shape: string;
  /** The `where` conditions on top-level attributes: what an index could key on. */
  readonly conditions: readonly { readonly attribute: string; readonly op: string }[];
  /** The filters' conditions on top-level attributes (of a top-level `and`): what a key condition could take over. */
  readonly filtered: readonly { readonly attribute: string; readonly op: string }[];
  /** The attributes the read needs, `select()`'s and those its conditions read; undefined: every attribute (no `select()`). */
  readonly reads: readonly string[] | undefined;
  /** `scan()` was asked for (the planner looked at no index). */
  readonly scan: boolean;
  /** Why the planner chose this access path: explain()'s reasons. */
  readonly reasons: () => readonly string[];
}
