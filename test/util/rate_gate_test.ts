import assert from "node:assert/strict";
import {
  GateLimiter,
  type GateLimiterOptions,
  type Grant,
  RateGate,
  type RateGateNamespace,
  reserveSlot,
} from "../../src/util/rate_gate.ts";
import { localLimiter, localRateGate } from "../support/rate_gate.ts";
import { EventClock, ManualClock } from "../support/clock.ts";

/** True when no `limit + 1` times fall within one window. */
function withinLimit(times: number[], limit: number, windowMs: number): boolean {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted.every((t, i) => i < limit || t - sorted[i - limit] >= windowMs);
}

/** A limiter on the gate `namespace` names: Calltouch's key, 30 s requests, 50 ms of lateness. */
function gateLimiter(
  namespace: RateGateNamespace,
  options: Pick<GateLimiterOptions, "clock" | "limit" | "windowMs"> & Partial<GateLimiterOptions>,
): GateLimiter {
  return new GateLimiter({
    namespace,
    key: "calltouch",
    requestMs: 30_000,
    lateMs: 50,
    ...options,
  });
}

const ended = (at: number, end: number): Grant => ({ ticket: at, at, end, expires: at + 9_000 });
const running = (at: number): Grant => ({ ticket: at, at, end: null, expires: at + 9_000 });

Deno.test("reserveSlot() gives the earliest start at which fewer than `limit` grants count", () => {
  const cases: [string, Grant[], number, ReturnType<typeof reserveSlot>][] = [
    ["none granted", [], 200, { at: 200 }],
    ["room left", [ended(0, 1000), running(0)], 200, { at: 200 }],
    ["five ended: the first to stop counting", [0, 0, 0, 0, 0].map((t) => ended(t, 1000)), 200, {
      at: 1000,
    }],
    ["ends in any order", [ended(0, 3000), ...[0, 100, 200, 300].map((t) => ended(t, 1500))], 0, {
      at: 1500,
    }],
    ["stopped counting already", [0, 100, 200, 300, 400].map((t) => ended(t, t + 1000)), 1500, {
      at: 1500,
    }],
    [
      "the first to stop is running: wait for its end, at most until it expires",
      [
        running(0),
        ...[0, 0, 0, 0].map((t) => ended(t, 20_000)),
      ],
      0,
      { waitUntil: 9_000 },
    ],
    [
      "the running one need not stop: the ended ones free the place",
      [
        running(0),
        ...[0, 0, 0, 0].map((t) => ended(t, 1000)),
      ],
      0,
      { at: 1000 },
    ],
    [
      "five running: wait for an end, at most until the first expires",
      [0, 1, 2, 3, 4].map(
        running,
      ),
      10,
      { waitUntil: 9_000 },
    ],
    ["a grant expired counts no more", [0, 1, 2, 3, 4].map(running), 9_000, { at: 9_000 }],
    ["never earlier than the last start granted", [ended(0, 100), ended(500, 600)], 10, {
      at: 500,
    }],
  ];
  for (const [name, grants, now, expected] of cases) {
    assert.deepEqual(reserveSlot(grants, { now, limit: 5 }), expected, name);
  }
});

/** Asks `gate` as `GateLimiter` does; answers `{at, ticket}`. */
async function ask(
  gate: RateGate,
  body: Record<string, unknown>,
): Promise<{ status: number; at?: number | null; ticket?: number }> {
  const response = await gate.fetch(
    new Request("https://rate-gate/", { method: "POST", body: JSON.stringify(body) }),
  );
  return { status: response.status, ...(await response.json()) };
}

const ASK = { limit: 2, windowMs: 1000, now: 0, deadline: null, holdMs: 5000 };

Deno.test("RateGate hands out starts in order and counts each until its end plus the window", async () => {
  const clock = new ManualClock(0);
  const gate = new RateGate(undefined, undefined, clock);
  const first = await ask(gate, ASK);
  const second = await ask(gate, ASK);
  assert.deepEqual([first.at, second.at], [0, 0]);
  clock.advance(300);
  await ask(gate, { ended: first.ticket });
  await ask(gate, { ended: second.ticket });
  assert.equal((await ask(gate, { ...ASK, now: 300 })).at, 1300, "the end at 300, plus 1000");
  assert.equal((await ask(gate, { ...ASK, now: 300, deadline: 1200 })).at, null, "past it");
  assert.equal((await ask(gate, { ...ASK, now: 300 })).at, 1300, "the refused ask took nothing");
});

Deno.test("RateGate: an ask that must wait for a running request is answered at its end", async (t) => {
  await t.step("the end comes: the start is its time plus the window", async () => {
    const clock = new EventClock(0);
    const gate = new RateGate(undefined, undefined, clock);
    const [a, b] = [await ask(gate, ASK), await ask(gate, ASK)];
    const third = ask(gate, ASK);
    await clock.sleep(700);
    await ask(gate, { ended: b.ticket });
    assert.equal((await third).at, 1700);
    await ask(gate, { ended: a.ticket });
  });
  await t.step("no end comes: the grant stops counting after holdMs", async () => {
    const clock = new EventClock(0);
    const gate = new RateGate(undefined, undefined, clock);
    await ask(gate, ASK);
    await ask(gate, ASK);
    assert.equal((await ask(gate, ASK)).at, 5000);
  });
  await t.step("the deadline comes first: null", async () => {
    const clock = new EventClock(0);
    const gate = new RateGate(undefined, undefined, clock);
    await ask(gate, ASK);
    await ask(gate, ASK);
    assert.equal((await ask(gate, { ...ASK, deadline: 2000 })).at, null);
    assert.equal(clock.now(), 2000);
  });
});

Deno.test("RateGate answers an ask behind a waiting one at its own deadline", async () => {
  const clock = new EventClock(0);
  const gate = new RateGate(undefined, undefined, clock);
  const one = { ...ASK, limit: 1 };
  await ask(gate, one); // running: no end told
  const first = ask(gate, one); // no deadline: waits for the end, or the grant's expiry
  const behind = await ask(gate, { ...one, deadline: 1000 });
  assert.equal(behind.at, null);
  assert.equal(clock.now(), 1000, "answered at its deadline, not when the first is served");
  assert.equal((await first).at, 5000, "the first still gets its start at the expiry");
});

Deno.test("RateGate: a new instance's tickets are not an old one's, so a late end releases nothing", async () => {
  const clock = new ManualClock(1_000);
  const old = new RateGate(undefined, undefined, clock);
  const x = await ask(old, { ...ASK, limit: 1, now: 1_000 });
  clock.advance(15_000); // the old instance is evicted; a new one takes over
  const fresh = new RateGate(undefined, undefined, clock);
  const y = await ask(fresh, { ...ASK, limit: 1, now: 16_000 });
  assert.notEqual(y.ticket, x.ticket);
  await ask(fresh, { ended: x.ticket }); // the old request's end, told late
  const z = await ask(fresh, { ...ASK, limit: 1, now: 16_000, deadline: 17_000 });
  assert.equal(z.at, null, "y still runs: no start before its end or expiry");
});

Deno.test("RateGate: a caller whose clock reads ahead frees nothing for the asks after it", async () => {
  const clock = new ManualClock(0);
  const gate = new RateGate(undefined, undefined, clock);
  const five = { ...ASK, limit: 5 };
  const tickets = [];
  for (let i = 0; i < 5; i++) tickets.push((await ask(gate, five)).ticket);
  for (const ticket of tickets) await ask(gate, { ended: ticket }); // each counts until 1000
  clock.advance(950);
  // 60 ms ahead, its deadline already come: refused.
  assert.equal((await ask(gate, { ...five, now: 1010, deadline: 1000 })).at, null);
  assert.equal((await ask(gate, { ...five, now: 950 })).at, 1000, "not 950");
});

Deno.test("RateGate takes its own time over a caller's stale one, and refuses what is not an ask", async () => {
  const gate = new RateGate(undefined, undefined, new ManualClock(5000));
  assert.equal((await ask(gate, { ...ASK, now: 4800 })).at, 5000);
  for (
    const bad of [
      {},
      { ...ASK, limit: 0 },
      { ...ASK, limit: 1.5 },
      { ...ASK, windowMs: 0 },
      { ...ASK, holdMs: 500 },
      { ...ASK, now: "soon" },
    ]
  ) {
    assert.equal((await ask(gate, bad)).status, 400, JSON.stringify(bad));
  }
});

Deno.test("GateLimiter: isolates whose requests arrive late still keep the limit where they arrive", async () => {
  // Three isolates, 12 requests each. Each request arrives somewhere between its start and its
  // answer (a busy isolate, the network), which comes 50–900 ms after the start: the far side
  // never counts more than 5 in a second, though the gate's window is 1,100 ms only.
  const clock = new EventClock(0);
  const namespace = localRateGate(clock);
  let seed = 7;
  const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const arrivals: number[] = [];
  const isolates = [1, 2, 3].map(() => gateLimiter(namespace, { limit: 5, windowMs: 1100, clock }));
  await Promise.all(isolates.map(async (limiter) => {
    for (let i = 0; i < 12; i++) {
      const start = await limiter.acquire();
      assert.ok(start);
      const answerMs = 50 + Math.round(850 * random());
      const arrivalMs = Math.round(answerMs * random());
      await clock.sleep(arrivalMs);
      arrivals.push(clock.now());
      await clock.sleep(answerMs - arrivalMs);
      await start.end();
    }
  }));
  assert.equal(arrivals.length, 36);
  assert.ok(withinLimit(arrivals, 5, 1000), `arrivals ${arrivals}`);
  assert.equal(namespace.starts.get("calltouch")?.length, 36, "one start per request");
});

Deno.test("GateLimiter falls back to the isolate's limiter when the gate cannot be reached", async () => {
  const clock = new ManualClock(0);
  const fallback = localLimiter({ limit: 1, windowMs: 1000, clock });
  const broken: RateGateNamespace = {
    idFromName: (name) => name,
    get: () => ({ fetch: () => Promise.reject(new TypeError("gate down")) }),
  };
  const limiter = gateLimiter(broken, { limit: 5, windowMs: 1000, clock, fallback });
  const errors: string[] = [];
  const original = console.error;
  console.error = (line: string) => errors.push(line);
  try {
    await (await limiter.acquire())!.end();
    await (await limiter.acquire())!.end();
  } finally {
    console.error = original;
  }
  assert.equal(clock.now(), 1000, "the fallback paced the second request (1 a second)");
  // Once per isolate (module state: the only test here whose gate cannot be reached).
  assert.equal(errors.length, 1, "logged once, not per request");
  assert.equal(JSON.parse(errors[0]).event, "rate_gate.unavailable");
});

Deno.test("GateLimiter: a start taken too late (the isolate was busy) is given back and asked again", async () => {
  const clock = new ManualClock(0);
  const namespace = localRateGate(clock);
  // The first wait overshoots by 300 ms: another run held the isolate when the timer was due.
  let overshoot = 300;
  const busy = {
    now: () => clock.now(),
    sleep: async (ms: number) => {
      await clock.sleep(ms + overshoot);
      overshoot = 0;
    },
  };
  const limiter = gateLimiter(namespace, { limit: 1, windowMs: 1000, clock: busy });
  await (await limiter.acquire())!.end(); // at 0, on time, answered at once
  const second = await limiter.acquire(); // granted 1000, taken at 1300: given back, 2300
  assert.ok(second);
  assert.deepEqual(namespace.starts.get("calltouch"), [0, 1000, 2300]);
  assert.equal(clock.now(), 2300, "the request leaves at the start it was granted");
});

Deno.test("GateLimiter waits for the start it was granted, to the millisecond", async () => {
  const clock = new ManualClock(0);
  const limiter = gateLimiter(localRateGate(clock), { limit: 1, windowMs: 1, lateMs: 0, clock });
  await (await limiter.acquire())!.end(); // at 0, ended at 0: the next start is 1
  assert.ok(await limiter.acquire());
  assert.equal(clock.now(), 1, "not a millisecond early");
});

Deno.test("GateLimiter gives up after five starts each taken too late: null, nothing left held", async () => {
  const clock = new ManualClock(0);
  const namespace = localRateGate(clock);
  // An isolate so busy that every wait overshoots by a second.
  const busy = { now: () => clock.now(), sleep: (ms: number) => clock.sleep(ms + 1000) };
  const limiter = gateLimiter(namespace, { limit: 1, windowMs: 1000, clock: busy });
  await (await limiter.acquire())!.end(); // at 0: no wait, on time
  assert.equal(await limiter.acquire(), null);
  assert.equal(namespace.starts.get("calltouch")?.length, 1 + 5, "five asks, then it gave up");
});
