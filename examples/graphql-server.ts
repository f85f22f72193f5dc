/**
 * A GraphQL API over DynamORM models: graphql-yoga on node:http, the schema from
 * toGraphQLSchema. `npx tsx examples/graphql-server.ts` starts DynamoDB Local and serves
 * http://127.0.0.1:4000/graphql (GraphiQL in a browser). The test suite starts the same server
 * on the test run's DynamoDB Local and talks to it over HTTP.
 */
import { createServer, type Server } from 'node:http';
import { pathToFileURL } from 'node:url';
import { createYoga } from 'graphql-yoga';
import { DynamORM, model, t } from 'dynamorm';
import { toGraphQLSchema } from 'dynamorm-graphql';

export const User = model('User', {
  table: 'users',
  attributes: {
    id: t.string().pk(),
    name: t.string(),
    email: t.string().validate((email) => email.includes('@') || 'must be an email address'),
  },
});

export const Post = model('Post', {
  table: 'posts',
  attributes: {
    authorId: t.string().pk(),
    postedAt: t.date().sk().index('status', 'sk'),
    title: t.string().validate((title) => title.trim() !== '' || 'must not be empty'),
    status: t.enum(['draft', 'published']).index('status'),
    tags: t.stringSet().optional(),
    views: t.bigint().default(0n),
    updatedAt: t.date().updatedAt(),
  },
});

/** The HTTP server: POST /graphql (and GraphiQL on GET). Each request's signal cancels its resolvers. */
export function createGraphQLServer(orm: DynamORM): Server {
  const yoga = createYoga({ schema: toGraphQLSchema([User, Post], { orm }), graphqlEndpoint: '/graphql', logging: false });
  return createServer(yoga);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { startLocalDynamo } = await import('dynamorm/local');
  const local = await startLocalDynamo();
  const orm = new DynamORM({ endpoint: local.endpoint, autoMigrate: true, models: [User, Post] });
  const server = createGraphQLServer(orm).listen(4000, '127.0.0.1', () => console.log('GraphQL on http://127.0.0.1:4000/graphql (Ctrl-C stops)'));
  process.once('SIGINT', () => server.close(() => void local.stop()));
}
