// The DynamORM config of API.md against DynamoDB Local: an existing client, tablePrefix,
// maxRetries (the SDK's retries, observed with a middleware that fails attempts), region,
// credentials, models and metrics.
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, test } from 'vitest';
import { DynamORM, DynamORMError, model, t } from 'dynamorm';
import { clientConfig, endpoint, uniqueTable } from './support/dynamo.js';
import { rawClient, recordCommands, rejection, storedItem, uniquePrefix } from './support/inspect.js';

const Thing = model('Thing', { table: 'things', attributes: { id: t.string().pk(), label: t.string() } });

describe('client: an existing DynamoDBClient', () => {
  test('is used for every request, and exposed as orm.client', async () => {
    const client = new DynamoDBClient(clientConfig());
    const sent = recordCommands(client);
    const orm = new DynamORM({ client, autoMigrate: true, tablePrefix: uniquePrefix('client') });
    expect(orm.client).toBe(client);
    await orm.model(Thing).create({ id: '1', label: 'via my client' });
    expect(await orm.model(Thing).get({ id: '1' })).toEqual({ id: '1', label: 'via my client' });
    expect(sent).toEqual(expect.arrayContaining(['DescribeTableCommand', 'CreateTableCommand', 'PutItemCommand', 'GetItemCommand']));
    expect((await storedItem(orm, Thing, { id: { S: '1' } }))?.label).toEqual({ S: 'via my client' });
  });
});

describe('tablePrefix', () => {
  const Shared = model('Shared', { table: uniqueTable('prefixed'), attributes: { id: t.string().pk(), label: t.string() } });

  test('prefixes every table name and isolates ORMs with different prefixes', async () => {
    const blue = new DynamORM({ endpoint: endpoint(), autoMigrate: true, tablePrefix: uniquePrefix('blue') });
    const green = new DynamORM({ endpoint: endpoint(), autoMigrate: true, tablePrefix: uniquePrefix('green') });
    expect(blue.tableName(Shared)).not.toBe(green.tableName(Shared));
    expect(blue.tableName(Shared).endsWith(Shared.table)).toBe(true);
    await blue.model(Shared).create({ id: 'same', label: 'blue' });
    await green.model(Shared).create({ id: 'same', label: 'green' });
    expect((await blue.model(Shared).get({ id: 'same' }))?.label).toBe('blue');
    expect((await green.model(Shared).get({ id: 'same' }))?.label).toBe('green');
    expect((await rawClient().send(new DescribeTableCommand({ TableName: blue.tableName(Shared) }))).Table?.TableStatus).toBe('ACTIVE');
    // The unprefixed table was never created.
    await expect(rawClient().send(new DescribeTableCommand({ TableName: Shared.table }))).rejects.toThrow(/not found|non-existent/i);
  });

  test('without a prefix the model table name is used as it is', () => {
    expect(new DynamORM({ region: 'local' }).tableName(Thing)).toBe('things');
  });
});

describe('maxRetries', () => {
  /** Makes the first `failures` attempts of each GetItem fail with a transient (retryable) error. */
  function flaky(orm: DynamORM, failures: number): { attempts: number } {
    const state = { attempts: 0 };
    // Low priority in finalizeRequest: inside the SDK's retry loop, so it sees every attempt.
    orm.client!.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName !== 'GetItemCommand') return next(args);
        state.attempts++;
        if (state.attempts <= failures) {
          throw Object.assign(new Error(`injected failure ${state.attempts}`), {
            name: 'ServiceUnavailable',
            $fault: 'server',
            $metadata: { httpStatusCode: 503 },
          });
        }
        return next(args);
      },
      { step: 'finalizeRequest', priority: 'low' },
    );
    return state;
  }

  const prefix = uniquePrefix('retries');
  const setup = async (config: { maxRetries?: number }, failures: number) => {
    const orm = new DynamORM({ endpoint: endpoint(), autoMigrate: true, tablePrefix: prefix, ...config });
    await orm.createTables(Thing);
    await orm.model(Thing).put({ id: 'r', label: 'retried' });
    return { orm, state: flaky(orm, failures) };
  };

  test('transient failures are retried up to maxRetries times', async () => {
    const { orm, state } = await setup({ maxRetries: 2 }, 2);
    expect((await orm.model(Thing).get({ id: 'r' }))?.label).toBe('retried');
    expect(state.attempts).toBe(3);
  });

  test('one failure more than maxRetries rejects with a DynamORMError keeping the SDK error as cause', async () => {
    const { orm, state } = await setup({ maxRetries: 2 }, 3);
    const error = await rejection(orm.model(Thing).get({ id: 'r' }));
    expect(state.attempts).toBe(3);
    expect(error).toBeInstanceOf(DynamORMError);
    const e = error as DynamORMError;
    expect(e.op).toBe('get');
    expect(e.model).toBe('Thing');
    expect(e.code).toBe('dynamodb.ServiceUnavailable');
    expect((e.cause as Error).message).toBe('injected failure 3');
  });

  test('maxRetries: 0 makes one attempt', async () => {
    const { orm, state } = await setup({ maxRetries: 0 }, 1);
    await expect(orm.model(Thing).get({ id: 'r' })).rejects.toBeInstanceOf(DynamORMError);
    expect(state.attempts).toBe(1);
  });

  test('the default is 3 retries', async () => {
    const { orm, state } = await setup({}, 3);
    expect((await orm.model(Thing).get({ id: 'r' }))?.label).toBe('retried');
    expect(state.attempts).toBe(4);
    expect(await orm.client!.config.maxAttempts()).toBe(4);
  });
});

describe('region, endpoint and credentials', () => {
  test('are passed to the client it creates', async () => {
    const orm = new DynamORM({ region: 'eu-west-1', endpoint: endpoint(), credentials: { accessKeyId: 'mine', secretAccessKey: 'secret' } });
    expect(await orm.client!.config.region()).toBe('eu-west-1');
    expect((await orm.client!.config.credentials()).accessKeyId).toBe('mine');
    const url = await orm.client!.config.endpoint!();
    expect(`${url.protocol}//${url.hostname}:${url.port}`).toBe(endpoint());
  });

  test('a local endpoint needs no region or credentials', async () => {
    const orm = new DynamORM({ endpoint: endpoint(), autoMigrate: true, tablePrefix: uniquePrefix('local') });
    await orm.model(Thing).create({ id: 'l', label: 'no AWS setup' });
    expect((await orm.model(Thing).get({ id: 'l' }))?.label).toBe('no AWS setup');
  });
});

describe('models and metrics', () => {
  test('models: registers models up front, and createTables() creates their tables', async () => {
    const orm = new DynamORM({ endpoint: endpoint(), tablePrefix: uniquePrefix('models'), models: [Thing] });
    expect(orm.getModel('Thing')).toBe(Thing);
    await orm.createTables();
    expect((await rawClient().send(new DescribeTableCommand({ TableName: orm.tableName(Thing) }))).Table?.TableStatus).toBe('ACTIVE');
  });

  test('enableMetrics counts requests and errors per model and operation', async () => {
    const orm = new DynamORM({ endpoint: endpoint(), autoMigrate: true, enableMetrics: true, tablePrefix: uniquePrefix('metrics') });
    await orm.model(Thing).create({ id: 'm', label: 'x' });
    await rejection(orm.model(Thing).create({ id: 'm', label: 'x' }));
    await orm.model(Thing).get({ id: 'm' });
    const metrics = orm.metrics();
    expect(metrics.Thing?.create).toMatchObject({ requests: 2, errors: 1, errorsByCode: { 'condition.failed': 1 } });
    expect(metrics.Thing?.get).toMatchObject({ requests: 1, errors: 0, itemsRead: 1, itemsReturned: 1 });
    expect(metrics.Thing!.get!.rcu).toBeGreaterThan(0);
  });

  test('without enableMetrics nothing is counted', async () => {
    const orm = new DynamORM({ endpoint: endpoint(), autoMigrate: true, tablePrefix: uniquePrefix('no-metrics') });
    await orm.model(Thing).create({ id: 'm', label: 'x' });
    expect(orm.metrics()).toEqual({});
  });
});
