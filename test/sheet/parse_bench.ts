/** Speed of parseSheet() on a 50,000-row sheet (`deno bench test/sheet/`); no assertions on time. */
import type { CellValue } from "../../src/deal.ts";
import { parseSheet } from "../../src/sheet/parse.ts";

const ROWS = 50_000;

function sheet(): CellValue[][] {
  const values: CellValue[][] = [[
    "ID сделки",
    "Дата сделки",
    "Статус",
    "Дата статуса",
    "Сумма",
    "Телефон",
    "Email",
    "Теги",
    "Менеджер",
    "Услуга",
    "Комментарий",
    "Calltouch",
  ]];
  for (let i = 0; i < ROWS; i++) {
    const day = 46_000 + (i % 700);
    values.push([
      100_000 + i,
      day + (i % 96) / 96,
      i % 3 === 0 ? "Оплачено" : "Запись",
      i % 2 === 0 ? day + 1.5 : "",
      i % 4 === 0 ? "" : 1000 + (i % 50) * 100,
      `8 (9${String(i % 100).padStart(2, "0")}) ${String(1_000_000 + i).slice(-7, -4)}-11-22`,
      i % 5 === 0 ? `patient${i}@example.ru` : "",
      i % 7 === 0 ? "МРТ, первичный" : "",
      "Анна",
      "Консультация",
      "",
      "✅ создана 20.11.2026 10:31",
    ]);
  }
  return values;
}

const values = sheet();

Deno.bench("parseSheet() on 50,000 rows", () => {
  parseSheet(values, { language: "ru", timeZone: "Europe/Moscow" });
});
