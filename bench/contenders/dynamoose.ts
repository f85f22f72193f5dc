/**
 * dynamoose 4, used as its docs show: a Schema, a Model bound to a Table, the AWS SDK v3
 * `DynamoDB` client set with `dynamoose.aws.ddb.set()`. In-process figures use the documented
 * `{ return: 'request' }` setting of `item.save()` and `Model.update()` and `query.getRequest()`,
 * all of which build the request without sending it; a returned item is turned into a model
 * object the way `Model.get()` does it (new item `fromDynamo` + `conformToSchema`). Every one of
 * those is async, so the harness awaits each call.
 *
 * Defaults kept (`saveUnknown: false`, no timestamps). Dates are plain ISO strings here as in
 * the other peers (dynamoose's Date type would store epoch numbers by default).
 */
import { DynamoDB } from '@aws-sdk/client-dynamodb';
import dynamoose from 'dynamoose';
import { Item } from 'dynamoose/dist/Item.js';
import { canonicalUser, GSI_EMAIL, type Preferences, type User, type UserKey } from '../model.js';
import { chunks } from '../lib/batch.js';
import type { BenchEnv, BundleEntry, Contender } from './types.js';

class UserItem extends Item {
  declare id: string;
  declare createdAt: string;
  declare email: string;
  declare name: string;
  declare age: number;
  declare tags: Set<string>;
  declare preferences: Preferences;
  declare updatedAt: string;
  declare version: number;
  declare ttl?: number;
}

type ItemFromDynamo = new (object: object, settings: { type: 'fromDynamo' }) => UserItem;

/** The settings `Model.get()` passes to `conformToSchema` (dynamoose/dist/Model/index.js). */
const CONFORM_FROM_DYNAMO: Parameters<Item['conformToSchema']>[0] = {
  customTypesDynamo: true,
  checkExpiredItem: true,
  saveUnknown: true,
  modifiers: ['get'],
  type: 'fromDynamo',
  mapAttributes: true,
};


export function createDynamoose(env: BenchEnv): Contender<User, UserKey, UserItem> {
  dynamoose.aws.ddb.set(new DynamoDB({ region: env.region, endpoint: env.endpoint, credentials: env.credentials }));
  const schema = new dynamoose.Schema(
    {
      id: { type: String, hashKey: true },
      createdAt: { type: String, rangeKey: true },
      email: { type: String, index: { name: GSI_EMAIL, type: 'global', rangeKey: 'createdAt' } },
      name: String,
      age: Number,
      tags: { type: Set, schema: [String] },
      preferences: {
        type: Object,
        schema: {
          theme: String,
          locale: String,
          notifications: { type: Object, schema: { email: Boolean, sms: Boolean } },
        },
      },
      updatedAt: String,
      version: Number,
      ttl: Number,
    },
    { saveUnknown: false, timestamps: false },
  );
  const UserModel = dynamoose.model<UserItem>('User', schema, { create: false, waitForActive: false });
  new dynamoose.Table(env.tableName, [UserModel], { create: false, waitForActive: false });
  const FromDynamo = UserModel as unknown as ItemFromDynamo;

  const queryOf = (q: { email: string; createdAtPrefix: string; minAge: number }) =>
    UserModel.query('email')
      .eq(q.email)
      .where('createdAt')
      .beginsWith(q.createdAtPrefix)
      .filter('age')
      .gt(q.minAge)
      .using(GSI_EMAIL);

  return {
    id: 'dynamoose',
    label: "dynamoose ({ return: 'request' }, getRequest())",
    role: 'peer',
    packages: ['dynamoose'],
    notes: "Model on a Table; request builds via { return: 'request' } / getRequest(), all async; unmarshal as Model.get() does.",
    toItem: (u) => u,
    toKey: (k) => k,
    toUser: canonicalUser,
    buildPut: (u) => new UserModel(u).save({ return: 'request' }),
    unmarshal: async (av) => (await new FromDynamo(av, { type: 'fromDynamo' }).conformToSchema(CONFORM_FROM_DYNAMO)) as UserItem,
    buildQuery: (q) => queryOf(q).getRequest(),
    buildUpdate: (k, u) =>
      UserModel.update({ id: k.id, createdAt: k.createdAt }, { $SET: { name: u.name }, $ADD: { age: u.ageIncrement }, $REMOVE: ['ttl'] }, { return: 'request' }),
    async put(u) {
      await new UserModel(u).save();
    },
    async get(k) {
      return (await UserModel.get({ id: k.id, createdAt: k.createdAt })) ?? undefined;
    },
    async query(q) {
      return [...(await queryOf(q).all().exec())];
    },
    async batchWrite(users) {
      for (const chunk of chunks(users, 25)) {
        const { unprocessedItems } = await UserModel.batchPut(chunk);
        if (unprocessedItems.length > 0) throw new Error(`dynamoose: ${unprocessedItems.length} unprocessed items`);
      }
    },
    async batchGet(keys) {
      const found: UserItem[] = [];
      for (const chunk of chunks(keys, 100)) {
        const out = await UserModel.batchGet(chunk.map((k) => ({ id: k.id, createdAt: k.createdAt })));
        if (out.unprocessedKeys.length > 0) throw new Error(`dynamoose: ${out.unprocessedKeys.length} unprocessed keys`);
        found.push(...out);
      }
      return found;
    },
  };
}

export default createDynamoose;

export const bundle: BundleEntry = { id: 'dynamoose', specifier: 'dynamoose', packageName: 'dynamoose' };
