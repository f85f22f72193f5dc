// DynamoDB rules for sets and maps that a JavaScript Set or object does not enforce by itself.

/** Whether a set holds two byte arrays of equal content: DynamoDB refuses duplicates in a BS. */
export function hasDuplicateBytes(values: Iterable<unknown>): boolean {
  const seen = new Set<string>();
  for (const v of values) {
    if (!(v instanceof Uint8Array)) return false;
    const content = Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('latin1');
    if (seen.has(content)) return true;
    seen.add(content);
  }
  return false;
}

/** What a map must be when one of its keys is empty: DynamoDB refuses an empty attribute name. */
export const NO_EMPTY_KEY = 'an object without an empty key (DynamoDB refuses empty attribute names)';
