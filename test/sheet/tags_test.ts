import assert from "node:assert/strict";
import { parseTagsCell } from "../../src/sheet/tags.ts";
import type { Cell } from "../../src/sheet/cells.ts";

const CASES: [Cell, string[]][] = [
  ["МРТ", ["МРТ"]],
  ["МРТ, первичный; акция\nповторный", ["МРТ", "первичный", "акция", "повторный"]],
  ["МРТ, МРТ ,  МРТ", ["МРТ"]],
  ["МРТ, мрт", ["МРТ", "мрт"]],
  [" , ;\n", []],
  ["акция 1+1 / весна", ["акция 1+1 / весна"]],
  [2026, ["2026"]],
  ["", []],
  ["—", []],
  [undefined, []],
];

Deno.test("parseTagsCell() splits, trims, drops empties and de-duplicates", async (t) => {
  for (const [cell, expected] of CASES) {
    await t.step(`${JSON.stringify(cell)}`, () => assert.deepEqual(parseTagsCell(cell), expected));
  }
});
