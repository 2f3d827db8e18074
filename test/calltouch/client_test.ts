import assert from "node:assert/strict";
import {
  type Answer,
  CALLTOUCH_PATHS,
  CalltouchClient,
  type CalltouchClientOptions,
} from "../../src/calltouch/client.ts";
import { localLimiter } from "../support/rate_gate.ts";
import { createOrder, updateOrder } from "../../src/columns/payload.ts";
import type { CreateOrder } from "../../src/calltouch/types.ts";
import type { Deal } from "../../src/deal.ts";
import { UpstreamError } from "../../src/util/errors.ts";
import {
  ANSWERS_WITHOUT_RESULTS,
  type CalltouchEmulator,
  type CalltouchEmulatorOptions,
  startCalltouchEmulator,
} from "../emulators/calltouch.ts";
import { emulatorClient, SEED_SETTINGS } from "../support/calltouch.ts";
import { ManualClock } from "../support/clock.ts";

const SETTINGS = SEED_SETTINGS;
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

function creates(count: number, from = 1): CreateOrder[] {
  return Array.from({ length: count }, (_, i) => createOrder(deal(i + from), SETTINGS));
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
    emulatorClient(calltouch, { clock, ...overrides });
  try {
    await fn({ calltouch, clock, client });
  } finally {
    await calltouch.close();
  }
}

/** Reading kinds of an `orders` answer, or the answer's kind. */
function kinds(answer: Answer): string[] | string {
  return answer.kind === "orders" ? answer.readings.map((r) => r?.kind ?? "?") : answer.kind;
}

Deno.test("CalltouchClient.post() sends one request with the documented envelope and headers", async () => {
  await withCalltouch({}, async ({ calltouch, client }) => {
    const ct = client({ crm: "Моя таблица" });
    const answer = await ct.post("create", creates(3), { deadline: LATER });
    assert.deepEqual(kinds(answer), ["accepted", "accepted", "accepted"]);
    assert.equal(ct.requestCount, 1);
    const [request] = calltouch.requests;
    assert.equal(request.path, CALLTOUCH_PATHS.create);
    assert.equal(request.headers["access-token"], calltouch.token);
    assert.equal(request.headers["siteid"], calltouch.siteId);
    assert.equal(request.headers["content-type"], "application/json");
    assert.equal((request.body as { crm: string }).crm, "Моя таблица");

    const update = await ct.post("update", [
      updateOrder(deal(1), SETTINGS, { rematch: false, now: START }),
    ], {
      deadline: LATER,
    });
    assert.deepEqual(kinds(update), ["accepted"]);
    assert.equal("crm" in (calltouch.requests[1].body as object), false);
  });
});

Deno.test("CalltouchClient.post() takes 1 to 100 orders", async () => {
  await withCalltouch({}, async ({ client }) => {
    const ct = client();
    await assert.rejects(ct.post("create", [], { deadline: LATER }), RangeError);
    await assert.rejects(ct.post("create", creates(101), { deadline: LATER }), RangeError);
    assert.equal(ct.requestCount, 0);
  });
});

Deno.test("CalltouchClient never exceeds 5 requests per second", async (t) => {
  await t.step("12 requests, on a shared ManualClock", async () => {
    await withCalltouch({ rateLimit: true }, async ({ calltouch, clock, client }) => {
      const ct = client();
      for (let i = 0; i < 12; i++) {
        const answer = await ct.post("create", creates(100, i * 100 + 1), { deadline: LATER });
        assert.equal(answer.kind, "orders");
      }
      assert.equal(calltouch.rateViolations, 0);
      assert.ok(calltouch.requests.every((r) => r.status === 200));
      assert.ok(clock.now() > START, "the limiter waited");
    });
  });

  await t.step("when two clients of one isolate send at the same time", async () => {
    await withCalltouch({ rateLimit: true }, async ({ calltouch, client }) => {
      const [a, b] = [client(), client()];
      const send = async (ct: CalltouchClient, from: number) => {
        for (let i = 0; i < 4; i++) {
          await ct.post("create", creates(100, from + i * 100), { deadline: LATER });
        }
      };
      await Promise.all([send(a, 1), send(b, 1001)]);
      assert.equal(calltouch.requests.length, 8);
      assert.equal(calltouch.rateViolations, 0);
    });
  });

  await t.step("in real time, with the default shared limiter", async () => {
    // 7 requests: the 6th must wait for the window, so this takes about 1.1 s of real time.
    const calltouch = await startCalltouchEmulator({ rateLimit: true });
    try {
      const ct = emulatorClient(calltouch);
      for (let i = 0; i < 7; i++) {
        await ct.post("create", creates(1, i + 1), { deadline: Date.now() + 60_000 });
      }
      assert.equal(ct.requestCount, 7);
      assert.equal(calltouch.rateViolations, 0);
    } finally {
      await calltouch.close();
    }
  });
});

Deno.test("CalltouchClient retries 5xx, 429 and network errors, then reads the answer", async (t) => {
  await t.step("503 twice, then success", async () => {
    await withCalltouch({}, async ({ calltouch, client }) => {
      calltouch.failNext(2, 503);
      const ct = client();
      const answer = await ct.post("create", creates(3), { deadline: LATER });
      assert.deepEqual(kinds(answer), ["accepted", "accepted", "accepted"]);
      assert.deepEqual(calltouch.requests.map((r) => r.status), [503, 503, 200]);
      assert.equal(ct.requestCount, 3);
      assert.equal(calltouch.deals.get("D-1")?.createCount, 1);
    });
  });

  await t.step("429, then success", async () => {
    await withCalltouch({}, async ({ calltouch, client }) => {
      calltouch.failNext(1, 429);
      const answer = await client().post("create", creates(1), { deadline: LATER });
      assert.deepEqual(kinds(answer), ["accepted"]);
      assert.deepEqual(calltouch.requests.map((r) => r.status), [429, 200]);
    });
  });

  await t.step("a throttling Calltouch behind a limiter that lets too much through", async () => {
    await withCalltouch({ rateLimit: true }, async ({ calltouch, clock, client }) => {
      const permissive = localLimiter({ limit: 100, windowMs: 1000, clock });
      const ct = client({ limiter: permissive });
      const answers = await Promise.all(
        Array.from(
          { length: 8 },
          (_, i) => ct.post("create", creates(100, i * 100 + 1), { deadline: LATER }),
        ),
      );
      assert.ok(answers.every((a) => a.kind === "orders"));
      assert.ok(calltouch.requests.some((r) => r.status === 429), "Calltouch throttled");
      assert.equal(calltouch.deals.size, 800);
      assert.ok([...calltouch.deals.values()].every((d) => d.createCount === 1));
    });
  });

  await t.step("a connection refused is unknown once the attempts run out", async () => {
    const calltouch = await startCalltouchEmulator();
    const url = calltouch.url;
    await calltouch.close();
    const clock = new ManualClock(START);
    const ct = emulatorClient(calltouch, { baseUrl: url, clock });
    const answer = await ct.post("create", creates(2), { deadline: LATER });
    assert.equal(ct.requestCount, 5);
    assert.equal(answer.kind, "unknown");
  });

  await t.step("an answer slower than the request timeout is unknown", async () => {
    await withCalltouch({ delayMs: 300 }, async ({ calltouch, client }) => {
      const ct = client({ requestTimeoutMs: 20, maxAttempts: 2 });
      const answer = await ct.post("create", creates(1), { deadline: LATER });
      assert.equal(answer.kind, "unknown");
      assert.equal(ct.requestCount, 2);
      calltouch.delayMs = 0;
    });
  });

  await t.step("applied, then 502 on every attempt: unknown, never a refusal", async () => {
    await withCalltouch({}, async ({ calltouch, client }) => {
      calltouch.applyThenFail(5, 502);
      const answer = await client().post("create", creates(1), { deadline: LATER });
      assert.equal(answer.kind, "unknown");
      assert.equal(calltouch.deals.get("D-1")?.createCount, 1);
    });
  });
});

Deno.test("CalltouchClient gives up inside the deadline", async (t) => {
  await t.step("retries exhausted: unknown, with the status", async () => {
    await withCalltouch({}, async ({ calltouch, client }) => {
      calltouch.failNext(100, 502);
      const ct = client();
      const answer = await ct.post("create", creates(3), { deadline: LATER });
      assert.equal(ct.requestCount, 5);
      assert.equal(answer.kind, "unknown");
      assert.match(answer.kind === "unknown" ? answer.what : "", /HTTP 502/);
      assert.equal(calltouch.deals.size, 0);
    });
  });

  await t.step("no retry starts after the deadline", async () => {
    await withCalltouch({}, async ({ calltouch, client }) => {
      calltouch.failNext(100, 503);
      const deadline = START + 2_000;
      const answer = await client().post("create", creates(2), { deadline });
      assert.ok(calltouch.requests.length >= 1);
      assert.ok(calltouch.requests.every((r) => r.time < deadline));
      assert.equal(answer.kind, "unknown");
    });
  });

  await t.step("a request that cannot start before the deadline is not sent", async () => {
    await withCalltouch({}, async ({ calltouch, clock, client }) => {
      // One request per 10 s: the second could only start after the deadline.
      const slow = localLimiter({ limit: 1, windowMs: 10_000, clock });
      const ct = client({ limiter: slow });
      const deadline = START + 5_000;
      assert.equal((await ct.post("create", creates(1), { deadline })).kind, "orders");
      assert.equal((await ct.post("create", creates(1, 2), { deadline })).kind, "notSent");
      assert.equal(calltouch.requests.length, 1);
    });
  });

  await t.step("a deadline already past sends nothing", async () => {
    await withCalltouch({}, async ({ calltouch, client }) => {
      const answer = await client().post("update", [
        updateOrder(deal(1), SETTINGS, { rematch: false, now: START }),
      ], { deadline: START });
      assert.equal(calltouch.requests.length, 0);
      assert.equal(answer.kind, "notSent");
    });
  });
});

Deno.test("CalltouchClient reads the emulator's every answer form", async (t) => {
  for (
    const errorShape of ["string", "object", "array", "errors", "status", "successFalse"] as const
  ) {
    await t.step(`a per-order error as ${errorShape} is a refusal of that order only`, async () => {
      await withCalltouch({ errorShape }, async ({ calltouch, client }) => {
        calltouch.rejectOrder("D-2", "Статус не из воронки");
        const answer = await client().post("create", creates(3), { deadline: LATER });
        assert.deepEqual(kinds(answer), ["accepted", "refused", "accepted"]);
      });
    });
  }
  for (const resultShape of ["byOrderNumber", "byNumericOrderNumber"] as const) {
    await t.step(`results ${resultShape}, in reverse order`, async () => {
      await withCalltouch({ resultShape }, async ({ calltouch, client }) => {
        calltouch.rejectOrder("5", "Причина отказа");
        const orders = [1, 2, 5, 3].map((n) =>
          createOrder(deal(n, { orderNumber: String(n) }), SETTINGS)
        );
        const answer = await client().post("create", orders, { deadline: LATER });
        assert.deepEqual(kinds(answer), ["accepted", "accepted", "refused", "accepted"]);
      });
    });
  }
  for (const shape of ANSWERS_WITHOUT_RESULTS) {
    await t.step(`a 200 answered as ${shape}: every order accepted`, async () => {
      await withCalltouch({ answer: shape }, async ({ calltouch, client }) => {
        const answer = await client().post("create", creates(2), { deadline: LATER });
        assert.deepEqual(kinds(answer), ["accepted", "accepted"]);
        assert.equal(calltouch.deals.size, 2);
      });
    });
  }
  for (const refusal of [400, 404, 409, 422] as const) {
    await t.step(`a duplicate refused as a whole-request ${refusal}`, async () => {
      await withCalltouch({ refusal }, async ({ calltouch, client }) => {
        const ct = client();
        await ct.post("create", creates(1), { deadline: LATER });
        const answer = await ct.post("create", creates(2), { deadline: LATER });
        assert.equal(answer.kind, "refused");
        if (answer.kind !== "refused") return;
        assert.equal(answer.status, refusal);
        assert.equal(answer.calltouchBody, true);
        assert.match(answer.reason, /уже существует/);
        assert.equal(calltouch.deals.size, 1, "nothing of a refused request is applied");
      });
    });
  }
  await t.step("arbitrary words are still a refusal", async () => {
    await withCalltouch({ wording: "arbitrary" }, async ({ client }) => {
      const answer = await client().post("update", [
        updateOrder(deal(1), SETTINGS, { rematch: false, now: START }),
      ], { deadline: LATER });
      assert.deepEqual(kinds(answer), ["refused"]);
      assert.match(
        answer.kind === "orders" && answer.readings[0]?.kind === "refused"
          ? answer.readings[0].reason
          : "",
        /код 2071/,
      );
    });
  });
  await t.step(
    "a bad request (400 with validationErrorData) is refused with its words",
    async () => {
      await withCalltouch({}, async ({ calltouch, client }) => {
        const bad = { ...createOrder(deal(1), SETTINGS), orderDate: "31-02-2026 10:00:00" };
        const answer = await client().post("create", [bad], { deadline: LATER });
        assert.equal(answer.kind, "refused");
        assert.match(answer.kind === "refused" ? answer.reason : "", /^orderDate: expected/);
        assert.equal(calltouch.deals.size, 0);
      });
    },
  );
  await t.step("a path that does not exist: 404, not Calltouch's JSON", async () => {
    await withCalltouch({}, async ({ calltouch, client }) => {
      const answer = await client({ baseUrl: `${calltouch.url}/nope` }).post(
        "create",
        creates(1),
        { deadline: LATER },
      );
      assert.equal(answer.kind, "refused");
      assert.ok(answer.kind === "refused" && answer.status === 404 && !answer.calltouchBody);
    });
  });
});

Deno.test("CalltouchClient throws an UpstreamError on refused credentials", async (t) => {
  for (const status of [401, 403]) {
    await t.step(`HTTP ${status}`, async () => {
      await withCalltouch({}, async ({ calltouch, client }) => {
        calltouch.failNext(1, status);
        const ct = client();
        const error = await ct.post("create", creates(1), { deadline: LATER }).then(
          () => undefined,
          (e: unknown) => e,
        );
        assert.ok(error instanceof UpstreamError);
        assert.equal(error.upstream, "calltouch");
        assert.equal(error.status, status);
        assert.equal(error.retryable, false);
        assert.match(error.message, /CALLTOUCH_TOKEN/);
        assert.match(error.message, /CALLTOUCH_SITE_ID/);
        assert.equal(ct.requestCount, 1);
      });
    });
  }
  await t.step("a wrong token is never retried", async () => {
    await withCalltouch({}, async ({ calltouch, client }) => {
      const ct = client({ token: "wrong" });
      await assert.rejects(ct.post("create", creates(1), { deadline: LATER }), UpstreamError);
      assert.equal(calltouch.requests.length, 1);
      assert.equal(calltouch.requests[0].status, 401);
    });
  });
});
