import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { compressValue, decompressValue } from './compress.js';
import type { AttrDef } from '../attribute.js';
import { hasDuplicateBytes, NO_EMPTY_KEY } from './collections.js';
import { describe, prefixIssues, type EncodeContext } from './issues.js';
import { formatIso, parseIso } from './iso-date.js';
import { numberProblem, numberTextProblem } from './number.js';
import { compileShapeDecoder, decodeEntries, type DecodedEntry } from './shape-decoder.js';
import { decodeUnknown, encodeUnknown, isPlainObject } from './unknown.js';

/** Value → AttributeValue; undefined with an issue in `ctx` when the value is refused. */
export type Encoder = (value: unknown, ctx: EncodeContext) => AttributeValue | undefined;
/**
 * AttributeValue → value. A stored value the attribute cannot hold (an item written by someone
 * else: another stored type, an enum value the model does not know) adds an issue to `ctx`, like
 * encoders do, and the value returned is then not used.
 */
export type Decoder = (value: AttributeValue, ctx: EncodeContext) => unknown;

/** The smallest TTL number taken for milliseconds (1e11 s is the year 5138; 1e11 ms is 1973). */
const MIN_TTL_MILLIS = 1e11;

const refuse = (ctx: EncodeContext, expected: string, value: unknown, why?: string): undefined => {
  ctx.issues.push({ path: [], expected, received: why === undefined ? describe(value) : `${describe(value)} (${why})` });
  return undefined;
};

const isValidDate = (value: unknown): value is Date => value instanceof Date && !Number.isNaN(value.getTime());

/** What an attribute of this schema accepts, in words, for error messages. */
export function expectedOf(def: AttrDef): string {
  switch (def.kind) {
    case 'string': return 'a string';
    case 'number': return 'a number';
    case 'bigint': return 'a bigint';
    case 'boolean': return 'a boolean';
    case 'binary': return 'a Uint8Array';
    case 'date': return 'a valid Date';
    case 'stringSet': return 'a non-empty Set of strings';
    case 'numberSet': return 'a non-empty Set of numbers';
    case 'binarySet': return 'a non-empty Set of Uint8Array';
    case 'list': return 'an array';
    case 'map': return 'an object';
    case 'object': return 'an object';
    case 'enum': return `one of ${def.values!.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'ttl': return 'epoch seconds or a Date';
    case 'custom': return `a value its converter turns into ${def.custom!.type}`;
    case 'unknown': return 'a value DynamoDB can store';
  }
}

function encodeDate(def: AttrDef, date: Date): AttributeValue {
  switch (def.dateFormat) {
    case 'iso': return { S: formatIso(date) };
    case 'epochSeconds': return { N: String(Math.floor(date.getTime() / 1000)) };
    case 'epochMillis': return { N: String(date.getTime()) };
  }
}

function encodeSet(expected: string, ok: (v: unknown) => boolean, wrap: (values: Set<unknown>) => AttributeValue): Encoder {
  return (value, ctx) => {
    if (!(value instanceof Set)) return refuse(ctx, expected, value);
    if (value.size === 0) return refuse(ctx, expected, value, 'DynamoDB stores no empty set: leave the attribute out');
    for (const v of value) if (!ok(v)) return refuse(ctx, expected, value, `holds ${describe(v)}`);
    if (hasDuplicateBytes(value)) return refuse(ctx, expected, value, 'holds equal byte arrays: DynamoDB refuses duplicates in a set');
    return wrap(value);
  };
}

/** The encoder of one attribute kind, before null handling and validators. */
function kindEncoder(def: AttrDef): Encoder {
  const expected = expectedOf(def);
  switch (def.kind) {
    case 'string':
      return (v, ctx) => (typeof v === 'string' ? { S: v } : refuse(ctx, expected, v));
    case 'number':
      return (v, ctx) => {
        if (typeof v !== 'number') return refuse(ctx, expected, v);
        const problem = numberProblem(v);
        return problem === undefined ? { N: String(v) } : refuse(ctx, 'a number DynamoDB can store', v, problem);
      };
    case 'bigint':
      return (v, ctx) => {
        if (typeof v !== 'bigint') return refuse(ctx, expected, v);
        const text = v.toString();
        const problem = text.length <= 38 ? undefined : numberTextProblem(text);
        return problem === undefined ? { N: text } : refuse(ctx, 'a number DynamoDB can store', v, problem);
      };
    case 'boolean':
      return (v, ctx) => (typeof v === 'boolean' ? { BOOL: v } : refuse(ctx, expected, v));
    case 'binary':
      return (v, ctx) => (v instanceof Uint8Array ? { B: v } : refuse(ctx, expected, v));
    case 'date':
      return (v, ctx) => (isValidDate(v) ? encodeDate(def, v) : refuse(ctx, expected, v));
    case 'ttl':
      return (v, ctx) => {
        if (isValidDate(v)) return { N: String(Math.floor(v.getTime() / 1000)) };
        if (typeof v === 'number' && Number.isInteger(v) && v >= 0) {
          // Seconds this large are past the year 5000, so the value is Date.now()-style milliseconds:
          // stored as is, the item would never expire.
          if (v >= MIN_TTL_MILLIS) return refuse(ctx, expected, v, 'epoch milliseconds, but a TTL is epoch seconds: pass Math.floor(ms / 1000) or a Date');
          return { N: String(v) };
        }
        return refuse(ctx, expected, v);
      };
    case 'enum': {
      const allowed = new Set(def.values);
      return (v, ctx) => (typeof v === 'string' && allowed.has(v) ? { S: v } : refuse(ctx, expected, v));
    }
    case 'stringSet':
      return encodeSet(expected, (v) => typeof v === 'string', (s) => ({ SS: [...s] as string[] }));
    case 'numberSet':
      return encodeSet(expected, (v) => typeof v === 'number' && numberProblem(v) === undefined, (s) => ({ NS: [...s].map(String) }));
    case 'binarySet':
      return encodeSet(expected, (v) => v instanceof Uint8Array, (s) => ({ BS: [...s] as Uint8Array[] }));
    case 'list': {
      const element = compileEncoder(def.element!);
      return (v, ctx) => {
        if (!Array.isArray(v)) return refuse(ctx, expected, v);
        const L: AttributeValue[] = new Array(v.length);
        for (let i = 0; i < v.length; i++) {
          const before = ctx.issues.length;
          const item = v[i] === undefined ? refuse(ctx, expectedOf(def.element!), undefined) : element(v[i], ctx);
          if (ctx.issues.length !== before) prefixIssues(ctx, before, i);
          else L[i] = item!;
        }
        return { L };
      };
    }
    case 'map': {
      const element = compileEncoder(def.element!);
      return (v, ctx) => {
        if (typeof v !== 'object' || v === null || !isPlainObject(v)) return refuse(ctx, expected, v);
        const M: Record<string, AttributeValue> = {};
        for (const key in v) {
          const entry = (v as Record<string, unknown>)[key];
          if (entry === undefined) continue;
          if (key === '') {
            refuse(ctx, NO_EMPTY_KEY, v);
            continue;
          }
          const before = ctx.issues.length;
          const item = element(entry, ctx);
          if (ctx.issues.length !== before) prefixIssues(ctx, before, key);
          else M[key] = item!;
        }
        return { M };
      };
    }
    case 'object': {
      const shape = compileShape(def.shape!);
      return (v, ctx) => {
        if (typeof v !== 'object' || v === null || !isPlainObject(v)) return refuse(ctx, expected, v);
        return { M: shape.encode(v as Record<string, unknown>, ctx, false) };
      };
    }
    case 'custom': {
      const { type, marshal } = def.custom!;
      const encode = marshal as (value: unknown) => unknown;
      return (v, ctx) => {
        let stored: unknown;
        try {
          stored = encode(v);
        } catch (error) {
          return refuse(ctx, expected, v, `its converter threw: ${(error as Error).message}`);
        }
        if (type === 'S' && typeof stored === 'string') return { S: stored };
        if (type === 'B' && stored instanceof Uint8Array) return { B: stored };
        if (type === 'N' && (typeof stored === 'number' || typeof stored === 'bigint' || typeof stored === 'string')) {
          const text = String(stored);
          const problem = numberTextProblem(text);
          return problem === undefined ? { N: text } : refuse(ctx, 'a number DynamoDB can store', v, `converted to ${text}: ${problem}`);
        }
        return refuse(ctx, expected, v, `its converter returned ${describe(stored)}`);
      };
    }
    case 'unknown':
      return encodeUnknown;
  }
}

const encoders = new WeakMap<AttrDef, Encoder>();

/** The full encoder of an attribute: null handling, the kind's codec, then user validators. */
export function compileEncoder(def: AttrDef): Encoder {
  const cached = encoders.get(def);
  if (cached !== undefined) return cached;
  const plain = kindEncoder(def);
  const { nullable, validators, compress } = def;
  const kind: Encoder = compress === undefined ? plain : (v, ctx) => {
    const out = plain(v, ctx);
    return out === undefined ? undefined : compressValue(out, compress);
  };
  const expected = expectedOf(def);
  let encoder: Encoder = (v, ctx) =>
    v === null ? (nullable ? { NULL: true } : refuse(ctx, `${expected} (mark it .nullable() to allow null)`, v)) : kind(v, ctx);
  if (validators.length > 0) {
    const inner = encoder;
    encoder = (v, ctx) => {
      const before = ctx.issues.length;
      const out = inner(v, ctx);
      if (ctx.issues.length !== before || v === null) return out;
      for (const check of validators) {
        let verdict: boolean | string;
        try {
          verdict = (check as (value: unknown) => boolean | string)(v);
        } catch (error) {
          verdict = (error as Error).message;
        }
        if (verdict !== true) {
          const note = typeof verdict === 'string' ? verdict : undefined;
          ctx.issues.push({ path: [], expected: note ?? 'a value its validator accepts', received: describe(v), ...(note === undefined ? {} : { note }) });
          return undefined;
        }
      }
      return out;
    };
  }
  encoders.set(def, encoder);
  return encoder;
}

/** A stored value in words, for the issues of items that do not fit: `stored S "12"`, `stored NULL`. */
function describeStored(value: AttributeValue): string {
  const tag = Object.keys(value)[0];
  if (tag === undefined) return 'nothing';
  if (value.S !== undefined) return `stored S ${JSON.stringify(value.S.length > 40 ? `${value.S.slice(0, 40)}…` : value.S)}`;
  if (value.N !== undefined) return `stored N ${value.N}`;
  if (value.BOOL !== undefined) return `stored BOOL ${value.BOOL}`;
  return `stored ${tag}`;
}

const reject = (ctx: EncodeContext, expected: string, received: string): undefined => {
  ctx.issues.push({ path: [], expected, received });
  return undefined;
};

function kindDecoder(def: AttrDef): Decoder {
  const expected = expectedOf(def);
  // A stored type the attribute cannot hold: `expected a number (stored N), received stored S "12"`.
  const mismatch = (tag: string): Decoder => {
    const want = `${expected} (stored ${tag})`;
    return (v, ctx) => reject(ctx, want, describeStored(v));
  };
  switch (def.kind) {
    case 'string': {
      const bad = mismatch('S');
      return (v, ctx) => v.S ?? bad(v, ctx);
    }
    case 'enum': {
      const bad = mismatch('S');
      const allowed = new Set(def.values);
      return (v, ctx) => {
        const s = v.S;
        if (s === undefined) return bad(v, ctx);
        return allowed.has(s) ? s : reject(ctx, expected, describe(s));
      };
    }
    case 'number':
    case 'ttl': {
      const bad = mismatch('N');
      return (v, ctx) => (v.N !== undefined ? Number(v.N) : bad(v, ctx));
    }
    case 'bigint': {
      const bad = mismatch('N');
      return (v, ctx) => {
        if (v.N === undefined) return bad(v, ctx);
        try {
          return BigInt(v.N);
        } catch {
          return reject(ctx, `${expected} (an integer)`, describeStored(v));
        }
      };
    }
    case 'boolean': {
      const bad = mismatch('BOOL');
      return (v, ctx) => v.BOOL ?? bad(v, ctx);
    }
    case 'binary': {
      const bad = mismatch('B');
      return (v, ctx) => v.B ?? bad(v, ctx);
    }
    case 'date': {
      if (def.dateFormat === 'iso') {
        const bad = mismatch('S');
        return (v, ctx) => {
          if (v.S === undefined) return bad(v, ctx);
          const date = parseIso(v.S);
          return date.getTime() === date.getTime() ? date : reject(ctx, `${expected} (an ISO-8601 date)`, describeStored(v));
        };
      }
      const bad = mismatch('N');
      const scale = def.dateFormat === 'epochSeconds' ? 1000 : 1;
      return (v, ctx) => (v.N !== undefined ? new Date(Number(v.N) * scale) : bad(v, ctx));
    }
    case 'stringSet': {
      const bad = mismatch('SS');
      return (v, ctx) => (v.SS !== undefined ? new Set(v.SS) : bad(v, ctx));
    }
    case 'numberSet': {
      const bad = mismatch('NS');
      return (v, ctx) => (v.NS !== undefined ? new Set(v.NS.map(Number)) : bad(v, ctx));
    }
    case 'binarySet': {
      const bad = mismatch('BS');
      return (v, ctx) => (v.BS !== undefined ? new Set(v.BS) : bad(v, ctx));
    }
    case 'list': {
      const bad = mismatch('L');
      const element = compileDecoder(def.element!);
      return (v, ctx) => {
        const L = v.L;
        if (L === undefined) return bad(v, ctx);
        const out = new Array<unknown>(L.length);
        for (let i = 0; i < out.length; i++) {
          const before = ctx.issues.length;
          out[i] = element(L[i]!, ctx);
          if (ctx.issues.length !== before) prefixIssues(ctx, before, i);
        }
        return out;
      };
    }
    case 'map': {
      const bad = mismatch('M');
      const element = compileDecoder(def.element!);
      return (v, ctx) => {
        const M = v.M;
        if (M === undefined) return bad(v, ctx);
        const out: Record<string, unknown> = {};
        for (const key in M) {
          const before = ctx.issues.length;
          out[key] = element(M[key]!, ctx);
          if (ctx.issues.length !== before) prefixIssues(ctx, before, key);
        }
        return out;
      };
    }
    case 'object': {
      const bad = mismatch('M');
      const shape = compileShape(def.shape!);
      return (v, ctx) => (v.M !== undefined ? shape.decode(v.M, ctx) : bad(v, ctx));
    }
    case 'custom': {
      const { type, unmarshal } = def.custom!;
      const bad = mismatch(type);
      const decode = unmarshal as (stored: unknown) => unknown;
      return (v, ctx) => {
        const stored = type === 'S' ? v.S : type === 'N' ? v.N : v.B;
        if (stored === undefined) return bad(v, ctx);
        try {
          return decode(stored);
        } catch (error) {
          return reject(ctx, expected, `${describeStored(v)} (its converter threw: ${(error as Error).message})`);
        }
      };
    }
    case 'unknown':
      return decodeUnknown;
  }
}

const decoders = new WeakMap<AttrDef, Decoder>();

export function compileDecoder(def: AttrDef): Decoder {
  const cached = decoders.get(def);
  if (cached !== undefined) return cached;
  const plain = kindDecoder(def);
  // A value stored before the attribute was compressed is read as it is.
  const kind: Decoder = def.compress === undefined ? plain : (v, ctx) => {
    if (v.B === undefined) return plain(v, ctx);
    const inner = decompressValue(v.B);
    return inner === undefined ? reject(ctx, `${expectedOf(def)}, compressed`, 'a binary that is not a compressed value') : plain(inner, ctx);
  };
  const decoder: Decoder = def.nullable || def.kind === 'unknown' ? (v, ctx) => (v.NULL === true ? null : kind(v, ctx)) : kind;
  decoders.set(def, decoder);
  return decoder;
}

/** One attribute of a shape, with its compiled codec. */
export interface ShapeEntry {
  readonly name: string;
  /** The stored attribute name (`.field()` or the property name). */
  readonly field: string;
  readonly def: AttrDef;
  readonly encode: Encoder;
  readonly decode: Decoder;
}

export interface ShapeCodec {
  readonly entries: readonly ShapeEntry[];
  readonly byName: ReadonlyMap<string, ShapeEntry>;
  /**
   * Encodes an object of this shape. `partial` (updates) skips defaults and required checks.
   * Properties the schema does not know are reported, never silently dropped.
   */
  encode(value: Record<string, unknown>, ctx: EncodeContext, partial: boolean): Record<string, AttributeValue>;
  /**
   * Decodes a stored item of this shape (`only` some attributes: a projection), each problem an
   * issue in `ctx`: a required attribute missing (unless `partial`), a stored type or value the
   * attribute cannot hold. The object is only to be used when no issue was added.
   */
  decode(stored: Record<string, AttributeValue>, ctx: EncodeContext, only?: readonly ShapeEntry[], partial?: boolean): Record<string, unknown>;
}

const shapes = new WeakMap<object, ShapeCodec>();

// The item type promises a required attribute: its absence is an issue, never an undefined.
const missing = (ctx: EncodeContext, entry: DecodedEntry): void => {
  ctx.issues.push({ path: [entry.name], expected: `${expectedOf(entry.def)} (required)`, received: 'nothing' });
};

export function compileShape(shape: Readonly<Record<string, AttrDef>>): ShapeCodec {
  const cached = shapes.get(shape);
  if (cached !== undefined) return cached;
  const entries: ShapeEntry[] = Object.entries(shape).map(([name, def]) => ({
    name,
    field: def.field ?? name,
    def,
    encode: compileEncoder(def),
    decode: compileDecoder(def),
  }));
  const byName = new Map(entries.map((e) => [e.name, e]));
  const whole = compileShapeDecoder(entries, missing);
  const codec: ShapeCodec = {
    entries,
    byName,
    encode(value, ctx, partial) {
      const out: Record<string, AttributeValue> = {};
      let known = 0;
      for (const entry of entries) {
        let v = value[entry.name];
        if (v === undefined) {
          if (partial || entry.def.optional) continue;
          if (entry.def.hasDefault) {
            const fallback = entry.def.default;
            v = typeof fallback === 'function' ? (fallback as () => unknown)() : fallback;
          } else {
            missing(ctx, entry);
            continue;
          }
        } else known++;
        const before = ctx.issues.length;
        const encoded = entry.encode(v, ctx);
        if (ctx.issues.length !== before) prefixIssues(ctx, before, entry.name);
        else if (encoded !== undefined) out[entry.field] = encoded;
      }
      let given = 0;
      for (const _ in value) given++;
      if (given !== known) {
        for (const name of Object.keys(value)) {
          if (!byName.has(name) && value[name] !== undefined) {
            ctx.issues.push({ path: [name], expected: 'no such attribute (it is not in the model)', received: describe(value[name]) });
          }
        }
      }
      return out;
    },
    decode(stored, ctx, only, partial = false) {
      return only === undefined || only === entries ? whole(stored, ctx, partial) : decodeEntries(only, stored, ctx, partial, missing);
    },
  };
  shapes.set(shape, codec);
  return codec;
}
