/**
 * Reading fixed-position date-times by character codes: a sync reads and writes a few of them
 * per deal, and a regular expression plus a slice per field costs several times as much
 * (measured: 0.8 µs against 0.13 µs per Calltouch date, 10,000 dates).
 */

/**
 * The number the decimal digits of `text` from `at` to `end` (exclusive) spell, or NaN when one
 * of them is not a digit.
 *
 * @example
 * digitsAt("19-07-2021", 6, 10); // 2021
 */
export function digitsAt(text: string, at: number, end: number): number {
  let n = 0;
  for (let i = at; i < end; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (!(digit >= 0 && digit <= 9)) return NaN;
    n = n * 10 + digit;
  }
  return n;
}

/**
 * Whether `text` is `pattern` with digits where `pattern` has `9`, every other character as it
 * is (`"99-99-9999 99:99:99"`).
 */
export function fitsDigitPattern(text: string, pattern: string): boolean {
  if (text.length !== pattern.length) return false;
  for (let i = 0; i < pattern.length; i++) {
    const code = text.charCodeAt(i);
    const want = pattern.charCodeAt(i);
    if (want === 57 /* 9 */ ? !(code >= 48 && code <= 57) : code !== want) return false;
  }
  return true;
}
