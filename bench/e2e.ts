/**
 * End-to-end figures against DynamoDB Local: wall time of each scenario, one warm-up round first.
 * Contenders are interleaved finely: each scenario's work is cut into slices (e.g. 5 × 400 puts)
 * and the contenders take turns slice by slice (order rotated per slice and round), so a pause of
 * DynamoDB Local's JVM or of this process lands on everyone alike; a contender's time for the
 * scenario is the sum of its slices, and ratios are paired slice by slice. 1,000 concurrent gets
 * are never sliced; that scenario is repeated instead.
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
  /** scenario → contender → wall ms per round (sum of the slices; mean of the repeats for concurrentGets). */
  readonly samples: Record<string, Record<string, number[]>>;
  /**
   * scenario → contender → wall ms per slice, every round, in the order run: index i of two
   * contenders was taken back to back, so ratios are paired on these.
   */
  readonly sliceSamples: Record<string, Record<string, number[]>>;
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

/** Times the whole 1,000-concurrent-gets scenario is repeated per round (it cannot be cut). */
export const CONCURRENT_GETS_REPEATS = 3;

/**
 * How a scenario's work is split. concurrentGets is never split (1,000 calls at once is the
 * point): it is repeated instead, and its round time is the mean of the repeats.
 */
function slicesOf(id: E2EScenarioId, s: E2ESizes, slices: number): Slice[] {
  if (id === 'concurrentGets') {
    return Array.from({ length: Math.min(slices, CONCURRENT_GETS_REPEATS) }, () => ({ from: 0, to: s.concurrentGets }));
  }
  const total = id === 'query' ? s.queries : s.items;
  const n = slices;
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
  const sliceSamples: E2EResult['sliceSamples'] = {};
  for (const sc of E2E_SCENARIOS) {
    samples[sc.id] = {};
    sliceSamples[sc.id] = {};
    for (const l of loaded) {
      samples[sc.id]![l.contender.id] = [];
      sliceSamples[sc.id]![l.contender.id] = [];
    }
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
          if (!warmUp) sliceSamples[sc.id]![l.contender.id]!.push(ms);
        }
      }
      if (sc.id === 'concurrentGets') for (const [id, ms] of totals) totals.set(id, ms / slices.length);
      if (!warmUp) for (const [id, ms] of totals) samples[sc.id]![id]!.push(ms);
      opts.log(`  ${label.padEnd(11)} ${sc.id.padEnd(14)} ${[...totals].map(([id, ms]) => `${id}=${Math.round(ms)}ms`).join('  ')}`);
    }
  }
  return { sizes: s, rounds: opts.rounds, slices: opts.slices, samples, sliceSamples };
}
