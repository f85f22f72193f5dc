/**
 * Read-heavy workloads: prepared query build against a hand-written request marshalled per call
 * (in process, no DynamoDB). Each part adds a titled table to RESULTS.md.
 */
import type { QueryCommandInput } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
// The built package, as users run it (like the DynamORM contender).
import { DynamORM } from '../packages/dynamorm/dist/index.js';
import { userModel } from './contenders/dynamorm.js';
import { calibrate, gc, timeIterations, type Op } from './lib/measure.js';
import { fmtRatio, median, pairedRatio } from './lib/stats.js';
import { GSI_EMAIL, MIN_AGE, QUERY_PREFIX } from './model.js';

export interface ReadHeavySizes {
  readonly rounds: number;
  readonly targetMs: number;
}
export const FULL_READ_HEAVY: ReadHeavySizes = { rounds: 7, targetMs: 200 };
export const QUICK_READ_HEAVY: ReadHeavySizes = { rounds: 2, targetMs: 25 };

/** One part of the section: a titled table, pre-formatted. */
export interface ReadHeavyPart {
  readonly title: string;
  readonly text: string;
  readonly head: string[];
  readonly rows: string[][];
}
export interface ReadHeavyResult {
  readonly parts: ReadHeavyPart[];
}

/** Ops/s of each op, rounds interleaved in rotated order, iterations calibrated per op. */
async function throughput(ops: Record<string, Op>, sizes: ReadHeavySizes): Promise<Record<string, number[]>> {
  const names = Object.keys(ops);
  const counts: Record<string, number> = {};
  const samples: Record<string, number[]> = {};
  for (const n of names) {
    // The first calibration warms the op up (JIT, lazy imports); the second counts.
    await calibrate(ops[n]!, false, sizes.targetMs);
    counts[n] = await calibrate(ops[n]!, false, sizes.targetMs);
    samples[n] = [];
  }
  for (let r = 0; r < sizes.rounds; r++) {
    for (let k = 0; k < names.length; k++) {
      const n = names[(k + r) % names.length]!;
      gc();
      const ms = await timeIterations(ops[n]!, counts[n]!, false);
      samples[n]!.push((counts[n]! / ms) * 1000);
    }
  }
  return samples;
}

const EMAILS = Array.from({ length: 256 }, (_, i) => `user${i}@example.com`);

/** The in-process query of bench/inprocess.ts (gsi-email, begins_with, filter age > n), built three ways. */
async function preparedBuild(sizes: ReadHeavySizes, log: (s: string) => void): Promise<ReadHeavyPart> {
  const table = 'bench_users';
  const User = userModel(table);
  const orm = new DynamORM({ region: 'us-east-1', autoMigrate: false });
  const users = orm.model(User);
  const built = (email: string) => users.index(GSI_EMAIL).where('email', '=', email).where('createdAt', 'begins_with', QUERY_PREFIX).filter('age', '>', MIN_AGE);
  const prepared = users.prepare((q, p: { email: string; prefix: string; min: number }) => q.index(GSI_EMAIL).where('email', '=', p.email).where('createdAt', 'begins_with', p.prefix).filter('age', '>', p.min));
  // What a careful user writes by hand: the expressions as constants, the values marshalled per call (and the TTL filter the model's reads carry).
  const handWritten = (email: string): QueryCommandInput => ({
    TableName: table,
    IndexName: GSI_EMAIL,
    KeyConditionExpression: '#email = :email AND begins_with(#createdAt, :prefix)',
    FilterExpression: '#age > :minAge AND (attribute_not_exists(#ttl) OR #ttl > :now)',
    ExpressionAttributeNames: { '#email': 'email', '#createdAt': 'createdAt', '#age': 'age', '#ttl': 'ttl' },
    ExpressionAttributeValues: marshall({ ':email': email, ':prefix': QUERY_PREFIX, ':minAge': MIN_AGE, ':now': Math.floor(Date.now() / 1000) }),
  });
  const mask = EMAILS.length - 1;
  // The same request, whichever way it is built.
  const a = prepared.explain({ email: EMAILS[1]!, prefix: QUERY_PREFIX, min: MIN_AGE }).request;
  const b = built(EMAILS[1]!).explain().request;
  if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`prepared and built requests differ:\n${JSON.stringify(a)}\n${JSON.stringify(b)}`);
  const samples = await throughput({
    'hand-written + marshall': (i) => handWritten(EMAILS[i & mask]!),
    'DynamORM builder': (i) => built(EMAILS[i & mask]!).explain().request,
    'DynamORM prepared': (i) => prepared.explain({ email: EMAILS[i & mask]!, prefix: QUERY_PREFIX, min: MIN_AGE }).request,
  }, sizes);
  const base = samples['hand-written + marshall']!;
  const rows = Object.entries(samples).map(([name, s]) => {
    const r = pairedRatio(s, base);
    return [name, `${Math.round(median(s)).toLocaleString('en-US')}/s`, fmtRatio(r.median), name === 'DynamORM prepared' ? (r.median >= 1 ? '✓ met' : '✗ missed') : ''];
  });
  log(`   prepared build: ${rows.map((r) => `${r[0]} ${r[1]} (${r[2]})`).join(', ')}`);
  return {
    title: 'Prepared query build',
    text: `Ops/s of building the Query request of the in-process section (index ${GSI_EMAIL}, \`email = …\`, \`begins_with(createdAt, …)\`, filter \`age > …\`, the TTL filter): with the builder per call, with \`orm.model(User).prepare(...)\` called with the values, and by hand with constant expressions and \`marshall()\` of the values per call. Median of ${sizes.rounds} interleaved rounds; ratio to the hand-written request taken round by round. Goal: prepared ≥ 1.0×.`,
    head: ['build', 'ops/s', 'ratio to hand-written', 'goal ≥ 1.0×'],
    rows,
  };
}

export async function runReadHeavy(sizes: ReadHeavySizes, log: (s: string) => void): Promise<ReadHeavyResult> {
  const parts: ReadHeavyPart[] = [];
  parts.push(await preparedBuild(sizes, log));
  return { parts };
}
