/** Calltouch's date-time format. */
import type { LocalDateTime } from "../deal.ts";
import { digitsAt, fitsDigitPattern } from "../util/digits.ts";
import type { CtDateTime } from "./types.ts";

/** `YYYY-MM-DDTHH:mm:ss`, digits as 9 (see `fitsDigitPattern`). */
const LOCAL_DATE_TIME = "9999-99-99T99:99:99";
/** `dd-MM-yyyy HH:mm:ss`. */
const CT_DATE_TIME = "99-99-9999 99:99:99";

/**
 * Formats a sheet date-time for Calltouch: `YYYY-MM-DDTHH:mm:ss` → `dd-MM-yyyy HH:mm:ss`.
 * The wall clock passes through unchanged (neither format has a zone).
 *
 * @throws {TypeError} when `local` is not a {@linkcode LocalDateTime} (a programming mistake:
 * the row parser only produces valid ones).
 * @example
 * toCalltouchDate("2021-07-19T16:42:32"); // "19-07-2021 16:42:32"
 */
export function toCalltouchDate(local: LocalDateTime): CtDateTime {
  // Checked, then read by position (a sync converts two dates per order: no match arrays).
  if (!fitsDigitPattern(local, LOCAL_DATE_TIME)) {
    throw new TypeError(`Not a LocalDateTime (YYYY-MM-DDTHH:mm:ss): "${local}"`);
  }
  return `${local.slice(8, 10)}-${local.slice(5, 7)}-${local.slice(0, 4)} ${local.slice(11)}`;
}

/**
 * The wall clock of a Calltouch date-time: `dd-MM-yyyy HH:mm:ss` → `YYYY-MM-DDTHH:mm:ss`.
 *
 * @throws {TypeError} when `date` is not in Calltouch's form.
 * @example
 * fromCalltouchDate("19-07-2021 16:42:32"); // "2021-07-19T16:42:32"
 */
export function fromCalltouchDate(date: CtDateTime): LocalDateTime {
  if (!fitsDigitPattern(date, CT_DATE_TIME)) {
    throw new TypeError(`Not a Calltouch date-time (dd-MM-yyyy HH:mm:ss): "${date}"`);
  }
  return `${date.slice(6, 10)}-${date.slice(3, 5)}-${date.slice(0, 2)}T${date.slice(11)}`;
}

/**
 * A Calltouch date-time's wall clock read as UTC, in epoch ms (see `instantOfUtcReading`): by
 * position, without building the wall clock's text (a sync reads one per order sent).
 *
 * @throws {TypeError} when `date` is not in Calltouch's form.
 * @example
 * calltouchDateAsUtc("19-07-2021 16:42:32"); // Date.UTC(2021, 6, 19, 16, 42, 32)
 */
export function calltouchDateAsUtc(date: CtDateTime): number {
  if (!fitsDigitPattern(date, CT_DATE_TIME)) {
    throw new TypeError(`Not a Calltouch date-time (dd-MM-yyyy HH:mm:ss): "${date}"`);
  }
  return Date.UTC(
    digitsAt(date, 6, 10),
    digitsAt(date, 3, 5) - 1,
    digitsAt(date, 0, 2),
    digitsAt(date, 11, 13),
    digitsAt(date, 14, 16),
    digitsAt(date, 17, 19),
  );
}
