// DynamoDB's number rules (which texts it stores, and the bytes each counts toward the 400 KB
// item limit) are computed by a hand-written scanner; a regex-based reading of the same grammar is
// the oracle here, over any number text fast-check can make.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { numberSize, numberTextProblem } from '../src/schema/codec/number.js';

const GRAMMAR = /^[-+]?(\d*)(?:\.(\d*))?(?:[eE]([-+]?\d+))?$/;
function oracle(text: string): { digits: number; exponent: number; negative: boolean } | undefined {
  const match = GRAMMAR.exec(text);
  if (match === null) return undefined;
  const intPart = match[1] ?? '';
  const all = intPart + (match[2] ?? '');
  if (all === '') return undefined;
  let first = 0;
  while (first < all.length && all.charCodeAt(first) === 48) first++;
  if (first === all.length) return { digits: 0, exponent: 0, negative: false };
  let last = all.length - 1;
  while (all.charCodeAt(last) === 48) last--;
  return { digits: last - first + 1, exponent: Number(match[3] ?? 0) + intPart.length - 1 - first, negative: text.startsWith('-') };
}
const oracleSize = (text: string): number => {
  const p = oracle(text);
  if (p === undefined) return text.length;
  if (p.digits === 0) return 1;
  const lowest = p.exponent - p.digits + 1;
  return 1 + Math.floor(p.exponent / 2) - Math.floor(lowest / 2) + 1 + (p.negative ? 1 : 0);
};

const numberText = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.bigInt().map(String),
  fc.tuple(fc.constantFrom('', '-', '+'), fc.stringMatching(/^\d{0,45}$/), fc.constantFrom('', '.'), fc.stringMatching(/^\d{0,45}$/), fc.constantFrom('', 'e', 'E', 'e-', 'e+'), fc.stringMatching(/^\d{0,4}$/))
    .map((parts) => parts.join('')),
  fc.string(),
);

describe('number rules', () => {
  it('size and validity agree with the grammar, for any text', () => {
    fc.assert(
      fc.property(numberText, (text) => {
        expect(numberSize(text)).toBe(oracleSize(text));
        const p = oracle(text);
        expect(numberTextProblem(text) === undefined).toBe(p !== undefined && (p.digits === 0 || (p.digits <= 38 && p.exponent <= 125 && p.exponent >= -130)));
      }),
      { numRuns: 20_000 },
    );
  });

  it('known sizes', () => {
    expect([numberSize('0'), numberSize('12'), numberSize('1.2'), numberSize('-1'), numberSize('100'), numberSize('1e+21')]).toEqual([1, 2, 3, 3, 2, 2]);
  });
});
