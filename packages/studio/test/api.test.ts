// The studio's JSON API on DynamoDB Local: the security checks (token, Origin, Host, read-only),
// queries with their plan and cost page by page, and writes refused or done as the ORM does them.
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamORM } from 'dynamorm';
import { startStudio, type Studio } from 'dynamorm-studio';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { rawClient } from '../../dynamorm/test/support/dynamo.js';
import { call } from './support/http.js';
import { BASE_TIME, noteModel, seededOrm } from './support/notes.js';

const Note = noteModel();
let orm: DynamORM;
let studio: Studio;
let readOnly: Studio;
const raw = rawClient();

const storedNote = (createdAt: string, board = 'b1') => raw.send(new GetItemCommand({ TableName: Note.table, Key: { board: { S: board }, createdAt: { S: createdAt } } }));

beforeAll(async () => {
  orm = await seededOrm(Note);
  studio = await startStudio({ orm, models: [Note] });
  readOnly = await startStudio({ orm, models: [Note], readOnly: true });
});
afterAll(async () => {
  await studio?.close();
  await readOnly?.close();
  await orm?.dropTables(Note);
});

describe('security', () => {
  test('listens on 127.0.0.1 with a random token in the URL fragment', () => {
    expect(studio.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(studio.url).toBe(`${studio.origin}/#token=${studio.token}`);
    expect(studio.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(readOnly.token).not.toBe(studio.token);
  });

  test('an API call without the token, or with a wrong one, is refused with 401', async () => {
    const missing = await call(studio, 'GET', '/api/session', undefined, { token: null });
    expect(missing.status).toBe(401);
    expect(missing.body.error).toMatchObject({ code: 'token.missing' });
    const wrong = await call(studio, 'GET', '/api/session', undefined, { token: readOnly.token });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('token.invalid');
    expect((await call(studio, 'GET', '/api/session', undefined, { token: null, headers: { 'x-studio-token': studio.token } })).status).toBe(200);
  });

  test('a foreign Origin is refused with 403, the token notwithstanding', async () => {
    const answer = await call(studio, 'POST', `/api/models/Note/delete`, { key: { board: 'b1', createdAt: new Date(BASE_TIME).toISOString() } }, { headers: { origin: 'http://evil.example' } });
    expect(answer.status).toBe(403);
    expect(answer.body.error).toMatchObject({ code: 'origin.refused' });
    expect((await storedNote(new Date(BASE_TIME).toISOString())).Item).toBeDefined();
    expect((await call(studio, 'GET', '/api/session', undefined, { headers: { origin: studio.origin } })).status).toBe(200);
  });

  test('a foreign Host (DNS rebinding) is refused with 403, for the page too', async () => {
    const api = await call(studio, 'GET', '/api/session', undefined, { headers: { host: `rebound.example:${studio.port}` } });
    expect(api.status).toBe(403);
    expect(api.body.error.code).toBe('host.refused');
    expect((await call(studio, 'GET', '/', undefined, { token: null, headers: { host: 'rebound.example' } })).status).toBe(403);
    expect((await call(studio, 'GET', '/api/session', undefined, { headers: { host: `localhost:${studio.port}` } })).status).toBe(200);
  });

  test('the page is served without the token, framing and foreign scripts forbidden', async () => {
    const page = await call(studio, 'GET', '/', undefined, { token: null });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<div id="app">');
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  test('read-only: every write is refused with 403 and nothing is written; reads work', async () => {
    const item = { board: 'b9', createdAt: new Date(BASE_TIME).toISOString(), title: 'x', status: 'open', priority: 1 };
    for (const [path, body] of [['create', { item }], ['put', { item }], ['delete', { key: { board: 'b1', createdAt: new Date(BASE_TIME).toISOString() } }]] as const) {
      const answer = await call(readOnly, 'POST', `/api/models/Note/${path}`, body);
      expect(answer.status).toBe(403);
      expect(answer.body.error).toEqual({ code: 'readOnly', message: 'The studio runs read-only (--read-only): writes are refused. Start it without --read-only to edit items.' });
    }
    expect((await storedNote(item.createdAt, 'b9')).Item).toBeUndefined();
    expect((await storedNote(new Date(BASE_TIME).toISOString())).Item).toBeDefined();
    expect((await call(readOnly, 'GET', '/api/session')).body.readOnly).toBe(true);
    expect((await call(readOnly, 'POST', '/api/models/Note/query', { limit: 2 })).status).toBe(200);
  });
});

describe('reads', () => {
  test('the session describes the models', async () => {
    const { body } = await call(studio, 'GET', '/api/session');
    expect(body.readOnly).toBe(false);
    expect(body.models).toHaveLength(1);
    expect(body.models[0]).toMatchObject({ name: 'Note', tableName: Note.table, key: ['board', 'createdAt'] });
    expect(body.models[0].indexes[0]).toMatchObject({ index: 'gsi-status', partitionKey: ['status'], sortKey: ['priority'] });
  });

  test('a partition newest first, page by page with the ORM\'s cursors, with its plan and cost', async () => {
    const query = { where: [{ attribute: 'board', op: '=', value: 'b1' }], order: 'desc', limit: 10 };
    const first = await call(studio, 'POST', '/api/models/Note/query', query);
    expect(first.status).toBe(200);
    expect(first.body.plan.operation).toBe('Query');
    expect(first.body.plan.index).toBeUndefined();
    expect(first.body.plan.request.ScanIndexForward).toBe(false);
    expect(first.body.items.map((n: { title: string }) => n.title)).toEqual(Array.from({ length: 10 }, (_, i) => `Note ${24 - i}`));
    expect(first.body.items[0].createdAt).toBe(new Date(BASE_TIME + 24 * 60_000).toISOString());
    expect(first.body.cost).toMatchObject({ requests: 1, itemsRead: 10, itemsReturned: 10 });
    expect(first.body.cost.rcu).toBeGreaterThan(0);
    const second = await call(studio, 'POST', '/api/models/Note/query', { ...query, cursor: first.body.cursor });
    expect(second.body.items.map((n: { title: string }) => n.title)).toEqual(Array.from({ length: 10 }, (_, i) => `Note ${14 - i}`));
  });

  test('a condition on an indexed attribute: the planner picks the GSI; a filter counts items read against returned', async () => {
    const { body } = await call(studio, 'POST', '/api/models/Note/query', { where: [{ attribute: 'status', op: '=', value: 'done' }, { attribute: 'priority', op: 'between', value: ['3', '12'] }, { attribute: 'title', op: 'begins_with', value: 'Note 1' }] });
    expect(body.plan).toMatchObject({ operation: 'Query', index: 'gsi-status' });
    expect(body.plan.reasons.join(' ')).toContain('gsi-status');
    expect(body.items.map((n: { priority: number }) => n.priority)).toEqual([12]);
    expect(body.cost).toMatchObject({ itemsRead: 4, itemsReturned: 1 });
  });

  test('no condition: a scan', async () => {
    const { body } = await call(studio, 'POST', '/api/models/Note/query', { limit: 5 });
    expect(body.plan.operation).toBe('Scan');
    expect(body.items).toHaveLength(5);
    expect(typeof body.cursor).toBe('string');
  });

  test('bad queries are refused with 400 and a clear message', async () => {
    const op = await call(studio, 'POST', '/api/models/Note/query', { where: [{ attribute: 'title', op: 'LIKE', value: 'x' }] });
    expect(op.status).toBe(400);
    expect(op.body.error.message).toBe('where[0]: "LIKE" is not an operator: use one of = <> < <= > >= between begins_with in contains exists not_exists.');
    const model = await call(studio, 'POST', '/api/models/Nope/query', {});
    expect(model.status).toBe(404);
    expect(model.body.error.message).toBe('No model named "Nope" in this studio: its models are Note.');
    const json = await call(studio, 'POST', '/api/models/Note/query', undefined, { headers: { 'content-type': 'application/json' } });
    expect(json.status).toBe(200);
  });

  test('tables: the live description with the models on each', async () => {
    const { body } = await call(studio, 'GET', '/api/tables');
    const table = body.tables.find((t: { name: string }) => t.name === Note.table);
    expect(table).toMatchObject({ models: ['Note'], exists: true });
    expect(table.table.ItemCount).toBeGreaterThanOrEqual(0);
    expect(table.table.GlobalSecondaryIndexes[0]).toMatchObject({ IndexName: 'gsi-status', Projection: { ProjectionType: 'ALL' } });
  });

  test('migrations: the schema plan (up to date here), no status without migrations', async () => {
    const { body } = await call(studio, 'GET', '/api/migrations');
    expect(body.status).toBeNull();
    expect(body.plan.steps.filter((s: { table: string }) => s.table === Note.table)).toEqual([]);
  });

  test('metrics: the ORM\'s numbers per model and operation', async () => {
    const { body } = await call(studio, 'GET', '/api/metrics');
    expect(body.metrics.Note.query.requests).toBeGreaterThan(0);
    expect(body.metrics.Note.query.rcu).toBeGreaterThan(0);
    expect(body.metrics.Note.query.latencyMs).toHaveProperty('p99');
    // orm.analytics(): the partition read newest first is one access pattern among those costing something.
    const patterns = body.analytics.patterns as { model: string; operation: string; index?: string; costShare: number; pattern: string }[];
    const partition = patterns.find((p) => p.model === 'Note' && p.operation === 'Query' && p.index === undefined);
    expect(partition?.pattern).toContain('board');
    expect(patterns.reduce((sum, p) => sum + p.costShare, 0)).toBeCloseTo(1);
    expect(body.markdown).toContain(partition!.pattern);
  });
});

describe('writes', () => {
  const createdAt = new Date(BASE_TIME + 999 * 60_000).toISOString();

  test('a create the model refuses: 400 with the issues by attribute, nothing written', async () => {
    const answer = await call(studio, 'POST', '/api/models/Note/create', { item: { board: 'b2', createdAt, title: '  ', status: 'later', priority: 'high' } });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('validation.failed');
    expect(answer.body.error.issues.map((i: { attribute: string }) => i.attribute).sort()).toEqual(['priority', 'status', 'title']);
    expect(answer.body.error.issues.find((i: { attribute: string }) => i.attribute === 'title').message).toContain('a note needs a title');
    expect((await storedNote(createdAt, 'b2')).Item).toBeUndefined();
  });

  test('create, edit at the version read, a stale edit refused with 409, delete', async () => {
    const created = await call(studio, 'POST', '/api/models/Note/create', { item: { board: 'b2', createdAt, title: 'Draft', status: 'open', priority: '3', tags: ['a'] } });
    expect(created.status).toBe(201);
    expect(created.body.item).toMatchObject({ priority: 3, version: 1, tags: ['a'] });
    const edited = await call(studio, 'POST', '/api/models/Note/put', { item: { ...created.body.item, title: 'Final' } });
    expect(edited.status).toBe(200);
    expect(edited.body.item).toMatchObject({ title: 'Final', version: 2 });
    const stale = await call(studio, 'POST', '/api/models/Note/put', { item: { ...created.body.item, title: 'Stale' } });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'condition.optimisticLock', expectedVersion: 1, actualVersion: 2 });
    expect(stale.body.error.message).toMatch(/version/);
    expect((await storedNote(createdAt, 'b2')).Item?.title).toEqual({ S: 'Final' });
    const got = await call(studio, 'POST', '/api/models/Note/get', { key: { board: 'b2', createdAt } });
    expect(got.body.item.title).toBe('Final');
    const deleted = await call(studio, 'POST', '/api/models/Note/delete', { key: { board: 'b2', createdAt } });
    expect(deleted.status).toBe(200);
    expect((await storedNote(createdAt, 'b2')).Item).toBeUndefined();
    const again = await call(studio, 'POST', '/api/models/Note/delete', { key: { board: 'b2', createdAt } });
    expect(again.status).toBe(404);
  });
});
