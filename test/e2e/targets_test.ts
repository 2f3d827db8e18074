/**
 * Several targets in one deployment (`TARGETS`), end to end in workerd: two tabs of one sheet
 * going to two Calltouch projects, another sheet going to a third, and a sheet that is not
 * shared; run inline by the cron tick, and fanned out through a local Cloudflare queue.
 */
import assert from "node:assert/strict";
import type { CellValue } from "../../src/deal.ts";
import { DEAD_LETTERS_KEY } from "../../src/fan_out.ts";
import type { RunReport } from "../../src/sync/report.ts";
import { type CalltouchEmulator, startCalltouchEmulator } from "../emulators/calltouch.ts";
import { type GoogleEmulator, startGoogleEmulator } from "../emulators/google.ts";
import { testServiceAccount } from "../support/service_account.ts";
import { startWorker, type StartWorkerOptions, type TestWorker } from "../support/worker.ts";
import { withClose } from "../support/e2e.ts";

const SHEET_A = "1BranchesSheet_abcdefghijklmnopqrstuvwxyz0123";
const SHEET_B = "1OtherClinicSheet_abcdefghijklmnopqrstuvwxyz01";
const SHEET_C = "1NotSharedSheet_abcdefghijklmnopqrstuvwxyz0123";
const SYNC_TOKEN = "test-sync-token-0123456789abcdef";
const HEADER = ["ID сделки", "Дата сделки", "Статус", "Сумма"];

function deals(prefix: string, count: number): CellValue[][] {
  const rows: CellValue[][] = [HEADER];
  for (let i = 1; i <= count; i++) rows.push([`${prefix}${i}`, "20.11.2026 10:00", "Запись", i]);
  return rows;
}

interface Deployment {
  google: GoogleEmulator;
  calltouch: Record<"f1" | "f2" | "other", CalltouchEmulator>;
  worker: TestWorker;
  close(): Promise<void>;
}

async function deploy(
  options:
    & { rows?: Partial<Record<"f1" | "f2" | "other", number>>; f1?: object }
    & Pick<
      StartWorkerOptions,
      "queue"
    > = {},
): Promise<Deployment> {
  const account = await testServiceAccount();
  const google = await startGoogleEmulator();
  const calltouch = {
    f1: await startCalltouchEmulator({ siteId: "111", token: "token-f1" }),
    f2: await startCalltouchEmulator({ siteId: "222", token: "token-f2" }),
    other: await startCalltouchEmulator({ siteId: "333", token: "token-other" }),
  };
  const rows = { f1: 3, f2: 2, other: 4, ...options.rows };
  google.createSpreadsheet({
    spreadsheetId: SHEET_A,
    timeZone: "Europe/Moscow",
    sheets: [
      { title: "Филиал 1", values: deals("A", rows.f1) },
      { title: "Филиал 2", values: deals("B", rows.f2) },
    ],
    sharedWith: [account.clientEmail],
  });
  google.createSpreadsheet({
    spreadsheetId: SHEET_B,
    timeZone: "Europe/Moscow",
    sheets: [{ title: "Сделки", values: deals("C", rows.other) }],
    sharedWith: [account.clientEmail],
  });
  google.createSpreadsheet({
    spreadsheetId: SHEET_C,
    timeZone: "Europe/Moscow",
    sheets: [{ title: "Сделки", values: deals("D", 1) }],
    sharedWith: [],
  });
  const target = (id: string, spreadsheet: string, tab: string, ct: CalltouchEmulator) => ({
    id,
    spreadsheet,
    tab,
    calltouchSiteId: ct.siteId,
    calltouchTokenSecret: `CALLTOUCH_TOKEN_${id.toUpperCase()}`,
    CALLTOUCH_API_URL: ct.url,
  });
  const targets = [
    { ...target("f1", SHEET_A, "Филиал 1", calltouch.f1), ...options.f1 },
    target("f2", SHEET_A, "Филиал 2", calltouch.f2),
    target("other", SHEET_B, "Сделки", calltouch.other),
    target("closed", SHEET_C, "Сделки", calltouch.other),
    // Its secret is never set: left out, listed, the others run.
    target("broken", SHEET_B, "Другой лист", calltouch.other),
  ];
  const worker = await startWorker({
    bindings: {
      TARGETS: JSON.stringify(targets),
      CALLTOUCH_TOKEN_F1: "token-f1",
      CALLTOUCH_TOKEN_F2: "token-f2",
      CALLTOUCH_TOKEN_OTHER: "token-other",
      CALLTOUCH_TOKEN_CLOSED: "token-other",
      GOOGLE_SERVICE_ACCOUNT: account.json,
      GOOGLE_SHEETS_API_URL: google.url,
      GOOGLE_TOKEN_URL: `${google.url}/token`,
      SYNC_TOKEN,
      SYNC_TIME_BUDGET_SECONDS: "20",
    },
    queue: options.queue,
  });
  return withClose({ google, calltouch, worker });
}

const auth = { Authorization: `Bearer ${SYNC_TOKEN}` };

function statusColumn(google: GoogleEmulator, spreadsheetId: string, tab: string): string[] {
  const values = google.values(spreadsheetId, `'${tab}'`);
  const column = values[0].indexOf("Calltouch");
  return values.slice(1).map((row) => String(row[column] ?? ""));
}

/** Runs of every target, newest first, read from the Worker's KV. */
async function histories(worker: TestWorker): Promise<Map<string, RunReport[]>> {
  const byPrefix = new Map<string, RunReport[]>();
  let cursor: string | undefined;
  for (let page = 0; page < 10; page++) {
    const listed = await worker.kv.list({ prefix: "v2:", cursor });
    for (const { name } of listed.keys) {
      if (!name.endsWith(":runs")) continue;
      byPrefix.set(name, (await worker.kv.get<RunReport[]>(name, "json")) ?? []);
    }
    if (listed.list_complete) break;
    cursor = listed.cursor;
  }
  return byPrefix;
}

/** Waits (at most `seconds`) until `done()` holds. */
async function until(done: () => Promise<boolean> | boolean, seconds: number): Promise<void> {
  const end = Date.now() + seconds * 1000;
  while (!(await done())) {
    if (Date.now() > end) throw new Error(`not done within ${seconds} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

Deno.test("TARGETS inline: each target reaches its own project; an unshared sheet fails alone", async () => {
  const d = await deploy();
  try {
    const answer = await d.worker.fetch("/sync", { method: "POST", headers: auth });
    const body = await answer.json();
    assert.equal(answer.status, 207, JSON.stringify(body));
    const outcome = Object.fromEntries(
      body.reports.map((r: { target: string; report: RunReport }) => [r.target, r.report]),
    );
    assert.deepEqual(Object.keys(outcome), ["f1", "f2", "other", "closed"]);
    assert.equal(outcome.f1.counts.created, 3);
    assert.equal(outcome.f2.counts.created, 2);
    assert.equal(outcome.other.counts.created, 4);
    assert.equal(outcome.closed.ok, false);
    assert.match(outcome.closed.error.message, /Нет доступа к таблице/);
    assert.deepEqual([...d.calltouch.f1.deals.keys()].sort(), ["A1", "A2", "A3"]);
    assert.deepEqual([...d.calltouch.f2.deals.keys()].sort(), ["B1", "B2"]);
    assert.deepEqual([...d.calltouch.other.deals.keys()].sort(), ["C1", "C2", "C3", "C4"]);
    for (
      const [sheet, tab] of [[SHEET_A, "Филиал 1"], [SHEET_A, "Филиал 2"], [SHEET_B, "Сделки"]]
    ) {
      assert.ok(statusColumn(d.google, sheet, tab).every((cell) => cell.startsWith("✅")), tab);
    }

    // One target by id, and by the sheet's own menu (spreadsheet + tab).
    d.google.setValues(SHEET_A, "'Филиал 2'!C2", [["Пришел"]]);
    const one = await d.worker.fetch("/sync?target=f2", { method: "POST", headers: auth });
    assert.equal(one.status, 200);
    assert.equal((await one.json()).counts.updated, 1);
    const menu = await d.worker.fetch(
      `/sync?spreadsheet=${SHEET_A}&tab=${encodeURIComponent("Филиал 1")}`,
      { method: "POST", headers: auth },
    );
    assert.equal(menu.status, 200);
    assert.equal((await menu.json()).counts.unchanged, 3);
    const unknown = await d.worker.fetch("/sync?target=nope", { method: "POST", headers: auth });
    assert.equal(unknown.status, 404);
    assert.match(body.problems.join("\n"), /TARGETS "broken": the secret CALLTOUCH_TOKEN_BROKEN/);
    const brokenPanel = await d.worker.fetch("/?target=broken", {
      headers: { Authorization: `Basic ${btoa(`admin:${SYNC_TOKEN}`)}` },
    });
    assert.equal(brokenPanel.status, 500);
    assert.match(await brokenPanel.text(), /CALLTOUCH_TOKEN_BROKEN/, "its panel says what to fix");

    // The status page lists every target, the failing one with its message.
    const page = await d.worker.fetch("/", {
      headers: { Authorization: `Basic ${btoa(`admin:${SYNC_TOKEN}`)}` },
    });
    const html = await page.text();
    for (const id of ["f1", "f2", "other", "closed"]) {
      assert.match(html, new RegExp(`target-${id}`));
    }
    assert.match(html, /Нет доступа к таблице/);
    const f1Page = await d.worker.fetch("/?target=f1", {
      headers: { Authorization: `Basic ${btoa(`admin:${SYNC_TOKEN}`)}` },
    });
    assert.match(await f1Page.text(), /action="\/actions\/sync\?target=f1"/);

    // The cron tick runs them all and fails visibly for the one that cannot run.
    const tick = await d.worker.scheduled();
    assert.equal(tick.outcome, "exception");
    assert.equal(d.calltouch.f1.deals.get("A1")?.createCount, 1);
  } finally {
    await d.close();
  }
});

Deno.test("TARGETS with a queue: fan-out, continuation past the budget, no overlap, dead letters", async () => {
  // f1 has 250 deals and a budget of 8 requests: one Calltouch request per run, so its first
  // sync continues through the queue until every deal is created, each once.
  const d = await deploy({
    rows: { f1: 250 },
    f1: { MAX_SUBREQUESTS_PER_RUN: "8" },
    queue: { maxRetries: 1, retryDelaySeconds: 0 },
  });
  try {
    const tick = await d.worker.scheduled();
    // The tick only enqueues, and fails visibly for the target it cannot run ("broken").
    assert.equal(tick.outcome, "exception");
    await until(() => d.calltouch.f1.deals.size === 250 && d.calltouch.other.deals.size === 4, 60);
    await until(async () => (await d.worker.kv.get(DEAD_LETTERS_KEY, "json")) !== null, 60);
    assert.equal(d.calltouch.f2.deals.size, 2);
    assert.ok([...d.calltouch.f1.deals.values()].every((deal) => deal.createCount === 1));
    await until(
      () => statusColumn(d.google, SHEET_A, "Филиал 1").every((cell) => cell.startsWith("✅")),
      30,
    );
    const f1Runs = [...(await histories(d.worker)).values()].find((runs) =>
      runs.some((run) => run.counts.created > 0 && run.stopped === "budget")
    );
    assert.ok(f1Runs, "f1's first run stopped at its budget");
    assert.ok(
      f1Runs.filter((run) => run.counts.created > 0).length >= 2,
      "and continuations created the rest",
    );
    const letters = await d.worker.kv.get<{ target: string }[]>(DEAD_LETTERS_KEY, "json");
    assert.deepEqual(letters?.map((letter) => letter.target), ["closed"]);
    const closedPage = await d.worker.fetch("/?target=closed", {
      headers: { Authorization: `Basic ${btoa(`admin:${SYNC_TOKEN}`)}` },
    });
    assert.match(await closedPage.text(), /id="dead-letters"/);

    // A cron tick and a manual sync of the same target: never side by side.
    d.calltouch.f2.set({ delayMs: 400 });
    d.google.setValues(SHEET_A, "'Филиал 2'!C2:C3", [["Пришел"], ["Пришел"]]);
    const [manual] = await Promise.all([
      d.worker.fetch("/sync?target=f2", { method: "POST", headers: auth }),
      d.worker.scheduled(),
    ]);
    assert.ok([200, 409].includes(manual.status));
    await until(() => d.calltouch.f2.deals.get("B2")?.fields.status === "Пришел", 30);
    await until(async () => {
      const runs = [...(await histories(d.worker)).values()].find((list) =>
        list.some((run) => run.counts.updated > 0 && run.trigger === "manual") ||
        list.some((run) => run.counts.updated > 0)
      );
      return runs !== undefined;
    }, 30);
    for (const runs of (await histories(d.worker)).values()) {
      const spans = runs.map((
        run,
      ) => [Date.parse(run.startedAt), Date.parse(run.startedAt) + run.durationMs])
        .sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < spans.length; i++) {
        assert.ok(spans[i][0] >= spans[i - 1][1], "runs of one target do not overlap");
      }
    }
  } finally {
    await d.close();
  }
});
