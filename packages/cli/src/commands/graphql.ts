import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { printSchema } from 'graphql';
import { toGraphQLSchema } from 'dynamorm-graphql';
import type { Context } from '../context.js';
import { CliError, ExitCode } from '../exit-codes.js';

interface GraphqlOptions {
  readonly out?: string;
}

/** `dynamorm graphql`: the GraphQL SDL of the config's models (toGraphQLSchema of dynamorm-graphql). */
export function registerGraphql(program: Command, context: () => Context): void {
  program
    .command('graphql')
    .description('Print the GraphQL schema (SDL) of the config\'s models: types, queries by key and index, mutations.')
    .option('-o, --out <file>', 'the file to write (default: print to stdout)')
    .action(async (options: GraphqlOptions) => {
      const ctx = context();
      const loaded = await ctx.config('graphql');
      if (loaded.models.length === 0) throw new CliError(`${loaded.file} lists no models: export default defineConfig({ models: [...] }).`, ExitCode.config);
      // The ORM only backs the resolvers: printing the schema sends no request.
      const sdl = `${printSchema(toGraphQLSchema(loaded.models, { orm: await ctx.orm(loaded) }))}\n`;
      if (options.out === undefined) {
        process.stdout.write(sdl);
        return;
      }
      const file = resolve(ctx.cwd, options.out);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, sdl);
      process.stdout.write(`Wrote ${options.out}: the GraphQL schema of ${loaded.models.map((m) => m.name).join(', ')}.\n`);
    });
}
