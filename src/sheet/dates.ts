/**
 * Dates and times of the sheet → {@linkcode LocalDateTime} (`YYYY-MM-DDTHH:mm:ss`, the clinic's
 * wall clock). Reads serial numbers arithmetically (no `Intl`, no `Date`) and hand-typed text.
 *
 * Serial numbers count days since 1899-12-30, the fraction being the time of day, and already
 * denote wall-clock time in the spreadsheet's time zone. Calltouch takes zone-less wall clock too,
 * so a serial maps to the same wall clock whatever the zone: nothing is shifted, ever.
 *
 * Text formats (surrounding whitespace ignored, 1- or 2-digit day, month and hour):
 * - `ДД.ММ.ГГГГ`, `ДД/ММ/ГГГГ`, `ДД-ММ-ГГГГ`, optionally followed by ` г.` (`22.11.2026 г.`);
 * - `ГГГГ-ММ-ДД`;
 * - either of them followed by a time `ЧЧ:ММ` or `ЧЧ:ММ:СС`, separated by spaces, `, ` or `T`.
 *
 * Not accepted: two-digit years, month names, times with a zone or fractions of a second.
 * Impossible values (`31.02.2026`, `29.02.2025`, `25:00`) are reported, never rolled over; years
 * outside {@linkcode MIN_YEAR}..{@linkcode MAX_YEAR} are reported as out of range.
 */
import type { LocalDateTime } from "../deal.ts";
import { type Cell, isSpace, valueText } from "./cells.ts";

/** Earliest year accepted: Calltouch holds no calls from before it. */
export const MIN_YEAR = 2000;
/** Latest year accepted: later years are typing mistakes. */
export const MAX_YEAR = 2099;

/** Why a date cell could not be read; `value` is the cell as the clinic sees it. */
export interface DateFailure {
  problem: "invalid" | "impossible" | "out_of_range";
  value: string;
}

const SECONDS_PER_DAY = 86_400;
/** Days from 1899-12-30 (serial 0) to 1970-01-01. */
const SERIAL_UNIX_EPOCH = 25_569;
/** Serial numbers of 0001-01-01 and 9999-12-31: beyond them a number is not a date at all. */
const SERIAL_MIN = daysFromCivil(1, 1, 1) + SERIAL_UNIX_EPOCH;
const SERIAL_MAX = daysFromCivil(9999, 12, 31) + SERIAL_UNIX_EPOCH;
/** Serial numbers of MIN_YEAR-01-01 and (MAX_YEAR + 1)-01-01. */
const SERIAL_FIRST = daysFromCivil(MIN_YEAR, 1, 1) + SERIAL_UNIX_EPOCH;
const SERIAL_END = daysFromCivil(MAX_YEAR + 1, 1, 1) + SERIAL_UNIX_EPOCH;

/**
 * Reads a date cell: a serial number or text in one of the formats above. Returns the wall-clock
 * date-time (date-only values at `00:00:00`), `undefined` for an empty cell (or a lone dash),
 * or a {@linkcode DateFailure}.
 *
 * @example
 * parseDateCell(46348.5868055556); // "2026-11-22T14:05:00"
 * parseDateCell("22.11.2026"); // "2026-11-22T00:00:00"
 * parseDateCell("31.02.2026"); // { problem: "impossible", value: "31.02.2026" }
 */
export function parseDateCell(cell: Cell): LocalDateTime | DateFailure | undefined {
  if (typeof cell === "number") return serialToLocal(cell);
  const text = valueText(cell);
  return text.length === 0 ? undefined : parseDateText(text);
}

/**
 * A serial number (days since 1899-12-30, fraction = time of day) → wall clock, rounded to whole
 * seconds. Pure arithmetic: the result does not depend on any time zone.
 *
 * @example
 * serialToLocal(45366.604166666664); // "2024-03-15T14:30:00"
 */
export function serialToLocal(serial: number): LocalDateTime | DateFailure {
  if (!(serial >= SERIAL_MIN && serial < SERIAL_MAX + 1)) {
    return { problem: "invalid", value: String(serial) };
  }
  const total = Math.round(serial * SECONDS_PER_DAY);
  const days = Math.floor(total / SECONDS_PER_DAY);
  const seconds = total - days * SECONDS_PER_DAY;
  const hour = Math.floor(seconds / 3600);
  const minute = Math.floor((seconds - hour * 3600) / 60);
  const second = seconds - hour * 3600 - minute * 60;
  const civil = civilFromDays(days - SERIAL_UNIX_EPOCH);
  if (days < SERIAL_FIRST || days >= SERIAL_END) {
    // As the sheet shows it: DD.MM.YYYY[ HH:MM].
    const [date, time] = format(civil.year, civil.month, civil.day, hour, minute, second)
      .split("T");
    const [yyyy, mm, dd] = date.split("-");
    return {
      problem: "out_of_range",
      value: `${dd}.${mm}.${yyyy}${seconds === 0 ? "" : ` ${time.slice(0, 5)}`}`,
    };
  }
  return format(civil.year, civil.month, civil.day, hour, minute, second);
}

/**
 * Hand-typed text → wall clock; see the module doc for the formats.
 *
 * @example
 * parseDateText("2026-11-22 14:05"); // "2026-11-22T14:05:00"
 * parseDateText("1.2.2026"); // "2026-02-01T00:00:00"
 */
export function parseDateText(text: string): LocalDateTime | DateFailure {
  const s = new Scanner(text.trim());
  let year: number;
  let month: number;
  let day: number;
  const firstRun = s.digitsAhead();
  if (firstRun === 4) {
    year = s.int(4, 4);
    month = s.eat(0x2d /* - */) ? s.int(1, 2) : -1;
    day = month >= 0 && s.eat(0x2d) ? s.int(1, 2) : -1;
  } else if (firstRun === 1 || firstRun === 2) {
    day = s.int(1, 2);
    const separator = s.peek();
    const ok = separator === 0x2e /* . */ || separator === 0x2f /* / */ || separator === 0x2d;
    month = ok && s.eat(separator) ? s.int(1, 2) : -1;
    year = month >= 0 && s.eat(separator) ? s.int(4, 4) : -1;
    if (year >= 0) s.eatYearSuffix();
  } else {
    return invalid(text);
  }
  if (day < 0 || year < 0) return invalid(text);

  let hour = 0;
  let minute = 0;
  let second = 0;
  if (!s.done()) {
    hour = s.eatTimeSeparator() ? s.int(1, 2) : -1;
    minute = hour >= 0 && s.eat(0x3a /* : */) ? s.int(2, 2) : -1;
    if (minute >= 0 && s.eat(0x3a)) second = s.int(2, 2);
    if (minute < 0 || second < 0 || !s.done()) return invalid(text);
  }

  if (
    month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) ||
    hour > 23 || minute > 59 || second > 59
  ) {
    return { problem: "impossible", value: text.trim() };
  }
  if (year < MIN_YEAR || year > MAX_YEAR) return { problem: "out_of_range", value: text.trim() };
  return format(year, month, day, hour, minute, second);
}

function invalid(text: string): DateFailure {
  return { problem: "invalid", value: text.trim() };
}

/** The characters of `YYYY-MM-DDTHH:mm:ss`, separators in place, digits filled by `format`. */
const CHARS = [0, 0, 0, 0, 0x2d, 0, 0, 0x2d, 0, 0, 0x54, 0, 0, 0x3a, 0, 0, 0x3a, 0, 0];

/**
 * Puts the two digits of `n` (0–99) at `at`. `| 0` keeps every element a small integer: once
 * optimised code stored a double (`Math.floor` gives one), the buffer held doubles for good and
 * each `apply` boxed all 19 (measured: the first sync of 10,000 deals read its dates ~20 ms slower
 * and collected ~45 ms more garbage).
 */
function twoDigits(at: number, n: number): void {
  CHARS[at] = (48 + Math.floor(n / 10)) | 0;
  CHARS[at + 1] = (48 + (n % 10)) | 0;
}

function format(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
): LocalDateTime {
  // One flat string in one allocation; a template literal would build a chain of cons strings.
  twoDigits(0, Math.floor(year / 100));
  twoDigits(2, year % 100);
  twoDigits(5, month);
  twoDigits(8, day);
  twoDigits(11, hour);
  twoDigits(14, minute);
  twoDigits(17, second);
  return String.fromCharCode.apply(null, CHARS);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 → proleptic Gregorian date (H. Hinnant's `civil_from_days`). */
function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) -
      Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** Proleptic Gregorian date → days since 1970-01-01 (H. Hinnant's `days_from_civil`). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** A cursor over date text; allocation-light, no regular expressions. */
class Scanner {
  pos = 0;

  constructor(readonly text: string) {}

  done(): boolean {
    return this.pos >= this.text.length;
  }

  peek(): number {
    return this.text.charCodeAt(this.pos);
  }

  eat(c: number): boolean {
    if (this.peek() !== c) return false;
    this.pos++;
    return true;
  }

  /** Length of the run of digits at the cursor. */
  digitsAhead(): number {
    let length = 0;
    for (;;) {
      const c = this.text.charCodeAt(this.pos + length);
      if (!(c >= 48 && c <= 57)) return length;
      length++;
    }
  }

  /** Reads a run of `min` to `max` digits as a number; -1 (cursor unmoved) for any other run. */
  int(min: number, max: number): number {
    const length = this.digitsAhead();
    if (length < min || length > max) return -1;
    let value = 0;
    for (let i = 0; i < length; i++) value = value * 10 + this.text.charCodeAt(this.pos + i) - 48;
    this.pos += length;
    return value;
  }

  /** Skips `г` / `г.` after a year (`22.11.2026 г.`), with optional spaces before it. */
  eatYearSuffix(): void {
    let i = this.pos;
    while (isSpace(this.text.charCodeAt(i))) i++;
    if (this.text.charCodeAt(i) !== 0x433 /* г */) return;
    i++;
    if (this.text.charCodeAt(i) === 0x2e) i++;
    this.pos = i;
  }

  /** Between date and time: `T`, or spaces with at most one comma among them. */
  eatTimeSeparator(): boolean {
    if (this.eat(0x54 /* T */)) return true;
    const start = this.pos;
    let comma = false;
    for (;;) {
      const c = this.peek();
      if (isSpace(c)) this.pos++;
      else if (c === 0x2c && !comma) {
        comma = true;
        this.pos++;
      } else break;
    }
    return this.pos > start;
  }
}
