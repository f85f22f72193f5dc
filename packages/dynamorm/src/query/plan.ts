import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { IndexNotFoundError, ValidationError } from '../errors/errors.js';
import { and, type Condition } from '../expression/nodes.js';
import type { AccessPath, AnyModel } from '../schema/model.js';
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
}

/** The chosen access: a GetItem, a Query on the table or an index, or a Scan. */
export interface Plan {
  readonly operation: 'GetItem' | 'Query' | 'Scan';
  readonly path: AccessPath;
  readonly key: Record<string, AttributeValue> | undefined;
  readonly keyCondition: Condition | undefined;
  readonly filter: Condition | undefined;
  readonly forward: boolean;
  readonly reasons: readonly string[];
  /** A best-practice warning for the logger, when the plan is a Scan a query could serve. */
  readonly warning: string | undefined;
}

const KEY_OPS: readonly Operator[] = ['=', '<', '<=', '>', '>=', 'between', 'begins_with'];

function covers(path: AccessPath, needed: readonly string[], model: AnyModel): boolean {
  if (path.type !== 'GSI' || path.projection === 'ALL') return true;
  const projected = new Set<string>([model.primary.pk.name, path.pk.name]);
  if (model.primary.sk !== undefined) projected.add(model.primary.sk.name);
  if (path.sk !== undefined) projected.add(path.sk.name);
  if (Array.isArray(path.projection)) for (const a of path.projection as readonly string[]) projected.add(a);
  return needed.every((n) => projected.has(n));
}

const describePath = (path: AccessPath): string => (path.index === undefined ? 'the table' : `index ${path.index}`);

interface Candidate {
  readonly path: AccessPath;
  readonly pk: WhereClause;
  readonly sk: WhereClause | undefined;
  readonly score: number;
  readonly why: string;
}

/**
 * Chooses how to run a query: the access path (table or index) whose partition key has an
 * equality condition, preferring one whose sort key takes a condition and serves the order
 * and whose projection covers what is read; a GetItem for the exact primary key; else a Scan.
 */
export function plan(input: PlanInput): Plan {
  const { model, where, order } = input;
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

  const needed = [...new Set([...(input.select ?? model.codec.entries.map((e) => e.name)), ...where.map((w) => w.attribute.name)])];
  const candidates: Candidate[] = [];
  for (const path of paths) {
    const pk = where.find((w) => w.attribute === path.pk && w.op === '=');
    if (pk === undefined || input.scan) continue;
    if (input.index === undefined && !covers(path, needed, model)) continue;
    const sk = path.sk === undefined ? undefined : where.find((w) => w.attribute === path.sk && KEY_OPS.includes(w.op));
    let score = 10;
    const why: string[] = [`${pk.attribute.name} = … is its partition key`];
    if (sk !== undefined) {
      score += 5;
      why.push(`${sk.attribute.name} ${sk.op} … its sort key condition`);
    }
    if (order !== undefined && path.sk?.name === order.attribute) {
      score += 3;
      why.push(`its sort key ${order.attribute} gives the order`);
    }
    if (path.type === 'TABLE') score += 1;
    candidates.push({ path, pk, sk, score, why: `${describePath(path)}: ${why.join(', ')}` });
  }
  candidates.sort((a, b) => b.score - a.score);
  const best = candidates[0];

  if (best === undefined) {
    if (order !== undefined) fail(`orderBy(${order.attribute}) needs a Query, but no index has an equality condition on its partition key`, 'a query on an index whose sort key is the order');
    const path = input.index === undefined ? model.primary : paths[0]!;
    const filter = and([...where.map((w) => w.node), ...input.filters]);
    const reasons = [input.scan ? 'scan() was asked for' : `no access path has an equality condition on its partition key (${paths.map((p) => `${describePath(p)}: ${p.pk.name}`).join('; ')})`];
    return { operation: 'Scan', path, key: undefined, keyCondition: undefined, filter, forward: true, reasons, warning: input.scan ? undefined : scanWarning(model, where, paths) };
  }

  const { path } = best;
  if (order !== undefined && path.sk?.name !== order.attribute) {
    const able = [model.primary, ...model.indexes.values()].filter((p) => p.sk?.name === order.attribute).map(describePath);
    fail(
      `orderBy(${order.attribute}) cannot be served by ${describePath(path)} (its sort key is ${path.sk?.name ?? 'absent'}); ${able.length === 0 ? `no index has ${order.attribute} as its sort key` : `${able.join(' or ')} can, with an equality condition on its partition key`}`,
      'an order by the sort key of the chosen index',
    );
  }
  const rest = where.filter((w) => w !== best.pk && w !== best.sk);
  for (const w of rest) {
    if (w.attribute === path.pk || w.attribute === path.sk) {
      fail(`${w.attribute.name} is a key of ${describePath(path)} and takes one condition; combine them (for a range use between)`, 'one condition per key attribute');
    }
  }
  const filter = and([...rest.map((w) => w.node), ...input.filters]);
  const exactKey = path.type === 'TABLE' && filter === undefined && order === undefined && (path.sk === undefined || best.sk?.op === '=');
  if (exactKey) {
    const key: Record<string, AttributeValue> = { [path.pk.field]: best.pk.operands[0]! };
    if (best.sk !== undefined) key[best.sk.attribute.field] = best.sk.operands[0]!;
    return { operation: 'GetItem', path, key, keyCondition: undefined, filter: undefined, forward: true, reasons: ['the full primary key is given'], warning: undefined };
  }
  const keyCondition = and(best.sk === undefined ? [best.pk.node] : [best.pk.node, best.sk.node]);
  const reasons = [best.why, ...candidates.slice(1).map((c) => `passed over ${c.why}`)];
  return { operation: 'Query', path, key: undefined, keyCondition, filter, forward: order?.direction !== 'desc', reasons, warning: undefined };
}

function scanWarning(model: AnyModel, where: readonly WhereClause[], paths: readonly AccessPath[]): string {
  const near = paths.filter((p) => where.some((w) => w.attribute === p.pk));
  const hint = near.length > 0
    ? `${near.map(describePath).join(' or ')} would serve it with where('${near[0]!.pk.name}', '=', …)`
    : `no index fits: add one (.index(name)) on the attribute you select by, or call scan() to say a full scan is meant`;
  return `DynamORM: ${model.name} query reads the whole table (Scan${where.length > 0 ? ` filtering on ${where.map((w) => w.attribute.name).join(', ')}` : ''}); ${hint}`;
}
