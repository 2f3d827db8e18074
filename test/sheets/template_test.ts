import assert from "node:assert/strict";
import { COLUMN_HEADERS, mapHeader } from "../../src/columns/header.ts";
import { parseSheet } from "../../src/columns/parse.ts";
import { planSheetSetup } from "../../src/setup/plan.ts";
import { asImported, parseCsv, parseTsv } from "./support/template.ts";
import { TEMPLATE_HEADERS } from "../../src/columns/docs.ts";

const SHEETS = new URL("../../sheets/", import.meta.url);
const CSV_BYTES = await Deno.readFile(new URL("deals-template.csv", SHEETS));
const CSV = new TextDecoder("utf-8", { fatal: true }).decode(CSV_BYTES);
const TSV = await Deno.readTextFile(new URL("deals-template.tsv", SHEETS));

const HEADERS = TEMPLATE_HEADERS;

Deno.test("deals-template.csv is UTF-8 without BOM, LF line ends, one header and equal rows", () => {
  assert.notDeepEqual([...CSV_BYTES.slice(0, 3)], [0xef, 0xbb, 0xbf]);
  assert.ok(CSV.endsWith("\n") && !CSV.includes("\r"));
  const rows = parseCsv(CSV);
  assert.deepEqual(rows[0], HEADERS);
  assert.ok(rows.length >= 4, "a few example rows");
  for (const row of rows) assert.equal(row.length, HEADERS.length);
});

Deno.test("deals-template.csv has one recognised column for every field the sync knows", () => {
  const mapping = mapHeader(HEADERS);
  assert.ok(mapping.ok);
  const { syncStatusExists, ...columns } = mapping.columns;
  assert.equal(syncStatusExists, true);
  // The attribution column is optional and written by the sync: setup adds it when the
  // statistics token is set (the template serves clinics without one too).
  const fields = Object.keys(COLUMN_HEADERS).filter((field) => field !== "attribution");
  assert.deepEqual(Object.keys(columns).sort(), fields.sort());
  assert.deepEqual(
    (Object.values(columns) as number[]).sort((a, b) => a - b),
    HEADERS.map((_, i) => i),
  );
});

Deno.test("deals-template.tsv holds exactly the cells of the CSV", () => {
  assert.deepEqual(parseTsv(TSV), parseCsv(CSV));
});

Deno.test("the template parses with parseSheet() with zero problems, as text or as imported", () => {
  for (const values of [parseCsv(CSV), asImported(parseCsv(CSV))]) {
    const sheet = parseSheet(values, { language: "ru", timeZone: "Europe/Moscow" });
    assert.ok(sheet.ok, sheet.ok ? "" : sheet.headerError.message);
    assert.deepEqual(sheet.problems, []);
    assert.equal(sheet.deals.length, values.length - 1);
    assert.equal(sheet.columns.syncStatusExists, true);
    assert.equal(sheet.columns.syncStatus, HEADERS.indexOf("Calltouch"));
  }
  const parsed = parseSheet(parseCsv(CSV));
  assert.ok(parsed.ok);
  const [first, second, third] = parsed.deals;
  assert.deepEqual(first.phones, ["79157771122"]);
  assert.equal(second.revenue, "3500.00");
  assert.deepEqual(third.phones, ["79035554433", "74951234567"]);
});

Deno.test("the template's examples avoid cells Google Sheets would read as formulas", () => {
  for (const cell of parseCsv(CSV).flat()) assert.doesNotMatch(cell, /^[=+\-@]/, cell);
});

Deno.test("setup on a tab imported from the template only freezes, colours and formats", () => {
  const plan = planSheetSetup({ sheetId: 0, columnCount: HEADERS.length }, parseCsv(CSV)[0]);
  assert.deepEqual(plan.warnings, []);
  assert.equal(plan.statusColumn, HEADERS.indexOf("Calltouch"));
  assert.ok(!plan.requests.some((r) => r.updateCells || r.appendDimension));
});

Deno.test("sheets/README.md explains how to fill every column of the template", async () => {
  const readme = await Deno.readTextFile(new URL("README.md", SHEETS));
  for (const header of HEADERS) assert.ok(readme.includes(`**${header}**`), header);
});
