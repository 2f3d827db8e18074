/**
 * Quiet runs end to end (the sync in this process, the Google and Calltouch emulators on
 * 127.0.0.1): a run that reads the tab exactly as the last settled run left it does nothing and
 * reports what a full run would; everything that could make a full run act defeats the claim.
 */
import assert from "node:assert/strict";
import type { CellValue } from "../../src/deal.ts";
import type { PutOptions } from "../../src/platform.ts";
import { MemoryStore } from "../../src/store/memory.ts";
import { HEARTBEAT_MS } from "../../src/sync/history.ts";
import type { RunReport } from "../../src/sync/report.ts";
import { runFromSettings } from "../../src/sync/run.ts";
import { newRunId, stateKeys, StateStore } from "../../src/sync/state.ts";
import { ManualClock } from "../support/clock.ts";
import { demoClinicRows } from "../../sheets/demo/typed-cells.ts";
import { startCalltouchEmulator } from "../emulators/calltouch.ts";
import { startGoogleEmulator } from "../emulators/google.ts";
import { testServiceAccount } from "../support/service_account.ts";
import { emulatorSettings } from "../support/settings.ts";

const ID = "1QuietClinic_abcdefghijklmnopqrstuvwxyz0123456";
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
  const sync = async (options: { dryRun?: boolean; extra?: Record<string, string> } = {}) => {
    clock.advance(60_000);
    return await runFromSettings({ ...settings, ...options.extra }, { store, clock }, {
      trigger: options.dryRun ? "dry-run" : "manual",
    }) as RunReport;
  };
  const type = (range: string, values: CellValue[][]) =>
    google.setValues(ID, `'${TAB}'!${range}`, values);
  const cell = (a1: string) => google.cell(ID, `'${TAB}'!${a1}`);
  const calltouchCalls = () => calltouch.requests.length;
  /** A full run's verdict on the sheet as it is: a dry run never takes a claim. */
  const fullRun = () => sync({ dryRun: true });
  const assertQuiet = async (why: string) => {
    const expected = await fullRun();
    const before = calltouchCalls();
    const quiet = await sync();
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
    await t.step("the first sync leaves a claim that the next run takes", async () => {
      const first = await sync();
      assert.equal(first.counts.created, 11);
      assert.equal(first.quiet, undefined);
      const quiet = await assertQuiet("nothing changed since the first sync");
      assert.equal(quiet.counts.unchanged, 11);
      assert.equal(quiet.counts.invalid, 9);
      assert.equal(quiet.rows.length, 9);
      await assertQuiet("and again");
    });

    await t.step("a dry run is never quiet", async () => {
      assert.equal((await fullRun()).quiet, undefined);
    });

    await t.step("a status cell someone typed over: put back, then quiet", async () => {
      const status = cell("L2");
      type("L2", [["готово"]]);
      const healed = await sync();
      assert.equal(healed.quiet, undefined);
      assert.equal(healed.requests.sheetsWrite, 1);
      assert.equal(cell("L2"), status);
      await assertQuiet("the status is back");
    });

    await t.step(
      "a note in a column nobody maps: one full run, one KV write, then quiet",
      async () => {
        type("M3", [["перезвонить в пятницу"]]);
        const noted = await sync();
        assert.equal(noted.quiet, undefined);
        assert.deepEqual(
          [noted.requests.calltouch, noted.requests.sheetsWrite, noted.requests.kvWrite],
          [0, 0, 1],
        );
        await assertQuiet("the note is part of the new claim");
      },
    );

    await t.step("an edited deal is updated, and the very next run is quiet", async () => {
      type("C2", [["Визит"]]);
      const edited = await sync();
      assert.equal(edited.counts.updated, 1);
      assert.equal(calltouch.deals.get("1001")?.fields.status, "Визит");
      await assertQuiet("the update's statuses were predicted");
    });

    await t.step("a refused deal is held, and quiet runs report it held", async () => {
      calltouch.rejectOrder("1003", "Некорректная сумма");
      type("E4", [[12900]]);
      const refused = await sync();
      assert.equal(refused.counts.failed, 1);
      assert.match(String(cell("L4")), /^❌/);
      const quiet = await assertQuiet("a refusal is settled until the row changes");
      assert.equal(quiet.counts.held, 1);
      assert.ok(quiet.rows.some((row) => row.orderNumber === "1003" && row.action === "held"));
    });

    await t.step("batches journalled by a crashed run are never skipped", async () => {
      const crashed = new StateStore(store, ID, newRunId(clock.now()));
      const state = await crashed.load();
      const entry = state.get("1014")!;
      await crashed.recordBatch([["1014", {
        ...entry,
        outcome: "rejected",
        reason: "Отклонено при сбое",
      }]]);
      const next = await sync();
      assert.equal(next.quiet, undefined, "a delta is waiting");
      assert.equal(next.counts.held, 2, "the crashed run's outcome counts");
      await assertQuiet("folded and settled");
    });

    await t.step(
      "state saved after the claim (history write failed) is never skipped",
      async () => {
        const statusBefore = cell("L3");
        type("C3", [["Оплачено"]]); // 1002: Визит → Оплачено
        store.failPutsOf = stateKeys(ID).runs;
        const failed = await sync();
        store.failPutsOf = undefined;
        assert.equal(failed.counts.updated, 1);
        assert.equal(failed.ok, false, "the history write failed");
        assert.equal(calltouch.deals.get("1002")?.fields.status, "Оплачено");
        // Someone undoes the edit and the status: the cells are those of the stored claim again.
        type("C3", [["Визит"]]);
        type("L3", [[statusBefore as CellValue]]);
        const reverted = await sync();
        assert.equal(reverted.quiet, undefined, "the state changed since the claim");
        assert.equal(reverted.counts.updated, 1);
        assert.equal(calltouch.deals.get("1002")?.fields.status, "Визит");
        await assertQuiet("settled again");
      },
    );

    await t.step("the hourly heartbeat is a full run, recorded, then quiet again", async () => {
      clock.advance(HEARTBEAT_MS);
      const heartbeat = await sync();
      assert.equal(heartbeat.quiet, undefined);
      const { calltouch: sent, sheetsWrite, kvWrite, token } = heartbeat.requests;
      assert.deepEqual([sent, sheetsWrite], [0, 0]);
      // The history with the renewed claim, and the fresh Google token an hour later.
      assert.equal(kvWrite, 1 + token);
      await assertQuiet("the heartbeat renewed the claim");
    });

    await t.step(
      "another status language or time zone: a full run rewrites the texts",
      async () => {
        const english = { STATUS_LANGUAGE: "en" };
        const en = await sync({ extra: english });
        assert.equal(en.quiet, undefined);
        assert.equal(en.requests.sheetsWrite, 1);
        assert.match(String(cell("L2")), /^✅ updated/);
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
        assert.equal((await sync({ extra: english })).quiet, true);
        assert.equal((await sync()).quiet, undefined, "back to Russian");
        await assertQuiet("Russian again");
      },
    );

    await t.step("Calltouch down: no claim while deals wait, the next run sends them", async () => {
      type("C5", [["Отказ"]]); // 1004
      calltouch.failNext(20, 503);
      const down = await sync({ extra: { SYNC_TIME_BUDGET_SECONDS: "30" } });
      assert.equal(down.counts.retrying, 1);
      assert.match(String(cell("L5")), /^⏳/);
      calltouch.failNext(0); // back up
      const up = await sync();
      assert.equal(up.quiet, undefined);
      assert.equal(up.counts.updated, 1);
      await assertQuiet("sent");
    });

    await t.step("rows moved while statuses were written: no claim, then settled", async () => {
      type("C2", [["Оплачено"]]); // 1001
      google.beforeNextWrite((g) => g.insertRows(ID, TAB, 2));
      const moved = await sync();
      assert.equal(moved.counts.updated, 1);
      assert.equal(moved.quiet, undefined);
      const next = await sync();
      assert.equal(next.quiet, undefined, "no claim was left for a sheet that moved");
      assert.equal(next.requests.calltouch, 0);
      await assertQuiet("settled after the move");
    });
  } finally {
    await google.close();
    await calltouch.close();
  }
});
