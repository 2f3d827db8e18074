import assert from "node:assert/strict";
import {
  type ColumnMap,
  headerError,
  type HeaderMapping,
  mapHeader,
  normalizeHeader,
} from "../../src/columns/header.ts";
import type { Cell } from "../../src/sheet/cells.ts";
import { FIRST_HEADER } from "../support/first_sheet.ts";

const FULL_RU: ColumnMap = {
  orderNumber: 0,
  orderDate: 1,
  status: 2,
  statusDate: 3,
  revenue: 4,
  phones: 5,
  emails: 6,
  tags: 7,
  manager: 8,
  orderName: 9,
  comment: 10,
  syncStatus: 11,
  syncStatusExists: true,
};

const CASES: [string, Cell[], HeaderMapping][] = [
  [
    "the template's Russian headers",
    // "Название", the other header of the service column.
    [...FIRST_HEADER.map((h) => h === "Услуга" ? "Название" : h), "Calltouch"],
    { ok: true, columns: FULL_RU },
  ],
  [
    "English headers",
    [
      "orderNumber",
      "orderDate",
      "status",
      "statusDate",
      "revenue",
      "phones",
      "emails",
      "tags",
      "manager",
      "orderName",
      "comment",
      "Sync status",
    ],
    { ok: true, columns: FULL_RU },
  ],
  [
    "the other aliases",
    [
      "Номер сделки",
      "Дата",
      "Статус сделки",
      "Дата статуса",
      "Выручка",
      "Телефоны",
      "Почта",
      "Теги",
      "Менеджер",
      "Услуга",
      "Комментарий",
      "Синхронизация",
    ],
    { ok: true, columns: FULL_RU },
  ],
  [
    "more aliases: ID, Сумма сделки, phone, E-mail, name",
    ["ID", "orderDate", "status", "Сумма сделки", "phone", "E-mail", "name"],
    {
      ok: true,
      columns: {
        orderNumber: 0,
        orderDate: 1,
        status: 2,
        revenue: 3,
        phones: 4,
        emails: 5,
        orderName: 6,
        syncStatus: 7,
        syncStatusExists: false,
      },
    },
  ],
  [
    "reordered columns, an unknown extra column, service as orderName",
    ["Пациент", "Статус", "Телефон", "ID сделки", "service", "Дата сделки"],
    {
      ok: true,
      columns: {
        orderNumber: 3,
        orderDate: 5,
        status: 1,
        phones: 2,
        orderName: 4,
        syncStatus: 6,
        syncStatusExists: false,
      },
    },
  ],
  [
    "case, ё, surrounding and inner whitespace",
    [" id СДЕЛКИ ", "дата\u00a0 сделки", "  статус", "ТЁГИ", "e-MAIL", "calltouch "],
    {
      ok: true,
      columns: {
        orderNumber: 0,
        orderDate: 1,
        status: 2,
        tags: 3,
        emails: 4,
        syncStatus: 5,
        syncStatusExists: true,
      },
    },
  ],
  [
    "the leftmost of two columns with one meaning",
    ["ID", "Дата", "Статус", "Телефон", "Телефоны", "Дата сделки"],
    {
      ok: true,
      columns: {
        orderNumber: 0,
        orderDate: 1,
        status: 2,
        phones: 3,
        syncStatus: 6,
        syncStatusExists: false,
      },
    },
  ],
  [
    "no sync-status column: created after the last non-empty header, gaps and trailing blanks aside",
    ["ID", "", "Дата", "Статус", "", "Заметки", "", " "],
    {
      ok: true,
      columns: { orderNumber: 0, orderDate: 2, status: 3, syncStatus: 6, syncStatusExists: false },
    },
  ],
  [
    "a number and a checkbox in the header are just unknown columns",
    ["ID", "Дата", "Статус", 2026, true],
    {
      ok: true,
      columns: { orderNumber: 0, orderDate: 1, status: 2, syncStatus: 5, syncStatusExists: false },
    },
  ],
  ["a missing status column", ["ID сделки", "Дата сделки", "Сумма"], {
    ok: false,
    missing: ["status"],
  }],
  ["headers close to but not the aliases", ["ID заказа", "Дата визита", "Статусы"], {
    ok: false,
    missing: ["orderNumber", "orderDate", "status"],
  }],
  ["an empty header row", [], { ok: false, missing: ["orderNumber", "orderDate", "status"] }],
];

Deno.test("mapHeader() finds columns by header text", async (t) => {
  for (const [name, header, expected] of CASES) {
    await t.step(name, () => assert.deepEqual(mapHeader(header), expected));
  }
});

Deno.test("normalizeHeader() trims, lower-cases, folds ё and whitespace", () => {
  assert.equal(normalizeHeader("  Дата\u00a0\u00a0Статуса\n"), "дата статуса");
  assert.equal(normalizeHeader("ЁЖ"), "еж");
});

Deno.test("headerError() names the missing columns with the headers recognised", async (t) => {
  await t.step("one column, Russian", () => {
    assert.deepEqual(headerError(["status"], "ru"), {
      code: "header.missing_columns",
      missing: ["status"],
      message: "В таблице нет столбцов: «Статус» (или «Статус сделки», «status»)",
    });
  });
  await t.step("every required column, Russian", () => {
    assert.equal(
      headerError(["orderNumber", "orderDate", "status"], "ru").message,
      "В таблице нет столбцов: «ID сделки» (или «Номер сделки», «ID», «orderNumber»); " +
        "«Дата сделки» (или «Дата», «orderDate»); «Статус» (или «Статус сделки», «status»)",
    );
  });
  await t.step("English", () => {
    assert.equal(
      headerError(["orderDate"], "en").message,
      'The sheet has no columns: "Дата сделки" (or "Дата", "orderDate")',
    );
  });
});
