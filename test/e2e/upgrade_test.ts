/**
 * Stored state survives upgrades: the build of 82b7e55 (kept as a bundle in
 * `test/fixtures/builds/`) syncs a sheet, then this build runs over the same KV and sends nothing
 * again: not the accepted deals, not the one Calltouch refused, whatever moved in the code
 * (the column table, the settings table, the request hash's form).
 */
import assert from "node:assert/strict";
import type { CellValue } from "../../src/deal.ts";
import { startRig } from "../support/e2e.ts";
import { olderBuild } from "../support/worker.ts";
import { FIRST_HEADER } from "../support/first_sheet.ts";
import { cellOf } from "../support/columns.ts";

const PREVIOUS = "82b7e55";

/** A clinic's sheet as the previous build knew it (no funnel or margin column). */
const ROWS: CellValue[][] = [
  [...FIRST_HEADER, "Врач", "Филиал"],
  [
    "U1",
    "20.11.2026 10:30",
    "Записан",
    "",
    "",
    "8 (915) 777-11-22",
    "",
    "сайт",
    "Смирнова",
    "",
    "",
    "",
    "",
  ],
  [
    "U2",
    46346.5,
    "Пришёл",
    "21.11.2026 09:00",
    "3 500",
    "",
    "ivan@example.com",
    "",
    "",
    "УЗИ",
    "",
    "Иванов",
    "Центр",
  ],
  [
    "U3",
    "20.11.2026 12:00",
    "Оплачено",
    "",
    12800,
    "8 (903) 555-44-33",
    "",
    "",
    "",
    "",
    "Оплата",
    "Петров",
    "",
  ],
  ["U4", "20.11.2026 13:00", "Записан", "", "", "8 (926) 123-45-67", "", "", "", "", "", "", ""],
  ["U5", "31.02.2026", "Записан", "", "", "8 (926) 000-45-67", "", "", "", "", "", "", ""],
];

for (const zone of [undefined, "Asia/Novosibirsk"]) {
  Deno.test(`an upgrade over ${PREVIOUS}'s state sends nothing again${zone ? ` (CALLTOUCH_TIME_ZONE ${zone})` : ""}`, async () => {
    const settings: Record<string, string> = { CUSTOM_FIELDS: "Филиал=branch; Врач=doctor" };
    if (zone) settings.CALLTOUCH_TIME_ZONE = zone;
    const rig = await startRig({
      rows: ROWS,
      settings,
      worker: { script: await olderBuild(PREVIOUS), build: PREVIOUS },
    });
    try {
      // The previous build: every valid deal created, one refused (held), one row invalid.
      const first = await rig.sync();
      assert.equal(first.body.counts.created, 4, JSON.stringify(first.body.error));
      rig.calltouch.refuseAll = true;
      rig.type(cellOf(ROWS[0], "status", 5), [["Пришёл"]]);
      const refused = await rig.sync();
      assert.equal(refused.body.counts.held + refused.body.counts.failed, 1);
      rig.calltouch.refuseAll = false;
      await rig.sync(); // settles (the quiet record of the previous build)
      const statuses = rig.cells().map((row) => row.at(-1));
      const sent = rig.calltouch.requests.length;

      // This build, over the same KV: nothing is sent, no status changes.
      await rig.restart({}, { build: "next" });
      const upgraded = await rig.sync();
      assert.equal(upgraded.body.ok, true, JSON.stringify(upgraded.body.error));
      assert.equal(upgraded.body.requests.calltouch, 0, "nothing is sent again");
      assert.equal(rig.calltouch.requests.length, sent);
      assert.equal(upgraded.body.counts.unchanged, 3);
      assert.equal(upgraded.body.counts.held, 1, "the refused deal stays held");
      assert.equal(upgraded.body.counts.invalid, 1);
      assert.deepEqual(rig.cells().map((row) => row.at(-1)), statuses, "no status rewritten");

      // And it works on from there: an edit is one update.
      rig.type(cellOf(ROWS[0], "status", 2), [["Пришёл"]]);
      const edited = await rig.sync();
      assert.equal(edited.body.counts.updated, 1);
      assert.equal(edited.body.requests.calltouch, 1);
    } finally {
      await rig.close();
    }
  });
}
