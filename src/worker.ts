/** The Worker entry: the HTTP app and the cron handler, wired together and nothing else. */
import { type Env, workerDeps } from "./env.ts";
import { createApp, logRun } from "./http/app.tsx";
import type { InvocationContext, ScheduledEvent } from "./platform.ts";
import { runFromSettings } from "./sync/run.ts";

const app = createApp();

export default {
  fetch: app.fetch,
  /** A cron tick: one sync. A failed run throws, so the invocation fails visibly. */
  async scheduled(event: ScheduledEvent, env: Env, _ctx: InvocationContext): Promise<void> {
    const report = await runFromSettings(env, workerDeps(env), {
      trigger: "cron",
      cron: event.cron,
    });
    logRun(report);
    if (!report.ok) {
      throw new Error(`Sync failed (${report.error?.kind}): ${report.error?.message}`);
    }
  },
};
