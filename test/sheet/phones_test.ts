import assert from "node:assert/strict";
import { normalizePhone, parsePhonesCell, type PhoneList } from "../../src/sheet/phones.ts";
import type { Cell } from "../../src/sheet/cells.ts";

const CASES: [Cell, PhoneList][] = [
  ["8 (915) 777-11-22", { phones: ["79157771122"], invalid: [] }],
  ["+7 915 777 11 22", { phones: ["79157771122"], invalid: [] }],
  ["+7 915 7771122", { phones: ["79157771122"], invalid: [] }],
  ["9157771122", { phones: ["79157771122"], invalid: [] }],
  ["7-915-777-11-22", { phones: ["79157771122"], invalid: [] }],
  ["+7(915)777.11.22", { phones: ["79157771122"], invalid: [] }],
  [79157771122, { phones: ["79157771122"], invalid: [] }],
  [89157771122, { phones: ["79157771122"], invalid: [] }],
  [9157771122, { phones: ["79157771122"], invalid: [] }],
  ["8 (495) 123-45-67", { phones: ["74951234567"], invalid: [] }],
  ["8 800 555-35-35", { phones: ["78005553535"], invalid: [] }],
  ["8 (343) 123-45-67", { phones: ["73431234567"], invalid: [] }],
  [
    "8 (915) 777-11-22, +7 916 000 11 22",
    { phones: ["79157771122", "79160001122"], invalid: [] },
  ],
  [
    "89157771122; 84951234567 / 9160001122\n+79261112233",
    { phones: ["79157771122", "74951234567", "79160001122", "79261112233"], invalid: [] },
  ],
  ["8 (915) 777-11-22, +7 915 777 11 22", { phones: ["79157771122"], invalid: [] }],
  ["", { phones: [], invalid: [] }],
  ["-", { phones: [], invalid: [] }],
  [" , ; ", { phones: [], invalid: [] }],
  [undefined, { phones: [], invalid: [] }],
  // Not plausible Russian numbers: reported masked, the good ones still read.
  ["12345", { phones: [], invalid: ["12***"] }],
  ["8 (915) 777-11", { phones: [], invalid: ["8915***7711"] }],
  ["8 (915) 777-11-22-3", { phones: [], invalid: ["8915***1223"] }],
  ["+375 29 123-45-67", { phones: [], invalid: ["3752***4567"] }],
  ["+8 915 777-11-22", { phones: [], invalid: ["8915***1122"] }],
  ["1157771122", { phones: [], invalid: ["1157***1122"] }],
  ["8 915 777-11-22 доб. 5", { phones: [], invalid: ["8915***1225"] }],
  ["нет", { phones: [], invalid: ["***"] }],
  ["9157771122, 123", { phones: ["79157771122"], invalid: ["***"] }],
  [79157771122.5, { phones: [], invalid: ["7915***1225"] }],
];

Deno.test("parsePhonesCell() normalises what clinics type and masks the rest", async (t) => {
  for (const [cell, expected] of CASES) {
    await t.step(
      `${JSON.stringify(cell)}`,
      () => assert.deepEqual(parsePhonesCell(cell), expected),
    );
  }
});

Deno.test("normalizePhone() tells an empty piece from a bad one", () => {
  assert.equal(normalizePhone("( - )"), "");
  assert.equal(normalizePhone("+"), undefined);
  assert.equal(normalizePhone("++7 915 777 11 22"), undefined);
  assert.equal(normalizePhone("7 915 777 11 22+"), undefined);
});

Deno.test("parsePhonesCell() takes a foreign number with a plus for a problem, not a Russian phone", () => {
  assert.deepEqual(parsePhonesCell("+46 8 123 4567"), { phones: [], invalid: ["4681***4567"] });
});
