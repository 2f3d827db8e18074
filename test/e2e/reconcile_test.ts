/**
 * Reconciliation with Calltouch's deals journal (CALLTOUCH_STATS_TOKEN), end to end in workerd:
 * the attribution column, a lead Calltouch learns later, the cadence, the status page's line.
 */
import assert from "node:assert/strict";
import type { CellValue } from "../../src/deal.ts";
import { EMULATOR_STATS_TOKEN } from "../emulators/calltouch.ts";
import { type Rig, startRig, SYNC_TOKEN } from "../support/e2e.ts";

const HEADER = ["ID сделки", "Дата сделки", "Статус", "Телефон", "Email", "Источник (Calltouch)"];
const ROWS: CellValue[][] = [
  HEADER,
  ["A1", "20.11.2026 10:00", "Запись", "+7 916 111-11-11", "", ""],
  ["A2", "21.11.2026 11:00", "Визит", "", "anna@example.ru", ""],
  ["A3", "22.11.2026 12:00", "Запись", "+7 916 333-33-33", "", ""],
  ["A4", "23.11.2026 13:00", "Запись", "+7 916 444-44-44", "", ""],
];

function origin(rig: Rig, id: string): string {
  const cells = rig.cells();
  const column = cells[0].indexOf("Источник (Calltouch)");
  const row = cells.find((r) => r[0] === id)!;
  return String(row[column] ?? "");
}

const journalReads = (rig: Rig) =>
  rig.calltouch.requests.filter((r) => r.path.endsWith("/orders-diary/orders")).length;

Deno.test("reconciliation: the attribution column, a lead learnt later, the cadence", async (t) => {
  const rig = await startRig({
    rows: ROWS,
    settings: { CALLTOUCH_STATS_TOKEN: EMULATOR_STATS_TOKEN },
  });
  try {
    rig.calltouch.addLead({
      kind: "call",
      phones: ["79161111111"],
      source: "yandex",
      medium: "cpc",
      campaign: "mrt",
    });
    rig.calltouch.addLead({
      kind: "request",
      emails: ["anna@example.ru"],
      source: "google",
      medium: "cpc",
      campaign: "uzi",
    });

    await t.step("the first sync writes what Calltouch matched each deal to", async () => {
      const { body } = await rig.sync();
      assert.equal(body.counts.created, 4);
      assert.equal(body.reconciled?.differences, 0);
      assert.equal(origin(rig, "A1"), "yandex / cpc / mrt");
      assert.equal(origin(rig, "A2"), "google / cpc / uzi");
      assert.equal(origin(rig, "A3"), "офлайн-визит", "the custom source, no lead");
      assert.equal(origin(rig, "A4"), "офлайн-визит");
      const written = ["A1", "A2", "A3", "A4"].map((id) => origin(rig, id)).join(" ");
      assert.doesNotMatch(written, /7916|@/, "no contacts in the column");
    });

    await t.step(
      "until the next reconciliation an unchanged sheet costs no Calltouch call",
      async () => {
        rig.calltouch.addLead({
          kind: "call",
          phones: ["79164444444"],
          source: "vk",
          medium: "social",
          campaign: "promo",
        });
        const reads = journalReads(rig);
        const requests = rig.calltouch.requests.length;
        for (let i = 0; i < 2; i++) {
          const { body } = await rig.sync();
          assert.equal(body.requests.calltouch, 0);
          assert.equal(body.reconciled, undefined);
        }
        assert.equal(journalReads(rig), reads);
        assert.equal(rig.calltouch.requests.length, requests);
        assert.equal(origin(rig, "A4"), "офлайн-визит");
      },
    );

    await t.step("the next reconciliation writes the lead learnt since", async () => {
      // An hour later: the history holds no recent reconciliation, the quiet record lapsed.
      for (const key of (await rig.kvDump()).keys()) {
        if (key.endsWith(":runs") || key.endsWith(":quiet")) await rig.worker.kv.delete(key);
      }
      const { body } = await rig.sync();
      assert.equal(body.reconciled?.differences, 0, JSON.stringify({ ...body, rows: undefined }));
      assert.equal(origin(rig, "A4"), "vk / social / promo");
      assert.equal(body.requests.calltouch, 0, "reading is not sending");
    });

    await t.step("the status page shows the last reconciliation", async () => {
      const page = await rig.worker.fetch("/", {
        headers: { authorization: `Basic ${btoa(`x:${SYNC_TOKEN}`)}` },
      });
      assert.match(await page.text(), /Сверка с Calltouch: 0 расхождений, \d\d\.\d\d\.\d{4}/);
    });

    await t.step("a deal changed in Calltouch behind the sync's back is counted", async () => {
      rig.calltouch.deals.get("A1")!.fields.status = "Отмена";
      for (const key of (await rig.kvDump()).keys()) {
        if (key.endsWith(":runs") || key.endsWith(":quiet")) await rig.worker.kv.delete(key);
      }
      const { body } = await rig.sync();
      assert.equal(body.reconciled?.differences, 1, JSON.stringify(body.reconciled));
    });
  } finally {
    await rig.close();
  }
});

Deno.test("setup adds the attribution column when CALLTOUCH_STATS_TOKEN is set", async () => {
  const rows: CellValue[][] = [["ID сделки", "Дата сделки", "Статус", "Телефон"]];
  const rig = await startRig({ rows, settings: { CALLTOUCH_STATS_TOKEN: EMULATOR_STATS_TOKEN } });
  try {
    const res = await rig.worker.fetch("/setup", {
      method: "POST",
      headers: { authorization: `Bearer ${SYNC_TOKEN}` },
    });
    assert.equal(res.status, 200, await res.clone().text());
    const body = await res.json();
    assert.match(body.text, /Источник \(Calltouch\)/);
    assert.deepEqual(rig.cells()[0], [
      "ID сделки",
      "Дата сделки",
      "Статус",
      "Телефон",
      "Calltouch",
      "Источник (Calltouch)",
    ]);
  } finally {
    await rig.close();
  }
});
