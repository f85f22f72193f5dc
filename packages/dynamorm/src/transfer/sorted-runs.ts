import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';

/** Writes a line, waiting when the stream's buffer is full: memory stays bounded. */
export async function writeLine(out: Writable, line: string): Promise<void> {
  if (!out.write(`${line}\n`)) await once(out, 'drain');
}

export async function closeStream(out: Writable): Promise<void> {
  out.end();
  await once(out, 'finish');
}

/**
 * An external merge sort of lines by a key: lines are buffered up to `runSize`, each full buffer
 * sorted and written to a run file, and the runs merged into the output. Memory holds a few
 * buffers and one line per run, whatever the number of lines.
 */
export class SortedRuns {
  private buffer: { key: string; line: string }[] = [];
  private readonly runs: string[] = [];
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly base: string, private readonly runSize: number) {}

  /**
   * Adds a line; resolves when it is buffered. A full buffer is sorted and written out while the
   * next one fills: the caller that filled it waits only until the buffer before it is written, so
   * a few buffers at most are in memory and the scan goes on meanwhile.
   */
  async add(key: string, line: string): Promise<void> {
    this.buffer.push({ key, line });
    if (this.buffer.length >= this.runSize) {
      const previous = this.flushing;
      this.spill().catch(() => undefined); // a failed write rejects the next add, writeTo or discard
      await previous;
    }
  }

  private spill(): Promise<void> {
    const lines = this.buffer;
    this.buffer = [];
    const path = `${this.base}.run${this.runs.length}`;
    this.runs.push(path);
    this.flushing = this.flushing.then(async () => {
      lines.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      const out = createWriteStream(path);
      // The key goes first, tab-separated: JSON text holds no raw tab.
      for (const l of lines) await writeLine(out, `${l.key}\t${l.line}`);
      await closeStream(out);
    });
    return this.flushing;
  }

  /** Writes every line, sorted by key, to `out`, and removes the runs. */
  async writeTo(out: Writable): Promise<void> {
    if (this.runs.length === 0) {
      this.buffer.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      for (const l of this.buffer) await writeLine(out, l.line);
      this.buffer = [];
      return;
    }
    if (this.buffer.length > 0) await this.spill();
    await this.flushing;
    const readers = this.runs.map((path) => createInterface({ input: createReadStream(path), crlfDelay: Infinity })[Symbol.asyncIterator]());
    try {
      const heads: ({ key: string; line: string } | undefined)[] = await Promise.all(readers.map((r) => next(r)));
      for (;;) {
        let min = -1;
        for (let i = 0; i < heads.length; i++) if (heads[i] !== undefined && (min < 0 || heads[i]!.key < heads[min]!.key)) min = i;
        if (min < 0) break;
        await writeLine(out, heads[min]!.line);
        heads[min] = await next(readers[min]!);
      }
    } finally {
      await Promise.all(this.runs.map((path) => rm(path, { force: true })));
    }
  }

  /** Removes the runs written so far (after a failure). */
  async discard(): Promise<void> {
    await this.flushing.catch(() => undefined);
    await Promise.all(this.runs.map((path) => rm(path, { force: true })));
  }
}

async function next(reader: AsyncIterator<string>): Promise<{ key: string; line: string } | undefined> {
  const r = await reader.next();
  if (r.done === true) return undefined;
  const tab = (r.value as string).indexOf('\t');
  return { key: (r.value as string).slice(0, tab), line: (r.value as string).slice(tab + 1) };
}
