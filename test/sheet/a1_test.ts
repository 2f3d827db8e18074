import assert from "node:assert/strict";
import {
  a1Cell,
  a1Column,
  a1ColumnSpan,
  a1Tab,
  columnLetters,
  columnNumber,
  MAX_COLUMN,
  quoteSheetTitle,
} from "../../src/sheet/a1.ts";

Deno.test("quoteSheetTitle() quotes every title and doubles apostrophes", async (t) => {
  const cases: [string, string][] = [
    ["Sheet1", "'Sheet1'"],
    ["Deals 2024", "'Deals 2024'"],
    ["Сделки 2026", "'Сделки 2026'"],
    ["Jon's", "'Jon''s'"],
    ["''", "''''''"],
    ["A1", "'A1'"],
    ["a!b:c", "'a!b:c'"],
  ];
  for (const [title, quoted] of cases) {
    await t.step(`${JSON.stringify(title)} → ${quoted}`, () => {
      assert.equal(quoteSheetTitle(title), quoted);
    });
  }
});

Deno.test("columnLetters() and columnNumber() are inverse bijective base 26", async (t) => {
  const cases: [number, string][] = [
    [1, "A"],
    [26, "Z"],
    [27, "AA"],
    [52, "AZ"],
    [53, "BA"],
    [702, "ZZ"],
    [703, "AAA"],
    [MAX_COLUMN, "ZZZ"],
  ];
  for (const [number, letters] of cases) {
    await t.step(`${number} ↔ ${letters}`, () => {
      assert.equal(columnLetters(number), letters);
      assert.equal(columnNumber(letters), number);
      assert.equal(columnNumber(letters.toLowerCase()), number);
    });
  }
  await t.step("round-trips every column", () => {
    for (let n = 1; n <= MAX_COLUMN; n++) assert.equal(columnNumber(columnLetters(n)), n);
  });
});

Deno.test("columnLetters() and columnNumber() refuse what is not a column", async (t) => {
  for (const bad of [0, -1, 1.5, NaN, MAX_COLUMN + 1]) {
    await t.step(`columnLetters(${bad})`, () => {
      assert.throws(() => columnLetters(bad), RangeError);
    });
  }
  for (const bad of ["", "A1", "AAAA", "Я", " A"]) {
    await t.step(`columnNumber(${JSON.stringify(bad)})`, () => {
      assert.throws(() => columnNumber(bad), RangeError);
    });
  }
});

Deno.test("a1Cell(), a1Column(), a1ColumnSpan() and a1Tab() build quoted references", () => {
  assert.equal(a1Cell("Сделки 2026", 5, 3), "'Сделки 2026'!C5");
  assert.equal(a1Cell("Jon's", 1, 27), "'Jon''s'!AA1");
  assert.equal(a1Column("Deals", 2), "'Deals'!B:B");
  assert.equal(a1ColumnSpan("Deals", 2, 4, 7), "'Deals'!B4:B7");
  assert.equal(a1ColumnSpan("Deals", 2, 4, 4), "'Deals'!B4");
  assert.equal(a1Tab("Jon's"), "'Jon''s'");
  assert.throws(() => a1Cell("Deals", 0, 1), RangeError);
  assert.throws(() => a1ColumnSpan("Deals", 1, 5, 4), RangeError);
});
