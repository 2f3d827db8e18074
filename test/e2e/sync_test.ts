/**
 * The sync end to end in the real runtime: the Worker in workerd with real local KV, Google and
 * Calltouch played by the emulators over HTTP.
 */
import assert from "node:assert/strict";
import { demoClinicRows, parseCsv } from "../../sheets/demo/typed_cells.ts";
import { startRig } from "../support/e2e.ts";
import {
  DEMO_INVALID_ROWS as INVALID_ROWS,
  DEMO_VALID_IDS as VALID,
} from "../support/demo_sheet.ts";
import { cellOf } from "../support/columns.ts";

const DEMO_HEADER = (await demoClinicRows())[0];

function createdOrders(rig: Awaited<ReturnType<typeof startRig>>, path = "create"): string[][] {
  return rig.calltouch.requests
    .filter((r) => r.path.endsWith(`/client-order/${path}`) && r.status === 200)
    .map((r) => (r.body as { orders: { orderNumber: string }[] }).orders.map((o) => o.orderNumber));
}

Deno.test("sync in workerd: a clinic's sheet from first run to edits", async (t) => {
  const rig = await startRig({ rows: await demoClinicRows() });
  try {
    await t.step("the first sync creates exactly the valid deals in one request", async () => {
      const { status, body } = await rig.sync();
      assert.equal(status, 200);
      assert.equal(body.ok, true);
      assert.deepEqual(createdOrders(rig), [VALID]);
      assert.deepEqual(body.counts, {
        rows: 20,
        created: 11,
        updated: 0,
        unchanged: 0,
        held: 0,
        invalid: 9,
        failed: 0,
        retrying: 0,
      });
      assert.equal(body.requests.calltouch, 1);
      assert.equal(body.requests.sheetsWrite, 1);
      assert.equal(body.requests.sheetsRead, 2, "the tab, then the ID column");
    });

    await t.step("…and marks every row: ✅ for deals, ❌ with the reason for mistakes", () => {
      const cells = rig.cells();
      const status = cells[0].length - 1;
      assert.equal(cells[0][status], "Calltouch");
      cells.forEach((row, i) => {
        const sheetRow = i + 1;
        if (sheetRow === 1) return;
        if (sheetRow === 9) return assert.equal(row[status], undefined, "blank rows stay blank");
        const text = String(row[status]);
        if (INVALID_ROWS.includes(sheetRow)) assert.match(text, /^❌ /, `row ${sheetRow}`);
        else assert.match(text, /^✅ создана \d\d\.\d\d\.\d{4} \d\d:\d\d$/, `row ${sheetRow}`);
      });
      assert.match(rig.statusOf(1005)!, /нет такой даты «31\.02\.2026 09:00»/);
      assert.match(rig.statusOf(1008)!, /номер «12\*\*\*»/);
    });

    await t.step(
      "a second sync with no changes: no Calltouch call, no sheet write, one KV write (the quiet record)",
      async () => {
        const calltouchBefore = rig.calltouch.requests.length;
        const writesBefore = rig.google.counters().writes;
        const { status, body } = await rig.sync();
        assert.equal(status, 200);
        assert.equal(body.quiet, undefined, "the first run after a change is a full one");
        assert.deepEqual(
          [body.requests.calltouch, body.requests.sheetsWrite, body.requests.kvWrite],
          [0, 0, 1],
        );
        assert.equal(rig.calltouch.requests.length, calltouchBefore);
        assert.equal(rig.google.counters().writes, writesBefore);
      },
    );

    await t.step(
      "a third sync with no changes is quiet: nothing parsed, sent or written",
      async () => {
        const kvBefore = await rig.kvDump();
        const { status, body } = await rig.sync();
        assert.equal(status, 200);
        assert.equal(body.quiet, true, "the second sync's record known: nothing is parsed");
        assert.equal(body.counts.unchanged, 11);
        assert.equal(body.counts.invalid, 9);
        assert.equal(body.rows.length, 9);
        assert.deepEqual(
          { ...body.requests, token: 0 },
          {
            sheetsRead: 1,
            sheetsMetadata: 1,
            sheetsWrite: 0,
            token: 0,
            calltouch: 0,
            kvRead: 3,
            kvWrite: 0,
          },
        );
        assert.deepEqual(await rig.kvDump(), kvBefore);
      },
    );

    await t.step("retyping a value that means the same changes nothing", async () => {
      rig.type(cellOf(DEMO_HEADER, "revenue", 2), [[3500]]); // 1001: "3 500" retyped as a number
      const { body } = await rig.sync();
      assert.equal(body.counts.unchanged, 11);
      assert.equal(body.quiet, undefined, "the cells changed: the run reads them");
      // The one KV write is the new quiet record, so the next run is quiet.
      assert.deepEqual(
        [body.requests.calltouch, body.requests.sheetsWrite, body.requests.kvWrite],
        [0, 0, 1],
      );
      const again = (await rig.sync()).body;
      assert.equal(again.quiet, true);
      assert.deepEqual(again.counts, body.counts);
      assert.deepEqual(again.rows, body.rows);
      assert.deepEqual(
        [again.requests.calltouch, again.requests.sheetsWrite, again.requests.kvWrite],
        [0, 0, 0],
      );
    });

    await t.step("edits produce one update request with just the changed deals", async () => {
      rig.type(cellOf(DEMO_HEADER, "status", 3), [["Оплачено"]]); // 1002: status
      rig.type(cellOf(DEMO_HEADER, "revenue", 19), [[8100]]); // 1015: sum
      const { body } = await rig.sync();
      assert.equal(body.counts.updated, 2);
      assert.equal(body.counts.unchanged, 9);
      const updates = rig.calltouch.requests.filter((r) => r.path.endsWith("/update"));
      assert.equal(updates.length, 1);
      const orders = (updates[0].body as { orders: Record<string, unknown>[] }).orders;
      assert.deepEqual(orders.map((o) => o.orderNumber), ["1002", "1015"]);
      assert.equal(orders[0].status, "Оплачено");
      assert.equal(orders[1].revenue, "8100.00");
      assert.ok(!("reMatching" in orders[0]), "contacts did not change: no rematching");
      assert.match(rig.statusOf(1002)!, /^✅ обновлена /);
      assert.match(rig.statusOf(1015)!, /^✅ обновлена /);
      assert.match(rig.statusOf(1001)!, /^✅ создана /, "untouched rows keep their cell");
    });

    await t.step("a phone change rematches the deal", async () => {
      rig.type(cellOf(DEMO_HEADER, "phones", 2), [["+7 915 000-00-01"]]); // 1001
      const { body } = await rig.sync();
      assert.equal(body.counts.updated, 1);
      const last = rig.calltouch.requests.at(-1)!;
      const [order] = (last.body as { orders: Record<string, unknown>[] }).orders;
      assert.equal(order.orderNumber, "1001");
      assert.ok(Array.isArray(order.reMatching));
    });

    await t.step("a fixed bad row is then created, and its ❌ becomes ✅", async () => {
      rig.type(cellOf(DEMO_HEADER, "orderDate", 6), [["28.02.2026 09:00"]]); // 1005
      const { body } = await rig.sync();
      assert.equal(body.counts.created, 1);
      assert.equal(body.counts.invalid, 8);
      assert.deepEqual(createdOrders(rig).at(-1), ["1005"]);
      assert.match(rig.statusOf(1005)!, /^✅ создана /);
      assert.equal(rig.calltouch.deals.get("1005")?.createCount, 1);
    });
  } finally {
    await rig.close();
  }
});

Deno.test("sync in workerd: logs, reports and KV hold none of the sheet's phones or e-mails", async () => {
  const rig = await startRig({ rows: await demoClinicRows() });
  try {
    const reports = [JSON.stringify((await rig.sync()).body)];
    rig.type(cellOf(DEMO_HEADER, "status", 3), [["Оплачено"]]);
    reports.push(JSON.stringify((await rig.sync()).body));
    const statusPage = await rig.worker.fetch("/", {
      headers: { authorization: `Basic ${btoa(`clinic:${rig.settings.SYNC_TOKEN}`)}` },
    });
    reports.push(await statusPage.text());
    const kv = [...(await rig.kvDump()).values()].join("\n");
    const logs = rig.worker.logs.join("\n");

    const csv = parseCsv(
      await Deno.readTextFile(
        new URL("../../sheets/demo/clinic-deals.csv", import.meta.url),
      ),
    );
    const phones = csv.slice(1).flatMap((row) =>
      row[5].split(/[;,/\n]/).map((p) => p.replace(/\D/g, "")).filter((p) => p.length >= 10)
        .map((p) => p.slice(-10))
    );
    const emails = csv.slice(1).flatMap((row) => row[6] ? [row[6].toLowerCase()] : []);
    assert.ok(phones.length > 10 && emails.length > 3);
    for (const [name, text] of [["reports", reports.join("\n")], ["KV", kv], ["logs", logs]]) {
      const digits = text.replace(/\D/g, "");
      for (const phone of phones) assert.ok(!digits.includes(phone), `${name} contain a phone`);
      for (const email of emails) {
        assert.ok(!text.toLowerCase().includes(email), `${name} contain ${email}`);
      }
    }
    assert.match(logs, /"event":"sync\.run"/, "one structured line per run");
  } finally {
    await rig.close();
  }
});
