import assert from "node:assert/strict";
import { type MoneyFailure, parseMoneyCell } from "../../src/sheet/money.ts";
import type { Cell } from "../../src/sheet/cells.ts";

const CASES: [Cell, string | MoneyFailure | undefined][] = [
  // Numeric cells.
  [1000, "1000.00"],
  [1000.5, "1000.50"],
  [0, "0.00"],
  [1234.567, "1234.57"], // formula results are rounded to kopecks
  [1000 / 3, "333.33"],
  [-5, { problem: "negative", value: "-5" }],
  [1e21, { problem: "invalid", value: "1000000000000000000000" }],
  // Text.
  ["1 000,50", "1000.50"],
  ["1000.5", "1000.50"],
  ["1000,5", "1000.50"],
  ["1 000 ₽", "1000.00"],
  ["1000 руб.", "1000.00"],
  ["1000 руб", "1000.00"],
  ["1000 рублей", "1000.00"],
  ["1000р", "1000.00"],
  ["1000 р.", "1000.00"],
  ["1000Р", "1000.00"],
  ["₽1000", "1000.00"],
  ["₽ 1 000", "1000.00"],
  ["1000 RUB", "1000.00"],
  ["1\u00a0000\u00a0000,00", "1000000.00"], // non-breaking spaces
  ["1\u202f000", "1000.00"], // narrow no-break space
  ["  2500  ", "2500.00"],
  ["007", "7.00"],
  ["0", "0.00"],
  ["0,5", "0.50"],
  ["123456789012345678901234", "123456789012345678901234.00"], // text keeps every digit
  // Problems.
  ["-5", { problem: "negative", value: "-5" }],
  ["−1 500 ₽", { problem: "negative", value: "−1 500 ₽" }],
  ["abc", { problem: "invalid", value: "abc" }],
  ["бесплатно", { problem: "invalid", value: "бесплатно" }],
  ["1.000.000", { problem: "invalid", value: "1.000.000" }],
  ["1,000.50", { problem: "invalid", value: "1,000.50" }],
  ["5,", { problem: "invalid", value: "5," }],
  [",5", { problem: "invalid", value: ",5" }],
  ["1000 $", { problem: "invalid", value: "1000 $" }],
  ["1,000", { problem: "precision", value: "1,000" }],
  ["1000,555", { problem: "precision", value: "1000,555" }],
  [true, { problem: "invalid", value: "TRUE" }],
  // Empty.
  ["", undefined],
  [" ", undefined],
  ["-", undefined],
  [undefined, undefined],
];

Deno.test("parseMoneyCell() reads amounts as clinics type them", async (t) => {
  for (const [cell, expected] of CASES) {
    await t.step(`${JSON.stringify(cell)}`, () => assert.deepEqual(parseMoneyCell(cell), expected));
  }
});

Deno.test("parseMoneyCell() takes a time typed in the sum column for a problem, not revenue", () => {
  assert.deepEqual(parseMoneyCell("10:50"), { problem: "invalid", value: "10:50" });
});
