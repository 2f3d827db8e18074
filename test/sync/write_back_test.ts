import assert from "node:assert/strict";
import type { CellValue } from "../../src/deal.ts";
import { parseSheet } from "../../src/columns/parse.ts";
import type { SyncPlan } from "../../src/sync/plan.ts";
import { placeStatusCells, statusCells } from "../../src/sync/write_back.ts";

const HEADER = ["ID сделки", "Дата сделки", "Статус", "Телефон", "Calltouch"];
const ROWS: CellValue[][] = [
  HEADER,
  ["A-1", "20.11.2026 10:30", "Запись", ""],
  ["8 (916) 111-22-33", "20.11.2026 11:00", "Запись", ""],
  ["ivan@mail.ru", "20.11.2026 12:00", "Запись", ""],
];
const EMPTY_PLAN: SyncPlan = { create: [], update: [], unchanged: [], held: [] };
const OPTIONS = { language: "ru" as const, timeZone: "Europe/Moscow", now: 0 };
/** The status column (E), 1-based. */
const STATUS = 5;

function contactRows() {
  const sheet = parseSheet(ROWS);
  assert.ok(sheet.ok);
  return statusCells(sheet, EMPTY_PLAN, new Map(), OPTIONS);
}

Deno.test("statusCells(): a phone or an e-mail in the ID column gets its ❌, reported without it", () => {
  const { cells, rows } = contactRows();
  assert.deepEqual(cells.map((c) => [c.row, c.orderNumber, c.unique]), [[3, "", false], [
    4,
    "",
    false,
  ]]);
  for (const cell of cells) assert.match(cell.text, /^❌ .*ID сделки/);
  assert.deepEqual(rows.map((r) => [r.row, r.action, "orderNumber" in r]), [
    [3, "invalid", false],
    [4, "invalid", false],
  ]);
  const shown = JSON.stringify(rows) + cells.map((c) => c.text).join();
  assert.ok(!/916|111-22|ivan|mail\.ru|\*\*\*/.test(shown), "the contact is nowhere");
});

Deno.test("placeStatusCells(): a contact-ID row is written in place while its ID cell reads the same", async (t) => {
  const { cells } = contactRows();
  const ids = ROWS.map((row) => row[0]);
  await t.step("unchanged: both written where they were read", () => {
    assert.deepEqual(placeStatusCells(cells, ids, STATUS).map((w) => w.row), [3, 4]);
  });
  await t.step("rows swapped since the read: neither (the next run writes them)", () => {
    const swapped = [ids[0], ids[1], ids[3], ids[2]];
    assert.deepEqual(placeStatusCells(cells, swapped, STATUS), []);
  });
  await t.step("a row inserted above: not written next to another row", () => {
    const shifted = [ids[0], "B-7", ...ids.slice(1)];
    assert.deepEqual(placeStatusCells(cells, shifted, STATUS), []);
  });
  await t.step("the ID fixed since the read: not overwritten with the old message", () => {
    const fixed = [ids[0], ids[1], "A-2", ids[3]];
    assert.deepEqual(placeStatusCells(cells, fixed, STATUS).map((w) => w.row), [4]);
  });
  await t.step("an empty ID now where the contact was: not written either", () => {
    const emptied = [ids[0], ids[1], "", ids[3]];
    assert.deepEqual(placeStatusCells(cells, emptied, STATUS).map((w) => w.row), [4]);
  });
});
