import assert from "node:assert/strict";
import {
  type ConditionalFormatRule,
  DATE_TIME_PATTERN,
  planSheetSetup,
  type SheetRequest,
  type TabMetadata,
} from "../../src/setup/plan.ts";
import type { CellValue } from "../../src/deal.ts";
import { headerError, mapHeader } from "../../src/columns/header.ts";
import { TEMPLATE_HEADERS } from "../../src/columns/docs.ts";
import { columnLetters } from "../../src/sheet/a1.ts";

/** The template's header without the status column. */
const DEAL_HEADERS: CellValue[] = TEMPLATE_HEADERS.slice(0, -1);
/** Where setup puts the status column after them (0-based), and its letters. */
const STATUS = DEAL_HEADERS.length;
const LETTERS = columnLetters(STATUS + 1);
const SHEET_ID = 918273645;

function bareTab(overrides: Partial<TabMetadata> = {}): TabMetadata {
  return { sheetId: SHEET_ID, title: "Сделки", columnCount: 26, ...overrides };
}

/** A rule as `spreadsheets.get` returns it after our request (Google clamps the end row). */
function statusRule(prefix: string, column: number, sheetId = SHEET_ID): ConditionalFormatRule {
  return {
    ranges: [{
      sheetId,
      startRowIndex: 1,
      endRowIndex: 1000,
      startColumnIndex: column,
      endColumnIndex: column + 1,
    }],
    booleanRule: {
      condition: { type: "TEXT_STARTS_WITH", values: [{ userEnteredValue: prefix }] },
      format: { backgroundColorStyle: { rgbColor: { red: 1 } } },
    },
  };
}

function preparedTab(overrides: Partial<TabMetadata> = {}): TabMetadata {
  return bareTab({
    frozenRowCount: 1,
    conditionalFormats: ["⏳", "❌", "✅"].map((p) => statusRule(p, STATUS)),
    firstDataRowFormats: [
      undefined,
      { type: "DATE_TIME", pattern: DATE_TIME_PATTERN },
      undefined,
      { type: "DATE_TIME", pattern: DATE_TIME_PATTERN },
    ],
    ...overrides,
  });
}

const kinds = (requests: SheetRequest[]) => requests.map((r) => Object.keys(r)[0]);

Deno.test("planSheetSetup() prepares a bare tab in one batch: header, freeze, colours, dates", () => {
  const plan = planSheetSetup(bareTab(), DEAL_HEADERS);
  assert.deepEqual(kinds(plan.requests), [
    "updateCells",
    "updateSheetProperties",
    "addConditionalFormatRule",
    "addConditionalFormatRule",
    "addConditionalFormatRule",
    "repeatCell",
    "repeatCell",
  ]);
  assert.equal(plan.statusColumn, STATUS);
  assert.deepEqual(plan.requests[0], {
    updateCells: {
      start: { sheetId: SHEET_ID, rowIndex: 0, columnIndex: STATUS },
      rows: [{ values: [{ userEnteredValue: { stringValue: "Calltouch" } }] }],
      fields: "userEnteredValue",
    },
  });
  assert.deepEqual(plan.requests[1], {
    updateSheetProperties: {
      properties: { sheetId: SHEET_ID, gridProperties: { frozenRowCount: 1 } },
      fields: "gridProperties.frozenRowCount",
    },
  });
  const rules = plan.requests.flatMap((r) => r.addConditionalFormatRule?.rule ?? []);
  assert.deepEqual(
    rules.map((r) => r.booleanRule?.condition),
    ["✅", "❌", "⏳"].map((p) => ({
      type: "TEXT_STARTS_WITH",
      values: [{ userEnteredValue: p }],
    })),
  );
  for (const rule of rules) {
    assert.deepEqual(rule.ranges, [
      { sheetId: SHEET_ID, startRowIndex: 1, startColumnIndex: STATUS, endColumnIndex: STATUS + 1 },
    ]);
    assert.ok(rule.booleanRule?.format?.backgroundColorStyle?.rgbColor);
  }
  assert.deepEqual(
    plan.requests.slice(5).map((r) => r.repeatCell),
    [1, 3].map((column) => ({
      range: {
        sheetId: SHEET_ID,
        startRowIndex: 1,
        startColumnIndex: column,
        endColumnIndex: column + 1,
      },
      cell: {
        userEnteredFormat: { numberFormat: { type: "DATE_TIME", pattern: "dd.mm.yyyy hh:mm" } },
      },
      fields: "userEnteredFormat.numberFormat",
    })),
  );
  assert.deepEqual(plan.summary, [
    `Добавлен столбец «Calltouch» (ячейка ${LETTERS}1): сюда записывается итог по каждой строке`,
    "Закреплена строка заголовков",
    `Цвета статусов в столбце ${LETTERS}: ✅ зелёный, ❌ красный, ⏳ жёлтый`,
    "Формат даты и времени ДД.ММ.ГГГГ ЧЧ:ММ в столбцах B «Дата сделки», D «Дата статуса» (значения не изменились)",
  ]);
  assert.deepEqual(plan.warnings, []);
});

Deno.test("planSheetSetup() returns no request for a prepared tab", () => {
  const plan = planSheetSetup(preparedTab(), [...DEAL_HEADERS, "Calltouch"]);
  assert.deepEqual(plan, { requests: [], summary: [], warnings: [], statusColumn: STATUS });
});

Deno.test("planSheetSetup() recognises rules as the API returns them (defaults omitted, other order)", () => {
  const tab = bareTab({ sheetId: 0, frozenRowCount: 3 });
  tab.firstDataRowFormats = [undefined, { type: "DATE" }, undefined, { type: "DATE_TIME" }];
  tab.conditionalFormats = [
    // sheetId 0 and unbounded ends are omitted from the JSON; a rule may cover wider ranges.
    {
      ranges: [{ startRowIndex: 1, startColumnIndex: STATUS, endColumnIndex: STATUS + 1 }],
      booleanRule: {
        condition: { type: "TEXT_STARTS_WITH", values: [{ userEnteredValue: "⏳" }] },
      },
    },
    {
      ranges: [{ startColumnIndex: 0, endColumnIndex: 20 }],
      booleanRule: {
        condition: { type: "TEXT_STARTS_WITH", values: [{ userEnteredValue: "✅" }] },
      },
    },
    statusRule("❌", STATUS, 0),
  ];
  assert.deepEqual(planSheetSetup(tab, [...DEAL_HEADERS, "Calltouch"]).requests, []);
});

Deno.test("planSheetSetup() adds only the missing colour rules", () => {
  const tab = preparedTab({ conditionalFormats: [statusRule("✅", STATUS)] });
  const plan = planSheetSetup(tab, [...DEAL_HEADERS, "Calltouch"]);
  assert.deepEqual(
    plan.requests.map((r) => [
      r.addConditionalFormatRule?.index,
      r.addConditionalFormatRule?.rule?.booleanRule?.condition?.values?.[0].userEnteredValue,
    ]),
    [[0, "❌"], [1, "⏳"]],
  );
  assert.deepEqual(plan.summary, [`Цвета статусов в столбце ${LETTERS}: ❌ красный, ⏳ жёлтый`]);
});

Deno.test("planSheetSetup() ignores look-alike rules: formula, other column, other tab, other text", () => {
  const formula: ConditionalFormatRule = {
    ranges: [{
      sheetId: SHEET_ID,
      startRowIndex: 1,
      startColumnIndex: STATUS,
      endColumnIndex: STATUS + 1,
    }],
    booleanRule: {
      condition: {
        type: "CUSTOM_FORMULA",
        values: [{ userEnteredValue: `=LEFT($${LETTERS}2;1)="✅"` }],
      },
    },
  };
  const tab = preparedTab({
    conditionalFormats: [
      formula,
      statusRule("✅", 10),
      statusRule("❌", STATUS, SHEET_ID + 1),
      statusRule("⏳ ", STATUS),
    ],
  });
  const plan = planSheetSetup(tab, [...DEAL_HEADERS, "Calltouch"]);
  assert.deepEqual(kinds(plan.requests), Array(3).fill("addConditionalFormatRule"));
});

Deno.test("planSheetSetup() uses an existing status column under any recognised header", async (t) => {
  for (
    const [header, column] of [
      ["  calltouch ", 2],
      ["СИНХРОНИЗАЦИЯ", 0],
      ["Sync  Status", 14],
    ] as const
  ) {
    await t.step(`"${header}" in column ${column + 1}`, () => {
      const row: CellValue[] = [...DEAL_HEADERS];
      while (row.length < column) row.push("");
      row.splice(column, 0, header);
      const plan = planSheetSetup(preparedTab({ conditionalFormats: [] }), row);
      assert.equal(plan.statusColumn, column);
      assert.ok(!kinds(plan.requests).includes("updateCells"));
      for (const r of plan.requests) {
        const range = r.addConditionalFormatRule?.rule?.ranges?.[0];
        if (range) assert.equal(range.startColumnIndex, column);
      }
    });
  }
});

Deno.test("planSheetSetup() puts the status column after the last non-empty header", () => {
  const header: CellValue[] = ["ID сделки", "", "Дата сделки", "Статус", " ", "Телефон", "", ""];
  const plan = planSheetSetup(bareTab(), header);
  assert.equal(plan.statusColumn, 6);
  assert.deepEqual(plan.requests[0].updateCells?.start, {
    sheetId: SHEET_ID,
    rowIndex: 0,
    columnIndex: 6,
  });
  assert.match(plan.summary[0], /ячейка G1/);
});

Deno.test("planSheetSetup() grows the grid when the status column is beyond it", () => {
  const plan = planSheetSetup(bareTab({ columnCount: STATUS }), DEAL_HEADERS);
  assert.deepEqual(plan.requests[0], {
    appendDimension: { sheetId: SHEET_ID, dimension: "COLUMNS", length: 1 },
  });
  assert.equal(plan.requests[1].updateCells?.start?.columnIndex, STATUS);
  assert.match(plan.summary[0], new RegExp(`лист расширен до ${STATUS + 1} столбцов`));
  // Exactly filling the grid needs no growth.
  const fits = planSheetSetup(bareTab({ columnCount: STATUS + 1 }), DEAL_HEADERS);
  assert.ok(!kinds(fits.requests).includes("appendDimension"));
});

Deno.test("planSheetSetup() gives a header-only tab rows before freezing its header", () => {
  const plan = planSheetSetup(bareTab({ rowCount: 1 }), DEAL_HEADERS);
  const freeze = kinds(plan.requests).indexOf("updateSheetProperties");
  assert.deepEqual(plan.requests[freeze - 1], {
    appendDimension: { sheetId: SHEET_ID, dimension: "ROWS", length: 999 },
  });
  for (const rowCount of [2, 1000, undefined]) {
    const roomy = planSheetSetup(bareTab({ rowCount }), DEAL_HEADERS);
    assert.ok(!kinds(roomy.requests).includes("appendDimension"));
  }
  const frozen = planSheetSetup(bareTab({ rowCount: 1, frozenRowCount: 1 }), DEAL_HEADERS);
  assert.ok(!kinds(frozen.requests).includes("appendDimension"));
});

Deno.test("planSheetSetup() keeps a frozen header and the clinic's own date formats", () => {
  const plan = planSheetSetup(
    bareTab({
      frozenRowCount: 2,
      firstDataRowFormats: [undefined, { type: "DATE", pattern: "d mmmm yyyy" }],
    }),
    DEAL_HEADERS,
  );
  assert.ok(!kinds(plan.requests).includes("updateSheetProperties"));
  const formatted = plan.requests.flatMap((r) => r.repeatCell?.range?.startColumnIndex ?? []);
  assert.deepEqual(formatted, [3]);
  assert.match(plan.summary.at(-1)!, /в столбце D «Дата статуса»/);
});

Deno.test("planSheetSetup() formats date columns held as text or plain numbers", () => {
  const plan = planSheetSetup(
    preparedTab({
      firstDataRowFormats: [undefined, { type: "TEXT" }, undefined, { type: "NUMBER" }],
    }),
    [...DEAL_HEADERS, "Calltouch"],
  );
  assert.deepEqual(kinds(plan.requests), ["repeatCell", "repeatCell"]);
});

Deno.test("planSheetSetup() without cell formats applies the date format on the first setup only", () => {
  const header = [...DEAL_HEADERS, "Calltouch"];
  const unknown = { firstDataRowFormats: undefined };
  // Prepared before: our colours are there, so the clinic owns the date formats now.
  assert.deepEqual(planSheetSetup(preparedTab(unknown), header).requests, []);
  const partly = planSheetSetup(
    preparedTab({ ...unknown, conditionalFormats: [statusRule("✅", STATUS)] }),
    header,
  );
  assert.deepEqual(kinds(partly.requests), Array(2).fill("addConditionalFormatRule"));
  // First setup: no colour of ours yet.
  const first = planSheetSetup(preparedTab({ ...unknown, conditionalFormats: [] }), header);
  assert.deepEqual(
    kinds(first.requests).filter((k) => k === "repeatCell"),
    ["repeatCell", "repeatCell"],
  );
});

Deno.test("planSheetSetup() finds date columns by their aliases only", () => {
  const header: CellValue[] = ["ID", "Дата", "status", "statusDate", "Дата рождения", "Телефоны"];
  const plan = planSheetSetup(bareTab(), header);
  const formatted = plan.requests.flatMap((r) => r.repeatCell?.range?.startColumnIndex ?? []);
  assert.deepEqual(formatted, [1, 3]);
  assert.deepEqual(plan.warnings, []);
});

Deno.test("planSheetSetup() never writes below the header row", () => {
  const plans = [
    planSheetSetup(bareTab({ columnCount: 5 }), DEAL_HEADERS),
    planSheetSetup(bareTab(), ["ID сделки", "Дата сделки", "Статус", "Телефон"]),
  ];
  const allowed = new Set([
    "appendDimension",
    "updateCells",
    "updateSheetProperties",
    "addConditionalFormatRule",
    "repeatCell",
  ]);
  for (const request of plans.flatMap((p) => p.requests)) {
    assert.equal(Object.keys(request).length, 1);
    assert.ok(allowed.has(Object.keys(request)[0]), Object.keys(request)[0]);
    if (request.updateCells) {
      assert.equal(request.updateCells.start?.rowIndex, 0);
      assert.equal(request.updateCells.rows?.length, 1);
      assert.equal(request.updateCells.rows?.[0].values?.length, 1);
    }
    if (request.repeatCell) {
      assert.equal(request.repeatCell.fields, "userEnteredFormat.numberFormat");
    }
    const condition = request.addConditionalFormatRule?.rule?.booleanRule?.condition;
    if (condition) assert.equal(condition.type, "TEXT_STARTS_WITH");
  }
});

Deno.test("planSheetSetup() plans nothing on an empty header row and says why", () => {
  for (const header of [[], ["", "  ", ""]]) {
    const plan = planSheetSetup(bareTab(), header);
    assert.deepEqual(plan.requests, []);
    assert.equal(plan.statusColumn, undefined);
    assert.equal(plan.warnings.length, 1);
    assert.match(plan.warnings[0], /^Строка 1 пуста/);
  }
});

Deno.test("planSheetSetup() warns about missing required and contact columns", () => {
  const plan = planSheetSetup(bareTab(), ["Дата", "Сумма", "Комментарий"]);
  assert.deepEqual(plan.warnings, [
    headerError(["orderNumber", "status"], "ru").message,
    "Нет столбца «Телефон» или «Email»: без контактов Calltouch не свяжет сделку со звонком или заявкой.",
  ]);
  assert.match(plan.warnings[0], /«ID сделки».*«Статус»/);
  assert.ok(plan.requests.length > 0, "what can be prepared still is");
});

Deno.test("planSheetSetup() speaks English when asked", () => {
  const plan = planSheetSetup(bareTab({ columnCount: STATUS }), DEAL_HEADERS, { language: "en" });
  assert.deepEqual(plan.summary, [
    `Added the "Calltouch" column (cell ${LETTERS}1, grid grown to ${
      STATUS + 1
    } columns): the outcome of each row is written there`,
    "Froze the header row",
    `Status colours in column ${LETTERS}: ✅ green, ❌ red, ⏳ amber`,
    'Date-time format DD.MM.YYYY HH:MM in columns B "Дата сделки", D "Дата статуса" (values unchanged)',
  ]);
});

Deno.test("planSheetSetup() puts the status column where the sync's mapHeader() looks for it", () => {
  const headers: CellValue[][] = [
    DEAL_HEADERS,
    [...DEAL_HEADERS, "Calltouch"],
    ["Calltouch", ...DEAL_HEADERS],
    ["ID", "", "Дата", " ", "Статус", 2026, "", true, "  "],
    ["номер  сделки", "ДАТА", "статус сделки", "Синхронизация", "Почта"],
    ["ID сделки", "Дата сделки", "Статус", "Sync status", "Calltouch"],
  ];
  for (const header of headers) {
    const mapping = mapHeader(header);
    assert.ok(mapping.ok);
    assert.equal(planSheetSetup(bareTab(), header).statusColumn, mapping.columns.syncStatus);
    const writesHeader = kinds(planSheetSetup(bareTab(), header).requests).includes("updateCells");
    assert.equal(writesHeader, !mapping.columns.syncStatusExists);
  }
});
