/** The settings sheet setup reads: the sheet's only (`loadConfig(env, { needs: ["sheet"] })`). */
import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "../../src/settings/config.ts";
import { testServiceAccount } from "../support/service_account.ts";

const SHEET_ID = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abc";

Deno.test("loadConfig() for setup needs no Calltouch settings and does not read them", async () => {
  const config = loadConfig({
    SPREADSHEET_ID: `https://docs.google.com/spreadsheets/d/${SHEET_ID}/edit#gid=0`,
    SHEET_NAME: "Сделки",
    GOOGLE_SERVICE_ACCOUNT: (await testServiceAccount()).json,
    GOOGLE_SHEETS_API_URL: "http://127.0.0.1:8787/",
    CALLTOUCH_SITE_ID: "not a number",
  }, { needs: ["sheet"] });
  assert.equal(config.spreadsheetId, SHEET_ID);
  assert.equal(config.sheetName, "Сделки");
  assert.equal(config.language, "ru");
  assert.equal(config.google.sheetsApiUrl, "http://127.0.0.1:8787");
  assert.equal(config.google.tokenUrl, "https://oauth2.googleapis.com/token");
  assert.equal(config.google.serviceAccount.clientEmail, (await testServiceAccount()).clientEmail);
  assert.equal(config.calltouch.statsToken, undefined);
  const withToken = loadConfig({
    SPREADSHEET_ID: SHEET_ID,
    GOOGLE_SERVICE_ACCOUNT: (await testServiceAccount()).json,
    CALLTOUCH_STATS_TOKEN: "stats-token",
  }, { needs: ["sheet"] });
  assert.equal(withToken.calltouch.statsToken, "stats-token", "setup adds the attribution column");
});

Deno.test("loadConfig() for setup reports every missing or bad sheet setting, naming no secret", () => {
  try {
    loadConfig({ GOOGLE_SERVICE_ACCOUNT: "{not json", GOOGLE_TOKEN_URL: "ftp://x" }, {
      needs: ["sheet"],
    });
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
