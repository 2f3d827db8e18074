import assert from "node:assert/strict";
import { cellUrl, rowUrl, rowUrls, spreadsheetUrl } from "../../src/google/links.ts";

const BASE = "https://docs.google.com/spreadsheets/d/1AbC/edit";

Deno.test("links open the spreadsheet, a cell, a row: with the tab's id, or the first tab", () => {
  assert.equal(spreadsheetUrl("1AbC"), BASE);
  assert.equal(spreadsheetUrl("a/b"), "https://docs.google.com/spreadsheets/d/a%2Fb/edit");
  assert.equal(cellUrl("1AbC", 0, "E7"), `${BASE}#gid=0&range=E7`);
  assert.equal(cellUrl("1AbC", undefined, "E7"), `${BASE}#range=E7`);
  assert.equal(rowUrl("1AbC", 0, 7), `${BASE}#gid=0&range=7:7`);
  assert.equal(rowUrl("1AbC", 123, 12), `${BASE}#gid=123&range=12:12`);
  assert.equal(rowUrl("1AbC", undefined, 7), `${BASE}#range=7:7`);
  const rows = rowUrls("1AbC", 5);
  assert.deepEqual([rows(2), rows(10_001)], [rowUrl("1AbC", 5, 2), rowUrl("1AbC", 5, 10_001)]);
});
