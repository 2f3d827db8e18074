/** What is remembered of a deal in doubt, and when a second try must be remembered again. */
import assert from "node:assert/strict";
import { knownHash } from "../../src/columns/payload.ts";
import { doubtState, sameDoubt } from "../../src/sync/outcomes.ts";
import type { PlannedDeal } from "../../src/sync/plan.ts";
import type { DealState } from "../../src/sync/state.ts";
import { SEED_SETTINGS } from "../support/calltouch.ts";
import { makeDeal } from "../support/deals.ts";
import { TEST_KEY } from "../support/keys.ts";

const KNOWN = {
  status: knownHash("Запись", TEST_KEY),
  statusAt: 1,
  tags: knownHash([], TEST_KEY),
  custom: "?",
};

const doubt = (overrides: Partial<DealState> = {}): DealState => ({
  fingerprint: "f1",
  matching: "m1",
  exists: true,
  outcome: "inDoubt",
  at: 5,
  known: KNOWN,
  sent: "f2",
  ...overrides,
});

Deno.test("sameDoubt(): a second try is remembered again when any unknown or proof differs", () => {
  assert.equal(sameDoubt(doubt(), doubt()), true, "the same unknowns and proof");
  assert.equal(sameDoubt(doubt(), doubt({ at: 9 })), true, "when it left does not matter");
  assert.equal(sameDoubt(undefined, doubt()), false, "no doubt before");
  assert.equal(sameDoubt(doubt({ known: undefined }), doubt()), false, "nothing known before");
  assert.equal(sameDoubt(doubt(), doubt({ known: undefined })), false, "nothing known now");
  const differing: [string, Partial<DealState>][] = [
    ["status", { known: { ...KNOWN, status: "?" } }],
    ["status date", { known: { ...KNOWN, statusAt: 2 } }],
    ["tags", { known: { ...KNOWN, tags: "?" } }],
    ["custom fields", { known: { ...KNOWN, custom: knownHash({}, TEST_KEY) } }],
    ["the version the journal could prove", { sent: undefined }],
  ];
  for (const [what, change] of differing) {
    assert.equal(sameDoubt(doubt(), doubt(change)), false, what);
    assert.equal(sameDoubt(doubt(change), doubt()), false, `${what}, the other way`);
  }
});

Deno.test("doubtState(): what was known before, what the request carried, and what may prove it", () => {
  const deal = makeDeal({ orderNumber: "A", status: "Пришел" });
  const previous: DealState = {
    fingerprint: "f1",
    matching: "m1",
    exists: true,
    outcome: "updated",
    at: 1,
    known: KNOWN,
  };
  const planned: PlannedDeal = {
    action: "update",
    deal,
    fingerprint: "f2",
    matching: "m1",
    rematch: false,
    previous,
  };
  const carried = { ...KNOWN, status: "?" };
  assert.deepEqual(doubtState(planned, 7, SEED_SETTINGS, carried), {
    fingerprint: "f1",
    matching: "m1",
    exists: true,
    outcome: "inDoubt",
    at: 7,
    known: carried,
    // Another status than Calltouch held: the journal showing this one proves the request landed.
    sent: "f2",
  });
  const keeping = { ...planned, deal: makeDeal({ orderNumber: "A", status: "Запись" }) };
  const kept = doubtState(keeping, 7, SEED_SETTINGS);
  assert.equal(kept.known, KNOWN, "nothing carried: what was known stays");
  assert.equal(kept.sent, undefined, "the same status proves nothing");
  const fresh = doubtState({ ...planned, previous: undefined, action: "create" }, 7, SEED_SETTINGS);
  assert.deepEqual([fresh.fingerprint, fresh.exists, fresh.known], ["", false, undefined]);
});
