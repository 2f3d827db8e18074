import assert from "node:assert/strict";
import { cellName, quotable } from "../../src/sheet/messages.ts";

Deno.test("cellName() gives the A1 address and the header as typed", () => {
  assert.equal(cellName("AB", 12, "Дата сделки"), "AB12 (Дата сделки)");
});

Deno.test("quotable() collapses whitespace, cuts long values and masks contacts", () => {
  assert.equal(quotable(" 31.02.2026\n 14:05 "), "31.02.2026 14:05");
  assert.equal(quotable("x".repeat(60)), "x".repeat(39) + "…");
  assert.equal(quotable("+7 915 777-11-22"), "7915***1122");
  assert.equal(quotable("ivan@mail.ru"), "i***@mail.ru");
});
