/**
 * In-process figures (no network): ops/s of building the request each contender would send, and
 * of turning a returned item into its model object. Contenders run interleaved: every round runs
 * each contender once (in an order rotated per round) for a fixed iteration count calibrated
 * during warm-up.
 */
import { keyOf, querySpecs, UPDATE_SPEC, type User } from './model.js';
import { calibrate, gc, isAsync, timeIterations, type Op } from './lib/measure.js';
import type { Loaded } from './lib/setup.js';
import type { AttributeMap } from './contenders/types.js';

export type InProcessOpId = 'put' | 'unmarshal' | 'query' | 'update';

export interface InProcessOpDef {
  readonly id: InProcessOpId;
  readonly title: string;
  /** Contender ids the targets compare against (first = primary). */
  readonly baselines: readonly string[];
}

export const IN_PROCESS_OPS: readonly InProcessOpDef[] = [
  { id: 'put', title: 'Put request build + marshal (item → PutItemInput)', baselines: ['util-dynamodb', 'floor'] },
  { id: 'unmarshal', title: 'Unmarshal (AttributeValue item → model object)', baselines: ['util-dynamodb', 'floor'] },
  { id: 'query', title: 'Query request build (gsi-email, begins_with, filter age > 18)', baselines: ['floor', 'util-dynamodb'] },
  { id: 'update', title: 'Update request build (SET name, ADD age, REMOVE ttl)', baselines: ['floor', 'util-dynamodb'] },
];

export interface InProcessResult {
  readonly rounds: number;
  readonly targetMs: number;
  /** opId → contenderId → ops/s per round. */
  readonly samples: Record<string, Record<string, number[]>>;
  /** opId → contenderId → iterations per round. */
  readonly iterations: Record<string, Record<string, number>>;
  /** opId → contenderId → whether the op returned a Promise (awaited per call). */
  readonly asyncOps: Record<string, Record<string, boolean>>;
}

export const POOL = 256;

export interface Prepared {
  /** The fixture users behind items/keys/stored, index for index. */
  readonly users: User[];
  readonly items: unknown[];
  readonly keys: unknown[];
  readonly stored: AttributeMap[];
}

/** Untimed: the contender's inputs for the pool of users, and the items it would store. */
export async function prepare(l: Loaded, users: readonly User[]): Promise<Prepared> {
  const c = l.contender;
  // POOL inputs, cycling over the users when there are fewer (quick runs).
  const pool = Array.from({ length: POOL }, (_, i) => users[i % users.length]!);
  const items = pool.map((u) => c.toItem(u));
  const keys = pool.map((u) => c.toKey(keyOf(u)));
  const stored: AttributeMap[] = [];
  for (const item of items) {
    const put = await c.buildPut(item);
    if (!put.Item) throw new Error(`${c.id}: buildPut returned no Item`);
    stored.push(put.Item);
  }
  return { users: pool, items, keys, stored };
}

function opFor(l: Loaded, p: Prepared, users: readonly User[], op: InProcessOpId): Op {
  const c = l.contender;
  const mask = POOL - 1;
  switch (op) {
    case 'put':
      return (i) => c.buildPut(p.items[i & mask]);
    case 'unmarshal':
      return (i) => c.unmarshal(p.stored[i & mask]!);
    case 'query': {
      const specs = querySpecs(users, POOL);
      return (i) => c.buildQuery(specs[i & mask]!);
    }
    case 'update':
      return (i) => c.buildUpdate(p.keys[i & mask], UPDATE_SPEC);
  }
}

export async function runInProcess(
  loaded: readonly Loaded[],
  prepared: ReadonlyMap<string, Prepared>,
  users: readonly User[],
  opts: { rounds: number; targetMs: number; log: (s: string) => void },
): Promise<InProcessResult> {
  const samples: InProcessResult['samples'] = {};
  const iterations: InProcessResult['iterations'] = {};
  const asyncOps: InProcessResult['asyncOps'] = {};
  for (const def of IN_PROCESS_OPS) {
    const ops = loaded.map((l) => {
      const op = opFor(l, prepared.get(l.contender.id)!, users, def.id);
      return { l, op, async: isAsync(op) };
    });
    samples[def.id] = {};
    iterations[def.id] = {};
    asyncOps[def.id] = {};
    // Warm-up + calibration, interleaved too.
    for (const o of ops) {
      const n = await calibrate(o.op, o.async, opts.targetMs);
      await timeIterations(o.op, n, o.async);
      iterations[def.id]![o.l.contender.id] = n;
      asyncOps[def.id]![o.l.contender.id] = o.async;
      samples[def.id]![o.l.contender.id] = [];
    }
    for (let r = 0; r < opts.rounds; r++) {
      for (let k = 0; k < ops.length; k++) {
        const o = ops[(k + r) % ops.length]!;
        const n = iterations[def.id]![o.l.contender.id]!;
        gc();
        const ms = await timeIterations(o.op, n, o.async);
        samples[def.id]![o.l.contender.id]!.push((n / ms) * 1000);
      }
    }
    opts.log(
      `  ${def.id.padEnd(9)} ` +
        ops
          .map((o) => {
            const s = samples[def.id]![o.l.contender.id]!;
            const med = [...s].sort((a, b) => a - b)[s.length >> 1]!;
            return `${o.l.contender.id}=${Math.round(med).toLocaleString('en-US')}/s`;
          })
          .join('  '),
    );
  }
  return { rounds: opts.rounds, targetMs: opts.targetMs, samples, iterations, asyncOps };
}
