/**
 * Export and import of a table without a model: DynamORM's `orm.exportTable('table', file)` and
 * `orm.importTable('table', file)` against the raw SDK's parallel scan writing JSON lines and its
 * BatchWriteItem loop, on the same DynamoDB Local, the same segments and writes in flight. Each run
 * is a child process (bench/transfer-child.ts) started with --expose-gc, so its heap growth is its
 * own. The file imported is canonical DynamoDB JSON sorted by key, which DynamORM's export must give
 * back byte for byte. Reported: time, items/s, the ratio to the raw SDK, peak heap growth.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { REPO_ROOT } from './lib/machine.js';
import { makeClient } from './lib/setup.js';
import { fmtMs, fmtRatio, median } from './lib/stats.js';
import type { Check } from './verify.js';

export const SEGMENTS = 4;
export const WRITERS = 4;

export interface TransferSizes {
  readonly items: number;
  readonly rounds: number;
}
export const FULL_TRANSFER: TransferSizes = { items: 100_000, rounds: 2 };
export const QUICK_TRANSFER: TransferSizes = { items: 2_000, rounds: 1 };

export interface TransferResult {
  readonly text: string;
  readonly head: string[];
  readonly rows: string[][];
}

interface Run {
  readonly items: number;
  readonly ms: number;
  readonly baseHeap: number;
  readonly peakHeap: number;
}

const CHILD = join(REPO_ROOT, 'bench', 'transfer-child.ts');
const MiB = 2 ** 20;

/** Item i as a canonical export line: attributes and set elements sorted, zero-padded ids so that line order is key order. */
function line(i: number): string {
  const id = `item${String(i).padStart(7, '0')}`;
  return JSON.stringify({ Item: { body: { S: `body of ${id} `.repeat(4) }, id: { S: id }, n: { N: String(i * 7) }, nested: { M: { a: { BOOL: i % 2 === 0 }, b: { L: [{ N: '1' }, { S: 'x' }] } } }, tags: { SS: ['alpha', 'beta', `t${i % 10}`].sort() } } });
}

async function writeInput(file: string, items: number): Promise<void> {
  const out = createWriteStream(file);
  for (let i = 0; i < items; i++) if (!out.write(`${line(i)}\n`)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

function child(who: 'dynamorm' | 'raw', direction: 'export' | 'import', endpoint: string, table: string, file: string): Run {
  const res = spawnSync(process.execPath, ['--expose-gc', '--no-warnings', '--import', 'tsx', CHILD, who, direction, endpoint, table, file], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 30 * 60_000 });
  const last = res.stdout.trim().split('\n').pop() ?? '';
  if (res.status !== 0 || !last.startsWith('{')) throw new Error(`${who} ${direction} failed: ${(res.stderr || res.error?.message || 'no output').slice(-800)}`);
  return JSON.parse(last) as Run;
}

export async function runTransfer(endpoint: string, sizes: TransferSizes, log: (s: string) => void): Promise<{ result: TransferResult; checks: Check[] }> {
  const admin = makeClient(endpoint);
  const dir = mkdtempSync(join(tmpdir(), 'dynamorm-bench-transfer-'));
  const tables = { dynamorm: `bench_transfer_orm_${process.pid}`, raw: `bench_transfer_raw_${process.pid}` };
  const input = join(dir, 'input.jsonl');
  const runs = new Map<string, Run[]>();
  const checks: Check[] = [];
  try {
    await writeInput(input, sizes.items);
    for (let round = 0; round < sizes.rounds; round++) {
      for (const table of Object.values(tables)) {
        await admin.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
        await admin.send(new CreateTableCommand({ TableName: table, BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] }));
      }
      // Imports first (they fill the tables the exports read); who goes first alternates by round,
      // so that neither always meets a colder DynamoDB Local.
      const order = round % 2 === 0 ? (['raw', 'dynamorm'] as const) : (['dynamorm', 'raw'] as const);
      for (const direction of ['import', 'export'] as const) {
        for (const who of order) {
          const file = direction === 'import' ? input : join(dir, `${who}.jsonl`);
          const run = child(who, direction, endpoint, tables[who], file);
          runs.set(`${who} ${direction}`, [...(runs.get(`${who} ${direction}`) ?? []), run]);
          log(`   round ${round + 1}, ${who} ${direction}: ${run.items} items in ${fmtMs(run.ms)}, heap +${((run.peakHeap - run.baseHeap) / MiB).toFixed(1)} MiB`);
        }
      }
      const exported = readFileSync(join(dir, 'dynamorm.jsonl'));
      const same = exported.equals(readFileSync(input));
      checks.push({ contender: 'DynamORM', check: `transfer: the export of the imported ${sizes.items} items is the input file, byte for byte`, ok: same, details: same ? [] : [`${exported.length} bytes exported, ${readFileSync(input).length} imported`] });
      const rawLines = readFileSync(join(dir, 'raw.jsonl'), 'utf8').trimEnd().split('\n').length;
      checks.push({ contender: 'raw SDK', check: `transfer: the raw export holds ${sizes.items} lines`, ok: rawLines === sizes.items, details: rawLines === sizes.items ? [] : [`${rawLines} lines`] });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    for (const table of Object.values(tables)) await admin.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
    admin.destroy();
  }
  const rows = (['import', 'export'] as const).flatMap((direction) => (['dynamorm', 'raw'] as const).map((who) => {
    const of = (w: 'dynamorm' | 'raw'): Run[] => runs.get(`${w} ${direction}`) ?? [];
    const ms = median(of(who).map((r) => r.ms));
    const rate = (w: 'dynamorm' | 'raw'): number => sizes.items / (median(of(w).map((r) => r.ms)) / 1000);
    return [
      `${direction}: ${who === 'dynamorm' ? `DynamORM orm.${direction}Table('table', file)` : direction === 'export' ? 'raw SDK parallel Scan, JSON lines' : 'raw SDK BatchWriteItem loop'}`,
      fmtMs(ms), rate(who).toFixed(0), fmtRatio(rate(who) / rate('raw')), `${(Math.max(...of(who).map((r) => r.peakHeap - r.baseHeap)) / MiB).toFixed(1)} MiB`,
    ];
  }));
  const text = `${sizes.items.toLocaleString('en-US')} items of about 200 bytes, ${sizes.rounds} round(s) (median; who goes first alternates), each run a child process started with --expose-gc (heap: the most it grew, over all rounds, above the heap after a GC before the run, sampled every 5 ms). ${SEGMENTS} scan segments and ${WRITERS} batch writes in flight on both sides. DynamORM's export is sorted by key (an external merge sort, runs of 20,000 lines) and checked equal to the input file; its import reads the file twice (every line checked before anything is written). The raw export writes the scan's order, unsorted. Throughput ratio: DynamORM's items/s over the raw SDK's (goal ≥ 0.8×); heap goal < 100 MiB whatever the table size.`;
  return { result: { text, head: ['', 'time', 'items/s', 'vs raw SDK', 'peak heap growth'], rows }, checks };
}
