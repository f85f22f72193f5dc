import type { AnyModel, DynamORMConfig } from 'dynamorm';

/** What `dynamorm.config.ts` exports (as default): the models, migrations and ORM options the commands use. */
export interface CliConfig {
  /** The application's models: a list, or a module namespace (`import * as models from './models.js'`). */
  readonly models?: readonly AnyModel[] | Readonly<Record<string, unknown>>;
  /** The directory of migration files, relative to the config file (default `migrations`). */
  readonly migrations?: string;
  /** Options of the DynamORM the commands create (`--endpoint` and `--region` override theirs). */
  readonly orm?: Omit<DynamORMConfig, 'models'>;
}

/** Types the config of `dynamorm.config.ts`; returns it unchanged. */
export function defineConfig(config: CliConfig): CliConfig {
  return config;
}
