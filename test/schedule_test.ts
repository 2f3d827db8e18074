import assert from "node:assert/strict";
import {
  cronFor,
  GOOGLE_PROJECT_READS_PER_MINUTE,
  GOOGLE_READS_PER_MINUTE,
  planTick,
  projectOf,
  projectRunsPerMinute,
  quotaFit,
  READS_PER_RUN,
  runsPerMinute,
  type ScheduledTarget,
  type Slot,
} from "../src/schedule.ts";

const TICK = Date.UTC(2026, 10, 28, 12, 0);
const account = (n: number, project = "clinics") => `sync${n}@${project}.iam.gserviceaccount.com`;

function targets(count: number, of: (i: number) => string = () => account(1)): ScheduledTarget[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `t${String(i).padStart(3, "0")}`,
    account: of(i),
  }));
}

/** The most starts within any 60 s (half-open, as Google's window) among `slots`. */
function peakPerMinute(slots: readonly Slot[]): number {
  const times = slots.map((s) => s.delaySeconds).sort((a, b) => a - b);
  let peak = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i] - times[j] >= 60) j++;
    peak = Math.max(peak, i - j + 1);
  }
  return peak;
}

Deno.test("the schedule's shares: 15 runs a minute per service account, 75 per project", () => {
  assert.equal(runsPerMinute, 15);
  assert.equal(projectRunsPerMinute, 75);
  assert.ok(runsPerMinute * READS_PER_RUN < GOOGLE_READS_PER_MINUTE, "headroom left");
  assert.ok(projectRunsPerMinute * READS_PER_RUN < GOOGLE_PROJECT_READS_PER_MINUTE);
  assert.equal(projectOf("sync@clinics-123.iam.gserviceaccount.com"), "clinics-123");
});

Deno.test("planTick() spreads one service account's targets, 4 s apart, 15 a minute", async (t) => {
  await t.step("40 targets in a 5-minute tick: all of them, within every minute", () => {
    const plan = planTick(targets(40), { intervalMinutes: 5, at: TICK });
    assert.equal(plan.slots.length, 40);
    assert.deepEqual(plan.deferred, []);
    assert.deepEqual(plan.slots.slice(0, 3).map((s) => s.delaySeconds), [0, 4, 8]);
    assert.equal(plan.slots[15].delaySeconds, 60, "the 16th starts the next minute");
    assert.equal(peakPerMinute(plan.slots), 15);
    assert.ok(peakPerMinute(plan.slots) * READS_PER_RUN <= GOOGLE_READS_PER_MINUTE);
    assert.equal(new Set(plan.slots.map((s) => s.id)).size, 40, "each target once");
    assert.equal(plan.ticksPerRound, 1);
    assert.equal(plan.minutesNeeded, 3);
  });
  await t.step("what fits one minute starts at once: 15 reads less than the quota", () => {
    assert.deepEqual(planTick(targets(1), { intervalMinutes: 5, at: TICK }).slots, [
      { id: "t000", delaySeconds: 0 },
    ]);
    const fifteen = planTick(targets(15), { intervalMinutes: 5, at: TICK });
    assert.ok(fifteen.slots.every((s) => s.delaySeconds === 0));
  });
  await t.step("no targets: nothing", () => {
    const plan = planTick([], { intervalMinutes: 5, at: TICK });
    assert.deepEqual([plan.slots, plan.deferred, plan.perTick], [[], [], 0]);
  });
});

Deno.test("planTick() defers what does not fit the interval, and ticks take turns", async (t) => {
  const all = targets(100);
  const first = planTick(all, { intervalMinutes: 5, at: TICK });
  const second = planTick(all, { intervalMinutes: 5, at: TICK + 5 * 60_000 });
  await t.step("a 5-minute tick serves 75 of 100, never more than 15 a minute", () => {
    assert.equal(first.perTick, 75);
    assert.equal(first.deferred.length, 25);
    assert.equal(peakPerMinute(first.slots), 15);
    assert.ok(first.slots.every((s) => s.delaySeconds < 5 * 60), "all within the interval");
    assert.equal(first.ticksPerRound, 2);
    assert.equal(first.minutesNeeded, 7);
  });
  await t.step("the next tick starts with those left out: two ticks serve every target", () => {
    const served = new Set([...first.slots, ...second.slots].map((s) => s.id));
    assert.equal(served.size, 100);
    for (const id of first.deferred) {
      assert.ok(second.slots.some((s) => s.id === id), `${id} is served by the next tick`);
    }
  });
  await t.step("a manual run of every target spreads them as far as they need", () => {
    const manual = planTick(all, { intervalMinutes: Infinity, at: TICK });
    assert.equal(manual.slots.length, 100);
    assert.deepEqual(manual.deferred, []);
    assert.equal(peakPerMinute(manual.slots), 15);
    assert.equal(manual.slots.at(-1)!.delaySeconds, 6 * 60 + 9 * 4);
  });
});

Deno.test("planTick() gives each service account its own quota, within the project's", async (t) => {
  await t.step("two accounts: 30 starts a minute, 15 each", () => {
    const plan = planTick(targets(60, (i) => account(i % 2)), { intervalMinutes: 5, at: TICK });
    assert.equal(plan.perTick, 60);
    assert.equal(plan.minutesNeeded, 2);
    for (const a of [account(0), account(1)]) {
      const own = plan.slots.filter((s) => Number(s.id.slice(1)) % 2 === Number(a[4]));
      assert.equal(peakPerMinute(own), 15, a);
    }
  });
  await t.step(
    "seven accounts of one project: 75 a minute in all (300 reads less headroom)",
    () => {
      const plan = planTick(targets(700, (i) => account(i % 7)), { intervalMinutes: 5, at: TICK });
      assert.equal(peakPerMinute(plan.slots), projectRunsPerMinute);
      assert.equal(plan.perTick, 5 * projectRunsPerMinute);
      for (const load of plan.accounts) assert.ok(load.perTick > 0, `${load.account} is served`);
    },
  );
  await t.step("seven accounts in two projects: each project its own 75", () => {
    const plan = planTick(
      targets(500, (i) => account(i % 7, i % 7 < 4 ? "first" : "second")),
      { intervalMinutes: 5, at: TICK },
    );
    assert.equal(plan.perTick, 500, "500 clinics every 5 minutes");
    assert.deepEqual(plan.deferred, []);
    const inFirst = plan.slots.filter((s) => Number(s.id.slice(1)) % 7 < 4);
    assert.ok(peakPerMinute(inFirst) <= projectRunsPerMinute);
  });
});

Deno.test("quotaFit() says how many targets a tick serves at the cron, and which cron serves all", async (t) => {
  await t.step("500 targets on one account at */5: 75 a tick, every 7th tick, hourly fits", () => {
    const fit = quotaFit(targets(500), "*/5 * * * *", TICK);
    assert.equal(fit.cronKnown, true);
    assert.equal(fit.intervalMinutes, 5);
    assert.equal(fit.perTick, 75);
    assert.equal(fit.fits, false);
    assert.equal(fit.ticksPerRound, 7);
    assert.equal(fit.minutesNeeded, 34);
    assert.equal(fit.suggestedCron, "0 * * * *");
    assert.equal(fit.everyMinutes, 35);
    assert.equal(fit.accountsNeeded, 7, "or 7 service accounts (15 × 5 = 75 each)");
    assert.equal(fit.projectsNeeded, 2, "in 2 projects (75 × 5 = 375 each)");
  });
  await t.step("the same at an hourly cron: all of them", () => {
    const fit = quotaFit(targets(500), "0 * * * *", TICK);
    assert.equal(fit.intervalMinutes, 60);
    assert.equal(fit.fits, true);
    assert.equal(fit.suggestedCron, undefined);
  });
  await t.step("a cron it cannot read: one minute is assumed, and said", () => {
    const fit = quotaFit(targets(20), "0 9 * * 1", TICK);
    assert.equal(fit.cronKnown, false);
    assert.equal(fit.perTick, 15);
  });
});

Deno.test("cronFor() picks the most frequent regular cron at least that long", () => {
  const cases: [number, string, number][] = [
    [1, "* * * * *", 1],
    [3, "*/3 * * * *", 3],
    [7, "*/10 * * * *", 10],
    [34, "0 * * * *", 60],
    [61, "0 */2 * * *", 120],
    [5000, "0 0 * * *", 1440],
  ];
  for (const [minutes, cron, interval] of cases) {
    assert.deepEqual(cronFor(minutes), { cron, minutes: interval }, String(minutes));
  }
});
