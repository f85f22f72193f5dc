import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { scanPage } from '../table/scan-page.js';
import type { Session } from '../query/session.js';
import type { AnyModel } from '../schema/model.js';
import { attributeText, itemLine } from './dynamodb-json.js';
import { closeStream, SortedRuns } from './sorted-runs.js';

type Stored = Record<string, AttributeValue>;

/** Where an export or import is. */
export interface TransferProgress {
  /** Items written to the file (export) or to the table (import) so far. */
  readonly items: number;
  /** An import's last line written: restart with `fromLine: line + 1`. */
  readonly line?: number;
  /** DynamoDB's item count of the table (export; updated about every six hours on AWS). */
  readonly estimatedTotal?: number | undefined;
  readonly ratePerSecond: number;
  readonly elapsedMs: number;
}

export interface ExportOptions {
  readonly onProgress?: ((progress: TransferProgress) => void) | undefined;
  /** Parallel scan segments (default 4). */
  readonly segments?: number | undefined;
  /** Lines sorted in memory at a time before they are spilled to a run file next to the output (default 20,000). */
  readonly runSize?: number | undefined;
}

export interface ExportResult {
  /** The file written; undefined when the lines went to a stream. */
  readonly file: string | undefined;
  readonly items: number;
  readonly durationMs: number;
}

/** What both directions work on: a model's items in its table, or every item of a table without a model. */
export interface TransferTarget {
  readonly table: string;
  /** The model, or for a raw table a model of its key attributes only (see tableModel). */
  readonly model: AnyModel;
  /** A table without a model: lines are checked as DynamoDB JSON holding the table's key, not through a model. */
  readonly raw?: boolean | undefined;
}

/** The key of a stored item as a sortable string: the key fields' canonical JSON. */
const sortKey = (item: Stored, keyFields: readonly string[]): string => `[${keyFields.map((f) => (item[f] === undefined ? 'null' : attributeText(item[f]!))).join(',')}]`;

/**
 * Writes every item of a model (in a table shared by several, the model's own), or of a raw table, to `destination` as JSON Lines of DynamoDB JSON:
 * a parallel scan, streamed through an external sort by primary key, so that the same items give
 * the same file byte for byte (whatever order the scan returned them in) and memory holds one
 * sort buffer whatever the table's size. A file appears complete or not at all (written aside, then renamed);
 * a stream (stdout) receives the lines as the merge produces them and is left open.
 */
export async function exportTable(session: Session, target: TransferTarget, destination: string | Writable, options: ExportOptions = {}): Promise<ExportResult> {
  const { table, model } = target;
  const started = Date.now();
  const described = (await session.send('DescribeTable', { TableName: table }, 'exportTable', model)).Table;
  const keyFields = (described?.KeySchema ?? []).map((k) => k.AttributeName!);
  const segments = options.segments ?? 4;
  const file = typeof destination === 'string' ? destination : undefined;
  // Run files go next to the output file, or in a directory of their own for a stream.
  const scratch = file === undefined ? await mkdtemp(join(tmpdir(), 'dynamorm-export-')) : undefined;
  const partial = file === undefined ? join(scratch!, 'export') : `${file}.partial`;
  const runs = new SortedRuns(partial, options.runSize ?? 20_000);
  let items = 0;
  const progress = (): TransferProgress => {
    const elapsedMs = Date.now() - started;
    return { items, estimatedTotal: described?.ItemCount, ratePerSecond: elapsedMs === 0 ? 0 : Math.round(items / (elapsedMs / 1000)), elapsedMs };
  };
  // Each segment asks for its next page before it encodes the page it has: DynamoDB's latency and
  // the encoding overlap (two pages a segment in memory at most).
  const segment = async (index: number): Promise<void> => {
    let page = scanPage(session, 'exportTable', model, table, index, segments, undefined);
    for (;;) {
      const out = await page;
      const start = out.LastEvaluatedKey;
      if (start !== undefined) {
        page = scanPage(session, 'exportTable', model, table, index, segments, start);
        page.catch(() => undefined); // awaited on the next turn; a failure of this page ends the export there
      }
      for (const item of out.Items ?? []) {
        if (!model.owns(item)) continue;
        await runs.add(sortKey(item, keyFields), itemLine(item));
        items++;
      }
      options.onProgress?.(progress());
      if (start === undefined) return;
    }
  };
  try {
    await Promise.all(Array.from({ length: segments }, (_, i) => segment(i)));
    if (typeof destination !== 'string') {
      await runs.writeTo(destination);
    } else {
      const out = createWriteStream(partial);
      await runs.writeTo(out);
      await closeStream(out);
      await rename(partial, destination);
    }
  } catch (error) {
    await runs.discard();
    if (file !== undefined) await rm(partial, { force: true });
    throw error;
  } finally {
    if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
  }
  return { file, items, durationMs: Date.now() - started };
}
