import assert from "node:assert/strict";
import { cellName, MESSAGES, quotable } from "../../src/sheet/messages.ts";

Deno.test("cellName() gives the A1 address and the header as typed", () => {
  assert.equal(cellName("AB", 12, "Дата сделки"), "AB12 (Дата сделки)");
});

Deno.test("quotable() collapses whitespace, cuts long values and masks contacts", () => {
  assert.equal(quotable(" 31.02.2026\n 14:05 "), "31.02.2026 14:05");
  assert.equal(quotable("x".repeat(60)), "x".repeat(39) + "…");
  assert.equal(quotable("+7 915 777-11-22"), "7915***1122");
  assert.equal(quotable("ivan@mail.ru"), "i***@mail.ru");
});

Deno.test("idDuplicate() lists at most five rows", () => {
  assert.equal(
    MESSAGES.ru.idDuplicate("A2 (ID)", "7", [2, 3, 4, 5, 6, 7, 8]),
    "A2 (ID): ID сделки «7» повторяется в строках 2, 3, 4, 5, 6 и ещё 2, ожидается свой ID у каждой сделки",
  );
  assert.equal(
    MESSAGES.en.idDuplicate("A2 (ID)", "7", [2, 9]),
    'A2 (ID): deal ID "7" appears in rows 2, 9, expected a different ID for each deal',
  );
});

Deno.test("moreProblems() agrees in number", () => {
  assert.deepEqual([1, 2, 5, 11, 21, 22, 112].map(MESSAGES.ru.moreProblems), [
    "и ещё 1 ошибка",
    "и ещё 2 ошибки",
    "и ещё 5 ошибок",
    "и ещё 11 ошибок",
    "и ещё 21 ошибка",
    "и ещё 22 ошибки",
    "и ещё 112 ошибок",
  ]);
  assert.deepEqual([1, 3].map(MESSAGES.en.moreProblems), [
    "and 1 more problem",
    "and 3 more problems",
  ]);
});

Deno.test("every language has every message", () => {
  assert.deepEqual(Object.keys(MESSAGES.en).sort(), Object.keys(MESSAGES.ru).sort());
});
