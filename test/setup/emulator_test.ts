/**
 * Sheet setup end to end: the real Sheets client and service-account auth against the Google
 * emulator over HTTP, through `setupSheetFromConfig` and `deno task setup-sheet`'s `main()`.
 */
import assert from "node:assert/strict";
import type { CellValue } from "../../src/deal.ts";
import { type Clock, systemClock } from "../../src/util/clock.ts";
import { ManualClock } from "../support/clock.ts";
import { setupSheetFromConfig } from "../../src/setup/run.ts";
import { loadSetupConfig } from "../../src/setup/settings.ts";
import { main as setupSheetMain } from "../../scripts/setup_sheet.ts";
import { type GoogleEmulator, startGoogleEmulator } from "../emulators/google.ts";
import { testServiceAccount } from "../support/service_account.ts";
import { importedTemplate } from "../sheets/support/template.ts";

const TAB = "Сделки";
const START = Date.UTC(2026, 10, 28, 12);

/** `main()` signs its token with the real clock, so the emulator must share it. */
const REAL_TIME = { clock: systemClock };

/** The template as imported, without its status column: what a clinic's own sheet looks like. */
async function clinicRows(): Promise<CellValue[][]> {
  return (await importedTemplate()).map((row) => row.slice(0, -1));
}

interface Setup extends AsyncDisposable {
  google: GoogleEmulator;
  clock: Clock;
  spreadsheetId: string;
  env: Record<string, string>;
}

async function emulated(
  tab: { values: CellValue[][]; columnCount?: number; rowCount?: number },
  options: { shared?: boolean; clock?: Clock } = {},
): Promise<Setup> {
  const clock = options.clock ?? new ManualClock(START);
  const google = await startGoogleEmulator({ clock });
  const account = await testServiceAccount();
  const spreadsheetId = google.createSpreadsheet({
    sheets: [{ title: "Справочник", values: [["Услуга", "Цена"]] }, { title: TAB, ...tab }],
    sharedWith: options.shared === false ? [] : [account.clientEmail],
  });
  return {
    google,
    clock,
    spreadsheetId,
    env: {
      SPREADSHEET_ID: spreadsheetId,
      SHEET_NAME: TAB,
      GOOGLE_SERVICE_ACCOUNT: account.json,
      GOOGLE_SHEETS_API_URL: google.url,
      GOOGLE_TOKEN_URL: google.tokenUrl,
    },
    [Symbol.asyncDispose]: () => google.close(),
  };
}

function tabOf(s: Setup) {
  const sheet = s.google.spreadsheet(s.spreadsheetId).sheets?.find((t) =>
    t.properties?.title === TAB
  );
  assert.ok(sheet);
  return sheet;
}

const allValues = (s: Setup) => s.google.values(s.spreadsheetId, `'${TAB}'`);

Deno.test("setup prepares a bare tab in one batchUpdate and leaves every data cell as it was", async () => {
  await using s = await emulated({ values: await clinicRows() });
  const before = allValues(s);
  const config = loadSetupConfig(s.env);

  const report = await setupSheetFromConfig(config, { clock: s.clock });
  assert.equal(report.changed, true);
  assert.equal(s.google.counters().batchUpdate, 1);

  const sheet = tabOf(s);
  assert.equal(sheet.properties?.gridProperties?.frozenRowCount, 1);
  const rules = sheet.conditionalFormats ?? [];
  assert.deepEqual(
    rules.map((r) => [
      r.booleanRule?.condition?.type,
      r.booleanRule?.condition?.values?.[0].userEnteredValue,
      r.ranges?.[0].startColumnIndex,
      r.ranges?.[0].startRowIndex,
    ]),
    [["TEXT_STARTS_WITH", "✅", 11, 1], ["TEXT_STARTS_WITH", "❌", 11, 1], [
      "TEXT_STARTS_WITH",
      "⏳",
      11,
      1,
    ]],
  );

  const after = allValues(s);
  assert.equal(after[0][11], "Calltouch");
  assert.deepEqual(after.map((row, r) => r === 0 ? row.slice(0, 11) : row), before);
  // A format changes how a date reads, never what the cell holds.
  const formatted = s.google.values(s.spreadsheetId, `'${TAB}'!B2:D2`, {
    valueRenderOption: "FORMATTED_VALUE",
  });
  assert.deepEqual(formatted, [["24.11.2026 10:30", "Записан", "24.11.2026 10:30"]]);
  // The other tab is untouched.
  assert.deepEqual(s.google.values(s.spreadsheetId, "'Справочник'"), [["Услуга", "Цена"]]);
});

Deno.test("setup run twice sends no second batchUpdate and adds no duplicate rule", async () => {
  await using s = await emulated({ values: await clinicRows() });
  const config = loadSetupConfig(s.env);
  await setupSheetFromConfig(config, { clock: s.clock });
  const prepared = { values: allValues(s), tab: tabOf(s) };
  s.google.resetCounters();

  const again = await setupSheetFromConfig(config, { clock: s.clock });
  assert.equal(again.changed, false);
  assert.equal(again.text, "Лист «Сделки» уже подготовлен: делать нечего.");
  assert.equal(s.google.counters().batchUpdate, 0);
  assert.deepEqual(allValues(s), prepared.values);
  assert.deepEqual(tabOf(s), prepared.tab);
});

Deno.test("setup grows a full grid for the status column", async () => {
  const rows = await clinicRows();
  await using s = await emulated({ values: rows, columnCount: rows[0].length });
  await setupSheetFromConfig(loadSetupConfig(s.env), { clock: s.clock });
  assert.equal(s.google.counters().batchUpdate, 1);
  assert.equal(tabOf(s).properties?.gridProperties?.columnCount, rows[0].length + 1);
  assert.equal(s.google.cell(s.spreadsheetId, `'${TAB}'!L1`), "Calltouch");
});

Deno.test("setup gives a header-only tab rows, then freezes its header", async () => {
  const [header] = await clinicRows();
  await using s = await emulated({ values: [header], rowCount: 1 });
  await setupSheetFromConfig(loadSetupConfig(s.env), { clock: s.clock });
  const grid = tabOf(s).properties?.gridProperties;
  assert.equal(grid?.rowCount, 1000);
  assert.equal(grid?.frozenRowCount, 1);
  assert.deepEqual(allValues(s), [[...header, "Calltouch"]]);
});

Deno.test("setup keeps an existing status column and a tab with the template's header", async () => {
  await using s = await emulated({ values: await importedTemplate() });
  const before = allValues(s);
  await setupSheetFromConfig(loadSetupConfig(s.env), { clock: s.clock });
  assert.deepEqual(allValues(s), before);
  assert.equal((tabOf(s).conditionalFormats ?? []).length, 3);
});

Deno.test("deno task setup-sheet prints what it did, then that there is nothing to do", async () => {
  await using s = await emulated({ values: await clinicRows() }, REAL_TIME);
  const configDir = await Deno.makeTempDir({ prefix: "setup-sheet-" });
  try {
    const run = async (...args: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await setupSheetMain(["--config-dir", configDir, ...args], s.env, {
        log: (t) => out.push(t),
        error: (t) => err.push(t),
      });
      return { code, out: out.join("\n"), err: err.join("\n") };
    };
    const first = await run();
    assert.equal(first.code, 0, first.err);
    assert.match(
      first.out,
      /^Лист «Сделки» подготовлен:\n- Добавлен столбец «Calltouch» \(ячейка L1\)/,
    );

    const second = await run("--json");
    assert.equal(second.code, 0, second.err);
    assert.deepEqual(JSON.parse(second.out), {
      tab: "Сделки",
      changed: false,
      done: [],
      warnings: [],
      requests: 0,
      text: "Лист «Сделки» уже подготовлен: делать нечего.",
    });
  } finally {
    await Deno.remove(configDir, { recursive: true });
  }
});

Deno.test("deno task setup-sheet names the service account when the sheet is not shared", async () => {
  await using s = await emulated({ values: await clinicRows() }, { ...REAL_TIME, shared: false });
  const configDir = await Deno.makeTempDir({ prefix: "setup-sheet-" });
  try {
    const err: string[] = [];
    const code = await setupSheetMain(["--config-dir", configDir], s.env, {
      log: () => {},
      error: (t) => err.push(t),
    });
    assert.equal(code, 1);
    assert.match(err.join("\n"), /sync-bot@clinic-demo\.iam\.gserviceaccount\.com/);
    assert.equal(s.google.counters().batchUpdate, 0);
  } finally {
    await Deno.remove(configDir, { recursive: true });
  }
});

Deno.test("deno task setup-sheet reads .dev.vars and wrangler.toml from the config dir", async () => {
  await using s = await emulated({ values: await clinicRows() }, REAL_TIME);
  const configDir = await Deno.makeTempDir({ prefix: "setup-sheet-" });
  try {
    await Deno.writeTextFile(
      `${configDir}/wrangler.toml`,
      `[vars]\nSPREADSHEET_ID = ""\nSHEET_NAME = "${TAB}"\nGOOGLE_SHEETS_API_URL = "${s.env.GOOGLE_SHEETS_API_URL}"\n`,
    );
    await Deno.writeTextFile(
      `${configDir}/.dev.vars`,
      `SPREADSHEET_ID=${s.spreadsheetId}\nGOOGLE_TOKEN_URL=${s.env.GOOGLE_TOKEN_URL}\n` +
        `GOOGLE_SERVICE_ACCOUNT=${s.env.GOOGLE_SERVICE_ACCOUNT}\n`,
    );
    const out: string[] = [];
    const code = await setupSheetMain(["--config-dir", configDir], {}, {
      log: (t) => out.push(t),
      error: (t) => out.push(t),
    });
    assert.equal(code, 0, out.join("\n"));
    assert.equal(s.google.cell(s.spreadsheetId, `'${TAB}'!L1`), "Calltouch");
  } finally {
    await Deno.remove(configDir, { recursive: true });
  }
});
