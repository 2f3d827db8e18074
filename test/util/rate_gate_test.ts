import assert from "node:assert/strict";
import {
  GateLimiter,
  RateGate,
  type RateGateNamespace,
  reserveSlot,
} from "../../src/util/rate_gate.ts";
import { localRateGate } from "../support/rate_gate.ts";
import { SlidingWindowLimiter } from "../../src/calltouch/limiter.ts";
import { ManualClock } from "../support/clock.ts";

/** True when no `limit + 1` starts fall within one window. */
function withinLimit(times: number[], limit: number, windowMs: number): boolean {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted.every((t, i) => i < limit || t - sorted[i - limit] >= windowMs);
}

Deno.test("reserveSlot() gives the earliest start that keeps `limit` per window", () => {
  const cases: [number[], number, number][] = [
    [[], 200, 200],
    [[0, 0, 0], 200, 200],
    [[0, 0, 0, 0, 0], 200, 1000],
    [[0, 100, 200, 300, 400], 500, 1000],
    [[0, 100, 200, 300, 400], 1500, 1500],
    // Reserved in the future already: a new one is never earlier than the last.
    [[0, 0, 0, 0, 0, 1000], 10, 1000],
  ];
  for (const [granted, now, at] of cases) {
    assert.equal(
      reserveSlot(granted, { now, limit: 5, windowMs: 1000 }),
      at,
      `${granted} at ${now}`,
    );
  }
});

Deno.test("RateGate hands out starts in order, within the window, and refuses past a deadline", async () => {
  const gate = new RateGate(undefined, undefined, new ManualClock(0));
  const ask = async (now: number, deadline: number | null = null) => {
    const response = await gate.fetch(
      new Request("https://rate-gate/", {
        method: "POST",
        body: JSON.stringify({ limit: 2, windowMs: 1000, now, deadline }),
      }),
    );
    return (await response.json()).at as number | null;
  };
  assert.deepEqual([await ask(0), await ask(0), await ask(0), await ask(0)], [0, 0, 1000, 1000]);
  assert.equal(await ask(0, 1500), null, "the next start is 2000: past the deadline");
  assert.equal(await ask(0), 2000, "the refused ask took nothing");
  const late = new RateGate(undefined, undefined, new ManualClock(5000));
  const stale = await late.fetch(
    new Request("https://rate-gate/", {
      method: "POST",
      body: JSON.stringify({ limit: 2, windowMs: 1000, now: 4800, deadline: null }),
    }),
  );
  assert.equal((await stale.json()).at, 5000, "a caller's stale time: the gate's own, later");
  const bad = await gate.fetch(new Request("https://rate-gate/", { method: "POST", body: "{}" }));
  assert.equal(bad.status, 400);
});

Deno.test("GateLimiter: limiters of several isolates share the gate's one window", async () => {
  const clock = new ManualClock(0);
  const namespace = localRateGate(clock);
  const isolates = [1, 2, 3].map(() =>
    new GateLimiter({
      namespace,
      key: "calltouch",
      limit: 5,
      windowMs: 1000,
      lateMs: 50,
      clock,
      fallback: new SlidingWindowLimiter({ limit: 5, windowMs: 1000, clock }),
    })
  );
  // Three isolates, each wanting 10 requests at once: 30 in all, 5 a second.
  await Promise.all(isolates.map(async (limiter) => {
    for (let i = 0; i < 10; i++) assert.equal(await limiter.acquire(), true);
  }));
  const starts = namespace.starts.get("calltouch") ?? [];
  assert.equal(starts.length, 30, "one ask per request");
  assert.ok(withinLimit(starts, 5, 1000), `starts ${starts}`);
  assert.ok(clock.now() >= starts.at(-1)!, "each waited for its start");
  assert.equal(await isolates[0].acquire(clock.now() + 10), false, "no slot before the deadline");
});

Deno.test("GateLimiter falls back to the isolate's limiter when the gate cannot be reached", async () => {
  const clock = new ManualClock(0);
  const fallback = new SlidingWindowLimiter({ limit: 1, windowMs: 1000, clock });
  const broken: RateGateNamespace = {
    idFromName: (name) => name,
    get: () => ({ fetch: () => Promise.reject(new TypeError("gate down")) }),
  };
  const limiter = new GateLimiter({
    namespace: broken,
    key: "calltouch",
    limit: 5,
    windowMs: 1000,
    lateMs: 50,
    clock,
    fallback,
  });
  const errors: string[] = [];
  const original = console.error;
  console.error = (line: string) => errors.push(line);
  try {
    assert.equal(await limiter.acquire(), true);
    assert.equal(await limiter.acquire(), true);
  } finally {
    console.error = original;
  }
  assert.equal(clock.now(), 1000, "the fallback paced the second request (1 a second)");
  assert.ok(errors.length <= 1, "logged at most once");
});

Deno.test("GateLimiter: a start taken too late (the isolate was busy) is asked for again", async () => {
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
  const limiter = new GateLimiter({
    namespace,
    key: "calltouch",
    limit: 1,
    windowMs: 1000,
    lateMs: 50,
    clock: busy,
    fallback: new SlidingWindowLimiter({ limit: 1, windowMs: 1000, clock }),
  });
  assert.equal(await limiter.acquire(), true); // at 0, on time
  assert.equal(await limiter.acquire(), true); // granted 1000, taken at 1300: asked again (2000)
  const starts = namespace.starts.get("calltouch") ?? [];
  assert.deepEqual(starts, [0, 1000, 2000]);
  assert.equal(clock.now(), 2000, "the request leaves at the start it was granted");
});
