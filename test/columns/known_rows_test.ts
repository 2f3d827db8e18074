import assert from "node:assert/strict";
import type { CellValue } from "../../src/deal.ts";
import { parseSheet } from "../../src/columns/parse.ts";
import { LEGACY } from "../../src/util/hash.ts";
import { OTHER_KEY, TEST_KEY } from "../support/keys.ts";

const ROWS: CellValue[][] = [
  ["ID сделки", "Дата сделки", "Статус", "Сумма", "Телефон"],
  ["A-1", 46346.4375, "Запись", 3500, "8 (915) 777-11-22"],
  ["A-2", "20.11.2026 11:00", "Визит", "4 200", "+7 916 555 33 44"],
  ["A-3", "20.11.2026 12:00", "Визит", "", ""],
];

/** The raw hashes a first parse gives, as the sync remembers them. */
function remembered(rows = ROWS): Map<string, number> {
  const first = parseSheet(rows, { knownRaw: () => undefined, rawKey: TEST_KEY });
  assert.ok(first.ok);
  return new Map(first.deals.map((d) => [d.orderNumber, first.rawHashes![d.row]]));
}

Deno.test("parseSheet() with knownRaw skips rows whose cells are exactly as last sent", () => {
  const known = remembered();
  const sheet = parseSheet(ROWS, { knownRaw: (id) => known.get(id), rawKey: TEST_KEY });
  assert.ok(sheet.ok);
  assert.deepEqual(sheet.deals, []);
  assert.deepEqual(sheet.knownRows, [
    { row: 2, orderNumber: "A-1" },
    { row: 3, orderNumber: "A-2" },
    { row: 4, orderNumber: "A-3" },
  ]);
});

Deno.test("parseSheet() with knownRaw parses every row that changed in any way", async (t) => {
  const known = remembered();
  const cases: [string, (rows: CellValue[][]) => void][] = [
    ["a cell's text", (rows) => rows[2][3] = "4 300"],
    ["a cell's type (number → the same digits as text)", (rows) => rows[1][3] = "3500"],
    ["an optional cell filled", (rows) => rows[3][4] = "89161112233"],
    ["a column's meaning (Сумма renamed Менеджер)", (rows) => rows[0][3] = "Менеджер"],
  ];
  for (const [name, change] of cases) {
    await t.step(name, () => {
      const rows = structuredClone(ROWS);
      change(rows);
      const sheet = parseSheet(rows, { knownRaw: (id) => known.get(id), rawKey: TEST_KEY });
      assert.ok(sheet.ok);
      assert.ok(sheet.deals.length >= 1, "the changed row is parsed again");
      assert.equal(sheet.deals.length + sheet.knownRows.length, 3);
    });
  }
  await t.step("moved columns read the same deal: still known", () => {
    const rows = ROWS.map((row) => [row[4] ?? "", row[0], row[1], row[2], row[3] ?? ""]);
    const sheet = parseSheet(rows, { knownRaw: (id) => known.get(id), rawKey: TEST_KEY });
    assert.ok(sheet.ok);
    assert.equal(sheet.knownRows.length, 3);
  });
});

Deno.test("parseSheet() with knownRaw still reports an ID that now repeats", () => {
  const known = remembered();
  const rows = [...structuredClone(ROWS), ["A-1", "21.11.2026", "Запись"]];
  const sheet = parseSheet(rows, { knownRaw: (id) => known.get(id), rawKey: TEST_KEY });
  assert.ok(sheet.ok);
  assert.deepEqual(sheet.knownRows.map((k) => k.orderNumber), ["A-2", "A-3"]);
  assert.deepEqual(sheet.problems.map((p) => [p.row, p.code]), [
    [2, "id.duplicate"],
    [5, "id.duplicate"],
  ]);
});

Deno.test("parseSheet() without knownRaw computes no hashes", () => {
  const sheet = parseSheet(ROWS);
  assert.ok(sheet.ok);
  assert.equal(sheet.rawHashes, undefined);
  assert.equal(sheet.deals.length, 3);
});

Deno.test("parseSheet() keys the raw hashes: another key (or none) gives other hashes", () => {
  const under = (rawKey: typeof TEST_KEY | typeof LEGACY) => {
    const sheet = parseSheet(ROWS, { knownRaw: () => undefined, rawKey });
    assert.ok(sheet.ok);
    return Array.from(sheet.rawHashes!.slice(2));
  };
  const keyed = under(TEST_KEY);
  assert.equal(new Set(keyed).size, keyed.length, "every row its own hash");
  for (const other of [under(OTHER_KEY), under(LEGACY)]) {
    keyed.forEach((hash, i) => assert.notEqual(hash, other[i]));
  }
  // A row remembered under another key is parsed again (its hash misses), never skipped.
  const old = new Map(under(LEGACY).map((hash, i) => [String(ROWS[i + 1][0]), hash]));
  const sheet = parseSheet(ROWS, { knownRaw: (id) => old.get(id), rawKey: TEST_KEY });
  assert.ok(sheet.ok);
  assert.equal(sheet.knownRows.length, 0);
  assert.equal(sheet.deals.length, 3);
});

Deno.test("parseSheet() refuses knownRaw without a key (raw hashes cover contacts)", () => {
  assert.throws(() => parseSheet(ROWS, { knownRaw: () => undefined }), TypeError);
});

Deno.test("parseSheet() with knownRaw parses again a row whose custom columns swapped names", () => {
  const customFields = [{ header: "Врач", field: "doctor" }, { header: "Филиал", field: "branch" }];
  const row = ["A-1", 46346.4375, "Запись", "Иванов", "Центр"];
  const before: CellValue[][] = [["ID сделки", "Дата сделки", "Статус", "Врач", "Филиал"], row];
  const first = parseSheet(before, { customFields, knownRaw: () => undefined, rawKey: TEST_KEY });
  assert.ok(first.ok);
  const known = first.rawHashes![2];
  // The same cells under swapped headers: the deal's doctor is now "Центр".
  const after: CellValue[][] = [["ID сделки", "Дата сделки", "Статус", "Филиал", "Врач"], row];
  const sheet = parseSheet(after, {
    customFields,
    knownRaw: (id) => id === "A-1" ? known : undefined,
    rawKey: TEST_KEY,
  });
  assert.ok(sheet.ok);
  assert.deepEqual(sheet.deals.map((deal) => deal.custom), [{ branch: "Иванов", doctor: "Центр" }]);
});
