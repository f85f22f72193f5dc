// dynamorm-graphql: GraphQL schemas from DynamORM models, with resolvers on the ORM.
export { toGraphQLSchema } from './schema.js';
export type { GraphQLSchemaOptions } from './schema.js';
export { toGraphQLError } from './errors.js';
export { BigIntScalar, BinaryScalar, DateTimeScalar, JsonScalar } from './scalars.js';
