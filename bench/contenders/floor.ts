/**
 * The floor: hand-written AttributeValue requests sent with @aws-sdk/client-dynamodb. No library
 * can do less work than this for the same request, so every figure is also given as a ratio to it.
 */
import type { PutItemCommandInput, QueryCommandInput, UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import { GSI_EMAIL, type QuerySpec, type UpdateSpec, type User, type UserKey } from '../model.js';
import { rawClientOperations } from '../lib/raw-client-operations.js';
import type { AttributeMap, BenchEnv, Contender } from './types.js';

export function userToAttributes(u: User): AttributeMap {
  const p = u.preferences;
  const item: AttributeMap = {
    id: { S: u.id },
    createdAt: { S: u.createdAt },
    email: { S: u.email },
    name: { S: u.name },
    age: { N: String(u.age) },
    tags: { SS: Array.from(u.tags) },
    preferences: {
      M: {
        theme: { S: p.theme },
        locale: { S: p.locale },
        notifications: {
          M: { email: { BOOL: p.notifications.email }, sms: { BOOL: p.notifications.sms } },
        },
      },
    },
    updatedAt: { S: u.updatedAt },
    version: { N: String(u.version) },
  };
  if (u.ttl !== undefined) item['ttl'] = { N: String(u.ttl) };
  return item;
}

function str(av: AttributeMap, name: string): string {
  const v = av[name]?.S;
  if (v === undefined) throw new Error(`floor: attribute ${name} is not S`);
  return v;
}
function num(av: AttributeMap, name: string): number {
  const v = av[name]?.N;
  if (v === undefined) throw new Error(`floor: attribute ${name} is not N`);
  return Number(v);
}
function bool(av: AttributeMap, name: string): boolean {
  const v = av[name]?.BOOL;
  if (v === undefined) throw new Error(`floor: attribute ${name} is not BOOL`);
  return v;
}
function map(av: AttributeMap, name: string): AttributeMap {
  const v = av[name]?.M;
  if (v === undefined) throw new Error(`floor: attribute ${name} is not M`);
  return v;
}

export function attributesToUser(av: AttributeMap): User {
  const p = map(av, 'preferences');
  const n = map(p, 'notifications');
  const user: User = {
    id: str(av, 'id'),
    createdAt: str(av, 'createdAt'),
    email: str(av, 'email'),
    name: str(av, 'name'),
    age: num(av, 'age'),
    tags: new Set(av['tags']?.SS ?? []),
    preferences: {
      theme: str(p, 'theme'),
      locale: str(p, 'locale'),
      notifications: { email: bool(n, 'email'), sms: bool(n, 'sms') },
    },
    updatedAt: str(av, 'updatedAt'),
    version: num(av, 'version'),
  };
  const ttl = av['ttl']?.N;
  if (ttl !== undefined) user.ttl = Number(ttl);
  return user;
}

function keyAttributes(k: UserKey): AttributeMap {
  return { id: { S: k.id }, createdAt: { S: k.createdAt } };
}

export function createFloor(env: BenchEnv): Contender<User, UserKey, User> {
  const { tableName } = env;

  const buildPut = (u: User): PutItemCommandInput => ({ TableName: tableName, Item: userToAttributes(u) });
  const buildQuery = (q: QuerySpec): QueryCommandInput => ({
    TableName: tableName,
    IndexName: GSI_EMAIL,
    KeyConditionExpression: '#email = :email AND begins_with(#createdAt, :prefix)',
    FilterExpression: '#age > :minAge',
    ExpressionAttributeNames: { '#email': 'email', '#createdAt': 'createdAt', '#age': 'age' },
    ExpressionAttributeValues: {
      ':email': { S: q.email },
      ':prefix': { S: q.createdAtPrefix },
      ':minAge': { N: String(q.minAge) },
    },
  });
  const buildUpdate = (k: UserKey, u: UpdateSpec): UpdateItemCommandInput => ({
    TableName: tableName,
    Key: keyAttributes(k),
    UpdateExpression: 'SET #name = :name ADD #age :inc REMOVE #ttl',
    ExpressionAttributeNames: { '#name': 'name', '#age': 'age', '#ttl': 'ttl' },
    ExpressionAttributeValues: { ':name': { S: u.name }, ':inc': { N: String(u.ageIncrement) } },
  });

  return {
    id: 'floor',
    label: 'floor: hand-written AttributeValue + client-dynamodb',
    role: 'floor',
    packages: ['@aws-sdk/client-dynamodb'],
    notes: 'Hand-written AttributeValue maps and expressions; nothing generic.',
    toItem: (u) => u,
    toKey: (k) => k,
    toUser: (u) => u,
    buildPut,
    unmarshal: attributesToUser,
    buildQuery,
    buildUpdate,
    ...rawClientOperations(env, { buildPut, buildQuery, key: keyAttributes, model: attributesToUser }),
  };
}

export default createFloor;

export { floorMemory as memory } from './floor-memory.js';
