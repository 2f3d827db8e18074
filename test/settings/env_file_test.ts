/** readDotenv() and gatherSettings(): the file formats integrators use, and what wins. */
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gatherSettings, readDotenv, SettingsFileError } from "../../src/settings/env_file.ts";

Deno.test("readDotenv() reads dotenv as Node and wrangler do", () => {
  const text = [
    "\uFEFF# comment",
    "",
    "A=1",
    "export B = two words ",
    "C=value # trailing comment",
    "D='single # not a comment \\n stays'",
    'E="double\\nline"',
    "F=`back`",
    'G="multi',
    'line"',
    "H=",
    "not a setting line",
    "A=last wins",
    "URL=https://docs.google.com/spreadsheets/d/abc/edit#gid=0",
  ].join("\r\n");
  const { values, warnings } = readDotenv(text);
  assert.deepEqual(values, {
    A: "last wins",
    B: "two words",
    C: "value",
    D: "single # not a comment \\n stays",
    E: "double\nline",
    F: "back",
    G: "multi\nline",
    H: "",
    URL: "https://docs.google.com/spreadsheets/d/abc/edit",
  });
  assert.deepEqual(warnings, [], "a URL's #fragment is never needed");
});

Deno.test("readDotenv() warns when # cuts a value, and says how to keep it", () => {
  const { values, warnings } = readDotenv("SHEET_NAME=Сделки#2\nQUOTED='Сделки#2'\n");
  assert.equal(values.SHEET_NAME, "Сделки");
  assert.equal(values.QUOTED, "Сделки#2");
  assert.deepEqual(warnings, [
    'line 1: SHEET_NAME is read as "Сделки": what follows # is a comment (as wrangler reads it ' +
    'too); to keep it, quote the value: SHEET_NAME="Сделки#2"',
  ]);
});

Deno.test("readDotenv() keeps a service-account key in single quotes as valid JSON", () => {
  const key = JSON.stringify({
    type: "service_account",
    client_email: "bot@x.iam.gserviceaccount.com",
    private_key: "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n",
  });
  const { values } = readDotenv(`GOOGLE_SERVICE_ACCOUNT='${key}'\n`);
  assert.deepEqual(JSON.parse(values.GOOGLE_SERVICE_ACCOUNT), JSON.parse(key));
  const multiLine = JSON.stringify(JSON.parse(key), null, 2);
  const spread = readDotenv(`GOOGLE_SERVICE_ACCOUNT='${multiLine}'\nSHEET_NAME=x\n`).values;
  assert.deepEqual(JSON.parse(spread.GOOGLE_SERVICE_ACCOUNT), JSON.parse(key));
  assert.equal(spread.SHEET_NAME, "x");
});

Deno.test("readDotenv() names the line of a quote that is never closed", () => {
  assert.throws(() => readDotenv("A=1\nB='open\nC=3"), /line 2: the ' quote is never closed/);
  // Closed only on a later setting's line: it would swallow C (Node's parser does).
  assert.throws(() => readDotenv("B='open\nC=it's\n"), /line 1: the ' quote is never closed/);
});

Deno.test("gatherSettings(): .env before .dev.vars, the environment wins, only setting names", async () => {
  const dir = await mkdtemp(join(tmpdir(), "cts-settings-"));
  try {
    await writeFile(join(dir, ".dev.vars"), "SPREADSHEET_ID=from-dev-vars\nCRM_NAME=dev\n");
    let gathered = await gatherSettings({ env: {}, cwd: dir });
    assert.equal(gathered.file, ".dev.vars");
    assert.deepEqual(gathered.settings, { SPREADSHEET_ID: "from-dev-vars", CRM_NAME: "dev" });

    await writeFile(
      join(dir, ".env"),
      "SPREADSHEET_ID=from-env-file\nSHEET_NAME=Сделки\nSYNC_TOKEN=unused\nOTHER=x\n",
    );
    gathered = await gatherSettings({
      env: { SHEET_NAME: "Лист2", CALLTOUCH_SITE_ID: "12345", SPREADSHEET_ID: " ", PATH: "/bin" },
      cwd: dir,
    });
    assert.equal(gathered.file, ".env", ".dev.vars is not read when .env exists");
    assert.deepEqual(gathered.settings, {
      SPREADSHEET_ID: "from-env-file", // an empty variable does not hide the file's value
      SHEET_NAME: "Лист2",
      CALLTOUCH_SITE_ID: "12345",
    });

    await writeFile(join(dir, "prod.env"), "CRM_NAME=prod\n");
    gathered = await gatherSettings({ env: {}, cwd: dir, envFile: "prod.env" });
    assert.deepEqual(gathered, {
      file: "prod.env",
      settings: { CRM_NAME: "prod" },
      warnings: [],
    });

    await assert.rejects(
      () => gatherSettings({ env: {}, cwd: dir, envFile: "missing.env" }),
      (error: unknown) =>
        error instanceof SettingsFileError && /missing\.env: no such file/.test(error.message),
    );
    await writeFile(join(dir, "bad.env"), "A='x\n");
    await assert.rejects(
      () => gatherSettings({ env: {}, cwd: dir, envFile: "bad.env" }),
      /bad\.env is malformed: line 1/,
    );
    const empty = await mkdtemp(join(tmpdir(), "cts-settings-empty-"));
    assert.deepEqual(await gatherSettings({ env: { MATCH_MODE: "nearest" }, cwd: empty }), {
      file: undefined,
      settings: { MATCH_MODE: "nearest" },
      warnings: [],
    });
    await rm(empty, { recursive: true });
  } finally {
    await rm(dir, { recursive: true });
  }
});
