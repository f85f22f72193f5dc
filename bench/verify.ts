/**
 * Cross-checks that every contender produced the same items. Run by every bench run, and the
 * point of `--quick`: the exit code is non-zero when a check fails.
 *
 * In-process (no I/O):
 *   put        the Item of the PutItemInput equals the floor's, attribute by attribute (ignoring
 *              the attributes the library declares as its own)
 *   unmarshal  unmarshalling that Item gives back the fixture user
 *   query      the QueryInput targets the contender's table and gsi-email
 *   update     the UpdateItemInput addresses the floor's key
 * End-to-end (after the timed runs):
 *   stored     what the contender stored, read raw with GetItem, equals the floor's item
 *   get        get() of 300 items gives back the fixture users (batchGet covers them all)
 *   query      every query returns exactly the expected users
 *   batchGet   batchGet() returns every user
 *   update     the contender's UpdateItemInput, sent as is, turns the item into the expected one
 */
import { GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { expectedQuery, expectedUpdate, GSI_EMAIL, keyOf, querySpecs, UPDATE_SPEC, type User } from './model.js';
import { attributesToUser, userToAttributes } from './contenders/floor.js';
import { diffItems, diffUsers } from './lib/compare.js';
import type { Loaded } from './lib/setup.js';
import type { Prepared } from './inprocess.js';
import type { AttributeMap } from './contenders/types.js';

export interface Check {
  readonly contender: string;
  readonly check: string;
  readonly ok: boolean;
  readonly details: readonly string[];
}

function record(out: Check[], contender: string, check: string, problems: string[]): void {
  out.push({ contender, check, ok: problems.length === 0, details: problems.slice(0, 6) });
}

async function attempt(problems: string[], what: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    problems.push(`${what}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export async function verifyInProcess(loaded: readonly Loaded[], prepared: ReadonlyMap<string, Prepared>, users: readonly User[]): Promise<Check[]> {
  const out: Check[] = [];
  for (const l of loaded) {
    const c = l.contender;
    const p = prepared.get(c.id)!;
    const ignored = c.ignoredAttributes ?? [];
    const sample = p.users.slice(0, Math.min(p.users.length, users.length));

    const put: string[] = [];
    sample.forEach((u, i) => {
      for (const d of diffItems(p.stored[i]!, userToAttributes(u), ignored)) put.push(`${u.id} ${d}`);
    });
    await attempt(put, 'TableName', async () => {
      const input = await c.buildPut(p.items[0]);
      if (input.TableName !== l.env.tableName) throw new Error(`${input.TableName} ≠ ${l.env.tableName}`);
    });
    record(out, c.id, 'in-process put Item = floor Item', put);

    const un: string[] = [];
    for (let i = 0; i < sample.length; i++) {
      await attempt(un, sample[i]!.id, async () => {
        const model = await c.unmarshal(p.stored[i]!);
        for (const d of diffUsers(c.toUser(model), sample[i]!, ignored)) un.push(`${sample[i]!.id} ${d}`);
      });
    }
    record(out, c.id, 'in-process unmarshal = fixture', un);

    const q: string[] = [];
    for (const spec of querySpecs(users, 4)) {
      await attempt(q, spec.email, async () => {
        const input = await c.buildQuery(spec);
        if (input.TableName !== l.env.tableName) q.push(`TableName ${input.TableName}`);
        if (input.IndexName !== GSI_EMAIL) q.push(`IndexName ${input.IndexName}`);
        if (!/begins_with/i.test(input.KeyConditionExpression ?? '')) q.push(`KeyConditionExpression has no begins_with: ${input.KeyConditionExpression}`);
        if (!input.FilterExpression) q.push('no FilterExpression');
      });
    }
    record(out, c.id, 'in-process query request shape', q);

    const up: string[] = [];
    await attempt(up, 'buildUpdate', async () => {
      const input = await c.buildUpdate(p.keys[0], UPDATE_SPEC);
      const want = userToAttributes(sample[0]!);
      const key = { id: want['id']!, createdAt: want['createdAt']! };
      for (const d of diffItems(input.Key ?? {}, key)) up.push(`Key ${d}`);
      if (!/REMOVE/i.test(input.UpdateExpression ?? '') || !/ADD/i.test(input.UpdateExpression ?? '') || !/SET/i.test(input.UpdateExpression ?? '')) {
        up.push(`UpdateExpression lacks SET/ADD/REMOVE: ${input.UpdateExpression}`);
      }
    });
    record(out, c.id, 'in-process update request shape', up);
  }
  return out;
}

export async function verifyE2E(loaded: readonly Loaded[], users: readonly User[], items: number, queries: number): Promise<Check[]> {
  const out: Check[] = [];
  const data = users.slice(0, items);
  for (const l of loaded) {
    const c = l.contender;
    const ignored = c.ignoredAttributes ?? [];
    const raw = l.env.client;
    const table = l.env.tableName;
    const keyAv = (u: User): AttributeMap => ({ id: { S: u.id }, createdAt: { S: u.createdAt } });

    const stored: string[] = [];
    for (const u of data.slice(0, 100)) {
      await attempt(stored, u.id, async () => {
        const got = await raw.send(new GetItemCommand({ TableName: table, Key: keyAv(u) }));
        if (!got.Item) stored.push(`${u.id} missing`);
        else for (const d of diffItems(got.Item, userToAttributes(u), ignored)) stored.push(`${u.id} ${d}`);
      });
    }
    record(out, c.id, 'stored item = floor item', stored);

    const get: string[] = [];
    for (const u of data.slice(0, 300)) {
      await attempt(get, u.id, async () => {
        const m = await c.get(c.toKey(keyOf(u)));
        if (m === undefined) get.push(`${u.id} not found`);
        else for (const d of diffUsers(c.toUser(m), u, ignored)) get.push(`${u.id} ${d}`);
      });
      if (get.length > 6) break;
    }
    record(out, c.id, 'get() = fixture', get);

    const q: string[] = [];
    for (const spec of querySpecs(data, Math.min(queries, data.length / 20))) {
      await attempt(q, spec.email, async () => {
        const found = (await c.query(spec)).map((m) => c.toUser(m));
        const want = expectedQuery(data, spec);
        const ids = (xs: User[]) => xs.map((x) => x.id).sort().join(',');
        if (ids(found) !== ids(want)) q.push(`${spec.email}: got [${ids(found)}] want [${ids(want)}]`);
        const byId = new Map(want.map((w) => [w.id, w]));
        for (const f of found) {
          const w = byId.get(f.id);
          if (w) for (const d of diffUsers(f, w, ignored)) q.push(`${f.id} ${d}`);
        }
      });
    }
    record(out, c.id, 'query() = expected users', q);

    const bg: string[] = [];
    await attempt(bg, 'batchGet', async () => {
      const found = (await c.batchGet(data.map((u) => c.toKey(keyOf(u))))).map((m) => c.toUser(m));
      if (found.length !== data.length) bg.push(`returned ${found.length} of ${data.length}`);
      const byId = new Map(data.map((u) => [u.id, u]));
      for (const f of found) {
        const w = byId.get(f.id);
        if (!w) bg.push(`unexpected ${f.id}`);
        else for (const d of diffUsers(f, w, ignored)) bg.push(`${f.id} ${d}`);
      }
    });
    record(out, c.id, 'batchGet() = fixture', bg);

    const up: string[] = [];
    const target = data.find((u) => u.ttl !== undefined)!;
    await attempt(up, 'update', async () => {
      const input = await c.buildUpdate(c.toKey(keyOf(target)), UPDATE_SPEC);
      await raw.send(new UpdateItemCommand(input));
      const got = await raw.send(new GetItemCommand({ TableName: table, Key: keyAv(target) }));
      if (!got.Item) throw new Error('item gone after update');
      const after = attributesToUser(got.Item);
      for (const d of diffUsers(after, expectedUpdate(target, UPDATE_SPEC), ignored)) up.push(d);
      const m = await c.get(c.toKey(keyOf(target)));
      if (m === undefined) up.push('get() after update found nothing');
      else for (const d of diffUsers(c.toUser(m), expectedUpdate(target, UPDATE_SPEC), ignored)) up.push(`get(): ${d}`);
    });
    // Put the original back for whatever runs next.
    await attempt(up, 'restore', async () => {
      await raw.send(new PutItemCommand(await c.buildPut(c.toItem(target))));
    });
    record(out, c.id, 'update request, sent, = expected item', up);
  }
  return out;
}
