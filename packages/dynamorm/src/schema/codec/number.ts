/** DynamoDB numbers: up to 38 significant digits, magnitude between 1e-130 and 9.99...e125. */
const MAX_DIGITS = 38;

/**
 * Significant digits and the power of ten of the leading one, or undefined for non-numbers
 * (`[-+]digits[.digits][e[-+]digits]`). One pass over the characters, no regex and no slices:
 * it runs for every number of every item written (its size counts).
 */
function parse(text: string): { digits: number; exponent: number; negative: boolean } | undefined {
  let i = 0;
  const negative = text.charCodeAt(0) === 45;
  if (negative || text.charCodeAt(0) === 43) i++;
  let seen = 0;
  let intDigits = 0;
  let first = -1;
  let last = -1;
  let point = false;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 && !point) {
      point = true;
      continue;
    }
    if (c < 48 || c > 57) break;
    if (c !== 48) {
      if (first < 0) first = seen;
      last = seen;
    }
    seen++;
    if (!point) intDigits++;
  }
  if (seen === 0) return undefined;
  let exponent = 0;
  if (i < text.length) {
    const e = text.charCodeAt(i);
    if (e !== 101 && e !== 69) return undefined;
    i++;
    const sign = text.charCodeAt(i) === 45 ? -1 : 1;
    if (text.charCodeAt(i) === 45 || text.charCodeAt(i) === 43) i++;
    if (i === text.length) return undefined;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) return undefined;
      exponent = exponent * 10 + (c - 48);
    }
    exponent *= sign;
  }
  if (first < 0) return { digits: 0, exponent: 0, negative: false };
  return { digits: last - first + 1, exponent: exponent + intDigits - 1 - first, negative };
}

/** Why DynamoDB would refuse this number text, or undefined when it can store it. */
export function numberTextProblem(text: string): string | undefined {
  const parsed = parse(text);
  if (parsed === undefined) return 'not a number';
  if (parsed.digits === 0) return undefined;
  if (parsed.digits > MAX_DIGITS) return `more than ${MAX_DIGITS} significant digits`;
  if (parsed.exponent > 125) return 'larger than 9.9999999999999999999999999999999999999e125';
  if (parsed.exponent < -130) return 'closer to zero than 1e-130';
  return undefined;
}

/** Why DynamoDB would refuse this JS number (doubles never exceed 17 significant digits). */
export function numberProblem(value: number): string | undefined {
  if (!Number.isFinite(value)) return 'not finite';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e126) return 'larger than 9.9999999999999999999999999999999999999e125';
  if (magnitude !== 0 && magnitude < 1e-130) return 'closer to zero than 1e-130';
  return undefined;
}

/**
 * Bytes DynamoDB counts for a number: it stores base-100 digits aligned on the decimal point
 * (so 1.2 takes two, 12 one), plus one byte of exponent, plus one for a negative; zero is one.
 */
export function numberSize(text: string): number {
  const parsed = parse(text);
  if (parsed === undefined) return text.length;
  if (parsed.digits === 0) return 1;
  const lowest = parsed.exponent - parsed.digits + 1;
  const pairs = Math.floor(parsed.exponent / 2) - Math.floor(lowest / 2) + 1;
  return 1 + pairs + (parsed.negative ? 1 : 0);
}
