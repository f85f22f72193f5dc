/** An issue found while encoding, with its path collected bottom-up (no cost when all is well). */
export interface RawIssue {
  path: (string | number)[];
  expected: string;
  received: string;
  /** A validator's own message, when it gave one. */
  note?: string;
}

export interface EncodeContext {
  readonly issues: RawIssue[];
}

/** Prefixes the issues a child added since `from` with the child's name or index. */
export function prefixIssues(ctx: EncodeContext, from: number, segment: string | number): void {
  for (let i = from; i < ctx.issues.length; i++) ctx.issues[i]!.path.unshift(segment);
}

export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const segment of path) out += typeof segment === 'number' ? `[${segment}]` : out === '' ? segment : `.${segment}`;
  return out;
}

/** A short, safe description of a received value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing (undefined)';
  switch (typeof value) {
    case 'string':
      return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
    case 'number':
    case 'bigint':
    case 'boolean':
      return `${typeof value} ${String(value)}${typeof value === 'bigint' ? 'n' : ''}`;
    case 'function':
      return 'a function';
    case 'symbol':
      return 'a symbol';
    default:
      if (Array.isArray(value)) return `an array of ${value.length}`;
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'an invalid Date' : 'a Date';
      if (value instanceof Set) return `a Set of ${value.size}`;
      if (value instanceof Uint8Array) return `a Uint8Array of ${value.length} bytes`;
      return `an object (${Object.getPrototypeOf(value)?.constructor?.name ?? 'null prototype'})`;
  }
}

/** A key for messages: `{ id: "1", createdAt: 2024-... }`. */
export function showKey(key: Record<string, unknown>): string {
  return `{ ${Object.entries(key).map(([k, v]) => `${k}: ${v instanceof Date ? v.toISOString() : typeof v === 'string' ? JSON.stringify(v) : String(v)}`).join(', ')} }`;
}
