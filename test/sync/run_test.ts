/**
 * runSync() end to end in this process (the emulators on 127.0.0.1): what the run report lists,
 * and where statuses land when people edit the sheet while the run talks to Calltouch.
 */
import assert from "node:assert/strict";
import type { CellValue } from "../../src/deal.ts";
import { MemoryStore } from "../../src/store/memory.ts";
import type { RunReport } from "../../src/sync/report.ts";
import { runFromSettings } from "../../src/sync/run.ts";
import { startCalltouchEmulator } from "../emulators/calltouch.ts";
import { startGoogleEmulator } from "../emulators/google.ts";
import { testServiceAccount } from "../support/service_account.ts";
import { emulatorSettings } from "../support/settings.ts";

const ID = "1RunTest_abcdefghijklmnopqrstuvwxyz0123456789";
const TAB = "Сделки";
const HEADER = ["ID сделки", "Дата сделки", "Статус", "Сумма", "Calltouch"];

async function rig(rows: CellValue[][]) {
  const account = await testServiceAccount();
  const google = await startGoogleEmulator();
  const calltouch = await startCalltouchEmulator();
  google.createSpreadsheet({
    spreadsheetId: ID,
    timeZone: "Europe/Moscow",
    sheets: [{ title: TAB, values: rows }],
    sharedWith: [account.clientEmail],
  });
  const settings = {
    ...emulatorSettings({ spreadsheetId: ID, google, calltouch, account }),
    SYNC_TIME_BUDGET_SECONDS: "4",
  };
  const store = new MemoryStore();
  return {
    google,
    calltouch,
    store,
    sync: (options: { lease?: boolean } = {}) =>
      runFromSettings(settings, { store, build: "t" }, {
        trigger: "manual",
        ...options,
      }) as Promise<
        RunReport
      >,
    cells: () => google.values(ID, `'${TAB}'`),
    async close() {
      await google.close();
      await calltouch.close();
    },
  };
}

Deno.test("the run report lists every created, refused and waiting row, not only counts", async () => {
  const r = await rig([
    HEADER,
    ["D1", "20.11.2026", "Запись", 100],
    ["D2", "20.11.2026", "Запись", 200],
    ["D3", "20.11.2026", "", 300],
  ]);
  try {
    r.calltouch.rejectOrder("D2", "Статус не из воронки");
    const first = await r.sync();
    const rows = first.rows.map((row) => [row.row, row.orderNumber, row.action, row.ok]);
    assert.deepEqual(rows, [
      [2, "D1", "create", true],
      [3, "D2", "create", false],
      [4, "D3", "invalid", false],
    ]);
    assert.match(first.rows[1].message, /^❌ Calltouch не принял сделку: Статус не из воронки/);
    r.google.setValues(ID, `'${TAB}'!D2`, [[150]]);
    r.calltouch.failNext(100, 503);
    const waiting = await r.sync();
    const pending = waiting.rows.find((row) => row.orderNumber === "D1");
    assert.deepEqual([pending?.action, pending?.ok], ["update", false]);
    assert.match(pending?.message ?? "", /^⏳/);
    assert.ok(waiting.rows.some((row) => row.orderNumber === "D2" && row.action === "held"));
  } finally {
    await r.close();
  }
});

Deno.test("an ID duplicated while the run talks to Calltouch gets no status, and no other row does", async () => {
  const r = await rig([
    HEADER,
    ["D1", "20.11.2026", "Запись", 100],
    ["D2", "20.11.2026", "Запись", 200],
    ["D3", "20.11.2026", "Запись", 300],
  ]);
  try {
    // The first values read is the run's read of the tab; the second is the ID column right
    // before writing. In between, someone types D1 over D3's ID.
    r.google.beforeNext("valuesRead", () => {
      r.google.beforeNext("valuesRead", (google) => {
        google.setValues(ID, `'${TAB}'!A4`, [["D1"]]);
      });
    });
    const report = await r.sync();
    assert.equal(report.counts.created, 3);
    const cells = r.cells();
    assert.deepEqual(cells[0], HEADER, "nothing written into the header row");
    assert.match(String(cells[2][4]), /^✅ создана/, "D2's own status");
    assert.equal(cells[1][4] ?? "", "", "D1 is on two rows now: neither gets a status");
    assert.equal(cells[3][4] ?? "", "", "nor the row that was D3's");
  } finally {
    await r.close();
  }
});

Deno.test("under the lease, a run that finds another's live lease sends nothing; a stale one does not hold", async () => {
  const r = await rig([HEADER, ["D1", "20.11.2026", "Запись", 100]]);
  try {
    const leaseKey = `v2:${ID}:${r.calltouch.siteId}:lease`;
    await r.store.put(leaseKey, JSON.stringify({ run: "other", until: Date.now() + 60_000 }));
    const busy = await r.sync({ lease: true });
    assert.equal(busy.skipped, "running");
    assert.equal(r.calltouch.requests.length, 0);
    const free = await r.sync(); // without the lease option (no queue): as before
    assert.equal(free.counts.created, 1);
    assert.match(
      (await r.store.get(leaseKey, "text")) ?? "",
      /"other"/,
      "another's lease untouched",
    );
    await r.store.put(leaseKey, JSON.stringify({ run: "crashed", until: Date.now() - 1 }));
    r.google.setValues(ID, `'${TAB}'!C2`, [["Пришел"]]);
    const after = await r.sync({ lease: true });
    assert.equal(after.skipped, undefined);
    assert.equal(after.counts.updated, 1);
    assert.equal(await r.store.get(leaseKey, "text"), null, "dropped when done");
  } finally {
    await r.close();
  }
});
