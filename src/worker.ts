/** The Worker entry: the HTTP app, the cron handler and the queue consumer, wired together. */
import type { Env } from "./env.ts";
import { consume, runEveryTarget, type SyncMessage } from "./fan_out.ts";
import { createApp } from "./http/app.tsx";
import type { InvocationContext, QueueBatch, ScheduledEvent } from "./platform.ts";

/** The Durable Object pacing Calltouch for every isolate (`RATE_GATE` in wrangler.toml). */
export { RateGate } from "./util/rate_gate.ts";

const app = createApp();

export default {
  fetch: app.fetch,
  /**
   * A cron tick: every target, enqueued (with a `SYNC_QUEUE` binding) or run here one after
   * another. A failed run throws, so the invocation fails visibly.
   */
  async scheduled(event: ScheduledEvent, env: Env, _ctx: InvocationContext): Promise<void> {
    const done = await runEveryTarget(env, { trigger: "cron", cron: event.cron });
    const failures = [...done.problems];
    if ("reports" in done) {
      for (const { target, report } of done.reports) {
        if (!report.ok) {
          failures.push(`${target} (${report.error?.kind}): ${report.error?.message}`);
        }
      }
    }
    if (failures.length > 0) throw new Error(`Sync failed: ${failures.join("; ")}`);
  },
  /** The queue consumer: one target's run per message (see `fan_out.ts`). */
  async queue(batch: QueueBatch<SyncMessage>, env: Env): Promise<void> {
    await consume(batch, env);
  },
};
