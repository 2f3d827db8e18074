/**
 * sendPlan() against the Calltouch emulator under every answer form it can give: fallbacks that
 * do not depend on wording or transport, whole-request refusals, doubt journalled before a
 * request leaves, a wrong URL told apart from refused orders, and the request budget.
 */
import assert from "node:assert/strict";
import { CalltouchClient } from "../../src/calltouch/client.ts";
import type { Deal } from "../../src/deal.ts";
import { MemoryStore } from "../../src/store/memory.ts";
import { type PlannedDeal, planSync } from "../../src/sync/plan.ts";
import { knownHash } from "../../src/columns/payload.ts";
import type { DealState } from "../../src/sync/state.ts";
import { heldReason, landedShows, sendAll, type SendResult } from "../../src/sync/send.ts";
import { StateStore, type SyncState } from "../../src/sync/state.ts";
import {
  type CalltouchEmulator,
  type CalltouchEmulatorOptions,
  startCalltouchEmulator,
  SYSTEMATIC_REASON,
} from "../emulators/calltouch.ts";
import { emulatorClient, SEED_SETTINGS } from "../support/calltouch.ts";
import { TEST_KEY } from "../support/keys.ts";
import { ManualClock } from "../support/clock.ts";
import { RequestBudget } from "../../src/util/budget.ts";
import { makeDeal } from "../support/deals.ts";

const SETTINGS = SEED_SETTINGS;
const START = Date.UTC(2026, 10, 28, 12, 0, 0);
const LATER = START + 3_600_000;

function deals(count: number, from = 1): Deal[] {
  return Array.from({ length: count }, (_, i) =>
    makeDeal({
      row: i + from + 1,
      orderNumber: `D-${i + from}`,
      phones: [`7916${String(i + from).padStart(7, "0")}`],
      emails: [],
    }));
}

interface Harness {
  calltouch: CalltouchEmulator;
  store: MemoryStore;
  state: SyncState;
  client: CalltouchClient;
  /** Plans `list` against the state and sends it; `maxRequests` caps its Calltouch requests. */
  send(
    list: Deal[],
    options?: {
      maxRequests?: number;
      url?: string;
      fetch?: typeof fetch;
      inCalltouch?: ReadonlySet<string>;
    },
  ): Promise<SendResult>;
}

async function withSend(
  options: CalltouchEmulatorOptions,
  fn: (h: Harness) => Promise<void>,
): Promise<void> {
  const clock = new ManualClock(START);
  const calltouch = await startCalltouchEmulator({ clock, ...options });
  const store = new MemoryStore();
  let client = emulatorClient(calltouch, { clock });
  let run = 0;
  const h: Harness = {
    calltouch,
    store,
    state: new Map(),
    get client() {
      return client;
    },
    async send(list, { maxRequests, url, fetch, inCalltouch } = {}) {
      const budget = new RequestBudget(maxRequests ?? Infinity);
      client = emulatorClient(calltouch, {
        baseUrl: url ?? calltouch.url,
        clock,
        fetch,
        take: () => budget.take(),
      });
      const journal = new StateStore(
        store,
        { spreadsheetId: "sheet", tab: "", siteId: "1" },
        `run-${++run}`,
      );
      h.state = await journal.load();
      const plan = planSync(list, h.state, { key: TEST_KEY, inCalltouch });
      const result = await sendAll(plan, {
        client,
        settings: SETTINGS,
        state: h.state,
        clock,
        deadline: LATER,
      }, (record) => journal.record(record));
      await journal.compact(h.state, clock.now());
      return result;
    },
  };
  try {
    await fn(h);
  } finally {
    await calltouch.close();
  }
}

function kinds(result: SendResult): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const status of result.statuses.values()) {
    counts[status.kind] = (counts[status.kind] ?? 0) + 1;
  }
  return counts;
}

function createdOnce(calltouch: CalltouchEmulator): boolean {
  return [...calltouch.deals.values()].every((d) => d.createCount === 1);
}

Deno.test("sendPlan() sends 250 new deals as 3 creates of at most 100", async () => {
  await withSend({}, async (h) => {
    const result = await h.send(deals(250));
    assert.deepEqual(kinds(result), { created: 250 });
    const sizes = h.calltouch.requests.map((r) => (r.body as { orders: unknown[] }).orders.length);
    assert.deepEqual(sizes, [100, 100, 50]);
  });
});

/** Every answer form a refusal of one order can take. */
const VARIANTS: [string, CalltouchEmulatorOptions][] = [
  ["per-order error, known words", {}],
  ["per-order error, arbitrary words", { wording: "arbitrary" }],
  ["per-order error as a string", { errorShape: "string", wording: "arbitrary" }],
  ["per-order error as a one-entry array", { errorShape: "array" }],
  ["per-order {errors: […]}", { errorShape: "errors" }],
  ["a failing status field without error", { errorShape: "status" }],
  ["success: false without error", { errorShape: "successFalse" }],
  ["results keyed by numeric order numbers", { resultShape: "byNumericOrderNumber" }],
  ["whole-request 400", { refusal: 400 }],
  ["whole-request 404", { refusal: 404 }],
  ["whole-request 409", { refusal: 409, wording: "arbitrary" }],
  ["whole-request 422", { refusal: 422 }],
  ["no per-order results (success only), refusals as 400", { answer: "successOnly" }],
  ["an empty body, refusals as 409", { answer: "emptyBody", refusal: 409 }],
];

Deno.test("sendPlan() after a lost state: deals that exist are updated, new ones created, each once", async (t) => {
  for (const [name, options] of VARIANTS) {
    await t.step(name, async () => {
      await withSend(options, async (h) => {
        await h.send(deals(10));
        assert.equal(h.calltouch.deals.size, 10);
        await h.store.data.clear();
        // Every deal edited, and 2 new ones: with no state, all 12 are planned as creates.
        const edited = [...deals(10), ...deals(2, 11)].map((d) => ({ ...d, status: "Пришел" }));
        const before = h.calltouch.requests.length;
        const result = await h.send(edited);
        assert.equal(
          [...result.statuses.values()].filter((s) => s.kind === "created" || s.kind === "updated")
            .length,
          12,
          JSON.stringify(kinds(result)),
        );
        assert.ok(createdOnce(h.calltouch), "no deal created twice");
        assert.equal(h.calltouch.deals.size, 12);
        for (const deal of h.calltouch.deals.values()) assert.equal(deal.fields.status, "Пришел");
        const spent = h.calltouch.requests.length - before;
        assert.ok(spent <= 40, `requests: ${spent}`);
        // And the state now knows: the next run of the same sheet sends nothing.
        const again = await h.send(edited);
        assert.equal(again.statuses.size, 0);
      });
    });
  }
});

Deno.test("sendPlan() updates of deals Calltouch does not know become creates, in every form", async (t) => {
  for (const [name, options] of VARIANTS) {
    await t.step(name, async () => {
      await withSend(options, async (h) => {
        await h.send(deals(6));
        h.calltouch.deals.clear(); // Calltouch lost them (or a restore brought old state back)
        const result = await h.send(deals(6).map((d) => ({ ...d, revenue: "5000.00" })));
        assert.deepEqual(kinds(result), { created: 6 }, name);
        assert.equal(h.calltouch.deals.size, 6);
        assert.ok(createdOnce(h.calltouch));
      });
    });
  }
});

Deno.test("sendPlan() holds a deal only when both methods refuse it, with the planned method's words", async (t) => {
  await t.step("a per-order refusal of any words: fallback, then held", async () => {
    await withSend({ wording: "arbitrary" }, async (h) => {
      h.calltouch.rejectOrder("D-2", "Статус «Архив» не найден в воронке");
      const result = await h.send(deals(3));
      assert.deepEqual(kinds(result), { created: 2, held: 1 });
      const held = result.statuses.get("D-2");
      assert.equal(held?.kind === "held" && held.reason, "Статус «Архив» не найден в воронке");
      const paths = h.calltouch.requests.map((r) => r.path.split("/").pop());
      assert.deepEqual(paths, ["create", "update"], "one fallback request for the refused order");
      assert.equal(h.state.get("D-2")?.outcome, "held");
      assert.ok(h.state.get("D-2")?.request, "the refused request is remembered by its hash");
    });
  });

  await t.step("only the failed orders' results, unnamed: halves until each is told", async () => {
    await withSend({ resultShape: "errorsOnly" }, async (h) => {
      h.calltouch.rejectOrder("D-3", "Статус «Архив» не найден в воронке");
      const result = await h.send(deals(4));
      assert.equal(result.statuses.get("D-3")?.kind, "held");
      assert.ok(createdOnce(h.calltouch), "no good order refused for another's error");
      // Calltouch applied the good ones but did not say which failed: the halves are sent
      // again, their creates refused as existing, their updates halved until each is told.
      assert.deepEqual(kinds(result), { updated: 3, held: 1 });
      const sent = h.calltouch.requests.map((r) =>
        `${r.path.split("/").pop()}:${
          (r.body as { orders: { orderNumber: string }[] }).orders.map((o) => o.orderNumber)
        }`
      );
      assert.deepEqual(sent, [
        "create:D-1,D-2,D-3,D-4",
        "create:D-1,D-2",
        "create:D-3,D-4",
        "update:D-1,D-2,D-3,D-4",
        "update:D-1,D-2",
        "update:D-3,D-4",
        "update:D-3",
        "update:D-4",
      ]);
    });
  });

  await t.step(
    "an order alone whose answer still does not tell: held, in two requests",
    async () => {
      await withSend({}, async (h) => {
        // Calltouch applies the order, but answers two unnamed results, one an error, for one
        // order: which result is its own cannot be told, even alone.
        const unclear: typeof fetch = async (input, init) => {
          await (await fetch(input, init)).body?.cancel();
          return Response.json({
            meta: {},
            data: { orders: [{ error: null }, { error: "Ошибка" }] },
          });
        };
        // A bounded budget: a run that kept halving one order would spend all of it.
        const result = await h.send(deals(1), { fetch: unclear, maxRequests: 10 });
        assert.deepEqual(kinds(result), { held: 1 });
        const paths = h.calltouch.requests.map((r) => r.path.split("/").pop());
        assert.deepEqual(paths, ["create", "update"], "each method once, then held");
        assert.equal(h.state.get("D-1")?.outcome, "held");
      });
    },
  );

  await t.step("a systematic refusal holds every deal in two requests", async () => {
    await withSend({ refuseAll: true }, async (h) => {
      const result = await h.send(deals(30));
      assert.deepEqual(kinds(result), { held: 30 });
      assert.equal(h.calltouch.requests.length, 2);
      const held = result.statuses.get("D-1");
      assert.equal(held?.kind === "held" && held.reason, SYSTEMATIC_REASON);
    });
  });

  await t.step(
    "a systematic whole-request refusal holds every deal, in bounded requests",
    async () => {
      await withSend({ refuseAll: true, refusal: 400 }, async (h) => {
        const result = await h.send(deals(8));
        assert.deepEqual(kinds(result), { held: 8 });
        assert.ok(h.calltouch.requests.length <= 4 * 8, `${h.calltouch.requests.length}`);
        assert.equal(h.calltouch.deals.size, 0);
      });
    },
  );

  await t.step("one schema-invalid order among 100: the 99 others go", async () => {
    await withSend({}, async (h) => {
      const list = deals(100);
      list[41] = { ...list[41], revenue: "1e5" }; // the emulator refuses the money format
      const result = await h.send(list);
      assert.deepEqual(kinds(result), { created: 99, held: 1 });
      const held = result.statuses.get("D-42");
      assert.match(held?.kind === "held" ? held.reason : "", /^revenue: /);
      assert.ok(h.calltouch.requests.length <= 20, `${h.calltouch.requests.length}`);
    });
  });

  await t.step("heldReason() prefers the other answer only over an 'exists'/'not found'", () => {
    assert.equal(
      heldReason("create", { create: "Order already exists", update: "Bad status" }),
      "Bad status",
    );
    assert.equal(
      heldReason("update", { update: "Bad status", create: "Order already exists" }),
      "Bad status",
    );
    assert.equal(
      heldReason("update", { update: "Сделка не найдена", create: "Неверная дата" }),
      "Неверная дата",
    );
    assert.equal(heldReason("create", { create: "Код 17", update: "Код 18" }), "Код 17");
  });
});

Deno.test("sendPlan() journals deals in doubt before a request leaves", async (t) => {
  await t.step("the doubt is in KV before the request is on the wire", async () => {
    await withSend({}, async (h) => {
      const seen: string[] = [];
      // What KV holds at the moment each request leaves (a crash right then keeps just that).
      const watching: typeof fetch = (input, init) => {
        seen.push(
          [...h.store.data.entries()].filter(([k]) => k.includes(":delta:"))
            .map(([, v]) => v.value).join("\n"),
        );
        return fetch(input, init);
      };
      await h.send(deals(2), { fetch: watching });
      assert.equal(seen.length, 1);
      assert.match(seen[0], /"D-1":\["","",0,"s",\d+[\],]/);
      assert.match(seen[0], /"D-2":\["","",0,"s",\d+[\],]/);
    });
  });

  await t.step("an answer that may have landed leaves the deals in doubt", async () => {
    await withSend({}, async (h) => {
      h.calltouch.applyThenFail(5, 502);
      const result = await h.send(deals(2));
      assert.deepEqual(kinds(result), { pending: 2 });
      assert.equal(h.state.get("D-1")?.outcome, "inDoubt");
      assert.equal(h.calltouch.deals.get("D-1")?.createCount, 1, "it did land");
      // The next run sends it again although nothing changed, and converges without a duplicate.
      const next = await h.send(deals(2));
      assert.deepEqual(kinds(next), { updated: 2 });
      assert.ok(createdOnce(h.calltouch));
      assert.equal(h.state.get("D-1")?.outcome, "updated");
    });
  });
});

Deno.test("sendPlan(): a retry with the other method keeps unknown what either try carried", async () => {
  await withSend({}, async (h) => {
    // In Calltouch with a tag; the state is lost, and the sheet's tags were cleared meanwhile.
    await h.send([makeDeal({ orderNumber: "T-1", tags: ["яндекс"] })]);
    h.store.data.clear();
    const cleared = [makeDeal({ orderNumber: "T-1", tags: [] })];
    // The create is refused ("exists"); its fallback update never gets an answer.
    const updatesLost: typeof fetch = (input, init) =>
      String(input instanceof Request ? input.url : input).endsWith("/update")
        ? Promise.reject(new TypeError("connection reset"))
        : fetch(input, init);
    const lost = await h.send(cleared, { fetch: updatesLost });
    assert.deepEqual(kinds(lost), { pending: 1 });
    assert.equal(h.state.get("T-1")?.outcome, "inDoubt");
    assert.equal(h.state.get("T-1")?.known?.tags, "?", "the update carried the (empty) tag list");
    // The next run sends the list again, and the tag goes.
    const next = await h.send(cleared);
    assert.deepEqual(kinds(next), { updated: 1 });
    assert.deepEqual(h.calltouch.deals.get("T-1")?.tags, []);
    assert.equal(h.calltouch.deals.get("T-1")?.createCount, 1);
  });
});

Deno.test("sendPlan() tells a wrong CALLTOUCH_API_URL from refused orders", async (t) => {
  await t.step("both methods 404 without Calltouch's JSON: a run-level error", async () => {
    await withSend({}, async (h) => {
      const result = await h.send(deals(3), { url: `${h.calltouch.url}/wrong` });
      assert.match(result.error?.message ?? "", /CALLTOUCH_API_URL/);
      assert.deepEqual(kinds(result), { pending: 3 });
      // Each row names the address to fix, not the key.
      assert.deepEqual(result.statuses.get("D-1"), {
        kind: "pending",
        why: "url",
        at: START,
        check: "CALLTOUCH_API_URL",
      });
      assert.ok(h.calltouch.requests.length <= 2);
    });
  });
  await t.step("a single order: same", async () => {
    await withSend({}, async (h) => {
      const result = await h.send(deals(1), { url: `${h.calltouch.url}/wrong` });
      assert.match(result.error?.message ?? "", /CALLTOUCH_API_URL/);
      assert.equal(h.state.get("D-1"), undefined, "not held, not in doubt: nothing was applied");
    });
  });
  await t.step("a 404 in Calltouch's JSON is a refusal like any other", async () => {
    await withSend({ refusal: 404 }, async (h) => {
      await h.send(deals(1));
      await h.store.data.clear();
      const result = await h.send(deals(1));
      assert.equal(result.error, undefined);
      assert.deepEqual(kinds(result), { updated: 1 });
    });
  });
});

Deno.test("sendPlan() stops at the request budget and leaves the rest pending", async () => {
  await withSend({}, async (h) => {
    const result = await h.send(deals(350), { maxRequests: 2 });
    assert.deepEqual(kinds(result), { created: 200, pending: 150 });
    assert.equal(h.calltouch.requests.length, 2);
  });
});

Deno.test("landedShows(): only when the deals journal could show that the request landed", () => {
  const deal = makeDeal({ orderNumber: "A", status: "Пришел" });
  const knownAs = (status: string) => ({
    status: knownHash(status, TEST_KEY),
    statusAt: 1,
    tags: "",
    custom: "",
  });
  const planned = (previous?: Partial<DealState>, absent?: boolean): PlannedDeal => ({
    action: previous?.exists ? "update" : "create",
    deal,
    fingerprint: "f2",
    matching: "m",
    rematch: false,
    ...(previous
      ? {
        previous: {
          fingerprint: "f1",
          matching: "m",
          exists: false,
          outcome: "created",
          at: 1,
          ...previous,
        },
      }
      : {}),
    ...(absent ? { absent } : {}),
  });
  const cases: [string, PlannedDeal, boolean][] = [
    ["a create of a deal the look-up did not find", planned(undefined, true), true],
    ["a create without a look-up (the deal may be there)", planned(), false],
    ["an update to another status", planned({ exists: true, known: knownAs("Запись") }), true],
    ["an update keeping the status", planned({ exists: true, known: knownAs("Пришел") }), false],
    ["an update, holds unknown (older state)", planned({ exists: true }), false],
    ["in doubt with this version", planned({ outcome: "inDoubt", sent: "f2" }), true],
    ["in doubt with another version", planned({ outcome: "inDoubt", sent: "f1" }), false],
    [
      "in doubt, not provable",
      planned({ outcome: "inDoubt", exists: true, known: knownAs("Запись") }),
      false,
    ],
  ];
  for (const [name, input, expected] of cases) {
    assert.equal(landedShows(input, SETTINGS), expected, name);
  }
});

Deno.test("a create the look-up saw absent but Calltouch refused: the fallback's doubt proves nothing", async () => {
  await withSend({}, async (h) => {
    const [deal] = deals(1);
    await h.send([deal]); // created
    for (const { name } of (await h.store.list({})).keys) await h.store.delete(name); // state lost
    let calls = 0;
    // The create's answer arrives (refused as existing); every answer after it is lost.
    const lossy: typeof fetch = async (input, init) => {
      const answer = await fetch(input, init);
      if (++calls === 1) return answer;
      await answer.body?.cancel();
      return new Response("Bad gateway", { status: 502 });
    };
    await h.send([deal], { fetch: lossy, inCalltouch: new Set() });
    const entry = h.state.get(deal.orderNumber);
    assert.equal(entry?.outcome, "inDoubt");
    assert.equal(entry?.sent, undefined, "its presence in the journal would not prove the update");
  });
});
