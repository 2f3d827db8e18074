/** Calltouch's date-time format. */
import type { LocalDateTime } from "../deal.ts";
import type { CtDateTime } from "./types.ts";

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/;

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
  if (!LOCAL_DATE_TIME.test(local)) {
    throw new TypeError(`Not a LocalDateTime (YYYY-MM-DDTHH:mm:ss): "${local}"`);
  }
  return `${local.slice(8, 10)}-${local.slice(5, 7)}-${local.slice(0, 4)} ${local.slice(11)}`;
}

const CT_DATE_TIME = /^(\d{2})-(\d{2})-(\d{4}) (\d{2}):(\d{2}):(\d{2})$/;

/**
 * The wall clock of a Calltouch date-time: `dd-MM-yyyy HH:mm:ss` → `YYYY-MM-DDTHH:mm:ss`.
 *
 * @throws {TypeError} when `date` is not in Calltouch's form.
 * @example
 * fromCalltouchDate("19-07-2021 16:42:32"); // "2021-07-19T16:42:32"
 */
export function fromCalltouchDate(date: CtDateTime): LocalDateTime {
  if (!CT_DATE_TIME.test(date)) {
    throw new TypeError(`Not a Calltouch date-time (dd-MM-yyyy HH:mm:ss): "${date}"`);
  }
  return `${date.slice(6, 10)}-${date.slice(3, 5)}-${date.slice(0, 2)}T${date.slice(11)}`;
}
