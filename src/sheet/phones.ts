/**
 * Phone numbers → `7XXXXXXXXXX`. A cell may hold several, separated by `,` `;` `/` or line breaks.
 *
 * Accepted: 11 digits starting with `7`/`+7` or `8`, or 10 digits, with any spaces, brackets,
 * dashes or dots between them (`8 (915) 777-11-22`, `+7 915 777 11 22`, `9157771122`,
 * `7-915-777-11-22`, a numeric cell `79157771122`). The number after the country code must start
 * with 3, 4, 8 or 9 (Russian geographic, toll-free and mobile codes). Everything else (letters,
 * extensions, foreign numbers, `+8…`) is reported, masked.
 */
import { type Cell, cellText, isContactSeparator, isPhonePunctuation, isSpace } from "./cells.ts";
import { maskPhone } from "./mask.ts";

/** The phones of one cell: valid ones normalised and de-duplicated, bad ones masked. */
export interface PhoneList {
  /** `7XXXXXXXXXX`, in cell order, without repeats. */
  phones: string[];
  /** Bad numbers as {@linkcode maskPhone} shows them, in cell order. */
  invalid: readonly string[];
}

const TEN_BILLION = 10_000_000_000;
const ONE_BILLION = 1_000_000_000;
const NONE: readonly string[] = Object.freeze([]);
/** Character codes of the national digits being copied (index 1..10). */
const DIGITS = new Uint16Array(11);

/**
 * Reads a phones cell. A piece made only of punctuation (`-`) counts as no phone.
 *
 * @example
 * parsePhonesCell("8 (915) 777-11-22; +7 915 777 11 22, 84951234567");
 * // { phones: ["79157771122", "74951234567"], invalid: [] }
 */
export function parsePhonesCell(cell: Cell): PhoneList {
  // Created with their first element: `[]` and push would reserve room for 16.
  let phones: string[] | undefined;
  let invalid: string[] | undefined;
  const text = typeof cell === "string" ? cell : cellText(cell);
  // Pieces are scanned in place: no substring unless a piece is bad.
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && !isContactSeparator(text.charCodeAt(i))) continue;
    if (i > start) {
      const phone = normalizePhone(text, start, i);
      if (phone === undefined) (invalid ??= []).push(maskPhone(text.slice(start, i)));
      else if (phone !== "") {
        if (phones === undefined) phones = [phone];
        else if (!phones.includes(phone)) phones.push(phone);
      }
    }
    start = i + 1;
  }
  return { phones: phones ?? [], invalid: invalid ?? NONE };
}

/**
 * One phone number (`text`, or its part from `start` to `end`) → `7XXXXXXXXXX`; `""` when it
 * holds no digit and only punctuation or spaces; `undefined` when it is not a plausible Russian
 * number.
 *
 * @example
 * normalizePhone("8 (915) 777-11-22"); // "79157771122"
 * normalizePhone("+375 29 123-45-67"); // undefined
 */
export function normalizePhone(text: string, start = 0, end = text.length): string | undefined {
  let value = 0;
  let count = 0;
  let first = -1;
  let plus = false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (count === 0) first = c - 48;
      value = value * 10 + (c - 48);
      count++;
      if (count > 11) return undefined;
    } else if (c === 0x2b /* + */) {
      if (count > 0 || plus) return undefined;
      plus = true;
    } else if (!isPhonePunctuation(c) && !isSpace(c)) {
      return undefined;
    }
  }
  if (count === 0) return plus ? undefined : "";
  let national: number;
  if (count === 11 && (first === 7 || (first === 8 && !plus))) {
    national = value - first * TEN_BILLION;
  } else if (count === 10 && !plus) national = value;
  else return undefined;
  const code = Math.floor(national / ONE_BILLION);
  return code === 3 || code === 4 || code === 8 || code === 9
    ? sevenAndLastTen(text, start, end)
    : undefined;
}

/**
 * `7` and the last ten digits of `text` from `start` to `end`, as one string built from the
 * characters (converting an 11-digit number to a string costs several times more).
 */
function sevenAndLastTen(text: string, start: number, end: number): string {
  let k = 10;
  for (let i = end - 1; i >= start && k > 0; i--) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) DIGITS[k--] = c;
  }
  return String.fromCharCode(
    55,
    DIGITS[1],
    DIGITS[2],
    DIGITS[3],
    DIGITS[4],
    DIGITS[5],
    DIGITS[6],
    DIGITS[7],
    DIGITS[8],
    DIGITS[9],
    DIGITS[10],
  );
}
