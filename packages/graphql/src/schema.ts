import {
  GraphQLBoolean, GraphQLError, GraphQLInt, GraphQLList, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString,
  type GraphQLFieldConfig, type GraphQLFieldConfigArgumentMap, type GraphQLResolveInfo,
} from 'graphql';
import { describeModel, type AccessPathDescription, type AnyModel, type AttributeDescription, type DynamORM, type ModelDescription } from 'dynamorm';
import { mapped } from './errors.js';
import { lowerFirst, pascal, plural } from './names.js';
import { TypeBuilder, toModelObject, toModelValue } from './types.js';

export interface GraphQLSchemaOptions {
  /** The ORM the resolvers run on (its get coalescing batches the gets of one request). */
  readonly orm: DynamORM;
  /** Page size of connections when `first` is not given (default 20). At most `maxPageSize` (default 100). */
  readonly defaultPageSize?: number;
  readonly maxPageSize?: number;
}

/** An abort signal as servers give it: an AbortSignal, or an object that acts like one. */
interface SignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
}

/** What resolvers read of the GraphQL context: the request's abort signal, when the server gives one. */
interface RequestContext {
  readonly request?: { readonly signal?: SignalLike };
  readonly signal?: SignalLike;
}

type Item = Record<string, unknown>;

/** The part of the ORM's query builder the resolvers use, for models known only at run time. */
interface ModelQuery {
  signal(signal: AbortSignal): ModelQuery;
  where(attribute: string, op: '=', value: unknown): ModelQuery;
  index(name: string): ModelQuery;
  limit(n: number): ModelQuery;
  key(key: Item): ModelQuery;
  page(cursor?: string): Promise<PageOf>;
  get(key: Item): Promise<Item | undefined>;
  create(item: Item): Promise<Item>;
  update(changes: Item): Promise<Item>;
  delete(key: Item): Promise<Item | undefined>;
}

const PageInfo = new GraphQLObjectType({
  name: 'PageInfo',
  description: 'Where a page of a connection ends: pass endCursor as `after` for the next page.',
  fields: { hasNextPage: { type: new GraphQLNonNull(GraphQLBoolean) }, endCursor: { type: GraphQLString } },
});

const signals = new WeakMap<object, AbortSignal>();

/**
 * The request's abort signal (the client went away, a timeout), as an AbortSignal the ORM passes
 * to the SDK: servers may give an object that only acts like one (graphql-yoga's on Node).
 */
function requestSignal(context: unknown): AbortSignal | undefined {
  const ctx = (context ?? {}) as RequestContext;
  const given = ctx.signal ?? ctx.request?.signal;
  if (given === undefined || given instanceof AbortSignal) return given;
  let signal = signals.get(given);
  if (signal === undefined) {
    const controller = new AbortController();
    if (given.aborted) controller.abort(given.reason);
    else given.addEventListener('abort', () => controller.abort(given.reason), { once: true });
    signals.set(given, (signal = controller.signal));
  }
  return signal;
}

/**
 * A GraphQL schema over the models, with resolvers on the ORM: per model an object type, a query
 * by key (`user(id: ...)`, coalesced with the other gets of the request into BatchGetItem),
 * Relay-style connections over the table's partition and each index (`first`/`after`, the ORM's
 * cursors as `pageInfo.endCursor`), and create/update/delete mutations. The ORM's validation errors
 * become GraphQL errors with `extensions.code` BAD_USER_INPUT and the field they name.
 */
export function toGraphQLSchema(models: readonly AnyModel[], options: GraphQLSchemaOptions): GraphQLSchema {
  const { orm } = options;
  const defaultPage = options.defaultPageSize ?? 20;
  const maxPage = options.maxPageSize ?? 100;
  const types = new TypeBuilder();
  const query: Record<string, GraphQLFieldConfig<unknown, unknown>> = {};
  const mutation: Record<string, GraphQLFieldConfig<unknown, unknown>> = {};

  for (const model of models) {
    const d = describeModel(model);
    const name = pascal(d.name);
    // Every request the resolver sends carries the GraphQL request's signal: a client that goes away aborts them.
    const q = (context: unknown): ModelQuery => {
      const read = orm.model(model) as unknown as ModelQuery;
      const signal = requestSignal(context);
      return signal === undefined ? read : read.signal(signal);
    };
    const attribute = (n: string): AttributeDescription => d.attributes.find((a) => a.name === n)!;
    const itemType = types.objectType(name, d.attributes);
    const keyArgs = (names: readonly string[]): GraphQLFieldConfigArgumentMap =>
      Object.fromEntries(names.map((n) => [n, { type: types.input(name, attribute(n), true) }]));
    const keyOf = (args: Item, names: readonly string[]): Item => Object.fromEntries(names.map((n) => [n, toModelValue(attribute(n), args[n])]));
    const single = lowerFirst(name);

    query[single] = {
      type: itemType,
      description: `One ${d.name} by its key, or null.`,
      args: keyArgs(d.key),
      resolve: (_source, args: Item, context) => mapped(() => q(context).get(keyOf(args, d.key))),
    };

    const edge = new GraphQLObjectType({
      name: `${name}Edge`,
      fields: {
        node: { type: new GraphQLNonNull(itemType) },
        // Made only when asked for: a cursor per item costs an encoding (and a signature, with signed cursors).
        cursor: { type: new GraphQLNonNull(GraphQLString), description: 'Pass as `after` to read on right after this edge.', resolve: (e: EdgeOf) => e.page.cursorAfter(e.index) },
      },
    });
    const connection = new GraphQLObjectType({
      name: `${name}Connection`,
      fields: {
        edges: { type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(edge))), resolve: (page: PageOf) => page.items.map((node, index): EdgeOf => ({ node, page, index })) },
        nodes: { type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(itemType))), resolve: (page: PageOf) => page.items },
        pageInfo: { type: new GraphQLNonNull(PageInfo), resolve: (page: PageOf) => ({ hasNextPage: page.cursor !== undefined, endCursor: page.cursor ?? null }) },
      },
    });
    const list = (path: AccessPathDescription): GraphQLFieldConfig<unknown, unknown> => ({
      type: new GraphQLNonNull(connection),
      description: `${plural(d.name)} of one partition of ${path.index === undefined ? 'the table' : `index ${path.index}`}, a page at a time.`,
      args: { ...keyArgs(path.partitionKey), first: { type: GraphQLInt }, after: { type: GraphQLString } },
      resolve: (_source, args: Item & { first?: number | null; after?: string | null }, context, info: GraphQLResolveInfo) => {
        const first = args.first ?? defaultPage;
        if (!Number.isInteger(first) || first < 1 || first > maxPage) {
          throw new GraphQLError(`${info.parentType.name}.${info.fieldName}: argument first must be between 1 and ${maxPage}, received ${first}`, { extensions: { code: 'BAD_USER_INPUT', field: 'first' } });
        }
        let read = path.index === undefined ? q(context) : q(context).index(path.index);
        for (const n of path.partitionKey) read = read.where(n, '=', toModelValue(attribute(n), args[n]));
        return mapped(() => read.limit(first).page(args.after ?? undefined));
      },
    });
    // A partition of the table holds several items only when the table has a sort key.
    if (d.primary.sortKey.length > 0) query[lowerFirst(plural(name))] = list(d.primary);
    for (const index of d.indexes) query[`${lowerFirst(plural(name))}By${pascal(index.index!)}`] = list(index);

    mutations(mutation, d, name, itemType, types, q);
  }
  return new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: query }),
    ...(Object.keys(mutation).length === 0 ? {} : { mutation: new GraphQLObjectType({ name: 'Mutation', fields: mutation }) }),
  });
}

type PageOf = { items: Item[]; cursor: string | undefined; cursorAfter(index: number): string };
type EdgeOf = { node: Item; page: PageOf; index: number };

function mutations(
  mutation: Record<string, GraphQLFieldConfig<unknown, unknown>>,
  d: ModelDescription,
  name: string,
  itemType: GraphQLObjectType,
  types: TypeBuilder,
  q: (context: unknown) => ModelQuery,
): void {
  const keySet = new Set(d.key);
  const writable = d.attributes.filter((a) => a.managed !== 'createdAt' && a.managed !== 'updatedAt');
  const keyInput = types.inputType(`${name}KeyInput`, d.key.map((n) => ({ attribute: d.attributes.find((a) => a.name === n)!, required: true })), name);
  const createInput = types.inputType(`${name}CreateInput`, writable.filter((a) => a.managed === undefined).map((a) => ({ attribute: a, required: !a.optional && !a.nullable && !a.generated })), name);
  const updateInput = types.inputType(`${name}UpdateInput`, writable.filter((a) => !keySet.has(a.name)).map((a) => ({ attribute: a, required: false })), name);
  const values = (input: unknown): Item => toModelObject(d.attributes, input as Item);

  mutation[`create${name}`] = {
    type: new GraphQLNonNull(itemType),
    description: `Creates a ${d.name}; a CONFLICT error when its key exists.`,
    args: { input: { type: new GraphQLNonNull(createInput) } },
    resolve: (_s, args: { input: Item }, context) => {
      return mapped(() => q(context).create(values(args.input)));
    },
  };
  mutation[`update${name}`] = {
    type: new GraphQLNonNull(itemType),
    description: `Updates a ${d.name} by key with the attributes given; NOT_FOUND when it does not exist.`,
    args: { key: { type: new GraphQLNonNull(keyInput) }, changes: { type: new GraphQLNonNull(updateInput) } },
    resolve: (_s, args: { key: Item; changes: Item }, context) => {
      return mapped(() => q(context).key(values(args.key)).update(values(args.changes)));
    },
  };
  mutation[`delete${name}`] = {
    type: itemType,
    description: `Deletes a ${d.name} by key; the deleted item, or null when there was none.`,
    args: { key: { type: new GraphQLNonNull(keyInput) } },
    resolve: (_s, args: { key: Item }, context) => {
      return mapped(async () => (await q(context).delete(values(args.key))) ?? null);
    },
  };
}
