/**
 * The key of the stored hashes (`STATE_KEY`, else `CALLTOUCH_TOKEN`'s), in the real Worker over
 * real KV: rotating it sends nothing again, moving from the token's key to `STATE_KEY` neither,
 * and a state under a key the Worker does not know stops the run with what to do instead of
 * sending every deal again. After each rotation KV holds no hash under the old key.
 */
import assert from "node:assert/strict";
import { fingerprint, matchingFingerprint } from "../../src/columns/fingerprint.ts";
import { parseSheet } from "../../src/columns/parse.ts";
import type { CellValue } from "../../src/deal.ts";
import type { HashKey } from "../../src/util/hash.ts";
import { deriveStateKey } from "../../src/util/keyring.ts";
import { cellOf } from "../support/columns.ts";
import { type Rig, startRig } from "../support/e2e.ts";
import { storedSnapshot, syncWithOneHeld } from "../support/stored_state.ts";

const KEY_A = "state-key-a-0123456789abcdef0123456789abcdef";
const KEY_B = "state-key-b-0123456789abcdef0123456789abcdef";

const ROWS: CellValue[][] = [
  ["ID сделки", "Дата сделки", "Статус", "Сумма", "Телефон", "Email", "Теги"],
  ["K1", "20.11.2026 10:30", "Записан", "", "8 (915) 777-11-22", "", "сайт"],
  ["K2", "20.11.2026 11:00", "Пришёл", "3 500", "", "ivan@example.com", ""],
  ["K3", "20.11.2026 12:00", "Оплачено", 12800, "8 (903) 555-44-33", "", ""],
  ["K4", "20.11.2026 13:00", "Записан", "", "8 (926) 123-45-67", "", ""],
];

/** Both fingerprints of every deal of the tab as it is now, under `key`. */
function printsOf(rig: Rig, key: HashKey): string[] {
  const sheet = parseSheet(rig.cells());
  assert.ok(sheet.ok);
  return sheet.deals.flatMap((deal) => [
    fingerprint(deal, key),
    matchingFingerprint(deal, key),
  ]);
}

/** Every value of the Worker's KV, as one text. */
async function kvText(rig: Rig): Promise<string> {
  return [...(await rig.kvDump()).values()].join("\n");
}

/** The run over a rewritten state: nothing sent, every deal as it was. */
async function assertNothingSent(rig: Rig, before: { statuses: unknown[]; sent: number }) {
  const run = await rig.sync();
  assert.equal(run.body.ok, true, JSON.stringify(run.body.error));
  assert.equal(run.body.requests.calltouch, 0, "nothing is sent again");
  assert.equal(rig.calltouch.requests.length, before.sent);
  assert.equal(run.body.counts.unchanged, 3);
  assert.equal(run.body.counts.held, 1, "the refused deal stays held");
  assert.deepEqual(rig.cells().map((row) => row.at(-1)), before.statuses, "no status rewritten");
  // Every deal's entry rewritten (the held one keeps "unknown" for the status Calltouch holds:
  // it is not the row's); the report says so, and that the old key can go.
  const { rekeyed, scrubbed, removed } = run.body.rekeyed;
  assert.deepEqual([rekeyed + scrubbed, removed], [4, 0]);
  assert.ok(rekeyed >= 3);
  const next = await rig.sync();
  assert.equal(next.body.rekeyed, undefined, "once");
}

Deno.test("rotating STATE_KEY (the old one in STATE_KEY_PREVIOUS) sends nothing again", async () => {
  const rig = await startRig({ rows: ROWS, settings: { STATE_KEY: KEY_A } });
  try {
    const before = await syncWithOneHeld(rig, cellOf(ROWS[0], "status", 5), 4);
    const a = await deriveStateKey(KEY_A);
    const b = await deriveStateKey(KEY_B);
    assert.equal((await storedSnapshot(rig)).k, a.id);

    await rig.restart({ STATE_KEY: KEY_B, STATE_KEY_PREVIOUS: KEY_A });
    await assertNothingSent(rig, before);
    assert.equal((await storedSnapshot(rig)).k, b.id, "the state is saved under the new key");
    const text = await kvText(rig);
    for (const print of printsOf(rig, a.hash)) {
      assert.ok(!text.includes(print), "no hash under the old key stays in KV");
    }
    for (const print of printsOf(rig, b.hash).slice(0, 2)) assert.ok(text.includes(print));

    // The old key can go: the next runs need only the new one.
    await rig.restart({ STATE_KEY_PREVIOUS: "" });
    const after = await rig.sync();
    assert.equal(after.body.ok, true, JSON.stringify(after.body.error));
    assert.equal(after.body.requests.calltouch, 0);
    rig.type(cellOf(ROWS[0], "status", 2), [["Пришёл"]]);
    const edited = await rig.sync();
    assert.equal(edited.body.counts.updated, 1, "an edit is one update");
    assert.equal(edited.body.requests.calltouch, 1);
  } finally {
    await rig.close();
  }
});

Deno.test("setting STATE_KEY over the Calltouch token's key sends nothing again", async () => {
  const rig = await startRig({ rows: ROWS });
  try {
    const before = await syncWithOneHeld(rig, cellOf(ROWS[0], "status", 5), 4);
    const token = await deriveStateKey(rig.settings.CALLTOUCH_TOKEN);
    assert.equal((await storedSnapshot(rig)).k, token.id, "keyed by CALLTOUCH_TOKEN's key");

    await rig.restart({ STATE_KEY: KEY_A }); // no STATE_KEY_PREVIOUS needed
    await assertNothingSent(rig, before);
    assert.equal((await storedSnapshot(rig)).k, (await deriveStateKey(KEY_A)).id);
    const text = await kvText(rig);
    for (const print of printsOf(rig, token.hash)) assert.ok(!text.includes(print));
  } finally {
    await rig.close();
  }
});

Deno.test("a state under a key the Worker does not know stops the run, sends nothing, says what to do", async () => {
  const rig = await startRig({ rows: ROWS, settings: { STATE_KEY: KEY_A } });
  try {
    const before = await syncWithOneHeld(rig, cellOf(ROWS[0], "status", 5), 4);
    await rig.restart({ STATE_KEY: KEY_B }); // the old key forgotten
    const run = await rig.sync();
    assert.equal(run.body.ok, false);
    assert.equal(run.body.error.kind, "config");
    assert.match(run.body.error.message, /STATE_KEY_PREVIOUS/);
    assert.ok(!run.body.error.message.includes(KEY_A) && !run.body.error.message.includes(KEY_B));
    assert.equal(rig.calltouch.requests.length, before.sent, "nothing sent");
    assert.deepEqual(rig.cells().map((row) => row.at(-1)), before.statuses);

    await rig.restart({ STATE_KEY_PREVIOUS: KEY_A }); // what the message says
    await assertNothingSent(rig, before);
  } finally {
    await rig.close();
  }
});
