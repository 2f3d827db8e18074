/** GOOGLE_SERVICE_ACCOUNT_FILE: the command-line tool reads the Google key from its file. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { KeyFileError, withKeyFile } from "../../src/cli/key_file.ts";
import { main } from "../../src/cli/main.ts";
import { startGoogleEmulator } from "../emulators/google.ts";
import { testServiceAccount } from "../support/service_account.ts";

const SPREADSHEET_ID = "1KeyFileSheet_abcdefghijklmnopqrstuvwxyz01234";

Deno.test("withKeyFile() reads the named file into GOOGLE_SERVICE_ACCOUNT", async () => {
  const dir = await Deno.makeTempDir({ prefix: "cts-key-" });
  try {
    await Deno.writeTextFile(join(dir, "key.json"), "{ the file's content }");
    assert.deepEqual(
      await withKeyFile({ GOOGLE_SERVICE_ACCOUNT_FILE: "key.json", SHEET_NAME: "Сделки" }, dir),
      { GOOGLE_SERVICE_ACCOUNT: "{ the file's content }", SHEET_NAME: "Сделки" },
    );
    const absolute = join(dir, "key.json");
    assert.equal(
      (await withKeyFile({ GOOGLE_SERVICE_ACCOUNT_FILE: ` ${absolute} ` }, "/"))
        .GOOGLE_SERVICE_ACCOUNT,
      "{ the file's content }",
    );
    const unchanged = { GOOGLE_SERVICE_ACCOUNT: "{…}", GOOGLE_SERVICE_ACCOUNT_FILE: "" };
    assert.equal(await withKeyFile(unchanged, dir), unchanged);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("withKeyFile() says which file cannot be read, and refuses two keys", async () => {
  const dir = await Deno.makeTempDir({ prefix: "cts-key-" });
  try {
    await assert.rejects(
      () => withKeyFile({ GOOGLE_SERVICE_ACCOUNT_FILE: "missing.json" }, dir),
      (error: Error) => {
        assert.ok(error instanceof KeyFileError);
        assert.equal(
          error.message,
          `Cannot read GOOGLE_SERVICE_ACCOUNT_FILE missing.json: no such file in ${dir}`,
        );
        return true;
      },
    );
    await assert.rejects(
      () => withKeyFile({ GOOGLE_SERVICE_ACCOUNT_FILE: "." }, dir),
      /Cannot read GOOGLE_SERVICE_ACCOUNT_FILE \.: it is a directory/,
    );
    await assert.rejects(
      () =>
        withKeyFile({ GOOGLE_SERVICE_ACCOUNT_FILE: "k.json", GOOGLE_SERVICE_ACCOUNT: "{" }, dir),
      /GOOGLE_SERVICE_ACCOUNT and GOOGLE_SERVICE_ACCOUNT_FILE are both set: keep one/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("cli check: GOOGLE_SERVICE_ACCOUNT_FILE in .env reads the sheet with the key from the file", async () => {
  const account = await testServiceAccount();
  const google = await startGoogleEmulator();
  const dir = await Deno.makeTempDir({ prefix: "cts-key-" });
  try {
    google.createSpreadsheet({
      spreadsheetId: SPREADSHEET_ID,
      sheets: [{
        title: "Сделки",
        values: [["ID сделки", "Дата сделки", "Статус"], ["1001", "20.11.2026", "Запись"]],
      }],
      sharedWith: [account.clientEmail],
    });
    // The key file exactly as Google hands it out: pretty-printed JSON over many lines.
    const pretty = JSON.stringify(JSON.parse(account.json), null, 2);
    await Deno.mkdir(join(dir, "secrets"));
    await Deno.writeTextFile(join(dir, "secrets", "clinic-key.json"), pretty);
    await Deno.writeTextFile(
      join(dir, ".env"),
      [
        `SPREADSHEET_ID=https://docs.google.com/spreadsheets/u/0/d/${SPREADSHEET_ID}/edit#gid=0`,
        "CALLTOUCH_SITE_ID=12345",
        "CALLTOUCH_TOKEN=not-used-by-check",
        "GOOGLE_SERVICE_ACCOUNT_FILE=secrets/clinic-key.json",
        `GOOGLE_SHEETS_API_URL=${google.url}`,
        `GOOGLE_TOKEN_URL=${google.tokenUrl}`,
      ].join("\n"),
    );
    let stdout = "";
    let stderr = "";
    const run = (env: Record<string, string> = {}) =>
      main(["check", "--json"], {
        env,
        cwd: dir,
        stdout: (text) => void (stdout += text),
        stderr: (text) => void (stderr += text),
      });
    assert.equal(await run(), 0, stderr + stdout);
    const report = JSON.parse(stdout);
    assert.equal(report.ok, true);
    assert.deepEqual(report.counts, { rows: 1, valid: 1, invalid: 0, blank: 0 });
    assert.ok(google.counters().token >= 1, "the key from the file signed the token request");

    stdout = stderr = "";
    assert.equal(await run({ GOOGLE_SERVICE_ACCOUNT_FILE: "secrets/nope.json" }), 2);
    assert.match(stderr, /^error: Cannot read GOOGLE_SERVICE_ACCOUNT_FILE secrets\/nope\.json/);
  } finally {
    await google.close();
    await Deno.remove(dir, { recursive: true });
  }
});
