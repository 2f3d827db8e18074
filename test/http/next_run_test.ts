import assert from "node:assert/strict";
import { nextCronRun } from "../../src/http/next_run.ts";
import { cronIntervalMinutes, tickMinutes } from "../../src/util/cron.ts";

const at = (h: number, m: number) => Date.UTC(2026, 10, 28, h, m);

Deno.test("nextCronRun() finds the next firing of the schedules we use", () => {
  assert.equal(nextCronRun("*/5 * * * *", at(12, 1)), at(12, 5));
  assert.equal(nextCronRun("*/5 * * * *", at(12, 5)), at(12, 10));
  assert.equal(nextCronRun("0 * * * *", at(12, 1)), at(13, 0));
  assert.equal(nextCronRun("15 3,15 * * *", at(12, 1)), at(15, 15));
  assert.equal(nextCronRun("0 9-18/3 * * *", at(19, 0)), Date.UTC(2026, 10, 29, 9, 0));
});

Deno.test("nextCronRun() gives up on what it does not understand", () => {
  assert.equal(nextCronRun("0 9 * * MON", at(12, 0)), undefined);
  assert.equal(nextCronRun("nonsense", at(12, 0)), undefined);
  assert.equal(nextCronRun("61 * * * *", at(12, 0)), undefined);
});

Deno.test("cronIntervalMinutes() is the gap between two ticks, wherever `at` falls", () => {
  assert.equal(cronIntervalMinutes("*/5 * * * *", at(12, 5)), 5);
  assert.equal(cronIntervalMinutes("*/5 * * * *", at(12, 4) + 30_000), 5);
  assert.equal(cronIntervalMinutes("0 * * * *", at(12, 59)), 60);
  assert.equal(cronIntervalMinutes("* * * * *", at(12, 0)), 1);
  assert.equal(cronIntervalMinutes("0 9 * * 1", at(12, 0)), undefined);
});

Deno.test("tickMinutes() is the firing tick's own gap, an irregular cron's included", () => {
  assert.equal(tickMinutes("*/5 * * * *", at(12, 5) + 3_000), 5, "a tick a few seconds late");
  assert.equal(tickMinutes("0 9-18 * * *", at(17, 0)), 60, "17:00 until 18:00");
  assert.equal(tickMinutes("0 9-18 * * *", at(18, 0) + 2_000), 15 * 60, "18:00 until 09:00");
  assert.equal(tickMinutes("0 9 * * 1", at(12, 0)), undefined);
});

Deno.test("tickMinutes() counts from the tick's own firing, however late the tick runs", () => {
  assert.equal(tickMinutes("*/5 * * * *", at(12, 3)), 5, "a tick run 3 minutes late");
  assert.equal(
    tickMinutes("0 9-18 * * *", at(17, 40)),
    60,
    "between two ticks: the last one's gap",
  );
});
