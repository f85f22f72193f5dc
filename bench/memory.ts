/**
 * Memory figures: each scenario a contender module exports under
 * `memory` runs in a fresh child process against its own table (`bench_mem_<id>`), scenarios in
 * the order declared (a write scenario can populate what a read scenario then walks).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './lib/machine.js';
import { recreateTable, makeClient } from './lib/setup.js';
import type { Loaded } from './lib/setup.js';

export interface MemoryRun {
  contender: string;
  scenario: string;
  description: string;
  ok: boolean;
  error?: string;
  baseRss?: number;
  peakRss?: number;
  peakHeap?: number;
  baseHeap?: number;
  items?: number;
  ms?: number;
}

export interface MemoryResult {
  quick: boolean;
  runs: MemoryRun[];
}

const CHILD = join(REPO_ROOT, 'bench', 'memory-child.ts');

export async function runMemory(loaded: readonly Loaded[], endpoint: string, opts: { quick: boolean; log: (s: string) => void }): Promise<MemoryResult> {
  const runs: MemoryRun[] = [];
  const admin = makeClient(endpoint);
  try {
    for (const l of loaded) {
      const scenarios = l.module.memory ?? [];
      if (scenarios.length === 0) continue;
      const table = `bench_mem_${l.contender.id.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
      await recreateTable(admin, table);
      for (const s of scenarios) {
        const res = spawnSync(
          process.execPath,
          ['--expose-gc', '--no-warnings', '--import', 'tsx', CHILD, l.contender.id, s.name, endpoint, table, opts.quick ? '1' : '0'],
          { cwd: REPO_ROOT, encoding: 'utf8', timeout: 15 * 60_000, maxBuffer: 16 * 1024 * 1024 },
        );
        const run: MemoryRun = { contender: l.contender.id, scenario: s.name, description: s.description, ok: false };
        const line = res.stdout.trim().split('\n').pop() ?? '';
        if (res.status === 0 && line.startsWith('{')) {
          Object.assign(run, JSON.parse(line) as Partial<MemoryRun>, { ok: true });
          opts.log(
            `  ${l.contender.id} ${s.name}: ${run.items} items in ${((run.ms ?? 0) / 1000).toFixed(1)} s, peak RSS ${((run.peakRss ?? 0) / 2 ** 20).toFixed(0)} MiB (base ${((run.baseRss ?? 0) / 2 ** 20).toFixed(0)}), peak heap ${((run.peakHeap ?? 0) / 2 ** 20).toFixed(0)} MiB`,
          );
        } else {
          run.error = (res.stderr || res.error?.message || 'no output').slice(-800);
          opts.log(`  ${l.contender.id} ${s.name}: FAILED ${run.error}`);
        }
        runs.push(run);
      }
    }
  } finally {
    admin.destroy();
  }
  return { quick: opts.quick, runs };
}
