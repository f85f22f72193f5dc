/**
 * @aws-sdk/util-dynamodb: `marshall` / `unmarshall` around hand-written expressions, sent with
 * the plain DynamoDBClient. The generic-walk baseline the put and unmarshal targets are
 * measured against.
 */
import type { PutItemCommandInput, QueryCommandInput, UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall, type marshallOptions } from '@aws-sdk/util-dynamodb';
import { GSI_EMAIL, type QuerySpec, type UpdateSpec, type User, type UserKey } from '../model.js';
import { rawClientOperations } from '../lib/raw-client-operations.js';
import type { AttributeMap, BenchEnv, Contender } from './types.js';

const OPTIONS: marshallOptions = { removeUndefinedValues: true };

type Native = Record<string, unknown>;

export function createUtilDynamodb(env: BenchEnv): Contender<User, UserKey, Native> {
  const { tableName } = env;

  const buildPut = (u: User): PutItemCommandInput => ({ TableName: tableName, Item: marshall(u, OPTIONS) });
  const unmarshal = (av: AttributeMap): Native => unmarshall(av);
  const buildQuery = (q: QuerySpec): QueryCommandInput => ({
    TableName: tableName,
    IndexName: GSI_EMAIL,
    KeyConditionExpression: '#email = :email AND begins_with(#createdAt, :prefix)',
    FilterExpression: '#age > :minAge',
    ExpressionAttributeNames: { '#email': 'email', '#createdAt': 'createdAt', '#age': 'age' },
    ExpressionAttributeValues: marshall({ ':email': q.email, ':prefix': q.createdAtPrefix, ':minAge': q.minAge }, OPTIONS),
  });
  const buildUpdate = (k: UserKey, u: UpdateSpec): UpdateItemCommandInput => ({
    TableName: tableName,
    Key: marshall(k, OPTIONS),
    UpdateExpression: 'SET #name = :name ADD #age :inc REMOVE #ttl',
    ExpressionAttributeNames: { '#name': 'name', '#age': 'age', '#ttl': 'ttl' },
    ExpressionAttributeValues: marshall({ ':name': u.name, ':inc': u.ageIncrement }, OPTIONS),
  });

  return {
    id: 'util-dynamodb',
    label: '@aws-sdk/util-dynamodb marshall/unmarshall + client-dynamodb',
    role: 'sdk',
    packages: ['@aws-sdk/util-dynamodb', '@aws-sdk/client-dynamodb'],
    notes: 'marshall(item, { removeUndefinedValues: true }) / unmarshall(item); expressions hand-written.',
    toItem: (u) => u,
    toKey: (k) => k,
    toUser: (m) => m as unknown as User,
    buildPut,
    unmarshal,
    buildQuery,
    buildUpdate,
    ...rawClientOperations(env, { buildPut, buildQuery, key: (k) => marshall(k, OPTIONS), model: unmarshal }),
  };
}

export default createUtilDynamodb;
