import type { Operation } from '../driver/driver.js';
import { merged } from '../util/merged.js';

/** Capacity a response consumed, as DynamoDB reported it (ReturnConsumedCapacity). */
export interface ConsumedCapacity {
  /** Read capacity units (of the table and its indexes). */
  readonly rcu: number;
  /** Write capacity units (of the table and its indexes). */
  readonly wcu: number;
  /** The units of each table and index: `Users`, `Users/gsi-email`. */
  readonly byTarget: Readonly<Record<string, number>>;
}

interface Units { CapacityUnits?: number; ReadCapacityUnits?: number; WriteCapacityUnits?: number }
interface Reported extends Units {
  TableName?: string;
  Table?: Units;
  GlobalSecondaryIndexes?: Record<string, Units>;
  LocalSecondaryIndexes?: Record<string, Units>;
}

// The operations that can report what they consumed, and the units they consume.
const KIND: ReadonlyMap<Operation, 'read' | 'write'> = new Map([
  ['GetItem', 'read'], ['Query', 'read'], ['Scan', 'read'], ['BatchGetItem', 'read'], ['TransactGetItems', 'read'],
  ['PutItem', 'write'], ['UpdateItem', 'write'], ['DeleteItem', 'write'], ['BatchWriteItem', 'write'], ['TransactWriteItems', 'write'],
]);

/**
 * `input` asking DynamoDB for what it consumes, per table and index: INDEXES only where an index
 * shares the cost (a write updates every index; a read of an index), TOTAL otherwise (a read
 * charges only the table it names, so it is reported the same), since the longer answer costs
 * the SDK CPU to parse. An input that already asks is left as it is.
 */
export function askingForCapacity<I extends object>(command: Operation, input: I): I {
  const kind = KIND.get(command);
  const asked = input as { ReturnConsumedCapacity?: string; IndexName?: string };
  if (kind === undefined || asked.ReturnConsumedCapacity !== undefined) return input;
  return merged(input, { ReturnConsumedCapacity: kind === 'write' || asked.IndexName !== undefined ? 'INDEXES' : 'TOTAL' }) as I;
}

/** The capacity an output reports, or undefined when it reports none. Units are read or write by the operation when DynamoDB does not split them. */
export function consumedCapacity(command: Operation, output: unknown): ConsumedCapacity | undefined {
  const reported = (output as { ConsumedCapacity?: Reported | Reported[] } | undefined)?.ConsumedCapacity;
  if (reported === undefined) return undefined;
  const read = KIND.get(command) === 'read';
  let rcu = 0;
  let wcu = 0;
  const byTarget: Record<string, number> = {};
  for (const c of Array.isArray(reported) ? reported : [reported]) {
    const total = c.CapacityUnits ?? 0;
    if (c.ReadCapacityUnits !== undefined || c.WriteCapacityUnits !== undefined) {
      rcu += c.ReadCapacityUnits ?? 0;
      wcu += c.WriteCapacityUnits ?? 0;
    } else if (read) rcu += total;
    else wcu += total;
    const table = c.TableName ?? '';
    byTarget[table] = (byTarget[table] ?? 0) + (c.Table?.CapacityUnits ?? total);
    for (const indexes of [c.GlobalSecondaryIndexes, c.LocalSecondaryIndexes]) {
      for (const name in indexes) byTarget[`${table}/${name}`] = (byTarget[`${table}/${name}`] ?? 0) + (indexes[name]!.CapacityUnits ?? 0);
    }
  }
  return { rcu, wcu, byTarget };
}

/** Items DynamoDB read (and charged for) and the items it returned; a filter drops the difference. */
export function itemCounts(command: Operation, output: unknown): { read: number; returned: number } {
  const o = output as { Count?: number; ScannedCount?: number; Item?: unknown; Responses?: Record<string, unknown[]> | readonly { Item?: unknown }[] };
  switch (command) {
    case 'Query': case 'Scan': return { read: o.ScannedCount ?? o.Count ?? 0, returned: o.Count ?? 0 };
    case 'GetItem': { const n = o.Item === undefined ? 0 : 1; return { read: n, returned: n }; }
    case 'BatchGetItem': {
      let n = 0;
      for (const t in o.Responses) n += (o.Responses as Record<string, unknown[]>)[t]!.length;
      return { read: n, returned: n };
    }
    case 'TransactGetItems': {
      const n = ((o.Responses ?? []) as readonly { Item?: unknown }[]).filter((r) => r.Item !== undefined).length;
      return { read: n, returned: n };
    }
    default: return { read: 0, returned: 0 };
  }
}
