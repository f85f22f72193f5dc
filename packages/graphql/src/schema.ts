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

/** What resolvers read of the GraphQL context: the request's abort signal, when the server gives one. */
interface RequestContext {
  readonly request?: { readonly signal?: AbortSignal };
  readonly signal?: AbortSignal;
}

type Item = Record<string, unknown>;

/** The part of the ORM's query builder the resolvers use, for models known only at run time. */
interface ModelQuery {
  where(attribute: string, op: '=', value: unknown): ModelQuery;
  index(name: string): ModelQuery;
  limit(n: number): ModelQuery;
  key(key: Item): ModelQuery;
  page(cursor?: string): Promise<{ items: Item[]; cursor: string | undefined }>;
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

/** Stops a resolver before it sends anything once the request is gone (the client went away, a timeout). */
function checkCancelled(context: unknown): void {
  const ctx = (context ?? {}) as RequestContext;
  (ctx.signal ?? ctx.request?.signal)?.throwIfAborted();
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
    const q = (): ModelQuery => orm.model(model) as unknown as ModelQuery;
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
      resolve: (_source, args: Item, context) => {
        checkCancelled(context);
        return mapped(() => q().get(keyOf(args, d.key)));
      },
    };

    const connection = new GraphQLObjectType({
      name: `${name}Connection`,
      fields: {
        edges: { type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(new GraphQLObjectType({ name: `${name}Edge`, fields: { node: { type: new GraphQLNonNull(itemType) } } })))), resolve: (page: PageOf) => page.items.map((node) => ({ node })) },
        nodes: { type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(itemType))), resolve: (page: PageOf) => page.items },
        pageInfo: { type: new GraphQLNonNull(PageInfo), resolve: (page: PageOf) => ({ hasNextPage: page.cursor !== undefined, endCursor: page.cursor ?? null }) },
      },
    });
    const list = (path: AccessPathDescription): GraphQLFieldConfig<unknown, unknown> => ({
      type: new GraphQLNonNull(connection),
      description: `${plural(d.name)} of one partition of ${path.index === undefined ? 'the table' : `index ${path.index}`}, a page at a time.`,
      args: { ...keyArgs(path.partitionKey), first: { type: GraphQLInt }, after: { type: GraphQLString } },
      resolve: (_source, args: Item & { first?: number | null; after?: string | null }, context, info: GraphQLResolveInfo) => {
        checkCancelled(context);
        const first = args.first ?? defaultPage;
        if (!Number.isInteger(first) || first < 1 || first > maxPage) {
          throw new GraphQLError(`${info.parentType.name}.${info.fieldName}: argument first must be between 1 and ${maxPage}, received ${first}`, { extensions: { code: 'BAD_USER_INPUT', field: 'first' } });
        }
        let read = path.index === undefined ? q() : q().index(path.index);
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

type PageOf = { items: Item[]; cursor: string | undefined };

function mutations(
  mutation: Record<string, GraphQLFieldConfig<unknown, unknown>>,
  d: ModelDescription,
  name: string,
  itemType: GraphQLObjectType,
  types: TypeBuilder,
  q: () => ModelQuery,
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
      checkCancelled(context);
      return mapped(() => q().create(values(args.input)));
    },
  };
  mutation[`update${name}`] = {
    type: new GraphQLNonNull(itemType),
    description: `Updates a ${d.name} by key with the attributes given; NOT_FOUND when it does not exist.`,
    args: { key: { type: new GraphQLNonNull(keyInput) }, changes: { type: new GraphQLNonNull(updateInput) } },
    resolve: (_s, args: { key: Item; changes: Item }, context) => {
      checkCancelled(context);
      return mapped(() => q().key(values(args.key)).update(values(args.changes)));
    },
  };
  mutation[`delete${name}`] = {
    type: itemType,
    description: `Deletes a ${d.name} by key; the deleted item, or null when there was none.`,
    args: { key: { type: new GraphQLNonNull(keyInput) } },
    resolve: (_s, args: { key: Item }, context) => {
      checkCancelled(context);
      return mapped(async () => (await q().delete(values(args.key))) ?? null);
    },
  };
}
