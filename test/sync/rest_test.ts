/**
 * Calltouch's daily API points spent, in each form its undocumented answer may take (429, 403,
 * a 200 that says it failed): the run stops visibly with words saying so, its deals wait (⏳,
 * never ❌), nothing goes to the project again that day (no re-send every tick, other targets
 * of the project included), and the next day carries on with nothing lost. In this process,
 * against the emulators, on one manual clock.
 */
import assert from "node:assert/strict";
import type { CellValue } from "../../src/deal.ts";
import { CALLTOUCH_DAY_ZONE, nextCalltouchDay } from "../../src/calltouch/points.ts";
import { MemoryStore } from "../../src/store/memory.ts";
import type { RunReport } from "../../src/sync/report.ts";
import { restKey } from "../../src/sync/rest.ts";
import { runFromSettings } from "../../src/sync/run.ts";
import { instantOf } from "../../src/util/zones.ts";
import { type CalltouchEmulator, startCalltouchEmulator } from "../emulators/calltouch.ts";
import { startGoogleEmulator } from "../emulators/google.ts";
import { ManualClock } from "../support/clock.ts";
import { testServiceAccount } from "../support/service_account.ts";
import { emulatorSettings } from "../support/settings.ts";

const SHEETS = [
  "1PointsClinicA_abcdefghijklmnopqrstuvwxyz0123",
  "1PointsClinicB_abcdefghijklmnopqrstuvwxyz0123",
];
const TAB = "Сделки";
const HEADER = ["ID сделки", "Дата сделки", "Статус", "Сумма", "Телефон"];
/** 28 Nov 2026, 15:00 in Moscow. */
const AFTERNOON = instantOf("2026-11-28T15:00:00", CALLTOUCH_DAY_ZONE);

function deals(prefix: string, count: number): CellValue[][] {
  const rows: CellValue[][] = [HEADER];
  for (let i = 1; i <= count; i++) {
    rows.push([`${prefix}${i}`, "20.11.2026 10:00", "Запись", i, `+7 915 000-${1000 + i}`]);
  }
  return rows;
}

async function rig(calltouchOptions: Parameters<typeof startCalltouchEmulator>[0] = {}) {
  const clock = new ManualClock(AFTERNOON);
  const account = await testServiceAccount();
  const google = await startGoogleEmulator({ clock });
  const calltouch = await startCalltouchEmulator({ clock, ...calltouchOptions });
  google.createSpreadsheet({
    spreadsheetId: SHEETS[0],
    sheets: [{ title: TAB, values: deals("A", 250) }],
    sharedWith: [account.clientEmail],
  });
  google.createSpreadsheet({
    spreadsheetId: SHEETS[1],
    sheets: [{ title: TAB, values: deals("B", 20) }],
    sharedWith: [account.clientEmail],
  });
  const store = new MemoryStore();
  const sync = (sheet: number, extra: Record<string, string> = {}) =>
    runFromSettings(
      {
        ...emulatorSettings({ spreadsheetId: SHEETS[sheet], google, calltouch, account }),
        SYNC_TIME_BUDGET_SECONDS: "300",
        ...extra,
      },
      { store, build: "t", clock },
      { trigger: "cron" },
    ) as Promise<RunReport>;
  const statuses = (sheet: number) =>
    google.values(SHEETS[sheet], `'${TAB}'`).slice(1).map((row) => String(row[5] ?? ""));
  return {
    clock,
    google,
    calltouch,
    store,
    sync,
    statuses,
    async close() {
      await google.close();
      await calltouch.close();
    },
  };
}

function dealRequests(calltouch: CalltouchEmulator): number {
  return calltouch.requests.filter((r) => r.path.includes("client-order")).length;
}

for (const form of [429, 403, 200] as const) {
  Deno.test(`the daily points spent (answered ${form}): stop, ⏳, nothing sent that day, the next day carries on`, async (t) => {
    const r = await rig({ pointsRefusal: form, dailyPoints: 1 });
    try {
      await t.step("the second request finds them spent: the run stops with words", async () => {
        const report = await r.sync(0);
        assert.equal(report.ok, false);
        assert.equal(report.error?.kind, "calltouch");
        assert.match(report.error!.message, /дневной лимит баллов API.*после 00:05 по Москве/);
        assert.equal(report.restsUntil, new Date(nextCalltouchDay(AFTERNOON)).toISOString());
        assert.equal(dealRequests(r.calltouch), 2, "one accepted, one refused, no retry");
        assert.equal(r.calltouch.deals.size, 100);
        const cells = r.statuses(0);
        assert.equal(cells.filter((c) => c.startsWith("✅")).length, 100);
        assert.equal(cells.filter((c) => c.startsWith("❌")).length, 0, "nothing held");
        const waiting = cells.filter((c) => c.startsWith("⏳"));
        assert.equal(waiting.length, 150);
        assert.match(waiting[0], /дневной лимит API Calltouch исчерпан.*после 00:05 МСК/);
        assert.ok(await r.store.get(restKey(r.calltouch.siteId), "json"), "the project rests");
      });
      await t.step(
        "the next ticks that day send nothing, other targets of the project too",
        async () => {
          r.clock.advance(5 * 60_000);
          const again = await r.sync(0);
          const other = await r.sync(1);
          assert.equal(dealRequests(r.calltouch), 2, "not one more request");
          for (const report of [again, other]) {
            assert.equal(report.ok, false);
            assert.match(report.error!.message, /дневной лимит баллов API/);
            assert.equal(report.requests.calltouch, 0);
          }
          assert.equal(r.statuses(1).filter((c) => c.startsWith("⏳")).length, 20);
          assert.equal(again.requests.kvWrite, 0, "the rest is written once, not every tick");
        },
      );
      await t.step("the next day: every waiting deal goes, each created once", async () => {
        r.calltouch.set({ dailyPoints: null }); // Calltouch's new day
        r.clock.advance(nextCalltouchDay(AFTERNOON) - r.clock.now());
        const next = await r.sync(0);
        assert.equal(next.ok, true, next.error?.message ?? "");
        assert.equal(next.restsUntil, undefined);
        assert.equal(next.counts.created, 150);
        assert.ok(r.statuses(0).every((c) => c.startsWith("✅")));
        assert.ok([...r.calltouch.deals.values()].every((deal) => deal.createCount === 1));
        assert.equal((await r.sync(1)).counts.created, 20);
      });
    } finally {
      await r.close();
    }
  });
}

Deno.test("the daily points spent when the deals journal is read: no deal is sent that day", async () => {
  const r = await rig({ pointsRefusal: 403, dailyPoints: 0 });
  try {
    const report = await r.sync(1, { CALLTOUCH_STATS_TOKEN: r.calltouch.statsToken });
    assert.equal(report.ok, false);
    assert.match(report.error!.message, /дневной лимит баллов API/);
    const journal = r.calltouch.requests.filter((req) => req.path.includes("orders-diary"));
    assert.equal(journal.length, 1, "the look-up's first page, refused, not retried");
    assert.equal(dealRequests(r.calltouch), 0);
    assert.ok(r.statuses(1).every((c) => c.startsWith("⏳")));
  } finally {
    await r.close();
  }
});
