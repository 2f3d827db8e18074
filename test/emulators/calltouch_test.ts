import assert from "node:assert/strict";
import { ManualClock } from "../support/clock.ts";
import {
  type CalltouchEmulator,
  EMULATOR_SITE_ID,
  EMULATOR_TOKEN,
  startCalltouchEmulator,
} from "./calltouch.ts";

const CREATE = "/lead-service/v1/api/client-order/create";
const UPDATE = "/lead-service/v1/api/client-order/update";
const HEADERS = {
  "Access-Token": EMULATOR_TOKEN,
  "SiteId": EMULATOR_SITE_ID,
  "Content-Type": "application/json",
};

function order(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    matching: [
      {
        type: "callContact",
        callContactParams: {
          phones: ["79157771122"],
          date: "19-07-2021 16:42:32",
          callTypeToMatch: "nearest",
          searchDepth: 259200,
        },
      },
      {
        type: "customSources",
        customSourceParams: { source: "s", medium: "m", campaign: "c" },
      },
    ],
    orderNumber: "A-1",
    status: "Запись",
    statusDate: "19-07-2021 16:42:32",
    orderDate: "19-07-2021 16:42:32",
    revenue: "1000.00",
    addTags: [{ tag: "Тег1" }],
    ...overrides,
  };
}

/** A JSON answer; `any` keeps the assertions on nested fields short. */
// deno-lint-ignore no-explicit-any
type Answer = { status: number; body: any };

async function post(
  ct: CalltouchEmulator,
  path: string,
  body: unknown,
  headers: Record<string, string> = HEADERS,
): Promise<Answer> {
  const response = await fetch(`${ct.url}${path}`, {
    method: "POST",
    headers,
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

async function withEmulator(
  fn: (ct: CalltouchEmulator, clock: ManualClock) => Promise<void>,
): Promise<void> {
  const clock = new ManualClock(Date.UTC(2026, 10, 28));
  const ct = await startCalltouchEmulator({ clock });
  try {
    await fn(ct, clock);
  } finally {
    await ct.close();
  }
}

Deno.test("Calltouch emulator creates and updates deals", async (t) => {
  await withEmulator(async (ct) => {
    await t.step("create answers 200 with one positional result per order", async () => {
      const answer = await post(ct, CREATE, {
        crm: "x",
        orders: [order(), order({ orderNumber: "A-2", comment: { text: "привет" } })],
      });
      assert.equal(answer.status, 200);
      assert.deepEqual(answer.body, {
        meta: {},
        data: {
          orders: [{ calltouchOrderId: 1, error: null }, { calltouchOrderId: 2, error: null }],
        },
      });
      const stored = ct.deals.get("A-2")!;
      assert.equal(stored.createCount, 1);
      assert.deepEqual(stored.tags, ["Тег1"]);
      assert.deepEqual(stored.comments, ["привет"]);
      assert.equal(stored.fields.status, "Запись");
      assert.equal(stored.matching.length, 2);
    });

    await t.step("update merges fields, replaces tags with overwrite, re-matches", async () => {
      const answer = await post(ct, UPDATE, {
        orders: [{
          orderNumber: "A-1",
          status: "Оплачено",
          statusDate: "20-07-2021 10:00:00",
          addTags: { overwrite: true, tags: [{ tag: "Оплачен" }] },
          reMatching: [{ type: "withoutSource" }],
        }],
      });
      assert.equal(answer.status, 200);
      assert.equal(answer.body.data.orders[0].error, null);
      const stored = ct.deals.get("A-1")!;
      assert.equal(stored.fields.status, "Оплачено");
      assert.equal(stored.fields.revenue, "1000.00");
      assert.deepEqual(stored.tags, ["Оплачен"]);
      assert.equal(stored.rematchCount, 1);
      assert.equal(stored.updateCount, 1);
    });

    await t.step("update without overwrite appends tags", async () => {
      await post(ct, UPDATE, {
        orders: [{ orderNumber: "A-1", addTags: { overwrite: false, tags: [{ tag: "VIP" }] } }],
      });
      assert.deepEqual(ct.deals.get("A-1")!.tags, ["Оплачен", "VIP"]);
    });

    await t.step("records each request with headers, body, status and time", () => {
      assert.equal(ct.requests.length, 3);
      const [first] = ct.requests;
      assert.equal(first.method, "POST");
      assert.equal(first.path, CREATE);
      assert.equal(first.headers["siteid"], EMULATOR_SITE_ID);
      assert.equal((first.body as { crm: string }).crm, "x");
      assert.equal(first.status, 200);
      assert.equal(first.time, Date.UTC(2026, 10, 28));
    });
  });
});

Deno.test("Calltouch emulator refuses bad requests as a whole", async (t) => {
  const cases: { name: string; path?: string; body: unknown; field: RegExp }[] = [
    { name: "a body that is not JSON", body: "{orders:", field: /^$/ },
    { name: "no orders", body: { orders: [] }, field: /^orders$/ },
    {
      name: "101 orders",
      body: { orders: Array.from({ length: 101 }, (_, i) => order({ orderNumber: `${i}` })) },
      field: /^orders$/,
    },
    {
      name: "an order without orderNumber",
      body: { orders: [order({ orderNumber: "" })] },
      field: /orderNumber/,
    },
    {
      name: "a create without matching",
      body: { orders: [order({ matching: [] })] },
      field: /matching/,
    },
    {
      name: "an unknown matching type",
      body: { orders: [order({ matching: [{ type: "phone" }] })] },
      field: /matching\[0\]\.type/,
    },
    {
      name: "the wrong params key",
      body: {
        orders: [order({ matching: [{ type: "customSources", customSourcesParams: {} }] })],
      },
      field: /customSourceParams/,
    },
    {
      name: "a date in the wrong format",
      body: { orders: [order({ orderDate: "2021-07-19 16:42:32" })] },
      field: /orderDate/,
    },
    {
      name: "a date that does not exist",
      body: { orders: [order({ statusDate: "31-02-2021 10:00:00" })] },
      field: /statusDate/,
    },
    {
      name: "a matching date that does not exist",
      body: {
        orders: [order({
          matching: [{
            type: "callContact",
            callContactParams: { phones: ["7"], date: "19-13-2021 10:00:00" },
          }],
        })],
      },
      field: /callContactParams\.date/,
    },
    { name: "money as a number", body: { orders: [order({ revenue: 1000 })] }, field: /revenue/ },
    {
      name: "money with a comma",
      body: { orders: [order({ revenue: "1000,50" })] },
      field: /revenue/,
    },
    {
      name: "create tags in the update shape",
      body: { orders: [order({ addTags: { overwrite: true, tags: [{ tag: "a" }] } })] },
      field: /addTags/,
    },
    {
      name: "update tags in the create shape",
      path: UPDATE,
      body: { orders: [{ orderNumber: "A-1", addTags: [{ tag: "a" }] }] },
      field: /addTags/,
    },
  ];
  await withEmulator(async (ct) => {
    for (const c of cases) {
      await t.step(`${c.name} → 400 with validationErrorData`, async () => {
        const answer = await post(ct, c.path ?? CREATE, c.body);
        assert.equal(answer.status, 400);
        assert.deepEqual(Object.keys(answer.body), ["meta", "data"]);
        const errors = answer.body.data.validationErrorData as { field: string }[];
        assert.ok(errors.length > 0);
        assert.ok(errors.some((e) => c.field.test(e.field)), JSON.stringify(errors));
      });
    }
    await t.step("nothing refused was stored", () => assert.equal(ct.deals.size, 0));
    await t.step("100 orders are fine", async () => {
      const orders = Array.from({ length: 100 }, (_, i) => order({ orderNumber: `${i}` }));
      assert.equal((await post(ct, CREATE, { orders })).status, 200);
    });
  });
});

Deno.test("Calltouch emulator checks credentials and routes", async (t) => {
  await withEmulator(async (ct) => {
    await t.step("a wrong Access-Token → 401", async () => {
      const answer = await post(ct, CREATE, { orders: [order()] }, {
        ...HEADERS,
        "Access-Token": "x",
      });
      assert.equal(answer.status, 401);
    });
    await t.step("a wrong SiteId → 401", async () => {
      const answer = await post(ct, CREATE, { orders: [order()] }, { ...HEADERS, "SiteId": "1" });
      assert.equal(answer.status, 401);
    });
    await t.step("an unknown path → 404, a GET → 405", async () => {
      assert.equal((await post(ct, "/lead-service/v1/api/nothing", {})).status, 404);
      const response = await fetch(`${ct.url}${CREATE}`);
      await response.body?.cancel();
      assert.equal(response.status, 405);
    });
    await t.step("nothing was stored", () => assert.equal(ct.deals.size, 0));
  });
});

Deno.test("Calltouch emulator plays every documented unknown", async (t) => {
  await withEmulator(async (ct) => {
    await post(ct, CREATE, { orders: [order()] });

    await t.step("duplicate create: error (object) by default", async () => {
      const answer = await post(ct, CREATE, { orders: [order()] });
      assert.deepEqual(answer.body.data.orders[0].error.code, "ORDER_ALREADY_EXISTS");
      assert.equal(ct.deals.get("A-1")!.createCount, 1);
    });
    await t.step("duplicate create: a Russian string with errorShape string", async () => {
      ct.errorShape = "string";
      const answer = await post(ct, CREATE, { orders: [order()] });
      assert.match(answer.body.data.orders[0].error, /уже существует/);
    });
    await t.step("duplicate create: upsert updates and does not create again", async () => {
      ct.duplicateCreate = "upsert";
      const answer = await post(ct, CREATE, { orders: [order({ status: "Визит" })] });
      assert.equal(answer.body.data.orders[0].error, null);
      assert.equal(ct.deals.get("A-1")!.createCount, 1);
      assert.equal(ct.deals.get("A-1")!.fields.status, "Визит");
    });
    await t.step("update of an unknown deal: error, or create", async () => {
      const unknown = { orders: [{ orderNumber: "Z-9", status: "x" }] };
      const refused = await post(ct, UPDATE, unknown);
      assert.match(refused.body.data.orders[0].error, /не найдена/);
      assert.equal(ct.deals.has("Z-9"), false);
      ct.updateMissing = "create";
      const created = await post(ct, UPDATE, unknown);
      assert.equal(created.body.data.orders[0].error, null);
      assert.equal(ct.deals.get("Z-9")!.createCount, 1);
    });
    await t.step("resultShape byOrderNumber: results carry orderNumber, reversed", async () => {
      ct.resultShape = "byOrderNumber";
      const answer = await post(ct, UPDATE, {
        orders: [{ orderNumber: "A-1" }, { orderNumber: "Z-9" }],
      });
      assert.deepEqual(answer.body.data.orders.map((r: { orderNumber: string }) => r.orderNumber), [
        "Z-9",
        "A-1",
      ]);
    });
    await t.step("rejectOrder() refuses one order with the reason", async () => {
      ct.rejectOrder("A-1", "Причина");
      const answer = await post(ct, UPDATE, {
        orders: [{ orderNumber: "A-1" }, { orderNumber: "Z-9" }],
      });
      const byNumber = Object.fromEntries(
        answer.body.data.orders.map((r: { orderNumber: string; error: unknown }) => [
          r.orderNumber,
          r.error,
        ]),
      );
      assert.deepEqual(byNumber, { "A-1": "Причина", "Z-9": null });
    });
  });
});

Deno.test("Calltouch emulator injects failures", async (t) => {
  await withEmulator(async (ct) => {
    await t.step("failNext() answers the status and applies nothing", async () => {
      ct.failNext(2, 503);
      assert.equal((await post(ct, CREATE, { orders: [order()] })).status, 503);
      assert.equal((await post(ct, CREATE, { orders: [order()] })).status, 503);
      assert.equal(ct.deals.size, 0);
      assert.equal((await post(ct, CREATE, { orders: [order()] })).status, 200);
      assert.equal(ct.deals.size, 1);
    });
    await t.step("applyThenFail() applies, then answers 502", async () => {
      ct.applyThenFail(1);
      const answer = await post(ct, CREATE, { orders: [order({ orderNumber: "B-1" })] });
      assert.equal(answer.status, 502);
      assert.equal(ct.deals.get("B-1")!.createCount, 1);
    });
  });
});

Deno.test("Calltouch emulator counts requests beyond 5 in a sliding second", async (t) => {
  await withEmulator(async (ct, clock) => {
    await t.step("six at once: one violation, all answered when rateLimit is off", async () => {
      for (let i = 0; i < 6; i++) {
        assert.equal(
          (await post(ct, CREATE, { orders: [order({ orderNumber: `${i}` })] })).status,
          200,
        );
      }
      assert.equal(ct.rateViolations, 1);
    });
    await t.step("a second later the window is clear", async () => {
      clock.advance(1000);
      await post(ct, CREATE, { orders: [order({ orderNumber: "x" })] });
      assert.equal(ct.rateViolations, 1);
    });
    await t.step("with rateLimit on, the excess gets 429 and is not applied", async () => {
      ct.rateLimit = true;
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        statuses.push(
          (await post(ct, CREATE, { orders: [order({ orderNumber: `r${i}` })] })).status,
        );
      }
      assert.deepEqual(statuses, [200, 200, 200, 200, 429, 429]);
      assert.equal(ct.deals.has("r4"), false);
      assert.equal(ct.rateViolations, 3);
    });
  });
});

Deno.test("Calltouch emulator admin API controls it from another process", async (t) => {
  await withEmulator(async (ct) => {
    const admin = async (method: string, path: string, body?: unknown): Promise<Answer> => {
      const response = await fetch(`${ct.url}/_emulator/${path}`, {
        method,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: await response.json() };
    };
    await t.step("POST switches sets switches and faults", async () => {
      const answer = await admin("POST", "switches", {
        duplicateCreate: "upsert",
        errorShape: "string",
        failNext: { count: 1, status: 500 },
        rejectOrder: { orderNumber: "Q", reason: "нет" },
      });
      assert.equal(answer.status, 200);
      assert.equal(ct.duplicateCreate, "upsert");
      assert.equal(answer.body.switches.errorShape, "string");
      assert.deepEqual(answer.body.pending.failNext, { count: 1, status: 500 });
      assert.deepEqual(answer.body.rejectedOrders, ["Q"]);
    });
    await t.step("POST switches refuses invalid values", async () => {
      assert.equal((await admin("POST", "switches", { rateLimit: "yes" })).status, 400);
      assert.equal((await admin("POST", "switches", { failNext: { count: "1" } })).status, 400);
      assert.equal((await admin("POST", "switches", { transitMs: -1 })).status, 400);
      assert.equal((await admin("POST", "switches", { transitMs: "5" })).status, 400);
    });
    await t.step("GET requests, deals, violations and state", async () => {
      assert.equal((await post(ct, CREATE, { orders: [order()] })).status, 500);
      assert.equal((await post(ct, CREATE, { orders: [order()] })).status, 200);
      const requests = await admin("GET", "requests");
      assert.deepEqual(requests.body.map((r: { status: number }) => r.status), [500, 200]);
      const deals = await admin("GET", "deals");
      assert.equal(deals.body["A-1"].createCount, 1);
      const violations = await admin("GET", "violations");
      assert.deepEqual(violations.body, { count: 0, violations: [] });
      const state = await admin("GET", "state");
      assert.equal(state.body.requests, 2);
      assert.equal(state.body.deals, 1);
    });
    await t.step("POST reset forgets everything and restores the switches", async () => {
      const answer = await admin("POST", "reset");
      assert.equal(answer.body.requests, 0);
      assert.equal(answer.body.deals, 0);
      assert.equal(answer.body.switches.duplicateCreate, "error");
      assert.deepEqual(answer.body.rejectedOrders, []);
      assert.equal(ct.requests.length, 0);
    });
    await t.step("POST switches sets transitMs; reset puts it back", async () => {
      assert.equal((await admin("POST", "switches", { transitMs: 5 })).body.switches.transitMs, 5);
      assert.equal(ct.transitMs, 5);
      // A request still reaches it (a few ms later) and is handled.
      assert.equal(
        (await post(ct, CREATE, { orders: [order({ orderNumber: "T-1" })] })).status,
        200,
      );
      assert.equal((await admin("POST", "reset")).body.switches.transitMs, 0);
    });
    await t.step("an unknown route → 404 listing the routes", async () => {
      const answer = await admin("GET", "nope");
      assert.equal(answer.status, 404);
      assert.ok(answer.body.routes.includes("POST /_emulator/reset"));
    });
  });
});

Deno.test("calltouch_main.ts prints its URL and serves until killed", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("./calltouch_main.ts", import.meta.url).pathname],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  try {
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let output = "";
    // Bounded: at most 50 chunks before the first line.
    for (let i = 0; i < 50 && !output.includes("\n"); i++) {
      const { value, done } = await reader.read();
      if (done) break;
      output += value;
    }
    reader.releaseLock();
    const match = /^CALLTOUCH_EMULATOR (http:\/\/127\.0\.0\.1:\d+)\n/.exec(output);
    assert.ok(match, `unexpected output: ${output}`);
    const response = await fetch(`${match[1]}/_emulator/state`);
    assert.equal(response.status, 200);
    assert.equal((await response.json()).requests, 0);
  } finally {
    child.kill("SIGTERM");
    await child.status;
    await child.stdout.cancel().catch(() => undefined);
  }
});
