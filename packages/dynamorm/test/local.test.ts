import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalDynamoError, startLocalDynamo, type LocalDynamo } from 'dynamorm/local';
import { LOCAL_CREDENTIALS, LOCAL_REGION, endpoint, rawClient, uniqueTable } from './support/dynamo.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const LOCAL_SOURCE = fileURLToPath(new URL('../src/local/index.ts', import.meta.url));

function clientFor(local: LocalDynamo): DynamoDBClient {
  return new DynamoDBClient({ endpoint: local.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
}

async function tableNames(client: DynamoDBClient): Promise<string[]> {
  return (await client.send(new ListTablesCommand({}))).TableNames ?? [];
}

/** The network error a request to `url` fails with, or undefined if something answered. */
async function connectionError(url: string): Promise<string | undefined> {
  try {
    await fetch(url, { method: 'POST' });
    return undefined;
  } catch (error) {
    const cause = error instanceof Error ? error.cause : undefined;
    return cause instanceof Error && 'code' in cause ? String(cause.code) : String(error);
  }
}

describe('the DynamoDB Local of the test run (global setup)', () => {
  it('answers at endpoint() through rawClient()', async () => {
    expect(endpoint()).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const client = rawClient();
    try {
      expect(Array.isArray(await tableNames(client))).toBe(true);
    } finally {
      client.destroy();
    }
  });

  it('uniqueTable() never repeats and yields valid table names', () => {
    const names = new Set(Array.from({ length: 100 }, () => uniqueTable('my table!')));
    expect(names.size).toBe(100);
    for (const name of names) expect(name).toMatch(/^my_table__[A-Za-z0-9_.-]+$/);
  });
});

describe('startLocalDynamo', () => {
  let a: LocalDynamo;
  let b: LocalDynamo;

  // Two JVMs starting at once on a loaded machine (the whole suite runs in parallel) can take
  // longer than the 30 s users get by default; this test is about what they do once up.
  beforeAll(async () => {
    [a, b] = await Promise.all([startLocalDynamo({ timeoutMs: 120_000 }), startLocalDynamo({ timeoutMs: 120_000 })]);
  }, 150_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it('answers ListTables at its endpoint on 127.0.0.1', async () => {
    expect(a.endpoint).toBe(`http://127.0.0.1:${a.port}`);
    const client = clientFor(a);
    try {
      expect(await tableNames(client)).toEqual([]);
    } finally {
      client.destroy();
    }
  });

  it('gives two instances different ports and separate databases', async () => {
    expect(a.port).not.toBe(b.port);
    const [clientA, clientB] = [clientFor(a), clientFor(b)];
    try {
      const table = uniqueTable('only_in_a');
      await clientA.send(
        new CreateTableCommand({
          TableName: table,
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      expect(await tableNames(clientA)).toContain(table);
      expect(await tableNames(clientB)).not.toContain(table);
    } finally {
      clientA.destroy();
      clientB.destroy();
    }
  });

  it('stop() ends the process, only that one, and can be called again', async () => {
    const c = await startLocalDynamo();
    expect(await connectionError(c.endpoint)).toBeUndefined();
    await Promise.all([c.stop(), c.stop()]);
    expect(await connectionError(c.endpoint)).toBe('ECONNREFUSED');
    await expect(c.stop()).resolves.toBeUndefined();
    // The other instances are untouched.
    expect(await connectionError(a.endpoint)).toBeUndefined();
    expect(await connectionError(b.endpoint)).toBeUndefined();
  });

  it('rejects a port that is already in use', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      const started = startLocalDynamo({ port });
      await expect(started).rejects.toBeInstanceOf(LocalDynamoError);
      await expect(started).rejects.toThrow(`port ${port} is already in use`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('rejects with a LocalDynamoError when it does not answer before the timeout', async () => {
    // No JVM answers within 1 ms; the process it started is stopped before the rejection.
    const started = startLocalDynamo({ timeoutMs: 1 });
    await expect(started).rejects.toBeInstanceOf(LocalDynamoError);
    await expect(started).rejects.toThrow(/did not answer at http:\/\/127\.0\.0\.1:\d+ in time/);
  });

  it('tells the user to install Java 17 when `java` is not on the PATH', async () => {
    // A child Node process with a PATH holding no java, as for a user without Java.
    const emptyBin = await mkdtemp(join(tmpdir(), 'dynamorm-no-java-'));
    const script = `
      const { startLocalDynamo, LocalDynamoError } = await import(${JSON.stringify(LOCAL_SOURCE)});
      try {
        const local = await startLocalDynamo();
        await local.stop();
        console.log(JSON.stringify({ started: true }));
      } catch (error) {
        console.log(JSON.stringify({
          isLocalDynamoError: error instanceof LocalDynamoError,
          name: error.name,
          message: error.message,
        }));
      }`;
    try {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '--eval', script],
        { cwd: REPO_ROOT, env: { ...process.env, PATH: emptyBin } },
      );
      const result: unknown = JSON.parse(stdout.trim().split('\n').at(-1) ?? '');
      expect(result).toEqual({
        isLocalDynamoError: true,
        name: 'LocalDynamoError',
        message: expect.stringContaining('Install Java 17'),
      });
      expect(result).toMatchObject({ message: expect.stringContaining('apt-get install openjdk-17-jre-headless') });
    } finally {
      await rm(emptyBin, { recursive: true, force: true });
    }
  });
});
