/**
 * Sheet setup end to end: the real Sheets client and service-account auth against the Google
 * emulator over HTTP, through `setupSheetFromConfig` and the command line's `setup` (what
 * `deno task setup-sheet` runs).
 */
import assert from "node:assert/strict";
import type { CellValue } from "../../src/deal.ts";
import { type Clock, systemClock } from "../../src/util/clock.ts";
import { ManualClock } from "../support/clock.ts";
import { setupSheetFromConfig } from "../../src/setup/run.ts";
import { main as cliMain } from "../../src/cli/main.ts";
import { loadConfig, type SettingsEnv } from "../../src/settings/config.ts";
import { columnLetters } from "../../src/sheet/a1.ts";
import { type GoogleEmulator, startGoogleEmulator } from "../emulators/google.ts";
import { testServiceAccount } from "../support/service_account.ts";
import { importedTemplate } from "../sheets/support/template.ts";
import { ALREADY_PREPARED } from "./support.ts";

const TAB = "Сделки";
const START = Date.UTC(2026, 10, 28, 12);

/** `main()` signs its token with the real clock, so the emulator must share it. */
const REAL_TIME = { clock: systemClock };

/** The template as imported, without its status column: what a clinic's own sheet looks like. */
async function clinicRows(): Promise<CellValue[][]> {
  return (await importedTemplate()).map((row) => row.slice(0, -1));
}

/** Where setup puts the status column on such a sheet: right after its last column. */
const STATUS_INDEX = (await clinicRows())[0].length;
const STATUS_CELL = `${columnLetters(STATUS_INDEX + 1)}1`;

/** The settings setup reads: the sheet's only. */
const setupConfig = (env: SettingsEnv) => loadConfig(env, { needs: ["sheet"] });

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
  const config = setupConfig(s.env);

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
    ["✅", "❌", "⏳"].map((mark) => ["TEXT_STARTS_WITH", mark, STATUS_INDEX, 1]),
  );

  const after = allValues(s);
  assert.equal(after[0][STATUS_INDEX], "Calltouch");
  assert.deepEqual(after.map((row, r) => r === 0 ? row.slice(0, STATUS_INDEX) : row), before);
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
  const config = setupConfig(s.env);
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
  await setupSheetFromConfig(setupConfig(s.env), { clock: s.clock });
  assert.equal(s.google.counters().batchUpdate, 1);
  assert.equal(tabOf(s).properties?.gridProperties?.columnCount, rows[0].length + 1);
  assert.equal(s.google.cell(s.spreadsheetId, `'${TAB}'!${STATUS_CELL}`), "Calltouch");
});

Deno.test("setup gives a header-only tab rows, then freezes its header", async () => {
  const [header] = await clinicRows();
  await using s = await emulated({ values: [header], rowCount: 1 });
  await setupSheetFromConfig(setupConfig(s.env), { clock: s.clock });
  const grid = tabOf(s).properties?.gridProperties;
  assert.equal(grid?.rowCount, 1000);
  assert.equal(grid?.frozenRowCount, 1);
  assert.deepEqual(allValues(s), [[...header, "Calltouch"]]);
});

Deno.test("setup keeps an existing status column and a tab with the template's header", async () => {
  await using s = await emulated({ values: await importedTemplate() });
  const before = allValues(s);
  await setupSheetFromConfig(setupConfig(s.env), { clock: s.clock });
  assert.deepEqual(allValues(s), before);
  assert.equal((tabOf(s).conditionalFormats ?? []).length, 3);
});

/** Runs the command line in a directory holding `.env` (the settings given), in this process. */
async function cli(args: string[], settings: Record<string, string>, env = {}) {
  const dir = await Deno.makeTempDir({ prefix: "setup-sheet-" });
  try {
    await Deno.writeTextFile(
      `${dir}/.env`,
      Object.entries(settings).map(([k, v]) => `${k}='${v}'`).join("\n") + "\n",
    );
    const out: string[] = [];
    const err: string[] = [];
    const code = await cliMain(args, {
      env,
      cwd: dir,
      stdout: (t) => out.push(t),
      stderr: (t) => err.push(t),
    });
    return { code, out: out.join(""), err: err.join("") };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("deno task setup-sheet prints what it did, then that there is nothing to do", async () => {
  await using s = await emulated({ values: await clinicRows() }, REAL_TIME);
  const first = await cli(["setup"], s.env);
  assert.equal(first.code, 0, first.err);
  assert.match(
    first.out,
    new RegExp(
      `^Лист «Сделки» подготовлен:\\n- Добавлен столбец «Calltouch» \\(ячейка ${STATUS_CELL}\\)`,
    ),
  );

  const second = await cli(["setup", "--json"], s.env);
  assert.equal(second.code, 0, second.err);
  assert.deepEqual(JSON.parse(second.out), { ok: true, ...ALREADY_PREPARED });
});

Deno.test("deno task setup-sheet names the service account when the sheet is not shared", async () => {
  await using s = await emulated({ values: await clinicRows() }, { ...REAL_TIME, shared: false });
  const { code, err } = await cli(["setup"], s.env);
  assert.equal(code, 2);
  assert.match(err, /sync-bot@clinic-demo\.iam\.gserviceaccount\.com/);
  assert.equal(s.google.counters().batchUpdate, 0);
});

Deno.test("deno task setup-sheet reads .env, the environment, TARGETS and --target as sync does", async () => {
  await using s = await emulated({ values: await clinicRows() }, REAL_TIME);
  // The environment wins over .env; a value after # needs quotes (the one dotenv reading).
  const fromEnv = await cli(["setup"], { ...s.env, SHEET_NAME: "Нет такого" }, {
    SHEET_NAME: TAB,
  });
  assert.equal(fromEnv.code, 0, fromEnv.err);
  assert.equal(s.google.cell(s.spreadsheetId, `'${TAB}'!${STATUS_CELL}`), "Calltouch");

  const targets = JSON.stringify([
    {
      id: "a",
      spreadsheet: s.spreadsheetId,
      tab: "Справочник",
      calltouchSiteId: "1",
      calltouchTokenSecret: "CT_A",
    },
    {
      id: "b",
      spreadsheet: s.spreadsheetId,
      tab: TAB,
      calltouchSiteId: "2",
      calltouchTokenSecret: "CT_B",
    },
  ]);
  const { SHEET_NAME: _, SPREADSHEET_ID: __, ...google } = s.env;
  const several = { ...google, TARGETS: targets, CT_A: "token-a", CT_B: "token-b" };
  const unnamed = await cli(["setup"], several);
  assert.equal(unnamed.code, 2);
  assert.match(unnamed.err, /name one with --target \(a, b\)/);
  const chosen = await cli(["setup", "--target", "b", "--json"], several);
  assert.equal(chosen.code, 0, chosen.err);
  assert.equal(JSON.parse(chosen.out).tab, TAB);
  assert.equal(JSON.parse(chosen.out).changed, false, "b's tab was prepared above");
});
