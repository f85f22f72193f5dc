/**
 * Throughput of one in-process operation. Bounded loops only: calibration doubles the iteration
 * count up to a cap, and a run is a fixed number of iterations.
 */
import { performance } from 'node:perf_hooks';

/** An operation under test; `i` selects the input from the contender's prepared pool. */
export type Op = (i: number) => unknown;

// Results land here so the engine cannot drop the calls.
let sink: unknown;
export function lastSink(): unknown {
  return sink;
}

export function isAsync(op: Op): boolean {
  const r = op(0);
  if (r instanceof Promise) {
    r.catch(() => undefined);
    return true;
  }
  return false;
}

/** Runs `op` n times and returns the elapsed milliseconds. */
export async function timeIterations(op: Op, n: number, async: boolean): Promise<number> {
  if (async) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) sink = await op(i);
    return performance.now() - t0;
  }
  const t0 = performance.now();
  for (let i = 0; i < n; i++) sink = op(i);
  return performance.now() - t0;
}

const MAX_ITERATIONS = 50_000_000;

/**
 * The iteration count that makes one run last about `targetMs`. Doubles from 1 until a batch
 * takes at least `targetMs / 4` (this doubles as the warm-up), then scales.
 */
export async function calibrate(op: Op, async: boolean, targetMs: number): Promise<number> {
  let n = 1;
  for (;;) {
    const ms = await timeIterations(op, n, async);
    if (ms >= targetMs / 4 || n >= MAX_ITERATIONS) {
      const perOp = Math.max(ms, 1e-3) / n;
      return Math.max(1, Math.min(MAX_ITERATIONS, Math.round(targetMs / perOp)));
    }
    n *= 2;
  }
}

export function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (typeof g === 'function') g();
}

/** A worker pool: `count` tasks, at most `concurrency` in flight. Returns elapsed ms. */
export async function pool(count: number, concurrency: number, task: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return performance.now() - t0;
}
