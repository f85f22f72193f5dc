/**
 * End-to-end figures against DynamoDB Local: wall time of each scenario, one warm-up round first.
 * Contenders are interleaved finely: each scenario's work is cut into slices (e.g. 5 × 400 puts)
 * and the contenders take turns slice by slice (order rotated per slice and round), so a pause of
 * DynamoDB Local's JVM or of this process lands on everyone alike; a contender's time for the
 * scenario is the sum of its slices. 1,000 concurrent gets are never sliced.
 */
import { keyOf, querySpecs, type User } from './model.js';
import { gc, pool } from './lib/measure.js';
import { performance } from 'node:perf_hooks';
import type { Loaded } from './lib/setup.js';

export type E2EScenarioId = 'put' | 'get' | 'query' | 'batchWrite' | 'batchGet' | 'concurrentGets';

export interface E2ESizes {
  items: number;
  queries: number;
  concurrentGets: number;
  concurrency: number;
}

export const FULL_SIZES: E2ESizes = { items: 2000, queries: 200, concurrentGets: 1000, concurrency: 16 };
export const QUICK_SIZES: E2ESizes = { items: 200, queries: 20, concurrentGets: 100, concurrency: 16 };

export interface E2EScenarioDef {
  readonly id: E2EScenarioId;
  title(s: E2ESizes): string;
  /** Operations per run, for ops/s. */
  count(s: E2ESizes): number;
}

export const E2E_SCENARIOS: readonly E2EScenarioDef[] = [
  { id: 'put', title: (s) => `${s.items} puts (${s.concurrency} concurrent)`, count: (s) => s.items },
  { id: 'get', title: (s) => `${s.items} gets (${s.concurrency} concurrent)`, count: (s) => s.items },
  { id: 'query', title: (s) => `${s.queries} queries of 10 items (${s.concurrency} concurrent)`, count: (s) => s.queries },
  { id: 'batchWrite', title: (s) => `batch write of ${s.items} items`, count: (s) => s.items },
  { id: 'batchGet', title: (s) => `batch get of ${s.items} keys`, count: (s) => s.items },
  { id: 'concurrentGets', title: (s) => `${s.concurrentGets} concurrent get() calls`, count: (s) => s.concurrentGets },
];

export interface E2EResult {
  readonly sizes: E2ESizes;
  readonly rounds: number;
  /** Each scenario's work is cut into this many slices, interleaved across contenders. */
  readonly slices: number;
  /** scenario → contender → wall ms per round. */
  readonly samples: Record<string, Record<string, number[]>>;
}

interface Inputs {
  items: unknown[];
  keys: unknown[];
}

/** The part [from, to) of a scenario's work; slices of all contenders are interleaved. */
interface Slice {
  from: number;
  to: number;
}

/** How a scenario's work is split; concurrentGets is never split (1,000 calls at once is the point). */
function slicesOf(id: E2EScenarioId, s: E2ESizes, slices: number): Slice[] {
  const total = id === 'query' ? s.queries : id === 'concurrentGets' ? s.concurrentGets : s.items;
  const n = id === 'concurrentGets' ? 1 : slices;
  // Batch slices stay multiples of 100 (whole BatchGetItem / BatchWriteItem requests).
  const unit = id === 'batchWrite' || id === 'batchGet' ? 100 : 1;
  const units = Math.ceil(total / unit);
  const out: Slice[] = [];
  for (let k = 0; k < n; k++) {
    const from = Math.min(total, Math.round((units * k) / n) * unit);
    const to = Math.min(total, Math.round((units * (k + 1)) / n) * unit);
    if (to > from) out.push({ from, to });
  }
  return out;
}

async function runSlice(l: Loaded, inp: Inputs, users: readonly User[], id: E2EScenarioId, s: E2ESizes, sl: Slice): Promise<number> {
  const c = l.contender;
  const n = sl.to - sl.from;
  switch (id) {
    case 'put':
      return pool(n, s.concurrency, (i) => c.put(inp.items[sl.from + i]));
    case 'get':
      return pool(n, s.concurrency, async (i) => {
        const m = await c.get(inp.keys[sl.from + i]);
        if (m === undefined) throw new Error(`${c.id}: get found nothing for item ${sl.from + i}`);
      });
    case 'query': {
      const specs = querySpecs(users, s.queries).slice(sl.from, sl.to);
      return pool(n, s.concurrency, async (i) => {
        const found = await c.query(specs[i]!);
        if (found.length !== 10) throw new Error(`${c.id}: query returned ${found.length} items, expected 10`);
      });
    }
    case 'batchWrite': {
      const items = inp.items.slice(sl.from, sl.to);
      const t0 = performance.now();
      await c.batchWrite(items);
      return performance.now() - t0;
    }
    case 'batchGet': {
      const keys = inp.keys.slice(sl.from, sl.to);
      const t0 = performance.now();
      const found = await c.batchGet(keys);
      const ms = performance.now() - t0;
      if (found.length !== keys.length) throw new Error(`${c.id}: batchGet returned ${found.length} of ${keys.length}`);
      return ms;
    }
    case 'concurrentGets': {
      const keys = inp.keys.slice(sl.from, sl.to);
      const t0 = performance.now();
      const found = c.concurrentGets ? await c.concurrentGets(keys) : await Promise.all(keys.map((k) => c.get(k)));
      const ms = performance.now() - t0;
      const missing = found.filter((m) => m === undefined).length;
      if (missing) throw new Error(`${c.id}: ${missing} concurrent gets found nothing`);
      return ms;
    }
  }
}

export async function runE2E(
  loaded: readonly Loaded[],
  users: readonly User[],
  opts: { sizes: E2ESizes; rounds: number; slices: number; log: (s: string) => void },
): Promise<E2EResult> {
  const s = opts.sizes;
  const data = users.slice(0, s.items);
  const inputs = new Map<string, Inputs>();
  for (const l of loaded) {
    inputs.set(l.contender.id, {
      items: data.map((u) => l.contender.toItem(u)),
      keys: data.map((u) => l.contender.toKey(keyOf(u))),
    });
  }
  const samples: E2EResult['samples'] = {};
  for (const sc of E2E_SCENARIOS) {
    samples[sc.id] = {};
    for (const l of loaded) samples[sc.id]![l.contender.id] = [];
  }
  for (let r = -1; r < opts.rounds; r++) {
    const warmUp = r < 0;
    const label = warmUp ? 'warm-up' : `round ${r + 1}/${opts.rounds}`;
    for (const sc of E2E_SCENARIOS) {
      const totals = new Map<string, number>(loaded.map((l) => [l.contender.id, 0]));
      // The warm-up writes every item (the reads need them) and runs one slice of the rest.
      const all = slicesOf(sc.id, s, opts.slices);
      const slices = warmUp && sc.id !== 'put' ? all.slice(0, 1) : all;
      for (let k = 0; k < slices.length; k++) {
        gc();
        for (let j = 0; j < loaded.length; j++) {
          const l = loaded[(j + Math.max(r, 0) + k) % loaded.length]!;
          const ms = await runSlice(l, inputs.get(l.contender.id)!, users, sc.id, s, slices[k]!);
          totals.set(l.contender.id, totals.get(l.contender.id)! + ms);
        }
      }
      if (!warmUp) for (const [id, ms] of totals) samples[sc.id]![id]!.push(ms);
      opts.log(`  ${label.padEnd(11)} ${sc.id.padEnd(14)} ${[...totals].map(([id, ms]) => `${id}=${Math.round(ms)}ms`).join('  ')}`);
    }
  }
  return { sizes: s, rounds: opts.rounds, slices: opts.slices, samples };
}
