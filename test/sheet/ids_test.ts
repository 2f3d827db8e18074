import assert from "node:assert/strict";
import { idContact, IdIndex, readOrderNumber } from "../../src/sheet/ids.ts";
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

Deno.test("idContact() tells a phone or an e-mail in the ID column from an order number", async (t) => {
  const cases: [string, "phone" | "email" | undefined][] = [
    // Order numbers: IDs, whatever their digits.
    ["1001", undefined],
    ["2026-11-001", undefined],
    ["A-1234", undefined],
    ["СД-000123", undefined],
    ["100123", undefined],
    ["1234567890", undefined], // 10 digits, but not a phone's first digit
    ["12345678901", undefined],
    ["791611122334", undefined], // 12 digits without a +
    ["2026113001", undefined],
    ["2026-11-30-01", undefined], // grouped like a phone, but starts as no Russian number does
    ["2026-11-0011", undefined],
    ["INV-9026-000123", undefined], // 4-6 is not how a phone is grouped
    ["12-345-678-90", undefined],
    ["000-123-45-67", undefined],
    ["A-9161112", undefined], // 7 digits
    ["2026.11.30 10:30", undefined],
    ["Заказ 2026/11/0001", undefined],
    ["№ 5", undefined],
    ["", undefined],
    // Phones, however typed.
    ["79161112233", "phone"],
    ["89161112233", "phone"],
    ["9161112233", "phone"],
    ["7 916 111 22 33", "phone"],
    ["+7 916 111-22-33", "phone"],
    ["+79161112233", "phone"],
    ["8 (916) 111-22-33", "phone"],
    ["(495) 123-45-67", "phone"],
    ["916-111-22-33", "phone"],
    ["916 111 22 33", "phone"],
    ["916 111 2233", "phone"],
    ["8-916-111-22-33", "phone"],
    ["8 916 1112233", "phone"],
    ["495 123-45-67", "phone"],
    ["8 495 123 45 67", "phone"],
    ["8 800 555-35-35", "phone"],
    ["+375 29 123-45-67", "phone"],
    ["+1 (555) 123-4567", "phone"],
    // …or inside other text.
    ["Иванова 89161112233", "phone"],
    ["тел. +7(916)111-22-33", "phone"],
    ["2026-11-001 79161112233", "phone"],
    // E-mails.
    ["ivan.petrov@mail.ru", "email"],
    ["IVAN@MAIL.RU", "email"],
    ["заказ ivan@mail.ru", "email"],
    ["ivan@mail", "email"],
  ];
  for (const [id, expected] of cases) {
    await t.step(JSON.stringify(id), () => assert.equal(idContact(id), expected));
  }
});

Deno.test("idContact() reads a numeric cell's ID as typed", () => {
  assert.equal(idContact(readOrderNumber(79161112233)), "phone");
  assert.equal(idContact(readOrderNumber(100123)), undefined);
});
