/**
 * `verify` end to end: the command-line tool against the Google and Calltouch emulators, after a
 * real sync, with Calltouch changed behind the sync's back.
 */
import assert from "node:assert/strict";
import { demoClinicRows } from "../../sheets/demo/typed_cells.ts";
import { EMULATOR_STATS_TOKEN } from "../emulators/calltouch.ts";
import { contactsOf, explain, startCliRig } from "./support.ts";

Deno.test("cli verify: agrees after a sync, then finds what changed in Calltouch", async (t) => {
  const rows = await demoClinicRows();
  const rig = await startCliRig({
    rows,
    settings: { CALLTOUCH_STATS_TOKEN: EMULATOR_STATS_TOKEN },
  });
  try {
    const sync = await rig.run(["sync"]);
    assert.equal(sync.code, 1, explain(sync)); // the demo sheet has rows with mistakes

    await t.step("check says the journal is on", async () => {
      assert.match((await rig.run(["check"])).stdout, /Calltouch's deals journal: on/);
    });

    await t.step("after the sync: everything agrees (exit 0)", async () => {
      const result = await rig.run(["verify"]);
      assert.equal(result.code, 0, explain(result));
      assert.match(
        result.stdout,
        /verify: 11 deals of the sheet against 11 in Calltouch's journal/,
      );
      assert.match(result.stdout, /Everything agrees\./);
    });

    await t.step(
      "open deals shown with a completed sum of 0 and the sum as planned agree",
      async () => {
        rig.calltouch.set({ journalSum: "openDeal" });
        try {
          const result = await rig.run(["verify"]);
          assert.equal(result.code, 0, explain(result));
          assert.match(result.stdout, /Everything agrees\./);
        } finally {
          rig.calltouch.set({ journalSum: "completed" });
        }
      },
    );

    await t.step("a deal changed, one missing, one extra: each listed (exit 1)", async () => {
      const changed = rig.calltouch.deals.get("1001")!;
      changed.fields.status = "Отмена";
      changed.fields.revenue = "1.00";
      rig.calltouch.deals.delete("1002");
      rig.calltouch.deals.set("9999", { ...changed, orderNumber: "9999", calltouchOrderId: 99 });
      const result = await rig.run(["verify"]);
      assert.equal(result.code, 1, explain(result));
      const out = result.stdout;
      assert.match(out, /^ +2 +1001 +another status +Запись +Отмена$/m);
      assert.match(out, /^ +2 +1001 +another sum +3500\.00 +1\.00$/m);
      assert.match(out, /^ +3 +1002 +not in Calltouch/m);
      assert.match(out, /^ +— +9999 +in Calltouch, not in the sheet/m);
      assert.match(out, /4 difference\(s\)/);
      for (const contact of contactsOf(rows)) assert.ok(!out.includes(contact), contact);
      assert.ok(!out.includes(EMULATOR_STATS_TOKEN));

      const json = JSON.parse((await rig.run(["verify", "--json"])).stdout);
      assert.equal(json.ok, false);
      assert.equal(json.checked, 11);
      assert.deepEqual(
        json.mismatches.map((m: { what: string; orderNumber: string }) => [m.what, m.orderNumber]),
        [["status", "1001"], ["revenue", "1001"], ["missing", "1002"], ["extra", "9999"]],
      );
      assert.equal(
        rig.calltouch.requests.filter((r) => r.method === "POST").length,
        1,
        "verify sends nothing",
      );
    });

    await t.step("a journal that does not say which CRM made a deal", async () => {
      rig.calltouch.set({ journalShape: "flat" });
      const result = await rig.run(["verify"]);
      assert.equal(result.code, 1);
      assert.match(result.stdout, /does not say which CRM created a deal/);
      assert.doesNotMatch(result.stdout, /9999/);
    });
  } finally {
    await rig.close();
  }
});

Deno.test("cli verify without CALLTOUCH_STATS_TOKEN or with a wrong one: exit 2, in words", async () => {
  const rig = await startCliRig({ rows: await demoClinicRows() });
  try {
    assert.match(
      (await rig.run(["check"])).stdout,
      /deals journal: off \(set CALLTOUCH_STATS_TOKEN/,
    );
    const none = await rig.run(["verify"]);
    assert.equal(none.code, 2, explain(none));
    assert.match(none.stdout, /set CALLTOUCH_STATS_TOKEN/);
    const wrongToken = "wrong-statistics-token-123";
    const wrong = await rig.run(["verify"], { env: { CALLTOUCH_STATS_TOKEN: wrongToken } });
    assert.equal(wrong.code, 2, explain(wrong));
    assert.match(wrong.stdout, /Calltouch не принял токен статистики \(HTTP 401\)/);
    assert.ok(!(wrong.stdout + wrong.stderr).includes(wrongToken));
  } finally {
    await rig.close();
  }
});
