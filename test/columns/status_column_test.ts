import assert from "node:assert/strict";
import { parseSheet } from "../../src/columns/parse.ts";

const HEADER = ["ID сделки", "Дата сделки", "Статус"];

Deno.test("parseSheet() puts a new status column where no row keeps notes", () => {
  const sheet = parseSheet([
    HEADER,
    ["1", "20.11.2026", "Запись", "", "заметка"],
    ["2", "20.11.2026", "Визит", "перезвонить"],
  ]);
  assert.ok(sheet.ok);
  assert.equal(sheet.columns.syncStatusExists, false);
  assert.equal(sheet.columns.syncStatus, 5, "D and E hold notes without a header");
  assert.equal(sheet.statusTexts.size, 0);
  assert.equal(sheet.deals.length, 2);
});

Deno.test("parseSheet() keeps an existing status column where it is", () => {
  const sheet = parseSheet([[...HEADER, "Calltouch"], ["1", "20.11.2026", "Запись", "✅ создана"]]);
  assert.ok(sheet.ok);
  assert.equal(sheet.columns.syncStatus, 3);
  assert.equal(sheet.statusTexts.get(2), "✅ создана");
});

Deno.test("parseSheet() puts a new status column right after the header when it is free", () => {
  const sheet = parseSheet([HEADER, ["1", "20.11.2026", "Запись"]]);
  assert.ok(sheet.ok);
  assert.equal(sheet.columns.syncStatus, 3);
});

Deno.test("parseSheet() reuses a headerless column that only holds our status texts", () => {
  const sheet = parseSheet([
    HEADER,
    ["1", "20.11.2026", "Запись", "✅ создана 20.11.2026 10:00"],
    ["2", "20.11.2026", "Визит", "", 42],
  ]);
  assert.ok(sheet.ok);
  assert.equal(sheet.columns.syncStatus, 3);
  assert.deepEqual([...sheet.statusTexts], [[2, "✅ создана 20.11.2026 10:00"]]);
});
