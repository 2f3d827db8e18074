import assert from "node:assert/strict";
import {
  CALLTOUCH_MAX_REQUESTS_PER_WINDOW,
  sharedCalltouchLimiter,
  SlidingWindowLimiter,
} from "../../src/calltouch/limiter.ts";
import { ManualClock } from "../support/clock.ts";

/** True when no `limit + 1` grants fall within one window. */
function withinLimit(times: number[], limit: number, windowMs: number): boolean {
  return times.every((t, i) => i < limit || t - times[i - limit] >= windowMs);
}

Deno.test("SlidingWindowLimiter grants at most `limit` in any window", async (t) => {
  await t.step("the sixth of five per second waits one second", async () => {
    const clock = new ManualClock(0);
    const limiter = new SlidingWindowLimiter({ limit: 5, windowMs: 1000, clock });
    const times: number[] = [];
    for (let i = 0; i < 6; i++) {
      assert.equal(await limiter.acquire(), true);
      times.push(clock.now());
    }
    assert.deepEqual(times, [0, 0, 0, 0, 0, 1000]);
  });

  await t.step("holds for many grants, with time passing in between", async () => {
    const clock = new ManualClock(0);
    const limiter = new SlidingWindowLimiter({ limit: 5, windowMs: 1000, clock });
    const times: number[] = [];
    for (let i = 0; i < 40; i++) {
      await limiter.acquire();
      times.push(clock.now());
      clock.advance(i % 3 === 0 ? 130 : 0);
    }
    assert.ok(withinLimit(times, 5, 1000));
  });

  await t.step("concurrent callers are served in order and within the limit", async () => {
    const clock = new ManualClock(0);
    const limiter = new SlidingWindowLimiter({ limit: 2, windowMs: 1000, clock });
    const order: number[] = [];
    const times: number[] = [];
    await Promise.all(
      Array.from({ length: 7 }, (_, i) =>
        limiter.acquire().then(() => {
          order.push(i);
          times.push(clock.now());
        })),
    );
    assert.deepEqual(order, [0, 1, 2, 3, 4, 5, 6]);
    assert.ok(withinLimit(times, 2, 1000));
  });
});

Deno.test("SlidingWindowLimiter.acquire() refuses a slot that comes too late", async (t) => {
  await t.step("resolves false without waiting or taking a slot", async () => {
    const clock = new ManualClock(0);
    const limiter = new SlidingWindowLimiter({ limit: 1, windowMs: 1000, clock });
    assert.equal(await limiter.acquire(500), true);
    assert.equal(await limiter.acquire(500), false);
    assert.equal(clock.now(), 0);
    assert.equal(await limiter.acquire(2000), true);
    assert.equal(clock.now(), 1000);
  });
  await t.step("resolves false at or after the deadline even with slots free", async () => {
    const limiter = new SlidingWindowLimiter({
      limit: 5,
      windowMs: 1000,
      clock: new ManualClock(10),
    });
    assert.equal(await limiter.acquire(10), false);
  });
});

Deno.test("SlidingWindowLimiter validates its options", () => {
  assert.throws(() => new SlidingWindowLimiter({ limit: 0, windowMs: 1000 }), RangeError);
  assert.throws(() => new SlidingWindowLimiter({ limit: 1.5, windowMs: 1000 }), RangeError);
  assert.throws(() => new SlidingWindowLimiter({ limit: 1, windowMs: 0 }), RangeError);
});

Deno.test("sharedCalltouchLimiter() is one limiter per clock, at Calltouch's rate", () => {
  const clock = new ManualClock(0);
  assert.equal(sharedCalltouchLimiter(clock), sharedCalltouchLimiter(clock));
  assert.notEqual(sharedCalltouchLimiter(clock), sharedCalltouchLimiter(new ManualClock(0)));
  assert.equal(sharedCalltouchLimiter(clock).limit, CALLTOUCH_MAX_REQUESTS_PER_WINDOW);
  assert.ok(sharedCalltouchLimiter(clock).windowMs >= 1000);
  assert.equal(sharedCalltouchLimiter(), sharedCalltouchLimiter());
});
