/** parseDotenv() and gatherSettings(): the file formats integrators use, and what wins. */
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gatherSettings, parseDotenv, SettingsFileError } from "../../src/cli/settings.ts";

Deno.test("parseDotenv() reads the dotenv forms wrangler's .dev.vars accepts", () => {
  const text = [
    "\uFEFF# comment",
    "",
    "A=1",
    "export B = two words ",
    "C=value # trailing comment",
    "D='single # not a comment \\n stays'",
    'E="double\\nline \\"quoted\\" \\\\ end"',
    "F=`back`",
    'G="multi',
    'line"',
    "H=",
    "not a setting line",
    "A=last wins",
    "URL=https://docs.google.com/spreadsheets/d/abc/edit#gid=0",
  ].join("\r\n");
  assert.deepEqual(parseDotenv(text), {
    A: "last wins",
    B: "two words",
    C: "value",
    D: "single # not a comment \\n stays",
    E: 'double\nline "quoted" \\ end',
    F: "back",
    G: "multi\nline",
    H: "",
    URL: "https://docs.google.com/spreadsheets/d/abc/edit#gid=0",
  });
});

Deno.test("parseDotenv() keeps a service-account key in single quotes as valid JSON", () => {
  const key = JSON.stringify({
    type: "service_account",
    client_email: "bot@x.iam.gserviceaccount.com",
    private_key: "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n",
  });
  const parsed = parseDotenv(`GOOGLE_SERVICE_ACCOUNT='${key}'\n`);
  assert.deepEqual(JSON.parse(parsed.GOOGLE_SERVICE_ACCOUNT), JSON.parse(key));
});

Deno.test("parseDotenv() names the line of a quote that is never closed", () => {
  assert.throws(() => parseDotenv("A=1\nB='open\nC=3"), /line 2: the ' quote is never closed/);
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
    assert.deepEqual(gathered, { file: "prod.env", settings: { CRM_NAME: "prod" } });

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
    });
    await rm(empty, { recursive: true });
  } finally {
    await rm(dir, { recursive: true });
  }
});
