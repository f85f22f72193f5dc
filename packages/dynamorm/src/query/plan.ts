import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { IndexNotFoundError, ValidationError } from '../errors/errors.js';
import { conditionFields } from '../expression/evaluate.js';
import { and, compare, type Condition } from '../expression/nodes.js';
import type { AccessPath, AnyModel } from '../schema/model.js';
import { after, storedAsText } from '../schema/key-template.js';
import { compositeClauses } from './composite.js';
import type { Operator, WhereClause } from './operators.js';

/** The builder's state that the planner reads. */
export interface PlanInput {
  readonly model: AnyModel;
  readonly where: readonly WhereClause[];
  readonly filters: readonly Condition[];
  readonly index: string | undefined;
  readonly order: { readonly attribute: string; readonly direction: 'asc' | 'desc' } | undefined;
  readonly select: readonly string[] | undefined;
  /** The caller asked for a scan explicitly: no warning for it. */
  readonly scan: boolean;
  /** Only a count is wanted: the projection need not cover the selected attributes. */
  readonly counting?: boolean;
}

/** The chosen access: a GetItem, a Query on the table or an index, or a Scan. */
export interface Plan {
  readonly operation: 'GetItem' | 'Query' | 'Scan';
  readonly path: AccessPath;
  readonly key: Record<string, AttributeValue> | undefined;
  readonly keyCondition: Condition | undefined;
  readonly filter: Condition | undefined;
  /**
   * Conditions a Query cannot send, checked on each item read: extra conditions on the key
   * attributes of the chosen path (DynamoDB takes one per key and refuses them in a filter).
   */
  readonly predicate: Condition | undefined;
  /** Read every attribute of a local index that does not project them all (Select ALL_ATTRIBUTES). */
  readonly allAttributes: boolean;
  readonly forward: boolean;
  /** Why, in words: built only when asked (explain()), as the request itself is a hot path. */
  reasons(): readonly string[];
  /** A best-practice warning for the logger, when the plan is a Scan a query could serve. */
  readonly warning: string | undefined;
}

const KEY_OPS: readonly Operator[] = ['=', '<', '<=', '>', '>=', 'between', 'begins_with'];
/** Which of several conditions on a sort key goes into the key condition: the most selective. */
const SK_RANK: Partial<Record<Operator, number>> = { '=': 4, between: 3, begins_with: 2, '<': 1, '<=': 1, '>': 1, '>=': 1 };

const NOTHING: ReadonlySet<WhereClause> = new Set();

const describePath = (path: AccessPath): string => (path.index === undefined ? 'the table' : `index ${path.index}`);

const projectedCache = new WeakMap<AccessPath, ReadonlySet<string> | undefined>();
/** Stored fields a global index projects; undefined when it projects all. */
function projected(model: AnyModel, path: AccessPath): ReadonlySet<string> | undefined {
  if (path.type !== 'GSI' || path.projection === 'ALL') return undefined;
  if (projectedCache.has(path)) return projectedCache.get(path);
  const fields = new Set<string>([model.primary.pk.field, path.pk.field]);
  if (model.primary.sk !== undefined) fields.add(model.primary.sk.field);
  if (path.sk !== undefined) fields.add(path.sk.field);
  if (Array.isArray(path.projection)) for (const a of path.projection as readonly string[]) fields.add(model.attribute(a)?.field ?? a);
  if (Array.isArray(path.projection) && model.entityField !== undefined) fields.add(model.entityField);
  projectedCache.set(path, fields);
  return fields;
}

const allFieldsCache = new WeakMap<AnyModel, readonly string[]>();
/** The stored fields of the model's attributes (key-only attributes live in the table's key fields, which every index projects). */
function allFields(model: AnyModel): readonly string[] {
  let fields = allFieldsCache.get(model);
  if (fields === undefined) allFieldsCache.set(model, (fields = Object.freeze(model.codec.entries.filter((e) => !e.def.keyOnly).map((e) => e.field))));
  return fields;
}

/**
 * Whether the sort key of `path` orders by `attribute`: its own attribute, or for a composed key
 * the first attribute of its template that no equality fixes, stored as text.
 */
function ordersBy(path: AccessPath, attribute: string, fixed: ReadonlySet<string> = NO_NAMES): boolean {
  if (path.sk === undefined) return false;
  const template = path.templates?.sk;
  if (template === undefined) return path.sk.name === attribute;
  const first = template.vars.find((v) => !fixed.has(v.name) || v.name === attribute);
  return first !== undefined && first.name === attribute && storedAsText(first);
}
const NO_NAMES: ReadonlySet<string> = new Set();

/** The template of a path's partition key: its own, or for a local index the table's. */
const pkTemplate = (model: AnyModel, path: AccessPath) => path.templates?.pk ?? (path.type === 'LSI' ? model.primary.templates?.pk : undefined);

/** How to name a path's partition key in advice: its attribute, or the attributes its template names. */
const pkAdvice = (model: AnyModel, path: AccessPath): string => (pkTemplate(model, path)?.vars ?? [path.pk]).map((v) => `where('${v.name}', '=', …)`).join('.');

/** A path's partition key in reasons: its attribute, or its template. */
const pkName = (model: AnyModel, path: AccessPath): string => {
  const t = pkTemplate(model, path);
  return t === undefined ? path.pk.name : `${t.field} (${t.text})`;
};

const flatten = (items: readonly Condition[]): readonly Condition[] =>
  items.some((c) => c.kind === 'and') ? items.flatMap((c) => (c.kind === 'and' ? flatten(c.items) : [c])) : items;

interface Candidate {
  readonly path: AccessPath;
  readonly pk: WhereClause;
  readonly sk: WhereClause | undefined;
  /** Conditions its composed key conditions imply, which need no filter when it is chosen. */
  readonly consumed: ReadonlySet<WhereClause>;
  readonly score: number;
  /** Its sort key gives the order asked for. */
  readonly ordered: boolean;
}

/** Why a candidate serves, in words (built only when reasons are read: explain()). */
function why(c: Candidate, order: PlanInput['order']): string {
  const parts = [`${c.pk.name} = … is its partition key`];
  if (c.sk !== undefined) parts.push(`${c.sk.name} ${c.sk.op} … its sort key condition`);
  if (c.ordered) parts.push(`its sort key gives the order by ${order!.attribute}`);
  return `${describePath(c.path)}: ${parts.join(', ')}`;
}

/**
 * Chooses how to run a query: the access path (table or index) whose partition key has an
 * equality condition, preferring one whose sort key takes a condition and serves the order,
 * among those whose projection covers what is read; a GetItem for the exact primary key; else a
 * Scan, with a warning naming what would have served it.
 */
export function plan(input: PlanInput): Plan {
  const { model, order } = input;
  const fail = (message: string, expected: string): never => {
    throw new ValidationError([{ attribute: order?.attribute ?? '', expected, received: message, message }], { op: 'query', model: model.name }, `query ${model.name}: ${message}`);
  };
  let paths: AccessPath[];
  if (input.index !== undefined) {
    const chosen = model.indexes.get(input.index);
    if (chosen === undefined) {
      const known = [...model.indexes.keys()];
      throw new IndexNotFoundError(
        `query ${model.name}: no index named "${input.index}"; ${known.length === 0 ? 'the model defines none' : `it has ${known.join(', ')}`}`,
        { op: 'query', model: model.name, context: { index: input.index, indexes: known } },
      );
    }
    paths = [chosen];
  } else paths = [model.primary, ...model.indexes.values()];

  // index(name) of a local index on composed keys: the table's partition template makes its partition condition.
  const composedPaths = input.index === undefined ? model.composedPaths : [...(paths[0]!.type === 'LSI' && paths[0]!.templates === undefined && model.primary.templates !== undefined ? [model.primary] : []), ...paths.filter((p) => p.templates !== undefined)];
  const { where, implied, literal } = compositeClauses(model, input.where, composedPaths);
  // Equalities fix the leading attributes of a composed sort key: the order is the next one's.
  const fixed = order === undefined ? NO_NAMES : new Set(input.where.filter((w) => !w.nested && w.op === '=').map((w) => w.attribute.name));
  const filters = flatten(input.filters);
  const entity = model.entityField === undefined ? undefined : compare([model.entityField], '=', { S: model.entity! });

  // What the read needs from an index: the selected attributes (or all), what the filters read,
  // and what the conditions its key does not imply read. Worked out only for an index that
  // projects less than all.
  let needed: Set<string> | undefined;
  const lacking = (path: AccessPath, consumed: ReadonlySet<WhereClause>): string[] => {
    const fields = projected(model, path);
    if (fields === undefined) return [];
    if (needed === undefined) {
      needed = new Set<string>(input.counting === true ? [] : input.select?.map((n) => model.attribute(n)!.field) ?? allFields(model));
      for (const f of filters) conditionFields(f, needed);
      if (model.entityField !== undefined) needed.add(model.entityField);
    }
    const read = new Set(needed);
    for (const w of input.where) if (!consumed.has(w)) conditionFields(w.node, read);
    // Key-only attributes are read from the table's key fields, which every index projects.
    return [...read].filter((f) => !fields.has(f) && !model.keyOnlyAttributes.some((e) => e.field === f));
  };

  const candidates: Candidate[] = [];
  const passed: string[] = [];
  for (const path of paths) {
    const pk = where.find((w) => !w.nested && w.attribute === path.pk && w.op === '=');
    if (pk === undefined || input.scan) continue;
    let sk: WhereClause | undefined;
    if (path.sk !== undefined) {
      for (const w of where) {
        if (w.nested || w.attribute !== path.sk || !KEY_OPS.includes(w.op)) continue;
        if (sk === undefined || (SK_RANK[w.op] ?? 0) > (SK_RANK[sk.op] ?? 0)) sk = w;
      }
    }
    const consumed: ReadonlySet<WhereClause> = implied.size === 0 ? NOTHING : new Set([...(implied.get(pk) ?? []), ...(sk === undefined ? [] : implied.get(sk) ?? [])]);
    const missing = lacking(path, consumed);
    if (missing.length > 0) {
      const note = `${describePath(path)} (projection ${Array.isArray(path.projection) ? `INCLUDE ${(path.projection as string[]).join(', ')}` : path.projection}) does not project ${missing.join(', ')}`;
      if (input.index !== undefined) fail(`${note}; select(...) only attributes it projects, or query the table`, 'a read the index projection covers');
      passed.push(`passed over ${note}: select(...) only what it projects to use it`);
      continue;
    }
    const ordered = order !== undefined && ordersBy(path, order.attribute, fixed);
    // A sort key condition that is only the template's literal (the kind of item) narrows less than a real one on another path.
    const score = 10 + (sk === undefined ? 0 : literal.has(sk) ? 1 : 5) + (ordered ? 3 : 0) + (path.type === 'TABLE' ? 1 : 0);
    candidates.push({ path, pk, sk, consumed, score, ordered });
  }
  candidates.sort((a, b) => b.score - a.score);
  const best = candidates[0];

  if (best === undefined) {
    if (order !== undefined) {
      const able = [model.primary, ...model.indexes.values()].filter((p) => ordersBy(p, order.attribute, fixed)).map(describePath);
      fail(
        `orderBy(${order.attribute}) needs a Query, but no access path has an equality condition on its partition key; ${able.length === 0 ? `no index has ${order.attribute} as its sort key` : `${able.join(' or ')} can serve it, with an equality condition on its partition key`}`,
        'a query on an index whose sort key is the order',
      );
    }
    const path = input.index === undefined ? model.primary : paths[0]!;
    // Conditions on key-only attributes read the key fields: checked on each item read, never sent.
    const all = [...input.where.map((w) => w.node), ...filters];
    const filter = and([...all.filter((c) => !onKeyOnly(model, c)), ...(entity === undefined ? [] : [entity])]);
    const predicate = and(all.filter((c) => onKeyOnly(model, c)));
    const reasons = [input.scan ? 'scan() was asked for' : `no access path has an equality condition on its partition key (${paths.map((p) => `${describePath(p)}: ${pkName(model, p)}`).join('; ')})`, ...passed];
    return {
      operation: 'Scan', path, key: undefined, keyCondition: undefined, filter, predicate, allAttributes: false, forward: true, reasons: () => reasons,
      warning: input.scan ? undefined : scanWarning(model, input.where, paths, passed),
    };
  }

  const { path } = best;
  if (order !== undefined && !ordersBy(path, order.attribute, fixed)) {
    const able = [model.primary, ...model.indexes.values()].filter((p) => ordersBy(p, order.attribute, fixed)).map(describePath);
    fail(
      `orderBy(${order.attribute}) cannot be served by ${describePath(path)} (its sort key is ${path.sk?.name ?? 'absent'}); ${able.length === 0 ? `no index has ${order.attribute} as its sort key` : `${able.join(' or ')} can, with an equality condition on its partition key`}`,
      'an order by the sort key of the chosen index',
    );
  }
  // DynamoDB refuses a filter on the queried key attributes: those conditions are checked on each item read.
  // So are conditions on key-only attributes, which are no stored attribute a filter could read.
  const keyFields = new Set([path.pk.field, ...(path.sk === undefined ? [] : [path.sk.field])]);
  const onKey = (c: Condition): boolean => onKeyOnly(model, c) || [...conditionFields(c)].some((f) => keyFields.has(f));
  // Conditions on composed key fields are never filters: the chosen ones are the key condition, the others belong to other paths.
  const rest = [...input.where.filter((w) => w !== best.pk && w !== best.sk && !best.consumed.has(w)).map((w) => w.node), ...filters];
  const filterItems = rest.filter((c) => !onKey(c));
  const predicate = and(rest.filter(onKey));
  const exactKey = path.type === 'TABLE' && filterItems.length === 0 && predicate === undefined && order === undefined && (path.sk === undefined || best.sk?.op === '=');
  if (exactKey) {
    const key: Record<string, AttributeValue> = { [path.pk.field]: best.pk.operands[0]! };
    if (best.sk !== undefined) key[best.sk.attribute.field] = best.sk.operands[0]!;
    return { operation: 'GetItem', path, key, keyCondition: undefined, filter: undefined, predicate: undefined, allAttributes: false, forward: true, reasons: () => ['the full primary key is given'], warning: undefined };
  }
  const keyCondition = and(best.sk === undefined ? [best.pk.node] : [best.pk.node, best.sk.node]);
  // A discriminator filter turns DynamoDB's Limit into a count of items read, not returned: it
  // is left out when the key condition keeps to this model's keys. Each item read is still
  // checked (read.ts), so this only saves cost; a count, which DynamoDB makes, keeps it.
  const ownKeys = entity !== undefined && input.counting !== true && keepsToTemplate(path, best.sk);
  const filter = and([...filterItems, ...(entity === undefined || ownKeys ? [] : [entity])]);
  const reasons = (): string[] => {
    const list = [why(best, order), ...candidates.slice(1).map((c) => `passed over ${why(c, order)}`), ...passed];
    if (ownKeys) list.push(`its sort key condition keeps to ${model.name}'s keys (${path.templates!.sk!.text}): no discriminator filter, each item read is checked`);
    if (predicate !== undefined) list.push('conditions on its key attributes beyond the key condition are checked on each item read (DynamoDB takes one per key)');
    return list;
  };
  const allAttributes = path.type === 'LSI' && path.projection !== 'ALL' && input.select === undefined && input.counting !== true;
  return { operation: 'Query', path, key: undefined, keyCondition, filter, predicate, allAttributes, forward: order?.direction !== 'desc', reasons, warning: undefined };
}

/**
 * Whether a sort key condition only matches keys of the path's sort key template: it comes from
 * the template and its bounds start with the template's leading literal L (`ORDER#`), the upper
 * one possibly being the first text after them all (`ORDER$`, which only that text equals).
 */
function keepsToTemplate(path: AccessPath, sk: WhereClause | undefined): boolean {
  const template = path.templates?.sk;
  const literal = template?.literals[0];
  if (sk === undefined || template === undefined || sk.attribute !== template.entry || literal === undefined || literal === '') return false;
  const within = (o: AttributeValue | undefined, last: boolean): boolean => o?.S !== undefined && (o.S.startsWith(literal) || (last && o.S === after(literal)));
  return (sk.op === '=' || sk.op === 'begins_with' || sk.op === 'between') && sk.operands.every((o, i) => within(o, sk.op === 'between' && i === 1));
}

/** Whether a condition reads a key-only attribute (stored only inside the table's key). */
function onKeyOnly(model: AnyModel, c: Condition): boolean {
  if (model.keyOnlyAttributes.length === 0) return false;
  const fields = conditionFields(c);
  return model.keyOnlyAttributes.some((e) => fields.has(e.field));
}

/** Why a plan was chosen, its warning last: what explain() and analytics show. */
export const planReasons = (p: Plan): readonly string[] => (p.warning === undefined ? p.reasons() : [...p.reasons(), p.warning]);

function scanWarning(model: AnyModel, where: readonly WhereClause[], paths: readonly AccessPath[], passed: readonly string[]): string {
  // Paths a condition already touches (partition or sort key, or an attribute their templates name): an equality on their partition key would make a Query.
  const touches = (p: AccessPath, w: WhereClause): boolean => w.attribute === p.pk || w.attribute === p.sk || pkTemplate(model, p)?.vars.includes(w.attribute) === true || p.templates?.sk?.vars.includes(w.attribute) === true;
  const near = paths.filter((p) => where.some((w) => !w.nested && touches(p, w)));
  const hint = near.length > 0
    ? near.map((p) => `${describePath(p)} would serve it with ${pkAdvice(model, p)}`).join('; ')
    : passed.length > 0
      ? passed.join('; ')
      : model.keyTemplates !== undefined
        ? `the table would serve it with ${pkAdvice(model, model.primary)}`
        : `no index fits: add one (.index(name)) on the attribute you select by, or call scan() to say a full scan is meant`;
  return `DynamORM: ${model.name} query reads the whole table (Scan${where.length > 0 ? ` filtering on ${where.map((w) => w.name).join(', ')}` : ''}); ${hint}`;
}
