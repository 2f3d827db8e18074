/**
 * The failure semantics (docs/failure-semantics.md), end to end in workerd: outages, crashes
 * between Calltouch and KV, wiped state, concurrent runs, people editing the sheet mid-run, a
 * sheet not shared.
 */
import assert from "node:assert/strict";
import type { CellValue } from "../../src/deal.ts";
import { type Rig, SPREADSHEET_ID, startRig, TAB } from "../support/e2e.ts";
import { cellOf } from "../support/columns.ts";

const HEADER = ["ID сделки", "Дата сделки", "Статус", "Сумма", "Телефон"];

/** `count` valid deals D1…Dn with distinct phones. */
function deals(count: number): CellValue[][] {
  const rows: CellValue[][] = [HEADER];
  for (let i = 1; i <= count; i++) {
    const phone = `+7 916 ${String(1_000_000 + i).slice(1, 4)}-${
      String(i % 100).padStart(2, "0")
    }-11`;
    rows.push([`D${i}`, `2${i % 9 + 1}.11.2026 10:00`, "Запись", 1000 + i, phone]);
  }
  return rows;
}

function createCounts(rig: Rig): number[] {
  return [...rig.calltouch.deals.values()].map((deal) => deal.createCount);
}

function statuses(rig: Rig): string[] {
  const cells = rig.cells();
  const column = cells[0].indexOf("Calltouch");
  return cells.slice(1).map((row) => String(row[column] ?? ""));
}

Deno.test("250 new deals: 3 create requests, rate limit kept, one status write", async () => {
  const rig = await startRig({ rows: deals(250) });
  try {
    const writesBefore = rig.google.counters().valuesWrite;
    const { body } = await rig.sync();
    assert.equal(body.counts.created, 250);
    const sizes = rig.calltouch.requests.map((r) =>
      (r.body as { orders: unknown[] }).orders.length
    );
    assert.deepEqual(sizes, [100, 100, 50]);
    assert.equal(rig.calltouch.rateViolations, 0);
    assert.equal(rig.google.counters().valuesWrite - writesBefore, 1);
    assert.ok(statuses(rig).every((s) => s.startsWith("✅")));
  } finally {
    await rig.close();
  }
});

Deno.test("Calltouch down: rows show ⏳, and the next run creates everything", async () => {
  const rig = await startRig({ rows: deals(5), settings: { SYNC_TIME_BUDGET_SECONDS: "4" } });
  try {
    rig.calltouch.failNext(1000, 503);
    const first = await rig.sync();
    assert.equal(first.status, 200);
    assert.equal(first.body.counts.retrying, 5);
    assert.equal(first.body.counts.created, 0);
    assert.ok(statuses(rig).every((s) => s.startsWith("⏳")), statuses(rig).join("\n"));
    assert.equal(rig.calltouch.deals.size, 0);

    rig.calltouch.reset();
    const second = await rig.sync();
    assert.equal(second.body.counts.created, 5);
    assert.ok(statuses(rig).every((s) => s.startsWith("✅ создана")));
  } finally {
    await rig.close();
  }
});

for (const mode of ["error", "upsert"] as const) {
  Deno.test(`applied-then-502 and wiped KV converge, each deal created once (duplicates: ${mode})`, async () => {
    const rig = await startRig({ rows: deals(120) });
    try {
      rig.calltouch.duplicateCreate = mode;
      // The first batch lands in Calltouch but the answer is lost.
      rig.calltouch.applyThenFail(1, 502);
      const first = await rig.sync();
      assert.equal(first.body.ok, true);
      assert.equal(rig.calltouch.deals.size, 120);
      assert.ok(createCounts(rig).every((n) => n === 1));
      assert.ok(statuses(rig).every((s) => s.startsWith("✅")));

      // Every bit of state lost (a new KV namespace, a crash before any KV write…).
      for (const key of (await rig.kvDump()).keys()) await rig.worker.kv.delete(key);
      const second = await rig.sync();
      assert.equal(second.body.ok, true);
      assert.equal(second.body.counts.failed, 0);
      assert.equal(rig.calltouch.deals.size, 120);
      assert.ok(createCounts(rig).every((n) => n === 1), "no deal was created twice");

      const third = await rig.sync();
      assert.equal(third.body.counts.unchanged, 120, "state converged");
      assert.equal(third.body.requests.calltouch, 0);
    } finally {
      await rig.close();
    }
  });
}

Deno.test("rows inserted and sorted while the run talks to Calltouch: statuses land on their own rows", async () => {
  const rows = deals(6);
  rows[4][2] = ""; // D4 has no status: a problem row
  const rig = await startRig({ rows });
  try {
    // The first values read is the sync's read of the tab; the second is the ID column just
    // before writing. In between, someone sorts the deals and inserts rows at the top.
    rig.google.beforeNext("valuesRead", () => {
      rig.google.beforeNext("valuesRead", (google) => {
        google.sortRows(SPREADSHEET_ID, TAB, { column: 4, descending: true });
        google.insertRows(SPREADSHEET_ID, TAB, 2, 2);
        google.setValues(SPREADSHEET_ID, `'${TAB}'!A2:C3`, [
          ["N1", "28.11.2026 09:00", "Запись"],
          ["N2", "28.11.2026 09:30", "Запись"],
        ]);
      });
    });
    const { body } = await rig.sync();
    assert.equal(body.counts.created, 5);
    for (const id of ["D1", "D2", "D3", "D5", "D6"]) {
      assert.match(rig.statusOf(id) ?? "", /^✅ создана/, id);
    }
    assert.match(rig.statusOf("D4") ?? "", /^❌ .*статус/);
    assert.equal(rig.statusOf("N1"), undefined, "new rows get nothing until the next run");
    assert.equal(rig.statusOf("N2"), undefined);

    const next = await rig.sync();
    assert.equal(next.body.counts.created, 2);
    assert.match(rig.statusOf("N1") ?? "", /^✅/);
  } finally {
    await rig.close();
  }
});

Deno.test("a cron tick and two manual triggers at once create no deal twice", async () => {
  const rig = await startRig({ rows: deals(30) });
  try {
    const [cron, a, b] = await Promise.all([rig.worker.scheduled(), rig.sync(), rig.sync()]);
    assert.equal(cron.outcome, "ok");
    assert.equal(a.body.ok && b.body.ok, true);
    assert.equal(rig.calltouch.deals.size, 30);
    assert.ok(createCounts(rig).every((n) => n === 1));
    assert.ok(statuses(rig).every((s) => s.startsWith("✅")));
  } finally {
    await rig.close();
  }
});

Deno.test("a sheet not shared with the service account: the answer names the e-mail, nothing is sent", async () => {
  const rig = await startRig({ rows: deals(3), shared: false });
  try {
    const { status, body } = await rig.sync();
    assert.equal(status, 502);
    assert.equal(body.ok, false);
    assert.equal(body.error.kind, "google");
    assert.match(body.error.message, /sync-bot@clinic-demo\.iam\.gserviceaccount\.com/);
    assert.equal(rig.calltouch.requests.length, 0);
    const cron = await rig.worker.scheduled();
    assert.equal(cron.outcome, "exception", "the cron invocation fails visibly");
  } finally {
    await rig.close();
  }
});

Deno.test("a permanent refusal is held until the row changes", async () => {
  const rig = await startRig({ rows: deals(3) });
  try {
    rig.calltouch.rejectOrder("D2", "Неизвестный статус сделки");
    const first = await rig.sync();
    assert.equal(first.body.counts.created, 2);
    assert.equal(first.body.counts.failed, 1);
    assert.match(rig.statusOf("D2")!, /^❌ Calltouch не принял сделку: .*Неизвестный статус/);

    const second = await rig.sync();
    assert.equal(second.body.counts.held, 1);
    assert.equal(second.body.requests.calltouch, 0, "held: not retried");

    rig.type(cellOf(HEADER, "status", 3), [["Визит"]]);
    rig.calltouch.reset();
    const third = await rig.sync();
    assert.equal(third.body.counts.created, 1);
    assert.match(rig.statusOf("D2")!, /^✅ создана/);
  } finally {
    await rig.close();
  }
});

Deno.test("what does not fit in the time budget is marked ⏳ and sent by the next run", async () => {
  const rig = await startRig({ rows: deals(250), settings: { SYNC_TIME_BUDGET_SECONDS: "4" } });
  try {
    rig.calltouch.delayMs = 1500; // a slow Calltouch: only some batches fit in this run
    const first = await rig.sync();
    assert.equal(first.body.ok, true);
    assert.ok(first.body.counts.created >= 100 && first.body.counts.created < 250);
    assert.equal(first.body.counts.retrying, 250 - first.body.counts.created);
    const waiting = statuses(rig).filter((s) => s.startsWith("⏳ не успели отправить"));
    assert.equal(waiting.length, first.body.counts.retrying);

    rig.calltouch.delayMs = 0;
    const second = await rig.sync();
    assert.equal(second.body.counts.created, first.body.counts.retrying);
    assert.ok(statuses(rig).every((s) => s.startsWith("✅ создана")));
    assert.ok(createCounts(rig).every((n) => n === 1));
  } finally {
    await rig.close();
  }
});

/** Every outbound request of a run: Google's and Calltouch's. */
function outbound(requests: Record<string, number>): number {
  const { sheetsRead, sheetsMetadata, sheetsWrite, token, calltouch } = requests;
  return sheetsRead + sheetsMetadata + sheetsWrite + token + calltouch;
}

Deno.test("a big first sync is spread over runs by MAX_SUBREQUESTS_PER_RUN", async () => {
  const rig = await startRig({
    rows: deals(250),
    settings: { MAX_SUBREQUESTS_PER_RUN: "8" },
  });
  try {
    const first = await rig.sync();
    assert.equal(first.body.ok, true);
    // Token, metadata and the tab (3), Calltouch (2), then the write-back it kept (2).
    assert.equal(first.body.requests.calltouch, 2);
    assert.ok(outbound(first.body.requests) <= 8);
    assert.equal(first.body.stopped, "budget");
    assert.equal(first.body.counts.created, 200);
    assert.equal(first.body.counts.retrying, 50);
    assert.equal(statuses(rig).filter((s) => s.startsWith("⏳ не уместилась")).length, 50);

    const second = await rig.sync();
    assert.equal(second.body.requests.calltouch, 1);
    assert.equal(second.body.counts.created, 50);
    assert.ok(statuses(rig).every((s) => s.startsWith("✅ создана")));
  } finally {
    await rig.close();
  }
});

Deno.test("retries and splits never pass MAX_SUBREQUESTS_PER_RUN, and every status is written", async () => {
  const rig = await startRig({
    rows: deals(30),
    settings: { MAX_SUBREQUESTS_PER_RUN: "10", SYNC_TIME_BUDGET_SECONDS: "8" },
  });
  try {
    // A batch with D5 in it is refused whole (so it is split), after two 503s (retried).
    rig.calltouch.set({ refusal: 400 });
    rig.calltouch.rejectOrder("D5", "Недопустимый статус");
    rig.calltouch.failNext(2, 503);
    const runs = [];
    for (let i = 0; i < 8; i++) {
      const { body } = await rig.sync();
      runs.push(body);
      assert.ok(outbound(body.requests) <= 10, JSON.stringify(body.requests));
      assert.ok(statuses(rig).every((s) => /^[✅❌⏳]/u.test(s)), "every row has its status");
      if (body.counts.retrying === 0) break;
    }
    assert.equal(runs[0].stopped, "budget");
    const last = runs[runs.length - 1];
    assert.equal(last.counts.retrying, 0, "done within a few runs");
    assert.match(rig.statusOf("D5") ?? "", /^❌ Calltouch не принял сделку: .*Недопустимый статус/);
    assert.equal(rig.calltouch.deals.size, 29);
    assert.ok(createCounts(rig).every((n) => n === 1));
  } finally {
    await rig.close();
  }
});
