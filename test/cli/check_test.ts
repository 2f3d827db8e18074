/** describeHeader(): the header mapping `check` shows, by the sync's own rules. */
import assert from "node:assert/strict";
import { describeHeader } from "../../src/cli/check.ts";

Deno.test("describeHeader() names each column's field, duplicates and ignored columns", () => {
  assert.deepEqual(
    describeHeader([
      " id сделки ",
      "",
      "Дата",
      "ДАТА СДЕЛКИ",
      "Заметки",
      "Статус",
      "Синхронизация",
    ]),
    {
      columns: [
        { column: "A", header: "id сделки", field: "orderNumber" },
        { column: "C", header: "Дата", field: "orderDate" },
        { column: "D", header: "ДАТА СДЕЛКИ", field: "orderDate", duplicateOf: "C" },
        { column: "E", header: "Заметки" },
        { column: "F", header: "Статус", field: "status" },
        { column: "G", header: "Синхронизация", field: "syncStatus" },
      ],
      missing: [],
    },
  );
});

Deno.test("describeHeader() lists missing required fields and masks contacts in row 1", () => {
  // A sheet whose first row is a deal, not a header: nothing recognised, nothing leaked.
  const header = describeHeader([1001, "20.11.2026", "+7 915 777-11-22", "anna@example.ru"]);
  assert.deepEqual(header.missing, ["orderNumber", "orderDate", "status"]);
  assert.deepEqual(header.columns.map((c) => c.header), [
    "1001",
    "20.11.2026",
    "7915***1122",
    "a***@example.ru",
  ]);
});
