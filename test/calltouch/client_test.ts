import assert from "node:assert/strict";
import {
  CALLTOUCH_PATHS,
  CalltouchClient,
  type CalltouchClientOptions,
  type OrderOutcome,
} from "../../src/calltouch/client.ts";
import { SlidingWindowLimiter } from "../../src/calltouch/limiter.ts";
import { createOrder, type PayloadSettings, updateOrder } from "../../src/calltouch/payload.ts";
import type { CreateOrder } from "../../src/calltouch/types.ts";
import type { Deal } from "../../src/deal.ts";
import { ManualClock } from "../../src/util/clock.ts";
import { UpstreamError } from "../../src/util/errors.ts";
import {
  type CalltouchEmulator,
  type CalltouchEmulatorOptions,
  startCalltouchEmulator,
} from "../emulators/calltouch.ts";

const SETTINGS: PayloadSettings = {
  crm: "Google Sheets",
  customSource: { source: "офлайн-визит", medium: "офлайн-визит", campaign: "офлайн-визит" },
  searchDepthMinutes: 259200,
  matchMode: "nearest",
};
const START = Date.UTC(2026, 10, 28, 12, 0, 0);
/** Far enough that no test reaches it unless it means to. */
const LATER = START + 3_600_000;

function deal(n: number, overrides: Partial<Deal> = {}): Deal {
  return {
    row: n + 1,
    orderNumber: `D-${n}`,
    orderDate: "2026-11-28T15:05:00",
    status: "Запись",
    statusDate: "2026-11-28T15:05:00",
    revenue: "1000.00",
    phones: [`7915${String(n).padStart(7, "0")}`],
    emails: [],
    tags: ["Тег1"],
    ...overrides,
  };
}

function creates(count: number): CreateOrder[] {
  return Array.from({ length: count }, (_, i) => createOrder(deal(i + 1), SETTINGS));
}

interface Setup {
  calltouch: CalltouchEmulator;
  clock: ManualClock;
  client: (overrides?: Partial<CalltouchClientOptions>) => CalltouchClient;
}

/** An emulator and clients sharing one ManualClock: limiter waits and backoff never sleep. */
async function withCalltouch(
  options: CalltouchEmulatorOptions,
  fn: (setup: Setup) => Promise<void>,
): Promise<void> {
  const clock = new ManualClock(START);
  const calltouch = await startCalltouchEmulator({ clock, ...options });
  const client = (overrides: Partial<CalltouchClientOptions> = {}) =>
    new CalltouchClient({
      baseUrl: calltouch.url,
      siteId: calltouch.siteId,
      token: calltouch.token,
      clock,
      ...overrides,
    });
  try {
    await fn({ calltouch, clock, client });
  } finally {
    await calltouch.close();
  }
}

function kinds(outcomes: OrderOutcome[]): string[] {
  return outcomes.map((o) => o.kind);
}

function messageOf(outcome: OrderOutcome): string {
  return "message" in outcome ? outcome.message : "";
}

Deno.test("CalltouchClient.create() sends 250 deals as 3 requests of at most 100", async () => {
  await withCalltouch({}, async ({ calltouch, client }) => {
    const ct = client({ crm: "Моя таблица" });
    const batches: number[] = [];
    const orders = creates(250);
    const outcomes = await ct.create(orders, {
      deadline: LATER,
      onBatch: (batch) => {
        batches.push(batch.length);
        return Promise.resolve();
      },
    });

    assert.deepEqual(batches, [100, 100, 50]);
    assert.equal(ct.requestCount, 3);
    assert.deepEqual(
      calltouch.requests.map((r) => (r.body as { orders: unknown[] }).orders.length),
      [
        100,
        100,
        50,
      ],
    );
    for (const request of calltouch.requests) {
      assert.equal(request.method, "POST");
      assert.equal(request.path, CALLTOUCH_PATHS.create);
      assert.equal(request.headers["access-token"], calltouch.token);
      assert.equal(request.headers["siteid"], calltouch.siteId);
      assert.equal(request.headers["content-type"], "application/json");
      assert.equal((request.body as { crm: string }).crm, "Моя таблица");
    }
    assert.equal(outcomes.length, 250);
    assert.deepEqual(outcomes.map((o) => o.orderNumber), orders.map((o) => o.orderNumber));
    assert.ok(outcomes.every((o) => o.kind === "accepted" && o.calltouchOrderId));
    assert.equal(calltouch.deals.size, 250);
    assert.equal(calltouch.deals.get("D-1")?.fields.revenue, "1000.00");
  });
});

Deno.test("CalltouchClient sends nothing for an empty list", async () => {
  await withCalltouch({}, async ({ calltouch, client }) => {
    const ct = client();
    assert.deepEqual(await ct.create([], { deadline: LATER }), []);
    assert.deepEqual(await ct.update([], { deadline: LATER }), []);
    assert.equal(ct.requestCount, 0);
    assert.equal(calltouch.requests.length, 0);
  });
});

Deno.test("CalltouchClient never exceeds 5 requests per second", async (t) => {
  await t.step("across 12 batches, on a shared ManualClock", async () => {
    await withCalltouch({ rateLimit: true }, async ({ calltouch, clock, client }) => {
      const ct = client();
      const outcomes = await ct.create(creates(1150), { deadline: LATER });
      assert.equal(ct.requestCount, 12);
      assert.equal(calltouch.rateViolations, 0);
      assert.ok(calltouch.requests.every((r) => r.status === 200));
      assert.ok(outcomes.every((o) => o.kind === "accepted"));
      assert.ok(clock.now() > START, "the limiter waited");
    });
  });

  await t.step("when two clients of one isolate send at the same time", async () => {
    await withCalltouch({ rateLimit: true }, async ({ calltouch, client }) => {
      const [a, b] = [client(), client()];
      const [first, second] = await Promise.all([
        a.create(creates(400), { deadline: LATER }),
        b.update(
          Array.from(
            { length: 400 },
            (_, i) => updateOrder(deal(i + 1), SETTINGS, { rematch: false }),
          ),
          { deadline: LATER },
        ),
      ]);
      assert.equal(calltouch.requests.length, 8);
      assert.equal(calltouch.rateViolations, 0);
      assert.equal(first.length + second.length, 800);
    });
  });

  await t.step("in real time, with the default shared limiter", async () => {
    // 7 requests: the 6th must wait for the window, so this takes about 1.1 s of real time.
    const calltouch = await startCalltouchEmulator({ rateLimit: true });
    try {
      const ct = new CalltouchClient({
        baseUrl: calltouch.url,
        siteId: calltouch.siteId,
        token: calltouch.token,
      });
      const outcomes = await ct.create(creates(700), { deadline: Date.now() + 60_000 });
      assert.equal(ct.requestCount, 7);
      assert.equal(calltouch.rateViolations, 0);
      assert.ok(outcomes.every((o) => o.kind === "accepted"));
    } finally {
      await calltouch.close();
    }
  });
});

Deno.test("CalltouchClient retries 5xx, 429 and network errors, then succeeds", async (t) => {
  await t.step("503 twice, then success", async () => {
    await withCalltouch({}, async ({ calltouch, client }) => {
      calltouch.failNext(2, 503);
      const ct = client();
      const outcomes = await ct.create(creates(3), { deadline: LATER });
      assert.deepEqual(kinds(outcomes), ["accepted", "accepted", "accepted"]);
      assert.deepEqual(calltouch.requests.map((r) => r.status), [503, 503, 200]);
      assert.equal(ct.requestCount, 3);
      assert.equal(calltouch.deals.get("D-1")?.createCount, 1);
    });
  });

  await t.step("429, then success", async () => {
    await withCalltouch({}, async ({ calltouch, client }) => {
      calltouch.failNext(1, 429);
      const outcomes = await client().create(creates(1), { deadline: LATER });
      assert.deepEqual(kinds(outcomes), ["accepted"]);
      assert.deepEqual(calltouch.requests.map((r) => r.status), [429, 200]);
    });
  });

  await t.step("a throttling Calltouch behind a limiter that lets too much through", async () => {
    await withCalltouch({ rateLimit: true }, async ({ calltouch, clock, client }) => {
      const permissive = new SlidingWindowLimiter({ limit: 100, windowMs: 1000, clock });
      const outcomes = await client({ limiter: permissive }).create(creates(800), {
        deadline: LATER,
      });
      assert.ok(outcomes.every((o) => o.kind === "accepted"));
      assert.ok(calltouch.requests.some((r) => r.status === 429), "Calltouch throttled");
      assert.equal(calltouch.deals.size, 800);
      assert.ok([...calltouch.deals.values()].every((d) => d.createCount === 1));
    });
  });

  await t.step("a connection refused is transient once the attempts run out", async () => {
    const calltouch = await startCalltouchEmulator();
    const url = calltouch.url;
    await calltouch.close();
    const clock = new ManualClock(START);
    const ct = new CalltouchClient({ baseUrl: url, siteId: "1", token: "t", clock });
    const outcomes = await ct.create(creates(2), { deadline: LATER });
    assert.equal(ct.requestCount, 5);
    for (const outcome of outcomes) {
      assert.equal(outcome.kind, "transient");
      assert.ok(outcome.kind === "transient" && outcome.why === "unavailable");
    }
  });

  await t.step("an answer slower than the request timeout counts as a network error", async () => {
    await withCalltouch({ delayMs: 300 }, async ({ calltouch, client }) => {
      const ct = client({ requestTimeoutMs: 20, maxAttempts: 2 });
      const outcomes = await ct.create(creates(1), { deadline: LATER });
      assert.deepEqual(kinds(outcomes), ["transient"]);
      assert.equal(ct.requestCount, 2);
      calltouch.delayMs = 0;
    });
  });
});

Deno.test("CalltouchClient gives up inside the deadline with transient outcomes", async (t) => {
  await t.step("retries exhausted: every order of the batch is transient", async () => {
    await withCalltouch({}, async ({ calltouch, client }) => {
      calltouch.failNext(100, 502);
      const ct = client();
      const outcomes = await ct.create(creates(3), { deadline: LATER });
      assert.equal(ct.requestCount, 5);
      assert.deepEqual(kinds(outcomes), ["transient", "transient", "transient"]);
      assert.match(messageOf(outcomes[0]), /HTTP 502/);
      assert.equal(calltouch.deals.size, 0);
    });
  });

  await t.step("no retry starts after the deadline", async () => {
    await withCalltouch({}, async ({ calltouch, client }) => {
      calltouch.failNext(100, 503);
      const deadline = START + 2_000;
      const outcomes = await client().create(creates(2), { deadline });
      assert.ok(calltouch.requests.length >= 1);
      assert.ok(calltouch.requests.every((r) => r.time < deadline));
      assert.ok(outcomes.every((o) => o.kind === "transient" && o.why === "unavailable"));
    });
  });

  await t.step("batches that do not fit are not sent and say so", async () => {
    await withCalltouch({}, async ({ calltouch, clock, client }) => {
      // One request per 10 s: the second batch could only start after the deadline.
      const slow = new SlidingWindowLimiter({ limit: 1, windowMs: 10_000, clock });
      const ct = client({ limiter: slow });
      const deadline = START + 5_000;
      let calls = 0;
      const outcomes = await ct.create(creates(250), {
        deadline,
        onBatch: () => {
          calls++;
          return Promise.resolve();
        },
      });
      assert.equal(ct.requestCount, 1);
      assert.equal(calltouch.requests.length, 1);
      assert.ok(calltouch.requests.every((r) => r.time < deadline));
      assert.equal(calls, 3);
      assert.ok(outcomes.slice(0, 100).every((o) => o.kind === "accepted"));
      for (const outcome of outcomes.slice(100)) {
        assert.ok(outcome.kind === "transient" && outcome.why === "out-of-time");
        assert.match(outcome.message, /следующем/);
      }
    });
  });

  await t.step("a deadline already past sends nothing", async () => {
    await withCalltouch({}, async ({ calltouch, client }) => {
      const ct = client({ language: "en" });
      const outcomes = await ct.update(
        [updateOrder(deal(1), SETTINGS, { rematch: false })],
        { deadline: START },
      );
      assert.equal(calltouch.requests.length, 0);
      assert.deepEqual(outcomes, [{
        orderNumber: "D-1",
        kind: "transient",
        why: "out-of-time",
        message: "Did not fit in this run: it will be sent in the next one",
      }]);
    });
  });
});

Deno.test("CalltouchClient reads per-order errors in every shape", async (t) => {
  for (const errorShape of ["string", "object"] as const) {
    await t.step(
      `a refused order (error as ${errorShape}) is rejected with the reason`,
      async () => {
        await withCalltouch({ errorShape }, async ({ calltouch, client }) => {
          calltouch.rejectOrder("D-2", "Некорректный статус сделки для телефона 79157771122");
          const outcomes = await client().create(creates(3), { deadline: LATER });
          assert.deepEqual(kinds(outcomes), ["accepted", "rejected", "accepted"]);
          assert.match(messageOf(outcomes[1]), /Некорректный статус сделки/);
          assert.match(messageOf(outcomes[1]), /7915\*\*\*1122/);
          assert.doesNotMatch(messageOf(outcomes[1]), /79157771122/);
        });
      },
    );

    await t.step(`a duplicate create (error as ${errorShape}) is "exists"`, async () => {
      await withCalltouch({ errorShape }, async ({ calltouch, client }) => {
        const ct = client();
        await ct.create(creates(1), { deadline: LATER });
        const outcomes = await ct.create(creates(2), { deadline: LATER });
        assert.deepEqual(kinds(outcomes), ["exists", "accepted"]);
        assert.equal(calltouch.deals.get("D-1")?.createCount, 1);
      });
    });

    await t.step(
      `an update of an unknown deal (error as ${errorShape}) is "notFound"`,
      async () => {
        await withCalltouch({ errorShape }, async ({ calltouch, client }) => {
          const outcomes = await client().update(
            [updateOrder(deal(1), SETTINGS, { rematch: false })],
            { deadline: LATER },
          );
          assert.deepEqual(kinds(outcomes), ["notFound"]);
          assert.equal(calltouch.deals.size, 0);
        });
      },
    );
  }
});

Deno.test("CalltouchClient works whether Calltouch errors or upserts", async (t) => {
  await t.step("duplicate create in upsert mode is accepted and not created twice", async () => {
    await withCalltouch({ duplicateCreate: "upsert" }, async ({ calltouch, client }) => {
      const ct = client();
      await ct.create(creates(1), { deadline: LATER });
      const outcomes = await ct.create(creates(1), { deadline: LATER });
      assert.deepEqual(kinds(outcomes), ["accepted"]);
      assert.equal(calltouch.deals.get("D-1")?.createCount, 1);
    });
  });

  await t.step("update of an unknown deal in create mode is accepted", async () => {
    await withCalltouch({ updateMissing: "create" }, async ({ calltouch, client }) => {
      const outcomes = await client().update(
        [updateOrder(deal(1), SETTINGS, { rematch: true })],
        { deadline: LATER },
      );
      assert.deepEqual(kinds(outcomes), ["accepted"]);
      assert.equal(calltouch.deals.get("D-1")?.createCount, 1);
    });
  });

  for (const duplicateCreate of ["error", "upsert"] as const) {
    const expected = duplicateCreate === "error" ? "exists" : "accepted";
    await t.step(
      `a create applied and then answered 502 ends as "${expected}" (${duplicateCreate} mode)`,
      async () => {
        await withCalltouch({ duplicateCreate }, async ({ calltouch, client }) => {
          calltouch.applyThenFail(1);
          const outcomes = await client().create(creates(1), { deadline: LATER });
          assert.deepEqual(kinds(outcomes), [expected]);
          assert.deepEqual(calltouch.requests.map((r) => r.status), [502, 200]);
          assert.equal(calltouch.deals.size, 1);
          assert.equal(calltouch.deals.get("D-1")?.createCount, 1);
        });
      },
    );
  }
});

Deno.test("CalltouchClient matches results by orderNumber when Calltouch returns them shuffled", async () => {
  await withCalltouch({ resultShape: "byOrderNumber" }, async ({ calltouch, client }) => {
    calltouch.rejectOrder("D-3", "Причина отказа");
    const orders = creates(5);
    const outcomes = await client().create(orders, { deadline: LATER });
    const answered = (calltouch.requests[0] as { status: number }).status;
    assert.equal(answered, 200);
    assert.deepEqual(outcomes.map((o) => o.orderNumber), orders.map((o) => o.orderNumber));
    assert.deepEqual(kinds(outcomes), ["accepted", "accepted", "rejected", "accepted", "accepted"]);
    for (const outcome of outcomes) {
      if (outcome.kind === "accepted") {
        assert.equal(
          outcome.calltouchOrderId,
          String(calltouch.deals.get(outcome.orderNumber)?.calltouchOrderId),
        );
      }
    }
  });
});

Deno.test("CalltouchClient handles a whole-request 400 without losing the good orders", async (t) => {
  const badDate = (n: number): CreateOrder => ({
    ...createOrder(deal(n), SETTINGS),
    orderDate: "31-02-2026 10:00:00",
  });

  await t.step("a single refused order is rejected with Calltouch's reason", async () => {
    await withCalltouch({}, async ({ calltouch, client }) => {
      const ct = client();
      const outcomes = await ct.create([badDate(1)], { deadline: LATER });
      assert.equal(ct.requestCount, 1);
      assert.deepEqual(kinds(outcomes), ["rejected"]);
      assert.match(messageOf(outcomes[0]), /orderDate: expected dd-MM-yyyy HH:mm:ss/);
      assert.equal(calltouch.deals.size, 0);
    });
  });

  await t.step("one bad order among 100 is found by bisection; the 99 others go", async () => {
    await withCalltouch({}, async ({ calltouch, client }) => {
      const orders = creates(100);
      orders[41] = badDate(42);
      const ct = client();
      const outcomes = await ct.create(orders, { deadline: LATER });
      assert.equal(outcomes.length, 100);
      assert.equal(outcomes[41].kind, "rejected");
      assert.equal(outcomes.filter((o) => o.kind === "accepted").length, 99);
      assert.equal(calltouch.deals.size, 99);
      assert.ok(ct.requestCount <= 1 + 14, `requests: ${ct.requestCount}`);
    });
  });

  await t.step("when every order is bad, the bisection budget bounds the requests", async () => {
    await withCalltouch({}, async ({ calltouch, client }) => {
      const orders = Array.from({ length: 100 }, (_, i) => badDate(i + 1));
      const ct = client();
      const outcomes = await ct.create(orders, { deadline: LATER });
      assert.equal(ct.requestCount, 21);
      assert.equal(calltouch.deals.size, 0);
      assert.ok(outcomes.every((o) => o.kind === "rejected" || o.kind === "transient"));
      assert.ok(outcomes.some((o) => o.kind === "rejected"));
    });
  });

  await t.step("update tags in the create shape are refused, not taken for success", async () => {
    await withCalltouch({}, async ({ client }) => {
      const wrong = {
        ...updateOrder(deal(1), SETTINGS, { rematch: false }),
        addTags: [{ tag: "x" }],
      } as unknown as ReturnType<typeof updateOrder>;
      const outcomes = await client().update([wrong], { deadline: LATER });
      assert.deepEqual(kinds(outcomes), ["rejected"]);
      assert.match(messageOf(outcomes[0]), /addTags/);
    });
  });
});

Deno.test("CalltouchClient throws an UpstreamError on refused credentials", async (t) => {
  for (const status of [401, 403]) {
    await t.step(`HTTP ${status}, after onBatch ran for the earlier batch`, async () => {
      await withCalltouch({}, async ({ calltouch, client }) => {
        const seen: number[] = [];
        const ct = client();
        const sending = ct.create(creates(250), {
          deadline: LATER,
          onBatch: (outcomes) => {
            seen.push(outcomes.length);
            calltouch.failNext(1, status);
            return Promise.resolve();
          },
        });
        const error = await sending.then(() => undefined, (e: unknown) => e);
        assert.ok(error instanceof UpstreamError);
        assert.equal(error.upstream, "calltouch");
        assert.equal(error.status, status);
        assert.equal(error.retryable, false);
        assert.match(error.message, /CALLTOUCH_TOKEN/);
        assert.match(error.message, /CALLTOUCH_SITE_ID/);
        assert.deepEqual(seen, [100]);
        assert.equal(ct.requestCount, 2);
      });
    });
  }

  await t.step("a wrong token is never retried", async () => {
    await withCalltouch({}, async ({ calltouch, client }) => {
      const ct = client({ token: "wrong" });
      await assert.rejects(ct.create(creates(1), { deadline: LATER }), UpstreamError);
      assert.equal(calltouch.requests.length, 1);
      assert.equal(calltouch.requests[0].status, 401);
    });
  });

  await t.step("a wrong API URL is named", async () => {
    await withCalltouch({}, async ({ calltouch, client }) => {
      const ct = client({ baseUrl: `${calltouch.url}/nope` });
      await assert.rejects(ct.create(creates(1), { deadline: LATER }), /CALLTOUCH_API_URL/);
    });
  });
});
