/** The Worker entry: the HTTP app and the cron handler, wired together and nothing else. */
import { Hono } from "hono";
import type { Env } from "./env.ts";
import type { InvocationContext, ScheduledEvent } from "./platform.ts";

const app = new Hono<{ Bindings: Env }>();

app.get("/healthz", (c) => c.json({ ok: true }));

export default {
  fetch: app.fetch,
  scheduled(_event: ScheduledEvent, _env: Env, _ctx: InvocationContext): Promise<void> {
    // The sync is wired in by the sync issue.
    return Promise.resolve();
  },
};
