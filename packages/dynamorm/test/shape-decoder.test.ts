// The generated decoder of a shape must decode exactly as the loop over its entries does (the
// form used for projections and where code cannot be generated): same item, same issues, for any
// stored item, right, wrong or missing per attribute.
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { t } from '../src/index.js';
import { compileShape } from '../src/schema/codec/compile.js';
import type { EncodeContext } from '../src/schema/codec/issues.js';

const shape = {
  id: t.string().field('PK'),
  name: t.string().optional(),
  nick: t.string().nullable(),
  age: t.number(),
  expires: t.ttl().optional(),
  big: t.bigint().optional(),
  ok: t.boolean(),
  tags: t.stringSet().optional(),
  nums: t.numberSet().optional(),
  at: t.date(),
  role: t.enum(['admin', 'user']).optional(),
  address: t.object({ city: t.string(), zip: t.number().optional() }).optional(),
  list: t.list(t.number()).optional(),
  blob: t.string().compress('gzip').optional(),
  'odd name': t.string().optional(),
} as const;
const defs = Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, v.def]));

const stored: fc.Arbitrary<AttributeValue> = fc.oneof<fc.Arbitrary<AttributeValue>[]>(
  fc.string().map((S) => ({ S })),
  fc.constantFrom('2024-05-01T12:34:56.789Z', '12', 'admin', 'x').map((S) => ({ S })),
  fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })).map((n) => ({ N: String(n) })),
  fc.constantFrom('1.5', 'abc').map((N) => ({ N })),
  fc.boolean().map((BOOL) => ({ BOOL })),
  fc.constant({ NULL: true } as AttributeValue),
  fc.array(fc.string(), { minLength: 1, maxLength: 3 }).map((SS) => ({ SS })),
  fc.array(fc.integer().map(String), { minLength: 1, maxLength: 3 }).map((NS) => ({ NS })),
  fc.constantFrom<AttributeValue>({ M: { city: { S: 'Oslo' } } }, { M: { city: { N: '1' }, zip: { S: 'z' } } }, { M: {} }),
  fc.constantFrom<AttributeValue>({ L: [{ N: '1' }, { S: 'two' }] }, { L: [] }),
  fc.constant({ B: new Uint8Array([1, 2, 3]) } as AttributeValue),
);

describe('generated shape decoder', () => {
  it('decodes any stored item exactly as the loop over its entries, issues included', () => {
    const codec = compileShape(defs);
    const fields = codec.entries.map((e) => e.field);
    const item = fc.record(Object.fromEntries(fields.map((f) => [f, stored])), { requiredKeys: [] });
    fc.assert(
      fc.property(item, fc.boolean(), (raw, partial) => {
        const a: EncodeContext = { issues: [] };
        const b: EncodeContext = { issues: [] };
        const generated = codec.decode(raw as Record<string, AttributeValue>, a, undefined, partial);
        // Entries given as a projection (another array) take the loop.
        const loop = codec.decode(raw as Record<string, AttributeValue>, b, [...codec.entries], partial);
        expect(a.issues).toEqual(b.issues);
        if (a.issues.length === 0) expect(generated).toEqual(loop);
      }),
      { numRuns: 3_000 },
    );
  });

  it('decodes the same item with and without generated code (a CSP forbidding it)', () => {
    const value = { id: 'u1', nick: null, age: 3, ok: true, at: { S: '2024-05-01T12:34:56.789Z' } };
    const item: Record<string, AttributeValue> = { PK: { S: value.id }, nick: { NULL: true }, age: { N: '3' }, ok: { BOOL: true }, at: value.at, tags: { SS: ['a'] } };
    const withCode = compileShape({ ...defs }).decode(item, { issues: [] });
    const original = globalThis.Function;
    globalThis.Function = function refused() {
      throw new EvalError('Code generation from strings disallowed for this context');
    } as unknown as FunctionConstructor;
    let withoutCode: Record<string, unknown>;
    try {
      withoutCode = compileShape({ ...defs }).decode(item, { issues: [] });
    } finally {
      globalThis.Function = original;
    }
    expect(withoutCode).toEqual(withCode);
    expect(withCode).toEqual({ id: 'u1', nick: null, age: 3, ok: true, at: new Date('2024-05-01T12:34:56.789Z'), tags: new Set(['a']) });
  });
});
