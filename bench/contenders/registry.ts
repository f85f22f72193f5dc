/**
 * The contenders, in report order. Each entry loads a module that default-exports a
 * `ContenderFactory` (see types.ts).
 *
 * DynamORM's slot: `bench/contenders/dynamorm.ts` is loaded when the file exists and is listed
 * first, with role 'subject'. Nothing else has to change; see bench/README.md.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ContenderModule } from './types.js';

export interface RegistryEntry {
  readonly id: string;
  readonly load: () => Promise<ContenderModule>;
}

const DYNAMORM_FILE = fileURLToPath(new URL('./dynamorm.ts', import.meta.url));

/** The peers and baselines; always present. */
export const BUILT_IN: readonly RegistryEntry[] = [
  { id: 'floor', load: () => import('./floor.js') },
  { id: 'floor-aa', load: () => import('./floor-aa.js') },
  { id: 'util-dynamodb', load: () => import('./util-dynamodb.js') },
  { id: 'document-client', load: () => import('./document-client.js') },
  { id: 'electrodb', load: () => import('./electrodb.js') },
  { id: 'dynamodb-toolbox', load: () => import('./dynamodb-toolbox.js') },
  { id: 'dynamoose', load: () => import('./dynamoose.js') },
];

export function hasDynamORM(): boolean {
  return existsSync(DYNAMORM_FILE);
}

/** The DynamORM contender, imported through a computed specifier so that the harness type-checks without it. */
async function loadDynamORM(): Promise<ContenderModule> {
  const spec: string = pathToFileURL(DYNAMORM_FILE).href;
  const mod = (await import(spec)) as Partial<ContenderModule>;
  if (typeof mod.default !== 'function') {
    throw new Error('bench/contenders/dynamorm.ts must `export default` a ContenderFactory (see bench/contenders/types.ts)');
  }
  return mod as ContenderModule;
}

export function registry(): RegistryEntry[] {
  const entries = [...BUILT_IN];
  if (hasDynamORM()) entries.unshift({ id: 'dynamorm', load: loadDynamORM });
  return entries;
}
