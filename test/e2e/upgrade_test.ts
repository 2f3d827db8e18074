/**
 * Stored state survives upgrades: the build of 82b7e55 (kept as a bundle in
 * `test/fixtures/builds/`) syncs a sheet, then this build runs over the same KV and sends nothing
 * again: not the accepted deals, not the one Calltouch refused, whatever moved in the code
 * (the column table, the settings table, the request hash's form, keyed hashes). Its unkeyed
 * hashes are recognised once and rewritten under the key: none of them stays in KV.
 */
import assert from "node:assert/strict";
import type { CellValue } from "../../src/deal.ts";
import { startRig } from "../support/e2e.ts";
import { olderBuild } from "../support/worker.ts";
import { FIRST_HEADER } from "../support/first_sheet.ts";
import { cellOf } from "../support/columns.ts";
import { fingerprint, matchingFingerprint } from "../../src/columns/fingerprint.ts";
import { parseSheet } from "../../src/columns/parse.ts";
import { LEGACY } from "../../src/util/hash.ts";
import { deriveStateKey } from "../../src/util/keyring.ts";
import { storedSnapshot, syncWithOneHeld } from "../support/stored_state.ts";

const PREVIOUS = "82b7e55";
const CUSTOM = [{ header: "Филиал", field: "branch" }, { header: "Врач", field: "doctor" }];

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
      const { statuses, sent } = await syncWithOneHeld(rig, cellOf(ROWS[0], "status", 5), 4);
      const old = await storedSnapshot(rig);
      assert.equal(old.k, undefined, "the previous build's state is unkeyed");
      // The previous build's prints of the unchanged deals, as it stored them (unkeyed).
      const sheet = parseSheet(rig.cells(), { customFields: CUSTOM });
      assert.ok(sheet.ok);
      const salt = zone ? `tz:${zone}` : "";
      const unkeyed = sheet.deals.filter((deal) => deal.orderNumber !== "U4").flatMap((deal) => [
        fingerprint(deal, LEGACY, salt),
        matchingFingerprint(deal, LEGACY, salt),
      ]);
      const oldText = [...(await rig.kvDump()).values()].join("\n");
      for (const print of unkeyed) assert.ok(oldText.includes(print), "found before the upgrade");

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

      // Rewritten under the key (here CALLTOUCH_TOKEN's): no unkeyed hash stays in KV.
      const now = await storedSnapshot(rig);
      assert.equal(now.k, (await deriveStateKey(rig.settings.CALLTOUCH_TOKEN)).id);
      const text = [...(await rig.kvDump()).values()].join("\n");
      for (const print of unkeyed) assert.ok(!text.includes(print), "no unkeyed print stays");
      for (const [id, entry] of Object.entries(now.deals)) {
        assert.notEqual(entry[0], old.deals[id][0], `${id}: its fingerprint rewritten`);
        if (entry[6]) assert.notEqual(entry[6], old.deals[id][6], `${id}: its raw hash too`);
        if (entry[7]) assert.match(String(entry[7]), /^k:/, `${id}: its request hash keyed`);
      }
      const again = await rig.sync();
      assert.equal(again.body.requests.calltouch, 0);

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
