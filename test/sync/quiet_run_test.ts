/**
 * Quiet runs end to end (the sync in this process, the Google and Calltouch emulators on
 * 127.0.0.1): a run that reads the tab byte for byte as a run that did nothing read it, with the
 * same state, settings and build, does nothing and reports what a full run would; everything
 * that could make a full run act defeats the record.
 */
import assert from "node:assert/strict";
import type { CellValue } from "../../src/deal.ts";
import type { PutOptions } from "../../src/platform.ts";
import { MemoryStore } from "../../src/store/memory.ts";
import { QUIET_MAX_AGE_MS } from "../../src/sync/quiet.ts";
import type { RunReport } from "../../src/sync/report.ts";
import { runFromSettings } from "../../src/sync/run.ts";
import { newRunId, stateKeys, StateStore } from "../../src/sync/state.ts";
import { targetOf } from "../../src/sync/target.ts";
import { loadConfig } from "../../src/settings/config.ts";
import { ManualClock } from "../support/clock.ts";
import { demoClinicRows } from "../../sheets/demo/typed_cells.ts";
import { startCalltouchEmulator } from "../emulators/calltouch.ts";
import { startGoogleEmulator } from "../emulators/google.ts";
import { testServiceAccount } from "../support/service_account.ts";
import { emulatorSettings } from "../support/settings.ts";
import { cellOf, columnIndex } from "../support/columns.ts";
import { columnLetters } from "../../src/sheet/a1.ts";

const ID = "1QuietClinic_abcdefghijklmnopqrstuvwxyz0123456";
/** The demo sheet's header, and where its status cells are (created after its last column). */
const HEADER = (await demoClinicRows())[0];
const statusCell = (row: number) => cellOf(HEADER, "syncStatus", row);
const TAB = "Сделки";

/** A store whose puts of one key can be made to fail (a run dying before its last write). */
class FlakyStore extends MemoryStore {
  failPutsOf: string | undefined;
  override put(key: string, value: string, options?: PutOptions): Promise<void> {
    if (key === this.failPutsOf) return Promise.reject(new Error("KV write failed"));
    return super.put(key, value, options);
  }
}

Deno.test("quiet runs: skipped only when nothing could differ", async (t) => {
  const clock = new ManualClock(Date.UTC(2026, 10, 28, 9));
  const account = await testServiceAccount();
  const google = await startGoogleEmulator({ clock });
  const calltouch = await startCalltouchEmulator({ clock });
  google.createSpreadsheet({
    spreadsheetId: ID,
    timeZone: "Europe/Moscow",
    sheets: [{ title: TAB, values: await demoClinicRows() }],
    sharedWith: [account.clientEmail],
  });
  const store = new FlakyStore(() => clock.now());
  const settings: Record<string, string> = {
    ...emulatorSettings({ spreadsheetId: ID, google, calltouch, account }),
    SHEET_NAME: TAB,
  };
  const target = targetOf(loadConfig(settings));
  const sync = async (
    options: { dryRun?: boolean; extra?: Record<string, string>; build?: string } = {},
  ) => {
    clock.advance(60_000);
    return await runFromSettings(
      { ...settings, ...options.extra },
      { store, clock, build: options.build ?? "build-1" },
      { trigger: options.dryRun ? "dry-run" : "manual" },
    ) as RunReport;
  };
  const type = (range: string, values: CellValue[][]) =>
    google.setValues(ID, `'${TAB}'!${range}`, values);
  const cell = (a1: string) => google.cell(ID, `'${TAB}'!${a1}`);
  const calltouchCalls = () => calltouch.requests.length;
  /** A full run's verdict on the sheet as it is: a dry run never takes a claim. */
  const fullRun = () => sync({ dryRun: true });
  /**
   * After a run that changed something: full runs until one sends and writes nothing (it leaves
   * the record; at most three), then quiet. A sheet back to recorded bytes is quiet at once.
   */
  const settle = async (why: string, extra?: Record<string, string>) => {
    for (let i = 0; i < 3; i++) {
      const run = await sync({ extra });
      assert.equal(run.requests.calltouch, 0, `${why}: nothing left to send`);
      if (run.quiet || run.requests.sheetsWrite === 0) break;
    }
    return await assertQuiet(why, extra);
  };
  const assertQuiet = async (why: string, extra?: Record<string, string>) => {
    const expected = await sync({ dryRun: true, extra });
    const before = calltouchCalls();
    const quiet = await sync({ extra });
    assert.equal(quiet.quiet, true, why);
    assert.equal(quiet.ok, true);
    assert.deepEqual(quiet.counts, expected.counts, "the counts a full run reports");
    assert.deepEqual(quiet.rows, expected.rows, "the rows a full run reports");
    assert.deepEqual(
      [quiet.requests.sheetsRead, quiet.requests.sheetsWrite, quiet.requests.kvWrite],
      [1, 0, 0],
    );
    assert.equal(calltouchCalls(), before);
    return quiet;
  };

  try {
    await t.step(
      "after the first sync, one full run leaves a record the next run takes",
      async () => {
        const first = await sync();
        assert.equal(first.counts.created, 11);
        assert.equal(first.quiet, undefined);
        const quiet = await settle("nothing changed since the first sync");
        assert.equal(quiet.counts.unchanged, 11);
        assert.equal(quiet.counts.invalid, 9);
        assert.equal(quiet.rows.length, 9);
        await assertQuiet("and again");
      },
    );

    await t.step("a dry run is never quiet", async () => {
      assert.equal((await fullRun()).quiet, undefined);
    });

    await t.step("a status cell someone typed over: put back, then quiet", async () => {
      const status = cell(statusCell(2));
      type(statusCell(2), [["готово"]]);
      const healed = await sync();
      assert.equal(healed.quiet, undefined);
      assert.equal(healed.requests.sheetsWrite, 1);
      assert.equal(cell(statusCell(2)), status);
      await settle("the status is back");
    });

    await t.step(
      "a note in a column nobody maps: one full run, one KV write (the record), then quiet",
      async () => {
        type(`${columnLetters(columnIndex(HEADER, "syncStatus") + 2)}3`, [[
          "перезвонить в пятницу",
        ]]);
        const noted = await sync();
        assert.equal(noted.quiet, undefined);
        assert.deepEqual(
          [noted.requests.calltouch, noted.requests.sheetsWrite, noted.requests.kvWrite],
          [0, 0, 1],
        );
        await assertQuiet("the note is part of the new record");
      },
    );

    await t.step("an edited deal is updated, then one full run, then quiet", async () => {
      type(cellOf(HEADER, "status", 2), [["Визит"]]);
      const edited = await sync();
      assert.equal(edited.counts.updated, 1);
      assert.equal(calltouch.deals.get("1001")?.fields.status, "Визит");
      await settle("the update's statuses are in the sheet");
    });

    await t.step("a number edited to another number is never taken for no change", async () => {
      for (const [a1, value] of [["E2", 3501], ["B3", 46346.5], ["A4", 10030]] as const) {
        const before = cell(a1);
        type(a1, [[value]]);
        const run = await sync();
        assert.equal(run.quiet, undefined, `${a1}: ${before} → ${value}`);
        type(a1, [[before as CellValue]]);
        const back = await sync();
        assert.equal(back.quiet, undefined, `${a1}: back to ${before}`);
        let settled = back;
        for (
          let i = 0;
          i < 3 && (settled.requests.calltouch > 0 || settled.requests.sheetsWrite > 0);
          i++
        ) {
          settled = await sync();
        }
      }
      await settle("every number back as it was");
    });

    await t.step("a refused deal is held, and quiet runs report it held", async () => {
      calltouch.rejectOrder("1003", "Некорректная сумма");
      type(cellOf(HEADER, "revenue", 4), [[12900]]);
      const refused = await sync();
      assert.equal(refused.counts.failed, 1);
      assert.match(String(cell(statusCell(4))), /^❌/);
      const quiet = await settle("a refusal is settled until the row changes");
      assert.equal(quiet.counts.held, 1);
      assert.ok(quiet.rows.some((row) => row.orderNumber === "1003" && row.action === "held"));
    });

    await t.step("batches journalled by a crashed run are never skipped", async () => {
      const crashed = new StateStore(store, target, newRunId(clock.now()));
      const state = await crashed.load();
      const entry = state.get("1014")!;
      await crashed.record([["1014", {
        ...entry,
        outcome: "held",
        reason: "Отклонено при сбое",
      }]]);
      const next = await sync();
      assert.equal(next.quiet, undefined, "a delta is waiting");
      assert.equal(next.counts.held, 2, "the crashed run's outcome counts");
      await settle("folded and settled");
    });

    await t.step(
      "state saved after the record (history write failed) is never skipped",
      async () => {
        const statusBefore = cell(statusCell(3));
        type(cellOf(HEADER, "status", 3), [["Оплачено"]]); // 1002: Визит → Оплачено
        store.failPutsOf = stateKeys(target).runs;
        const failed = await sync();
        store.failPutsOf = undefined;
        assert.equal(failed.counts.updated, 1);
        assert.equal(failed.ok, false, "the history write failed");
        assert.equal(calltouch.deals.get("1002")?.fields.status, "Оплачено");
        // Someone undoes the edit and the status: the cells are those of the stored record again.
        type(cellOf(HEADER, "status", 3), [["Визит"]]);
        type(statusCell(3), [[statusBefore as CellValue]]);
        const reverted = await sync();
        assert.equal(reverted.quiet, undefined, "the state changed since the record");
        assert.equal(reverted.counts.updated, 1);
        assert.equal(calltouch.deals.get("1002")?.fields.status, "Визит");
        await settle("settled again");
      },
    );

    await t.step("a record lapses after a day, and with another build", async () => {
      clock.advance(QUIET_MAX_AGE_MS);
      const daily = await sync();
      assert.equal(daily.quiet, undefined, "a day later: a full run");
      assert.equal(daily.requests.calltouch, 2, "…which retries the held deal (and its fallback)");
      await settle("recorded again");
      const deployed = await sync({ build: "build-2" });
      assert.equal(deployed.quiet, undefined, "another build: a full run");
      assert.deepEqual([deployed.requests.calltouch, deployed.requests.sheetsWrite], [0, 0]);
      assert.equal((await sync({ build: "build-2" })).quiet, true);
      assert.equal((await sync()).quiet, undefined, "and back");
      await assertQuiet("build-1 again");
    });

    await t.step(
      "another status language or time zone: a full run rewrites the texts",
      async () => {
        const english = { STATUS_LANGUAGE: "en" };
        const en = await sync({ extra: english });
        assert.equal(en.quiet, undefined);
        assert.equal(en.requests.sheetsWrite, 1);
        assert.match(String(cell(statusCell(2))), /^✅ updated/);
        assert.equal((await sync({ extra: english })).quiet, undefined, "records");
        assert.equal((await sync({ extra: english })).quiet, true);
        google.batchUpdate(ID, [{
          updateSpreadsheetProperties: {
            properties: { timeZone: "Asia/Yekaterinburg" },
            fields: "timeZone",
          },
        }]);
        const zone = await sync({ extra: english });
        assert.equal(zone.quiet, undefined);
        assert.equal(zone.timeZone, "Asia/Yekaterinburg");
        assert.equal(zone.requests.sheetsWrite, 1, "times shown in the new zone");
        await settle("the new zone", english);
        assert.equal((await sync()).quiet, undefined, "back to Russian");
        await settle("Russian again");
      },
    );

    await t.step(
      "Calltouch down: no record while deals wait, the next run sends them",
      async () => {
        type(cellOf(HEADER, "status", 5), [["Отказ"]]); // 1004
        calltouch.failNext(20, 503);
        const down = await sync({ extra: { SYNC_TIME_BUDGET_SECONDS: "30" } });
        assert.equal(down.counts.retrying, 1);
        assert.match(String(cell(statusCell(5))), /^⏳/);
        calltouch.failNext(0); // back up
        const up = await sync();
        assert.equal(up.quiet, undefined);
        assert.equal(up.counts.updated, 1);
        await settle("sent");
      },
    );

    await t.step("rows moved while statuses were written: settled by the next runs", async () => {
      type(cellOf(HEADER, "status", 2), [["Оплачено"]]); // 1001
      google.beforeNextWrite((g) => g.insertRows(ID, TAB, 2));
      const moved = await sync();
      assert.equal(moved.counts.updated, 1);
      assert.equal(moved.quiet, undefined);
      await settle("settled after the move");
    });
  } finally {
    await google.close();
    await calltouch.close();
  }
});
