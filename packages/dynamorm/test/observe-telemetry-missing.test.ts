// telemetry asked for without @opentelemetry/api installed: the package's import fails (simulated
// with a module mock whose factory throws, as Node's resolution would), and every request rejects
// with telemetry.apiMissing saying what to install, with nothing sent.
import { afterAll, expect, test, vi } from 'vitest';
import { rawClient } from './support/dynamo.js';
import { storedItem, uniquePrefix } from './support/inspect.js';

vi.doMock('@opentelemetry/api', () => {
  throw Object.assign(new Error("Cannot find package '@opentelemetry/api' imported from dynamorm"), { code: 'ERR_MODULE_NOT_FOUND' });
});
afterAll(() => vi.doUnmock('@opentelemetry/api'));

test('a request rejects with telemetry.apiMissing, naming the package and the command to install it; nothing is written', async () => {
  const { DynamORM, DynamORMError, model, t } = await import('dynamorm');
  const Note = model('Note', { table: 'notes', attributes: { id: t.string().pk() } });
  const prefix = uniquePrefix('otel-missing');
  await new DynamORM({ client: rawClient(), tablePrefix: prefix }).createTables(Note);
  const orm = new DynamORM({ client: rawClient(), tablePrefix: prefix, telemetry: true });
  const error = await orm.model(Note).put({ id: 'n1' }).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(DynamORMError);
  expect(error).toMatchObject({ code: 'telemetry.apiMissing' });
  expect((error as Error).message).toBe('telemetry needs the package @opentelemetry/api, which is not installed: npm install @opentelemetry/api (or leave telemetry out of the ORM config)');
  // The import's failure is kept as the cause (the test runner wraps the mock's error in its own).
  const causes: string[] = [];
  for (let c = (error as Error).cause; c instanceof Error; c = c.cause) causes.push(c.message);
  expect(causes.join(' | ')).toContain("Cannot find package '@opentelemetry/api'");
  expect(await storedItem(orm, Note, { id: { S: 'n1' } })).toBeUndefined();
  // The same ORM without telemetry writes: only the missing package stood in the way.
  await new DynamORM({ client: rawClient(), tablePrefix: prefix }).model(Note).put({ id: 'n2' });
  expect(await storedItem(orm, Note, { id: { S: 'n2' } })).toBeDefined();
});
