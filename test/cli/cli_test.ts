/**
 * The command-line tool end to end: `deno run -A src/cli.ts …` as a child process against the
 * Google and Calltouch emulators of this process, with settings in a `.env` file and state in
 * the default state file.
 */
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { SETTING_NAMES } from "../../src/settings/table.ts";
import type { CellValue } from "../../src/deal.ts";
import { demoClinicRows } from "../../sheets/demo/typed_cells.ts";
import { contactsOf, explain, runTool, startCliRig, TAB } from "./support.ts";
import { cellOf, columnIndex } from "../support/columns.ts";
import {
  DEMO_INVALID_ROWS as INVALID_ROWS,
  DEMO_VALID_IDS as VALID,
} from "../support/demo_sheet.ts";

function createdOrders(rig: Awaited<ReturnType<typeof startCliRig>>): string[][] {
  return rig.calltouch.requests
    .filter((r) => r.path.endsWith("/client-order/create") && r.status === 200)
    .map((r) => (r.body as { orders: { orderNumber: string }[] }).orders.map((o) => o.orderNumber));
}

function assertNoContacts(text: string, contacts: string[], what: string): void {
  for (const contact of contacts) {
    assert.ok(!text.includes(contact), `${what} shows a contact: ${contact}`);
  }
}

Deno.test("cli: check, dry run, sync and an idle sync of the demo clinic's sheet", async (t) => {
  const rows = await demoClinicRows();
  const contacts = contactsOf(rows);
  assert.ok(contacts.length >= 15, "the demo sheet has contacts to look for");
  const rig = await startCliRig({ rows });
  try {
    await t.step(
      "check: header mapping, status column to create, every row problem (exit 1)",
      async () => {
        const result = await rig.run(["check"]);
        assert.equal(result.code, 1, explain(result));
        const out = result.stdout;
        assert.match(out, /tab «Сделки»/);
        assert.match(out, /settings \.env/);
        assert.match(out, /^ {2}A +ID сделки +orderNumber: deal ID \(required\)$/m);
        assert.match(out, /^ {2}B +Дата сделки +orderDate: deal date \(required\)$/m);
        assert.match(out, /^ {2}F +Телефон +phones: phones$/m);
        assert.match(out, /^ {2}J +Услуга +orderName: deal name \/ service$/m);
        assert.match(out, /^ {2}L +sync status: will be created here as «Calltouch»$/m);
        assert.match(out, /Rows: 20 \(11 valid, 9 with problems, 1 blank\)/);
        for (const row of INVALID_ROWS) assert.match(out, new RegExp(`^ +${row}  `, "m"));
        assert.match(out, /нет такой даты «31\.02\.2026 09:00»/);
        assert.match(out, /Exit 1: 9 rows have problems/);
        assertNoContacts(out + result.stderr, contacts, "check");
        assert.equal(rig.calltouch.requests.length, 0, "check does not contact Calltouch");
        assert.equal(rig.google.counters().writes, 0, "check writes nothing to the sheet");
        assert.equal(await rig.stateFile(), undefined, "check writes no state");

        const json = await rig.run(["check", "--json"]);
        assert.equal(json.code, 1, explain(json));
        const report = JSON.parse(json.stdout);
        assert.equal(report.ok, false);
        assert.equal(report.tab, TAB);
        assert.deepEqual(report.header.status, {
          column: cellOf(rows[0], "syncStatus", 1).replace(/\d+$/, ""),
          exists: false,
          header: "Calltouch",
        });
        assert.deepEqual(report.header.missing, []);
        assert.deepEqual(report.counts, { rows: 20, valid: 11, invalid: 9, blank: 1 });
        assert.deepEqual(
          [...new Set(report.problems.map((p: { row: number }) => p.row))],
          INVALID_ROWS,
        );
      },
    );

    await t.step(
      "sync --dry-run --json: the exact payloads, nothing sent or written (exit 1)",
      async () => {
        const writes = rig.google.counters().writes;
        const result = await rig.run(["sync", "--dry-run", "--json"]);
        assert.equal(result.code, 1, explain(result));
        const report = JSON.parse(result.stdout);
        assert.equal(report.trigger, "dry-run");
        assert.equal(report.ok, true);
        assert.equal(report.counts.created, 11);
        assert.equal(report.counts.invalid, 9);
        assert.equal(report.payloads.create.length, 1);
        assert.deepEqual(
          report.payloads.create[0].orders.map((o: { orderNumber: string }) => o.orderNumber),
          VALID,
        );
        assert.ok(
          result.stdout.includes("79157771122"),
          "the dry run shows the phones it would send, by design",
        );
        assert.deepEqual(report.payloads.update, []);
        assert.equal(rig.calltouch.requests.length, 0, "nothing sent");
        assert.equal(rig.google.counters().writes, writes, "nothing written to the sheet");
        assert.equal(await rig.stateFile(), undefined, "no state written");
        assert.equal(result.stderr, "");
      },
    );

    await t.step("sync --dry-run (human): the plan and the payloads", async () => {
      const result = await rig.run(["sync", "--dry-run"]);
      assert.equal(result.code, 1, explain(result));
      assert.match(result.stdout, /nothing sent, nothing written/);
      assert.match(result.stdout, /Would send \(11\):/);
      assert.match(result.stdout, /Calltouch requests that would be sent \(1\):/);
      assert.match(
        result.stdout,
        /#1 POST http:\/\/127\.0\.0\.1:\d+\/lead-service\/v1\/api\/client-order\/create \(11 deals\)/,
      );
      assert.match(result.stdout, /"orderNumber": "1017"/);
      assert.equal(rig.calltouch.requests.length, 0);
      assert.equal(await rig.stateFile(), undefined);
    });

    await t.step(
      "sync: creates the valid deals, marks every row, exits 1 for the invalid rows",
      async () => {
        const result = await rig.run(["sync"]);
        assert.equal(result.code, 1, explain(result));
        assert.deepEqual(createdOrders(rig), [VALID]);
        const out = result.stdout;
        assert.match(out, /^ +20 +11 +0 +0 +0 +9 +0 +0$/m, "the counts table");
        assert.match(out, /Calltouch 1/);
        assert.match(out, /Rows that need attention \(9\):/);
        assert.match(out, /^ +6 +1005 +❌ .*31\.02\.2026/m);
        assert.match(out, /Exit 1: 9 invalid\./);
        assertNoContacts(out + result.stderr, contacts, "sync");
        const cells = rig.cells();
        const status = columnIndex(rows[0], "syncStatus");
        assert.equal(cells[0][status], "Calltouch");
        assert.match(String(cells[1][status]), /^✅ создана /);
        assert.match(String(cells[5][status]), /^❌ /);
        const state = await rig.stateFile();
        assert.ok(state, "the state file exists");
        assertNoContacts(state.text, contacts, "the state file");
      },
    );

    await t.step(
      "a second sync with no change: 0 Calltouch requests, 0 sheet writes, one state write",
      async () => {
        const calltouchBefore = rig.calltouch.requests.length;
        const writesBefore = rig.google.counters().writes;
        const result = await rig.run(["sync", "--json"]);
        assert.equal(result.code, 1, explain(result));
        const report = JSON.parse(result.stdout);
        assert.equal(report.ok, true);
        assert.equal(report.counts.unchanged, 11);
        assert.equal(report.counts.invalid, 9);
        assert.equal(report.requests.calltouch, 0);
        assert.equal(report.requests.sheetsWrite, 0);
        assert.equal(report.requests.kvWrite, 1, "the quiet record");
        assert.equal(report.requests.token, 0, "the Google token is reused from the state file");
        assert.equal(rig.calltouch.requests.length, calltouchBefore);
        assert.equal(rig.google.counters().writes, writesBefore);
        assertNoContacts(result.stdout, contacts, "the JSON run report");
      },
    );

    await t.step("a third sync with no change is quiet: the state file is untouched", async () => {
      const before = await rig.stateFile();
      const result = await rig.run(["sync", "--json"]);
      const report = JSON.parse(result.stdout);
      assert.equal(report.quiet, true, explain(result));
      assert.equal(report.requests.kvWrite, 0);
      assert.deepEqual(await rig.stateFile(), before, "same bytes, same modification time");
    });
  } finally {
    await rig.close();
  }
});

Deno.test("cli sync: exit 0 when every row is sent, 1 when Calltouch refuses a deal", async (t) => {
  const demo = await demoClinicRows();
  const rows = demo.filter((_, i) => i === 0 || (i > 0 && VALID.includes(String(demo[i][0]))));
  const rig = await startCliRig({ rows });
  try {
    await t.step("all valid: exit 0", async () => {
      const result = await rig.run(["sync"]);
      assert.equal(result.code, 0, explain(result));
      assert.match(result.stdout, /Exit 0: every row is in Calltouch as it is in the sheet\./);
      assert.doesNotMatch(result.stdout, /Rows that need attention/);
      assert.deepEqual(createdOrders(rig), [VALID]);
    });
    await t.step("an idle run: exit 0 again", async () => {
      const result = await rig.run(["sync", "--json"]);
      assert.equal(result.code, 0, explain(result));
      assert.equal(JSON.parse(result.stdout).counts.unchanged, 11);
    });
    await t.step("a deal Calltouch refuses: exit 1, the reason in the table", async () => {
      rig.calltouch.rejectOrder("1003", "Неизвестный статус");
      rig.google.setValues(rig.settings.SPREADSHEET_ID, `'${TAB}'!C4`, [["Оплачено частично"]]);
      const result = await rig.run(["sync"]);
      assert.equal(result.code, 1, explain(result));
      assert.match(
        result.stdout,
        /^ +4 +1003 +❌ Calltouch не принял сделку: .*Неизвестный статус/m,
      );
      assert.match(result.stdout, /Exit 1: 1 refused\./);
    });
    await t.step("held on the next run while the row is unchanged: still exit 1", async () => {
      const result = await rig.run(["sync", "--json"]);
      assert.equal(result.code, 1, explain(result));
      const report = JSON.parse(result.stdout);
      assert.equal(report.counts.held, 1);
      assert.equal(report.requests.calltouch, 0);
    });
  } finally {
    await rig.close();
  }
});

Deno.test("cli check: a sheet without a required column exits 2 and names the column", async () => {
  const rows: CellValue[][] = [
    ["ID сделки", "Дата сделки", "Сумма", "Телефон", "Заметки"],
    [1001, 46346.4375, 3500, "8 (915) 777-11-22", "x"],
  ];
  const rig = await startCliRig({ rows });
  try {
    const result = await rig.run(["check"]);
    assert.equal(result.code, 2, explain(result));
    assert.match(result.stdout, /В таблице нет столбцов: «Статус»/);
    assert.match(result.stdout, /Missing required columns: status\./);
    assert.match(result.stdout, /^ {2}A +ID сделки +orderNumber: deal ID \(required\)$/m);
    assert.match(result.stdout, /^ {2}E +Заметки +— \(ignored\)$/m);
    assert.doesNotMatch(result.stdout, /7771122/);

    const json = await rig.run(["check", "--json"]);
    assert.equal(json.code, 2, explain(json));
    const report = JSON.parse(json.stdout);
    assert.equal(report.error.kind, "sheet");
    assert.deepEqual(report.header.missing, ["status"]);

    const sync = await rig.run(["sync", "--json"]);
    assert.equal(sync.code, 2, explain(sync));
    assert.match(JSON.parse(sync.stdout).error.message, /«Статус»/);
    assert.equal(rig.calltouch.requests.length, 0);
  } finally {
    await rig.close();
  }
});

Deno.test("cli check: the target, both time zones, the custom-field columns and every warning", async () => {
  const rows: CellValue[][] = [
    ["ID сделки", "Дата сделки", "Статус", "Врач", "Заметки"],
    [1001, "20.11.2026 12:00", "Запись", "Иванова", "x"],
    [1002, "20.11.2026 12:00", "Запись", "8 (915) 777-11-22", "y"],
  ];
  const rig = await startCliRig({
    rows,
    settings: {
      CALLTOUCH_TIME_ZONE: "Asia/Novosibirsk",
      CUSTOM_FIELDS: "Врач=doctor; Филиал=branch",
      CALLTOUCH_MAX_REQUESTS_PER_RUN: "40",
    },
  });
  try {
    const result = await rig.run(["check"]);
    assert.equal(result.code, 1, explain(result));
    const out = result.stdout;
    assert.match(out, new RegExp(`Calltouch project ${rig.settings.CALLTOUCH_SITE_ID}`));
    assert.match(out, /Time zones: sheet Europe\/Moscow · Calltouch Asia\/Novosibirsk/);
    assert.match(out, /^ {2}D +Врач +custom field doctor \(CUSTOM_FIELDS\)$/m);
    assert.match(out, /^ {2}E +Заметки +— \(ignored\)$/m);
    assert.match(out, /Warning: CALLTOUCH_MAX_REQUESTS_PER_RUN is deprecated/);
    assert.match(out, /Warning: The sheet's time zone \(Europe\/Moscow\) differs/);
    assert.match(
      out,
      /Warning: Dates go to Calltouch in Asia\/Novosibirsk, not Calltouch's default/,
    );
    assert.match(out, /Warning: CUSTOM_FIELDS maps "Филиал" to branch, but the header has no such/);
    assert.match(out, /^ +3 +1002 +.*Врач/m, "a phone in a custom field is a row problem");
    assert.doesNotMatch(out, /7771122/);

    // The same check in Russian: the tool's own words, warnings included.
    const ru = (await rig.run(["check", "--language", "ru"])).stdout;
    assert.match(ru, /Часовые пояса: таблица Europe\/Moscow · Calltouch Asia\/Novosibirsk/);
    assert.match(ru, /^ {2}D +Врач +поле Calltouch doctor \(CUSTOM_FIELDS\)$/m);
    assert.match(ru, /Внимание: Часовой пояс таблицы \(Europe\/Moscow\) отличается/);
    assert.match(ru, /Внимание: CUSTOM_FIELDS связывает «Филиал» с branch/);
    assert.match(ru, /Код 1: 1 строка с ошибками\.\n$/);
    assert.doesNotMatch(ru, /Warning|Exit|Time zones/);

    const json = await rig.run(["check", "--json"]);
    const report = JSON.parse(json.stdout);
    assert.equal(report.calltouchTimeZone, "Asia/Novosibirsk");
    assert.equal(report.timeZone, "Europe/Moscow");
    assert.deepEqual(report.customFields, [
      { header: "Врач", field: "doctor", column: "D" },
      { header: "Филиал", field: "branch" },
    ]);
  } finally {
    await rig.close();
  }
});

Deno.test("cli: access errors exit 2 (sheet not shared, no such tab, Calltouch token refused)", async (t) => {
  const rows = await demoClinicRows();
  await t.step("not shared: the message names the service account", async () => {
    const rig = await startCliRig({ rows, shared: false });
    try {
      for (const args of [["check"], ["sync"]]) {
        const result = await rig.run(args);
        assert.equal(result.code, 2, explain(result));
        assert.match(result.stdout, /sync-bot@clinic-demo\.iam\.gserviceaccount\.com/);
        assert.match(result.stdout, /Exit 2/);
      }
      assert.equal(rig.calltouch.requests.length, 0);
    } finally {
      await rig.close();
    }
  });
  await t.step("no such tab, and a refused Calltouch token", async () => {
    const rig = await startCliRig({ rows });
    try {
      const tab = await rig.run(["check"], { env: { SHEET_NAME: "Лист99" } });
      assert.equal(tab.code, 2, explain(tab));
      assert.match(tab.stdout, /Лист99/);
      assert.match(tab.stdout, /Сделки/, "the message lists the tabs there are");

      // Valid JSON, but a key that cannot be imported: found when the first token is signed.
      const badKey = JSON.stringify({
        type: "service_account",
        client_email: "sync-bot@clinic-demo.iam.gserviceaccount.com",
        private_key: "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n",
      });
      for (const command of ["check", "sync"]) {
        const key = await rig.run([command, "--json"], { env: { GOOGLE_SERVICE_ACCOUNT: badKey } });
        assert.equal(key.code, 2, explain(key));
        assert.equal(JSON.parse(key.stdout).error.kind, "config", command);
      }

      const token = await rig.run(["sync", "--json"], { env: { CALLTOUCH_TOKEN: "wrong-token" } });
      assert.equal(token.code, 2, explain(token));
      const report = JSON.parse(token.stdout);
      assert.equal(report.error.kind, "calltouch");
      assert.equal(rig.calltouch.deals.size, 0);
    } finally {
      await rig.close();
    }
  });
});

Deno.test("cli: bad settings exit 2 and list every problem at once; the environment wins over .env", async () => {
  const rig = await startCliRig({
    rows: [["ID", "Дата", "Статус"]],
    settings: {
      SPREADSHEET_ID: "not an id",
      CALLTOUCH_SITE_ID: "abc",
      MATCH_MODE: "closest",
      SEARCH_DEPTH_MINUTES: "-5",
      STATUS_LANGUAGE: "de",
      GOOGLE_SERVICE_ACCOUNT: "{not json",
    },
  });
  try {
    const result = await rig.run(["sync"], { env: { STATUS_LANGUAGE: "en" } });
    assert.equal(result.code, 2, explain(result));
    assert.equal(result.stdout, "");
    const problems = result.stderr.split("\n").filter((line) => line.startsWith("  - "));
    assert.equal(problems.length, 5, result.stderr);
    for (
      const name of [
        "SPREADSHEET_ID",
        "CALLTOUCH_SITE_ID",
        "MATCH_MODE",
        "SEARCH_DEPTH_MINUTES",
        "GOOGLE_SERVICE_ACCOUNT",
      ]
    ) {
      assert.match(result.stderr, new RegExp(`^  - ${name} `, "m"));
    }
    assert.doesNotMatch(result.stderr, /STATUS_LANGUAGE/, "the environment's value wins");
    assert.match(result.stderr, /Set them in the environment or \.env/);

    const json = await rig.run(["sync", "--dry-run", "--json"], { env: { MATCH_MODE: "nearest" } });
    assert.equal(json.code, 2, explain(json));
    const report = JSON.parse(json.stdout);
    assert.equal(report.error.kind, "config");
    assert.equal(report.error.problems.length, 5, "STATUS_LANGUAGE=de from .env, MATCH_MODE fixed");

    const check = await rig.run(["check", "--json"]);
    assert.equal(check.code, 2);
    assert.equal(JSON.parse(check.stdout).error.problems.length, 6);

    // --env-file replaces .env; a missing one is an error, not an empty file.
    await writeFile(join(rig.dir, "other.env"), "CALLTOUCH_SITE_ID=12\n");
    const other = await rig.run(["check", "--env-file", "other.env"]);
    assert.equal(other.code, 2);
    assert.match(other.stderr, /^ {2}- SPREADSHEET_ID is missing/m);
    assert.doesNotMatch(other.stderr, /CALLTOUCH_SITE_ID/);
    const missing = await rig.run(["sync", "--env-file", "nope.env"]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /Cannot read the settings file nope\.env: no such file/);
    assert.equal(rig.google.counters().reads, 0, "nothing is read before the settings are valid");
  } finally {
    await rig.close();
  }
});

Deno.test("cli --help: every command, option, setting and exit code; no settings needed", async () => {
  const dir = await Deno.makeTempDir({ prefix: "cts-cli-help-" });
  try {
    for (const args of [["--help"], ["help"], ["sync", "-h"]]) {
      const result = await runTool(args, { cwd: dir });
      assert.equal(result.code, 0, explain(result));
      const out = result.stdout;
      for (
        const word of ["sync", "sync --dry-run", "check", "--json", "--env-file F", "--state F"]
      ) {
        assert.ok(out.includes(word), `help mentions ${word}`);
      }
      const deprecated = "CALLTOUCH_MAX_REQUESTS_PER_RUN";
      for (const name of SETTING_NAMES.filter((n) => n !== "SYNC_TOKEN" && n !== deprecated)) {
        assert.match(out, new RegExp(`^  ${name}(?: |\n)`, "m"), `help explains ${name}`);
      }
      assert.match(out, /CALLTOUCH_MAX_REQUESTS_PER_RUN is its deprecated\s+old\s+name/);
      assert.match(out, /SYNC_TOKEN .*does not use it/s);
      assert.match(out, /Exit codes:\n {2}0 .*\n[\s\S]*\n {2}1 .*\n[\s\S]*\n {2}2 /);
      assert.match(out, /\.calltouch-sync\/state\.json/);
    }
    const bad = await runTool(["frobnicate"], { cwd: dir });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown command "frobnicate"/);
    const none = await runTool([], { cwd: dir });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no command given/);
    const option = await runTool(["check", "--dry-run"], { cwd: dir });
    assert.equal(option.code, 2);
    assert.match(option.stderr, /--dry-run goes with the sync command/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
