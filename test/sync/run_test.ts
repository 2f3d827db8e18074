/**
 * runSync() end to end in this process (the emulators on 127.0.0.1): what the run report lists,
 * and where statuses land when people edit the sheet while the run talks to Calltouch.
 */
import assert from "node:assert/strict";
import type { CellValue } from "../../src/deal.ts";
import { MemoryStore } from "../../src/store/memory.ts";
import type { RunReport } from "../../src/sync/report.ts";
import { runFromSettings } from "../../src/sync/run.ts";
import { EMULATOR_STATS_TOKEN, startCalltouchEmulator } from "../emulators/calltouch.ts";
import { startGoogleEmulator } from "../emulators/google.ts";
import { testServiceAccount } from "../support/service_account.ts";
import { emulatorSettings } from "../support/settings.ts";

const ID = "1RunTest_abcdefghijklmnopqrstuvwxyz0123456789";
const TAB = "Сделки";
const HEADER = ["ID сделки", "Дата сделки", "Статус", "Сумма", "Calltouch"];

async function rig(rows: CellValue[][], extra: Record<string, string> = {}) {
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
    ...extra,
  };
  let store = new MemoryStore();
  return {
    google,
    calltouch,
    get store() {
      return store;
    },
    /** Loses the state (a new KV namespace). */
    wipe() {
      store = new MemoryStore();
    },
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
    // A held deal stays on the attention lists (the panel's, the CLI's): not ok.
    const held = waiting.rows.find((row) => row.orderNumber === "D2");
    assert.deepEqual([held?.action, held?.ok], ["held", false]);
    assert.match(held?.message ?? "", /^❌ Calltouch не принял сделку: Статус не из воронки/);
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

const journalRequests = (r: { calltouch: { requests: { path: string; status: number }[] } }) =>
  r.calltouch.requests.filter((request) => request.path.endsWith("/orders-diary/orders"));

Deno.test("a lost state whose deals all fall on one day: the journal look-up works", async () => {
  const r = await rig([
    HEADER,
    ["D1", "20.11.2026 00:05", "Запись", 100],
    ["D2", "20.11.2026 12:00", "Запись", 200],
    ["D3", "20.11.2026 23:55", "Запись", 300],
  ], { CALLTOUCH_STATS_TOKEN: EMULATOR_STATS_TOKEN });
  try {
    const first = await r.sync();
    assert.deepEqual(first.lookUp, { found: 0 });
    assert.equal(first.counts.created, 3);
    r.wipe();
    const sent = r.calltouch.requests.length;
    const second = await r.sync();
    assert.deepEqual(second.lookUp, { found: 3 }, "not refused as dateFrom == dateTo");
    for (const request of journalRequests(r)) assert.equal(request.status, 200);
    const posts = r.calltouch.requests.slice(sent).filter((request) =>
      request.path.endsWith("/create")
    );
    assert.equal(posts.length, 0, "nothing tried as a create");
    assert.equal(second.counts.updated, 3);
  } finally {
    await r.close();
  }
});

Deno.test("the look-up takes at most half of the budget left; the sends still go", async () => {
  // 37 deals a month apart: 37 journal windows, more than the budget allows.
  const rows: CellValue[][] = [HEADER];
  for (let month = 0; month < 37; month++) {
    const date = new Date(Date.UTC(2024, month, 15)).toISOString().slice(0, 10);
    rows.push([`M${month}`, date, "Запись", 100]);
  }
  const r = await rig(rows, {
    CALLTOUCH_STATS_TOKEN: EMULATOR_STATS_TOKEN,
    MAX_SUBREQUESTS_PER_RUN: "40",
    // Time enough for 17 journal reads at Calltouch's 5 a second: the budget is what binds.
    SYNC_TIME_BUDGET_SECONDS: "30",
  });
  try {
    const report = await r.sync();
    // Before the look-up: the token, the spreadsheet, the tab (3 of 40). The write-back keeps 3
    // (WRITE_BACK_REQUESTS); half of the other 34 is 17.
    const firstSend = r.calltouch.requests.findIndex((request) => request.method === "POST");
    const lookUps = r.calltouch.requests.slice(0, firstSend).filter((request) =>
      request.path.endsWith("/orders-diary/orders")
    );
    assert.equal(lookUps.length, 17);
    assert.match((report.lookUp as { error?: string })?.error ?? "", /лимит запросов/);
    assert.equal(report.counts.created, 37, "the sends had the other half");
  } finally {
    await r.close();
  }
});
