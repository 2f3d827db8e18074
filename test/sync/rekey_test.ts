import assert from "node:assert/strict";
import { fingerprint, matchingFingerprint } from "../../src/columns/fingerprint.ts";
import { type Known, knownHash, type PayloadSettings } from "../../src/columns/payload.ts";
import type { Deal } from "../../src/deal.ts";
import { planSync } from "../../src/sync/plan.ts";
import { rekeyState, RELEASED_REQUEST } from "../../src/sync/rekey.ts";
import { requestHash, sameRequest } from "../../src/sync/request_hash.ts";
import { type DealState, newRunId, StateStore, type SyncState } from "../../src/sync/state.ts";
import { MemoryStore } from "../../src/store/memory.ts";
import { type HashKey, LEGACY } from "../../src/util/hash.ts";
import { SEED_SETTINGS } from "../support/calltouch.ts";
import { makeDeal } from "../support/deals.ts";
import { OTHER_KEY, TEST_KEY } from "../support/keys.ts";

/** The run's settings: the current key is TEST_KEY. */
const SETTINGS: PayloadSettings = { ...SEED_SETTINGS, hashKey: TEST_KEY };
/** A state under OTHER_KEY (being rotated) or unkeyed (a build before issue 22). */
const OPTIONS = { settings: SETTINGS, previous: [OTHER_KEY] };
const AT = Date.UTC(2026, 10, 28, 12);

function knownOfDeal(deal: Deal, key: HashKey): Known {
  return {
    status: knownHash(deal.status, key),
    statusAt: AT,
    tags: knownHash(deal.tags, key),
    custom: knownHash({}, key),
  };
}

/** What a build stored for `deal` accepted, under `key`. */
function accepted(deal: Deal, key: HashKey, overrides: Partial<DealState> = {}): DealState {
  return {
    fingerprint: fingerprint(deal, key),
    matching: matchingFingerprint(deal, key),
    exists: true,
    outcome: "created",
    at: AT,
    raw: 12345,
    known: knownOfDeal(deal, key),
    ...overrides,
  };
}

/** The same entry as this build stores it (the raw hash is the plan's to store again). */
function current(deal: Deal, overrides: Partial<DealState> = {}): DealState {
  const { raw: _raw, ...entry } = accepted(deal, TEST_KEY, overrides);
  return entry;
}

Deno.test("rekeyState() rewrites the hashes of an unchanged deal under the current key", async (t) => {
  const deal = makeDeal();
  for (
    const [name, key] of [["unkeyed (before issue 22)", LEGACY], [
      "a previous key",
      OTHER_KEY,
    ]] as const
  ) {
    await t.step(name, () => {
      const state: SyncState = new Map([["A-1", accepted(deal, key)]]);
      const counts = rekeyState([deal], [], state, OPTIONS);
      assert.deepEqual(counts, { rekeyed: 1, scrubbed: 0, removed: 0 });
      assert.deepEqual(state.get("A-1"), current(deal));
      // …so the plan finds it unchanged: nothing is sent again.
      const plan = planSync([deal], state, { key: TEST_KEY });
      assert.deepEqual(plan.unchanged.map((p) => p.orderNumber), ["A-1"]);
    });
  }
  await t.step("already under the current key: left as it is", () => {
    const state: SyncState = new Map([["A-1", accepted(deal, TEST_KEY)]]);
    rekeyState([deal], [], state, OPTIONS);
    assert.deepEqual(state.get("A-1"), current(deal));
  });
  await t.step("under a key the run does not know: not recognised", () => {
    const state: SyncState = new Map([["A-1", accepted(deal, OTHER_KEY)]]);
    assert.deepEqual(rekeyState([deal], [], state, { settings: SETTINGS, previous: [] }), {
      rekeyed: 0,
      scrubbed: 1,
      removed: 0,
    });
    assert.equal(state.get("A-1")!.fingerprint, "");
  });
});

Deno.test("rekeyState() drops what it does not recognise for what a mismatch meant anyway", () => {
  const before = makeDeal({ status: "Запись", phones: ["79031112233"] });
  const now = makeDeal({ status: "Визит" });
  const state: SyncState = new Map([["A-1", accepted(before, LEGACY)]]);
  assert.deepEqual(rekeyState([now], [], state, OPTIONS), { rekeyed: 0, scrubbed: 1, removed: 0 });
  const entry = state.get("A-1")!;
  assert.equal(entry.fingerprint, "", "changed: sent");
  assert.equal(entry.matching, "", "contacts changed: re-matched");
  assert.equal(entry.known!.status, "?", "another status: sent");
  assert.equal(entry.known!.tags, knownHash(now.tags, TEST_KEY), "the same tags: recognised");
  const plan = planSync([now], state, { key: TEST_KEY });
  assert.deepEqual(plan.update.map((p) => [p.deal.orderNumber, p.rematch]), [["A-1", true]]);
});

Deno.test("rekeyState(): a held deal keeps being held, its request hash rewritten; another payload is released", async (t) => {
  const deal = makeDeal({ status: "Отказ" });
  const held = (request: string): DealState => ({
    ...accepted(deal, LEGACY),
    outcome: "held",
    reason: "нет",
    request,
  });
  const unkeyed = requestHash({ deal }, { ...SETTINGS, hashKey: LEGACY }).replace(/^k:/, "r:");
  const cases: [string, string, boolean][] = [
    ["unkeyed (r:)", unkeyed, true],
    ["under a previous key", requestHash({ deal }, { ...SETTINGS, hashKey: OTHER_KEY }), true],
    ["of another payload", requestHash({ deal: { ...deal, revenue: "1.00" } }, SETTINGS), false],
  ];
  for (const [name, request, recognised] of cases) {
    await t.step(name, () => {
      const state: SyncState = new Map([["A-1", held(request)]]);
      const counts = rekeyState([deal], [], state, OPTIONS);
      assert.deepEqual(
        counts,
        recognised
          ? { rekeyed: 1, scrubbed: 0, removed: 0 }
          : { rekeyed: 0, scrubbed: 1, removed: 0 },
        "a request not recognised is a hash dropped",
      );
      const entry = state.get("A-1")!;
      assert.equal(entry.request, recognised ? requestHash({ deal }, SETTINGS) : RELEASED_REQUEST);
      const plan = planSync([deal], state, {
        key: TEST_KEY,
        sameRequest: (planned, stored) => sameRequest(planned, SETTINGS, stored),
      });
      assert.equal(plan.held.length, recognised ? 1 : 0, recognised ? "still held" : "released");
    });
  }
});

Deno.test("rekeyState(): a released held deal stays released once stored (a run stopped before sending it)", async () => {
  const deal = makeDeal({ status: "Отказ" });
  const other = requestHash({ deal: { ...deal, revenue: "1.00" } }, {
    ...SETTINGS,
    hashKey: OTHER_KEY,
  });
  const memory = new MemoryStore();
  const target = { spreadsheetId: "sheet", tab: "", siteId: "1" };
  const store = new StateStore(memory, target, newRunId(1));
  const state = await store.load();
  state.set("A-1", {
    ...accepted(deal, OTHER_KEY),
    outcome: "held",
    reason: "нет",
    request: other,
  });
  rekeyState([deal], [], state, OPTIONS);
  await store.record([["A-1", state.get("A-1")!]]);
  await store.compact(state, AT);
  // The next run reads it from KV: what it would send differs from what was refused.
  const next = await new StateStore(memory, target, newRunId(2)).load();
  const plan = planSync([deal], next, {
    key: TEST_KEY,
    sameRequest: (planned, stored) => sameRequest(planned, SETTINGS, stored),
  });
  assert.deepEqual(plan.held, [], "released");
  assert.deepEqual(plan.update.map((p) => p.deal.orderNumber), ["A-1"]);
});

Deno.test("rekeyState(): an in-doubt version is recognised, or forgotten (the deal is sent anyway)", () => {
  const deal = makeDeal();
  const doubt = (sent: string): DealState => ({
    ...accepted(deal, LEGACY),
    outcome: "inDoubt",
    sent,
  });
  const state: SyncState = new Map([
    ["A-1", doubt(fingerprint(deal, LEGACY))],
    ["A-2", doubt(fingerprint({ ...deal, status: "x" }, LEGACY))],
  ]);
  rekeyState([deal, { ...deal, orderNumber: "A-2", row: 3 }], [], state, OPTIONS);
  assert.equal(state.get("A-1")!.sent, fingerprint(deal, TEST_KEY));
  assert.equal(state.get("A-2")!.sent, undefined);
});

Deno.test("rekeyState(): deals no row reads keep their outcome and lose every hash", () => {
  const deal = makeDeal({ orderNumber: "GONE" });
  const state: SyncState = new Map([
    ["GONE", { ...accepted(deal, LEGACY), outcome: "held", reason: "нет", request: "r:abc" }],
  ]);
  assert.deepEqual(rekeyState([], [], state, OPTIONS), { rekeyed: 0, scrubbed: 1, removed: 0 });
  assert.deepEqual(state.get("GONE"), {
    fingerprint: "",
    matching: "",
    exists: true,
    outcome: "held",
    at: AT,
    reason: "нет",
    request: RELEASED_REQUEST,
    known: { status: "?", statusAt: AT, tags: "?", custom: "?" },
  });
});

Deno.test("rekeyState(): rows recognised by their raw hash are left alone; contacts as IDs removed", () => {
  const known = makeDeal({ orderNumber: "K-1" });
  const entry = accepted(known, TEST_KEY);
  const state: SyncState = new Map([
    ["K-1", entry],
    ["79161112233", accepted(makeDeal({ orderNumber: "79161112233" }), LEGACY)],
    ["ivan@mail.ru", accepted(makeDeal({ orderNumber: "ivan@mail.ru" }), LEGACY)],
  ]);
  const counts = rekeyState([], [{ row: 2, orderNumber: "K-1" }], state, OPTIONS);
  assert.deepEqual(counts, { rekeyed: 0, scrubbed: 0, removed: 2 });
  assert.deepEqual([...state.keys()], ["K-1"]);
  assert.equal(state.get("K-1"), entry);
  assert.equal(entry.raw, 12345, "its raw hash, under the current key, kept");
});
