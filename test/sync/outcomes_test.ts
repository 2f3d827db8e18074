/** What is remembered of a deal in doubt, and when a second try must be remembered again. */
import assert from "node:assert/strict";
import { knownHash, updateOrder } from "../../src/columns/payload.ts";
import { doubtState, refusedState, sameDoubt } from "../../src/sync/outcomes.ts";
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
  const planned = updateOf(deal, KNOWN);
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

Deno.test("refusedState(): a held deal keeps what Calltouch holds, so its release keeps the status date", () => {
  const deal = makeDeal({ orderNumber: "A", revenue: "1e5" }); // a sum Calltouch refuses
  // Calltouch holds the status since 24 Nov 2026, 10:00 UTC; the deal date is 20 Nov.
  const known = {
    ...KNOWN,
    tags: knownHash(deal.tags, TEST_KEY),
    statusAt: Date.UTC(2026, 10, 24, 10),
  };
  const planned = updateOf(deal, known);
  const held = refusedState(planned, "сумма", 7, SEED_SETTINGS);
  assert.deepEqual(held.known, known, "refused: Calltouch holds what it held");
  // Released later (the sum fixed): the update sends the status date Calltouch holds, not the
  // deal date that an unknown status date falls back to.
  const fixed = { ...deal, revenue: "1000.00" };
  const now = Date.UTC(2026, 11, 1, 9);
  const sent = updateOrder(fixed, SEED_SETTINGS, { rematch: false, known: held.known, now });
  const unknown = updateOrder(fixed, SEED_SETTINGS, { rematch: false, now });
  assert.equal(sent.statusDate, "24-11-2026 13:00:00", "10:00 UTC in Moscow time");
  assert.equal(unknown.statusDate, "20-11-2026 10:30:00", "what a lost `known` would send");
  assert.equal(sent.addTags, undefined, "the tags Calltouch holds are not sent again");
});

/** An update of `deal`, last accepted as fingerprint "f1" with what Calltouch holds `known`. */
function updateOf(deal: PlannedDeal["deal"], known: DealState["known"]): PlannedDeal {
  const previous: DealState = {
    fingerprint: "f1",
    matching: "m1",
    exists: true,
    outcome: "updated",
    at: 1,
    known,
  };
  return { action: "update", deal, fingerprint: "f2", matching: "m1", rematch: false, previous };
}
