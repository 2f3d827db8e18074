import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "../../src/settings/config.ts";
import { customSourceFrom, spreadsheetIdFrom } from "../../src/settings/table.ts";
import { testServiceAccount } from "../support/service_account.ts";

const SHEET_ID = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abc";

async function validEnv(overrides: Record<string, string> = {}): Promise<Record<string, string>> {
  return {
    SPREADSHEET_ID: SHEET_ID,
    CALLTOUCH_SITE_ID: "12345",
    CALLTOUCH_TOKEN: "ct-secret-token-value",
    GOOGLE_SERVICE_ACCOUNT: (await testServiceAccount()).json,
    SYNC_TOKEN: "a-very-long-sync-token-value",
    ...overrides,
  };
}

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  assert.fail("expected a ConfigError");
}

Deno.test("loadConfig() applies the documented defaults", async () => {
  const config = loadConfig(await validEnv());
  assert.equal(config.spreadsheetId, SHEET_ID);
  assert.equal(config.sheetName, undefined);
  assert.equal(config.calltouch.crm, "Google Sheets");
  assert.deepEqual(config.calltouch.customSource, {
    source: "офлайн-визит",
    medium: "офлайн-визит",
    campaign: "офлайн-визит",
  });
  assert.equal(config.calltouch.searchDepthMinutes, 259200);
  assert.equal(config.calltouch.matchMode, "nearest");
  assert.equal(config.maxSubrequests, 45);
  assert.deepEqual(config.warnings, []);
  assert.equal(config.calltouch.apiUrl, "https://api.calltouch.ru");
  assert.equal(config.google.sheetsApiUrl, "https://sheets.googleapis.com");
  assert.equal(config.google.tokenUrl, "https://oauth2.googleapis.com/token");
  assert.equal(
    config.google.serviceAccount.clientEmail,
    "sync-bot@clinic-demo.iam.gserviceaccount.com",
  );
  assert.equal(config.language, "ru");
  assert.equal(config.timeBudgetMs, 120_000);
});

Deno.test("loadConfig() lists every missing setting in one error, by name", () => {
  const problems = problemsOf(() => loadConfig({}));
  const names = problems.map((p) => p.split(" ")[0]);
  assert.deepEqual(names, [
    "SPREADSHEET_ID",
    "CALLTOUCH_SITE_ID",
    "CALLTOUCH_TOKEN",
    "GOOGLE_SERVICE_ACCOUNT",
  ]);
});

Deno.test("loadConfig() does not require SYNC_TOKEN for cron runs", async () => {
  const env = await validEnv();
  delete env.SYNC_TOKEN;
  assert.equal(loadConfig(env).calltouch.siteId, "12345");
});

Deno.test("loadConfig() reports invalid values and never echoes a secret", async () => {
  const env = await validEnv({
    SPREADSHEET_ID: "not a sheet",
    CALLTOUCH_SITE_ID: "abc",
    GOOGLE_SERVICE_ACCOUNT: "{oops secret-material",
    SYNC_TOKEN: "short-secret",
    SEARCH_DEPTH_MINUTES: "-5",
    MATCH_MODE: "first",
    CUSTOM_SOURCE: "a/b",
    STATUS_LANGUAGE: "de",
    CALLTOUCH_API_URL: "ftp://x",
    SYNC_TIME_BUDGET_SECONDS: "0",
    MAX_SUBREQUESTS_PER_RUN: "0",
  });
  const problems = problemsOf(() => loadConfig(env));
  assert.equal(problems.length, 11);
  const all = problems.join("\n");
  assert.ok(!all.includes("secret-material"));
  assert.ok(!all.includes("short-secret"));
  assert.match(all, /GOOGLE_SERVICE_ACCOUNT is not valid JSON/);
  assert.match(all, /MATCH_MODE must be one of nearest, nearestUniq, nearestUniqLead/);
});

Deno.test("loadConfig() explains what is wrong with a service-account key", async () => {
  const key = JSON.parse((await testServiceAccount()).json);
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ ...key, private_key: "MIIE-not-pem" }, /private_key is missing or not a PKCS#8 PEM key/],
    [{ ...key, client_email: undefined }, /client_email is missing/],
    [{ ...key, type: "authorized_user" }, /type "authorized_user", not "service_account"/],
  ];
  for (const [json, expected] of cases) {
    const problems = problemsOf(() =>
      loadConfig({ ...validEnvSync(), GOOGLE_SERVICE_ACCOUNT: JSON.stringify(json) })
    );
    assert.equal(problems.length, 1);
    assert.match(problems[0], expected);
    assert.ok(!problems[0].includes("PRIVATE KEY-----\n"));
  }
});

function validEnvSync(): Record<string, string> {
  return { SPREADSHEET_ID: SHEET_ID, CALLTOUCH_SITE_ID: "1", CALLTOUCH_TOKEN: "t" };
}

Deno.test("spreadsheetIdFrom() accepts an id or any spreadsheet URL", () => {
  assert.equal(spreadsheetIdFrom(SHEET_ID), SHEET_ID);
  assert.equal(
    spreadsheetIdFrom(`https://docs.google.com/spreadsheets/d/${SHEET_ID}/edit#gid=0`),
    SHEET_ID,
  );
  assert.equal(spreadsheetIdFrom(` https://docs.google.com/spreadsheets/d/${SHEET_ID} `), SHEET_ID);
  assert.equal(spreadsheetIdFrom("https://example.com/"), undefined);
  assert.equal(spreadsheetIdFrom("short"), undefined);
});

Deno.test("spreadsheetIdFrom() reads every address Google shows for a spreadsheet", () => {
  const id = SHEET_ID;
  const docs = "https://docs.google.com/spreadsheets";
  const cases: [string, string | undefined][] = [
    [id, id],
    [`${docs}/d/${id}/edit`, id],
    [`${docs}/d/${id}/edit?usp=sharing`, id],
    [`${docs}/d/${id}/edit?gid=0#gid=0`, id],
    [`${docs}/d/${id}/edit#gid=1234567`, id],
    [`${docs}/d/${id}/edit?usp=drive_link&gid=5`, id],
    [`${docs}/u/0/d/${id}/edit`, id],
    [`${docs}/u/1/d/${id}/edit?gid=0`, id],
    [`${docs}/u/12/d/${id}/htmlview`, id],
    [`${docs}/d/${id}/copy`, id],
    [`${docs}/d/${id}/htmlview#gid=0`, id],
    [`${docs}/d/${id}/mobilebasic`, id],
    [`${docs}/d/${id}/edit?usp=drivesdk`, id],
    [`${docs}/d/${id}`, id],
    [`${docs}/d/${id}/`, id],
    [`https://docs.google.com/a/clinic.ru/spreadsheets/d/${id}/edit`, id],
    [`docs.google.com/spreadsheets/d/${id}/edit`, id],
    [`  <${docs}/d/${id}/edit#gid=0>  `, id],
    [`https://drive.google.com/open?id=${id}`, id],
    [`https://drive.google.com/open?usp=sharing&id=${id}`, id],
    // A published copy ("File → Share → Publish to web") has another id the API does not know.
    [`${docs}/d/e/2PACX-1vQabcdefghijklmnopqrstuvwxyz0123456789/pubhtml`, undefined],
    ["https://example.com/", undefined],
    [`${docs}/d/short/edit`, undefined],
    ["short", undefined],
    ["", undefined],
  ];
  for (const [value, expected] of cases) assert.equal(spreadsheetIdFrom(value), expected, value);
});

Deno.test("customSourceFrom() takes one value or source/medium/campaign, trimmed", () => {
  assert.deepEqual(customSourceFrom(" офлайн-визит "), {
    source: "офлайн-визит",
    medium: "офлайн-визит",
    campaign: "офлайн-визит",
  });
  assert.deepEqual(customSourceFrom("clinic / offline / visit"), {
    source: "clinic",
    medium: "offline",
    campaign: "visit",
  });
  assert.equal(customSourceFrom("a/b"), undefined);
  assert.equal(customSourceFrom("a//c"), undefined);
});

Deno.test("loadConfig() takes only a SYNC_TOKEN that can travel in a bearer header", async () => {
  loadConfig(await validEnv({ SYNC_TOKEN: "a0-._~+/Z9zzzzzzzz==" }));
  for (const token of ["has space in it 123", "pässwört-pässwört"]) {
    const env = await validEnv({ SYNC_TOKEN: token });
    const problems = problemsOf(() => loadConfig(env));
    assert.equal(problems.length, 1);
    assert.match(problems[0], /^SYNC_TOKEN may hold only letters, digits/);
    assert.ok(!problems[0].includes(token));
  }
});

Deno.test("loadConfig() takes CALLTOUCH_MAX_REQUESTS_PER_RUN for MAX_SUBREQUESTS_PER_RUN, with a warning", async () => {
  const old = loadConfig(await validEnv({ CALLTOUCH_MAX_REQUESTS_PER_RUN: "900" }));
  assert.equal(old.maxSubrequests, 900);
  assert.match(
    old.warnings[0],
    /^CALLTOUCH_MAX_REQUESTS_PER_RUN is deprecated: rename it MAX_SUBREQUESTS_PER_RUN/,
  );
  const both = loadConfig(
    await validEnv({ CALLTOUCH_MAX_REQUESTS_PER_RUN: "900", MAX_SUBREQUESTS_PER_RUN: "100" }),
  );
  assert.equal(both.maxSubrequests, 100);
  assert.deepEqual(both.warnings, []);
});
