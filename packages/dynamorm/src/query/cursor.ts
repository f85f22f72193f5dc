import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { ValidationError } from '../errors/errors.js';
import type { AnyModel } from '../schema/model.js';

/**
 * Opaque page cursors: the last returned item's key, tied to the query it came from by a
 * signature, so that a cursor of another query or model, or a tampered one, is refused.
 *
 * Without a secret a cursor is readable JSON with a checksum (base64url, no dot). With
 * `cursors.secret` it is signed with HMAC-SHA256 (`s.<body>.<mac>`), or encrypted with
 * AES-256-GCM (`e.<iv, ciphertext, tag>`) with `encrypt: true`: a client can hold it but can
 * neither read the key values (encrypted) nor forge one.
 */
export interface CursorOptions {
  /**
   * Signs cursors with HMAC-SHA256 under a key derived from this secret (at least 32
   * characters): cursors altered, signed with another secret, or unsigned are refused. A list
   * rotates secrets: the first signs, every one is accepted.
   */
  readonly secret: string | readonly string[];
  /** Also encrypt cursors (AES-256-GCM), so that clients cannot read the key values they carry. */
  readonly encrypt?: boolean;
}

type Scalar = { S: string } | { N: string } | { B: string };

function checksum(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}

interface Keys {
  readonly mac: Buffer;
  readonly cipher: Buffer;
}

const MIN_SECRET = 32;
const AAD = Buffer.from('dynamorm cursor');
const derive = (secret: string, purpose: string): Buffer => Buffer.from(hkdfSync('sha256', secret, 'dynamorm', `cursor ${purpose}`, 32));

type Refuse = (why: string) => never;

/** Encodes and checks the cursors of one ORM: plain, signed or encrypted, as its config says. */
export class CursorCodec {
  private readonly keys: readonly Keys[];
  private readonly encrypt: boolean;

  constructor(options?: CursorOptions) {
    const secrets = options === undefined ? [] : typeof options.secret === 'string' ? [options.secret] : [...(options.secret as readonly unknown[])];
    if (options !== undefined && (secrets.length === 0 || secrets.some((s) => typeof s !== 'string' || s.length < MIN_SECRET))) {
      const bad = secrets.find((s) => typeof s !== 'string' || s.length < MIN_SECRET);
      const received = secrets.length === 0 ? 'no secret' : typeof bad === 'string' ? `${bad.length} characters` : typeof bad;
      const message = `DynamORM config: cursors.secret must be a string of at least ${MIN_SECRET} characters (or a list of them), received ${received}; generate one with crypto.randomBytes(32).toString('base64')`;
      throw new ValidationError([{ attribute: 'cursors.secret', expected: `a string of at least ${MIN_SECRET} characters`, received, message }], { op: 'config' }, message);
    }
    this.keys = (secrets as string[]).map((s) => ({ mac: derive(s, 'signing'), cipher: derive(s, 'encryption') }));
    this.encrypt = options?.encrypt === true;
  }

  /** A short tag of the query the cursor belongs to (keyed when there is a secret). */
  private tag(signature: string, keys: Keys | undefined): string {
    return keys === undefined ? checksum(signature) : createHmac('sha256', keys.mac).update(`query\0${signature}`).digest('base64url').slice(0, 22);
  }

  encode(signature: string, key: Record<string, AttributeValue>): string {
    const k: Record<string, Scalar> = {};
    for (const [name, v] of Object.entries(key)) {
      k[name] = v.S !== undefined ? { S: v.S } : v.N !== undefined ? { N: v.N } : { B: Buffer.from(v.B!).toString('base64') };
    }
    const keys = this.keys[0];
    const body = JSON.stringify({ s: this.tag(signature, keys), k });
    if (keys === undefined) return Buffer.from(`${checksum(body)}.${body}`).toString('base64url');
    if (this.encrypt) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', keys.cipher, iv).setAAD(AAD);
      return `e.${Buffer.concat([iv, cipher.update(body, 'utf8'), cipher.final(), cipher.getAuthTag()]).toString('base64url')}`;
    }
    const text = Buffer.from(body).toString('base64url');
    return `s.${text}.${createHmac('sha256', keys.mac).update(text).digest('base64url')}`;
  }

  decode(model: AnyModel, signature: string, cursor: string, expected: readonly string[]): Record<string, AttributeValue> {
    const refuse: Refuse = (why) => {
      throw new ValidationError(
        [{ attribute: '', expected: 'a cursor returned by this query', received: why, message: `invalid cursor: ${why}` }],
        { op: 'page', model: model.name },
        `page ${model.name}: invalid cursor (${why}); pass the cursor a previous page() of the same query returned`,
      );
    };
    if (typeof cursor !== 'string') return refuse('it is not a cursor');
    const { body, keys } = this.open(cursor, refuse);
    let parsed: { s?: unknown; k?: unknown };
    try {
      parsed = JSON.parse(body) as typeof parsed;
    } catch {
      return refuse('it is not a cursor');
    }
    if (parsed.s !== this.tag(signature, keys)) return refuse('it belongs to another query');
    const k = parsed.k as Record<string, Partial<Record<'S' | 'N' | 'B', unknown>>> | undefined;
    if (typeof k !== 'object' || k === null) return refuse('it holds no key');
    const names = Object.keys(k);
    if (names.length !== expected.length || !expected.every((n) => names.includes(n))) return refuse('its key does not fit this query');
    const key: Record<string, AttributeValue> = {};
    for (const name of names) {
      const v = k[name]!;
      if (typeof v.S === 'string') key[name] = { S: v.S };
      else if (typeof v.N === 'string' && /^-?[0-9.eE+-]+$/.test(v.N)) key[name] = { N: v.N };
      else if (typeof v.B === 'string') key[name] = { B: Buffer.from(v.B, 'base64') };
      else return refuse('its key holds a value of no key type');
    }
    return key;
  }

  /** The JSON body of a cursor, checked against the checksum or the secrets, and the keys that sealed it. */
  private open(cursor: string, refuse: Refuse): { body: string; keys: Keys | undefined } {
    const sealed = cursor.startsWith('s.') || cursor.startsWith('e.');
    if (this.keys.length === 0) {
      if (sealed) return refuse('it was signed with a secret, and this ORM has no cursors.secret');
      const text = Buffer.from(cursor, 'base64url').toString('utf8');
      const dot = text.indexOf('.');
      if (dot < 0 || checksum(text.slice(dot + 1)) !== text.slice(0, dot)) return refuse('it was altered or is not a cursor');
      return { body: text.slice(dot + 1), keys: undefined };
    }
    if (!sealed) return refuse('it is not signed, and this ORM only accepts cursors signed with its cursors.secret');
    for (const keys of this.keys) {
      const body = cursor.startsWith('e.') ? decrypt(keys, cursor.slice(2)) : verify(keys, cursor.slice(2));
      if (body !== undefined) return { body, keys };
    }
    return refuse('it was altered or signed with another secret');
  }
}

function verify(keys: Keys, signed: string): string | undefined {
  const dot = signed.indexOf('.');
  if (dot < 0) return undefined;
  const text = signed.slice(0, dot);
  const mac = Buffer.from(signed.slice(dot + 1), 'base64url');
  const want = createHmac('sha256', keys.mac).update(text).digest();
  return mac.length === want.length && timingSafeEqual(mac, want) ? Buffer.from(text, 'base64url').toString('utf8') : undefined;
}

function decrypt(keys: Keys, sealed: string): string | undefined {
  const bytes = Buffer.from(sealed, 'base64url');
  if (bytes.length < 12 + 16) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keys.cipher, bytes.subarray(0, 12)).setAAD(AAD);
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    return Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

/** Cursors of an ORM without `cursors` in its config. */
export const PLAIN_CURSORS = new CursorCodec();
