import assert from "node:assert/strict";
import { planSheetSetup } from "../../src/setup/plan.ts";
import { parseSheet } from "../../src/columns/parse.ts";

Deno.test("planSheetSetup() puts the status header where the sync will look, past notes columns", () => {
  const rows = [
    ["ID сделки", "Дата сделки", "Статус", "Телефон"],
    ["1", "20.11.2026", "Запись", "89157771122", "позвонить в пятницу"],
  ];
  const plan = planSheetSetup({ sheetId: 0, columnCount: 26 }, rows[0], { rows });
  assert.equal(plan.statusColumn, 5, "E holds a note without a header");
  const sheet = parseSheet(rows);
  assert.ok(sheet.ok);
  assert.equal(sheet.columns.syncStatus, plan.statusColumn);
});
