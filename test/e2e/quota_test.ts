/**
 * Calltouch's per-IP rate (5 requests a second, the deals journal included) when queue consumers
 * run at once in isolates of their own, in workerd: Miniflare's local queue delivers one batch
 * at a time (whatever `max_concurrency` says), so each consumer invocation here is delivered to
 * an isolate of its own directly, as Cloudflare runs them side by side. Counted from the
 * Calltouch emulator's records (its 429s on): requests per sliding second.
 */
import assert from "node:assert/strict";
import { peakInWindow } from "../../bench/targets.ts";
import type { CellValue } from "../../src/deal.ts";
import { restKey } from "../../src/sync/rest.ts";
import { type CalltouchEmulator, startCalltouchEmulator } from "../emulators/calltouch.ts";
import { type GoogleEmulator, startGoogleEmulator } from "../emulators/google.ts";
import { testServiceAccount } from "../support/service_account.ts";
import { clinicTargets, createClinicSheets } from "../support/clinics.ts";
import { startWorker, type TestWorker } from "../support/worker.ts";

const HEADER = ["ID сделки", "Дата сделки", "Статус", "Сумма", "Телефон"];
const ISOLATES = 3;
/** Deals per clinic: 6 create requests each, 18 in all, plus the journal's look-ups. */
const DEALS = 600;

interface Rig {
  google: GoogleEmulator;
  calltouch: CalltouchEmulator;
  worker: TestWorker;
  ids: string[];
  close(): Promise<void>;
}

/** Three clinics on one Calltouch project (one IP), each consumed by an isolate of its own. */
async function rig(
  options: { rateGate: boolean; dailyPoints?: number; transitMs?: number },
): Promise<Rig> {
  const account = await testServiceAccount();
  const google = await startGoogleEmulator();
  const calltouch = await startCalltouchEmulator({
    rateLimit: true,
    transitMs: options.transitMs ?? 0,
    ...(options.dailyPoints !== undefined ? { dailyPoints: options.dailyPoints } : {}),
  });
  const ids = Array.from({ length: ISOLATES }, (_, i) => `clinic${i}`);
  const sheetOf = (id: string) => `1QuotaE2E_${id}_abcdefghijklmnopqrstuvwxyz`;
  createClinicSheets(google, account, ids, sheetOf, (id) => {
    const rows: CellValue[][] = [HEADER];
    for (let i = 1; i <= DEALS; i++) {
      rows.push([`${id}-${i}`, "20.11.2026 10:00", "Запись", i, `+7 915 000-${1000 + (i % 9000)}`]);
    }
    return rows;
  });
  const worker = await startWorker({
    isolates: ISOLATES,
    rateGate: options.rateGate,
    queue: {},
    bindings: {
      TARGETS: clinicTargets(ids, sheetOf, calltouch.siteId, { stats: true }),
      CALLTOUCH_TOKEN_ALL: calltouch.token,
      CALLTOUCH_STATS_ALL: calltouch.statsToken,
      GOOGLE_SERVICE_ACCOUNT: account.json,
      GOOGLE_SHEETS_API_URL: google.url,
      GOOGLE_TOKEN_URL: `${google.url}/token`,
      CALLTOUCH_API_URL: calltouch.url,
      SYNC_TOKEN: "test-sync-token-0123456789abcdef",
      MAX_SUBREQUESTS_PER_RUN: "900",
    },
  });
  return {
    google,
    calltouch,
    worker,
    ids,
    async close() {
      await worker.dispose();
      await google.close();
      await calltouch.close();
    },
  };
}

/** Every clinic's run, each delivered to its own isolate, all at once. */
function consumeAtOnce(r: Rig) {
  return Promise.all(
    r.ids.map((id, i) => r.worker.deliver(i, [{ target: id, trigger: "cron" }])),
  );
}

/** The most Calltouch requests within any second (the emulator's window), from its records. */
function peakPerSecond(calltouch: CalltouchEmulator): number {
  return peakInWindow(calltouch.requests.map((r) => r.time), 1000);
}

Deno.test("Calltouch's 5 a second holds across three consumers in three isolates (RATE_GATE), the journal included", async () => {
  const r = await rig({ rateGate: true });
  try {
    const results = await consumeAtOnce(r);
    assert.ok(results.every((result) => result.outcome === "ok"));
    assert.equal(r.calltouch.deals.size, ISOLATES * DEALS, "every deal created");
    const journal = r.calltouch.requests.filter((req) => req.path.includes("orders-diary"));
    assert.ok(journal.length >= ISOLATES, "each run read the journal (no state yet)");
    assert.equal(r.calltouch.rateViolations, 0, `peak ${peakPerSecond(r.calltouch)} a second`);
    assert.ok(peakPerSecond(r.calltouch) <= 5);
    assert.ok(r.calltouch.requests.every((req) => req.status !== 429), "no 429 from Calltouch");
    assert.ok(
      !r.worker.logs.join("").includes("rate_gate.unavailable"),
      "the gate answered every ask",
    );
  } finally {
    await r.close();
  }
});

Deno.test("RATE_GATE holds 5 a second where Calltouch counts, though requests reach it up to 400 ms late", async () => {
  // Each request reaches the emulator 0–400 ms after it left (the network, a busy isolate): a
  // gate that counted a request from its start plus 1.1 s would let six arrive in one second.
  const r = await rig({ rateGate: true, transitMs: 400 });
  try {
    const results = await consumeAtOnce(r);
    assert.ok(results.every((result) => result.outcome === "ok"));
    assert.equal(r.calltouch.deals.size, ISOLATES * DEALS, "every deal created");
    assert.equal(r.calltouch.rateViolations, 0, `peak ${peakPerSecond(r.calltouch)} a second`);
    assert.ok(r.calltouch.requests.every((req) => req.status !== 429), "no 429 from Calltouch");
  } finally {
    await r.close();
  }
});

Deno.test("without RATE_GATE each isolate paces only itself: three consumers go past 5 a second (the measurement)", async () => {
  const r = await rig({ rateGate: false });
  try {
    await consumeAtOnce(r);
    assert.ok(
      r.calltouch.rateViolations > 0,
      `peak ${peakPerSecond(r.calltouch)} a second: the limit is per isolate only`,
    );
  } finally {
    await r.close();
  }
});

Deno.test("a run whose Calltouch project spent its daily points is acked, not retried into the refusal", async () => {
  const r = await rig({ rateGate: true, dailyPoints: 0 });
  try {
    const [result] = await Promise.all([
      r.worker.deliver(0, [{ target: r.ids[0], trigger: "cron" }]),
    ]);
    assert.equal(result.outcome, "ok");
    assert.deepEqual(result.retryMessages, [], "not retried (no dead letter tomorrow morning)");
    assert.equal(result.explicitAcks.length, 1);
    assert.equal(r.calltouch.requests.length, 1, "one refused journal read, nothing more");
    assert.ok(await r.worker.kv.get(restKey(r.calltouch.siteId), "json"), "the project rests");
    const again = await r.worker.deliver(1, [{ target: r.ids[1], trigger: "cron" }]);
    assert.deepEqual(again.retryMessages, []);
    assert.equal(r.calltouch.requests.length, 1, "another clinic of the project asks nothing");
  } finally {
    await r.close();
  }
});
