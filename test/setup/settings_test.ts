import assert from "node:assert/strict";
import { ConfigError } from "../../src/config.ts";
import {
  gatherSettings,
  loadSetupConfig,
  parseDevVars,
  wranglerVars,
} from "../../src/setup/settings.ts";
import { testServiceAccount } from "../support/service_account.ts";

const SHEET_ID = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abc";

Deno.test("parseDevVars() reads dotenv syntax as wrangler dev does", () => {
  const text = [
    "# Copy to .dev.vars",
    "",
    "CALLTOUCH_TOKEN=ct-token # trailing comment",
    "export SHEET_NAME='Сделки #2026'",
    'GOOGLE_SERVICE_ACCOUNT={"type":"service_account","private_key":"-----BEGIN PRIVATE KEY-----\\nAB\\n"}',
    'MULTI="line one\\nline two"',
    "SPREADSHEET_ID = https://docs.google.com/spreadsheets/d/abc/edit  ",
    "EMPTY=",
    "# SYNC_TOKEN=commented-out",
    "QUOTED_LINES='first",
    "second'",
    "WINDOWS=crlf\r",
  ].join("\n");
  assert.deepEqual(parseDevVars(text), {
    CALLTOUCH_TOKEN: "ct-token",
    SHEET_NAME: "Сделки #2026",
    // Unquoted: backslash sequences stay as typed, so a one-line JSON key survives.
    GOOGLE_SERVICE_ACCOUNT:
      '{"type":"service_account","private_key":"-----BEGIN PRIVATE KEY-----\\nAB\\n"}',
    MULTI: "line one\nline two",
    SPREADSHEET_ID: "https://docs.google.com/spreadsheets/d/abc/edit",
    EMPTY: "",
    QUOTED_LINES: "first\nsecond",
    WINDOWS: "crlf",
  });
});

Deno.test("wranglerVars() reads the one-line strings of [vars] only", () => {
  const toml = [
    'name = "calltouch-sheet-sync"',
    "[[kv_namespaces]]",
    'binding = "SYNC_STATE"',
    "[vars]",
    'SPREADSHEET_ID = ""',
    'SHEET_NAME = "Сделки \\"2026\\"" # the tab',
    "CUSTOM_SOURCE = 'офлайн\\визит'",
    'GOOGLE_TOKEN_URL = "http://127.0.0.1:9999/token\\u0021"',
    "SEARCH_DEPTH_MINUTES = 259200",
    "[observability]",
    "enabled = true",
    'CALLTOUCH_SITE_ID = "not in vars"',
  ].join("\n");
  assert.deepEqual(wranglerVars(toml), {
    SPREADSHEET_ID: "",
    SHEET_NAME: 'Сделки "2026"',
    CUSTOM_SOURCE: "офлайн\\визит",
    GOOGLE_TOKEN_URL: "http://127.0.0.1:9999/token!",
  });
});

Deno.test("wranglerVars() reads the project's own wrangler.toml", async () => {
  const toml = await Deno.readTextFile(new URL("../../wrangler.toml", import.meta.url));
  const vars = wranglerVars(toml);
  assert.equal(vars.GOOGLE_SHEETS_API_URL, "https://sheets.googleapis.com");
  assert.equal(vars.STATUS_LANGUAGE, "ru");
  assert.equal(vars.CUSTOM_SOURCE, "офлайн-визит");
});

Deno.test("gatherSettings(): wrangler.toml < .dev.vars < environment, empty values unset", () => {
  const settings = gatherSettings({
    wranglerToml: '[vars]\nSPREADSHEET_ID = ""\nSHEET_NAME = "Лист1"\nSTATUS_LANGUAGE = "ru"',
    devVars: "SPREADSHEET_ID=from-dev-vars\nSHEET_NAME=Сделки\nNOT_A_SETTING=x",
    env: { SHEET_NAME: "Тест", STATUS_LANGUAGE: "", HOME: "/root", PATH: "/bin" },
  });
  assert.deepEqual(settings, {
    SPREADSHEET_ID: "from-dev-vars",
    SHEET_NAME: "Тест",
    STATUS_LANGUAGE: "ru",
  });
});

Deno.test("loadSetupConfig() needs no Calltouch settings and ignores bad ones", async () => {
  const config = loadSetupConfig({
    SPREADSHEET_ID: `https://docs.google.com/spreadsheets/d/${SHEET_ID}/edit#gid=0`,
    SHEET_NAME: "Сделки",
    GOOGLE_SERVICE_ACCOUNT: (await testServiceAccount()).json,
    GOOGLE_SHEETS_API_URL: "http://127.0.0.1:8787/",
    CALLTOUCH_SITE_ID: "not a number",
    MATCH_MODE: "whatever",
  });
  assert.deepEqual(
    { ...config, google: { ...config.google, serviceAccount: undefined } },
    {
      spreadsheetId: SHEET_ID,
      sheetName: "Сделки",
      language: "ru",
      google: {
        serviceAccount: undefined,
        sheetsApiUrl: "http://127.0.0.1:8787",
        tokenUrl: "https://oauth2.googleapis.com/token",
      },
      calltouch: { statsToken: undefined },
    },
  );
  assert.equal(config.google.serviceAccount.clientEmail, (await testServiceAccount()).clientEmail);
  const withToken = loadSetupConfig({
    SPREADSHEET_ID: SHEET_ID,
    GOOGLE_SERVICE_ACCOUNT: (await testServiceAccount()).json,
    CALLTOUCH_STATS_TOKEN: "stats-token",
  });
  assert.equal(withToken.calltouch?.statsToken, "stats-token", "setup adds the attribution column");
});

Deno.test("loadSetupConfig() reports every missing or bad setup setting, naming no secret", () => {
  try {
    loadSetupConfig({ GOOGLE_SERVICE_ACCOUNT: "{not json", GOOGLE_TOKEN_URL: "ftp://x" });
    assert.fail("expected a ConfigError");
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    assert.equal(error.problems.length, 3);
    assert.match(error.problems[0], /^SPREADSHEET_ID is missing/);
    assert.match(error.problems[1], /^GOOGLE_SERVICE_ACCOUNT is not valid JSON/);
    assert.match(error.problems[2], /^GOOGLE_TOKEN_URL is not an http\(s\) URL/);
    assert.ok(!error.message.includes("{not json"));
    assert.ok(!/CALLTOUCH/.test(error.message));
  }
});
