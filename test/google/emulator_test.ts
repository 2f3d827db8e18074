/**
 * The Google emulator itself, over raw HTTP: what the other tests and the demo rely on (shape
 * rules, render and input options, batch updates, masks, faults, hooks, admin API, standalone).
 */
import assert from "node:assert/strict";
import type { sheets_v4 } from "@googleapis/sheets";
import { ServiceAccountTokenProvider } from "../../src/google/auth.ts";
import { SheetsClient } from "../../src/google/sheets.ts";
import { testServiceAccount } from "../support/service_account.ts";
import { type GoogleFixture, googleFixture, serviceAccount } from "./fixture.ts";

interface Answer {
  status: number;
  // deno-lint-ignore no-explicit-any
  body: any;
}

/** Calls the emulated Sheets API with the fixture's token; `path` follows `/v4/spreadsheets/{id}`. */
async function api(
  f: GoogleFixture,
  method: string,
  path: string,
  options: { query?: Record<string, string | string[]>; body?: unknown } = {},
): Promise<Answer> {
  const url = new URL(`${f.google.url}/v4/spreadsheets/${f.spreadsheetId}${path}`);
  for (const [k, v] of Object.entries(options.query ?? {})) {
    for (const item of Array.isArray(v) ? v : [v]) url.searchParams.append(k, item);
  }
  const response = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${await f.auth.token()}` },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  return { status: response.status, body: await response.json() };
}

const get = (f: GoogleFixture, range: string, query: Record<string, string> = {}) =>
  api(f, "GET", `/values/${encodeURIComponent(range)}`, { query });

const update = (f: GoogleFixture, requests: sheets_v4.Schema$Request[]) =>
  api(f, "POST", ":batchUpdate", { body: { requests } });

const UNFORMATTED = { valueRenderOption: "UNFORMATTED_VALUE" };

Deno.test("emulator values.get follows the shape rules of reference §3.2", async (t) => {
  await using f = await googleFixture({
    spreadsheet: {
      sheets: [
        { title: "Sheet1", values: [["a", "b", ""], [], ["", "", "c", null], [], []] },
        { title: "Сделки 2026" },
        { title: "Jon's", values: [["x"]] },
      ],
    },
  });
  await t.step(
    "ragged rows, [] between rows, trailing empties dropped, range echoed whole",
    async () => {
      const { status, body } = await get(f, "Sheet1");
      assert.equal(status, 200);
      assert.deepEqual(body, {
        range: "Sheet1!A1:Z1000",
        majorDimension: "ROWS",
        values: [["a", "b"], [], ["", "", "c"]],
      });
    },
  );
  await t.step("no data: the values key is absent; non-plain titles are quoted", async () => {
    const { body } = await get(f, "'Сделки 2026'!A:C");
    assert.deepEqual(body, { range: "'Сделки 2026'!A1:C1000", majorDimension: "ROWS" });
  });
  await t.step(
    "apostrophes are doubled in quotes; unquoted names and bare ranges work",
    async () => {
      assert.equal((await get(f, "'Jon''s'!A1")).body.range, "'Jon''s'!A1");
      assert.deepEqual((await get(f, "Sheet1!B1:C3")).body.values, [["b"], [], ["", "c"]]);
      assert.equal((await get(f, "A5:B")).body.range, "Sheet1!A5:B1000");
      assert.equal((await get(f, "Sheet1!A1:AB5000")).body.range, "Sheet1!A1:Z1000");
    },
  );
  await t.step("majorDimension=COLUMNS transposes", async () => {
    const { body } = await get(f, "Sheet1!A1:C3", { majorDimension: "COLUMNS" });
    assert.deepEqual(body.values, [["a"], ["b"], ["", "", "c"]]);
  });
  await t.step("an unknown tab or bad syntax is 400 Unable to parse range", async () => {
    for (const range of ["'Нет такого'!A1", "Sheet1!A0", "Sheet1!1A", "'Sheet1"]) {
      const { status, body } = await get(f, range);
      assert.equal(status, 400, range);
      assert.equal(body.error.status, "INVALID_ARGUMENT");
      assert.equal(body.error.message, `Unable to parse range: ${range}`);
    }
  });
  await t.step("batchGet keeps request order; one bad range fails all", async () => {
    const ok = await api(f, "GET", "/values:batchGet", {
      query: { ranges: ["Sheet1!C3", "Sheet1!A1"] },
    });
    assert.deepEqual(ok.body.valueRanges.map((v: { values: unknown }) => v.values), [[["c"]], [[
      "a",
    ]]]);
    const bad = await api(f, "GET", "/values:batchGet", {
      query: { ranges: ["Sheet1!A1", "Nope!A1"] },
    });
    assert.equal(bad.status, 400);
  });
});

Deno.test("emulator renders numbers and serial dates per option and locale", async (t) => {
  const values = [["Дата", "Сумма", "Оплачено"], [46354.5, 1500.5, true], [46355, 1234567, false]];
  const columnFormats = { 1: { type: "DATE_TIME" }, 2: { type: "NUMBER", pattern: "#,##0.00" } };
  await t.step("ru_RU", async () => {
    await using f = await googleFixture({
      spreadsheet: { sheets: [{ title: "Сделки", values, columnFormats }] },
    });
    assert.deepEqual((await get(f, "Сделки!A2:C3", UNFORMATTED)).body.values, [
      [46354.5, 1500.5, true],
      [46355, 1234567, false],
    ]);
    assert.deepEqual((await get(f, "Сделки!A2:C3")).body.values, [
      ["28.11.2026 12:00:00", "1\u00a0500,50", "TRUE"],
      ["29.11.2026 0:00:00", "1\u00a0234\u00a0567,00", "FALSE"],
    ]);
    const strings = await get(f, "Сделки!A2:B2", {
      ...UNFORMATTED,
      dateTimeRenderOption: "FORMATTED_STRING",
    });
    assert.deepEqual(strings.body.values, [["28.11.2026 12:00:00", 1500.5]]);
  });
  await t.step("en_US, no number format", async () => {
    await using f = await googleFixture({
      spreadsheet: { locale: "en_US", sheets: [{ title: "Deals", values }] },
    });
    assert.deepEqual((await get(f, "Deals!A2:B2")).body.values, [["46354.5", "1500.5"]]);
  });
});

Deno.test("emulator values:batchUpdate is all-or-nothing and follows RAW / USER_ENTERED", async (t) => {
  await using f = await googleFixture({
    spreadsheet: { sheets: [{ title: "Сделки", values: [["ID", "Статус"], [1, "new"]] }] },
  });
  const write = (valueInputOption: string | undefined, data: unknown[]) =>
    api(f, "POST", "/values:batchUpdate", { body: { valueInputOption, data } });

  await t.step("RAW keeps text as text; totals and per-range responses", async () => {
    const { status, body } = await write("RAW", [
      { range: "'Сделки'!C1:C2", values: [["Calltouch"], ["=1+2"]] },
      { range: "'Сделки'!D2", values: [["00123"]] },
    ]);
    assert.equal(status, 200);
    assert.equal(body.totalUpdatedCells, 3);
    assert.equal(body.totalUpdatedSheets, 1);
    assert.deepEqual(body.responses.map((r: { updatedRange: string }) => r.updatedRange), [
      "'Сделки'!C1:C2",
      "'Сделки'!D2",
    ]);
    assert.deepEqual(f.google.values(f.spreadsheetId, "'Сделки'!C2:D2"), [["=1+2", "00123"]]);
  });
  await t.step(
    "USER_ENTERED parses numbers, dates and booleans in the sheet's locale",
    async () => {
      await write("USER_ENTERED", [
        { range: "'Сделки'!E2:I2", values: [["1 500,5", "28.11.2026", "'0012", "TRUE", 7]] },
      ]);
      assert.deepEqual(f.google.values(f.spreadsheetId, "'Сделки'!E2:I2"), [
        [1500.5, 46354, "0012", true, 7],
      ]);
      assert.deepEqual(
        f.google.values(f.spreadsheetId, "'Сделки'!F2", { valueRenderOption: "FORMATTED_VALUE" }),
        [["28.11.2026"]],
      );
    },
  );
  await t.step("null skips a cell, an empty string clears it", async () => {
    await write("RAW", [{ range: "'Сделки'!A2:B2", values: [[null, ""]] }]);
    assert.deepEqual(f.google.values(f.spreadsheetId, "'Сделки'!A2:B2"), [[1]]);
  });
  await t.step("one range beyond the grid fails the whole request", async () => {
    const { status, body } = await write("RAW", [
      { range: "'Сделки'!A2", values: [["changed"]] },
      { range: "'Сделки'!A1001", values: [["too far"]] },
    ]);
    assert.equal(status, 400);
    assert.equal(
      body.error.message,
      "Invalid data[1]: Range ('Сделки'!A1001) exceeds grid limits. Max rows: 1000, max columns: 26",
    );
    assert.equal(f.google.cell(f.spreadsheetId, "'Сделки'!A2"), 1);
  });
  await t.step("values larger than the range, a missing valueInputOption, a bad tab", async () => {
    const larger = await write("RAW", [{ range: "'Сделки'!A1", values: [["a", "b"]] }]);
    assert.match(
      larger.body.error.message,
      /Requested writing within range \['Сделки'!A1\], but tried writing to column \[B\]/,
    );
    const missing = await write(undefined, [{ range: "'Сделки'!A1", values: [["a"]] }]);
    assert.match(missing.body.error.message, /'valueInputOption' is required/);
    const tab = await write("RAW", [{ range: "'Нет'!A1", values: [["a"]] }]);
    assert.equal(tab.body.error.message, "Invalid data[0]: Unable to parse range: 'Нет'!A1");
  });
  await t.step("values.update (PUT) writes one range", async () => {
    const { status, body } = await api(f, "PUT", `/values/${encodeURIComponent("'Сделки'!B3")}`, {
      query: { valueInputOption: "RAW" },
      body: { values: [["paid"]] },
    });
    assert.equal(status, 200);
    assert.equal(body.updatedRange, "'Сделки'!B3");
    assert.equal(f.google.cell(f.spreadsheetId, "'Сделки'!B3"), "paid");
  });
});

Deno.test("emulator spreadsheets:batchUpdate applies the setup's requests atomically", async (t) => {
  const rule: sheets_v4.Schema$ConditionalFormatRule = {
    ranges: [{ sheetId: 0, startRowIndex: 1, startColumnIndex: 2, endColumnIndex: 3 }],
    booleanRule: {
      condition: { type: "TEXT_STARTS_WITH", values: [{ userEnteredValue: "❌" }] },
      format: { backgroundColor: { red: 1 } },
    },
  };
  await using f = await googleFixture({
    spreadsheet: {
      sheets: [{
        title: "Сделки",
        values: [["ID", "Дата", "Статус"], [3, 46354, "c"], [1, 46355, "a"], [], [2, 46356, "b"]],
      }],
    },
  });
  const properties = () => f.google.spreadsheet(f.spreadsheetId).sheets![0].properties!;

  await t.step(
    "updateSheetProperties with a fields mask; replies are {} placeholders",
    async () => {
      const { status, body } = await update(f, [
        {
          updateSheetProperties: {
            properties: { sheetId: 0, gridProperties: { frozenRowCount: 1 } },
            fields: "gridProperties.frozenRowCount",
          },
        },
        { appendDimension: { sheetId: 0, dimension: "COLUMNS", length: 2 } },
      ]);
      assert.equal(status, 200);
      assert.deepEqual(body.replies, [{}, {}]);
      assert.equal(properties().gridProperties!.frozenRowCount, 1);
      assert.equal(properties().gridProperties!.columnCount, 28);
      assert.equal(properties().title, "Сделки");
    },
  );
  await t.step("add and delete conditional format rules", async () => {
    await update(f, [{ addConditionalFormatRule: { rule, index: 0 } }]);
    const { body } = await update(f, [
      {
        addConditionalFormatRule: {
          rule: { ...rule, booleanRule: { ...rule.booleanRule, format: {} } },
          index: 1,
        },
      },
      { deleteConditionalFormatRule: { sheetId: 0, index: 1 } },
    ]);
    assert.deepEqual(body.replies[1].deleteConditionalFormatRule.rule.booleanRule.format, {});
    assert.deepEqual(f.google.spreadsheet(f.spreadsheetId).sheets![0].conditionalFormats, [rule]);
  });
  await t.step("repeatCell sets a number format that FORMATTED_VALUE uses", async () => {
    await update(f, [{
      repeatCell: {
        range: {
          sheetId: 0,
          startRowIndex: 1,
          endRowIndex: 3,
          startColumnIndex: 1,
          endColumnIndex: 2,
        },
        cell: { userEnteredFormat: { numberFormat: { type: "DATE", pattern: "dd.mm.yyyy" } } },
        fields: "userEnteredFormat.numberFormat",
      },
    }]);
    assert.deepEqual(
      f.google.values(f.spreadsheetId, "'Сделки'!B2:B3", { valueRenderOption: "FORMATTED_VALUE" }),
      [["28.11.2026"], ["29.11.2026"]],
    );
  });
  await t.step("sortRange below the header: blanks last, formats move with cells", async () => {
    await update(f, [{
      sortRange: {
        range: { sheetId: 0, startRowIndex: 1 },
        sortSpecs: [{ dimensionIndex: 0, sortOrder: "ASCENDING" }],
      },
    }]);
    assert.deepEqual(f.google.values(f.spreadsheetId, "'Сделки'!A1:C5"), [
      ["ID", "Дата", "Статус"],
      [1, 46355, "a"],
      [2, 46356, "b"],
      [3, 46354, "c"],
    ]);
    assert.deepEqual(
      f.google.values(f.spreadsheetId, "'Сделки'!B2:B4", { valueRenderOption: "FORMATTED_VALUE" }),
      [["29.11.2026"], ["46356"], ["28.11.2026"]],
    );
  });
  await t.step("insertDimension and deleteDimension move data and rule ranges", async () => {
    await update(f, [{
      insertDimension: {
        range: { sheetId: 0, dimension: "ROWS", startIndex: 1, endIndex: 3 },
        inheritFromBefore: true,
      },
    }]);
    assert.deepEqual(f.google.values(f.spreadsheetId, "'Сделки'!A:A"), [["ID"], [], [], [1], [2], [
      3,
    ]]);
    assert.equal(
      f.google.spreadsheet(f.spreadsheetId).sheets![0].conditionalFormats![0].ranges![0]
        .startRowIndex,
      3,
    );
    await update(f, [{
      deleteDimension: { range: { sheetId: 0, dimension: "ROWS", startIndex: 1, endIndex: 3 } },
    }]);
    assert.deepEqual(f.google.values(f.spreadsheetId, "'Сделки'!A:A"), [["ID"], [1], [2], [3]]);
    assert.equal(properties().gridProperties!.rowCount, 1000);
  });
  await t.step("updateCells writes values and formats from a start cell", async () => {
    await update(f, [{
      updateCells: {
        start: { sheetId: 0, rowIndex: 0, columnIndex: 3 },
        rows: [{ values: [{ userEnteredValue: { stringValue: "Calltouch" } }] }],
        fields: "userEnteredValue",
      },
    }]);
    assert.equal(f.google.cell(f.spreadsheetId, "'Сделки'!D1"), "Calltouch");
  });
  await t.step("one invalid request: nothing applied, indexed message", async () => {
    const before = f.google.spreadsheet(f.spreadsheetId);
    const { status, body } = await update(f, [
      { appendDimension: { sheetId: 0, dimension: "ROWS", length: 10 } },
      {
        sortRange: {
          range: { sheetId: 0, startRowIndex: 1 },
          sortSpecs: [{ dimensionIndex: 0, sortOrder: "DESCENDING" }],
        },
      },
      { deleteConditionalFormatRule: { sheetId: 0, index: 5 } },
    ]);
    assert.equal(status, 400);
    assert.match(body.error.message, /^Invalid requests\[2\]\.deleteConditionalFormatRule: /);
    assert.deepEqual(f.google.spreadsheet(f.spreadsheetId), before);
    assert.deepEqual(f.google.values(f.spreadsheetId, "'Сделки'!A2:A4"), [[1], [2], [3]]);
  });
  await t.step("unknown request kinds and unknown sheets are refused", async () => {
    const unknown = await update(f, [{ frobnicate: {} } as sheets_v4.Schema$Request]);
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.error.message, /Unknown name "frobnicate"/);
    const sheet = await update(f, [{
      appendDimension: { sheetId: 42, dimension: "ROWS", length: 1 },
    }]);
    assert.match(sheet.body.error.message, /No grid with id: 42/);
  });
});

Deno.test("emulator spreadsheets.get honours the fields mask", async (t) => {
  await using f = await googleFixture({
    spreadsheet: { sheets: [{ title: "A" }, { title: "B", frozenRowCount: 1 }] },
  });
  const meta = (fields?: string) => api(f, "GET", "", { query: fields ? { fields } : {} });
  await t.step("no mask: everything but grid data", async () => {
    const { body } = await meta();
    assert.equal(body.properties.timeZone, "Europe/Moscow");
    assert.deepEqual(body.sheets[1].properties, {
      sheetId: 1_000_000,
      title: "B",
      index: 1,
      sheetType: "GRID",
      gridProperties: { rowCount: 1000, columnCount: 26, frozenRowCount: 1 },
    });
  });
  await t.step("top-level and nested masks", async () => {
    assert.deepEqual((await meta("properties.title")).body, {
      properties: { title: "Сделки клиники" },
    });
    assert.deepEqual((await meta("sheets.properties(title,gridProperties.frozenRowCount)")).body, {
      sheets: [
        { properties: { title: "A", gridProperties: {} } },
        { properties: { title: "B", gridProperties: { frozenRowCount: 1 } } },
      ],
    });
    assert.deepEqual((await meta("sheets(conditionalFormats)")).body, { sheets: [{}, {}] });
    assert.deepEqual(Object.keys((await meta("spreadsheetId,properties,sheets.properties")).body), [
      "spreadsheetId",
      "properties",
      "sheets",
    ]);
  });
  await t.step("an unknown field is 400", async () => {
    const { status, body } = await meta("sheets.propertiez");
    assert.equal(status, 400);
    assert.match(body.error.message, /Invalid field selection propertiez/);
  });
});

Deno.test("emulator faults, quota, counters, recordings and hooks", async (t) => {
  await using f = await googleFixture({
    emulator: { quota: { readsPerMinute: 3 } },
    spreadsheet: { sheets: [{ title: "Сделки", values: [["ID"], [1], [2]] }] },
  });
  await t.step("failNext answers Google's body for the status, then recovers", async () => {
    f.google.failNext(1, { status: 429, kind: "valuesRead", retryAfterSeconds: 3 });
    const limited = await get(f, "Сделки");
    assert.equal(limited.status, 429);
    assert.equal(limited.body.error.status, "RESOURCE_EXHAUSTED");
    assert.equal(limited.body.error.details[0].reason, "RATE_LIMIT_EXCEEDED");
    f.google.failNext(1, { status: 500 });
    assert.equal((await get(f, "Сделки")).body.error.status, "INTERNAL");
    assert.equal((await get(f, "Сделки")).status, 200);
  });
  await t.step("the per-minute quota answers 429 until the minute passes", async () => {
    assert.equal((await get(f, "Сделки")).status, 200);
    assert.equal((await get(f, "Сделки")).status, 200);
    assert.equal((await get(f, "Сделки")).status, 429);
    f.clock.advance(60_000);
    assert.equal((await get(f, "Сделки")).status, 200);
  });
  await t.step("counters by kind and quota bucket; recorded requests with status", () => {
    const counters = f.google.counters();
    assert.equal(counters.token, 1);
    assert.equal(counters.valuesRead, 7);
    assert.equal(counters.reads, 7);
    assert.equal(counters.writes, 0);
    assert.deepEqual(
      f.google.requests.filter((r) => r.kind === "valuesRead").map((r) => r.status),
      [429, 500, 200, 200, 200, 429, 200],
    );
  });
  await t.step("beforeNextWrite lets a person insert a row between read and write", async () => {
    f.google.resetCounters();
    const client = f.sheets;
    const ids = await client.readColumn("Сделки", 1);
    const row = ids.indexOf(2) + 1;
    f.google.beforeNextWrite((g) => g.insertRows(f.spreadsheetId, "Сделки", 2));
    await client.writeCells("Сделки", [{ row, column: 2, value: "✅" }]);
    // The status landed on the row that moved under it: what the sync's re-read must prevent.
    assert.deepEqual(f.google.values(f.spreadsheetId, "'Сделки'!A1:B4"), [["ID"], [], [1, "✅"], [
      2,
    ]]);
  });
  await t.step("hooks chain: a hook may arm the next one", async () => {
    const seen: number[] = [];
    f.google.beforeNext("valuesRead", (g) => {
      seen.push(1);
      g.beforeNext("valuesRead", () => void seen.push(2));
    });
    f.clock.advance(60_000);
    await get(f, "Сделки");
    await get(f, "Сделки");
    await get(f, "Сделки");
    assert.deepEqual(seen, [1, 2]);
  });
});

Deno.test("emulator admin API drives it from another process", async () => {
  await using f = await googleFixture();
  const admin = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${f.google.url}/_emulator/${path}`, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };
  const created = await admin("POST", "spreadsheets", {
    spreadsheetId: "1AdminCreatedSpreadsheetId_0123456789",
    sheets: [{ title: "Deals", values: [["ID"], ["D-1"]] }],
  });
  const id = created.body.spreadsheetId;
  assert.equal(id, "1AdminCreatedSpreadsheetId_0123456789");
  const client = new SheetsClient({
    baseUrl: f.google.url,
    spreadsheetId: id,
    auth: f.auth,
    serviceAccountEmail: f.account.clientEmail,
    clock: f.clock,
    retry: { random: () => 0 },
  });
  await assert.rejects(() => client.metadata(), /sync-bot@/);
  await admin("POST", `spreadsheets/${id}/share`, { email: f.account.clientEmail });
  await admin("POST", "faults", { count: 1, status: 503, kind: "valuesRead" });
  assert.deepEqual(await client.readTab("Deals"), [["ID"], ["D-1"]]);
  await admin("POST", `spreadsheets/${id}/values`, { range: "Deals!B2", values: [["✅"]] });
  const values = await admin(
    "GET",
    `spreadsheets/${id}/values?range=${encodeURIComponent("Deals!A:B")}`,
  );
  assert.deepEqual(values.body.values, [["ID"], ["D-1", "✅"]]);
  const counters = await admin("GET", "counters");
  assert.equal(counters.body.valuesRead, 2);
  assert.equal(counters.body.metadata, 2);
  await admin("POST", "reset", {});
  assert.deepEqual((await admin("GET", "spreadsheets")).body.spreadsheetIds, []);
  assert.equal((await admin("GET", "counters")).body.reads, 0);
  assert.equal((await admin("GET", "nope")).status, 404);
});

Deno.test("google_main.ts serves the emulator as its own process", async () => {
  const sa = await testServiceAccount();
  const keyFile = await Deno.makeTempFile({ suffix: ".pem" });
  await Deno.writeTextFile(keyFile, sa.publicKeyPem);
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("../emulators/google_main.ts", import.meta.url).pathname,
      "--public-key-file",
      keyFile,
    ],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  try {
    let output = "";
    for (let i = 0; i < 100 && !output.includes("\n"); i++) {
      const { value, done } = await reader.read();
      if (done) break;
      output += value;
    }
    const url = /^GOOGLE_EMULATOR (http:\/\/127\.0\.0\.1:\d+)$/m.exec(output)?.[1];
    assert.ok(url, output);
    const account = await serviceAccount();
    const created = await fetch(`${url}/_emulator/spreadsheets`, {
      method: "POST",
      body: JSON.stringify({
        sheets: [{ title: "Сделки", values: [["ID"]] }],
        sharedWith: [account.clientEmail],
      }),
    }).then((r) => r.json());
    const client = new SheetsClient({
      baseUrl: url,
      spreadsheetId: created.spreadsheetId,
      auth: new ServiceAccountTokenProvider({ serviceAccount: account, tokenUrl: `${url}/token` }),
      serviceAccountEmail: account.clientEmail,
    });
    assert.deepEqual(await client.readTab("Сделки"), [["ID"]]);
  } finally {
    await reader.cancel();
    child.kill("SIGTERM");
    await child.status;
    await Deno.remove(keyFile);
  }
});
