/**
 * The deployed Worker, for `deno task init`: its dry run (`POST /sync?dryRun=1`), tried until
 * a just-deployed Worker answers, and its counts in words.
 */
import { type Context, indent, Stop } from "./context.ts";

/** How long a just-deployed Worker may take to answer (workers.dev routes take a moment). */
export const WORKER_WAIT_MS = 120_000;
/** Between two tries of a Worker that does not answer yet. */
export const WORKER_POLL_MS = 3_000;

/** `POST /sync?dryRun=1` on the deployed Worker, tried until it answers; prints the counts. */
export async function dryRun(ctx: Context, url: string, token: string): Promise<void> {
  const { io } = ctx;
  const deadline = io.now() + WORKER_WAIT_MS;
  let said = false;
  while (true) {
    let status = 0;
    let body: Record<string, unknown> | undefined;
    let why = "";
    try {
      const response = await io.fetch(url, {
        method: "POST",
        headers: { authorization: `Bearer ${token}` },
      });
      status = response.status;
      const text = await response.text();
      try {
        body = JSON.parse(text);
      } catch {
        why = `HTTP ${status}`;
      }
    } catch (error) {
      why = (error as Error).message;
    }
    if (body !== undefined && ("trigger" in body || "error" in body)) {
      return reportDryRun(ctx, status, body);
    }
    if (io.now() + WORKER_POLL_MS > deadline) {
      throw new Stop(
        `The deployed Worker did not answer within ${WORKER_WAIT_MS / 1000} s (${why}). Open ` +
          `${
            url.replace(/\/sync\?.*$/, "/healthz")
          } in a browser; when it answers, run init again.`,
      );
    }
    if (!said) io.stdout(`  waiting for the Worker to answer (${why}) …\n`);
    said = true;
    await io.sleep(WORKER_POLL_MS);
  }
}

function reportDryRun(ctx: Context, status: number, body: Record<string, unknown>): void {
  const say = (text: string) => ctx.io.stdout(`  ${text}\n`);
  const error = body.error as { message?: string } | undefined;
  if (status === 401) {
    throw new Stop(
      "The Worker refused SYNC_TOKEN: the token given to this run is not the Worker's. Give the " +
        "right one, or make a new one with --replace-secret SYNC_TOKEN.",
    );
  }
  if (error !== undefined) {
    throw new Stop(`The Worker's dry run failed (HTTP ${status}):\n${indent(error.message ?? "")}`);
  }
  const c = body.counts as Record<string, number>;
  say(
    `${c.rows} rows: would create ${c.created}, update ${c.updated}; unchanged ${c.unchanged}; ` +
      `with problems ${c.invalid}; held ${c.held}`,
  );
  say("nothing was sent or written; the cron sends them at its next tick");
}
