/** Helpers for the hand-written batch loops (floor, util-dynamodb, DocumentClient). */

export function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

const MAX_ATTEMPTS = 12;

/**
 * Sends `request`, then whatever the response reports unprocessed, with exponential back-off,
 * at most MAX_ATTEMPTS times (bounded: a stuck server fails the bench instead of hanging it).
 */
export async function retryUnprocessed<V>(
  request: Record<string, V>,
  send: (request: Record<string, V>) => Promise<Record<string, V> | undefined>,
): Promise<void> {
  let pending: Record<string, V> | undefined = request;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    pending = await send(pending);
    if (pending === undefined || Object.keys(pending).length === 0) return;
    await new Promise((r) => setTimeout(r, Math.min(1000, 5 * 2 ** attempt)));
  }
  throw new Error(`batch: still unprocessed after ${MAX_ATTEMPTS} attempts`);
}
