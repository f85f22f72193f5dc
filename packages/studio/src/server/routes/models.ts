import { describeModel, type AnyModel, type Explanation, type ModelDescription, type Page } from 'dynamorm';
import type { Route, StudioContext } from '../context.js';
import { StudioHttpError } from '../http-error.js';
import { fromJson, isRecord, objectFromJson, toJson } from '../values.js';

/** The query builder seen without the model's static types: the studio learns names at run time. */
interface LooseQuery {
  where(attribute: string, op: string, ...operand: unknown[]): LooseQuery;
  index(name: string): LooseQuery;
  orderBy(attribute: string, direction: 'asc' | 'desc'): LooseQuery;
  limit(n: number): LooseQuery;
  explain(): Explanation;
  page(cursor?: string): Promise<Page<unknown>>;
  get(key: Record<string, unknown>): Promise<unknown>;
  create(item: Record<string, unknown>): Promise<unknown>;
  put(item: Record<string, unknown>): Promise<unknown>;
  delete(key: Record<string, unknown>): Promise<unknown>;
}

const OPERATORS = new Set(['=', '<>', '<', '<=', '>', '>=', 'between', 'begins_with', 'in', 'contains', 'exists', 'not_exists']);
const MAX_LIMIT = 100;

function modelOf(ctx: StudioContext, name: string | undefined): { model: AnyModel; description: ModelDescription; query: LooseQuery } {
  const model = name === undefined ? undefined : ctx.models.get(name);
  if (model === undefined) throw new StudioHttpError(404, 'model.unknown', `No model named "${name}" in this studio: its models are ${[...ctx.models.keys()].join(', ') || 'none'}.`);
  return { model, description: describeModel(model), query: ctx.orm.model(model) as unknown as LooseQuery };
}

function objectParam(body: Readonly<Record<string, unknown>>, name: string): Record<string, unknown> {
  const value = body[name];
  if (!isRecord(value)) throw new StudioHttpError(400, 'body.invalid', `The request body needs "${name}" as a JSON object.`);
  return value;
}

interface Condition {
  readonly attribute: string;
  readonly op: string;
  readonly value?: unknown;
}

function conditionsOf(body: Readonly<Record<string, unknown>>): Condition[] {
  const where = body.where ?? [];
  if (!Array.isArray(where)) throw new StudioHttpError(400, 'body.invalid', '"where" must be a list of { attribute, op, value }.');
  return where.map((c: unknown, i) => {
    if (!isRecord(c) || typeof c.attribute !== 'string' || c.attribute === '' || typeof c.op !== 'string') {
      throw new StudioHttpError(400, 'body.invalid', `where[${i}] needs an attribute and an operator.`);
    }
    if (!OPERATORS.has(c.op)) throw new StudioHttpError(400, 'body.invalid', `where[${i}]: "${c.op}" is not an operator: use one of ${[...OPERATORS].join(' ')}.`);
    return { attribute: c.attribute, op: c.op, value: c.value };
  });
}

/** A condition's operands, each converted by the attribute's kind (nested paths pass as given). */
function operandsOf(description: ModelDescription, c: Condition): unknown[] {
  if (c.op === 'exists' || c.op === 'not_exists') return [];
  const attribute = description.attributes.find((a) => a.name === c.attribute);
  const one = (v: unknown): unknown => (attribute === undefined ? v : fromJson(attribute, v));
  if ((c.op === 'between' || c.op === 'in') && Array.isArray(c.value)) return [c.value.map(one)];
  // contains on a set or list compares one element.
  if (c.op === 'contains' && attribute?.element !== undefined) return [fromJson(attribute.element, c.value)];
  if (c.op === 'contains' && attribute !== undefined && attribute.kind.endsWith('Set')) return [fromJson({ ...attribute, kind: attribute.kind === 'numberSet' ? 'number' : attribute.kind === 'binarySet' ? 'binary' : 'string' }, c.value)];
  return [one(c.value)];
}

/**
 * The query of a call: its conditions, index (or the planner's choice) and page size; when it is
 * a Query on a path with one sort key attribute, ordered by it (`desc`: newest first).
 */
function buildQuery(description: ModelDescription, base: LooseQuery, body: Readonly<Record<string, unknown>>): LooseQuery {
  let q = base;
  if (typeof body.index === 'string' && body.index !== '') q = q.index(body.index);
  for (const c of conditionsOf(body)) q = q.where(c.attribute, c.op, ...operandsOf(description, c));
  const limit = body.limit === undefined ? 20 : Number(body.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw new StudioHttpError(400, 'body.invalid', `"limit" must be an integer from 1 to ${MAX_LIMIT}, received ${JSON.stringify(body.limit)}.`);
  q = q.limit(limit);
  if (body.order === 'asc' || body.order === 'desc') {
    const plan = q.explain();
    const path = plan.index === undefined ? description.primary : description.indexes.find((i) => i.index === plan.index);
    if (plan.operation === 'Query' && path?.sortKey.length === 1) q = q.orderBy(path.sortKey[0]!, body.order);
  }
  return q;
}

export const modelRoutes: readonly Route[] = [
  {
    method: 'POST', path: '/api/models/:model/query', write: false,
    handle: async (ctx, req) => {
      const { description, query } = modelOf(ctx, req.params.model);
      const q = buildQuery(description, query, req.body);
      const plan = q.explain();
      const cursor = typeof req.body.cursor === 'string' && req.body.cursor !== '' ? req.body.cursor : undefined;
      const { result, cost } = await ctx.meter.measure(() => q.page(cursor));
      return { body: { items: toJson(result.items), cursor: result.cursor ?? null, plan: toJson(plan), cost } };
    },
  },
  {
    method: 'POST', path: '/api/models/:model/explain', write: false,
    handle: async (ctx, req) => {
      const { description, query } = modelOf(ctx, req.params.model);
      return { body: { plan: toJson(buildQuery(description, query, req.body).explain()) } };
    },
  },
  {
    method: 'POST', path: '/api/models/:model/get', write: false,
    handle: async (ctx, req) => {
      const { model, description, query } = modelOf(ctx, req.params.model);
      const key = objectFromJson(description.attributes, objectParam(req.body, 'key'));
      const { result, cost } = await ctx.meter.measure(() => query.get(key));
      if (result === undefined) throw new StudioHttpError(404, 'item.notFound', `${model.name}: no item with the key ${JSON.stringify(toJson(key))} (deleted meanwhile?).`);
      return { body: { item: toJson(result), cost } };
    },
  },
  {
    method: 'POST', path: '/api/models/:model/create', write: true,
    handle: async (ctx, req) => {
      const { description, query } = modelOf(ctx, req.params.model);
      const item = objectFromJson(description.attributes, objectParam(req.body, 'item'));
      const { result, cost } = await ctx.meter.measure(() => query.create(item));
      return { status: 201, body: { item: toJson(result), cost } };
    },
  },
  {
    // Replaces the item as edited; with a version attribute, only the version it was read at.
    method: 'POST', path: '/api/models/:model/put', write: true,
    handle: async (ctx, req) => {
      const { description, query } = modelOf(ctx, req.params.model);
      const item = objectFromJson(description.attributes, objectParam(req.body, 'item'));
      const { result, cost } = await ctx.meter.measure(() => query.put(item));
      return { body: { item: toJson(result), cost } };
    },
  },
  {
    method: 'POST', path: '/api/models/:model/delete', write: true,
    handle: async (ctx, req) => {
      const { model, description, query } = modelOf(ctx, req.params.model);
      const key = objectFromJson(description.attributes, objectParam(req.body, 'key'));
      const { result, cost } = await ctx.meter.measure(() => query.delete(key));
      if (result === undefined) throw new StudioHttpError(404, 'item.notFound', `${model.name}: no item with the key ${JSON.stringify(toJson(key))} to delete (deleted meanwhile?).`);
      return { body: { deleted: toJson(result), cost } };
    },
  },
];
