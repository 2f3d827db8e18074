import assert from "node:assert/strict";
import type { CellValue } from "../../src/deal.ts";
import type { ConditionalFormatRule, SheetRequest } from "../../src/setup/plan.ts";
import { setupSheet, type SetupSheetsClient, sheetsSetupApi } from "../../src/setup/run.ts";
import { ALREADY_PREPARED } from "./support.ts";

type Tab = Awaited<ReturnType<SetupSheetsClient["metadata"]>>["sheets"][number] & {
  rows: CellValue[][];
};

/** A client over tabs held in memory, recording every batchUpdate. */
function memoryClient(tabs: Tab[]) {
  const batches: SheetRequest[][] = [];
  const reads: string[] = [];
  const client: SetupSheetsClient = {
    metadata: () => {
      reads.push("metadata");
      return Promise.resolve({
        sheets: tabs.map(({ rows: _, ...sheet }) => structuredClone(sheet)),
      });
    },
    readTab: (title) => {
      reads.push(`readTab ${title}`);
      const tab = tabs.find((t) => t.title === title);
      if (!tab) return Promise.reject(new Error(`Лист «${title}» не найден`));
      return Promise.resolve(structuredClone(tab.rows));
    },
    batchUpdate: (requests) => {
      batches.push([...requests]);
      // Apply what setup sends, roughly as Google would.
      for (const r of requests) {
        const sheetId = r.appendDimension?.sheetId ?? r.updateCells?.start?.sheetId ??
          r.updateSheetProperties?.properties?.sheetId ??
          r.addConditionalFormatRule?.rule?.ranges?.[0].sheetId ?? r.repeatCell?.range?.sheetId;
        const tab = tabs.find((t) => t.sheetId === sheetId);
        if (!tab) throw new Error(`no tab ${sheetId}`);
        if (r.appendDimension) tab.columnCount += r.appendDimension.length ?? 0;
        if (r.updateCells) {
          const column = r.updateCells.start?.columnIndex ?? 0;
          tab.rows[0][column] = r.updateCells.rows?.[0].values?.[0].userEnteredValue?.stringValue!;
        }
        if (r.updateSheetProperties) tab.frozenRowCount = 1;
        if (r.addConditionalFormatRule?.rule) {
          tab.conditionalFormats.push(r.addConditionalFormatRule.rule as ConditionalFormatRule);
        }
      }
      return Promise.resolve([]);
    },
  };
  return { client, batches, reads };
}

function tab(overrides: Partial<Tab> = {}): Tab {
  return {
    sheetId: 7,
    title: "Сделки",
    index: 0,
    rowCount: 1000,
    columnCount: 26,
    frozenRowCount: 0,
    conditionalFormats: [],
    rows: [
      ["ID сделки", "Дата сделки", "Статус", "Телефон"],
      [1001, 46350.4375, "Записан", "8 (915) 777-11-22"],
    ],
    ...overrides,
  };
}

Deno.test("setupSheet() prepares a bare tab with one batchUpdate, then finds nothing to do", async () => {
  const memory = memoryClient([tab()]);
  const first = await setupSheet({ sheets: sheetsSetupApi(memory.client) });
  assert.equal(memory.batches.length, 1);
  assert.equal(first.changed, true);
  assert.equal(first.tab, "Сделки");
  assert.equal(first.requests, 7 - 1, "header, freeze, 3 colours, 1 date column");
  assert.equal(
    first.text,
    [
      "Лист «Сделки» подготовлен:",
      "- Добавлен столбец «Calltouch» (ячейка E1): сюда записывается итог по каждой строке",
      "- Закреплена строка заголовков",
      "- Цвета статусов в столбце E: ✅ зелёный, ❌ красный, ⏳ жёлтый",
      "- Формат даты и времени ДД.ММ.ГГГГ ЧЧ:ММ в столбце B «Дата сделки» (значения не изменились)",
    ].join("\n"),
  );

  const second = await setupSheet({ sheets: sheetsSetupApi(memory.client) });
  assert.equal(memory.batches.length, 1, "no second batchUpdate");
  assert.deepEqual(second, ALREADY_PREPARED);
});

Deno.test("setupSheet() sends nothing for an empty header row and says what to do", async () => {
  const memory = memoryClient([tab({ rows: [] })]);
  const report = await setupSheet({ sheets: sheetsSetupApi(memory.client), language: "en" });
  assert.deepEqual(memory.batches, []);
  assert.equal(report.changed, false);
  assert.match(report.text, /^Tab "Сделки": nothing changed\.\nPlease note:\n- Row 1 is empty/);
});

Deno.test("sheetsSetupApi() picks SHEET_NAME, else the first tab by position", async () => {
  const tabs = [
    tab({ sheetId: 1, title: "Архив", index: 1 }),
    tab({ sheetId: 2, title: "Сделки 2026", index: 0 }),
  ];
  const named = await sheetsSetupApi(memoryClient(tabs).client, "Архив").readTab();
  assert.equal(named.tab.sheetId, 1);
  const first = await sheetsSetupApi(memoryClient(tabs).client).readTab();
  assert.equal(first.tab.sheetId, 2);
  assert.deepEqual(first.header, ["ID сделки", "Дата сделки", "Статус", "Телефон"]);
});

Deno.test("sheetsSetupApi() lets the client's error name a missing tab", async () => {
  const memory = memoryClient([tab()]);
  await assert.rejects(
    setupSheet({ sheets: sheetsSetupApi(memory.client, "Нет такого") }),
    /Лист «Нет такого» не найден/,
  );
  assert.deepEqual(memory.batches, []);
});
