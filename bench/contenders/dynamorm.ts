/**
 * DynamORM, the subject: the shared User as a DynamORM model, used the way its README shows.
 *
 * `version` is a plain number here, as it is for every other contender: the harness puts the same
 * items again each round, which optimistic locking (`.version()`) would rightly refuse as blind
 * overwrites. `updatedAt` is managed (set on every write), so it is left out of cross-checks.
 */
import type { QueryCommandInput } from '@aws-sdk/client-dynamodb';
import { fileURLToPath } from 'node:url';
// The built package, as users run it (tsx would otherwise run the TypeScript sources, with its own helpers in the hot paths).
import { DynamORM, model, t, type InferItem, type InferKey } from '../../packages/dynamorm/dist/index.js';
import { GSI_EMAIL, makeUsers, type User as Fixture } from '../model.js';
import { MEMORY_PARTITION, memoryItemCount } from './floor-memory.js';
import type { BenchEnv, BundleEntry, Contender, MemoryScenario, TypecheckSource } from './types.js';

export function userModel(table: string) {
  return model('User', {
    table,
    attributes: {
      id: t.string().pk(),
      createdAt: t.date().sk().index(GSI_EMAIL, 'sk'),
      email: t.string().index(GSI_EMAIL),
      name: t.string(),
      age: t.number(),
      tags: t.stringSet(),
      preferences: t.object({
        theme: t.string(),
        locale: t.string(),
        notifications: t.object({ email: t.boolean(), sms: t.boolean() }),
      }),
      updatedAt: t.date().updatedAt(),
      version: t.number(),
      ttl: t.ttl().optional(),
    },
  });
}
type UserModel = ReturnType<typeof userModel>;
type Item = InferItem<UserModel>;
type Key = InferKey<UserModel>;

const toItem = (u: Fixture): Item => ({ ...u, createdAt: new Date(u.createdAt), updatedAt: new Date(u.updatedAt) });

function ormFor(env: BenchEnv): DynamORM {
  return new DynamORM({ client: env.client, autoMigrate: false, logger: { warn: () => undefined } });
}

export default function createDynamORM(env: BenchEnv): Contender<Item, Key, Item> {
  const User = userModel(env.tableName);
  const orm = ormFor(env);
  const users = orm.model(User);
  const byEmail = users.index(GSI_EMAIL);
  const query = (q: { email: string; createdAtPrefix: string; minAge: number }) =>
    byEmail.where('email', '=', q.email).where('createdAt', 'begins_with', q.createdAtPrefix).filter('age', '>', q.minAge);
  return {
    id: 'dynamorm',
    label: 'DynamORM (schema-compiled codec, planner, compiled requests)',
    role: 'subject',
    packages: ['dynamorm', '@aws-sdk/client-dynamodb'],
    ignoredAttributes: ['updatedAt'],
    notes: 'updatedAt is managed (set on every write); version is a plain number, as for the peers (the harness rewrites the same items each round). Queries run through the planner with an explicit index; gets are coalesced into BatchGetItem when concurrent.',
    toItem,
    toKey: (k) => ({ id: k.id, createdAt: new Date(k.createdAt) }),
    toUser: (m) => ({ ...m, createdAt: m.createdAt.toISOString(), updatedAt: m.updatedAt.toISOString() }),
    buildPut: (item) => users.compiled.put(item),
    unmarshal: (av) => User.unmarshal(av),
    buildQuery: (q) => query(q).explain().request as QueryCommandInput,
    buildUpdate: (key, u) => users.compiled.update(key, (b) => b.set('name', u.name).add('age', u.ageIncrement).remove('ttl')),
    async put(item) {
      await users.put(item);
    },
    get: (key) => users.get(key),
    query: (q) => query(q).all(),
    async batchWrite(items) {
      await users.batchPut(items);
    },
    batchGet: (keys) => users.batchGet(keys),
  };
}

const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** 50 models with one typed query each, as the peers' generators write them. */
export const typecheck: TypecheckSource = {
  id: 'dynamorm',
  // The built declarations, as users get them (skipLibCheck then skips checking the library itself, as for the peers).
  compilerOptions: { paths: { dynamorm: [`${REPO}packages/dynamorm/dist/index.d.ts`] } },
  source(models) {
    const lines = ["import { DynamORM, model, t } from 'dynamorm';", 'const orm = new DynamORM({});'];
    for (let i = 0; i < models; i++) {
      lines.push(`
export const M${i} = model('M${i}', {
  table: 't',
  attributes: {
    id: t.string().pk(),
    createdAt: t.string().sk().index('gsi-email', 'sk'),
    email: t.string().index('gsi-email'),
    name${i}: t.string(),
    age: t.number(),
    tags: t.stringSet().optional(),
    prefs: t.object({ theme: t.string().optional(), sms: t.boolean().optional() }).optional(),
    version: t.number(),
  },
});
export async function q${i}() {
  const found = await orm.model(M${i}).index('gsi-email').where('email', '=', 'a@b.c').where('createdAt', 'begins_with', '2024-05').filter('age', '>', 18).all();
  const first = found[0];
  const n: string | undefined = first?.name${i};
  const a: number | undefined = first?.age;
  return { n, a };
}`);
    }
    return lines.join('\n') + '\n';
  },
};

/** The built core entry (`npm run build`), with the AWS SDK external as for the peers. */
export const bundle: BundleEntry = { id: 'dynamorm', specifier: `${REPO}packages/dynamorm/dist/index.js`, packageName: 'dynamorm' };

/** The memory scenarios, named like the floor's so the report puts them side by side. */
export const memory: readonly MemoryScenario[] = [
  {
    name: 'batch-write-100k',
    description: 'batchPut of N users into one partition, the N-item array built up front',
    async run(env, quick) {
      const n = memoryItemCount(quick);
      const items = makeUsers(n, 'm').map((u) => toItem({ ...u, id: MEMORY_PARTITION }));
      const result = await ormFor(env).model(userModel(env.tableName)).batchPut(items);
      return result.written;
    },
  },
  {
    name: 'iterate-100k',
    description: 'iterate() over the N-item partition, one page in memory at a time',
    async run(env) {
      let count = 0;
      for await (const u of ormFor(env).model(userModel(env.tableName)).where('id', '=', MEMORY_PARTITION).iterate()) if (u.id) count++;
      return count;
    },
  },
  {
    name: 'parallel-scan',
    description: 'iterate({ segments: 4 }): a parallel scan of the table, item by item',
    async run(env) {
      let count = 0;
      for await (const u of ormFor(env).model(userModel(env.tableName)).iterate({ segments: 4 })) if (u.id) count++;
      return count;
    },
  },
];
