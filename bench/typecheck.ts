/**
 * Type-checking cost: `tsc --noEmit` on a generated file of N models with one typed query each,
 * per library and for each N asked (20 and 50 in a full run: the cost per model and the fixed cost
 * both show), against an empty baseline, in a fresh process each time. Wall time and peak RSS
 * come from /usr/bin/time -v when present (else from the tsc process's own resource usage), and
 * check time, memory used, types and instantiations from tsc's --extendedDiagnostics.
 *
 * The generated projects live in node_modules/.cache/dynamorm-bench/typecheck/<id>/ so that the
 * packages resolve from the repository's node_modules and the root tsconfig never sees them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { REPO_ROOT } from './lib/machine.js';
import type { TypecheckSource } from './contenders/types.js';

export const CACHE_DIR = join(REPO_ROOT, 'node_modules', '.cache', 'dynamorm-bench');
const TSC = join(REPO_ROOT, 'node_modules', 'typescript', 'lib', 'tsc.js');

export interface TypecheckRun {
  wallMs: number;
  maxRssKb: number;
  checkMs?: number;
  totalMs?: number;
  memoryUsedKb?: number;
  types?: number;
  instantiations?: number;
}

export interface TypecheckLibResult {
  id: string;
  runs: TypecheckRun[];
  ok: boolean;
  errors?: string;
}

/** The runs of every library on a file of `models` models. */
export interface TypecheckSize {
  models: number;
  libs: TypecheckLibResult[];
}

export interface TypecheckResult {
  tool: string;
  typescript: string;
  sizes: TypecheckSize[];
}

export const BASELINE: TypecheckSource = {
  id: 'baseline (empty file)',
  source: () => 'export const empty = 1;\n',
};

function writeProject(src: TypecheckSource, models: number): string {
  const dir = join(CACHE_DIR, 'typecheck', `${src.id.replace(/[^A-Za-z0-9_-]+/g, '_')}-${models}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ private: true, type: 'module' }));
  writeFileSync(join(dir, 'index.ts'), src.source(models));
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          lib: ['ES2022'],
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: [],
          ...(src.compilerOptions ?? {}),
        },
        files: ['index.ts'],
      },
      null,
      2,
    ),
  );
  return dir;
}

function num(text: string, label: string): number | undefined {
  const m = new RegExp(`^${label}:\\s+([\\d.]+)(s|K)?`, 'm').exec(text);
  if (!m) return undefined;
  const v = Number(m[1]);
  return m[2] === 's' ? v * 1000 : v;
}

const HAVE_TIME = existsSync('/usr/bin/time');

function runTsc(dir: string): { run: TypecheckRun; ok: boolean; output: string } {
  const args = [TSC, '-p', join(dir, 'tsconfig.json'), '--extendedDiagnostics'];
  const t0 = performance.now();
  const res = HAVE_TIME
    ? spawnSync('/usr/bin/time', ['-v', process.execPath, ...args], { encoding: 'utf8', cwd: dir, maxBuffer: 64 * 1024 * 1024 })
    : spawnSync(
        process.execPath,
        [
          '-e',
          "process.on('exit',()=>process.stderr.write('\\tMaximum resident set size (kbytes): '+process.resourceUsage().maxRSS+'\\n'));process.argv.splice(1,0,'tsc');require(process.argv[2]);",
          ...args,
        ],
        { encoding: 'utf8', cwd: dir, maxBuffer: 64 * 1024 * 1024 },
      );
  const wallMs = performance.now() - t0;
  const stdout = res.stdout ?? '';
  const stderr = res.stderr ?? '';
  const rss = /Maximum resident set size \(kbytes\):\s+(\d+)/.exec(stderr);
  const run: TypecheckRun = { wallMs, maxRssKb: rss ? Number(rss[1]) : Number.NaN };
  const checkMs = num(stdout, 'Check time');
  const totalMs = num(stdout, 'Total time');
  const mem = num(stdout, 'Memory used');
  const types = num(stdout, 'Types');
  const inst = num(stdout, 'Instantiations');
  if (checkMs !== undefined) run.checkMs = checkMs;
  if (totalMs !== undefined) run.totalMs = totalMs;
  if (mem !== undefined) run.memoryUsedKb = mem;
  if (types !== undefined) run.types = types;
  if (inst !== undefined) run.instantiations = inst;
  const errorLines = stdout.split('\n').filter((l) => /error TS\d+/.test(l));
  return { run, ok: res.status === 0 && errorLines.length === 0, output: errorLines.slice(0, 5).join('\n') || stderr.slice(0, 500) };
}

export function runTypecheck(
  sources: readonly TypecheckSource[],
  opts: { models: readonly number[]; rounds: number; log: (s: string) => void },
): TypecheckResult {
  const sizes = opts.models.map((models) => runSize(sources, { ...opts, models }));
  const tsVersion = spawnSync(process.execPath, [TSC, '--version'], { encoding: 'utf8' }).stdout.trim();
  return { tool: HAVE_TIME ? '/usr/bin/time -v' : 'process.resourceUsage().maxRSS', typescript: tsVersion, sizes };
}

function runSize(sources: readonly TypecheckSource[], opts: { models: number; rounds: number; log: (s: string) => void }): TypecheckSize {
  const all = [BASELINE, ...sources];
  const dirs = all.map((s) => writeProject(s, s === BASELINE ? 0 : opts.models));
  const libs: TypecheckLibResult[] = all.map((s) => ({ id: s.id, runs: [], ok: true }));
  for (let r = 0; r < opts.rounds; r++) {
    for (let k = 0; k < all.length; k++) {
      const i = (k + r) % all.length;
      const { run, ok, output } = runTsc(dirs[i]!);
      const lib = libs[i]!;
      lib.runs.push(run);
      if (!ok) {
        lib.ok = false;
        lib.errors = output;
      }
      opts.log(`  ${opts.models} models, round ${r + 1}/${opts.rounds} ${all[i]!.id.padEnd(24)} ${(run.wallMs / 1000).toFixed(2)} s  ${(run.maxRssKb / 1024).toFixed(0)} MiB  ${run.instantiations ?? '?'} instantiations${ok ? '' : '  ERRORS'}`);
    }
  }
  return { models: opts.models, libs };
}
