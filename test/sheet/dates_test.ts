import assert from "node:assert/strict";
import { type DateFailure, parseDateCell, serialToLocal } from "../../src/sheet/dates.ts";
import type { Cell } from "../../src/sheet/cells.ts";

const DATE_CASES: [string, Cell, string | DateFailure | undefined][] = [
  // Text as clinics type it.
  ["ДД.ММ.ГГГГ", "22.11.2026", "2026-11-22T00:00:00"],
  ["ДД.ММ.ГГГГ ЧЧ:ММ", "22.11.2026 14:05", "2026-11-22T14:05:00"],
  ["ДД.ММ.ГГГГ ЧЧ:ММ:СС", "22.11.2026 14:05:09", "2026-11-22T14:05:09"],
  ["ГГГГ-ММ-ДД", "2026-11-22", "2026-11-22T00:00:00"],
  ["ГГГГ-ММ-ДД ЧЧ:ММ", "2026-11-22 14:05", "2026-11-22T14:05:00"],
  ["ГГГГ-ММ-ДДTЧЧ:ММ:СС", "2026-11-22T14:05:09", "2026-11-22T14:05:09"],
  ["ДД-ММ-ГГГГ ЧЧ:ММ:СС (Calltouch's own)", "22-11-2026 14:05:09", "2026-11-22T14:05:09"],
  ["ДД/ММ/ГГГГ", "22/11/2026", "2026-11-22T00:00:00"],
  ["one-digit day and month", "1.2.2026", "2026-02-01T00:00:00"],
  ["one-digit hour", "01.02.2026 9:05", "2026-02-01T09:05:00"],
  ["year suffix г.", "22.11.2026 г.", "2026-11-22T00:00:00"],
  ["year suffix г and a time", "22.11.2026г 14:05", "2026-11-22T14:05:00"],
  ["comma before the time", "22.11.2026, 14:05", "2026-11-22T14:05:00"],
  ["surrounding and non-breaking spaces", " 22.11.2026\u00a014:05 ", "2026-11-22T14:05:00"],
  ["leap day", "29.02.2028", "2028-02-29T00:00:00"],
  ["last second of the day", "31.12.2026 23:59:59", "2026-12-31T23:59:59"],
  // Impossible values are problems, not rollovers.
  ["31 February", "31.02.2026", { problem: "impossible", value: "31.02.2026" }],
  ["29 February of a common year", "29.02.2025", { problem: "impossible", value: "29.02.2025" }],
  ["31 April", "2026-04-31", { problem: "impossible", value: "2026-04-31" }],
  ["month 13", "01.13.2026", { problem: "impossible", value: "01.13.2026" }],
  ["day 0", "00.11.2026", { problem: "impossible", value: "00.11.2026" }],
  ["hour 25", "22.11.2026 25:00", { problem: "impossible", value: "22.11.2026 25:00" }],
  ["hour 24", "22.11.2026 24:00", { problem: "impossible", value: "22.11.2026 24:00" }],
  ["minute 60", "22.11.2026 14:60", { problem: "impossible", value: "22.11.2026 14:60" }],
  // Not a date format we read.
  ["two-digit year", "22.11.26", { problem: "invalid", value: "22.11.26" }],
  ["words", "abc", { problem: "invalid", value: "abc" }],
  ["month name", "22 ноября 2026", { problem: "invalid", value: "22 ноября 2026" }],
  ["mixed separators", "22.11-2026", { problem: "invalid", value: "22.11-2026" }],
  ["one-digit minutes", "22.11.2026 14:5", { problem: "invalid", value: "22.11.2026 14:5" }],
  ["zone suffix", "2026-11-22T14:05:00Z", { problem: "invalid", value: "2026-11-22T14:05:00Z" }],
  ["time only", "14:05", { problem: "invalid", value: "14:05" }],
  ["digits as text", "46348", { problem: "invalid", value: "46348" }],
  ["checkbox", true, { problem: "invalid", value: "TRUE" }],
  ["year before 2000", "31.12.1999", { problem: "out_of_range", value: "31.12.1999" }],
  ["year after 2099", "2100-01-01", { problem: "out_of_range", value: "2100-01-01" }],
  // Empty.
  ["empty", "", undefined],
  ["whitespace", "  ", undefined],
  ["dash", "—", undefined],
  ["missing cell", undefined, undefined],
];

Deno.test("parseDateCell() reads what clinics type", async (t) => {
  for (const [name, cell, expected] of DATE_CASES) {
    await t.step(`${name}: ${JSON.stringify(cell)}`, () => {
      assert.deepEqual(parseDateCell(cell), expected);
    });
  }
});

const SERIAL_CASES: [number, string | DateFailure][] = [
  [45658, "2025-01-01T00:00:00"],
  [45366.604166666664, "2024-03-15T14:30:00"],
  [46348.5868055556, "2026-11-22T14:05:00"],
  [46348.58681712963, "2026-11-22T14:05:01"],
  // float noise rounds to the nearest second, also across midnight
  [46348.99999999, "2026-11-23T00:00:00"],
  [46348.999988426, "2026-11-22T23:59:59"],
  [36526, "2000-01-01T00:00:00"],
  [73050.5, "2099-12-31T12:00:00"],
  [2.5, { problem: "out_of_range", value: "01.01.1900 12:00" }],
  [5, { problem: "out_of_range", value: "04.01.1900" }],
  [73051, { problem: "out_of_range", value: "01.01.2100" }],
  [1e300, { problem: "invalid", value: "1e+300" }],
];

Deno.test("serialToLocal() converts serial numbers arithmetically, to whole seconds", async (t) => {
  for (const [serial, expected] of SERIAL_CASES) {
    await t.step(String(serial), () => assert.deepEqual(serialToLocal(serial), expected));
  }
});

Deno.test("serialToLocal() agrees with Date for every day of 2000-2099 at 13:37:42", () => {
  const seconds = 13 * 3600 + 37 * 60 + 42;
  for (let serial = 36526; serial < 73051; serial++) {
    const expected = new Date(Date.UTC(1899, 11, 30) + serial * 86_400_000 + seconds * 1000)
      .toISOString().slice(0, 19);
    assert.equal(serialToLocal(serial + seconds / 86_400), expected);
  }
});

Deno.test("parseDateCell() takes a time with seconds after a whole minute", () => {
  assert.equal(parseDateCell("20.11.2026 14:00:30"), "2026-11-20T14:00:30");
  assert.equal(parseDateCell("2026-11-20 14:00:30"), "2026-11-20T14:00:30");
  assert.equal(parseDateCell("20.11.2026 14:00:59"), "2026-11-20T14:00:59");
});
