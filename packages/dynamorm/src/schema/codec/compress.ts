import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync, gzipSync } from 'node:zlib';
import type { Compression } from '../attribute.js';
import { attributeValueFromJson, attributeValueToJson } from './attribute-json.js';

// The first byte says how the rest was compressed, so the algorithm can change without a rewrite.
const GZIP = 1;
const BROTLI = 2;

/** A stored value as compressed binary: its AttributeValue as JSON, gzip or brotli, behind a one-byte tag. */
export function compressValue(value: AttributeValue, algorithm: Compression): AttributeValue {
  const json = Buffer.from(attributeValueToJson(value));
  const body = algorithm === 'gzip' ? gzipSync(json) : brotliCompressSync(json, { params: { [constants.BROTLI_PARAM_SIZE_HINT]: json.length } });
  const out = new Uint8Array(body.length + 1);
  out[0] = algorithm === 'gzip' ? GZIP : BROTLI;
  out.set(body, 1);
  return { B: out };
}

/** The stored value a compressed binary holds, or undefined when it is not one. */
export function decompressValue(stored: Uint8Array): AttributeValue | undefined {
  const body = stored.subarray(1);
  try {
    const json = stored[0] === GZIP ? gunzipSync(body) : stored[0] === BROTLI ? brotliDecompressSync(body) : undefined;
    return json === undefined ? undefined : attributeValueFromJson(json.toString('utf8'));
  } catch {
    return undefined;
  }
}
