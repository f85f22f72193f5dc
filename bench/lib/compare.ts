/**
 * Cross-checks: every contender must write the same items and read back the same model objects.
 * Comparisons ignore the attributes a library declares as its own (`ignoredAttributes`), compare
 * sets regardless of order, and return readable differences instead of throwing.
 */
import type { User } from '../model.js';
import type { AttributeMap } from '../contenders/types.js';

function normalize(value: unknown): unknown {
  if (value instanceof Set) return [...value].map(normalize).sort(compareJson);
  if (Array.isArray(value)) return value.map(normalize);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = normalize(v);
    }
    return out;
  }
  return value;
}

function compareJson(a: unknown, b: unknown): number {
  const x = JSON.stringify(a);
  const y = JSON.stringify(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function without<T extends object>(obj: T, ignored: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (!ignored.includes(k)) out[k] = v;
  return out;
}

/** AttributeValue sets (SS/NS/BS) are unordered. */
function normalizeAv(av: unknown): unknown {
  if (av === null || typeof av !== 'object') return av;
  const o = av as Record<string, unknown>;
  if (Array.isArray(o['SS'])) return { SS: [...(o['SS'] as string[])].sort() };
  if (Array.isArray(o['NS'])) return { NS: [...(o['NS'] as string[])].map(Number).sort((a, b) => a - b).map(String) };
  if (o['M'] !== undefined) {
    const m: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o['M'] as Record<string, unknown>)) m[k] = normalizeAv(v);
    return { M: m };
  }
  if (Array.isArray(o['L'])) return { L: (o['L'] as unknown[]).map(normalizeAv) };
  return o;
}

function diffJson(path: string, a: unknown, b: unknown, out: string[]): void {
  if (out.length >= 8) return;
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of [...keys].sort()) diffJson(path ? `${path}.${k}` : k, (a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], out);
    return;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${path}: ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`);
}

/** Differences between two canonical users (empty when equal). */
export function diffUsers(actual: User, expected: User, ignored: readonly string[] = []): string[] {
  const out: string[] = [];
  diffJson('', normalize(without(actual, ignored)), normalize(without(expected, ignored)), out);
  return out;
}

/** Differences between two AttributeValue items (empty when equal). */
export function diffItems(actual: AttributeMap, expected: AttributeMap, ignored: readonly string[] = []): string[] {
  const norm = (item: AttributeMap) => {
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(item)) if (!ignored.includes(k)) o[k] = normalizeAv(v);
    return normalize(o);
  };
  const out: string[] = [];
  diffJson('', norm(actual), norm(expected), out);
  return out;
}
