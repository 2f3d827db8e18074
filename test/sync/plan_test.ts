import assert from "node:assert/strict";
import { fingerprint, matchingFingerprint } from "../../src/columns/fingerprint.ts";
import { planSync } from "../../src/sync/plan.ts";
import type { DealState, SyncState } from "../../src/sync/state.ts";
import { makeDeal } from "../support/deals.ts";
import { TEST_KEY } from "../support/keys.ts";

const AT = Date.UTC(2026, 10, 28, 12);

function accepted(deal = makeDeal(), overrides: Partial<DealState> = {}): DealState {
  return {
    fingerprint: fingerprint(deal, TEST_KEY),
    matching: matchingFingerprint(deal, TEST_KEY),
    exists: true,
    outcome: "created",
    at: AT,
    ...overrides,
  };
}

function actions(plan: ReturnType<typeof planSync>) {
  return {
    create: plan.create.map((p) => p.deal.orderNumber),
    update: plan.update.map((p) => `${p.deal.orderNumber}${p.rematch ? "+rematch" : ""}`),
    unchanged: plan.unchanged.map((p) => p.orderNumber),
    held: plan.held.map((p) => p.orderNumber),
  };
}

Deno.test("planSync() decides per deal", async (t) => {
  const base = makeDeal();
  const cases: {
    name: string;
    deal: ReturnType<typeof makeDeal>;
    state?: DealState;
    expect: string;
  }[] = [
    { name: "creates a deal it has never seen", deal: base, expect: "create" },
    {
      name: "leaves an unchanged deal alone",
      deal: base,
      state: accepted(base),
      expect: "unchanged",
    },
    {
      name: "ignores the row number (sorting the sheet changes nothing)",
      deal: { ...base, row: 40 },
      state: accepted(base),
      expect: "unchanged",
    },
    {
      name: "sends an update when only the status changed",
      deal: { ...base, status: "Визит" },
      state: accepted(base),
      expect: "update",
    },
    {
      name: "sends an update when only the sum changed",
      deal: { ...base, revenue: "4000.00" },
      state: accepted(base),
      expect: "update",
    },
    {
      name: "rematches when a phone changed",
      deal: { ...base, phones: ["79990001122"] },
      state: accepted(base),
      expect: "update+rematch",
    },
    {
      name: "rematches when the deal date changed",
      deal: { ...base, orderDate: "2026-11-21T10:30:00" },
      state: accepted(base),
      expect: "update+rematch",
    },
    {
      name: "holds a rejected deal whose row has not changed",
      deal: base,
      state: accepted(base, { outcome: "held", exists: false, reason: "bad" }),
      expect: "held",
    },
    {
      name: "creates again a rejected deal once its row changed",
      deal: { ...base, status: "Визит" },
      state: accepted(base, { outcome: "held", exists: false, reason: "bad" }),
      expect: "create",
    },
    {
      name: "updates a deal whose update was rejected once its row changed",
      deal: { ...base, status: "Оплачено" },
      state: accepted({ ...base, status: "Визит" }, { outcome: "held", reason: "bad" }),
      expect: "update",
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      const state: SyncState = new Map(c.state ? [[c.deal.orderNumber, c.state]] : []);
      const plan = actions(planSync([c.deal], state, { key: TEST_KEY }));
      const got = plan.create.length
        ? "create"
        : plan.update[0]
        ? plan.update[0].replace("A-1", "update")
        : plan.unchanged.length
        ? "unchanged"
        : "held";
      assert.equal(got, c.expect);
    });
  }
});

Deno.test("planSync() keeps sheet order inside each group", () => {
  const deals = ["C", "A", "B"].map((id, i) => makeDeal({ orderNumber: id, row: i + 2 }));
  const plan = planSync(deals, new Map([["A", accepted(deals[1])]]), { key: TEST_KEY });
  assert.deepEqual(actions(plan), { create: ["C", "B"], update: [], unchanged: ["A"], held: [] });
});

Deno.test("planSync() carries the fingerprints a run remembers on success", () => {
  const deal = makeDeal({ phones: ["79990001122"] });
  const [planned] = planSync([deal], new Map([["A-1", accepted()]]), { key: TEST_KEY }).update;
  assert.equal(planned.fingerprint, fingerprint(deal, TEST_KEY));
  assert.equal(planned.matching, matchingFingerprint(deal, TEST_KEY));
  assert.equal(planned.rematch, true);
});

Deno.test("fingerprint() changes with every sent field and not with the row", async (t) => {
  const base = makeDeal({ manager: "Иванова", orderName: "МРТ", comment: "c" });
  const variants: [string, Partial<ReturnType<typeof makeDeal>>][] = [
    ["status", { status: "Визит" }],
    ["statusDate", { statusDate: "2026-11-21T00:00:00" }],
    ["orderDate", { orderDate: "2026-11-21T00:00:00" }],
    ["revenue", { revenue: undefined }],
    ["phones", { phones: ["79157771122", "79990001122"] }],
    ["emails", { emails: [] }],
    ["tags", { tags: ["МРТ", "VIP"] }],
    ["manager", { manager: "Петрова" }],
    ["orderName", { orderName: "КТ" }],
    ["comment", { comment: undefined }],
  ];
  for (const [field, change] of variants) {
    await t.step(field, () => {
      assert.notEqual(fingerprint({ ...base, ...change }, TEST_KEY), fingerprint(base, TEST_KEY));
    });
  }
  assert.equal(fingerprint({ ...base, row: 99 }, TEST_KEY), fingerprint(base, TEST_KEY));
  // Moving text between neighbouring fields is a change too.
  assert.notEqual(
    fingerprint({ ...base, manager: "ab", orderName: "c" }, TEST_KEY),
    fingerprint({ ...base, manager: "a", orderName: "bc" }, TEST_KEY),
  );
});

Deno.test("fingerprint() holds no personal data", () => {
  const deal = makeDeal();
  const print = fingerprint(deal, TEST_KEY) + matchingFingerprint(deal, TEST_KEY);
  assert.ok(!print.includes("9157771122"));
  assert.match(print, /^[0-9a-z]+$/);
});

Deno.test("planSync() settles known rows from what it remembers, without a deal", () => {
  const state = new Map<string, DealState>([
    ["K-1", accepted(makeDeal({ orderNumber: "K-1" }), { raw: 1 })],
    ["K-2", accepted(makeDeal({ orderNumber: "K-2" }), { outcome: "held", reason: "нет" })],
  ]);
  const plan = planSync([], state, {
    key: TEST_KEY,
    knownRows: [{ row: 7, orderNumber: "K-1" }, { row: 9, orderNumber: "K-2" }],
  });
  assert.deepEqual(plan.unchanged.map((p) => [p.row, p.orderNumber]), [[7, "K-1"]]);
  assert.deepEqual(plan.held.map((p) => [p.row, p.orderNumber]), [[9, "K-2"]]);
});

Deno.test("planSync() carries raw hashes to sends and refreshes them on unchanged deals", () => {
  const same = makeDeal({ orderNumber: "S", row: 2 });
  const changed = makeDeal({ orderNumber: "C", row: 3 });
  const state = new Map<string, DealState>([
    ["S", accepted(same, { raw: 100 })],
    ["C", accepted(changed)],
  ]);
  const rawHashes = new Float64Array(4);
  rawHashes[2] = 200;
  rawHashes[3] = 300;
  const plan = planSync([same, { ...changed, status: "Визит" }], state, {
    key: TEST_KEY,
    rawHashes,
  });
  assert.equal(plan.unchanged[0].orderNumber, "S");
  assert.equal(state.get("S")?.raw, 200, "refreshed in memory");
  assert.equal(plan.update[0].raw, 300);
});

Deno.test("planSync() sends a deal in doubt again, whatever its row looks like", async (t) => {
  const base = makeDeal();
  await t.step("the row reverted to what was last accepted: update with re-matching", () => {
    const state: SyncState = new Map([["A-1", accepted(base, { outcome: "inDoubt" })]]);
    assert.deepEqual(actions(planSync([base], state, { key: TEST_KEY })).update, ["A-1+rematch"]);
  });
  await t.step("never accepted: an update too (the create in doubt may have landed)", () => {
    const state: SyncState = new Map([
      ["A-1", { fingerprint: "", matching: "", exists: false, outcome: "inDoubt", at: AT }],
    ]);
    assert.deepEqual(actions(planSync([base], state, { key: TEST_KEY })).update, ["A-1+rematch"]);
  });
});

Deno.test("planSync() releases held deals", async (t) => {
  const base = makeDeal();
  const held = (overrides: Partial<DealState> = {}): SyncState =>
    new Map([[
      "A-1",
      accepted(base, { outcome: "held", reason: "нет", request: "h1", ...overrides }),
    ]]);
  const texts = new Map([[2, "❌ Calltouch не принял сделку: нет."]]);
  await t.step("not while its status cell shows the refusal", () => {
    assert.deepEqual(
      actions(planSync([base], held(), { key: TEST_KEY, statusTexts: texts })).held,
      ["A-1"],
    );
  });
  await t.step("when a person cleared its status cell", () => {
    assert.deepEqual(
      actions(planSync([base], held(), { key: TEST_KEY, statusTexts: new Map() })).update,
      ["A-1"],
    );
    const blank = new Map([[2, "  "]]);
    assert.deepEqual(
      actions(planSync([base], held(), { key: TEST_KEY, statusTexts: blank })).update,
      ["A-1"],
    );
  });
  await t.step("when what would be sent changed (settings, payload format)", () => {
    const hashed = (now: string) => (_: unknown, stored: string) => stored === now;
    const plan = planSync([base], held(), {
      key: TEST_KEY,
      statusTexts: texts,
      sameRequest: hashed("h2"),
    });
    assert.deepEqual(actions(plan).update, ["A-1"]);
    const same = planSync([base], held(), {
      key: TEST_KEY,
      statusTexts: texts,
      sameRequest: hashed("h1"),
    });
    assert.deepEqual(actions(same).held, ["A-1"]);
  });
  await t.step("all at once with retryHeld", () => {
    const two: SyncState = new Map([
      ...held(),
      ["B-1", accepted(makeDeal({ orderNumber: "B-1" }), { outcome: "held", exists: false })],
    ]);
    const deals = [base, makeDeal({ orderNumber: "B-1", row: 3 })];
    const plan = actions(planSync(deals, two, { key: TEST_KEY, retryHeld: true }));
    assert.deepEqual([plan.update, plan.create, plan.held], [["A-1"], ["B-1"], []]);
  });
  await t.step("all at once when the oldest refusal is a day old", () => {
    const day = 24 * 60 * 60 * 1000;
    const state: SyncState = new Map([
      ["A-1", accepted(base, { outcome: "held", at: AT })],
      ["B-1", accepted(makeDeal({ orderNumber: "B-1" }), { outcome: "held", at: AT + day })],
    ]);
    const deals = [base, makeDeal({ orderNumber: "B-1", row: 3 })];
    assert.deepEqual(actions(planSync(deals, state, { key: TEST_KEY, now: AT + day - 1 })).held, [
      "A-1",
      "B-1",
    ]);
    assert.deepEqual(actions(planSync(deals, state, { key: TEST_KEY, now: AT + day })).update, [
      "A-1",
      "B-1",
    ]);
  });
});

Deno.test("fingerprint() tells tags apart by where they split", () => {
  assert.notEqual(
    fingerprint(makeDeal({ tags: ["МРТ", "КТ"] }), TEST_KEY),
    fingerprint(makeDeal({ tags: ["МРТК", "Т"] }), TEST_KEY),
  );
});
