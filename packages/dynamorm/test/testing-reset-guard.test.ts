// truncate, resetTables and dropTables delete data: they run where tests reach them (DynamoDB
// Local, the mock, an ORM of dynamorm/testing, or an explicit opt-in) and are refused before any
// request anywhere else. A client whose middleware records and throws proves nothing was sent.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, test } from 'vitest';
import { DynamORM, DynamORMError, model, t } from 'dynamorm';
import { createMock, isolatedOrm } from 'dynamorm/testing';
import { clientConfig, endpoint } from './support/dynamo.js';
import { rejection, uniquePrefix } from './support/inspect.js';

const Note = model('Note', { table: 'notes', attributes: { id: t.string().pk(), text: t.string() } });
const REMOTE = 'https://dynamodb.eu-west-1.amazonaws.com';

/** Records every command the client would send, and lets none out. */
function stopAtTheDoor(client: DynamoDBClient): string[] {
  const sent: string[] = [];
  client.middlewareStack.add(
    (_next, context) => async () => {
      sent.push(context.commandName ?? 'unknown');
      throw new Error(`${context.commandName} reached the network`);
    },
    { step: 'initialize' },
  );
  return sent;
}

const remoteClient = (endpoint?: string): DynamoDBClient =>
  new DynamoDBClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, maxAttempts: 1, ...(endpoint === undefined ? {} : { endpoint }) });

const reset = { truncate: (orm: DynamORM) => orm.truncate(Note), resetTables: (orm: DynamORM) => orm.resetTables(), dropTables: (orm: DynamORM) => orm.dropTables() };
const ops = Object.keys(reset) as (keyof typeof reset)[];

describe('on a production ORM, refused before any request', () => {
  test.each(ops)('%s with a client on a remote endpoint', async (op) => {
    const client = remoteClient(REMOTE);
    const sent = stopAtTheDoor(client);
    const error = await rejection(reset[op](new DynamORM({ client, models: [Note] })));
    expect(error).toBeInstanceOf(DynamORMError);
    expect((error as DynamORMError).code).toBe('orm.destructiveRefused');
    expect((error as DynamORMError).message).toBe(
      `${op}: refused before any request: it deletes data, and ${REMOTE} is not a local endpoint. It runs on DynamoDB Local (localhost), on the mock and on ORMs of dynamorm/testing; to run it here on purpose, create the ORM with { allowDestructive: true }`,
    );
    expect(sent).toEqual([]);
  });

  test.each(ops)("%s on AWS's endpoint of the region (no endpoint given)", async (op) => {
    const orm = new DynamORM({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, models: [Note] });
    const sent = stopAtTheDoor(orm.client!);
    const error = await rejection(reset[op](orm));
    expect((error as DynamORMError).code).toBe('orm.destructiveRefused');
    expect((error as DynamORMError).message).toContain(`${op}: refused before any request: it deletes data, and AWS's endpoint of the region is not a local endpoint.`);
    expect(sent).toEqual([]);
  });

  test('an endpoint given in the config that is not local', async () => {
    const orm = new DynamORM({ endpoint: 'http://dynamodb.internal:8000', region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, models: [Note] });
    const sent = stopAtTheDoor(orm.client!);
    expect(((await rejection(orm.truncate(Note))) as Error).message).toContain('http://dynamodb.internal:8000 is not a local endpoint');
    expect(sent).toEqual([]);
  });
});

describe('allowed where tests reach them', () => {
  test('with { allowDestructive: true }, the requests are sent', async () => {
    const client = remoteClient(REMOTE);
    const sent = stopAtTheDoor(client);
    const orm = new DynamORM({ client, models: [Note], allowDestructive: true });
    expect(((await rejection(orm.dropTables())) as Error).message).toContain('DeleteTableCommand reached the network');
    expect(sent).toEqual(['DeleteTableCommand']);
  });

  test('an ORM of dynamorm/testing, whatever its client', async () => {
    const client = remoteClient(REMOTE);
    const sent = stopAtTheDoor(client);
    const orm = isolatedOrm({ client, models: [Note], autoMigrate: false });
    await rejection(orm.truncate(Note));
    expect(sent.length).toBeGreaterThan(0);
  });

  test('the mock', async () => {
    const mock = createMock({ models: [Note] });
    mock.expectScan(Note);
    await mock.orm.truncate(Note);
    mock.verify();
  });

  test('DynamoDB Local, by endpoint in the config or by the client', async () => {
    const byEndpoint = new DynamORM({ endpoint: endpoint(), autoMigrate: true, tablePrefix: uniquePrefix('guard'), models: [Note] });
    await byEndpoint.model(Note).create({ id: 'n1', text: 'x' });
    await byEndpoint.resetTables();
    expect(await byEndpoint.model(Note).scan()).toEqual([]);
    const byClient = new DynamORM({ client: new DynamoDBClient(clientConfig()), tablePrefix: byEndpoint.tableName(Note).replace(/notes$/, ''), models: [Note] });
    await byClient.dropTables();
    expect(await rejection(byEndpoint.model(Note).get({ id: 'n1' }).then(() => byClient.model(Note).scan()))).toBeInstanceOf(DynamORMError);
  });
});
