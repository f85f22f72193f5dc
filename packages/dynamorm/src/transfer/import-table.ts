import type { AttributeValue, WriteRequest } from '@aws-sdk/client-dynamodb';
import { constants, createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { BatchWriteError } from '../batch/errors.js';
import { batchWriteStored } from '../batch/write.js';
import { DynamORMError, ValidationError } from '../errors/errors.js';
import type { Session } from '../query/session.js';
import type { AnyModel } from '../schema/model.js';
import { parseItemLine } from './dynamodb-json.js';
import type { TransferProgress, TransferTarget } from './export-table.js';

type Stored = Record<string, AttributeValue>;

export interface ImportOptions {
  readonly onProgress?: ((progress: TransferProgress) => void) | undefined;
  /** The first line to import (1-based; default 1): after an interruption, the last reported `line` + 1. */
  readonly fromLine?: number | undefined;
  /** Lines written per group (default 1,000): each group is validated, then batch-written with its unprocessed items retried. */
  readonly groupSize?: number | undefined;
  /**
   * Read the whole file once first, checking every line (JSON, DynamoDB JSON, the model), so a
   * bad line anywhere is reported before anything is written (default true).
   */
  readonly checkFirst?: boolean | undefined;
}

export interface ImportResult {
  readonly file: string;
  readonly items: number;
  /** The last line read. */
  readonly lines: number;
  readonly durationMs: number;
}

/** A line that is not an item of the model (or of the raw table): its number and what is wrong. */
function badLine(file: string, line: number, target: TransferTarget, error: unknown): DynamORMError {
  const what = error instanceof ValidationError ? error.issues.map((i) => i.message).join('; ') : (error as Error).message;
  const subject = target.raw === true ? `item of table ${target.table}` : target.model.name;
  return new DynamORMError('import.invalidLine', `importTable: ${file}:${line} is not a valid ${subject}: ${what}`, {
    op: 'importTable', model: target.raw === true ? undefined : target.model.name, cause: error, context: { file, line, table: target.table },
  });
}

/**
 * The stored item of a line, checked through the model (its item as DynamoDB would hold it); a raw
 * table's model of key attributes checks that the line holds the key with its types.
 */
function readLine(text: string, lineNo: number, file: string, target: TransferTarget): Stored {
  const { model } = target;
  try {
    const item = parseItemLine(text);
    if (!model.owns(item)) throw new Error(`it is not an item of ${model.name} (its discriminator)`);
    model.unmarshal(item, 'importTable');
    return item;
  } catch (error) {
    throw badLine(file, lineNo, target, error);
  }
}

/** A file import cannot read: which, and why, before anything is written. */
async function checkReadable(file: string, target: TransferTarget): Promise<void> {
  try {
    await access(file, constants.R_OK);
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new DynamORMError('import.unreadableFile', `importTable: cannot read ${file} (${why}); nothing was written to ${target.table}`, {
      op: 'importTable', model: target.raw === true ? undefined : target.model.name, cause: error, context: { file, table: target.table },
    });
  }
}

async function* lines(file: string): AsyncGenerator<{ text: string; no: number }> {
  let no = 0;
  for await (const text of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    no++;
    if (text.trim() !== '') yield { text, no };
  }
}

/**
 * Writes the items of a JSON Lines file of DynamoDB JSON (what exportTable writes, or DynamoDB's
 * own exports) to a table: each item checked through the model, in batches whose unprocessed
 * items are retried, streamed (a group of lines in memory at a time).
 */
export async function importTable(session: Session, target: TransferTarget, file: string, options: ImportOptions = {}): Promise<ImportResult> {
  const { model } = target;
  await checkReadable(file, target);
  const started = Date.now();
  const from = options.fromLine ?? 1;
  if (!Number.isInteger(from) || from < 1) throw new DynamORMError('import.invalidOption', `importTable: fromLine is a line number from 1, not ${from}`, { op: 'importTable', model: model.name });
  if (options.checkFirst !== false) {
    for await (const { text, no } of lines(file)) if (no >= from) readLine(text, no, file, target);
  }
  const groupSize = options.groupSize ?? 1000;
  let items = 0;
  let last = from - 1;
  const progress = (): TransferProgress => {
    const elapsedMs = Date.now() - started;
    return { items, line: last, ratePerSecond: elapsedMs === 0 ? 0 : Math.round(items / (elapsedMs / 1000)), elapsedMs };
  };
  const write = async (group: WriteRequest[], lastLine: number): Promise<void> => {
    try {
      await batchWriteStored(session, model, 'importTable', group);
    } catch (error) {
      if (error instanceof BatchWriteError) {
        throw new DynamORMError('import.incomplete', `importTable: ${error.message}; lines up to ${last} are written: run again with { fromLine: ${last + 1} }`, { op: 'importTable', model: model.name, cause: error, context: { file, line: last } });
      }
      throw error;
    }
    items += group.length;
    last = lastLine;
    options.onProgress?.(progress());
  };
  // One group is written while the next is read and checked; groups are written in order, so
  // `last` (what fromLine resumes after) only ever covers lines that are written.
  let writing: Promise<void> = Promise.resolve();
  const next = async (group: WriteRequest[], lastLine: number): Promise<void> => {
    await writing;
    writing = write(group, lastLine);
    writing.catch(() => undefined); // awaited before the next group or at the end
  };
  let group: WriteRequest[] = [];
  let lastLine = last;
  try {
    for await (const { text, no } of lines(file)) {
      if (no < from) continue;
      group.push({ PutRequest: { Item: readLine(text, no, file, target) } });
      lastLine = no;
      if (group.length >= groupSize) {
        await next(group, lastLine);
        group = [];
      }
    }
  } catch (error) {
    await writing.catch(() => undefined); // a bad line (checkFirst: false) ends the import once the group in flight is written
    throw error;
  }
  if (group.length > 0) await next(group, lastLine);
  await writing;
  return { file, items, lines: lastLine, durationMs: Date.now() - started };
}
