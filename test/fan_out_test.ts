import assert from "node:assert/strict";
import type { CellValue } from "../src/deal.ts";
import type { Env } from "../src/env.ts";
import {
  consume,
  retryDelaySeconds,
  runEveryTarget,
  shareOfInvocation,
  type SyncMessage,
} from "../src/fan_out.ts";
import { type Config, ConfigError, loadConfig } from "../src/settings/config.ts";
import { MemoryStore } from "../src/store/memory.ts";
import { startCalltouchEmulator } from "./emulators/calltouch.ts";
import { startGoogleEmulator } from "./emulators/google.ts";
import { ManualClock } from "./support/clock.ts";
import { ManualQueue } from "./support/queue.ts";
import { localRateGate } from "./support/rate_gate.ts";
import { GATED_READS_PER_MINUTE } from "../src/schedule.ts";
import { testServiceAccount } from "./support/service_account.ts";
import { atOnce, clinicTargets, createClinicSheets } from "./support/clinics.ts";
import { peakInWindow } from "../bench/targets.ts";

Deno.test("shareOfInvocation(): targets run in one tick split its request budget", async () => {
  const env = {
    SPREADSHEET_ID: "1BranchesSheet_abcdefghijklmnopqrstuvwxyz0123",
    CALLTOUCH_SITE_ID: "1",
    CALLTOUCH_TOKEN: "t",
    GOOGLE_SERVICE_ACCOUNT: (await testServiceAccount()).json,
  };
  const two = shareOfInvocation(loadConfig(env), 2) as Config;
  assert.equal(two.maxSubrequests, 22, "45 for the tick, 22 each");
  assert.equal(two.timeBudgetMs, 120_000, "two runs of 120 s fit in 15 minutes");
  const ten = shareOfInvocation(loadConfig({ ...env, MAX_SUBREQUESTS_PER_RUN: "900" }), 10);
  assert.equal((ten as Config).maxSubrequests, 90);
  assert.equal((ten as Config).timeBudgetMs, 84_000);
  assert.equal(
    (shareOfInvocation(loadConfig(env), 20) as Config).maxSubrequests,
    8,
    "never below a run's least",
  );
  const bad = new ConfigError(["SPREADSHEET_ID is missing"]);
  assert.equal(shareOfInvocation(bad, 3), bad, "bad settings: as is");
});

/** A deployment of `count` targets (one service account) on emulators and a manual clock. */
async function quotaRig(count: number) {
  const clock = new ManualClock(Date.UTC(2026, 10, 28, 12, 0));
  const account = await testServiceAccount();
  const google = await startGoogleEmulator({ clock, quota: { readsPerMinute: 60 } });
  const calltouch = await startCalltouchEmulator({ clock, rateLimit: true });
  const ids = Array.from({ length: count }, (_, i) => `t${String(i).padStart(2, "0")}`);
  const sheetOf = (id: string) => `1QuotaClinic_${id}_abcdefghijklmnopqrstuvwxyz`;
  createClinicSheets(google, account, ids, sheetOf, (id) => {
    const rows: CellValue[][] = [["ID сделки", "Дата сделки", "Статус", "Сумма"]];
    for (let i = 1; i <= 5; i++) rows.push([`${id}-${i}`, "20.11.2026 10:00", "Запись", i]);
    return rows;
  });
  const queue = new ManualQueue<SyncMessage>(clock, { maxRetries: 3 });
  const env: Env = {
    SYNC_STATE: new MemoryStore(() => clock.now()),
    TARGETS: clinicTargets(ids, sheetOf, calltouch.siteId),
    CALLTOUCH_TOKEN_ALL: calltouch.token,
    GOOGLE_SERVICE_ACCOUNT: account.json,
    GOOGLE_SHEETS_API_URL: google.url,
    GOOGLE_TOKEN_URL: `${google.url}/token`,
    CALLTOUCH_API_URL: calltouch.url,
    SYNC_QUEUE: queue.producer,
  };
  /** Google reads (metadata and values) received within any 60 s, at most. */
  const peakReadsPerMinute = () =>
    peakInWindow(
      google.requests
        .filter((r) => r.kind === "metadata" || r.kind === "valuesRead")
        .map((r) => r.time),
      60_000,
    );
  return {
    clock,
    google,
    calltouch,
    queue,
    env,
    count,
    peakReadsPerMinute,
    tick: () => runEveryTarget(env, { trigger: "cron", cron: "*/5 * * * *" }, { clock }),
    drain: () => queue.drain((batch) => consume(batch, env, { clock }), 1_000),
    async close() {
      await google.close();
      await calltouch.close();
    },
  };
}

Deno.test("a tick of 40 clinics on one service account stays within Google's 60 reads a minute", async () => {
  const r = await quotaRig(40);
  try {
    const tick = await r.tick();
    assert.ok("enqueued" in tick && tick.enqueued.length === 40);
    await r.drain();
    assert.equal(r.calltouch.deals.size, 200, "every clinic's deals sent");
    const refused = r.google.requests.filter((req) => req.status === 429);
    assert.equal(refused.length, 0, "no Google 429");
    assert.ok(r.peakReadsPerMinute() <= 45, `${r.peakReadsPerMinute()} reads in one minute`);
    assert.equal(r.calltouch.rateViolations, 0);
    const last = Math.max(...r.queue.deliveries.map((d) => d.at));
    assert.ok(last - r.queue.deliveries[0].at < 5 * 60_000, "every run within the cron interval");
    assert.ok(r.queue.deliveries.every((d) => d.outcome === "ack" && d.attempts === 1));
  } finally {
    await r.close();
  }
});

Deno.test("the same tick all at once (the measurement): Google's 429s, each waited out a minute", async () => {
  const r = await quotaRig(40);
  try {
    // As before the schedule: every message at once.
    r.env.SYNC_QUEUE = atOnce(r.queue.producer);
    await r.tick();
    await r.drain();
    const refused = r.google.requests.filter((req) => req.status === 429);
    assert.ok(refused.length > 0, "more than 60 reads asked within a minute");
    assert.equal(r.calltouch.deals.size, 200, "every clinic still synced");
    for (const no of refused) {
      const next = r.google.requests.find((req) =>
        req.path === no.path && req.kind === no.kind && req.time > no.time
      );
      assert.ok(!next || next.time - no.time >= 60_000, "the retry waits for the quota's minute");
    }
  } finally {
    await r.close();
  }
});

Deno.test("all at once with RATE_GATE: each service account's reads are held to 55 a minute, no 429", async () => {
  const r = await quotaRig(40);
  try {
    r.env.SYNC_QUEUE = atOnce(r.queue.producer);
    const gate = localRateGate(r.clock);
    r.env.RATE_GATE = gate;
    await r.tick();
    await r.drain();
    assert.equal(r.google.requests.filter((req) => req.status === 429).length, 0);
    assert.ok(r.peakReadsPerMinute() <= GATED_READS_PER_MINUTE, `${r.peakReadsPerMinute()}`);
    assert.equal(r.calltouch.deals.size, 200);
    const account = `google:${(await testServiceAccount()).clientEmail}`;
    assert.equal(gate.starts.get(account)?.length, 120, "every read asked the gate");
  } finally {
    await r.close();
  }
});

Deno.test("retryDelaySeconds(): 30 s doubling; a Google failure waits at least a minute", () => {
  assert.deepEqual([1, 2, 3, 10].map((n) => retryDelaySeconds(n, "calltouch")), [30, 60, 120, 900]);
  assert.deepEqual([1, 2, 3].map((n) => retryDelaySeconds(n, "google")), [60, 60, 120]);
});
