/**
 * End-to-end figures against DynamoDB Local: wall time of each scenario, contenders interleaved
 * scenario by scenario (order rotated per round), one warm-up round first.
 */
import { keyOf, querySpecs, type User } from './model.js';
import { pool } from './lib/measure.js';
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
  /** scenario → contender → wall ms per round. */
  readonly samples: Record<string, Record<string, number[]>>;
}

interface Inputs {
  items: unknown[];
  keys: unknown[];
}

async function runScenario(l: Loaded, inp: Inputs, users: readonly User[], id: E2EScenarioId, s: E2ESizes): Promise<number> {
  const c = l.contender;
  switch (id) {
    case 'put':
      return pool(s.items, s.concurrency, (i) => c.put(inp.items[i]));
    case 'get':
      return pool(s.items, s.concurrency, async (i) => {
        const m = await c.get(inp.keys[i]);
        if (m === undefined) throw new Error(`${c.id}: get found nothing for item ${i}`);
      });
    case 'query': {
      const specs = querySpecs(users, s.queries);
      return pool(s.queries, s.concurrency, async (i) => {
        const found = await c.query(specs[i]!);
        if (found.length !== 10) throw new Error(`${c.id}: query returned ${found.length} items, expected 10`);
      });
    }
    case 'batchWrite': {
      const t0 = performance.now();
      await c.batchWrite(inp.items);
      return performance.now() - t0;
    }
    case 'batchGet': {
      const t0 = performance.now();
      const found = await c.batchGet(inp.keys);
      const ms = performance.now() - t0;
      if (found.length !== inp.keys.length) throw new Error(`${c.id}: batchGet returned ${found.length} of ${inp.keys.length}`);
      return ms;
    }
    case 'concurrentGets': {
      const keys = inp.keys.slice(0, s.concurrentGets);
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
  opts: { sizes: E2ESizes; rounds: number; log: (s: string) => void },
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
    const label = r < 0 ? 'warm-up' : `round ${r + 1}/${opts.rounds}`;
    for (const sc of E2E_SCENARIOS) {
      const parts: string[] = [];
      for (let k = 0; k < loaded.length; k++) {
        const l = loaded[(k + Math.max(r, 0)) % loaded.length]!;
        const ms = await runScenario(l, inputs.get(l.contender.id)!, users, sc.id, s);
        if (r >= 0) samples[sc.id]![l.contender.id]!.push(ms);
        parts.push(`${l.contender.id}=${Math.round(ms)}ms`);
      }
      opts.log(`  ${label.padEnd(11)} ${sc.id.padEnd(14)} ${parts.join('  ')}`);
    }
  }
  return { sizes: s, rounds: opts.rounds, samples };
}
