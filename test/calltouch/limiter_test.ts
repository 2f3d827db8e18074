import assert from "node:assert/strict";
import {
  CALLTOUCH_MAX_REQUESTS_PER_WINDOW,
  CALLTOUCH_RATE_MARGIN_MS,
  CALLTOUCH_RATE_WINDOW_MS,
  sharedCalltouchLimiter,
} from "../../src/calltouch/limiter.ts";
import type { Start } from "../../src/util/rate_gate.ts";
import { EventClock, ManualClock } from "../support/clock.ts";

const WINDOW = CALLTOUCH_RATE_WINDOW_MS + CALLTOUCH_RATE_MARGIN_MS;
const LIMIT = CALLTOUCH_MAX_REQUESTS_PER_WINDOW;

Deno.test("sharedCalltouchLimiter(): 5 requests a second, each counted until its answer", async (t) => {
  await t.step("the sixth of five answered at once starts a window later", async () => {
    const clock = new ManualClock(0);
    const limiter = sharedCalltouchLimiter(clock);
    const times: number[] = [];
    for (let i = 0; i < LIMIT + 1; i++) {
      const start = await limiter.acquire();
      assert.ok(start);
      times.push(clock.now());
      await start.end();
    }
    assert.deepEqual(times, [0, 0, 0, 0, 0, WINDOW]);
  });

  await t.step(
    "the sixth waits for an answer of the five still running, plus the window",
    async () => {
      const clock = new EventClock(0);
      const limiter = sharedCalltouchLimiter(clock);
      const running: Start[] = [];
      for (let i = 0; i < LIMIT; i++) running.push((await limiter.acquire())!);
      const sixth = limiter.acquire().then((start) => ({ start, at: clock.now() }));
      // The third request is answered after 2 s; the others run on.
      await clock.sleep(2_000);
      await running[2].end();
      const { start, at } = await sixth;
      assert.ok(start);
      assert.equal(at, 2_000 + WINDOW, "its answer's time plus the window, not its start's");
      for (const s of [...running, start]) await s.end();
    },
  );

  await t.step("no start before the deadline: null, at once, and nothing taken", async () => {
    const clock = new ManualClock(0);
    const limiter = sharedCalltouchLimiter(clock);
    for (let i = 0; i < LIMIT; i++) await (await limiter.acquire())!.end();
    assert.equal(await limiter.acquire(500), null);
    assert.equal(clock.now(), 0);
    assert.ok(await limiter.acquire(WINDOW + 1));
    assert.equal(clock.now(), WINDOW);
  });

  await t.step("a deadline already come: null even with starts free", async () => {
    assert.equal(await sharedCalltouchLimiter(new ManualClock(10)).acquire(10), null);
  });
});

Deno.test("sharedCalltouchLimiter() is one limiter per clock", () => {
  const clock = new ManualClock(0);
  assert.equal(sharedCalltouchLimiter(clock), sharedCalltouchLimiter(clock));
  assert.notEqual(sharedCalltouchLimiter(clock), sharedCalltouchLimiter(new ManualClock(0)));
  assert.equal(sharedCalltouchLimiter(), sharedCalltouchLimiter());
  assert.ok(WINDOW >= 1000);
});
