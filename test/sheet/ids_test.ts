import assert from "node:assert/strict";
import { IdIndex, readOrderNumber } from "../../src/sheet/ids.ts";
import type { Cell } from "../../src/sheet/cells.ts";

Deno.test("readOrderNumber() reads IDs as typed", async (t) => {
  const cases: [Cell, string][] = [
    [1234, "1234"],
    [1234.5, "1234.5"],
    [123456789012345, "123456789012345"],
    ["  A-17 ", "A-17"],
    ["00123", "00123"],
    ["", ""],
    ["-", ""],
    [undefined, ""],
  ];
  for (const [cell, expected] of cases) {
    await t.step(`${JSON.stringify(cell)}`, () => assert.equal(readOrderNumber(cell), expected));
  }
});

Deno.test("IdIndex reports every row of an ID seen more than once", () => {
  const ids = new IdIndex();
  ids.add("1", 2);
  ids.add("2", 3);
  ids.add("1", 4);
  ids.add("a", 5);
  ids.add("A", 6);
  ids.add("1", 7);
  assert.deepEqual([...ids.duplicates], [["1", [2, 4, 7]]]);
});
