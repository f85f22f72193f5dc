import type { DynamORM } from '../orm.js';
import type { AnyModel } from '../schema/model.js';
import { StreamDecoder } from './decode.js';
import { tableOfArn, type StreamRecordLike } from './record.js';

/**
 * The decoder of each table a record may come from, over every model the ORM knows in that table
 * (so a record of a known model without a handler is recognised, not reported as unknown).
 */
export function streamDecoders(orm: DynamORM, models: readonly AnyModel[]): { of(record: StreamRecordLike): StreamDecoder } {
  orm.register(...models);
  const decoders = new Map<string, StreamDecoder>();
  const decoder = (table: string): StreamDecoder => {
    let d = decoders.get(table);
    if (d === undefined) decoders.set(table, (d = new StreamDecoder(table, orm.models().filter((m) => orm.tableName(m) === table))));
    return d;
  };
  const tables = [...new Set(models.map((m) => orm.tableName(m)))];
  // The records of a batch share their source: its table is looked up once.
  let lastArn: string | undefined;
  let last: StreamDecoder | undefined;
  return {
    of: (record) => {
      if (last !== undefined && record.eventSourceARN === lastArn) return last;
      lastArn = record.eventSourceARN;
      // A record without its source (built by hand) is read as a record of the only table, when there is one.
      return (last = decoder(tableOfArn(lastArn) ?? (tables.length === 1 ? tables[0]! : '')));
    },
  };
}
