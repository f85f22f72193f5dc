/**
 * Runs tasks with at most `concurrency` in flight; every task runs, failures are the tasks' own
 * business. Once `signal` aborts no task starts (those running finish).
 */
export async function pool<T>(items: readonly T[], concurrency: number, run: (item: T) => Promise<void>, signal?: AbortSignal): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && signal?.aborted !== true) await run(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
}

/** Splits entries into chunks of at most `count` entries and `bytes` bytes. */
export function chunk<T extends { readonly size: number }>(entries: readonly T[], count: number, bytes: number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let size = 0;
  for (const e of entries) {
    if (current.length > 0 && (current.length === count || size + e.size > bytes)) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(e);
    size += e.size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
