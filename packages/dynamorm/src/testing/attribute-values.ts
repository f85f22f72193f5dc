import type { AttributeValue } from '@aws-sdk/client-dynamodb';

const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

/**
 * A canonical text for an AttributeValue, equal for equal values: set members and map keys are
 * sorted (a Set's insertion order is not part of its value) and binaries are base64.
 */
export function canonical(v: AttributeValue): string {
  if (v.S !== undefined) return `S:${JSON.stringify(v.S)}`;
  if (v.N !== undefined) return `N:${v.N}`;
  if (v.BOOL !== undefined) return `BOOL:${v.BOOL}`;
  if (v.NULL !== undefined) return 'NULL';
  if (v.B !== undefined) return `B:${base64(v.B)}`;
  if (v.SS !== undefined) return `SS:[${[...v.SS].map((s) => JSON.stringify(s)).sort().join(',')}]`;
  if (v.NS !== undefined) return `NS:[${[...v.NS].sort().join(',')}]`;
  if (v.BS !== undefined) return `BS:[${v.BS.map(base64).sort().join(',')}]`;
  if (v.L !== undefined) return `L:[${v.L.map(canonical).join(',')}]`;
  if (v.M !== undefined) return `M:{${canonicalMap(v.M)}}`;
  return JSON.stringify(v);
}

export function canonicalMap(m: Readonly<Record<string, AttributeValue>>): string {
  return Object.keys(m).sort().map((k) => `${JSON.stringify(k)}:${canonical(m[k]!)}`).join(',');
}

/** An AttributeValue as a reader of a test failure expects to see it: `"abc"`, `18`, `{"a", "b"}`. */
export function display(v: AttributeValue): string {
  if (v.S !== undefined) return JSON.stringify(v.S);
  if (v.N !== undefined) return v.N;
  if (v.BOOL !== undefined) return String(v.BOOL);
  if (v.NULL !== undefined) return 'null';
  if (v.B !== undefined) return `<${v.B.length} bytes>`;
  if (v.SS !== undefined) return `{${v.SS.map((s) => JSON.stringify(s)).join(', ')}}`;
  if (v.NS !== undefined) return `{${v.NS.join(', ')}}`;
  if (v.BS !== undefined) return `{${v.BS.length} binaries}`;
  if (v.L !== undefined) return `[${v.L.map(display).join(', ')}]`;
  if (v.M !== undefined) return `{ ${Object.entries(v.M).map(([k, x]) => `${k}: ${display(x)}`).join(', ')} }`;
  return JSON.stringify(v);
}

/** A key or an item in model terms for messages: `{ id: "1", createdAt: "2024-…" }`. */
export function displayMap(m: Readonly<Record<string, AttributeValue>>, rename: (field: string) => string = (f) => f): string {
  return `{ ${Object.entries(m).map(([k, v]) => `${rename(k)}: ${display(v)}`).join(', ')} }`;
}
