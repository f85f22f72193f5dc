/**
 * The one model every contender implements: the README's `User` model, reduced to what
 * the benchmark needs (string pk, ISO-date sk, a GSI on email, a number, a string set, a nested map,
 * a version) plus an optional `ttl` so that an update has something to REMOVE.
 *
 * Table (created by the harness, identical for every contender, one table per contender):
 *
 *   table      `bench_<contender id>`, PAY_PER_REQUEST
 *   pk         id         S
 *   sk         createdAt  S  (ISO-8601)
 *   GSI        gsi-email  pk email S, sk createdAt S, projection ALL
 *
 * The README's `gsi-name-age` is left out: the benchmark's query is "a Query on the GSI with a
 * begins_with sort-key condition and a filter (age > 18)", which needs a string sort key, so
 * gsi-email carries createdAt as its sort key, and a second GSI would only add write cost that
 * no figure uses.
 *
 * The query:   email = :email AND begins_with(createdAt, '2024-05')   FILTER age > 18
 * The update:  SET name = 'Jane'   ADD age 1   REMOVE ttl     (three operators)
 *
 * Data: items come in groups of 20 sharing an email. In each group 12 items were created in
 * 2024-05 (10 of them with age > 18, two with age <= 18) and 8 in 2024-06, so each query reads 12
 * items from the index and returns exactly 10.
 */
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

export interface Preferences {
  theme: string;
  locale: string;
  notifications: { email: boolean; sms: boolean };
}

/** The canonical model object. Every contender's own model object is compared to this shape. */
export interface User {
  id: string;
  createdAt: string;
  email: string;
  name: string;
  age: number;
  tags: Set<string>;
  preferences: Preferences;
  updatedAt: string;
  version: number;
  ttl?: number;
}

export interface UserKey {
  id: string;
  createdAt: string;
}

/** Query on gsi-email: `email = :email AND begins_with(createdAt, :prefix)`, filter `age > :minAge`. */
export interface QuerySpec {
  email: string;
  createdAtPrefix: string;
  minAge: number;
}

/** Update with three operators: `SET name = :name`, `ADD age :inc`, `REMOVE ttl`. */
export interface UpdateSpec {
  name: string;
  ageIncrement: number;
}

export const GSI_EMAIL = 'gsi-email';
export const GROUP_SIZE = 20;
export const QUERY_PREFIX = '2024-05';
export const MIN_AGE = 18;
export const UPDATE_SPEC: UpdateSpec = { name: 'Jane', ageIncrement: 1 };

export function tableName(contenderId: string): string {
  return `bench_${contenderId.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
}

export function createTableInput(name: string): CreateTableCommandInput {
  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'id', AttributeType: 'S' },
      { AttributeName: 'createdAt', AttributeType: 'S' },
      { AttributeName: 'email', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'id', KeyType: 'HASH' },
      { AttributeName: 'createdAt', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: GSI_EMAIL,
        KeySchema: [
          { AttributeName: 'email', KeyType: 'HASH' },
          { AttributeName: 'createdAt', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  };
}

const THEMES = ['light', 'dark', 'system'];
const LOCALES = ['en-US', 'fr-FR', 'de-DE', 'ja-JP'];
const TAGS = ['active', 'admin', 'beta', 'premium', 'trial', 'verified'];
const FIRST = ['John', 'Mary', 'Ana', 'Wei', 'Olu', 'Sara', 'Ivan', 'Lea', 'Omar', 'Kim'];

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

export function emailOf(group: number): string {
  return `user${pad(group, 4)}@example.com`;
}

/**
 * `count` users (a multiple of GROUP_SIZE), deterministic. `prefix` keeps ids of different data
 * sets apart.
 */
export function makeUsers(count: number, prefix = 'u'): User[] {
  if (count % GROUP_SIZE !== 0) throw new Error(`makeUsers: ${count} is not a multiple of ${GROUP_SIZE}`);
  if (count > 360_000) throw new Error('makeUsers: createdAt values are unique up to 360,000 users');
  const groups = count / GROUP_SIZE;
  const users: User[] = [];
  for (let i = 0; i < count; i++) {
    const group = i % groups;
    const j = Math.floor(i / groups); // position in the group, 0..19
    const may = j < 12;
    const day = 1 + (i % 28);
    // Unique for any i below 360,000 (i * 10 ms stays under the hour step), and in the right month.
    const createdAt = new Date(Date.UTC(2024, may ? 4 : 5, day, i % 24) + i * 10).toISOString();
    const age = may ? (j < 10 ? 19 + ((i * 3) % 60) : 12 + (i % 7)) : 10 + ((i * 5) % 70);
    const tags = new Set<string>();
    for (let k = 0; k <= i % 3; k++) tags.add(TAGS[(i + k * 2) % TAGS.length]!);
    const user: User = {
      id: `${prefix}-${pad(i, 6)}`,
      createdAt,
      email: emailOf(group),
      name: `${FIRST[i % FIRST.length]!} ${String.fromCharCode(65 + (i % 26))}.`,
      age,
      tags,
      preferences: {
        theme: THEMES[i % THEMES.length]!,
        locale: LOCALES[i % LOCALES.length]!,
        notifications: { email: i % 2 === 0, sms: i % 3 === 0 },
      },
      updatedAt: `2024-07-${pad(day)}T12:00:00.000Z`,
      version: 1 + (i % 3),
    };
    if (i % 5 !== 0) user.ttl = 2_051_222_400 + i; // 2035: in the future, so no library hides the item as expired
    users.push(user);
  }
  return users;
}

export function keyOf(u: User): UserKey {
  return { id: u.id, createdAt: u.createdAt };
}

export function querySpecs(users: readonly User[], count: number): QuerySpec[] {
  const groups = users.length / GROUP_SIZE;
  const specs: QuerySpec[] = [];
  for (let i = 0; i < count; i++) {
    specs.push({ email: emailOf(i % groups), createdAtPrefix: QUERY_PREFIX, minAge: MIN_AGE });
  }
  return specs;
}

/** What the query must return, computed from the data set. */
export function expectedQuery(users: readonly User[], q: QuerySpec): User[] {
  return users.filter((u) => u.email === q.email && u.createdAt.startsWith(q.createdAtPrefix) && u.age > q.minAge);
}

/** The item after UPDATE_SPEC was applied. */
export function expectedUpdate(u: User, spec: UpdateSpec): User {
  const { ttl: _removed, ...rest } = u;
  return { ...rest, tags: new Set(u.tags), name: spec.name, age: u.age + spec.ageIncrement };
}

/** The shape a library's read returns for a User, whatever its own type: tags may come as an array. */
export interface NativeUser {
  id: string;
  createdAt: string;
  email: string;
  name: string;
  age: number;
  tags?: Iterable<string> | undefined;
  preferences: Preferences;
  updatedAt: string;
  version: number;
  ttl?: number | undefined;
}

/** A library's read back in the canonical shape (for the cross-checks; untimed). */
export function canonicalUser(m: NativeUser): User {
  const user: User = {
    id: m.id,
    createdAt: m.createdAt,
    email: m.email,
    name: m.name,
    age: m.age,
    tags: new Set(m.tags),
    preferences: {
      theme: m.preferences.theme,
      locale: m.preferences.locale,
      notifications: { email: m.preferences.notifications.email, sms: m.preferences.notifications.sms },
    },
    updatedAt: m.updatedAt,
    version: m.version,
  };
  if (m.ttl !== undefined) user.ttl = m.ttl;
  return user;
}
