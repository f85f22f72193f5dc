import { sdkErrorName } from '../ops/retryable.js';
import type { Driver } from '../driver/driver.js';
import { DynamORMError } from '../errors/errors.js';
import type { PlanRequest, PlanStep, SchemaPlan } from './plan.js';
import { dropTable } from './reset.js';
import { waitActive } from './wait.js';

/** Where apply is: the step starting (`done` false) or finished. */
export interface ApplyProgress {
  readonly step: PlanStep;
  /** 0-based position of the step. */
  readonly index: number;
  readonly total: number;
  readonly done: boolean;
}

export interface ApplyOptions {
  /** Run the destructive steps too (default false: a plan holding one is refused before any request). */
  readonly allowDestructive?: boolean | undefined;
  readonly onProgress?: ((progress: ApplyProgress) => void) | undefined;
}

export interface ApplyResult {
  readonly applied: readonly PlanStep[];
}

/** A plan with destructive steps, applied without `allowDestructive`: nothing was sent. */
export function destructiveStepsRefused(op: string, steps: readonly PlanStep[]): DynamORMError {
  return new DynamORMError(
    'schema.destructiveRefused',
    `${op}: refused before any request: the plan has ${steps.length} destructive step(s): ${steps.map((s) => s.description).join('; ')}. Review them, then apply with { allowDestructive: true }, or change the models`,
    { op, context: { steps: steps.map((s) => `${s.kind} ${s.table}${s.index === undefined ? '' : ` ${s.index}`}`) } },
  );
}

/** Sends one request of a step and waits for what it started: a table or index ACTIVE, a table gone. */
async function send(driver: Driver, request: PlanRequest): Promise<void> {
  const table = request.input.TableName!;
  switch (request.operation) {
    case 'DeleteTable':
      await dropTable(driver, table, undefined);
      return;
    case 'CreateTable':
      try {
        await driver.send('CreateTable', request.input);
      } catch (error) {
        // Another process creating it first is fine: wait for it.
        if (sdkErrorName(error) !== 'ResourceInUseException') throw error;
      }
      break;
    case 'UpdateTimeToLive':
      try {
        await driver.send('UpdateTimeToLive', request.input);
      } catch (error) {
        // Another process enabling it first is fine.
        if (!/already (enabled|disabled)/i.test((error as Error).message ?? '')) throw error;
      }
      return;
    case 'UpdateContinuousBackups':
      await driver.send('UpdateContinuousBackups', request.input);
      return;
    case 'UpdateTable':
      await waitActive(driver, table);
      try {
        await driver.send('UpdateTable', request.input);
      } catch (error) {
        // An index another process created (or removed) first is fine.
        if (!/index which already exists|index which does not exist/i.test((error as Error).message ?? '')) throw error;
      }
      break;
  }
  await waitActive(driver, table);
}

/**
 * Runs a plan's steps in its order, each request after the last is done (DynamoDB takes one
 * index change per table at a time). Destructive steps need `allowDestructive`.
 */
export async function applyPlan(driver: Driver, plan: SchemaPlan, options: ApplyOptions = {}, op = 'schema.apply'): Promise<ApplyResult> {
  const destructive = plan.steps.filter((s) => s.destructive);
  if (destructive.length > 0 && options.allowDestructive !== true) throw destructiveStepsRefused(op, destructive);
  const applied: PlanStep[] = [];
  for (const [index, step] of plan.steps.entries()) {
    options.onProgress?.({ step, index, total: plan.steps.length, done: false });
    for (const request of step.requests) await send(driver, request);
    applied.push(step);
    options.onProgress?.({ step, index, total: plan.steps.length, done: true });
  }
  return { applied };
}
