/** bench/RESULTS.md: every figure and ratio of one run, with the machine and the versions. */
import { CONCURRENT_GETS_REPEATS, E2E_SCENARIOS, type E2EResult } from './e2e.js';
import { IN_PROCESS_OPS, type InProcessResult } from './inprocess.js';
import type { MemoryResult } from './memory.js';
import type { CostResult } from './cost.js';
import type { ReadHeavyResult } from './read-heavy.js';
import type { StreamsResult } from './streams.js';
import type { RetryResult } from './retry.js';
import type { ObserveResult } from './observe.js';
import type { TransferResult } from './transfer.js';
import type { SizeResult } from './size.js';
import type { TypecheckResult, TypecheckRun } from './typecheck.js';
import type { Check } from './verify.js';
import type { MachineInfo } from './lib/machine.js';
import type { ContenderRole } from './contenders/types.js';
import { fmtBytes, fmtMs, fmtNum, fmtRatio, median, pairedRatio, summarize } from './lib/stats.js';

export interface ContenderInfo {
  id: string;
  label: string;
  role: ContenderRole;
  packages: readonly string[];
  notes?: string | undefined;
  ignoredAttributes?: readonly string[] | undefined;
}

export interface BenchResults {
  date: string;
  quick: boolean;
  command: string;
  durationMs: number;
  machine: MachineInfo;
  versions: Record<string, string>;
  local?: string;
  contenders: ContenderInfo[];
  checks: Check[];
  inProcess?: InProcessResult;
  e2e?: E2EResult;
  cost?: CostResult;
  readHeavy?: ReadHeavyResult;
  streams?: StreamsResult;
  retry?: RetryResult;
  observe?: ObserveResult;
  transfer?: TransferResult;
  memory?: MemoryResult;
  typecheck?: TypecheckResult;
  size?: SizeResult;
  errors: { section: string; message: string }[];
}

const SUBJECT_NOTE =
  'DynamORM contender not present (bench/contenders/dynamorm.ts); its rows and the target checks appear once that file exists.';

function table(head: string[], rows: string[][], align?: ('l' | 'r')[]): string {
  const a = align ?? head.map((_, i) => (i === 0 ? 'l' : 'r'));
  const sep = a.map((x) => (x === 'l' ? ':---' : '---:'));
  return [head, sep, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

function peers(r: BenchResults): string[] {
  return r.contenders.filter((c) => c.role === 'peer').map((c) => c.id);
}
function subject(r: BenchResults): string | undefined {
  return r.contenders.find((c) => c.role === 'subject')?.id;
}
function has(r: BenchResults, id: string, samples: Record<string, number[]> | undefined): boolean {
  return !!samples?.[id]?.length && r.contenders.some((c) => c.id === id);
}

/** Fastest peer by median throughput (higher is better) or time (lower is better). */
function fastestPeer(r: BenchResults, samples: Record<string, number[]>, higherIsBetter: boolean): string | undefined {
  let best: string | undefined;
  let bestVal = higherIsBetter ? -Infinity : Infinity;
  for (const p of peers(r)) {
    const s = samples[p];
    if (!s?.length) continue;
    const m = median(s);
    if (higherIsBetter ? m > bestVal : m < bestVal) {
      bestVal = m;
      best = p;
    }
  }
  return best;
}

function ratioCell(samples: Record<string, number[]>, a: string, b: string | undefined): string {
  if (!b || !samples[a]?.length || !samples[b]?.length) return '–';
  const s = pairedRatio(samples[a]!, samples[b]!);
  return s.runs > 1 ? `${fmtRatio(s.median)} <sub>(${fmtRatio(s.min)}–${fmtRatio(s.max)})</sub>` : fmtRatio(s.median);
}

function matrix(ids: string[], samples: Record<string, number[]>, caption: string): string {
  const rows = ids.map((a) => [`**${a}**`, ...ids.map((b) => (a === b ? '—' : samples[a]?.length && samples[b]?.length ? fmtRatio(pairedRatio(samples[a]!, samples[b]!).median) : '–'))]);
  return `<details><summary>${caption}</summary>\n\n${table(['row ÷ column', ...ids], rows)}\n\n</details>`;
}

function machineSection(r: BenchResults): string {
  const m = r.machine;
  const rows: string[][] = [
    ['CPU', m.cpu],
    ['Cores', String(m.cores)],
    ['Memory', m.memory],
    ['OS', m.os],
    ['Node.js', m.node],
    ['Load average (1 min) at start / end', `${m.loadStart.toFixed(2)} / ${m.loadEnd?.toFixed(2) ?? '?'} (other processes share the ${m.cores} cores; the A/A control shows what that costs in precision)`],
  ];
  if (m.java) rows.push(['Java (DynamoDB Local)', m.java]);
  if (r.local) rows.push(['DynamoDB Local', r.local]);
  rows.push(['Date', r.date], ['Command', `\`${r.command}\``], ['Duration', fmtMs(r.durationMs)]);
  const versions = Object.entries(r.versions).map(([k, v]) => [`\`${k}\``, v]);
  return `## Machine\n\n${table(['', ''], rows, ['l', 'l'])}\n\n## Versions\n\n${table(['package', 'version'], versions, ['l', 'l'])}`;
}

function contendersSection(r: BenchResults): string {
  const rows = r.contenders.map((c) => [
    `\`${c.id}\``,
    c.role,
    c.label,
    (c.notes ?? '') + (c.ignoredAttributes?.length ? ` Own attributes ignored in cross-checks: ${c.ignoredAttributes.map((a) => `\`${a}\``).join(', ')}.` : ''),
  ]);
  return `## Contenders\n\n${subject(r) ? '' : `> ${SUBJECT_NOTE}\n\n`}${table(['id', 'role', 'how', 'notes'], rows, ['l', 'l', 'l', 'l'])}`;
}

function checksSection(r: BenchResults): string {
  if (r.checks.length === 0) return '## Cross-checks\n\nNone ran.';
  const checks = [...new Set(r.checks.map((c) => c.check))];
  const ids = r.contenders.map((c) => c.id);
  const rows = checks.map((ch) => [
    ch,
    ...ids.map((id) => {
      const c = r.checks.find((x) => x.check === ch && x.contender === id);
      return c === undefined ? '–' : c.ok ? '✓' : '✗';
    }),
  ]);
  const failed = r.checks.filter((c) => !c.ok);
  const failures = failed.length
    ? `\n\nFailures:\n\n${failed.map((f) => `- \`${f.contender}\` ${f.check}:\n${f.details.map((d) => `  - ${d.replace(/\|/g, '\\|')}`).join('\n')}`).join('\n')}`
    : '\n\nEvery contender produced the same items.';
  return `## Cross-checks (same items from every contender)\n\n${table(['check', ...ids.map((i) => `\`${i}\``)], rows, ['l', ...ids.map(() => 'r' as const)])}${failures}`;
}

function inProcessSection(r: BenchResults): string {
  const ip = r.inProcess;
  if (!ip) return '';
  const ids = r.contenders.map((c) => c.id).filter((id) => ip.samples['put']?.[id]);
  const parts: string[] = [
    `## In-process (no network)\n\nOperations per second, median of ${ip.rounds} interleaved rounds of ~${ip.targetMs} ms each after warm-up (min–max in brackets). Ratios are computed round by round (a ÷ b of the same round) and their median reported; > 1× means faster than the reference. An op marked *async* returns a Promise and is awaited per call.`,
  ];
  for (const def of IN_PROCESS_OPS) {
    const samples = ip.samples[def.id] ?? {};
    const fp = fastestPeer(r, samples, true);
    const rows = ids.map((id) => {
      const s = summarize(samples[id] ?? []);
      return [
        `\`${id}\`${ip.asyncOps[def.id]?.[id] ? ' *async*' : ''}`,
        fmtNum(s.median),
        `${fmtNum(s.min)}–${fmtNum(s.max)}`,
        ratioCell(samples, id, has(r, 'floor', samples) ? 'floor' : undefined),
        ratioCell(samples, id, has(r, 'util-dynamodb', samples) ? 'util-dynamodb' : undefined),
        ratioCell(samples, id, fp),
      ];
    });
    parts.push(
      `### ${def.title}\n\n${table(['contender', 'ops/s (median)', 'min–max', '× floor', '× util-dynamodb', `× fastest peer${fp ? ` (${fp})` : ''}`], rows)}\n\n${matrix(ids, samples, 'All pairs (ops/s ratio, row ÷ column)')}`,
    );
  }
  return parts.join('\n\n');
}

function e2eSection(r: BenchResults): string {
  const e = r.e2e;
  if (!e) return '';
  const ids = r.contenders.map((c) => c.id).filter((id) => e.samples['put']?.[id]);
  const parts: string[] = [
    `## End-to-end against DynamoDB Local\n\nWall time, median of ${e.rounds} rounds after one warm-up round (min–max in brackets). Within a round each scenario is cut into ${e.slices} slices that the contenders take in turns, and a contender's time is the sum of its slices; the 1,000 concurrent gets are never cut but repeated ${Math.min(e.slices, CONCURRENT_GETS_REPEATS)} times (time = mean). Time ratios are paired slice by slice (the same slice of two contenders ran back to back) and their median reported with min–max; **< 1× is faster** than the reference. DynamoDB Local is a Java process on the same machine, so these figures bound the client-side overhead from above rather than predict DynamoDB latency.`,
  ];
  for (const sc of E2E_SCENARIOS) {
    const samples = e.samples[sc.id] ?? {};
    const paired = e.sliceSamples[sc.id] ?? samples;
    const fp = fastestPeer(r, samples, false);
    const count = sc.count(e.sizes);
    const rows = ids.map((id) => {
      const s = summarize(samples[id] ?? []);
      return [
        `\`${id}\``,
        fmtMs(s.median),
        `${fmtMs(s.min)}–${fmtMs(s.max)}`,
        fmtNum((count / s.median) * 1000),
        ratioCell(paired, id, has(r, 'floor', samples) ? 'floor' : undefined),
        ratioCell(paired, id, fp),
      ];
    });
    parts.push(
      `### ${sc.title(e.sizes)}\n\n${table(['contender', 'wall (median)', 'min–max', 'ops/s', 'time × floor', `time × fastest peer${fp ? ` (${fp})` : ''}`], rows)}\n\n${matrix(ids, paired, 'All pairs (time ratio, row ÷ column)')}`,
    );
  }
  return parts.join('\n\n');
}

/** The section of RESULTS.md. */
function costSection(c: CostResult | undefined): string {
  const head = '## Read cost of limited reads (single-table)';
  if (c === undefined) return `${head}\n\nNot run.`;
  const rows = c.rows.map((r) => {
    const ratio = r.dynamorm.rcu / r.raw.rcu;
    return [
      r.variant,
      `\`${r.read}\``,
      fmtNum(r.dynamorm.rcu),
      fmtNum(r.raw.rcu),
      fmtRatio(ratio),
      `${r.dynamorm.itemsRead} / ${r.raw.itemsRead}`,
      `${r.dynamorm.requests} / ${r.raw.requests}`,
      fmtMs(median(r.dynamorm.ms)),
      fmtMs(median(r.raw.ms)),
      fmtRatio(pairedRatio(r.dynamorm.ms, r.raw.ms).median),
      ratio <= 2 ? '✓ met' : '✗ missed',
    ];
  });
  const full = Object.entries(c.full).map(([v, rcu]) => `${v} ${fmtNum(rcu)} RCU`).join(', ');
  return `${head}

One partition of one customer and ${c.orders.toLocaleString('en-US')} orders (composed keys \`CUSTOMER#{customerId}\` / \`ORDER#{orderId}\` and a discriminator), and the same orders in a model with a TTL attribute (its hiding is a filter). DynamORM's reads are \`orm.model(Order).where('customerId', '=', 'c1')\` with \`first()\` or \`limit(n).page()\`; the raw SDK's is the hand-written Query with \`Limit: n\` (and, for the TTL model, the filter on the TTL attribute). RCU is the ConsumedCapacity DynamoDB Local returns (ReturnConsumedCapacity TOTAL, eventually consistent); items read is its ScannedCount. A full read of the partition, what these reads cost while a filter turned Limit off: ${full}. Goal: within 2× of the raw SDK's RCU. Time: median of ${c.rows[0]?.dynamorm.ms.length ?? 0} alternating rounds, ratio taken round by round.

${table(['model', 'read', 'DynamORM RCU', 'raw SDK RCU', 'RCU ratio', 'items read (DynamORM / raw)', 'requests (DynamORM / raw)', 'DynamORM time', 'raw SDK time', 'time ratio', 'goal ≤ 2× RCU'], rows, ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'])}`;
}

function memorySection(r: BenchResults): string {
  const m = r.memory;
  const expected =
    'DynamORM-specific figures: peak memory of `iterate()` over a 100,000-item partition, of a 100,000-item `batchCreate`, and of a parallel scan. A contender module exports them as `memory` scenarios (bench/contenders/types.ts `MemoryScenario`); the floor provides reference figures under the same names.';
  if (!m || m.runs.length === 0) return `## Memory\n\n${expected}\n\nNo scenario ran.`;
  const rows = m.runs.map((x) =>
    x.ok
      ? [
          `\`${x.contender}\``,
          x.scenario,
          fmtNum(x.items ?? Number.NaN),
          fmtMs(x.ms ?? Number.NaN),
          fmtBytes(x.baseRss ?? Number.NaN),
          fmtBytes(x.peakRss ?? Number.NaN),
          fmtBytes((x.peakRss ?? 0) - (x.baseRss ?? 0)),
          fmtBytes(x.peakHeap ?? Number.NaN),
          fmtBytes((x.peakHeap ?? 0) - (x.baseHeap ?? 0)),
        ]
      : [`\`${x.contender}\``, x.scenario, 'failed', (x.error ?? '').split('\n')[0] ?? '', '', '', '', '', ''],
  );
  const desc = [...new Map(m.runs.map((x) => [x.scenario, x.description])).entries()].map(([k, v]) => `- \`${k}\`: ${v}`).join('\n');
  return `## Memory\n\n${expected}${m.quick ? ' (quick run: 2,000 items instead of 100,000)' : ''}\n\nEach scenario runs in a fresh process; base = after set-up and a GC, peak = sampled every 5 ms during the scenario.\n\n${table(['contender', 'scenario', 'items', 'time', 'base RSS', 'peak RSS', 'peak − base RSS', 'peak heap', 'peak − base heap'], rows)}\n\n${desc}`;
}

function tcCell(runs: TypecheckRun[], pick: (r: TypecheckRun) => number | undefined, fmt: (n: number) => string): string {
  const vals = runs.map(pick).filter((v): v is number => v !== undefined && Number.isFinite(v));
  if (!vals.length) return '–';
  const s = summarize(vals);
  return s.runs > 1 ? `${fmt(s.median)} <sub>(${fmt(s.min)}–${fmt(s.max)})</sub>` : fmt(s.median);
}

function typecheckSection(r: BenchResults): string {
  const t = r.typecheck;
  if (!t) return '';
  const tables = t.sizes.map((size) => {
    const base = size.libs[0];
    const baseWall = base ? median(base.runs.map((x) => x.wallMs)) : Number.NaN;
    const baseRss = base ? median(base.runs.map((x) => x.maxRssKb)) : Number.NaN;
    const rows = size.libs.map((l) => {
      const wall = median(l.runs.map((x) => x.wallMs));
      const rss = median(l.runs.map((x) => x.maxRssKb));
      return [
        `${l.id}${l.ok ? '' : ' ✗ (errors)'}`,
        tcCell(l.runs, (x) => x.wallMs, fmtMs),
        l === base ? '—' : fmtMs(wall - baseWall),
        tcCell(l.runs, (x) => x.checkMs, fmtMs),
        tcCell(l.runs, (x) => x.maxRssKb * 1024, fmtBytes),
        l === base ? '—' : fmtBytes((rss - baseRss) * 1024),
        tcCell(l.runs, (x) => x.types, (n) => fmtNum(n)),
        tcCell(l.runs, (x) => x.instantiations, (n) => fmtNum(n)),
      ];
    });
    const errors = size.libs.filter((l) => !l.ok).map((l) => `- ${l.id}:\n\n\`\`\`\n${l.errors ?? ''}\n\`\`\``);
    return `### ${size.models} models\n\n${table(['library', 'wall', 'wall − baseline', 'check time', 'peak RSS', 'RSS − baseline', 'types', 'instantiations'], rows)}${errors.length ? `\n\nErrors:\n\n${errors.join('\n')}` : ''}`;
  });
  const runs = t.sizes[0]?.libs[0]?.runs.length ?? 0;
  const counts = t.sizes.map((s) => s.models).join(' and ');
  return `## Type-checking cost\n\n\`tsc --noEmit\` (${t.typescript}, strict, skipLibCheck) on generated files of ${counts} models with one typed query each, one fresh process per run, median of ${runs} interleaved run(s). Wall time includes starting node and tsc; peak RSS via ${t.tool}; check time, types and instantiations from \`--extendedDiagnostics\` (instantiations do not depend on the machine's load; times do).\n\n${tables.join('\n\n')}`;
}

function sizeSection(r: BenchResults): string {
  const s = r.size;
  if (!s) return '';
  const sdk = summarize(s.sdkMs);
  const rows = s.libs.map((l) => [
    `\`${l.id}\``,
    l.bytes !== undefined ? fmtBytes(l.bytes) : `failed: ${l.bundleError?.split('\n')[0] ?? ''}`,
    l.gzipBytes !== undefined ? fmtBytes(l.gzipBytes) : '–',
    l.coldMs.length ? `${fmtMs(median(l.coldMs))} <sub>(${fmtMs(Math.min(...l.coldMs))}–${fmtMs(Math.max(...l.coldMs))})</sub>` : (l.importError ?? '–'),
    l.afterSdkMs.length ? `${fmtMs(median(l.afterSdkMs))} <sub>(${fmtMs(Math.min(...l.afterSdkMs))}–${fmtMs(Math.max(...l.afterSdkMs))})</sub>` : '–',
    l.bundleAfterSdkMs.length ? `${fmtMs(median(l.bundleAfterSdkMs))} <sub>(${fmtMs(Math.min(...l.bundleAfterSdkMs))}–${fmtMs(Math.max(...l.bundleAfterSdkMs))})</sub>` : '–',
  ]);
  return `## Bundle size and import time\n\nesbuild ${s.esbuild} bundle of the whole entry (\`import * as lib\`), minified, ESM, platform node, with ${s.external.map((e) => `\`${e}\``).join(' and ')} external. Import time: \`await import()\` in a fresh node process, median of ${sdk.runs} run(s); "after SDK" first imports @aws-sdk/client-dynamodb (alone: ${fmtMs(sdk.median)}, ${fmtMs(sdk.min)}–${fmtMs(sdk.max)}), which is what the library adds to a Lambda cold start that loads the SDK anyway; "bundle" imports the minified bundle instead of the installed package (a Lambda deployed with a bundler).\n\n${table(['library', 'minified', 'gzip', 'import, cold', 'import, after SDK', 'import bundle, after SDK'], rows)}`;
}

interface TargetRow {
  target: string;
  measured: string;
  ok: boolean | undefined;
  /** The same ratio for the A/A control (floor-aa ÷ floor): what noise alone gives. */
  noise?: string;
}

/** floor-aa ÷ floor for one metric, when the control ran. */
function aaRatio(samples: Record<string, number[]> | undefined): number | undefined {
  if (!samples?.['floor-aa']?.length || !samples['floor']?.length) return undefined;
  return pairedRatio(samples['floor-aa']!, samples['floor']!).median;
}

function noiseSummary(r: BenchResults): string {
  const parts: string[] = [];
  const ip = r.inProcess;
  if (ip) {
    const v = IN_PROCESS_OPS.map((d) => aaRatio(ip.samples[d.id])).filter((x): x is number => x !== undefined);
    if (v.length) parts.push(`in-process ${fmtRatio(Math.min(...v))}–${fmtRatio(Math.max(...v))}`);
  }
  const e = r.e2e;
  if (e) {
    const v = E2E_SCENARIOS.map((d) => aaRatio(e.sliceSamples[d.id])).filter((x): x is number => x !== undefined);
    if (v.length) parts.push(`end-to-end time ${fmtRatio(Math.min(...v))}–${fmtRatio(Math.max(...v))}`);
  }
  return parts.length
    ? `A/A control: the floor run a second time as \`floor-aa\` measured ${parts.join(', ')} of the floor (medians per op/scenario). Differences of that size are noise, not a result.`
    : '';
}

function targetsSection(r: BenchResults): string {
  const subj = subject(r);
  const head = '## Targets';
  const noise = noiseSummary(r);
  if (!subj) {
    return `${head}\n\n${SUBJECT_NOTE} For reference, the figures the targets compare against are in the tables below (util-dynamodb, the floor, the fastest peer).${noise ? `\n\n${noise}` : ''}`;
  }
  const rows: TargetRow[] = [];
  const ip = r.inProcess;
  const inRatio = (op: string, ref: string | undefined): number | undefined => {
    const s = ip?.samples[op];
    if (!s || !ref || !s[subj]?.length || !s[ref]?.length) return undefined;
    return pairedRatio(s[subj]!, s[ref]!).median;
  };
  const add = (target: string, value: number | undefined, min: number, fmt: (n: number) => string = fmtRatio, higher = true, noise?: number) => {
    const row: TargetRow = { target, measured: value === undefined ? 'n/a' : fmt(value), ok: value === undefined ? undefined : higher ? value >= min : value <= min };
    if (noise !== undefined) row.noise = fmt(noise);
    rows.push(row);
  };
  if (ip) {
    const fp = (op: string) => fastestPeer(r, ip.samples[op] ?? {}, true);
    add('Put build + marshal ≥ 0.8× util-dynamodb', inRatio('put', 'util-dynamodb'), 0.8);
    add(`Put build + marshal ≥ 5× fastest peer (${fp('put') ?? '–'})`, inRatio('put', fp('put')), 5);
    add('Unmarshal ≥ 0.8× util-dynamodb', inRatio('unmarshal', 'util-dynamodb'), 0.8);
    add(`Unmarshal ≥ 3× fastest peer (${fp('unmarshal') ?? '–'})`, inRatio('unmarshal', fp('unmarshal')), 3);
    add('Query build ≥ 0.5× hand-written (floor)', inRatio('query', 'floor'), 0.5, fmtRatio, true, aaRatio(ip.samples['query']));
    add(`Query build ≥ 5× fastest peer (${fp('query') ?? '–'})`, inRatio('query', fp('query')), 5);
  }
  const e = r.e2e;
  if (e) {
    const t = (sc: string) => {
      const s = e.sliceSamples[sc];
      return s?.[subj]?.length && s['floor']?.length ? pairedRatio(s[subj]!, s['floor']!).median : undefined;
    };
    const pct = (n: number) => `${((n - 1) * 100).toFixed(1)}% vs floor`;
    add('E2E puts within 5% of the raw client', t('put'), 1.05, pct, false, aaRatio(e.sliceSamples['put']));
    add('E2E gets within 5% of the raw client', t('get'), 1.05, pct, false, aaRatio(e.sliceSamples['get']));
    add('E2E queries within 5% of the raw client', t('query'), 1.05, pct, false, aaRatio(e.sliceSamples['query']));
    const cg = e.sliceSamples['concurrentGets'];
    const speed = cg?.[subj]?.length && cg['floor']?.length ? pairedRatio(cg['floor']!, cg[subj]!).median : undefined;
    add('1,000 concurrent gets ≥ 5× faster than raw GetItem', speed, 5);
  }
  const tc = r.typecheck;
  for (const size of tc?.sizes ?? []) {
    const lib = size.libs.find((l) => l.id === subj);
    if (!lib) continue;
    const wall = median(lib.runs.map((x) => x.wallMs));
    const inst = median(lib.runs.map((x) => x.instantiations ?? Number.NaN));
    const others = size.libs.filter((l) => l.id === 'electrodb' || l.id === 'dynamodb-toolbox');
    const fastest = Math.min(...others.map((l) => median(l.runs.map((x) => x.wallMs))));
    const fewest = Math.min(...others.map((l) => median(l.runs.map((x) => x.instantiations ?? Number.NaN))));
    add(`${size.models} models type-check in under 3 s`, wall, 3000, fmtMs, false);
    add('… and faster than electrodb and dynamodb-toolbox', others.length ? wall / fastest : undefined, 1, (n) => `${fmtRatio(n)} the faster peer's time`, false);
    add('… with fewer instantiations than electrodb and dynamodb-toolbox', others.length ? inst / fewest : undefined, 1, (n) => `${fmtRatio(n)} the fewer peer's`, false);
  }
  const sz = r.size;
  if (sz) {
    const lib = sz.libs.find((l) => l.id === subj);
    const others = sz.libs.filter((l) => l.id === 'electrodb' || l.id === 'dynamodb-toolbox');
    if (lib?.bytes !== undefined && others.every((o) => o.bytes !== undefined)) {
      add('Core bundle smaller than electrodb and dynamodb-toolbox', lib.bytes / Math.min(...others.map((o) => o.bytes!)), 1, (n) => `${fmtRatio(n)} the smaller peer`, false);
    }
    if (lib?.afterSdkMs.length && others.every((o) => o.afterSdkMs.length)) {
      add(
        'Core imports faster than electrodb and dynamodb-toolbox',
        median(lib.afterSdkMs) / Math.min(...others.map((o) => median(o.afterSdkMs))),
        1,
        (n) => `${fmtRatio(n)} the faster peer`,
        false,
      );
    }
  }
  const tableRows = rows.map((x) => [x.target, x.measured, x.ok === undefined ? '–' : x.ok ? '✓ met' : '✗ missed', x.noise ?? '']);
  return `${head}\n\n${table(['target', 'measured', '', 'A/A control'], tableRows, ['l', 'r', 'l', 'r'])}\n\n${noise ? `${noise} ` : ''}Memory targets: see the Memory section.`;
}

/** The section of RESULTS.md: one titled table per part. */
function readHeavySection(r: ReadHeavyResult): string {
  const parts = r.parts.map((p) => `### ${p.title}\n\n${p.text}\n\n${table(p.head, p.rows, p.head.map((_, i) => (i === 0 ? 'l' : 'r')))}`);
  return `## Read-heavy workloads\n\n${parts.join('\n\n')}`;
}

/** The streams section: decoding through the model, and the reader's delivery latency. */
function streamsSection(r: StreamsResult): string {
  const parts = r.parts.map((p) => `### ${p.title}\n\n${p.text}\n\n${table(p.head, p.rows, p.head.map((_, i) => (i === 0 ? 'l' : 'r')))}`);
  return `## Streams\n\n${parts.join('\n\n')}`;
}

/** The retry policy draining the faulty-proxy scenario, against the raw SDK. */
function retrySection(r: RetryResult): string {
  return `## Retries under faults\n\n${r.text}\n\n${table(r.head, r.rows, r.head.map((_, i) => (i === 0 ? 'l' : 'r')))}`;
}

/** Metrics, analytics and hooks on against off and the raw SDK: CPU and wall time per request. */
function observeSection(r: ObserveResult): string {
  return `## The cost of observing\n\n${r.text}\n\n${table(r.head, r.rows, r.head.map((_, i) => (i === 0 ? 'l' : 'r')))}`;
}

/** Export and import of a raw table, against the raw SDK's scan and batch-write loop. */
function transferSection(r: TransferResult): string {
  return `## Export and import\n\n${r.text}\n\n${table(r.head, r.rows, r.head.map((_, i) => (i === 0 ? 'l' : 'r')))}`;
}

export function renderReport(r: BenchResults): string {
  const sections = [
    `# DynamORM benchmark results\n\nWritten by \`npm run bench\` (bench/run.ts) on ${r.date}.${r.quick ? ' **Quick smoke run: small sizes, few rounds; not figures to quote.**' : ''} How the figures are taken: bench/README.md.`,
    machineSection(r),
    contendersSection(r),
    targetsSection(r),
    checksSection(r),
    inProcessSection(r),
    e2eSection(r),
    r.cost === undefined ? '' : costSection(r.cost),
    r.readHeavy === undefined ? '' : readHeavySection(r.readHeavy),
    r.streams === undefined ? '' : streamsSection(r.streams),
    r.retry === undefined ? '' : retrySection(r.retry),
    r.observe === undefined ? '' : observeSection(r.observe),
    r.transfer === undefined ? '' : transferSection(r.transfer),
    memorySection(r),
    typecheckSection(r),
    sizeSection(r),
  ];
  if (r.errors.length) {
    sections.push(`## Errors\n\n${r.errors.map((e) => `- ${e.section}: ${e.message.replace(/\n/g, ' ')}`).join('\n')}`);
  }
  return sections.filter(Boolean).join('\n\n') + '\n';
}
