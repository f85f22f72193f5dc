/**
 * ISO-8601 dates as `Date.prototype.toISOString` writes them (`2024-05-01T12:34:56.789Z`), made
 * and read by hand: dates are in most items, and the built-ins are the slowest step of their
 * codec (toISOString ~3x, `new Date(text)` ~1.7x slower). Anything outside the common shape goes
 * to the built-ins, so results are always theirs.
 */
const two = (n: number): string => (n < 10 ? `0${n}` : `${n}`);
const three = (n: number): string => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

export function formatIso(date: Date): string {
  const year = date.getUTCFullYear();
  if (year < 1000 || year > 9999) return date.toISOString();
  return `${year}-${two(date.getUTCMonth() + 1)}-${two(date.getUTCDate())}T${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}.${three(date.getUTCMilliseconds())}Z`;
}

/** Digits of `text` from `at`, `count` long, or -1 when one is not a digit. */
function digits(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

export function parseIso(text: string): Date {
  if (text.length === 24 && text.charCodeAt(23) === 90 /* Z */ && text.charCodeAt(10) === 84 /* T */) {
    const month = digits(text, 5, 2);
    const day = digits(text, 8, 2);
    const hours = digits(text, 11, 2);
    const minutes = digits(text, 14, 2);
    const seconds = digits(text, 17, 2);
    // Days past 28 could overflow into the next month, where the built-in says Invalid Date.
    if (month >= 1 && month <= 12 && day >= 1 && day <= 28 && hours >= 0 && hours <= 23 && minutes >= 0 && minutes <= 59 && seconds >= 0 && seconds <= 59) {
      const year = digits(text, 0, 4);
      const millis = digits(text, 20, 3);
      // Date.UTC reads years below 100 as 19xx.
      if (year >= 100 && millis >= 0 && text[4] === '-' && text[7] === '-' && text[13] === ':' && text[16] === ':' && text[19] === '.') {
        return new Date(Date.UTC(year, month - 1, day, hours, minutes, seconds, millis));
      }
    }
  }
  return new Date(text);
}
