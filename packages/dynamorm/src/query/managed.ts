import { formatIso } from '../schema/codec/iso-date.js';
import type { ShapeEntry } from '../schema/codec/compile.js';

/** The current time in the form a createdAt/updatedAt attribute holds. */
export function timestampFor(entry: ShapeEntry, now: Date): Date | number | string {
  switch (entry.def.kind) {
    case 'number': return now.getTime();
    case 'string': return formatIso(now);
    default: return now;
  }
}
