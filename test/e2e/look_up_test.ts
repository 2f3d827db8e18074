/**
 * After a lost state, Calltouch's deals journal (CALLTOUCH_STATS_TOKEN) tells which deals exist,
 * so each is sent as an update the first time: no create refused as "already exists".
 */
import assert from "node:assert/strict";
import type { CellValue } from "../../src/deal.ts";
import { EMULATOR_STATS_TOKEN } from "../emulators/calltouch.ts";
import { type Rig, startRig } from "../support/e2e.ts";
import { cellOf } from "../support/columns.ts";

const LOOK_UP_HEADER: CellValue[] = ["ID сделки", "Дата сделки", "Статус", "Сумма"];

function deals(count: number): CellValue[][] {
  const rows: CellValue[][] = [["ID сделки", "Дата сделки", "Статус", "Сумма"]];
  for (let i = 1; i <= count; i++) rows.push([`L${i}`, `2${i % 9 + 1}.11.2026 10:00`, "Запись", i]);
  return rows;
}

/** Orders sent per method since request `from` (every deal exists: each create is refused). */
function sentSince(rig: Rig, from: number) {
  const count = { create: 0, update: 0 };
  for (const request of rig.calltouch.requests.slice(from)) {
    if (request.method !== "POST") continue;
    const orders = (request.body as { orders: unknown[] }).orders.length;
    count[request.path.endsWith("/create") ? "create" : "update"] += orders;
  }
  return count;
}

async function wipeState(rig: Rig): Promise<void> {
  for (const key of (await rig.kvDump()).keys()) await rig.worker.kv.delete(key);
}

Deno.test("a lost state with the journal: every existing deal is updated, none refused", async () => {
  const rig = await startRig({
    rows: deals(120),
    settings: { CALLTOUCH_STATS_TOKEN: EMULATOR_STATS_TOKEN },
  });
  try {
    const first = await rig.sync();
    assert.deepEqual(first.body.lookUp, { found: 0 }, "a new deployment looks first");
    assert.equal(first.body.counts.created, 120);

    rig.type(cellOf(LOOK_UP_HEADER, "status", 2), [["Пришел"]]);
    await wipeState(rig);
    const from = rig.calltouch.requests.length;
    const second = await rig.sync();
    assert.deepEqual(second.body.lookUp, { found: 120 });
    assert.deepEqual(sentSince(rig, from), { create: 0, update: 120 });
    assert.equal(second.body.counts.updated, 120);
    assert.equal(rig.calltouch.deals.get("L1")?.fields.status, "Пришел");
    assert.ok([...rig.calltouch.deals.values()].every((deal) => deal.createCount === 1));
    const third = await rig.sync();
    assert.equal(third.body.lookUp, undefined, "with state, nothing is looked up");
    assert.equal(third.body.requests.calltouch, 0);
  } finally {
    await rig.close();
  }
});

Deno.test("a lost state without the journal: the same end, through 120 refused creates", async () => {
  const rig = await startRig({ rows: deals(120) });
  try {
    await rig.sync();
    await wipeState(rig);
    const from = rig.calltouch.requests.length;
    const second = await rig.sync();
    assert.equal(second.body.lookUp, undefined);
    assert.deepEqual(sentSince(rig, from), { create: 120, update: 120 });
    assert.equal(second.body.counts.updated, 120);
  } finally {
    await rig.close();
  }
});

Deno.test("a journal that cannot be read does not stop the sync (the fallbacks heal)", async () => {
  const rig = await startRig({
    rows: deals(5),
    settings: { CALLTOUCH_STATS_TOKEN: "wrong-token" },
  });
  try {
    const first = await rig.sync();
    assert.match(first.body.lookUp?.error ?? "", /токен статистики \(HTTP 401\)/);
    assert.equal(first.body.counts.created, 5);
    assert.ok(!JSON.stringify(first.body).includes("wrong-token"));
    assert.ok(!rig.worker.logs.join("\n").includes("wrong-token"));
  } finally {
    await rig.close();
  }
});
