import assert from "node:assert/strict";
import type { CellValue, Deal, Language } from "../../src/deal.ts";
import { type ParsedSheet, type ParsedSheetOk, parseSheet } from "../../src/columns/parse.ts";
import { ATTRIBUTION_HEADER } from "../../src/columns/written.ts";
import { problemsByRow, renderRowProblems } from "../../src/sync/row_problems.ts";
import { makeDeal } from "../support/deals.ts";

/** The serial number Sheets returns for a wall-clock date-time (computed with Date, not our code). */
function serial(y: number, m: number, d: number, h = 0, min = 0, s = 0): number {
  return (Date.UTC(y, m - 1, d, h, min, s) - Date.UTC(1899, 11, 30)) / 86_400_000;
}

/** Columns A..L of the template. */
const HEADER = [
  "ID сделки", //     A
  "Дата сделки", //   B
  "Статус", //        C
  "Дата статуса", //  D
  "Сумма", //         E
  "Телефон", //       F
  "Email", //         G
  "Теги", //          H
  "Менеджер", //      I
  "Услуга", //        J
  "Комментарий", //   K
  "Calltouch", //     L
];

/** A valid row of the template; `overrides` maps a header to its cell. */
function row(overrides: Record<string, CellValue> = {}): CellValue[] {
  const base: Record<string, CellValue> = {
    "ID сделки": "A-1",
    "Дата сделки": "20.11.2026 10:30",
    "Статус": "Запись",
    "Дата статуса": "",
    "Сумма": "3 500",
    "Телефон": "8 (915) 777-11-22",
    "Email": "patient@example.ru",
    "Теги": "МРТ",
    "Менеджер": "",
    "Услуга": "",
    "Комментарий": "",
    "Calltouch": "",
  };
  return HEADER.map((name) => name in overrides ? overrides[name] : base[name]);
}

/** The deal `row()` yields at sheet row 2; `overrides` replace fields (`undefined` removes one). */
function deal(overrides: Partial<Deal> = {}): Deal {
  const result: Deal = makeDeal(overrides);
  for (const key of Object.keys(overrides) as (keyof Deal)[]) {
    if (overrides[key] === undefined) delete result[key];
  }
  return result;
}

function ok(sheet: ParsedSheet): ParsedSheetOk {
  if (!sheet.ok) assert.fail(`header error: ${sheet.headerError.message}`);
  return sheet;
}

function parseRow(cells: CellValue[], language: Language = "ru"): ParsedSheetOk {
  return ok(parseSheet([HEADER, cells], { language, timeZone: "Europe/Moscow" }));
}

/** [case, cells of row 2 by header, the exact deal]. */
const DEAL_CASES: [string, Record<string, CellValue>, Deal][] = [
  ["the base row", {}, deal()],
  ["a numeric ID", { "ID сделки": 1234 }, deal({ orderNumber: "1234" })],
  ["a fractional numeric ID", { "ID сделки": 1234.5 }, deal({ orderNumber: "1234.5" })],
  [
    "a large numeric ID",
    { "ID сделки": 123456789012345 },
    deal({ orderNumber: "123456789012345" }),
  ],
  ["an ID with spaces around", { "ID сделки": "  A-1 \n" }, deal()],
  ["phone 8 (915) 777-11-22", { "Телефон": "8 (915) 777-11-22" }, deal()],
  ["phone +7 915 7771122", { "Телефон": "+7 915 7771122" }, deal()],
  ["phone 9157771122", { "Телефон": "9157771122" }, deal()],
  ["a numeric phone cell", { "Телефон": 79157771122 }, deal()],
  [
    "two phones in a cell",
    { "Телефон": "8 (915) 777-11-22, +7 916 000-11-22" },
    deal({ phones: ["79157771122", "79160001122"] }),
  ],
  ["no phone", { "Телефон": "" }, deal({ phones: [] })],
  ["revenue 1 000,50", { "Сумма": "1 000,50" }, deal({ revenue: "1000.50" })],
  ["revenue 1000 ₽", { "Сумма": "1000 ₽" }, deal({ revenue: "1000.00" })],
  ["revenue as a number", { "Сумма": 4200.5 }, deal({ revenue: "4200.50" })],
  ["no revenue", { "Сумма": "" }, deal({ revenue: undefined })],
  [
    "text date 2026-11-22 14:05",
    { "Дата сделки": "2026-11-22 14:05" },
    deal({ orderDate: "2026-11-22T14:05:00" }),
  ],
  [
    "a date-only serial means midnight",
    { "Дата сделки": serial(2026, 11, 20) },
    deal({ orderDate: "2026-11-20T00:00:00" }),
  ],
  [
    "a status date of its own",
    { "Дата статуса": serial(2026, 11, 25, 18, 0, 30) },
    deal({ statusDate: "2026-11-25T18:00:30" }),
  ],
  ["a blank status date is no status date", { "Дата статуса": "  " }, deal()],
  ["e-mail in upper case", { "Email": "Patient@Example.RU" }, deal()],
  [
    "several e-mails, one repeated",
    { "Email": "a@b.ru; A@B.RU\nc@d.ru" },
    deal({ emails: ["a@b.ru", "c@d.ru"] }),
  ],
  ["no e-mail", { "Email": "-" }, deal({ emails: [] })],
  [
    "tags with duplicates",
    { "Теги": "МРТ, первичный; МРТ\nакция, " },
    deal({ tags: ["МРТ", "первичный", "акция"] }),
  ],
  ["no tags", { "Теги": "" }, deal({ tags: [] })],
  [
    "manager, service and comment trimmed",
    { "Менеджер": " Анна ", "Услуга": "МРТ колена", "Комментарий": "перезвонить\nвечером " },
    deal({ manager: "Анна", orderName: "МРТ колена", comment: "перезвонить\nвечером" }),
  ],
  ["a status trimmed", { "Статус": "  Оплачено " }, deal({ status: "Оплачено" })],
  ["a checkbox in the comment column", { "Комментарий": true }, deal({ comment: "TRUE" })],
];

Deno.test("parseSheet() turns a valid row into the exact deal", async (t) => {
  for (const [name, cells, expected] of DEAL_CASES) {
    await t.step(name, () => {
      const sheet = parseRow(row(cells));
      assert.deepEqual(sheet.problems, []);
      assert.deepEqual(sheet.deals, [expected]);
    });
  }
});

/** [case, cells of row 2 by header, the exact problems as [code, message]]. */
const PROBLEM_CASES: [string, Record<string, CellValue>, [string, string][]][] = [
  ["a missing ID", { "ID сделки": "" }, [[
    "id.missing",
    "A2 (ID сделки): не указан ID сделки, ожидается номер сделки",
  ]]],
  ["a missing deal date", { "Дата сделки": "" }, [[
    "date.missing",
    "B2 (Дата сделки): не указана дата, ожидается ДД.ММ.ГГГГ, ДД.ММ.ГГГГ ЧЧ:ММ или ГГГГ-ММ-ДД ЧЧ:ММ",
  ]]],
  ["31.02.2026", { "Дата сделки": "31.02.2026" }, [[
    "date.impossible",
    "B2 (Дата сделки): нет такой даты «31.02.2026», ожидается существующий день месяца и время не позже 23:59:59",
  ]]],
  ["an unreadable date", { "Дата сделки": "вчера" }, [[
    "date.invalid",
    "B2 (Дата сделки): не удалось разобрать дату «вчера», ожидается ДД.ММ.ГГГГ, ДД.ММ.ГГГГ ЧЧ:ММ или ГГГГ-ММ-ДД ЧЧ:ММ",
  ]]],
  ["a serial far in the past", { "Дата сделки": 5 }, [[
    "date.out_of_range",
    "B2 (Дата сделки): дата «04.01.1900» вне допустимого диапазона, ожидается год с 2000 по 2099",
  ]]],
  ["a bad status date", { "Дата статуса": "29.02.2025 10:00" }, [[
    "date.impossible",
    "D2 (Дата статуса): нет такой даты «29.02.2025 10:00», ожидается существующий день месяца и время не позже 23:59:59",
  ]]],
  ["a missing status", { "Статус": " " }, [[
    "status.missing",
    "C2 (Статус): не указан статус сделки, ожидается текст статуса",
  ]]],
  ["revenue -5", { "Сумма": "-5" }, [[
    "money.negative",
    "E2 (Сумма): отрицательная сумма «-5», ожидается 0 или больше",
  ]]],
  ["revenue abc", { "Сумма": "abc" }, [[
    "money.invalid",
    "E2 (Сумма): не удалось разобрать сумму «abc», ожидается число, например 1 000,50",
  ]]],
  ["revenue 1,000", { "Сумма": "1,000" }, [[
    "money.precision",
    "E2 (Сумма): в сумме «1,000» больше двух цифр после запятой, ожидается сумма с копейками, например 1 000,50 (тысячи отделяйте пробелом)",
  ]]],
  ["a phone pasted into the amount is masked", { "Сумма": "+7 915 777-11-22" }, [[
    "money.invalid",
    "E2 (Сумма): не удалось разобрать сумму «7915***1122», ожидается число, например 1 000,50",
  ]]],
  ["a short phone, masked", { "Телефон": "8 (915) 777-11" }, [[
    "phone.invalid",
    "F2 (Телефон): номер «8915***7711» не похож на российский, ожидается 11 цифр, например +7 900 123-45-67",
  ]]],
  ["one good and one foreign phone", { "Телефон": "89157771122, +375 29 123-45-67" }, [[
    "phone.invalid",
    "F2 (Телефон): номер «3752***4567» не похож на российский, ожидается 11 цифр, например +7 900 123-45-67",
  ]]],
  ["an invalid e-mail, masked", { "Email": "Ivan@Mail" }, [[
    "email.invalid",
    "G2 (Email): адрес «i***@mail» не похож на e-mail, ожидается вида name@example.ru",
  ]]],
  [
    "several problems in one row, in column order",
    { "ID сделки": "", "Статус": "", "Сумма": "-1", "Телефон": "123456", "Email": "x@" },
    [
      ["id.missing", "A2 (ID сделки): не указан ID сделки, ожидается номер сделки"],
      ["status.missing", "C2 (Статус): не указан статус сделки, ожидается текст статуса"],
      ["money.negative", "E2 (Сумма): отрицательная сумма «-1», ожидается 0 или больше"],
      [
        "phone.invalid",
        "F2 (Телефон): номер «12***» не похож на российский, ожидается 11 цифр, например +7 900 123-45-67",
      ],
      [
        "email.invalid",
        "G2 (Email): адрес «x***@» не похож на e-mail, ожидается вида name@example.ru",
      ],
    ],
  ],
];

/** The cell a problem message starts with ("B6 (Дата сделки): …" → "B6"). */
function cellOf(message: string): string {
  return /^([A-Z]+\d+) /.exec(message)![1];
}

Deno.test("parseSheet() reports every problem of a row with its exact message", async (t) => {
  for (const [name, cells, expected] of PROBLEM_CASES) {
    await t.step(name, () => {
      const sheet = parseRow(row(cells));
      assert.deepEqual(sheet.deals, []);
      const orderNumber = cells["ID сделки"] === "" ? {} : { orderNumber: "A-1" };
      assert.deepEqual(
        sheet.problems,
        expected.map(([code, message]) => ({
          row: 2,
          ...orderNumber,
          code,
          message,
          cell: cellOf(message),
        })),
      );
    });
  }
});

const ENGLISH_CASES: [string, Record<string, CellValue>, [string, string]][] = [
  ["a missing ID", { "ID сделки": "" }, [
    "id.missing",
    "A2 (ID сделки): the deal ID is empty, expected the deal number",
  ]],
  ["31.02.2026", { "Дата сделки": "31.02.2026" }, [
    "date.impossible",
    'B2 (Дата сделки): no such date "31.02.2026", expected a real day of the month and a time up to 23:59:59',
  ]],
  ["an unreadable date", { "Дата сделки": "tomorrow" }, [
    "date.invalid",
    'B2 (Дата сделки): cannot read the date "tomorrow", expected DD.MM.YYYY, DD.MM.YYYY HH:MM or YYYY-MM-DD HH:MM',
  ]],
  ["a year out of range", { "Дата сделки": "01.01.1999" }, [
    "date.out_of_range",
    'B2 (Дата сделки): the date "01.01.1999" is out of range, expected a year from 2000 to 2099',
  ]],
  ["a missing status", { "Статус": "" }, [
    "status.missing",
    "C2 (Статус): the deal status is empty, expected the status text",
  ]],
  ["revenue -5", { "Сумма": -5 }, [
    "money.negative",
    'E2 (Сумма): negative amount "-5", expected 0 or more',
  ]],
  ["revenue abc", { "Сумма": "abc" }, [
    "money.invalid",
    'E2 (Сумма): cannot read the amount "abc", expected a number such as 1000.50',
  ]],
  ["revenue 10.505", { "Сумма": "10.505" }, [
    "money.precision",
    'E2 (Сумма): the amount "10.505" has more than two digits after the decimal separator, expected rubles and kopecks such as 1000.50 (separate thousands with spaces)',
  ]],
  ["a bad phone", { "Телефон": "12345" }, [
    "phone.invalid",
    'F2 (Телефон): "12***" is not a Russian phone number, expected 11 digits such as +7 900 123-45-67',
  ]],
  ["a bad e-mail", { "Email": "name@server" }, [
    "email.invalid",
    'G2 (Email): "n***@server" does not look like an e-mail address, expected name@example.com',
  ]],
];

Deno.test("parseSheet() writes problems in English when asked", async (t) => {
  for (const [name, cells, [code, message]] of ENGLISH_CASES) {
    await t.step(name, () => {
      const sheet = parseRow(row(cells), "en");
      const orderNumber = cells["ID сделки"] === "" ? {} : { orderNumber: "A-1" };
      assert.deepEqual(sheet.problems, [
        { row: 2, ...orderNumber, code, message, cell: cellOf(message) },
      ]);
    });
  }
});

Deno.test("parseSheet() reads serial date-times as the same wall clock in every zone", async (t) => {
  const values: CellValue[][] = [
    ["ID", "Дата", "Статус", "Дата статуса"],
    ["night", serial(2026, 11, 22, 0, 30), "Запись", serial(2026, 11, 22, 23, 45, 59)],
    ["noisy", 46348.58680555556, "Запись", 46348.586805555555],
    ["new year", serial(2027, 1, 1), "Запись"],
  ];
  const expected: Deal[] = [
    {
      row: 2,
      orderNumber: "night",
      orderDate: "2026-11-22T00:30:00",
      status: "Запись",
      statusDate: "2026-11-22T23:45:59",
      phones: [],
      emails: [],
      tags: [],
    },
    {
      row: 3,
      orderNumber: "noisy",
      orderDate: "2026-11-22T14:05:00",
      status: "Запись",
      statusDate: "2026-11-22T14:05:00",
      phones: [],
      emails: [],
      tags: [],
    },
    {
      row: 4,
      orderNumber: "new year",
      orderDate: "2027-01-01T00:00:00",
      status: "Запись",
      phones: [],
      emails: [],
      tags: [],
    },
  ];
  for (const timeZone of ["Europe/Moscow", "Asia/Yekaterinburg", "UTC", "America/New_York"]) {
    await t.step(timeZone, () => {
      const sheet = ok(parseSheet(values, { language: "ru", timeZone }));
      assert.deepEqual(sheet.problems, []);
      assert.deepEqual(sheet.deals, expected);
    });
  }
});

Deno.test("parseSheet() reports a duplicate ID on every row carrying it and sends none", () => {
  const values = [
    HEADER,
    row({ "ID сделки": 1234 }),
    row({ "ID сделки": "B-2" }),
    row({ "ID сделки": " 1234 ", "Сумма": "-5" }),
    row({ "ID сделки": "b-2" }),
    row({ "ID сделки": "1234" }),
  ];
  const duplicates = ok(parseSheet(values, { language: "ru", timeZone: "Europe/Moscow" }));
  const message = (row: number) =>
    `A${row} (ID сделки): ID сделки «1234» повторяется в строках 2, 4, 6, ожидается свой ID у каждой сделки`;
  assert.deepEqual(duplicates.deals.map((d) => d.orderNumber), ["B-2", "b-2"]);
  assert.deepEqual(duplicates.problems, [
    { row: 2, orderNumber: "1234", code: "id.duplicate", message: message(2), cell: "A2" },
    { row: 4, orderNumber: "1234", code: "id.duplicate", message: message(4), cell: "A4" },
    {
      row: 4,
      orderNumber: "1234",
      code: "money.negative",
      message: "E4 (Сумма): отрицательная сумма «-5», ожидается 0 или больше",
      cell: "E4",
    },
    { row: 6, orderNumber: "1234", code: "id.duplicate", message: message(6), cell: "A6" },
  ]);
});

Deno.test("parseSheet() skips blank rows silently and keeps sheet row numbers", () => {
  const values: CellValue[][] = [
    [...HEADER, "Заметки"],
    [],
    ["", " ", "\u00a0", "", "", "", "", "", "", "", "", "", ""],
    ["", "", "", "", "", "", "", "", "", "", "", "✅ создана 20.11.2026 10:31"],
    ["", "", "", "", "", "", "", "", "", "", "", "", "позвонить в понедельник"],
    row({ "ID сделки": "A-7" }),
  ];
  const sheet = ok(parseSheet(values, { language: "ru", timeZone: "Europe/Moscow" }));
  assert.deepEqual(sheet.problems, []);
  assert.deepEqual(sheet.deals, [deal({ row: 6, orderNumber: "A-7" })]);
  assert.deepEqual([...sheet.statusTexts], [[4, "✅ создана 20.11.2026 10:31"]]);
});

Deno.test("parseSheet() reads ragged rows and ignores cells past the header", () => {
  const values: CellValue[][] = [
    HEADER,
    ["A-1", "20.11.2026 10:30", "Запись"],
    ["A-2", "20.11.2026 10:30", "Запись", "", "", "9157771122"],
    [...row({ "ID сделки": "A-3" }), "лишнее", 42, true],
  ];
  const sheet = ok(parseSheet(values, { language: "ru", timeZone: "Europe/Moscow" }));
  assert.deepEqual(sheet.problems, []);
  assert.deepEqual(sheet.deals, [
    deal({ revenue: undefined, phones: [], emails: [], tags: [] }),
    deal({ row: 3, orderNumber: "A-2", revenue: undefined, emails: [], tags: [] }),
    deal({ row: 4, orderNumber: "A-3" }),
  ]);
});

Deno.test("parseSheet() works with the required columns only, in any order", () => {
  const sheet = ok(parseSheet([["Статус", "Дата", "ID"], ["Визит", "01.12.2026", 77]]));
  assert.deepEqual(sheet.deals, [{
    row: 2,
    orderNumber: "77",
    orderDate: "2026-12-01T00:00:00",
    status: "Визит",
    phones: [],
    emails: [],
    tags: [],
  }]);
  assert.deepEqual(sheet.columns, {
    orderNumber: 2,
    orderDate: 1,
    status: 0,
    syncStatus: 3,
    syncStatusExists: false,
  });
  assert.equal(sheet.statusTexts.size, 0);
});

Deno.test("parseSheet() reads status texts where the sync-status column will be created", () => {
  const sheet = ok(parseSheet([
    ["ID", "Дата", "Статус", "", "Заметки"],
    ["1", "01.12.2026", "Визит", "", "", "✅ создана 01.12.2026 10:00"],
    ["2", "01.12.2026", "Визит"],
    ["3", "01.12.2026", "Визит", "", "", "⏳ Calltouch не ответил"],
  ]));
  assert.equal(sheet.columns.syncStatus, 5);
  assert.equal(sheet.columns.syncStatusExists, false);
  assert.deepEqual([...sheet.statusTexts], [
    [2, "✅ создана 01.12.2026 10:00"],
    [4, "⏳ Calltouch не ответил"],
  ]);
});

Deno.test("parseSheet() returns the header error when a required column is missing", async (t) => {
  await t.step("Russian", () => {
    assert.deepEqual(parseSheet([["ID сделки", "Дата сделки", "Сумма"], ["1", "01.12.2026"]]), {
      ok: false,
      headerError: {
        code: "header.missing_columns",
        missing: ["status"],
        message: "В таблице нет столбцов: «Статус» (или «Статус сделки», «status»)",
      },
    });
  });
  await t.step("English, empty sheet", () => {
    const sheet = parseSheet([], { language: "en", timeZone: "Europe/Moscow" });
    assert.equal(sheet.ok, false);
    assert.equal(
      !sheet.ok && sheet.headerError.message,
      'The sheet has no columns: "ID сделки" (or "Номер сделки", "ID", "orderNumber"); ' +
        '"Дата сделки" (or "Дата", "orderDate"); "Статус" (or "Статус сделки", "status")',
    );
  });
});

Deno.test("parseSheet() reads a realistic 20-row sheet end to end", () => {
  // What a clinic's tab looks like after a month: English and Russian headers, a column of its
  // own, serial dates from the date picker next to typed ones, and the usual mistakes.
  const values: CellValue[][] = [
    [
      "Номер сделки",
      "Дата",
      "Пациент",
      "phone",
      "Почта",
      "Услуга",
      "status",
      "Выручка",
      "Дата статуса",
      "Теги",
      "Менеджер",
      "Комментарий",
      "Синхронизация",
    ],
    [
      1001,
      serial(2026, 11, 2, 9, 15),
      "Иванова",
      "8 (915) 777-11-22",
      "",
      "Консультация",
      "Запись",
      "",
      "",
      "первичный",
      "Анна",
      "",
      "✅ создана 02.11.2026 09:20",
    ],
    [
      1002,
      serial(2026, 11, 2, 11, 0),
      "Петров",
      "+7 916 000 11 22",
      "Petrov@Mail.ru",
      "МРТ",
      "Оплачено",
      4500,
      serial(2026, 11, 3, 12, 30),
      "МРТ, МРТ",
      "Анна",
      "",
      "✅ обновлена 03.11.2026 12:31",
    ],
    [
      1003,
      "03.11.2026 14:05",
      "Сидорова",
      "89031234567; 84951234567",
      "",
      "УЗИ",
      "Визит",
      "2 500 ₽",
      "",
      "",
      "Олег",
    ],
    [
      1004,
      "2026-11-04",
      "",
      "",
      "s@example.ru",
      "Анализы",
      "Оплачено",
      "1 200,50",
      "04.11.2026 18:00",
      "акция\nанализы",
    ],
    [],
    [
      1005,
      serial(2026, 11, 5, 10, 0),
      "Козлов",
      "8 (915) 777-11",
      "",
      "Консультация",
      "Запись",
      "",
      "",
      "",
      "Анна",
      "",
      "❌ старая ошибка",
    ],
    [1006, "31.11.2026", "Морозова", "9261112233", "", "МРТ", "Запись"],
    ["", serial(2026, 11, 6, 16, 40), "Волков", "+7 926 111 22 33", "", "УЗИ", "Запись"],
    [
      1007,
      serial(2026, 11, 7, 9, 0),
      "Новикова",
      "8-903-555-44-33",
      "novikova@",
      "Консультация",
      "Отказ",
      "-300",
    ],
    [1002, serial(2026, 11, 7, 12, 0), "Петров", "+7 916 000 11 22", "", "МРТ", "Повторная запись"],
    ["", "", "", "", "", "", "", "", "", "", "", "", "✅ создана 01.11.2026 10:00"],
    [
      " 1008 ",
      serial(2026, 11, 8, 8, 5, 30),
      "Лебедева",
      79001234567,
      "LEBEDEVA@YANDEX.RU",
      "Массаж",
      "Оплачено",
      3000,
      "",
      "курс, массаж, курс",
      "Олег",
      "курс из 5 сеансов",
    ],
    [1009, serial(2026, 11, 9), "Соколов", "", "", "Консультация", "Запись"],
    [1010, "10.11.2026 9:30", "Попова", "8 (915) 123-45-67 / 8 (915) 123-45-67", "", "УЗИ", ""],
    [1011, "11.11.2026 25:00", "Лебедев", "", "", "Анализы", "Запись", "abc"],
    [
      1012.5,
      "2026-11-12T15:45",
      "Кузнецова",
      "9151234567",
      "k@example.ru, K@example.ru",
      "МРТ",
      "Визит",
      "1000р",
      "",
      "",
      "Анна",
    ],
    [
      1013,
      serial(2026, 11, 13, 17, 20),
      "Орлова",
      "—",
      "—",
      "Консультация",
      "Запись",
      "—",
      "—",
      "—",
      "—",
      "—",
    ],
    [1014, "14/11/2026", "Федоров", "+7 (343) 222-33-44", "", "Массаж", "Оплачено", "1 000,555"],
    [
      1015,
      serial(2026, 11, 15, 23, 59, 59),
      "Егорова",
      "",
      "egorova@клиника.рф",
      "УЗИ",
      "Запись",
      0,
    ],
  ];
  const sheet = ok(parseSheet(values, { language: "ru", timeZone: "Asia/Yekaterinburg" }));
  const empty = { phones: [], emails: [], tags: [] };
  assert.deepEqual(sheet.deals, [
    {
      row: 2,
      orderNumber: "1001",
      orderDate: "2026-11-02T09:15:00",
      status: "Запись",
      ...empty,
      phones: ["79157771122"],
      tags: ["первичный"],
      manager: "Анна",
      orderName: "Консультация",
    },
    {
      row: 4,
      orderNumber: "1003",
      orderDate: "2026-11-03T14:05:00",
      status: "Визит",
      revenue: "2500.00",
      ...empty,
      phones: ["79031234567", "74951234567"],
      manager: "Олег",
      orderName: "УЗИ",
    },
    {
      row: 5,
      orderNumber: "1004",
      orderDate: "2026-11-04T00:00:00",
      status: "Оплачено",
      statusDate: "2026-11-04T18:00:00",
      revenue: "1200.50",
      phones: [],
      emails: ["s@example.ru"],
      tags: ["акция", "анализы"],
      orderName: "Анализы",
    },
    {
      row: 13,
      orderNumber: "1008",
      orderDate: "2026-11-08T08:05:30",
      status: "Оплачено",
      revenue: "3000.00",
      phones: ["79001234567"],
      emails: ["lebedeva@yandex.ru"],
      tags: ["курс", "массаж"],
      manager: "Олег",
      orderName: "Массаж",
      comment: "курс из 5 сеансов",
    },
    {
      row: 14,
      orderNumber: "1009",
      orderDate: "2026-11-09T00:00:00",
      status: "Запись",
      ...empty,
      orderName: "Консультация",
    },
    {
      row: 17,
      orderNumber: "1012.5",
      orderDate: "2026-11-12T15:45:00",
      status: "Визит",
      revenue: "1000.00",
      phones: ["79151234567"],
      emails: ["k@example.ru"],
      tags: [],
      manager: "Анна",
      orderName: "МРТ",
    },
    {
      row: 18,
      orderNumber: "1013",
      orderDate: "2026-11-13T17:20:00",
      status: "Запись",
      ...empty,
      orderName: "Консультация",
    },
    {
      row: 20,
      orderNumber: "1015",
      orderDate: "2026-11-15T23:59:59",
      status: "Запись",
      revenue: "0.00",
      phones: [],
      emails: ["egorova@клиника.рф"],
      tags: [],
      orderName: "УЗИ",
    },
  ]);
  const dup = (row: number) =>
    `A${row} (Номер сделки): ID сделки «1002» повторяется в строках 3, 11, ожидается свой ID у каждой сделки`;
  // Each problem names the cell its message starts with.
  for (const problem of sheet.problems) assert.equal(problem.cell, cellOf(problem.message));
  assert.deepEqual(sheet.problems.map(({ cell: _, ...rest }) => rest), [
    { row: 3, orderNumber: "1002", code: "id.duplicate", message: dup(3) },
    {
      row: 7,
      orderNumber: "1005",
      code: "phone.invalid",
      message:
        "D7 (phone): номер «8915***7711» не похож на российский, ожидается 11 цифр, например +7 900 123-45-67",
    },
    {
      row: 8,
      orderNumber: "1006",
      code: "date.impossible",
      message:
        "B8 (Дата): нет такой даты «31.11.2026», ожидается существующий день месяца и время не позже 23:59:59",
    },
    {
      row: 9,
      code: "id.missing",
      message: "A9 (Номер сделки): не указан ID сделки, ожидается номер сделки",
    },
    {
      row: 10,
      orderNumber: "1007",
      code: "money.negative",
      message: "H10 (Выручка): отрицательная сумма «-300», ожидается 0 или больше",
    },
    {
      row: 10,
      orderNumber: "1007",
      code: "email.invalid",
      message: "E10 (Почта): адрес «n***@» не похож на e-mail, ожидается вида name@example.ru",
    },
    { row: 11, orderNumber: "1002", code: "id.duplicate", message: dup(11) },
    {
      row: 15,
      orderNumber: "1010",
      code: "status.missing",
      message: "G15 (status): не указан статус сделки, ожидается текст статуса",
    },
    {
      row: 16,
      orderNumber: "1011",
      code: "date.impossible",
      message:
        "B16 (Дата): нет такой даты «11.11.2026 25:00», ожидается существующий день месяца и время не позже 23:59:59",
    },
    {
      row: 16,
      orderNumber: "1011",
      code: "money.invalid",
      message:
        "H16 (Выручка): не удалось разобрать сумму «abc», ожидается число, например 1 000,50",
    },
    {
      row: 19,
      orderNumber: "1014",
      code: "money.precision",
      message:
        "H19 (Выручка): в сумме «1 000,555» больше двух цифр после запятой, ожидается сумма с копейками, например 1 000,50 (тысячи отделяйте пробелом)",
    },
  ]);
  assert.deepEqual([...sheet.statusTexts], [
    [2, "✅ создана 02.11.2026 09:20"],
    [3, "✅ обновлена 03.11.2026 12:31"],
    [7, "❌ старая ошибка"],
    [12, "✅ создана 01.11.2026 10:00"],
  ]);
  assert.equal(
    renderRowProblems(problemsByRow(sheet.problems).get(10) ?? []),
    "H10 (Выручка): отрицательная сумма «-300», ожидается 0 или больше; " +
      "E10 (Почта): адрес «n***@» не похож на e-mail, ожидается вида name@example.ru",
  );
  // Privacy: no problem message carries a full phone number or e-mail.
  for (const { message } of sheet.problems) {
    assert.doesNotMatch(message, /\d{7,}|novikova@/);
  }
});

Deno.test("parseSheet() custom columns: text, numbers and dates pass; a phone or e-mail is a problem", () => {
  const values: CellValue[][] = [
    ["ID", "Дата", "Статус", "Врач"],
    ["1", "20.11.2026", "Запись", "Иванова"],
    ["2", "20.11.2026", "Запись", 46348.58680555556],
    ["3", "20.11.2026", "Запись", 1500],
    ["4", "20.11.2026", "Запись", 79161112233],
    ["5", "20.11.2026", "Запись", "8 (916) 111-22-33"],
    ["6", "20.11.2026", "Запись", "doc@clinic.ru"],
  ];
  const sheet = ok(parseSheet(values, {
    language: "ru",
    timeZone: "Europe/Moscow",
    customFields: [{ header: "Врач", field: "doctor" }],
  }));
  assert.deepEqual(sheet.deals.map((d) => [d.orderNumber, d.custom]), [
    ["1", { doctor: "Иванова" }],
    ["2", { doctor: "46348.58680555556" }],
    ["3", { doctor: "1500" }],
  ]);
  assert.deepEqual(sheet.problems.map((p) => [p.row, p.code, p.cell]), [
    [5, "custom.contact", "D5"],
    [6, "custom.contact", "D6"],
    [7, "custom.contact", "D7"],
  ]);
  for (const problem of sheet.problems) assert.doesNotMatch(problem.message, /1112233|doc@/);
});

Deno.test("parseSheet() refuses a phone or an e-mail in the ID column, and never repeats it", async (t) => {
  const cases: [string, CellValue, "ru" | "en", string][] = [
    [
      "a phone as text",
      "8 (916) 111-22-33",
      "ru",
      "A2 (ID сделки): в ID сделки номер телефона — контакты в ID не отправляем и не храним, " +
      "ожидается номер сделки (например, 1001 или А-1234); телефон перенесите в столбец «Телефон»",
    ],
    [
      "a phone as a number",
      79161112233,
      "ru",
      "A2 (ID сделки): в ID сделки номер телефона — контакты в ID не отправляем и не храним, " +
      "ожидается номер сделки (например, 1001 или А-1234); телефон перенесите в столбец «Телефон»",
    ],
    [
      "an e-mail",
      "ivan.petrov@mail.ru",
      "ru",
      "A2 (ID сделки): в ID сделки e-mail — контакты в ID не отправляем и не храним, " +
      "ожидается номер сделки (например, 1001 или А-1234); e-mail перенесите в столбец «Email»",
    ],
    [
      "a phone, in English",
      "+7 916 111-22-33",
      "en",
      "A2 (ID сделки): the deal ID is a phone number, which is never sent or stored as an ID, " +
      "expected the deal number (such as 1001 or A-1234); move the phone to the Phone column",
    ],
    [
      "an e-mail, in English",
      "ivan@mail.ru",
      "en",
      "A2 (ID сделки): the deal ID is an e-mail address, which is never sent or stored as an " +
      "ID, expected the deal number (such as 1001 or A-1234); move the e-mail to the Email column",
    ],
  ];
  for (const [name, id, language, message] of cases) {
    await t.step(name, () => {
      const sheet = parseRow(row({ "ID сделки": id }), language);
      assert.deepEqual(sheet.deals, []);
      assert.deepEqual(sheet.problems, [{ row: 2, code: "id.contact", message, cell: "A2" }]);
      assert.deepEqual([...sheet.contactIds], [[2, String(id)]]);
    });
  }
  await t.step("the row's other problems are reported too, without an order number", () => {
    const sheet = parseRow(row({ "ID сделки": "79161112233", "Сумма": "-5" }));
    assert.deepEqual(sheet.problems.map((p) => [p.code, p.orderNumber]), [
      ["id.contact", undefined],
      ["money.negative", undefined],
    ]);
  });
  await t.step("two rows with the same phone: no duplicate message quoting it", () => {
    const sheet = ok(
      parseSheet([
        HEADER,
        row({ "ID сделки": "89161112233" }),
        row({ "ID сделки": "89161112233" }),
      ]),
    );
    assert.deepEqual(sheet.problems.map((p) => [p.row, p.code]), [[2, "id.contact"], [
      3,
      "id.contact",
    ]]);
    for (const problem of sheet.problems) {
      assert.ok(!/9161|2233|\*\*\*/.test(problem.message), "neither the phone nor its mask");
    }
  });
  await t.step("a row remembered by its raw hash is never skipped with a contact for an ID", () => {
    const sheet = ok(parseSheet([HEADER, row({ "ID сделки": "89161112233" })], {
      knownRaw: () => {
        throw new Error("looked up by its contact");
      },
      rawKey: "legacy",
    }));
    assert.deepEqual(sheet.knownRows, []);
    assert.equal(sheet.problems[0].code, "id.contact");
  });
  await t.step("order numbers stay IDs", () => {
    for (const id of ["1001", "2026-11-001", "A-1234", "СД-000123", 1234567890]) {
      const sheet = parseRow(row({ "ID сделки": id }));
      assert.deepEqual(sheet.problems, [], String(id));
      assert.equal(sheet.deals[0].orderNumber, String(id));
    }
  });
});

Deno.test("parseSheet() keeps the attribution cells' texts as read, and no empty one", () => {
  const values: CellValue[][] = [
    ["ID сделки", "Дата сделки", "Статус", ATTRIBUTION_HEADER],
    ["A-1", "20.11.2026 10:30", "Запись", "Яндекс Директ / cpc"],
    ["A-2", "20.11.2026 11:30", "Запись", ""],
    ["A-3", "20.11.2026 12:30", "Запись", 42],
  ];
  const sheet = ok(parseSheet(values));
  assert.deepEqual([...sheet.attributionTexts], [[2, "Яндекс Директ / cpc"], [4, "42"]]);
});
