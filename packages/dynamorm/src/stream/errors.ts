import { DynamORMError, type ValidationIssue } from '../errors/errors.js';
import type { StreamRecordLike } from './record.js';

/**
 * A stream record that was not delivered to a change handler, or whose handler failed:
 * - `stream.unknownModel`: no model of the stream's table claims it (its discriminator names no
 *   model given, and its key fits no model's key templates);
 * - `stream.invalidImage`: its image does not fit the model any longer (`issues` lists why);
 * - `stream.noImage`: an insert or modify without the new image (a KEYS_ONLY or OLD_IMAGE stream);
 * - `stream.handlerFailed`: the change handler threw (`cause`).
 */
export class StreamRecordError extends DynamORMError {
  readonly record: StreamRecordLike;
  readonly issues: readonly ValidationIssue[];
  constructor(
    code: 'stream.unknownModel' | 'stream.invalidImage' | 'stream.noImage' | 'stream.handlerFailed',
    message: string,
    details: { readonly record: StreamRecordLike; readonly model?: string | undefined; readonly issues?: readonly ValidationIssue[]; readonly cause?: unknown },
  ) {
    const seq = details.record.dynamodb?.SequenceNumber;
    super(code, `stream record${seq === undefined ? '' : ` ${seq}`}${details.model === undefined ? '' : ` of ${details.model}`}: ${message}`, {
      op: 'stream',
      model: details.model,
      cause: details.cause,
      context: { sequenceNumber: seq, eventName: details.record.eventName },
    });
    this.record = details.record;
    this.issues = details.issues ?? [];
  }
}

/** The stream reader could not go on: no stream on the table, the streams client missing, a request failing. */
export class StreamReaderError extends DynamORMError {
  constructor(code: 'stream.notEnabled' | 'stream.clientMissing' | 'stream.readFailed' | 'stream.checkpointFailed', message: string, details: { readonly table?: string | undefined; readonly cause?: unknown } = {}) {
    super(code, message, { op: 'stream', cause: details.cause, context: { table: details.table } });
  }
}
