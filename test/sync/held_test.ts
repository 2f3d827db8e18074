/**
 * Held deals, end to end (the sync in this process with a ManualClock, the emulators on
 * 127.0.0.1): a refusal caused by something outside the rows (a systematic refusal, then fixed on
 * Calltouch's side) is healed by clearing one status cell, by retryHeld, by a settings change and
 * by the daily retry — each for one batched request, and an unchanged sheet costs no Calltouch
 * call on every other run.
 */
import assert from "node:assert/strict";
import { demoClinicRows } from "../../sheets/demo/typed_cells.ts";
import { MemoryStore } from "../../src/store/memory.ts";
import { HELD_RETRY_MS } from "../../src/sync/plan.ts";
import type { RunReport } from "../../src/sync/report.ts";
import { runFromSettings, type SyncOptions } from "../../src/sync/run.ts";
import { startCalltouchEmulator, SYSTEMATIC_REASON } from "../emulators/calltouch.ts";
import { startGoogleEmulator } from "../emulators/google.ts";
import { ManualClock } from "../support/clock.ts";
import { DEMO_VALID_IDS } from "../support/demo_sheet.ts";
import { testServiceAccount } from "../support/service_account.ts";
import { emulatorSettings } from "../support/settings.ts";

const TAB = "Сделки";

Deno.test("held deals: a systematic refusal, fixed on Calltouch's side, heals every way", async (t) => {
  const clock = new ManualClock(Date.UTC(2026, 10, 28, 9));
  const account = await testServiceAccount();
  const google = await startGoogleEmulator({ clock });
  const calltouch = await startCalltouchEmulator({ clock });
  const rows = await demoClinicRows();
  let sheetNumber = 0;

  /** A fresh clinic whose every valid deal Calltouch refused; returns its sync. */
  const heldClinic = async (refusal: "perOrder" | 400 = "perOrder") => {
    const id = `1HeldClinic${++sheetNumber}_abcdefghijklmnopqrstuvwxyz0123`;
    google.createSpreadsheet({
      spreadsheetId: id,
      timeZone: "Europe/Moscow",
      sheets: [{ title: TAB, values: rows }],
      sharedWith: [account.clientEmail],
    });
    calltouch.reset();
    const store = new MemoryStore(() => clock.now());
    const settings: Record<string, string> = {
      ...emulatorSettings({ spreadsheetId: id, google, calltouch, account }),
      SHEET_NAME: TAB,
    };
    const sync = async (
      options: Partial<SyncOptions> & { extra?: Record<string, string> } = {},
    ) => {
      clock.advance(5 * 60_000);
      const { extra, ...rest } = options;
      return await runFromSettings({ ...settings, ...extra }, { store, clock }, {
        trigger: "manual",
        ...rest,
      }) as RunReport;
    };
    calltouch.set({ refuseAll: true, refusal });
    // Splitting whole-request refusals may spend the run's request budget: the rest waits (⏳)
    // for the next run, which holds them too.
    let run = await sync();
    for (let i = 0; i < 5 && run.counts.retrying > 0; i++) run = await sync();
    assert.equal(run.counts.held + run.counts.failed, DEMO_VALID_IDS.length);
    assert.equal(run.counts.retrying, 0);
    calltouch.set({ refuseAll: false }); // the fix, on Calltouch's side
    const status = (orderNumber: string) => {
      const cells = google.values(id, `'${TAB}'`);
      const column = cells[0].indexOf("Calltouch");
      return String(cells.find((r) => String(r[0]) === orderNumber)?.[column] ?? "");
    };
    const clear = (orderNumber: string) => {
      const cells = google.values(id, `'${TAB}'`);
      const column = cells[0].indexOf("Calltouch");
      const row = cells.findIndex((r) => String(r[0]) === orderNumber) + 1;
      const letter = String.fromCharCode(65 + column);
      google.setValues(id, `'${TAB}'!${letter}${row}`, [[""]]);
    };
    return { sync, status, clear };
  };

  const calls = () => calltouch.requests.length;

  try {
    await t.step(
      "the ❌ says Calltouch's reason and what happens next, not 'fix the row'",
      async () => {
        const clinic = await heldClinic();
        const text = clinic.status(DEMO_VALID_IDS[0]);
        assert.ok(text.startsWith(`❌ Calltouch не принял сделку: ${SYSTEMATIC_REASON}.`), text);
        assert.match(text, /Повторим автоматически через сутки/);
        assert.match(text, /очистите эту ячейку/);
        assert.doesNotMatch(text, /Исправьте строку/);
        const idle = await clinic.sync();
        assert.equal(idle.counts.held, DEMO_VALID_IDS.length);
        assert.equal(idle.requests.calltouch, 0, "held deals are not re-sent on their own");
      },
    );

    await t.step("clearing one status cell sends that deal alone", async () => {
      const clinic = await heldClinic();
      const [one, other] = DEMO_VALID_IDS;
      clinic.clear(one);
      const before = calls();
      const run = await clinic.sync();
      assert.equal(calls() - before, 1);
      assert.equal(run.counts.created, 1);
      assert.match(clinic.status(one), /^✅ создана/);
      assert.match(clinic.status(other), /^❌/);
      assert.deepEqual([...calltouch.deals.keys()], [one]);
      const idle = await clinic.sync();
      assert.equal(idle.requests.calltouch, 0);
    });

    await t.step("retryHeld sends every held deal in one batched request", async () => {
      const clinic = await heldClinic();
      const before = calls();
      const run = await clinic.sync({ retryHeld: true });
      assert.equal(calls() - before, 1);
      assert.equal(run.counts.created, DEMO_VALID_IDS.length);
      assert.ok(DEMO_VALID_IDS.every((id) => clinic.status(id).startsWith("✅")));
      assert.equal((await clinic.sync()).requests.calltouch, 0);
    });

    await t.step("a settings change that changes what is sent releases them", async () => {
      const clinic = await heldClinic();
      const extra = { CUSTOM_SOURCE: "офлайн/визит/клиника" };
      const before = calls();
      const run = await clinic.sync({ extra });
      assert.equal(calls() - before, 1);
      assert.equal(run.counts.created, DEMO_VALID_IDS.length);
      assert.equal((await clinic.sync({ extra })).requests.calltouch, 0);
    });

    await t.step(
      "the daily retry sends them once a day, and no run before it calls Calltouch",
      async () => {
        const clinic = await heldClinic(400);
        const before = calls();
        // Every 5 minutes (the sync advances the clock) for almost a day: no Calltouch call.
        const runs = Math.floor(HELD_RETRY_MS / (5 * 60_000)) - 2;
        for (let i = 0; i < runs; i++) {
          const run = await clinic.sync();
          assert.equal(run.requests.calltouch, 0, `run ${i}`);
        }
        assert.equal(calls(), before);
        clock.advance(10 * 60_000);
        const retry = await clinic.sync();
        assert.equal(retry.counts.created, DEMO_VALID_IDS.length);
        assert.equal(calls() - before, 1, "one batched request for every held deal");
        assert.equal((await clinic.sync()).requests.calltouch, 0);
      },
    );
  } finally {
    await google.close();
    await calltouch.close();
  }
});
