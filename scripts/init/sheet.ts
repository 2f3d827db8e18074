/**
 * The sheet steps of `deno task init`: wait until the spreadsheet is shared with the service
 * account, and the command-line tool's `check` on the settings the Worker will have.
 */
import { main as cli } from "../../src/cli/main.ts";
import { connect } from "../../src/connect.ts";
import type { SetupConfig } from "../../src/setup/run.ts";
import { MemoryStore } from "../../src/store/memory.ts";
import { UpstreamError } from "../../src/util/errors.ts";
import { type Context, indent, Stop } from "./context.ts";

/** Between two looks at the sheet while waiting. */
export const SHEET_POLL_MS = 5_000;

/**
 * Looks at the spreadsheet until it answers (it is shared with the service account), every
 * {@linkcode SHEET_POLL_MS}, for at most `minutes`. Stops at once for what waiting cannot fix
 * (a wrong id, a refused key).
 */
export async function waitForSheet(
  ctx: Context,
  config: SetupConfig,
  options: { minutes: number; email: string },
): Promise<void> {
  const { io } = ctx;
  const say = (text: string) => io.stdout(`  ${text}\n`);
  const { calltouch: _notUsed, ...google } = config;
  const { sheets } = connect(google, { store: new MemoryStore(), fetch: io.fetch });
  const deadline = io.now() + options.minutes * 60_000;
  let said: string | undefined;
  for (let attempt = 1;; attempt++) {
    try {
      const info = await sheets.metadata();
      say(`shared with the service account ${options.email}: the spreadsheet answers`);
      say(`(«${info.title}»${attempt > 1 ? ", shared now" : ""})`);
      return;
    } catch (error) {
      if (!(error instanceof UpstreamError)) throw error;
      const fixable = error.status === 403 || error.retryable;
      if (!fixable) throw new Stop(`The spreadsheet cannot be read: ${error.message}`);
      if (attempt === 1) {
        say("Share the spreadsheet with the service account as an Editor:");
        say(`  ${options.email}`);
        say("(in the sheet: Share → add this e-mail → Editor → untick «Notify» → Share)");
      }
      if (io.now() + SHEET_POLL_MS > deadline) {
        throw new Stop(
          `The spreadsheet did not answer within ${options.minutes} minute(s): ${error.message}\n` +
            "Share it, then run deno task init again (what is done stays done).",
        );
      }
      if (error.message !== said) {
        said = error.message;
        say(`waiting (up to ${options.minutes} min, every ${SHEET_POLL_MS / 1000} s): ${said}`);
      }
      await io.sleep(SHEET_POLL_MS);
    }
  }
}

/** The command-line tool's `check`, on the settings the Worker will have. */
export async function runCheck(
  ctx: Context,
  settings: Record<string, string>,
  target: string | undefined,
): Promise<void> {
  const { io } = ctx;
  // A working directory of its own: no .env of the project's mixes in, no state is left behind.
  const cwd = await Deno.makeTempDir({ prefix: "cts-init-check-" });
  let out = "";
  try {
    const code = await cli(["check", ...(target ? ["--target", target] : [])], {
      env: settings,
      cwd,
      fetch: io.fetch,
      stdout: (text) => void (out += text),
      stderr: (text) => void (out += text),
    });
    io.stdout(indent(out.trimEnd()) + "\n");
    if (code === 2) {
      throw new Stop(
        "check found what stops every sync (above): fix it (the sheet's header, a setting), then " +
          "run deno task init again.",
      );
    }
    if (code === 1) {
      io.stdout("  Rows with problems will show ❌ and what to fix in the status column.\n");
    }
  } finally {
    await Deno.remove(cwd, { recursive: true });
  }
}
