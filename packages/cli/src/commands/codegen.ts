import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import type { Context } from '../context.js';
import { report } from '../context.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { jsonOption } from '../options.js';
import { progress } from '../progress.js';
import { splitEntities } from '../codegen/entities.js';
import { inferModels } from '../codegen/infer-models.js';
import { renderModels } from '../codegen/render.js';
import { sampleTable } from '../codegen/sample.js';
import { tableLayout } from '../codegen/table-layout.js';

interface CodegenOptions {
  readonly table?: string;
  readonly out?: string;
  readonly sample: string;
  readonly json?: boolean;
}

/** `dynamorm codegen`: models of an existing table, from DescribeTable and a bounded Scan. */
export function registerCodegen(program: Command, context: () => Context): void {
  program
    .command('codegen')
    .description('Write TypeScript models for an existing table, inferred from its description and a sample of its items.')
    .option('-t, --table <name>', 'the table to read (required)')
    .option('-o, --out <file>', 'the file to write (default: print to stdout)')
    .option('--sample <count>', 'how many items to read at most (one Scan, page by page)', '1000')
    .addOption(jsonOption('print a summary (file, models, notes) as JSON; with no --out it holds the source too'))
    .addHelpText('after', '\nSingle-table designs are recognised (a Type attribute or key prefixes such as CUSTOMER#, ORDER#) and\nkey templates inferred from key values. What the sample cannot settle is written as "NOTE:" comments.\nExit code 5: the table was empty or could not be scanned, and the file holds only its keys and indexes.')
    .action(async (options: CodegenOptions) => {
      // Checked here rather than by requiredOption, so that a mistyped flag is reported as unknown first.
      if (options.table === undefined) throw new CliError('codegen needs the table to read: --table <name>.', ExitCode.usage);
      const table = options.table;
      const limit = Number(options.sample);
      if (!Number.isInteger(limit) || limit < 1) throw new CliError(`--sample must be a positive whole number, received "${options.sample}".`, ExitCode.usage);
      const ctx = context();
      const orm = await ctx.orm();
      const json = options.json === true;
      let sample;
      try {
        sample = await sampleTable(orm.client!, table, limit, progress(`Sampling ${table}`, { json, total: limit }));
      } catch (error) {
        const name = error instanceof Error ? error.name : '';
        const where = ctx.options.endpoint ?? (await ctx.optionalConfig())?.config.orm?.endpoint ?? 'the default AWS endpoint';
        if (name === 'ResourceNotFoundException') throw new CliError(`Table "${table}" was not found at ${where}: check the name, --endpoint and --region.`, ExitCode.failed, { cause: error });
        throw new CliError(`Could not describe table "${table}" at ${where}: ${error instanceof Error ? error.message : String(error)}`, ExitCode.failed, { cause: error });
      }
      const layout = tableLayout(sample.table, sample.ttlAttribute);
      const split = splitEntities(layout, sample.items);
      const models = inferModels(layout, split);
      const incomplete = sample.scanError !== undefined
        ? `the items could not be read (Scan: ${sample.scanError.message}): only the keys, indexes and TTL attribute are known; add the other attributes`
        : sample.items.length === 0 ? 'the table is empty: only its keys, indexes and TTL attribute are known; add the other attributes' : undefined;
      const source = renderModels(models, { table: layout.name, sampled: sample.items.length, truncated: sample.truncated, incomplete, notes: split.notes });
      if (options.out !== undefined) {
        const file = resolve(ctx.cwd, options.out);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, source);
      }
      const notes = (source.match(/\/\/ NOTE: .*/g) ?? []).map((line) => line.slice('// NOTE: '.length));
      const summary = {
        table: layout.name, file: options.out ?? null, sampled: sample.items.length, truncated: sample.truncated,
        singleTable: split.singleTable, discriminator: split.discriminator ?? null,
        models: models.map((m) => ({ name: m.name, items: m.items })), notes, incomplete: incomplete ?? null,
        ...(options.out === undefined ? { source } : {}),
      };
      if (incomplete !== undefined) process.stderr.write(`warning: ${layout.name}: ${incomplete}.\n`);
      if (options.out === undefined && !json) process.stdout.write(source);
      else report(json, summary, () => `Wrote ${options.out}: ${models.map((m) => `${m.name} (${m.items} item${m.items === 1 ? '' : 's'})`).join(', ')} from ${sample.items.length} sampled item${sample.items.length === 1 ? '' : 's'} of ${layout.name}${notes.length > 0 ? `; ${notes.length} NOTE comment${notes.length === 1 ? '' : 's'} to review` : ''}.`);
      if (incomplete !== undefined) throw new CliError(`${layout.name}: wrote only what could be inferred without items.`, ExitCode.incomplete);
    });
}
