// The GraphQL schema of DynamORM models, served by the example server (graphql-yoga on node:http)
// and queried over HTTP against DynamoDB Local: types, queries by key and index with connections,
// mutations, typed validation errors naming the field, gets coalesced into one request, per-edge
// cursors, and a client disconnect aborting the DynamoDB request in flight (through the fault proxy).
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { printSchema } from 'graphql';
import { DynamORM } from 'dynamorm';
import { toGraphQLSchema } from 'dynamorm-graphql';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { Post, User, createGraphQLServer } from '../../../examples/graphql-server.js';
import { clientConfig, endpoint, uniqueTable } from '../../dynamorm/test/support/dynamo.js';
import { startFaultProxy } from '../../dynamorm/test/support/fault-proxy.js';

// Every request the ORM sends, by command name, counted below the ORM (in the SDK client).
const sent: string[] = [];
const client = new DynamoDBClient(clientConfig());
client.middlewareStack.add((next, context) => (args) => {
  sent.push(context.commandName!);
  return next(args);
}, { step: 'initialize', name: 'countRequests' });
const tablePrefix = `${uniqueTable('gql')}_`;
const orm = new DynamORM({ client, autoMigrate: true, tablePrefix, models: [User, Post] });
const server = createGraphQLServer(orm);
let url = '';

interface Response {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> }[];
}

async function gql(query: string, variables: Record<string, unknown> = {}, at = url): Promise<Response> {
  const response = await fetch(at, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return (await response.json()) as Response;
}

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await orm.dropTables();
});

describe('the schema', () => {
  const sdl = printSchema(toGraphQLSchema([User, Post], { orm }));

  test('an object type per model, with scalars for dates and bigints, lists for sets, enums from t.enum', () => {
    expect(sdl).toContain('type Post {\n  authorId: String!\n  postedAt: DateTime!\n  title: String!\n  status: PostStatus!\n  tags: [String!]\n  views: BigInt!\n  updatedAt: DateTime!\n}');
    expect(sdl).toContain('enum PostStatus {\n  draft\n  published\n}');
  });

  test('queries by key, by the table partition and by each index, as connections', () => {
    expect(sdl).toContain('user(id: String!): User');
    expect(sdl).toContain('post(authorId: String!, postedAt: DateTime!): Post');
    expect(sdl).toContain('posts(authorId: String!, first: Int, after: String): PostConnection!');
    expect(sdl).toContain('postsByStatus(status: PostStatus!, first: Int, after: String): PostConnection!');
    expect(sdl).toContain('type PostConnection {\n  edges: [PostEdge!]!\n  nodes: [Post!]!\n  pageInfo: PageInfo!\n}');
  });

  test('mutations with inputs: required where the model requires, managed attributes left out', () => {
    expect(sdl).toContain('createPost(input: PostCreateInput!): Post!');
    expect(sdl).toContain('input PostCreateInput {\n  authorId: String!\n  postedAt: DateTime!\n  title: String!\n  status: PostStatus!\n  tags: [String!]\n  views: BigInt\n}');
    expect(sdl).toContain('updatePost(key: PostKeyInput!, changes: PostUpdateInput!): Post!');
    expect(sdl).toContain('deletePost(key: PostKeyInput!): Post');
  });
});

describe('over HTTP', () => {
  const at = (day: number): string => new Date(Date.UTC(2024, 4, day)).toISOString();

  test('create, read by key, page through a partition and an index, update, delete', async () => {
    const create = `mutation ($input: PostCreateInput!) { createPost(input: $input) { authorId postedAt title status tags views } }`;
    for (const [day, status] of [[1, 'published'], [2, 'draft'], [3, 'published']] as const) {
      const result = await gql(create, { input: { authorId: 'ann', postedAt: at(day), title: `Post ${day}`, status, tags: ['a', 'b'] } });
      expect(result).toEqual({ data: { createPost: { authorId: 'ann', postedAt: at(day), title: `Post ${day}`, status, tags: ['a', 'b'], views: '0' } } });
    }
    expect(await gql(`{ post(authorId: "ann", postedAt: "${at(2)}") { title status } }`)).toEqual({ data: { post: { title: 'Post 2', status: 'draft' } } });

    const first = await gql('{ posts(authorId: "ann", first: 2) { nodes { title } pageInfo { hasNextPage endCursor } } }');
    const page1 = first.data!['posts'] as { nodes: { title: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
    expect(page1.nodes).toEqual([{ title: 'Post 1' }, { title: 'Post 2' }]);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const second = await gql('query ($after: String) { posts(authorId: "ann", first: 2, after: $after) { edges { node { title } } pageInfo { hasNextPage } } }', { after: page1.pageInfo.endCursor });
    expect(second.data).toEqual({ posts: { edges: [{ node: { title: 'Post 3' } }], pageInfo: { hasNextPage: false } } });

    const published = await gql('{ postsByStatus(status: published) { nodes { title } } }');
    expect(published.data).toEqual({ postsByStatus: { nodes: [{ title: 'Post 1' }, { title: 'Post 3' }] } });

    const update = await gql(`mutation { updatePost(key: { authorId: "ann", postedAt: "${at(2)}" }, changes: { status: published, views: "9007199254740993" }) { status views } }`);
    expect(update).toEqual({ data: { updatePost: { status: 'published', views: '9007199254740993' } } });
    expect(await gql(`mutation { deletePost(key: { authorId: "ann", postedAt: "${at(1)}" }) { title } }`)).toEqual({ data: { deletePost: { title: 'Post 1' } } });
    expect(await gql(`{ post(authorId: "ann", postedAt: "${at(1)}") { title } }`)).toEqual({ data: { post: null } });
  });

  test("each edge's cursor resumes right after that edge", async () => {
    const create = `mutation ($input: PostCreateInput!) { createPost(input: $input) { title } }`;
    for (let day = 1; day <= 5; day++) await gql(create, { input: { authorId: 'eve', postedAt: at(day), title: `Eve ${day}`, status: 'draft' } });
    const page = await gql('{ posts(authorId: "eve", first: 4) { edges { cursor node { title } } pageInfo { endCursor } } }');
    const { edges, pageInfo } = page.data!['posts'] as { edges: { cursor: string; node: { title: string } }[]; pageInfo: { endCursor: string } };
    expect(edges.map((e) => e.node.title)).toEqual(['Eve 1', 'Eve 2', 'Eve 3', 'Eve 4']);
    expect(new Set(edges.map((e) => e.cursor)).size).toBe(4);
    // The last edge's cursor is the page's endCursor.
    expect(edges[3]!.cursor).toBe(pageInfo.endCursor);
    const after = 'query ($after: String) { posts(authorId: "eve", first: 10, after: $after) { nodes { title } } }';
    for (const k of [0, 1, 2, 3]) {
      const rest = await gql(after, { after: edges[k]!.cursor });
      expect(rest.data).toEqual({ posts: { nodes: ['Eve 1', 'Eve 2', 'Eve 3', 'Eve 4', 'Eve 5'].slice(k + 1).map((title) => ({ title })) } });
    }
  });

  test('a client that goes away aborts the DynamoDB request in flight', async () => {
    // The same tables through the fault proxy, whose Query answers are held back.
    const proxy = await startFaultProxy(endpoint());
    const slowOrm = new DynamORM({ endpoint: proxy.endpoint, tablePrefix, models: [User, Post] });
    const slowServer = createGraphQLServer(slowOrm);
    await new Promise<void>((resolve) => slowServer.listen(0, '127.0.0.1', resolve));
    try {
      const slowUrl = `http://127.0.0.1:${(slowServer.address() as AddressInfo).port}/graphql`;
      expect((await gql('{ posts(authorId: "eve", first: 1) { nodes { title } } }', {}, slowUrl)).data).toEqual({ posts: { nodes: [{ title: 'Eve 1' }] } });
      proxy.set({ slow: 1, slowMs: 20_000, only: ['Query'] });
      const client = new AbortController();
      const request = fetch(slowUrl, { method: 'POST', signal: client.signal, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ posts(authorId: "eve", first: 2) { nodes { title } } }' }) });
      const failed = request.then(() => 'answered', (error: Error) => error.name);
      await vi.waitFor(() => expect(proxy.stats.slow).toBe(1), { timeout: 10_000, interval: 10 });
      expect(proxy.stats.abandoned).toBe(0);
      client.abort();
      expect(await failed).toBe('AbortError');
      // The ORM's Query was cancelled: its connection closed long before the held answer was due.
      await vi.waitFor(() => expect(proxy.stats.abandoned).toBe(1), { timeout: 10_000, interval: 10 });
      expect(proxy.stats.requests['Query']).toBe(2);
    } finally {
      const closing = new Promise((resolve) => slowServer.close(resolve));
      slowServer.closeAllConnections();
      await closing;
      await proxy.close();
    }
  });

  test('gets of one request are coalesced: ten users cost one BatchGetItem (no N+1)', async () => {
    for (let i = 0; i < 10; i++) {
      await gql('mutation ($input: UserCreateInput!) { createUser(input: $input) { id } }', { input: { id: `u${i}`, name: `User ${i}`, email: `u${i}@example.com` } });
    }
    sent.length = 0;
    const fields = Array.from({ length: 10 }, (_, i) => `u${i}: user(id: "u${i}") { name }`).join(' ');
    const result = await gql(`{ ${fields} missing: user(id: "nobody") { name } }`);
    expect(result.data).toMatchObject({ u0: { name: 'User 0' }, u9: { name: 'User 9' }, missing: null });
    expect(sent).toEqual(['BatchGetItemCommand']);
  });

  test('the ORM\'s validation errors are typed GraphQL errors naming the field; nothing is written', async () => {
    const result = await gql('mutation { createUser(input: { id: "v1", name: "Val", email: "not-an-email" }) { id } }');
    expect(result.data).toBeNull();
    expect(result.errors).toEqual([expect.objectContaining({
      path: ['createUser'],
      message: expect.stringContaining('User.email: must be an email address'),
      extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'email', model: 'User' }),
    })]);
    expect(await gql('{ user(id: "v1") { id } }')).toEqual({ data: { user: null } });
    const duplicate = await gql('mutation { createUser(input: { id: "u1", name: "Again", email: "a@b.c" }) { id } }');
    expect(duplicate.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT' });
  });

  test('bad arguments are GraphQL errors naming the argument or field, never a stack trace', async () => {
    const badEnum = await gql('{ postsByStatus(status: archived) { nodes { title } } }');
    expect(badEnum.errors![0]!.message).toMatch(/Value "archived" does not exist in "PostStatus" enum/);
    const badDate = await gql('mutation ($key: PostKeyInput!) { deletePost(key: $key) { title } }', { key: { authorId: 'ann', postedAt: 'yesterday' } });
    expect(badDate.errors![0]!.message).toMatch(/Variable "\$key" got invalid value "yesterday" at "key\.postedAt"; expected an ISO-8601 date/);
    const missing = await gql('{ post(authorId: "ann") { title } }');
    expect(missing.errors![0]!.message).toContain('argument "postedAt" of type "DateTime!" is required');
    const badPage = await gql('{ posts(authorId: "ann", first: 0) { nodes { title } } }');
    expect(badPage.errors![0]).toMatchObject({ message: 'Query.posts: argument first must be between 1 and 100, received 0', extensions: { code: 'BAD_USER_INPUT', field: 'first' } });
    for (const response of [badEnum, badDate, missing, badPage]) expect(JSON.stringify(response)).not.toMatch(/\bat .*\.(ts|js):\d+/);
  });
});
