import { conditionFields } from '../expression/evaluate.js';
import type { Condition, Operand, Path } from '../expression/nodes.js';
import type { AccessPattern } from '../observe/access-pattern.js';
import type { AnyModel } from '../schema/model.js';
import type { WhereClause } from './operators.js';
import { planReasons, type Plan } from './plan.js';

const namesCache = new WeakMap<AnyModel, ReadonlyMap<string, string>>();
/** Stored field → the model's attribute name. */
function attributeNames(model: AnyModel): ReadonlyMap<string, string> {
  let names = namesCache.get(model);
  if (names === undefined) namesCache.set(model, (names = new Map(model.codec.entries.map((e) => [e.field, e.name]))));
  return names;
}

const clauseShape = (w: WhereClause): string => {
  switch (w.op) {
    case 'exists': case 'not_exists': return `${w.op}(${w.name})`;
    case 'begins_with': case 'contains': return `${w.op}(${w.name}, ?)`;
    case 'between': return `${w.name} between ? and ?`;
    case 'in': return `${w.name} in (?)`;
    default: return `${w.name} ${w.op} ?`;
  }
};

/** A condition tree as text in the model's names, every value a `?` (an `in` list one `?`, whatever its length). */
export function conditionShape(model: AnyModel, c: Condition): string {
  const names = attributeNames(model);
  const path = (p: Path): string => p.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? names.get(s) ?? s : `.${s}`)).join('');
  const operand = (o: Operand): string => (o.kind === 'value' ? '?' : o.kind === 'size' ? `size(${path(o.path)})` : path(o.path));
  const shape = (n: Condition): string => {
    switch (n.kind) {
      case 'compare': return `${operand(n.left)} ${n.op} ${operand(n.right)}`;
      case 'between': return `${operand(n.operand)} between ${operand(n.low)} and ${operand(n.high)}`;
      case 'in': return `${operand(n.operand)} in (?)`;
      case 'begins_with': case 'contains': return `${n.kind}(${path(n.path)}, ${operand(n.value)})`;
      case 'exists': case 'not_exists': return `${n.kind}(${path(n.path)})`;
      case 'attribute_type': return `attribute_type(${path(n.path)}, ?)`;
      case 'and': return n.items.map(shape).join(' and ');
      case 'or': return `(${n.items.map(shape).join(' or ')})`;
      case 'not': return `not (${shape(n.item)})`;
    }
  };
  return shape(c);
}

/** The top-level attributes a read with `select()` needs: those selected and those its conditions read. */
function readsOf(model: AnyModel, select: readonly string[], where: readonly WhereClause[], filters: readonly Condition[]): readonly string[] {
  const names = attributeNames(model);
  const fields = new Set<string>();
  for (const f of filters) conditionFields(f, fields);
  return [...new Set([...select, ...where.map((w) => w.attribute.name), ...[...fields].map((f) => names.get(f) ?? f)])];
}

/** The conditions of the filters' top-level `and` on a top-level attribute, by name and operator. */
function filtered(model: AnyModel, filters: readonly Condition[]): AccessPattern['filtered'] {
  const names = attributeNames(model);
  const out: { attribute: string; op: string }[] = [];
  const visit = (c: Condition): void => {
    if (c.kind === 'and') c.items.forEach(visit);
    const target = c.kind === 'compare' ? (c.left.kind === 'path' && c.right.kind === 'value' ? c.left.path : undefined) : c.kind === 'between' ? (c.operand.kind === 'path' ? c.operand.path : undefined) : c.kind === 'begins_with' ? c.path : undefined;
    if (target?.length === 1) out.push({ attribute: names.get(target[0] as string) ?? String(target[0]), op: c.kind === 'compare' ? c.op : c.kind });
  };
  filters.forEach(visit);
  return out;
}

/**
 * What analytics groups a read by, from the builder's conditions and the plan it already made.
 * Built for every read while analytics is on, so only the shape (the pattern's key) is made at
 * once; the rest is made when a report asks, once per pattern.
 */
class ReadPattern implements AccessPattern {
  readonly shape: string;
  #conditions: AccessPattern['conditions'] | undefined;
  #filtered: AccessPattern['filtered'] | undefined;
  #reads: { value: AccessPattern['reads'] } | undefined;

  constructor(private readonly model: AnyModel, private readonly where: readonly WhereClause[], private readonly filters: readonly Condition[], private readonly select: readonly string[] | undefined, private readonly plan: Plan, readonly scan: boolean) {
    const parts = where.map(clauseShape);
    if (filters.length > 0) parts.push('filter', ...filters.map((f) => conditionShape(model, f)));
    this.shape = parts.join(' ');
  }

  get conditions(): AccessPattern['conditions'] {
    return (this.#conditions ??= this.where.filter((w) => !w.nested).map((w) => ({ attribute: w.attribute.name, op: w.op })));
  }

  get filtered(): AccessPattern['filtered'] {
    return (this.#filtered ??= this.filters.length === 0 ? [] : filtered(this.model, this.filters));
  }

  get reads(): AccessPattern['reads'] {
    return (this.#reads ??= { value: this.select === undefined ? undefined : readsOf(this.model, this.select, this.where, this.filters) }).value;
  }

  readonly reasons = (): readonly string[] => planReasons(this.plan);
}

const keyPatterns = new WeakMap<AnyModel, AccessPattern>();

/**
 * The access pattern of a get by primary key (alone or coalesced into a BatchGetItem): the key's
 * equalities, as a where() on the same key describes them. One per model.
 */
export function keyAccess(model: AnyModel): AccessPattern {
  let pattern = keyPatterns.get(model);
  if (pattern === undefined) {
    const conditions = model.primaryKeyAttributes.map((a) => ({ attribute: a.name, op: '=' }));
    pattern = Object.freeze({ shape: conditions.map((c) => `${c.attribute} = ?`).join(' '), conditions, filtered: [], reads: undefined, scan: false, reasons: () => [] });
    keyPatterns.set(model, pattern);
  }
  return pattern;
}

export function accessPattern(model: AnyModel, where: readonly WhereClause[], filters: readonly Condition[], select: readonly string[] | undefined, plan: Plan, scan: boolean): AccessPattern {
  return new ReadPattern(model, where, filters, select, plan, scan);
}
