import assert from "node:assert/strict";
import { MemoryStore } from "../../src/store/memory.ts";
import { leasedByOther, releaseLease, takeLease } from "../../src/sync/lease.ts";
import { reconcileDueAt } from "../../src/sync/deals_journal/after_send.ts";
import { HISTORY_LENGTH } from "../../src/sync/history.ts";
import type { Config } from "../../src/settings/config.ts";
import type { RunReport } from "../../src/sync/report.ts";

Deno.test("a lease: held by another until its time; released only by its own run", async () => {
  const kv = new MemoryStore();
  const now = Date.now();
  assert.equal(leasedByOther(undefined, "a", now), false);
  assert.equal(leasedByOther({ run: "b", until: now + 1 }, "a", now), true);
  assert.equal(leasedByOther({ run: "a", until: now + 1 }, "a", now), false);
  assert.equal(
    leasedByOther({ run: "b", until: now }, "a", now),
    false,
    "a crashed run's, expired",
  );
  await takeLease(kv, "k", { run: "b", until: now + 90_000 }, now);
  await releaseLease(kv, "k", "a"); // a run that outlived its lease: b's stays
  assert.match((await kv.get("k", "text")) ?? "", /"b"/);
  await releaseLease(kv, "k", "b");
  assert.equal(await kv.get("k", "text"), null);
});

Deno.test("reconcileDueAt(): hourly from the last one; a full history without one waits an hour", () => {
  const config = { calltouch: { statsToken: "s", reconcileEveryMs: 3_600_000 } } as Config;
  const run = (at: number, reconciled = false): RunReport =>
    ({
      startedAt: new Date(at).toISOString(),
      ...(reconciled ? { reconciled: { at: new Date(at).toISOString(), differences: 0 } } : {}),
    }) as RunReport;
  const t = Date.parse("2026-11-30T03:00:00Z");
  assert.equal(reconcileDueAt({ calltouch: { reconcileEveryMs: 1 } } as Config, []), undefined);
  assert.equal(reconcileDueAt(config, []), 0, "never reconciled: now");
  assert.equal(reconcileDueAt(config, [run(t + 60_000), run(t, true)]), t + 3_600_000);
  const busy = Array.from(
    { length: HISTORY_LENGTH },
    (_, i) => run(t + (HISTORY_LENGTH - i) * 1000),
  );
  assert.equal(reconcileDueAt(config, busy), t + 1000 + 3_600_000, "not at every run");
});
