import { DynamORM, type AnyModel, type DynamORMConfig } from 'dynamorm';
import { CliError, ExitCode } from './exit-codes.js';
import { CONFIG_FILES, findConfig, loadConfig, type LoadedConfig } from './config/load-config.js';

/** The options every command takes (before or after its name). */
export interface GlobalOptions {
  readonly config?: string;
  readonly endpoint?: string;
  readonly region?: string;
}

/** What a command needs from the command line and the project: the config, an ORM, output. */
export class Context {
  private loaded: Promise<LoadedConfig | undefined> | undefined;

  constructor(
    readonly options: GlobalOptions,
    readonly cwd: string = process.cwd(),
  ) {}

  /** The project's config, or undefined when there is none (commands that can do without one). */
  optionalConfig(): Promise<LoadedConfig | undefined> {
    this.loaded ??= (async () => {
      const file = findConfig(this.cwd, this.options.config);
      return file === undefined ? undefined : loadConfig(file);
    })();
    return this.loaded;
  }

  /** The project's config; a CliError (exit code 3) saying where it was looked for when there is none. */
  async config(command: string): Promise<LoadedConfig> {
    const loaded = await this.optionalConfig();
    if (loaded === undefined) {
      throw new CliError(`dynamorm ${command} needs a config: none of ${CONFIG_FILES.join(', ')} is in ${this.cwd} (or name one with --config <file>).`, ExitCode.config);
    }
    return loaded;
  }

  /** A DynamORM on the config's options and models, with --endpoint and --region applied (and `extra` options of the command). */
  async orm(loaded?: LoadedConfig, extra: Omit<DynamORMConfig, 'models'> = {}): Promise<DynamORM> {
    const config = loaded ?? (await this.optionalConfig());
    const options = config?.config.orm ?? {};
    return new DynamORM({
      ...options,
      ...extra,
      models: config?.models ?? [],
      endpoint: this.options.endpoint ?? options.endpoint,
      region: this.options.region ?? options.region,
    });
  }
}

/** Prints a command's result: JSON on stdout for `--json`, otherwise the human lines. */
export function report(json: boolean, value: unknown, human: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
}

/** What export, import and backup commands name: a model of the config by name, else a table (the ORM prefixes its name). */
export const targetNamed = (orm: DynamORM, name: string): AnyModel | string => orm.getModel(name) ?? name;
