/**
 * The columns added as entries of the column table (`Воронка` → funnel, `Маржа` → margin, and
 * each deal's `orderLink` to its row), end to end: the real Worker in workerd against the
 * emulators.
 */
import assert from "node:assert/strict";
import { TEMPLATE_HEADERS } from "../../src/columns/docs.ts";
import { dealColumn } from "../../src/columns/deal_columns.ts";
import type { CellValue } from "../../src/deal.ts";
import { columnLetters } from "../../src/sheet/a1.ts";
import { type Rig, SPREADSHEET_ID, startRig, TAB } from "../support/e2e.ts";

type Order = Record<string, unknown>;

const header = (key: "funnel" | "margin") => dealColumn(key).headers[0];
const HEADER = [
  "ID сделки",
  "Дата сделки",
  "Статус",
  "Телефон",
  "Теги",
  header("funnel"),
  header("margin"),
];
/** The column of a header, as a person would type its cells (A1 letters). */
const letter = (name: string) => columnLetters(HEADER.indexOf(name) + 1);

function ordersOf(rig: Rig, id: string, path: "create" | "update"): Order[] {
  return rig.calltouch.requests
    .filter((r) => r.path.endsWith(`/${path}`))
    .flatMap((r) => (r.body as { orders?: Order[] }).orders ?? [])
    .filter((o) => o.orderNumber === id);
}

function tabId(rig: Rig): number {
  const tab = rig.google.spreadsheet(SPREADSHEET_ID).sheets?.find((s) =>
    s.properties?.title === TAB
  );
  return tab?.properties?.sheetId ?? -1;
}

const link = (rig: Rig, row: number) =>
  `https://docs.google.com/spreadsheets/d/${SPREADSHEET_ID}/edit#gid=${
    tabId(rig)
  }&range=${row}:${row}`;

Deno.test("the template has the funnel and margin columns", () => {
  assert.ok(TEMPLATE_HEADERS.includes("Воронка"));
  assert.ok(TEMPLATE_HEADERS.includes("Маржа"));
});

Deno.test("Воронка and Маржа reach Calltouch as funnel and margin, each deal with its row's link", async () => {
  const rows: CellValue[][] = [
    HEADER,
    ["F1", "20.11.2026 12:00", "Запись", "8 915 777-11-22", "сайт", "Стоматология", "1 200,50"],
    ["F2", "20.11.2026 13:00", "Запись", "8 926 123-45-67", "", "", ""],
    ["F3", "20.11.2026 14:00", "Запись", "8 903 555-44-33", "", "Терапия", "-5"],
  ];
  const rig = await startRig({ rows });
  try {
    const first = await rig.sync();
    assert.equal(first.body.counts.created, 2);
    const created = ordersOf(rig, "F1", "create")[0];
    assert.equal(created.funnel, "Стоматология");
    assert.equal(created.margin, "1200.50");
    assert.equal(created.orderLink, link(rig, 2));
    const bare = ordersOf(rig, "F2", "create")[0];
    assert.ok(!("funnel" in bare) && !("margin" in bare), "empty cells are not sent");
    assert.equal(bare.orderLink, link(rig, 3));
    assert.deepEqual(rig.calltouch.deals.get("F1")?.fields.funnel, "Стоматология");
    assert.match(rig.statusOf("F3") ?? "", /^❌ .*Маржа.*отрицательная сумма/);

    // An edit of the margin: one update, with the new margin; the tags it did not touch stay.
    const before = rig.calltouch.requests.length;
    rig.type(`${letter("Маржа")}2`, [[990]]);
    const second = await rig.sync();
    assert.equal(second.body.counts.updated, 1);
    assert.equal(rig.calltouch.requests.length - before, 1);
    const updated = ordersOf(rig, "F1", "update")[0];
    assert.equal(updated.margin, "990.00");
    assert.equal(updated.funnel, "Стоматология");
    assert.equal(updated.orderLink, link(rig, 2));
    assert.ok(!("addTags" in updated), "tags unchanged: Calltouch's tags are left alone");

    // Sorting the sheet moves rows, not deals: nothing is sent again.
    const sorted = rig.cells();
    const width = Math.max(...sorted.slice(1, 4).map((row) => row.length));
    const pad = (row: CellValue[]) => [...row, ...Array(width - row.length).fill("")];
    rig.type(`A2:${columnLetters(width)}4`, [sorted[3], sorted[2], sorted[1]].map(pad));
    const afterSort = rig.calltouch.requests.length;
    const third = await rig.sync();
    assert.equal(third.body.requests.calltouch, 0);
    assert.equal(rig.calltouch.requests.length, afterSort);
    assert.match(rig.statusOf("F1") ?? "", /^✅/);
    // The next update of a moved deal carries its new row's link.
    rig.type(`${letter("Статус")}4`, [["Пришёл"]]);
    await rig.sync();
    assert.equal(ordersOf(rig, "F1", "update").at(-1)?.orderLink, link(rig, 4));
  } finally {
    await rig.close();
  }
});
