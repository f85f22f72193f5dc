/**
 * One memory scenario in a fresh process (spawned by bench/memory.ts):
 *   node --expose-gc --import tsx bench/memory-child.ts <contender id> <scenario> <endpoint> <table> <quick 0|1>
 * Prints one JSON line: base and peak RSS, peak heap, items, elapsed ms.
 */
import { performance } from 'node:perf_hooks';
import { registry } from './contenders/registry.js';
import { makeEnv } from './lib/setup.js';

const [id, scenarioName, endpoint, table, quickArg] = process.argv.slice(2);
if (!id || !scenarioName || !endpoint || !table) throw new Error('usage: memory-child <id> <scenario> <endpoint> <table> <quick>');
const quick = quickArg === '1';

const entry = registry().find((e) => e.id === id);
if (!entry) throw new Error(`unknown contender ${id}`);
const mod = await entry.load();
const scenario = mod.memory?.find((s) => s.name === scenarioName);
if (!scenario) throw new Error(`${id} has no memory scenario ${scenarioName}`);
const env = makeEnv(id, endpoint, table);
// The contender is created as in the main run, so its set-up counts in the base, not the peak.
await mod.default(env);
await scenario.prepare?.(env, quick);

const g = (globalThis as { gc?: () => void }).gc;
g?.();
const base = process.memoryUsage();
let peakRss = base.rss;
let peakHeap = base.heapUsed;
const timer = setInterval(() => {
  const m = process.memoryUsage();
  if (m.rss > peakRss) peakRss = m.rss;
  if (m.heapUsed > peakHeap) peakHeap = m.heapUsed;
}, 5);
const t0 = performance.now();
const items = await scenario.run(env, quick);
const ms = performance.now() - t0;
clearInterval(timer);
const m = process.memoryUsage();
peakRss = Math.max(peakRss, m.rss);
peakHeap = Math.max(peakHeap, m.heapUsed);
process.stdout.write(
  JSON.stringify({
    baseRss: base.rss,
    baseHeap: base.heapUsed,
    peakRss,
    peakHeap,
    maxRss: process.resourceUsage().maxRSS * 1024,
    items,
    ms,
  }) + '\n',
);
env.client.destroy();
process.exit(0);
