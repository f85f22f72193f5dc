/** Loading contenders and giving each its own table and client. */
import {
  CreateTableCommand,
  DeleteTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { createTableInput, tableName } from '../model.js';
import { registry, type RegistryEntry } from '../contenders/registry.js';
import type { AnyContender, BenchEnv, ContenderModule } from '../contenders/types.js';
import { BENCH_CREDENTIALS, BENCH_REGION } from './local.js';

export interface Loaded {
  readonly entry: RegistryEntry;
  readonly module: ContenderModule;
  readonly contender: AnyContender;
  readonly env: BenchEnv;
}

/** An endpoint nothing listens on, for runs without DynamoDB Local (in-process only: no request is sent). */
export const NO_ENDPOINT = 'http://127.0.0.1:9';

export function makeClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: BENCH_REGION, credentials: BENCH_CREDENTIALS, maxAttempts: 3 });
}

export function makeEnv(id: string, endpoint: string, table = tableName(id)): BenchEnv {
  return {
    tableName: table,
    endpoint,
    region: BENCH_REGION,
    credentials: BENCH_CREDENTIALS,
    client: makeClient(endpoint),
  };
}

export function selectEntries(only: readonly string[] | undefined): RegistryEntry[] {
  const all = registry();
  if (!only || only.length === 0) return all;
  const unknown = only.filter((id) => !all.some((e) => e.id === id));
  if (unknown.length) throw new Error(`unknown contender(s): ${unknown.join(', ')}; known: ${all.map((e) => e.id).join(', ')}`);
  return all.filter((e) => only.includes(e.id));
}

/**
 * Loads and creates each contender. One that fails to load or to set up is left out and reported
 * (a half-written dynamorm.ts must not stop the peers from being measured).
 */
export async function loadContenders(
  entries: readonly RegistryEntry[],
  endpoint: string,
): Promise<{ loaded: Loaded[]; failures: { id: string; message: string }[] }> {
  const loaded: Loaded[] = [];
  const failures: { id: string; message: string }[] = [];
  for (const entry of entries) {
    try {
      const module = await entry.load();
      const env = makeEnv(entry.id, endpoint);
      const contender = await module.default(env);
      if (contender.id !== entry.id) throw new Error(`contender module ${entry.id} returned id ${contender.id}`);
      loaded.push({ entry, module, contender, env });
    } catch (e) {
      failures.push({ id: entry.id, message: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) });
    }
  }
  return { loaded, failures };
}

export async function recreateTable(client: DynamoDBClient, name: string): Promise<void> {
  try {
    await client.send(new DeleteTableCommand({ TableName: name }));
  } catch (e) {
    if (!(e instanceof ResourceNotFoundException)) throw e;
  }
  await client.send(new CreateTableCommand(createTableInput(name)));
}

export async function closeAll(loaded: readonly Loaded[]): Promise<void> {
  for (const l of loaded) {
    await l.contender.close?.();
    l.env.client.destroy();
  }
}
