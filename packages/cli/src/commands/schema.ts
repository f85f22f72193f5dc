import type { Command } from 'commander';
import type { PlanStep, SchemaPlan } from 'dynamorm';
import { report, type Context } from '../context.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { jsonOption } from '../options.js';
import { progress } from '../progress.js';

const line = (step: PlanStep): string => `${step.destructive ? '!' : '+'} ${step.kind} ${step.table}${step.index === undefined ? '' : ` (${step.index})`}: ${step.description}`;

function describePlan(plan: SchemaPlan): string {
  if (plan.upToDate) return 'Every table matches the models.';
  return [...plan.steps.map(line), plan.destructive ? '"!" marks destructive steps: apply runs them only with --allow-destructive.' : ''].filter((l) => l !== '').join('\n');
}

async function planOf(context: () => Context, command: string) {
  const ctx = context();
  const loaded = await ctx.config(command);
  const orm = await ctx.orm(loaded);
  return { orm, plan: await orm.schema.plan({ models: loaded.models }) };
}

/** `dynamorm plan` / `dynamorm apply`: the config's models against the live tables. */
export function registerSchema(program: Command, context: () => Context): void {
  program.command('plan')
    .description('Compare the config\'s models with the live tables: the steps apply would run, destructive ones marked.')
    .addOption(jsonOption())
    .action(async (options: { json?: boolean }) => {
      const { plan } = await planOf(context, 'plan');
      report(options.json === true, plan, () => describePlan(plan));
    });

  program.command('apply')
    .description('Run the plan: create tables and indexes, update settings. Destructive steps need --allow-destructive (exit code 4 otherwise, nothing sent).')
    .option('--allow-destructive', 'also run the steps that delete data (remove or replace an index, recreate a table)')
    .addOption(jsonOption())
    .action(async (options: { allowDestructive?: boolean; json?: boolean }) => {
      const { orm, plan } = await planOf(context, 'apply');
      const json = options.json === true;
      if (plan.destructive && options.allowDestructive !== true) {
        throw new CliError(`apply refused, nothing was sent: the plan has destructive steps:\n${plan.steps.filter((s) => s.destructive).map(line).join('\n')}\nReview them, then run dynamorm apply --allow-destructive.`, ExitCode.refused);
      }
      const bar = progress('Applying', { json, total: plan.steps.length });
      const result = await orm.schema.apply(plan, { allowDestructive: options.allowDestructive === true, onProgress: (p) => { if (p.done) bar.update(p.index + 1); } }).finally(() => bar.stop());
      report(json, result, () => (result.applied.length === 0 ? 'Nothing to apply: every table matches the models.' : `Applied ${result.applied.length} step${result.applied.length === 1 ? '' : 's'}:\n${result.applied.map(line).join('\n')}`));
    });
}
