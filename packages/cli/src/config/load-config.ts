import { existsSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { createJiti, type Jiti } from 'jiti';
import type { AnyModel } from 'dynamorm';
import { CliError, ExitCode } from '../exit-codes.js';
import type { CliConfig } from './define-config.js';

/** The file names looked for in the working directory, in this order, when --config is not given. */
export const CONFIG_FILES = ['dynamorm.config.ts', 'dynamorm.config.mts', 'dynamorm.config.js', 'dynamorm.config.mjs'] as const;

/** A loaded config: where it came from, and its models picked out. */
export interface LoadedConfig {
  readonly file: string;
  readonly dir: string;
  readonly config: CliConfig;
  readonly models: readonly AnyModel[];
}

/** The config file to load: the one named, or the first of CONFIG_FILES in `cwd`; undefined when none exists. */
export function findConfig(cwd: string, named: string | undefined): string | undefined {
  if (named !== undefined) {
    const file = resolve(cwd, named);
    if (!existsSync(file)) throw new CliError(`Config file ${named} not found (looked for ${file}).`, ExitCode.config);
    return file;
  }
  return CONFIG_FILES.map((name) => resolve(cwd, name)).find((file) => existsSync(file));
}

/** A model of dynamorm (checked by shape: the config may load its own copy of the package). */
function isModel(value: unknown): value is AnyModel {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Partial<Record<'name' | 'table' | 'marshal' | 'keyOf', unknown>>;
  return typeof m.name === 'string' && typeof m.table === 'string' && typeof m.marshal === 'function' && typeof m.keyOf === 'function';
}

function modelsOf(file: string, models: CliConfig['models']): AnyModel[] {
  if (models === undefined) return [];
  const list = Array.isArray(models) ? (models as unknown[]) : Object.values(models);
  const found = list.filter(isModel);
  if (Array.isArray(models) && found.length !== list.length) {
    const at = list.findIndex((m) => !isModel(m));
    throw new CliError(`${file}: models[${at}] is not a model of dynamorm (define it with model() from 'dynamorm').`, ExitCode.config);
  }
  return found;
}

/**
 * A TypeScript or JavaScript module of the project (the config, migrations), loaded with jiti: no
 * build step. `dynamorm` is imported natively, so the project's modules and the commands share one
 * copy of the package.
 */
export function importModule(file: string, defaultExport = false): Promise<unknown> {
  // One loader with its module cache for the process: the config and the migrations importing the
  // same models file get the same models (the ORM refuses two models of one name).
  jiti ??= createJiti(import.meta.url, { interopDefault: true, nativeModules: ['dynamorm'], fsCache: false });
  return jiti.import(file, defaultExport ? { default: true } : {});
}
let jiti: Jiti | undefined;

/** Loads the config (with importModule) and picks out its models. */
export async function loadConfig(file: string): Promise<LoadedConfig> {
  const shown = relative(process.cwd(), file) || file;
  let exported: unknown;
  try {
    exported = await importModule(file, true);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new CliError(`Could not load ${shown}: ${reason}`, ExitCode.config, { cause });
  }
  if (typeof exported !== 'object' || exported === null) {
    throw new CliError(`${shown} must export its config as default: export default defineConfig({ models: [...] })`, ExitCode.config);
  }
  const config = exported as CliConfig;
  return { file, dir: dirname(file), config, models: modelsOf(shown, config.models) };
}
