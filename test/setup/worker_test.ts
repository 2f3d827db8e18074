/** `POST /setup` in the real Worker (workerd) against the Google emulator. */
import assert from "node:assert/strict";
import { demoClinicRows } from "../../sheets/demo/typed_cells.ts";
import { SPREADSHEET_ID, startRig, SYNC_TOKEN, TAB } from "../support/e2e.ts";

Deno.test("POST /setup in workerd prepares the tab once, then has nothing to do", async () => {
  const rig = await startRig({ rows: await demoClinicRows() });
  try {
    const before = rig.cells();
    const setup = async (token = SYNC_TOKEN) => {
      const res = await rig.worker.fetch("/setup", {
        method: "POST",
        headers: { authorization: `Bearer ${token}` },
      });
      return { status: res.status, body: await res.json() };
    };

    assert.equal((await setup("wrong-token-of-some-length")).status, 401);
    assert.equal(rig.google.counters().batchUpdate, 0);

    const first = await setup();
    assert.equal(first.status, 200);
    assert.equal(first.body.ok, true);
    assert.equal(first.body.changed, true);
    assert.equal(first.body.tab, TAB);
    assert.match(first.body.text, /^Лист «Сделки» подготовлен:\n- Добавлен столбец «Calltouch»/);
    assert.equal(rig.google.counters().batchUpdate, 1);

    const after = rig.cells();
    const status = before[0].length;
    assert.equal(after[0][status], "Calltouch");
    assert.deepEqual(after.map((row, i) => i === 0 ? row.slice(0, status) : row), before);
    const sheet = rig.google.spreadsheet(SPREADSHEET_ID).sheets?.[0];
    assert.equal(sheet?.properties?.gridProperties?.frozenRowCount, 1);
    assert.equal(sheet?.conditionalFormats?.length, 3);

    const second = await setup();
    assert.equal(second.status, 200);
    assert.equal(second.body.changed, false);
    assert.equal(rig.google.counters().batchUpdate, 1, "no second batchUpdate");
  } finally {
    await rig.close();
  }
});
