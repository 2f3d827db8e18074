/**
 * What Calltouch's reports see, end to end in workerd: status dates, tags the sheet owns, time
 * zones, custom fields, and a new Calltouch project (issue 13).
 */
import assert from "node:assert/strict";
import type { CellValue } from "../../src/deal.ts";
import { wallClockAt } from "../../src/util/zones.ts";
import { toCalltouchDate } from "../../src/calltouch/dates.ts";
import { startCalltouchEmulator } from "../emulators/calltouch.ts";
import type { Rig } from "../support/e2e.ts";
import { startRig } from "../support/e2e.ts";
import { cellOf } from "../support/columns.ts";
import { columnLetters } from "../../src/sheet/a1.ts";

const HEADER = ["ID сделки", "Дата сделки", "Статус", "Сумма", "Телефон", "Теги"];

type Order = Record<string, unknown>;

/** The orders of `id` the emulator received on `path` ("create" | "update"), oldest first. */
function ordersOf(rig: Rig, id: string, path: "create" | "update"): Order[] {
  return rig.calltouch.requests
    .filter((r) => r.path.endsWith(`/${path}`))
    .flatMap((r) => (r.body as { orders?: Order[] }).orders ?? [])
    .filter((o) => o.orderNumber === id);
}

function last<T>(items: T[]): T {
  assert.ok(items.length > 0, "no such request");
  return items[items.length - 1];
}

/** Moscow wall clock of `ms` in Calltouch's form. */
function moscow(ms: number): string {
  return toCalltouchDate(wallClockAt(ms, "Europe/Moscow"));
}

/** Calltouch dates compare as text only within one day; this makes them sortable. */
function sortable(ct: unknown): string {
  const [d, m, y, rest] = String(ct).split(/[- ]/);
  return `${y}-${m}-${d} ${rest}`;
}

Deno.test("status dates: a later status change, its retry, a sum-only edit", async (t) => {
  const rows: CellValue[][] = [HEADER, ["A1", "20.11.2026 12:00", "Запись", 1000, "", ""]];
  const rig = await startRig({ rows, settings: { SYNC_TIME_BUDGET_SECONDS: "4" } });
  try {
    await t.step("create: the deal date", async () => {
      await rig.sync();
      assert.equal(last(ordersOf(rig, "A1", "create")).statusDate, "20-11-2026 12:00:00");
    });

    let changedAt = "";
    await t.step("a status change days later: the moment the sync saw it", async () => {
      rig.type(cellOf(HEADER, "status", 2), [["Пришел"]]);
      // The answer is lost although the update landed: the deal stays in doubt.
      rig.calltouch.applyThenFail(1000, 502);
      const before = moscow(Date.now() - 1000);
      await rig.sync();
      const after = moscow(Date.now() + 1000);
      const sent = last(ordersOf(rig, "A1", "update"));
      changedAt = String(sent.statusDate);
      assert.equal(sent.status, "Пришел");
      assert.ok(
        sortable(before) <= sortable(changedAt) && sortable(changedAt) <= sortable(after),
        `${changedAt} is the run's moment (${before} … ${after})`,
      );
      assert.ok(sortable(changedAt) > sortable("20-11-2026 12:00:00"));
      assert.equal(typeof sent.updateDate, "string");
      assert.match(rig.statusOf("A1") ?? "", /^⏳/);
    });

    await t.step("the retry on a later run sends the same status date", async () => {
      rig.calltouch.applyThenFail(0);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const { body } = await rig.sync();
      assert.equal(body.counts.updated, 1);
      const retry = last(ordersOf(rig, "A1", "update"));
      assert.equal(retry.statusDate, changedAt);
      assert.notEqual(retry.updateDate, changedAt, "updateDate is the moment of this update");
      assert.equal(rig.calltouch.deals.get("A1")?.fields.statusDate, changedAt);
    });

    await t.step("a sum-only edit keeps the status date", async () => {
      await new Promise((resolve) => setTimeout(resolve, 1100));
      rig.type(cellOf(HEADER, "revenue", 2), [[2500]]);
      await rig.sync();
      const sent = last(ordersOf(rig, "A1", "update"));
      assert.equal(sent.revenue, "2500.00");
      assert.equal(sent.statusDate, changedAt);
      assert.equal(rig.calltouch.deals.get("A1")?.fields.statusDate, changedAt);
    });
  } finally {
    await rig.close();
  }
});

Deno.test("tags: the sheet owns the tags it lists, and only those", async (t) => {
  const rows: CellValue[][] = [
    HEADER,
    ["U1", "20.11.2026 12:00", "Запись", 1000, "", ""],
    ["T1", "20.11.2026 12:00", "Запись", 1000, "", "МРТ, КТ"],
  ];
  const rig = await startRig({ rows });
  try {
    await rig.sync();
    await t.step("an untagged deal keeps tags a marketer added in Calltouch", async () => {
      rig.calltouch.deals.get("U1")!.tags.push("маркетолог");
      rig.type(cellOf(HEADER, "revenue", 2), [[1100]]);
      await rig.sync();
      rig.type(cellOf(HEADER, "status", 2), [["Пришел"]]);
      await rig.sync();
      const updates = ordersOf(rig, "U1", "update");
      assert.equal(updates.length, 2);
      assert.ok(updates.every((o) => !("addTags" in o)), JSON.stringify(updates));
      assert.deepEqual(rig.calltouch.deals.get("U1")?.tags, ["маркетолог"]);
    });
    await t.step("a tag removed in the sheet disappears in Calltouch", async () => {
      rig.type(cellOf(HEADER, "tags", 3), [["МРТ"]]);
      await rig.sync();
      assert.deepEqual(rig.calltouch.deals.get("T1")?.tags, ["МРТ"]);
      rig.type(cellOf(HEADER, "tags", 3), [[""]]);
      await rig.sync();
      assert.deepEqual(rig.calltouch.deals.get("T1")?.tags, []);
      // Unchanged tags are not sent again with the next edit.
      rig.type(cellOf(HEADER, "revenue", 3), [[1200]]);
      await rig.sync();
      assert.equal("addTags" in last(ordersOf(rig, "T1", "update")), false);
    });
    await t.step("a tag removed while the state was lost disappears too", async () => {
      rig.type(cellOf(HEADER, "tags", 3), [["МРТ"]]);
      await rig.sync();
      rig.type(cellOf(HEADER, "tags", 3), [[""]]);
      for (const key of (await rig.kvDump()).keys()) await rig.worker.kv.delete(key);
      const { body } = await rig.sync();
      assert.equal(body.counts.failed, 0);
      assert.deepEqual(rig.calltouch.deals.get("T1")?.tags, []);
      assert.equal(rig.calltouch.deals.get("T1")?.createCount, 1);
    });
  } finally {
    await rig.close();
  }
});

Deno.test("time zones: every date is converted to CALLTOUCH_TIME_ZONE", async (t) => {
  await t.step("a Moscow sheet, a Novosibirsk project: +4 h", async () => {
    const rows: CellValue[][] = [
      [...HEADER, "Дата статуса"],
      ["N1", "20.11.2026 12:00", "Запись", 1000, "+7 916 111-22-33", "", "21.11.2026 09:30"],
    ];
    const rig = await startRig({ rows, settings: { CALLTOUCH_TIME_ZONE: "Asia/Novosibirsk" } });
    try {
      const { body } = await rig.sync();
      assert.equal(body.counts.created, 1);
      const sent = last(ordersOf(rig, "N1", "create"));
      assert.equal(sent.orderDate, "20-11-2026 16:00:00");
      assert.equal(sent.statusDate, "21-11-2026 13:30:00");
      const matching = sent.matching as { callContactParams?: { date: string } }[];
      assert.equal(matching[0].callContactParams?.date, "20-11-2026 16:00:00");
      // A status change sends the moment in the project's zone.
      rig.type(cellOf(HEADER, "status", 2), [["Пришел"]]);
      rig.type(`${columnLetters(HEADER.length + 1)}2`, [[""]]);
      const before = Date.now() - 1000;
      await rig.sync();
      const update = last(ordersOf(rig, "N1", "update"));
      const inMoscow = moscow(before);
      const inNovosibirsk = toCalltouchDate(wallClockAt(before, "Asia/Novosibirsk"));
      assert.ok(sortable(update.statusDate) >= sortable(inNovosibirsk));
      assert.ok(sortable(update.statusDate) > sortable(inMoscow));
    } finally {
      await rig.close();
    }
  });
  await t.step(
    "a Berlin sheet, a Moscow project, across Berlin's switch to summer time",
    async () => {
      const rows: CellValue[][] = [
        HEADER,
        ["B1", "29.03.2026 01:30", "Запись", 1000, "", ""],
        ["B2", "29.03.2026 03:30", "Запись", 1000, "", ""],
      ];
      const rig = await startRig({
        rows,
        timeZone: "Europe/Berlin",
        settings: { CALLTOUCH_TIME_ZONE: "Europe/Moscow" },
      });
      try {
        await rig.sync();
        assert.equal(last(ordersOf(rig, "B1", "create")).orderDate, "29-03-2026 03:30:00");
        assert.equal(last(ordersOf(rig, "B2", "create")).orderDate, "29-03-2026 04:30:00");
      } finally {
        await rig.close();
      }
    },
  );
});

Deno.test("CUSTOM_FIELDS: a Врач column reaches Calltouch, and its edit sends one update", async () => {
  const rows: CellValue[][] = [
    [...HEADER, "Врач"],
    ["C1", "20.11.2026 12:00", "Запись", 1000, "", "", "Иванова А. А."],
    ["C2", "20.11.2026 12:00", "Запись", 1000, "", "", "+7 916 111-22-33"],
  ];
  const rig = await startRig({ rows, settings: { CUSTOM_FIELDS: "Врач=doctor" } });
  try {
    const first = await rig.sync();
    assert.equal(first.body.counts.created, 1);
    assert.deepEqual(rig.calltouch.deals.get("C1")?.custom, { doctor: "Иванова А. А." });
    assert.match(rig.statusOf("C2") ?? "", /^❌.*Врач/);
    assert.equal(rig.calltouch.deals.has("C2"), false, "a phone in a custom field is not sent");

    const requests = rig.calltouch.requests.length;
    rig.type(`${columnLetters(HEADER.length + 1)}2`, [["Петров П. П."]]);
    const second = await rig.sync();
    assert.equal(second.body.counts.updated, 1);
    assert.equal(rig.calltouch.requests.length - requests, 1);
    assert.deepEqual(last(ordersOf(rig, "C1", "update")).customFields, [
      { field: "doctor", value: "Петров П. П." },
    ]);
    assert.deepEqual(rig.calltouch.deals.get("C1")?.custom, { doctor: "Петров П. П." });
    const third = await rig.sync();
    assert.equal(third.body.requests.calltouch, 0);

    // The custom field renamed in Calltouch: every deal with the column is sent again under it.
    await rig.restart({ CUSTOM_FIELDS: "Врач=physician" });
    const renamed = await rig.sync();
    assert.equal(renamed.body.counts.updated, 1);
    assert.deepEqual(last(ordersOf(rig, "C1", "update")).customFields, [
      { field: "physician", value: "Петров П. П." },
    ]);
  } finally {
    await rig.close();
  }
});

Deno.test("a new CALLTOUCH_SITE_ID starts afresh: every deal is created there, nothing sent to the old one", async () => {
  const rows: CellValue[][] = [HEADER];
  for (let i = 1; i <= 400; i++) rows.push([`S${i}`, "20.11.2026 12:00", "Запись", i, "", ""]);
  const rig = await startRig({ rows, settings: { MAX_SUBREQUESTS_PER_RUN: "8" } });
  const second = await startCalltouchEmulator({ siteId: "777777", token: "another-token" });
  try {
    for (let i = 0; i < 6 && rig.calltouch.deals.size < 400; i++) await rig.sync();
    assert.equal(rig.calltouch.deals.size, 400);
    const toFirst = rig.calltouch.requests.length;

    await rig.restart({
      CALLTOUCH_API_URL: second.url,
      CALLTOUCH_SITE_ID: second.siteId,
      CALLTOUCH_TOKEN: second.token,
    });
    const runs = [];
    for (let i = 0; i < 4; i++) {
      const { body } = await rig.sync();
      runs.push(body);
      const { sheetsRead, sheetsMetadata, sheetsWrite, token, calltouch } = body.requests;
      const outbound = sheetsRead + sheetsMetadata + sheetsWrite + token + calltouch;
      assert.ok(outbound <= 8, `paced by the request budget: ${JSON.stringify(body.requests)}`);
      if (body.counts.retrying === 0 && body.counts.created === 0) break;
    }
    assert.equal(second.deals.size, 400, "every valid deal is created in the new project");
    assert.ok([...second.deals.values()].every((d) => d.createCount === 1));
    assert.equal(rig.calltouch.requests.length, toFirst, "nothing more reached the first one");
    assert.equal(runs[0].stopped, "budget");
    assert.ok(runs.length >= 2, "spread over runs");
    assert.match(rig.statusOf("S1") ?? "", /^✅ создана/);
  } finally {
    await second.close();
    await rig.close();
  }
});
