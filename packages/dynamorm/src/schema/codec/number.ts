/** DynamoDB numbers: up to 38 significant digits, magnitude between 1e-130 and 9.99...e125. */
const MAX_DIGITS = 38;
const NUMBER_TEXT = /^[-+]?(\d*)(?:\.(\d*))?(?:[eE]([-+]?\d+))?$/;

/** Significant digits and the power of ten of the leading one, or undefined for non-numbers. */
function parse(text: string): { digits: number; exponent: number; negative: boolean } | undefined {
  const match = NUMBER_TEXT.exec(text);
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
