/**
 * Deals in doubt looked up in Calltouch's deals journal (CALLTOUCH_STATS_TOKEN), end to end in
 * workerd: a request that landed although its answer was lost is accepted without sending it
 * again; one the journal cannot prove landed is sent again, as without the journal.
 */
import assert from "node:assert/strict";
import type { CellValue } from "../../src/deal.ts";
import { EMULATOR_STATS_TOKEN } from "../emulators/calltouch.ts";
import { type Rig, startRig } from "../support/e2e.ts";
import { cellOf } from "../support/columns.ts";

const ROWS: CellValue[][] = [
  ["ID сделки", "Дата сделки", "Статус", "Сумма", "Телефон", "Менеджер"],
  ["D1", "20.11.2026 10:00", "Запись", 3500, "+7 916 111-22-33", "Иванова"],
  ["D2", "21.11.2026 11:00", "Запись", 4000, "+7 916 222-33-44", "Петрова"],
];

/** Orders sent (create and update requests) since request `from`. */
function ordersSince(rig: Rig, from: number): number {
  return rig.calltouch.requests.slice(from)
    .filter((request) => request.method === "POST")
    .reduce((sum, request) => sum + (request.body as { orders: unknown[] }).orders.length, 0);
}

const journalReads = (rig: Rig) =>
  rig.calltouch.requests.filter((r) => r.path.endsWith("/orders-diary/orders")).length;

/** The next request is applied by Calltouch, but every answer the run waits for is lost. */
function loseTheAnswer(rig: Rig): void {
  // A 4 s budget leaves room for 3 attempts (0, 0.5 s, 1.5 s): each applied, each answered 502.
  rig.calltouch.applyThenFail(3, 502);
}

function start(settings: Record<string, string> = {}) {
  return startRig({
    rows: ROWS,
    settings: {
      CALLTOUCH_STATS_TOKEN: EMULATOR_STATS_TOKEN,
      SYNC_TIME_BUDGET_SECONDS: "4",
      ...settings,
    },
  });
}

Deno.test("an in-doubt deal whose request landed is not sent again", async (t) => {
  const rig = await start();
  try {
    await t.step(
      "creates: the journal shows them, so they are created as of the lost answer",
      async () => {
        loseTheAnswer(rig);
        const lost = await rig.sync();
        assert.deepEqual(lost.body.lookUp, { found: 0 });
        assert.equal(lost.body.counts.retrying, 2);
        const from = rig.calltouch.requests.length;
        const next = await rig.sync();
        assert.deepEqual(next.body.landed, { landed: 2 });
        assert.equal(ordersSince(rig, from), 0, "nothing sent again");
        assert.match(rig.statusOf("D1") ?? "", /^✅ создана/);
        assert.match(rig.statusOf("D2") ?? "", /^✅ создана/);
        assert.equal(rig.calltouch.deals.get("D1")?.createCount, 1);
        const quiet = await rig.sync();
        assert.equal(quiet.body.requests.calltouch, 0, "then a quiet run costs nothing");
      },
    );

    await t.step("an update that changes the status: shown, so not sent again", async () => {
      rig.type(cellOf(ROWS[0], "status", 2), [["Пришел"]]);
      rig.type(cellOf(ROWS[0], "manager", 2), [["Сидорова"]]);
      loseTheAnswer(rig);
      const lost = await rig.sync();
      assert.equal(lost.body.counts.retrying, 1);
      const from = rig.calltouch.requests.length;
      const next = await rig.sync();
      assert.deepEqual(next.body.landed, { landed: 1 });
      assert.equal(ordersSince(rig, from), 0);
      assert.match(rig.statusOf("D1") ?? "", /^✅ обновлена/);
      assert.equal(rig.calltouch.deals.get("D1")?.fields.manager, "Сидорова");
    });

    await t.step(
      "a request that did not land: the journal shows the old status, so it is sent",
      async () => {
        rig.type(cellOf(ROWS[0], "status", 2), [["Оплачено"]]);
        rig.calltouch.failNext(3, 503); // never applied
        const lost = await rig.sync();
        assert.equal(lost.body.counts.retrying, 1);
        const from = rig.calltouch.requests.length;
        const next = await rig.sync();
        assert.deepEqual(next.body.landed, { landed: 0 });
        assert.equal(ordersSince(rig, from), 1);
        assert.equal(rig.calltouch.deals.get("D1")?.fields.status, "Оплачено");
        assert.match(rig.statusOf("D1") ?? "", /^✅ обновлена/);
      },
    );

    await t.step(
      "an update the journal cannot tell (same status): sent again, no look-up",
      async () => {
        rig.type(cellOf(ROWS[0], "manager", 2), [["Кузнецова"]]);
        loseTheAnswer(rig);
        await rig.sync();
        const from = rig.calltouch.requests.length;
        const reads = journalReads(rig);
        const next = await rig.sync();
        assert.equal(next.body.landed, undefined);
        assert.equal(journalReads(rig), reads, "the journal is not read");
        assert.equal(ordersSince(rig, from), 1);
        assert.equal(rig.calltouch.deals.get("D1")?.fields.manager, "Кузнецова");
      },
    );

    await t.step(
      "the row changed again while in doubt: either version may have landed, so sent",
      async () => {
        rig.type(cellOf(ROWS[0], "status", 2), [["Визит"]]);
        loseTheAnswer(rig);
        await rig.sync();
        rig.type(cellOf(ROWS[0], "manager", 2), [["Орлова"]]); // same status, another manager: the journal cannot tell
        const from = rig.calltouch.requests.length;
        const next = await rig.sync();
        assert.equal(next.body.landed, undefined);
        assert.equal(ordersSince(rig, from), 1);
        assert.equal(rig.calltouch.deals.get("D1")?.fields.manager, "Орлова");
        assert.match(rig.statusOf("D1") ?? "", /^✅ обновлена/);
      },
    );
  } finally {
    await rig.close();
  }
});

Deno.test("a landed update's custom fields and tags are known to Calltouch: the next update leaves them out", async () => {
  const rows: CellValue[][] = [
    ["ID сделки", "Дата сделки", "Статус", "Сумма", "Врач", "Теги"],
    ["D1", "20.11.2026 10:00", "Запись", 3500, "Иванова", "МРТ"],
  ];
  const rig = await startRig({
    rows,
    settings: {
      CALLTOUCH_STATS_TOKEN: EMULATOR_STATS_TOKEN,
      SYNC_TIME_BUDGET_SECONDS: "4",
      CUSTOM_FIELDS: "Врач=doctor",
    },
  });
  try {
    await rig.sync();
    // Status, doctor and tags change; the update lands but its answer is lost: what it carried
    // is unknown until the journal shows it landed.
    rig.type(cellOf(rows[0], "status", 2), [["Пришел"]]);
    rig.type("E2:F2", [["Петрова", "МРТ, КТ"]]);
    loseTheAnswer(rig);
    await rig.sync();
    const landed = await rig.sync();
    assert.deepEqual(landed.body.landed, { landed: 1 });
    // Only the status changes now: the update carries the status, not the custom fields or the
    // tags again.
    rig.type(cellOf(rows[0], "status", 2), [["Оплачено"]]);
    const from = rig.calltouch.requests.length;
    const next = await rig.sync();
    assert.equal(next.body.counts.updated, 1);
    const [update] = rig.calltouch.requests.slice(from).filter((r) => r.method === "POST");
    const order = (update.body as { orders: Record<string, unknown>[] }).orders[0];
    assert.equal(order.customFields, undefined, JSON.stringify(order));
    assert.equal(order.addTags, undefined, JSON.stringify(order));
  } finally {
    await rig.close();
  }
});

Deno.test("in doubt, a journal that cannot be read: sent again, as without it", async () => {
  const rig = await start();
  try {
    await rig.sync();
    rig.type(cellOf(ROWS[0], "status", 2), [["Пришел"]]);
    loseTheAnswer(rig);
    await rig.sync();
    rig.calltouch.failJournal(10, 503);
    const from = rig.calltouch.requests.length;
    const next = await rig.sync();
    assert.match((next.body.landed as { error?: string })?.error ?? "", /503/);
    assert.equal(ordersSince(rig, from), 1);
    assert.match(rig.statusOf("D1") ?? "", /^✅ обновлена/);
  } finally {
    await rig.close();
  }
});
