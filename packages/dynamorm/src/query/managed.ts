import type { ShapeEntry } from '../schema/codec/compile.js';

/** The current time in the form a createdAt/updatedAt attribute holds. */
export function timestampFor(entry: ShapeEntry, now: Date): Date | number | string {
  switch (entry.def.kind) {
    case 'number': return now.getTime();
    case 'string': return now.toISOString();
    default: return now;
  }
}
