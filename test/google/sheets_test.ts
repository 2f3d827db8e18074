import assert from "node:assert/strict";
import { METADATA_FIELDS, QUOTA_REFILL_MS, SheetsClient } from "../../src/google/sheets.ts";
import { googleFixture, refusal, START } from "./fixture.ts";

const RULE = {
  ranges: [{ sheetId: 0, startRowIndex: 1, startColumnIndex: 4, endColumnIndex: 5 }],
  booleanRule: {
    condition: { type: "TEXT_STARTS_WITH", values: [{ userEnteredValue: "❌" }] },
    format: { backgroundColor: { red: 1, green: 0.9, blue: 0.9 } },
  },
};

const DEALS = [
  ["ID сделки", "Дата сделки", "Статус", "Сумма", "Calltouch"],
  [1001, 46354.5, "new", 1500.5],
  [1002, 46355, "paid", "", "✅ создана"],
  [],
  ["1004", "28.11.2026", "new"],
];

Deno.test("SheetsClient.metadata() reads title, zone, locale and tabs with one masked get", async () => {
  await using f = await googleFixture({
    spreadsheet: {
      title: "Клиника",
      timeZone: "Asia/Yekaterinburg",
      sheets: [
        { title: "Сделки", frozenRowCount: 1, values: DEALS },
        { title: "Архив", rowCount: 50, columnCount: 8 },
      ],
    },
  });
  f.google.batchUpdate(f.spreadsheetId, [{ addConditionalFormatRule: { rule: RULE, index: 0 } }]);
  const info = await f.sheets.metadata();
  assert.equal(info.title, "Клиника");
  assert.equal(info.timeZone, "Asia/Yekaterinburg");
  assert.equal(info.locale, "ru_RU");
  assert.equal(info.sheets.length, 2);
  assert.deepEqual(info.sheets[0], {
    sheetId: 0,
    title: "Сделки",
    index: 0,
    rowCount: 1000,
    columnCount: 26,
    frozenRowCount: 1,
    conditionalFormats: [RULE],
  });
  assert.deepEqual(
    { ...info.sheets[1], sheetId: 0 },
    {
      sheetId: 0,
      title: "Архив",
      index: 1,
      rowCount: 50,
      columnCount: 8,
      frozenRowCount: 0,
      conditionalFormats: [],
    },
  );
  assert.deepEqual(f.sheets.requests, { metadata: 1, reads: 0, writes: 0 });
  const [request] = f.google.requests.filter((r) => r.kind === "metadata");
  assert.equal(request.query.fields, METADATA_FIELDS);
});

Deno.test("SheetsClient.readTab() returns ragged unformatted rows, [] for an empty tab", async (t) => {
  await using f = await googleFixture({
    spreadsheet: { sheets: [{ title: "Сделки", values: DEALS }, { title: "Пусто" }] },
  });
  await t.step(
    "rows as Google sends them: serials, numbers, interior blanks, [] rows",
    async () => {
      const rows = await f.sheets.readTab("Сделки");
      assert.deepEqual(rows, [
        ["ID сделки", "Дата сделки", "Статус", "Сумма", "Calltouch"],
        [1001, 46354.5, "new", 1500.5],
        [1002, 46355, "paid", "", "✅ создана"],
        [],
        ["1004", "28.11.2026", "new"],
      ]);
      const read = f.google.requests.find((r) => r.kind === "valuesRead")!;
      assert.equal(read.path, `/v4/spreadsheets/${f.spreadsheetId}/values/'Сделки'`);
      assert.equal(read.query.valueRenderOption, "UNFORMATTED_VALUE");
      assert.equal(read.query.dateTimeRenderOption, "SERIAL_NUMBER");
    },
  );
  await t.step("an empty tab reads as []", async () => {
    assert.deepEqual(await f.sheets.readTab("Пусто"), []);
  });
  await t.step("the metadata is read once and reused for the tab checks", () => {
    assert.deepEqual(f.google.counters().metadata, 1);
    assert.deepEqual(f.sheets.requests, { metadata: 1, reads: 2, writes: 0 });
  });
});

Deno.test("SheetsClient.readColumn() returns one column, index i = sheet row i+1", async () => {
  await using f = await googleFixture({
    spreadsheet: { sheets: [{ title: "Сделки", values: DEALS }] },
  });
  assert.deepEqual(await f.sheets.readColumn("Сделки", 1), ["ID сделки", 1001, 1002, "", "1004"]);
  assert.deepEqual(await f.sheets.readColumn("Сделки", 5), ["Calltouch", "", "✅ создана"]);
  assert.deepEqual(await f.sheets.readColumn("Сделки", 9), []);
  const read = f.google.requests.filter((r) => r.kind === "valuesRead")[0];
  assert.equal(read.path, `/v4/spreadsheets/${f.spreadsheetId}/values/'Сделки'!A:A`);
  assert.equal(read.query.majorDimension, "COLUMNS");
});

Deno.test("SheetsClient.writeCells() writes many cells in ONE values:batchUpdate, as RAW text", async (t) => {
  await using f = await googleFixture({
    spreadsheet: { sheets: [{ title: "Сделки", values: DEALS }] },
  });
  await f.sheets.metadata();
  f.google.resetCounters();

  await t.step("zero cells send nothing", async () => {
    assert.equal(await f.sheets.writeCells("Сделки", []), 0);
    assert.equal(f.google.counters().writes + f.google.counters().reads, 0);
  });

  await t.step("many cells, one request; adjacent rows merged into one range", async () => {
    const cells = [
      { row: 2, column: 5, value: "✅ создана 28.11.2026 15:05" },
      { row: 3, column: 5, value: "=1+2" },
      { row: 5, column: 5, value: "00123" },
      { row: 4, column: 5, value: "❌ Не удалось разобрать дату" },
      { row: 2, column: 6, value: "extra" },
    ];
    assert.equal(await f.sheets.writeCells("Сделки", cells), 5);
    assert.deepEqual(f.google.counters().valuesWrite, 1);
    assert.deepEqual(f.google.counters().batchUpdate, 0);
    const body = f.google.requests.find((r) => r.kind === "valuesWrite")!.body as {
      valueInputOption: string;
      data: { range: string }[];
    };
    assert.equal(body.valueInputOption, "RAW");
    assert.deepEqual(body.data.map((d) => d.range), ["'Сделки'!E2:E5", "'Сделки'!F2"]);
    assert.deepEqual(f.google.values(f.spreadsheetId, "'Сделки'!E2:E5"), [
      ["✅ создана 28.11.2026 15:05"],
      ["=1+2"],
      ["❌ Не удалось разобрать дату"],
      ["00123"],
    ]);
  });

  await t.step("a cell given twice or a bad row is a programming error", async () => {
    await assert.rejects(
      () =>
        f.sheets.writeCells("Сделки", [{ row: 2, column: 1, value: "a" }, {
          row: 2,
          column: 1,
          value: "b",
        }]),
      RangeError,
    );
    await assert.rejects(
      () => f.sheets.writeCells("Сделки", [{ row: 0, column: 1, value: "a" }]),
      RangeError,
    );
  });
});

Deno.test("SheetsClient.writeCells() grows the grid first only when a column lies beyond it", async () => {
  await using f = await googleFixture({
    spreadsheet: {
      sheets: [{ title: "Сделки", values: DEALS.map((row) => row.slice(0, 4)), columnCount: 4 }],
    },
  });
  await f.sheets.writeCells("Сделки", [{ row: 1, column: 4, value: "Сумма!" }]);
  assert.equal(f.google.counters().batchUpdate, 0);

  await f.sheets.writeCells("Сделки", [
    { row: 1, column: 5, value: "Calltouch" },
    { row: 2, column: 5, value: "✅" },
  ]);
  assert.equal(f.google.counters().batchUpdate, 1);
  const grow = f.google.requests.find((r) => r.kind === "batchUpdate")!.body;
  assert.deepEqual(grow, {
    requests: [{ appendDimension: { sheetId: 0, dimension: "COLUMNS", length: 1 } }],
  });
  assert.equal(
    f.google.spreadsheet(f.spreadsheetId).sheets![0].properties!.gridProperties!.columnCount,
    5,
  );
  assert.deepEqual(f.google.values(f.spreadsheetId, "'Сделки'!E1:E2"), [["Calltouch"], ["✅"]]);

  // The grid is known to be wide enough now: no second appendDimension.
  await f.sheets.writeCells("Сделки", [{ row: 3, column: 5, value: "✅" }]);
  assert.equal(f.google.counters().batchUpdate, 1);
});

Deno.test("SheetsClient.writeCells() re-reads the metadata once when the grid shrank meanwhile", async () => {
  await using f = await googleFixture({
    spreadsheet: { sheets: [{ title: "Сделки", values: DEALS }] },
  });
  await f.sheets.metadata();
  f.google.batchUpdate(f.spreadsheetId, [{
    deleteDimension: { range: { sheetId: 0, dimension: "COLUMNS", startIndex: 5, endIndex: 26 } },
  }]);
  await f.sheets.writeCells("Сделки", [{ row: 2, column: 7, value: "✅" }]);
  assert.equal(f.google.cell(f.spreadsheetId, "'Сделки'!G2"), "✅");
  assert.equal(f.google.counters().metadata, 2);
  assert.equal(f.google.counters().batchUpdate, 1);
});

Deno.test("SheetsClient quotes and fully encodes every tab title", async (t) => {
  const titles = ["Сделки 2026", "Jon's", "Deals 2024", "A1", "x!y:z(1)*"];
  const urls: string[] = [];
  await using f = await googleFixture({
    spreadsheet: { sheets: titles.map((title) => ({ title, values: [["ID"], [title]] })) },
    client: {
      fetch: async (input, init) => {
        urls.push(String(input));
        return await fetch(input, init);
      },
    },
  });
  for (const title of titles) {
    await t.step(title, async () => {
      assert.deepEqual(await f.sheets.readTab(title), [["ID"], [title]]);
      assert.deepEqual(await f.sheets.readColumn(title, 1), ["ID", title]);
      await f.sheets.writeCells(title, [{ row: 2, column: 2, value: "✅" }]);
      assert.equal(
        f.google.values(f.spreadsheetId, `'${title.replaceAll("'", "''")}'!B2`)[0][0],
        "✅",
      );
    });
  }
  await t.step("range segments carry no raw quote, bang, colon or parenthesis", () => {
    for (const url of urls.filter((u) => u.includes("/values/"))) {
      const segment = new URL(url).pathname.split("/values/")[1];
      assert.doesNotMatch(segment, /['!:()*\s]/, segment);
    }
    assert.ok(urls.some((u) => u.includes("%27Jon%27%27s%27")));
  });
});

Deno.test("SheetsClient turns Google refusals into messages the clinic can act on", async (t) => {
  await t.step("403 not shared names the service account's e-mail (ru and en)", async () => {
    await using f = await googleFixture({ spreadsheet: { sharedWith: [] } });
    const error = await refusal(f.sheets.metadata());
    assert.equal(error.status, 403);
    assert.equal(error.retryable, false);
    assert.ok(error.message.includes(f.account.clientEmail));
    assert.match(error.message, /Редактор/);
    const en = new SheetsClient({
      baseUrl: f.google.url,
      spreadsheetId: f.spreadsheetId,
      auth: f.auth,
      serviceAccountEmail: f.account.clientEmail,
      clock: f.clock,
      language: "en",
    });
    const english = await refusal(en.metadata());
    assert.match(english.message, /share it with the service account .* as an Editor/);
  });

  await t.step("403 on a write when shared read-only says to share as an editor", async () => {
    await using f = await googleFixture();
    f.google.share(f.spreadsheetId, f.account.clientEmail, "reader");
    const error = await refusal(f.sheets.writeCells("Сделки", [{ row: 1, column: 1, value: "x" }]));
    assert.equal(error.status, 403);
    assert.ok(error.message.includes(f.account.clientEmail));
  });

  await t.step("404 says the spreadsheet id is wrong", async () => {
    await using f = await googleFixture();
    f.google.deleteSpreadsheet(f.spreadsheetId);
    const error = await refusal(f.sheets.readTab("Сделки"));
    assert.equal(error.status, 404);
    assert.match(error.message, /SPREADSHEET_ID/);
  });

  await t.step(
    "a missing tab is named, with the tabs that exist, before any values read",
    async () => {
      await using f = await googleFixture({
        spreadsheet: { sheets: [{ title: "Сделки 2025" }, { title: "Архив" }] },
      });
      const error = await refusal(f.sheets.readTab("Сделки 2026"));
      assert.match(error.message, /«Сделки 2026»/);
      assert.match(error.message, /«Сделки 2025», «Архив»/);
      assert.match(error.message, /SHEET_NAME/);
      assert.equal(f.google.counters().valuesRead, 0);
    },
  );

  await t.step(
    "a tab created after the metadata was read is found (one more metadata read)",
    async () => {
      await using f = await googleFixture();
      await f.sheets.metadata();
      f.google.addSheet(f.spreadsheetId, { title: "Новый", values: [["ID"]] });
      assert.deepEqual(await f.sheets.readTab("Новый"), [["ID"]]);
      assert.equal(f.google.counters().metadata, 2);
    },
  );

  await t.step("a tab deleted after the metadata was read is reported as missing", async () => {
    await using f = await googleFixture({
      spreadsheet: { sheets: [{ title: "Сделки" }, { title: "Архив" }] },
    });
    await f.sheets.metadata();
    f.google.batchUpdate(f.spreadsheetId, [{ deleteSheet: { sheetId: 0 } }]);
    const error = await refusal(f.sheets.readTab("Сделки"));
    assert.match(error.message, /«Сделки» не найден/);
    assert.match(error.message, /«Архив»/);
  });

  await t.step("protected status cells say so and name the account", async () => {
    await using f = await googleFixture({
      spreadsheet: { sheets: [{ title: "Сделки", values: DEALS }] },
    });
    f.google.protect(f.spreadsheetId, "'Сделки'!E:E");
    const error = await refusal(f.sheets.writeCells("Сделки", [
      { row: 2, column: 5, value: "✅" },
      { row: 2, column: 3, value: "ok" },
    ]));
    assert.equal(error.status, 400);
    assert.match(error.message, /защищены/);
    assert.ok(error.message.includes(f.account.clientEmail));
    // All or nothing: the unprotected cell was not written either.
    assert.equal(f.google.cell(f.spreadsheetId, "'Сделки'!C2"), "new");
  });

  await t.step("a disabled API says to enable it", async () => {
    await using f = await googleFixture();
    f.google.failNext(1, {
      status: 403,
      kind: "metadata",
      message: "Google Sheets API has not been used in project 123 before or it is disabled.",
    });
    assert.match((await refusal(f.sheets.metadata())).message, /«Google Sheets API» не включён/);
  });

  await t.step("another 400 quotes Google's message", async () => {
    await using f = await googleFixture();
    const error = await refusal(f.sheets.batchUpdate([{ deleteSheet: { sheetId: 0 } }]));
    assert.equal(error.status, 400);
    assert.match(error.message, /HTTP 400 INVALID_ARGUMENT.*can't remove all the sheets/);
  });

  await t.step("a non-JSON error page is handled", async () => {
    await using f = await googleFixture({
      client: {
        fetch: () => Promise.resolve(new Response("<html>Bad Gateway</html>", { status: 502 })),
      },
    });
    const error = await refusal(f.sheets.metadata());
    assert.equal(error.status, 502);
    assert.equal(error.retryable, true);
  });
});

Deno.test("SheetsClient retries 429 and 503 with backoff, then succeeds", async (t) => {
  await using f = await googleFixture({
    spreadsheet: { sheets: [{ title: "Сделки", values: DEALS }] },
  });
  await f.sheets.metadata();
  await t.step("a 429 on a read waits for the quota's minute, then one retry", async () => {
    f.google.failNext(1, { status: 429, kind: "valuesRead" });
    const start = f.clock.now();
    assert.equal((await f.sheets.readTab("Сделки")).length, 5);
    assert.equal(f.google.counters().valuesRead, 2, "one retry, not a burst of them");
    assert.equal(f.clock.now() - start, QUOTA_REFILL_MS);
  });
  await t.step("a 429 with Retry-After waits that long", async () => {
    f.google.failNext(1, { status: 429, kind: "valuesRead", retryAfterSeconds: 7 });
    const start = f.clock.now();
    assert.equal((await f.sheets.readTab("Сделки")).length, 5);
    assert.equal(f.clock.now() - start, 7_000);
  });
  await t.step("503 on a write, with Retry-After honoured", async () => {
    f.google.failNext(1, { status: 503, kind: "valuesWrite", retryAfterSeconds: 5 });
    const start = f.clock.now();
    await f.sheets.writeCells("Сделки", [{ row: 2, column: 5, value: "✅" }]);
    assert.equal(f.google.counters().valuesWrite, 2);
    assert.equal(f.clock.now() - start, 5_000);
  });
  await t.step("503 on a structural batchUpdate", async () => {
    f.google.failNext(1, { status: 503, kind: "batchUpdate" });
    const replies = await f.sheets.batchUpdate([
      {
        updateSheetProperties: {
          properties: { sheetId: 0, gridProperties: { frozenRowCount: 1 } },
          fields: "gridProperties.frozenRowCount",
        },
      },
    ]);
    assert.deepEqual(replies, [{}]);
    assert.equal(f.google.counters().batchUpdate, 2);
    assert.equal((await f.sheets.metadata()).sheets[0].frozenRowCount, 1);
  });
  await t.step("requests counts every attempt by quota bucket", () => {
    assert.deepEqual(f.sheets.requests, { metadata: 2, reads: 4, writes: 4 });
  });
});

Deno.test("SheetsClient answers a 401 with exactly one re-mint and one retry", async (t) => {
  await t.step("revoked token: re-mint, retry, success", async () => {
    await using f = await googleFixture({
      spreadsheet: { sheets: [{ title: "Сделки", values: DEALS }] },
    });
    await f.sheets.metadata();
    f.google.revokeTokens();
    assert.equal((await f.sheets.readTab("Сделки")).length, 5);
    assert.equal(f.google.counters().token, 2);
    assert.deepEqual(
      f.google.requests.filter((r) => r.kind === "valuesRead").map((r) => r.status),
      [401, 200],
    );
  });
  await t.step("a second 401 fails at once, without another mint", async () => {
    await using f = await googleFixture();
    f.google.failNext(5, { status: 401, kind: "metadata" });
    const error = await refusal(f.sheets.metadata());
    assert.equal(error.status, 401);
    assert.equal(error.retryable, false);
    assert.ok(error.message.includes(f.account.clientEmail));
    assert.equal(f.google.counters().metadata, 2);
    assert.equal(f.google.counters().token, 2);
  });
  await t.step("an expired token is replaced before use, not after a 401", async () => {
    await using f = await googleFixture();
    await f.sheets.metadata();
    f.clock.advance(3600_000);
    await f.sheets.metadata();
    assert.deepEqual(f.google.requests.filter((r) => r.kind === "metadata").map((r) => r.status), [
      200,
      200,
    ]);
    assert.equal(f.google.counters().token, 2);
  });
});

Deno.test("SheetsClient respects the deadline", async (t) => {
  await t.step("no retry starts when its wait would pass the deadline", async () => {
    await using f = await googleFixture({ client: { deadline: START + 5_000 } });
    f.google.failNext(100, { status: 503, kind: "metadata" });
    const error = await refusal(f.sheets.metadata());
    assert.equal(error.status, 503);
    assert.equal(error.retryable, true);
    // Attempts at 0 s, 1 s, 3 s; the next wait (4 s) would end after the 5 s deadline.
    assert.equal(f.google.counters().metadata, 3);
  });
  await t.step("a hanging request is aborted when the deadline comes", async () => {
    await using f = await googleFixture({ client: { deadline: START + 300 } });
    f.google.delayNext(1, 5_000, "metadata");
    const error = await refusal(f.sheets.metadata());
    assert.equal(error.retryable, true);
    assert.equal(error.status, undefined);
    assert.match(error.message, /не ответили вовремя/);
  });
  await t.step("nothing is sent once the deadline has passed", async () => {
    await using f = await googleFixture({ client: { deadline: START - 1 } });
    await refusal(f.sheets.metadata());
    assert.equal(f.google.counters().metadata, 0);
    assert.equal(f.google.counters().token, 0);
  });
});

Deno.test("SheetsClient.batchUpdate() returns one reply per request and refreshes the metadata", async () => {
  await using f = await googleFixture({
    spreadsheet: { sheets: [{ title: "Сделки", values: DEALS }] },
  });
  assert.deepEqual(await f.sheets.batchUpdate([]), []);
  assert.equal(f.google.counters().batchUpdate, 0);
  await f.sheets.metadata();
  const replies = await f.sheets.batchUpdate([
    { addConditionalFormatRule: { rule: RULE, index: 0 } },
    { deleteConditionalFormatRule: { sheetId: 0, index: 0 } },
    { addConditionalFormatRule: { rule: RULE, index: 0 } },
  ]);
  assert.deepEqual(replies, [{}, { deleteConditionalFormatRule: { rule: RULE } }, {}]);
  // The next tab check reads the metadata again.
  await f.sheets.readTab("Сделки");
  assert.equal(f.google.counters().metadata, 2);
  assert.deepEqual((await f.sheets.metadata()).sheets[0].conditionalFormats, [RULE]);
});

Deno.test("SheetsClient asks its readGate before every read, not before writes", async () => {
  const asked: number[] = [];
  let open = true;
  await using f = await googleFixture({
    spreadsheet: { sheets: [{ title: "Сделки", values: DEALS }] },
    client: {
      readGate: {
        acquire: (deadline?: number) => {
          asked.push(deadline ?? Infinity);
          return Promise.resolve(open ? { end: () => Promise.resolve() } : null);
        },
      },
    },
  });
  await f.sheets.metadata();
  await f.sheets.readTab("Сделки");
  await f.sheets.writeCells("Сделки", [{ row: 2, column: 5, value: "✅" }]);
  assert.equal(asked.length, 2, "metadata and the tab; the write does not ask");
  open = false;
  const refused = await refusal(f.sheets.readTab("Сделки"));
  assert.equal(refused.status, 429);
  assert.equal(refused.retryable, false, "the gate waited as long as the deadline allows");
  assert.match(refused.message, /квота|quota/i);
  assert.equal(f.google.counters().valuesRead, 1, "nothing sent without a start");
});
