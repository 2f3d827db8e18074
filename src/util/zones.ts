/**
 * Wall clocks in IANA time zones, with `Intl` only (no hand-made offsets): the sheet's dates are
 * its zone's wall clock, Calltouch takes its project's wall clock, and daylight saving time moves
 * the difference between them twice a year in some zones.
 */
import type { LocalDateTime } from "../deal.ts";

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(zone, format);
  }
  return format;
}

/** Whether `zone` is an IANA time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    formatters.delete(zone);
    return false;
  }
}

/** The wall clock of an instant in a zone, by `Intl` (slow: see {@linkcode offsetAt}). */
function intlWallClockAt(epochMs: number, zone: string): LocalDateTime {
  const parts: Record<string, string> = {};
  for (const part of formatter(zone).formatToParts(epochMs)) parts[part.type] = part.value;
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
}

/** The wall clock of an instant read in UTC (years 0–9999: ISO 8601's four digits). */
function utcWallClock(epochMs: number): LocalDateTime {
  return new Date(epochMs).toISOString().slice(0, 19);
}

/**
 * The wall clock of an instant in a zone, to the second.
 *
 * @example
 * wallClockAt(Date.UTC(2026, 10, 28, 12), "Europe/Moscow"); // "2026-11-28T15:00:00"
 */
export function wallClockAt(epochMs: number, zone: string): LocalDateTime {
  return utcWallClock(Math.floor(epochMs / 1000) * 1000 + offsetAt(epochMs, zone));
}

/** Epoch ms of a wall clock read as if it were UTC. */
function asUtc(local: LocalDateTime): number {
  // `YYYY-MM-DDTHH:mm:ss` by position: a sync reads tens of thousands of them.
  return Date.UTC(
    +local.slice(0, 4),
    +local.slice(5, 7) - 1,
    +local.slice(8, 10),
    +local.slice(11, 13),
    +local.slice(14, 16),
    +local.slice(17, 19),
  );
}

/**
 * Offsets change only at whole quarter hours of UTC (every change since 1970, the +5:45 zones'
 * included), at most once a day: one `Intl` reading at each end of a UTC day tells whether the
 * whole day has one offset (almost every day), else the day is read by quarter hours; days are
 * first read a week at a time (two readings for seven days when the week has one offset). A sync
 * renders tens of thousands of dates over a few hundred days, and `Intl` costs ~10 µs.
 */
const QUARTER_HOUR = 15 * 60 * 1000;
const DAY = 24 * 60 * 60 * 1000;
/** Days read together (see {@linkcode offsetAt}). */
const WEEK_DAYS = 7;
/** Per zone: the offset of each UTC day (NaN: it changes that day), and of its quarter hours. */
const offsets = new Map<string, { days: Map<number, number>; quarters: Map<number, number> }>();
/** Days or quarter hours remembered per zone before the memo starts over. */
const MAX_OFFSETS = 20_000;

/** The offset at a whole second, by `Intl`. */
function intlOffsetAt(epochMs: number, zone: string): number {
  return asUtc(intlWallClockAt(epochMs, zone)) - epochMs;
}

function remember(memo: Map<number, number>, key: number, value: number): number {
  if (memo.size >= MAX_OFFSETS) memo.clear();
  memo.set(key, value);
  return value;
}

/** The zone's offset from UTC at an instant, in ms (Moscow: +3 h). */
function offsetAt(epochMs: number, zone: string): number {
  let memo = offsets.get(zone);
  if (!memo) {
    memo = { days: new Map(), quarters: new Map() };
    offsets.set(zone, memo);
  }
  const day = Math.floor(epochMs / DAY);
  let offset = memo.days.get(day);
  if (offset === undefined) {
    // A week read at both ends: one offset (no zone changes twice within a week), and each of
    // its days has it; else each day is read on its own.
    const week = day - (day % WEEK_DAYS);
    const start = intlOffsetAt(week * DAY, zone);
    if (start === intlOffsetAt((week + WEEK_DAYS) * DAY - QUARTER_HOUR, zone)) {
      for (let d = week; d < week + WEEK_DAYS; d++) remember(memo.days, d, start);
      offset = start;
    } else {
      const first = intlOffsetAt(day * DAY, zone);
      const last = intlOffsetAt((day + 1) * DAY - QUARTER_HOUR, zone);
      offset = remember(memo.days, day, first === last ? first : NaN);
    }
  }
  if (!Number.isNaN(offset)) return offset;
  const quarter = Math.floor(epochMs / QUARTER_HOUR);
  return memo.quarters.get(quarter) ??
    remember(memo.quarters, quarter, intlOffsetAt(quarter * QUARTER_HOUR, zone));
}

/**
 * The instant a wall clock of a zone denotes. A wall clock skipped by a spring-forward change
 * is read with the offset before it; a repeated one (autumn) as its first occurrence.
 */
export function instantOf(local: LocalDateTime, zone: string): number {
  return instantOfUtcReading(asUtc(local), zone, local);
}

/**
 * {@linkcode instantOf} for a wall clock given as its reading in UTC (epoch ms of the same wall
 * clock in UTC): what a caller that has the wall clock's numbers already (a Calltouch date, see
 * `calltouch/dates.ts`) passes without building the text first. `local`, when the caller has it:
 * the text the rare wall clock near an offset change is compared with (default: the reading's).
 */
export function instantOfUtcReading(
  guess: number,
  zone: string,
  local?: LocalDateTime,
): number {
  // The offsets half a day either side cover any change near this wall clock.
  const early = offsetAt(guess - HALF_DAY, zone);
  const late = offsetAt(guess + HALF_DAY, zone);
  // No change near it (almost every wall clock): the one instant whose offset is that one.
  if (early === late && offsetAt(guess - early, zone) === early) return guess - early;
  const before = guess - early;
  const after = guess - late;
  const text = local ?? utcWallClock(guess); // built only here: the rare case
  const fits = [before, after].filter((instant) => wallClockAt(instant, zone) === text);
  return fits.length > 0 ? Math.min(...fits) : before;
}

const HALF_DAY = 12 * 60 * 60 * 1000;

/**
 * A wall clock of one zone as the wall clock of another, DST-correct.
 *
 * @example
 * convertWallClock("2026-11-28T10:00:00", "Europe/Moscow", "Asia/Novosibirsk");
 * // "2026-11-28T14:00:00"
 */
export function convertWallClock(local: LocalDateTime, from: string, to: string): LocalDateTime {
  if (from === to) return local;
  return wallClockAt(instantOf(local, from), to);
}

/** The zone a new Calltouch project starts with. */
export const CALLTOUCH_DEFAULT_ZONE = "Europe/Moscow";

/** The sheet's zone and the Calltouch project's, as a run uses them. */
export interface Zones {
  sheet: string;
  calltouch: string;
}

/**
 * What deserves the integrator's eye about two zones: dates are shifted when they `differ`;
 * when the project's zone is not Calltouch's default Moscow time, someone must have set it so in
 * the project (`notDefault`), or Calltouch reads every date wrongly.
 */
export function zoneNotes(zones: Zones): { differ: boolean; notDefault: boolean } {
  return {
    differ: zones.sheet !== zones.calltouch,
    notDefault: zones.calltouch !== CALLTOUCH_DEFAULT_ZONE,
  };
}
