import assert from "node:assert/strict";
import {
  type Cell,
  cellText,
  isBlankCell,
  isContactSeparator,
  numberText,
  splitList,
  valueText,
} from "../../src/sheet/cells.ts";

Deno.test("numberText() writes numbers as typed, never 1234.0 or an exponent", async (t) => {
  const cases: [number, string][] = [
    [1234, "1234"],
    [1234.5, "1234.5"],
    [0, "0"],
    [-7, "-7"],
    [9007199254740993, "9007199254740992"],
    [1e20, "100000000000000000000"],
    [1e21, "1000000000000000000000"],
    [1.5e22, "15000000000000000000000"],
  ];
  for (const [value, expected] of cases) {
    await t.step(`${value}`, () => assert.equal(numberText(value), expected));
  }
});

Deno.test("cellText() and valueText() read every kind of cell", async (t) => {
  const cases: [Cell, string, string][] = [
    ["  A-17 \n", "A-17", "A-17"],
    [1234, "1234", "1234"],
    [true, "TRUE", "TRUE"],
    [false, "FALSE", "FALSE"],
    [undefined, "", ""],
    ["\u00a0\u202f", "", ""],
    [" - ", "-", ""],
    ["—", "—", ""],
    ["--", "--", ""],
    ["-5", "-5", "-5"],
  ];
  for (const [cell, text, value] of cases) {
    await t.step(`${JSON.stringify(cell)}`, () => {
      assert.equal(cellText(cell), text);
      assert.equal(valueText(cell), value);
    });
  }
});

Deno.test("isBlankCell() is true only for missing, empty and whitespace cells", () => {
  assert.deepEqual(
    ([undefined, "", " ", "\u00a0", "\t\n", "x", " x", "-", 0, false] as Cell[]).map(isBlankCell),
    [true, true, true, true, true, false, false, false, false, false],
  );
});

Deno.test("splitList() trims pieces and drops empty ones", () => {
  assert.deepEqual(splitList(" a , b;;c\r\nd / e ", isContactSeparator), ["a", "b", "c", "d", "e"]);
  assert.deepEqual(splitList("single", isContactSeparator), ["single"]);
  assert.deepEqual(splitList("", isContactSeparator), []);
});
