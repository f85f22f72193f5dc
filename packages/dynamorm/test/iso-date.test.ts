// The hand-made ISO-8601 codec of dates must give exactly what the built-ins give: property tests
// over the whole range of Dates, and the strings around every shortcut it takes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIso, parseIso } from '../src/schema/codec/iso-date.js';

const sameTime = (a: Date, b: Date): boolean => Object.is(a.getTime(), b.getTime());

describe('formatIso and parseIso', () => {
  it('format like toISOString and parse like new Date(), for any Date', () => {
    fc.assert(
      fc.property(fc.date({ noInvalidDate: true }), (date) => {
        const text = formatIso(date);
        expect(text).toBe(date.toISOString());
        expect(sameTime(parseIso(text), new Date(text))).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });

  it('parse like new Date() for strings near the fast path: any digits, any separators', () => {
    const digit = fc.constantFrom(...'0123456789');
    const text = fc.tuple(fc.array(digit, { minLength: 4, maxLength: 4 }), fc.array(digit, { minLength: 2, maxLength: 2 }), fc.array(digit, { minLength: 2, maxLength: 2 }),
      fc.array(digit, { minLength: 2, maxLength: 2 }), fc.array(digit, { minLength: 2, maxLength: 2 }), fc.array(digit, { minLength: 2, maxLength: 2 }), fc.array(digit, { minLength: 3, maxLength: 3 }),
      fc.constantFrom('-', '/', 'x'), fc.constantFrom('T', ' ', 't'), fc.constantFrom('Z', 'z', '+'))
      .map(([y, mo, d, h, mi, s, ms, sep, t, z]) => `${y.join('')}${sep}${mo.join('')}-${d.join('')}${t}${h.join('')}:${mi.join('')}:${s.join('')}.${ms.join('')}${z}`);
    fc.assert(fc.property(text, (s) => {
      expect(sameTime(parseIso(s), new Date(s))).toBe(true);
    }), { numRuns: 20_000 });
  });

  it('edge cases: day overflow, years below 100 and beyond 9999, leap days', () => {
    for (const s of ['2023-02-29T00:00:00.000Z', '2024-02-29T00:00:00.000Z', '2024-04-31T00:00:00.000Z', '0050-01-01T00:00:00.000Z', '0000-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z', '2024-00-10T00:00:00.000Z', '2024-01-10T24:00:00.000Z']) {
      expect(sameTime(parseIso(s), new Date(s))).toBe(true);
    }
    for (const d of [new Date(-62198755200000), new Date(253402300800000), new Date(0), new Date(Date.UTC(99, 0, 1))]) expect(formatIso(d)).toBe(d.toISOString());
  });
});
