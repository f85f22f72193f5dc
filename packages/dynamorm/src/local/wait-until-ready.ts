import { setTimeout as sleep } from 'node:timers/promises';
import type { JavaProcess } from './java-process.js';
import { JAVA_MISSING, JAVA_TOO_OLD, LocalDynamoError } from './local-dynamo-error.js';

const POLL_INTERVAL_MS = 100;
const REQUEST_TIMEOUT_MS = 2_000;

// DynamoDB Local checks that a request is signed-looking, not the signature itself.
const LIST_TABLES = {
  method: 'POST',
  headers: {
    'content-type': 'application/x-amz-json-1.0',
    'x-amz-target': 'DynamoDB_20120810.ListTables',
    authorization:
      'AWS4-HMAC-SHA256 Credential=local/20000101/local/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
  },
  body: '{"Limit":1}',
} as const;

/** Thrown when the port was taken between picking it and the JVM binding it: worth a retry. */
export class PortInUseError extends LocalDynamoError {}

/** One ListTables request; returns undefined when it succeeded, or what went wrong. */
async function listTables(endpoint: string, timeoutMs: number): Promise<string | undefined> {
  try {
    const response = await fetch(endpoint, { ...LIST_TABLES, signal: AbortSignal.timeout(timeoutMs) });
    const body = await response.text();
    return response.ok ? undefined : `HTTP ${response.status}: ${body.slice(0, 200)}`;
  } catch (error) {
    const cause: unknown = error instanceof Error ? (error.cause ?? error) : error;
    return cause instanceof Error ? cause.message : String(cause);
  }
}

function exitError(java: JavaProcess, endpoint: string): LocalDynamoError {
  const info = java.exitInfo();
  const output = java.stderr();
  if (info?.error !== undefined) {
    const message = info.error.code === 'ENOENT' ? JAVA_MISSING : `Could not start java: ${info.error.message}`;
    return new LocalDynamoError(message, { cause: info.error, output });
  }
  if (/UnsupportedClassVersionError/.test(output)) return new LocalDynamoError(`${JAVA_TOO_OLD}\n${output}`, { output });
  const how = info?.signal != null ? `signal ${info.signal}` : `exit code ${String(info?.code)}`;
  const message = `DynamoDB Local exited (${how}) before it answered at ${endpoint}. Its stderr:\n${output || '(empty)'}`;
  return /BindException|Address already in use/.test(output)
    ? new PortInUseError(message, { output })
    : new LocalDynamoError(message, { output });
}

/** Polls ListTables until DynamoDB Local answers; fails fast if the process dies first. */
export async function waitUntilReady(java: JavaProcess, endpoint: string, deadline: number): Promise<void> {
  for (;;) {
    if (java.exitInfo() !== undefined) throw exitError(java, endpoint);
    const remaining = deadline - Date.now();
    const problem = await listTables(endpoint, Math.max(1, Math.min(REQUEST_TIMEOUT_MS, remaining)));
    // A response can come from another server on a port the JVM failed to bind: trust it only
    // while our process is still alive.
    if (problem === undefined && java.exitInfo() === undefined) return;
    if (Date.now() >= deadline) {
      const output = java.stderr();
      throw new LocalDynamoError(
        `DynamoDB Local did not answer at ${endpoint} in time (last attempt: ${problem ?? 'process exited'}). ` +
          `Its stderr:\n${output || '(empty)'}`,
        { output },
      );
    }
    await Promise.race([sleep(POLL_INTERVAL_MS), java.exited]);
  }
}
