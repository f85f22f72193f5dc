import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { camelName, propertyKey, quote } from './naming.js';

/** An inferred attribute type: the `t.*` expression, whether NULL occurs, and what the reader should check. */
export interface InferredType {
  readonly expr: string;
  readonly nullable: boolean;
  readonly notes: readonly string[];
}

type Tag = keyof AttributeValue & string;

const tagOf = (v: AttributeValue): Tag => Object.keys(v).find((k) => k !== '$unknown') as Tag;

/** ISO-8601 text that reads back to the same text through Date (what t.date() stores). */
export const isIsoDate = (s: string): boolean => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(s) && !Number.isNaN(Date.parse(s)) && new Date(s).toISOString() === s;

const ENUM_VALUE = /^[A-Za-z][A-Za-z0-9_.:-]*$/;
const DATE_NAME = /(_at|At|_on|On|date|Date|time|Time|timestamp|Timestamp)$/;
const MAX_ENUM_VALUES = 10;

/** A number written back from a JavaScript number gives the same value (no digits lost). */
const exactAsNumber = (n: string): boolean => {
  const value = Number(n);
  return Number.isFinite(value) && (Number.isSafeInteger(value) || !/^-?\d+$/.test(n.trim())) && Number(String(value)) === value && significantDigits(n) <= 15;
};
const significantDigits = (n: string): number => n.replace(/^-/, '').replace(/e.*$/i, '').replace('.', '').replace(/^0+/, '').length;

function inferStrings(name: string, values: readonly string[], notes: string[]): string {
  if (values.length > 0 && values.every(isIsoDate)) return 't.date()';
  const distinct = [...new Set(values)].sort();
  const recurring = distinct.length <= MAX_ENUM_VALUES && distinct.length * 2 <= values.length && values.length >= 4;
  if (recurring && !/id$/i.test(name) && distinct.every((v) => ENUM_VALUE.test(v))) {
    notes.push(`enum of the ${distinct.length} values seen in ${values.length} sampled items: a value outside them would not read; use t.string() if the set is open`);
    return `t.enum([${distinct.map(quote).join(', ')}])`;
  }
  return 't.string()';
}

function inferNumbers(name: string, values: readonly string[], notes: string[]): string {
  const integers = values.every((n) => /^-?\d+$/.test(n));
  if (integers && values.some((n) => !Number.isSafeInteger(Number(n)))) return 't.bigint()';
  if (!values.every(exactAsNumber)) {
    notes.push('some values have more digits than a JavaScript number keeps: reading and writing back would round them; consider t.custom() with a decimal type');
    return 't.number()';
  }
  if (integers && DATE_NAME.test(name) && values.length > 0) {
    const numbers = values.map(Number);
    const within = (lo: number, hi: number): boolean => numbers.every((n) => n >= lo && n < hi);
    if (within(1e11, 1e14)) {
      notes.push('a date stored as epoch milliseconds (by its name and values); t.number() if it is not a date');
      return "t.date({ storeAs: 'epochMillis' })";
    }
    if (within(1e8, 1e11)) {
      notes.push('a date stored as epoch seconds (by its name and values); t.number() if it is not a date');
      return "t.date({ storeAs: 'epochSeconds' })";
    }
  }
  return 't.number()';
}

/** The members of a nested map: its property schemas when its shape is stable, else undefined. */
function inferObject(maps: readonly Record<string, AttributeValue>[], notes: string[], path: string): string | undefined {
  const counts = new Map<string, number>();
  for (const m of maps) for (const key of Object.keys(m)) counts.set(key, (counts.get(key) ?? 0) + 1);
  // Stable: a bounded set of keys, each in at least half of the maps (else it is a dictionary).
  const stable = counts.size > 0 && counts.size <= 30 && [...counts.values()].every((n) => n * 2 >= maps.length);
  if (!stable) return undefined;
  const taken = new Set<string>();
  const members = [...counts.keys()].sort().map((key) => {
    let prop = camelName(key);
    while (taken.has(prop)) prop = `${prop}_`;
    taken.add(prop);
    const values = maps.map((m) => m[key]).filter((v): v is AttributeValue => v !== undefined);
    const inner = inferType(key, values, maps.length, `${path}.${key}`);
    for (const note of inner.notes) notes.push(`${path}.${key}: ${note}`);
    return `${propertyKey(prop)}: ${withPresence(inner, values.length < maps.length)}${prop === key ? '' : `.field(${quote(key)})`}`;
  });
  return `t.object({ ${members.join(', ')} })`;
}

/** `expr` with `.nullable()` / `.optional()` as the values require. */
export function withPresence(type: InferredType, optional: boolean): string {
  return `${type.expr}${type.nullable ? '.nullable()' : ''}${optional ? '.optional()' : ''}`;
}

/**
 * The `t.*` type of an attribute from its sampled values (NULLs included; items lacking it are
 * the caller's `optional`). Mixed kinds become `t.unknown()` with a note, never a guess.
 */
export function inferType(name: string, values: readonly AttributeValue[], _present: number, path = name): InferredType {
  const notes: string[] = [];
  const nonNull = values.filter((v) => tagOf(v) !== 'NULL');
  const nullable = nonNull.length < values.length;
  const tags = [...new Set(nonNull.map(tagOf))];
  if (tags.length === 0) {
    notes.push('only NULL was seen: its type is unknown');
    return { expr: 't.unknown()', nullable: false, notes };
  }
  if (tags.length > 1) {
    notes.push(`stored with several types (${tags.join(', ')}): read as t.unknown()`);
    return { expr: 't.unknown()', nullable: false, notes };
  }
  const tag = tags[0]!;
  let expr: string;
  switch (tag) {
    case 'S': expr = inferStrings(name, nonNull.map((v) => v.S!), notes); break;
    case 'N': expr = inferNumbers(name, nonNull.map((v) => v.N!), notes); break;
    case 'B': expr = 't.binary()'; break;
    case 'BOOL': expr = 't.boolean()'; break;
    case 'SS': expr = 't.stringSet()'; break;
    case 'NS': expr = 't.numberSet()'; break;
    case 'BS': expr = 't.binarySet()'; break;
    case 'L': {
      const elements = nonNull.flatMap((v) => v.L!);
      if (elements.length === 0) {
        notes.push('every sampled list was empty: element type unknown');
        expr = 't.list(t.unknown())';
        break;
      }
      const inner = inferType(name, elements, elements.length, `${path}[]`);
      notes.push(...inner.notes.map((n) => `${path}[]: ${n}`));
      expr = `t.list(${withPresence(inner, false)})`;
      break;
    }
    case 'M': {
      const maps = nonNull.map((v) => v.M!);
      const object = inferObject(maps, notes, path);
      if (object !== undefined) { expr = object; break; }
      const inner = inferType(name, maps.flatMap((m) => Object.values(m)), 0, `${path}{}`);
      const uniform = inner.expr !== 't.unknown()' && inner.notes.length === 0;
      expr = uniform ? `t.map(${withPresence(inner, false)})` : 't.map(t.unknown())';
      break;
    }
    default:
      notes.push(`stored as ${tag}, which codegen does not know: read as t.unknown()`);
      expr = 't.unknown()';
  }
  return { expr, nullable, notes };
}
