/** Wall clocks in IANA zones: the quarter-hour offset memo must read exactly as `Intl` does. */
import assert from "node:assert/strict";
import {
  convertWallClock,
  instantOf,
  instantOfUtcReading,
  wallClockAt,
} from "../../src/util/zones.ts";

const formats = new Map<string, Intl.DateTimeFormat>();

/** The wall clock by Intl alone (Swedish dates read as ISO: `2026-11-28 15:00:00`). */
function intl(epochMs: number, zone: string): string {
  let format = formats.get(zone);
  if (!format) {
    const options = { timeZone: zone, dateStyle: "short", timeStyle: "medium" } as const;
    format = new Intl.DateTimeFormat("sv-SE", options);
    formats.set(zone, format);
  }
  return format.format(epochMs).replace(" ", "T");
}

/** The zone's offset at an instant, as Intl reads it. */
function offset(epochMs: number, zone: string): number {
  const [date, time] = intl(epochMs, zone).split("T");
  const [y, mo, d] = date.split("-").map(Number);
  const [h, mi, se] = time.split(":").map(Number);
  return Date.UTC(y, mo - 1, d, h, mi, se) - Math.floor(epochMs / 1000) * 1000;
}

const ZONES = [
  "Europe/Moscow", // +4 in 2011–2014, +3 since
  "Europe/Berlin",
  "America/New_York",
  "Asia/Kathmandu", // +5:45
  "Australia/Lord_Howe", // a half-hour DST
  "Asia/Novosibirsk",
  "Africa/Casablanca", // two changes a month apart every Ramadan (the memo reads weeks)
  "America/Santiago",
  "UTC",
];

Deno.test("wallClockAt() reads as Intl does, around every offset change of 2010–2027", () => {
  for (const zone of ZONES) {
    let checked = 0;
    // Every 6 hours over 17 years, and around each change found: the seconds either side.
    for (let t = Date.UTC(2010, 0, 1); t < Date.UTC(2027, 0, 1); t += 6 * 3_600_000) {
      const next = t + 6 * 3_600_000;
      for (const at of [t, t + 1_234_567]) {
        assert.equal(
          wallClockAt(at, zone),
          intl(at, zone),
          `${zone} ${new Date(at).toISOString()}`,
        );
        checked++;
      }
      if (offset(next, zone) !== offset(t, zone)) {
        // An offset change in between may hide here: bisect to the minute and check both sides.
        for (let m = t; m < next; m += 15 * 60_000) {
          for (const at of [m - 1000, m, m + 999]) {
            assert.equal(wallClockAt(at, zone), intl(at, zone), `${zone} ${at}`);
            checked++;
          }
        }
      }
    }
    assert.ok(checked > 20_000, `${zone}: ${checked} instants`);
  }
});

Deno.test("instantOfUtcReading() is instantOf() of the wall clock read as UTC, DST included", () => {
  for (const zone of ZONES) {
    // Every 7 h 1 min of two years, and every 15 minutes of the days around Berlin's changes.
    const instants: number[] = [];
    for (let t = Date.UTC(2025, 0, 1); t < Date.UTC(2027, 0, 1); t += 7 * 3_600_000 + 60_000) {
      instants.push(t);
    }
    for (const day of [Date.UTC(2026, 2, 29), Date.UTC(2026, 9, 25)]) {
      for (let t = day - 86_400_000; t < day + 86_400_000; t += 900_000) instants.push(t);
    }
    for (const t of instants) {
      const local = wallClockAt(t, zone);
      const reading = Date.parse(`${local}Z`);
      assert.equal(instantOfUtcReading(reading, zone), instantOf(local, zone), `${zone} ${local}`);
    }
  }
  // instantOf() compares the near-change candidates with the text it was given, even one that is
  // not a normalised wall clock (values of the build before instantOfUtcReading existed).
  assert.equal(instantOf("2021-03-27T27:30:00", "Europe/Berlin"), 1616898600000);
  assert.equal(instantOf("2021-03-28T03:90:00", "Europe/Berlin"), 1616902200000);
  assert.equal(instantOf("0050-04-27T20:30:00", "America/New_York"), -621037800000);
  // The gap and the repeated hour, read as instantOf() reads them.
  assert.equal(
    instantOfUtcReading(Date.UTC(2026, 2, 29, 2, 30), "Europe/Berlin"),
    Date.UTC(2026, 2, 29, 1, 30),
  );
  assert.equal(
    instantOfUtcReading(Date.UTC(2026, 9, 25, 2, 30), "Europe/Berlin"),
    Date.UTC(2026, 9, 25, 0, 30),
  );
});

Deno.test("instantOf() and convertWallClock() agree with wallClockAt(), DST included", () => {
  assert.equal(instantOf("2026-11-28T15:00:00", "Europe/Moscow"), Date.UTC(2026, 10, 28, 12));
  assert.equal(
    convertWallClock("2026-11-28T10:00:00", "Europe/Moscow", "Asia/Novosibirsk"),
    "2026-11-28T14:00:00",
  );
  // Berlin's spring-forward gap (02:30 does not exist) reads with the offset before it.
  assert.equal(instantOf("2026-03-29T02:30:00", "Europe/Berlin"), Date.UTC(2026, 2, 29, 1, 30));
  // Autumn's repeated hour: the first occurrence.
  assert.equal(instantOf("2026-10-25T02:30:00", "Europe/Berlin"), Date.UTC(2026, 9, 25, 0, 30));
  for (const zone of ZONES) {
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 7 * 3_600_000 + 61_000) {
      const local = wallClockAt(t, zone);
      assert.equal(wallClockAt(instantOf(local, zone), zone), local, `${zone} ${local}`);
    }
  }
});
