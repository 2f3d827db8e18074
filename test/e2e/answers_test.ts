/**
 * The sync against every answer form Calltouch might give (the emulator's switches), end to end
 * in workerd: after a lost KV state, with the deals already in Calltouch and some of them edited,
 * two runs leave every valid deal ✅ with Calltouch holding the sheet's latest data, each deal
 * created once, and a third run sends nothing.
 */
import assert from "node:assert/strict";
import { demoClinicRows } from "../../sheets/demo/typed_cells.ts";
import type { CellValue } from "../../src/deal.ts";
import type { CalltouchSwitches } from "../emulators/calltouch.ts";
import { DEMO_VALID_IDS } from "../support/demo_sheet.ts";
import { startRig } from "../support/e2e.ts";
import { cellOf } from "../support/columns.ts";

const DEMO_HEADER = (await demoClinicRows())[0];

const VARIANTS: [string, Partial<CalltouchSwitches>][] = [
  ["default (per-order errors, known words)", {}],
  ["per-order errors in arbitrary words", { wording: "arbitrary" }],
  ["errors as strings", { errorShape: "string" }],
  ["errors as one-entry arrays", { errorShape: "array" }],
  ["a failing status field without error", { errorShape: "status", wording: "arbitrary" }],
  ["success: false without error", { errorShape: "successFalse" }],
  ["results by order number, reversed", { resultShape: "byOrderNumber" }],
  ["whole-request 400", { refusal: 400 }],
  ["whole-request 404 (Calltouch's JSON)", { refusal: 404 }],
  ["whole-request 409", { refusal: 409, wording: "arbitrary" }],
  ["whole-request 422", { refusal: 422 }],
  ["2xx {data:{success:true}}", { answer: "successOnly" }],
  ["2xx with an empty body", { answer: "emptyBody" }],
  ["2xx with data: null", { answer: "dataNull" }],
  ["2xx without data.orders", { answer: "noOrders" }],
  ["2xx with data.orders: []", { answer: "ordersEmpty" }],
  ["2xx that is not JSON", { answer: "notJson" }],
  ["duplicate create is an upsert", { duplicateCreate: "upsert" }],
];

/** The demo rows padded to a fixed size: a status column and two spare rows, all empty. */
async function freshRows(): Promise<CellValue[][]> {
  const rows = await demoClinicRows();
  const width = rows[0].length + 1;
  const padded = rows.map((row) => [...row, ...Array(width - row.length).fill("")]);
  return [...padded, Array(width).fill(""), Array(width).fill("")];
}

Deno.test("every answer form: a lost state with deals in Calltouch converges in two runs", async (t) => {
  const rows = await freshRows();
  const rig = await startRig({ rows });
  const newRow = rows.length - 1; // 1-based row of the first spare row
  const whole = `A1:${String.fromCharCode(64 + rows[0].length)}${rows.length}`;
  try {
    for (const [name, switches] of VARIANTS) {
      await t.step(name, async () => {
        rig.calltouch.reset();
        rig.type(whole, rows);
        for (const key of (await rig.kvDump()).keys()) await rig.worker.kv.delete(key);
        const first = await rig.sync();
        assert.equal(first.body.counts.created, DEMO_VALID_IDS.length);

        // People edit three deals and add one; then the state is lost (a new KV namespace,
        // a restore) and Calltouch answers in this variant's form.
        rig.type(cellOf(DEMO_HEADER, "status", 2), [["Пришел"]]);
        rig.type(cellOf(DEMO_HEADER, "status", 3), [["Оплачено"]]);
        rig.type(cellOf(DEMO_HEADER, "revenue", 4), [[15000]]);
        rig.type(`A${newRow}:C${newRow}`, [["2001", "28.11.2026 12:00", "Запись"]]);
        for (const key of (await rig.kvDump()).keys()) await rig.worker.kv.delete(key);
        rig.calltouch.set(switches);

        const runs = [await rig.sync(), await rig.sync()];
        for (const run of runs) assert.equal(run.body.ok, true, JSON.stringify(run.body.error));
        for (const id of [...DEMO_VALID_IDS, "2001"]) {
          assert.match(rig.statusOf(id) ?? "", /^✅/, `${id}: ${rig.statusOf(id)}`);
        }
        const deals = rig.calltouch.deals;
        assert.equal(deals.size, DEMO_VALID_IDS.length + 1);
        assert.ok([...deals.values()].every((d) => d.createCount === 1), "each created once");
        assert.equal(deals.get("1001")?.fields.status, "Пришел");
        assert.equal(deals.get("1002")?.fields.status, "Оплачено");
        assert.equal(deals.get("1003")?.fields.revenue, "15000.00");
        assert.equal(deals.get("2001")?.fields.status, "Запись");

        const third = await rig.sync();
        assert.equal(third.body.requests.calltouch, 0, "a third run sends nothing");
      });
    }
  } finally {
    await rig.close();
  }
});
