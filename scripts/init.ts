/**
 * `deno task init`: one guided, idempotent deploy of a clinic for the integrator. Checks the
 * Cloudflare login, creates the KV namespace (and the queues, for several clinics), writes their
 * ids and the clinic's settings into wrangler.toml, puts the secrets (the Google key read from
 * its file, never pasted), waits until the sheet is shared with the service account, runs
 * `check`, prepares the sheet, deploys, runs a dry run through the deployed Worker, and ends
 * with the panel's address and what to tell the clinic. Run again, it repairs what is missing
 * and changes nothing else. See `--help`.
 */
import { resolve } from "node:path";
import { ConfigError, loadConfig } from "../src/settings/config.ts";
import { setupSheetFromConfig } from "../src/setup/run.ts";
import { DEFAULT_TARGET, loadTargets, problemsOf } from "../src/settings/targets.ts";
import { UpstreamError } from "../src/util/errors.ts";
import { helpAsked } from "./help.ts";
import {
  type Ask,
  askAtTerminal,
  DEFAULT_WAIT_MINUTES,
  gatherAnswers,
  type InitFlags,
  parseInitArgs,
  readAnswersFile,
} from "./init/answers.ts";
import { clinicMessage } from "./init/clinic_message.ts";
import {
  askSyncToken,
  checkLogin,
  DEAD_LETTER_QUEUE,
  ensureKvNamespace,
  ensureQueues,
  ensureSecrets,
  QUEUE,
  writeSettings,
} from "./init/cloudflare.ts";
import { bullets, type Context, EXIT, indent, type InitIo, section, Stop } from "./init/context.ts";
import { dryRun } from "./init/deployed.ts";
import { runCheck, waitForSheet } from "./init/sheet.ts";
import { tableStrings } from "./init/toml.ts";
import { deploy, wranglerCommand, WranglerError, wranglerRunner } from "./init/wrangler.ts";

export { EXIT, type InitIo };

/** The project root: wrangler.toml is there unless --config-dir says otherwise. */
const ROOT = decodeURIComponent(new URL("..", import.meta.url).pathname);
/** Stands in for the Calltouch key in `check` when this run does not know it (check does not use it). */
const KEY_NOT_NEEDED = "not-used-by-check";

/** The full `--help` text. */
export const HELP = `Usage: deno task init [options]

One guided deploy of a clinic to Cloudflare, safe to run again (it repairs what is missing and
changes nothing else):
  1. checks that wrangler is logged in (deno task wrangler login);
  2. creates the KV namespace <worker name>-SYNC_STATE (and, with --several, the queues
     ${QUEUE} and ${DEAD_LETTER_QUEUE}) and writes their ids into wrangler.toml;
  3. writes the clinic's settings into wrangler.toml [vars] (with --several: a target in TARGETS);
  4. puts the secrets GOOGLE_SERVICE_ACCOUNT (read from the key file), CALLTOUCH_TOKEN (with
     --several: CALLTOUCH_TOKEN_<TARGET>), SYNC_TOKEN (made here and printed once: the
     control panel's password) and STATE_KEY (made here, printed once: the key of the hashes
     the sync keeps) with wrangler secret put, values on stdin;
  5. prints the service account's e-mail to share the sheet with, and waits until it is shared;
  6. runs check (how the sheet is understood) and prepares the sheet (status column, colours);
  7. deploys (wrangler deploy) and runs a dry run through the deployed Worker;
  8. ends with the control panel's address and a message for the clinic (in Russian).

Answers come from the options, an answers file, the environment, wrangler.toml (a second run
asks nothing it knows), or questions at the terminal:
  --spreadsheet URL|ID      the Google spreadsheet (any address Google shows, or its id)
  --tab NAME                the tab holding the deals (default: the first tab)
  --site-id N               the Calltouch project id (the number after /sites/ in the address of
                            my.calltouch.ru)
  --calltouch-key-file F    a file holding the Calltouch API key (or CALLTOUCH_TOKEN=… in the
                            environment); needed only while Cloudflare does not have it
  --google-key-file F       the service account's JSON key file, as Google downloads it (or
                            GOOGLE_SERVICE_ACCOUNT_FILE=F in the environment)
  --several                 several clinics or branches in this Worker: TARGETS and a queue
  --target-id ID            with --several: this clinic's short name (a-z, 0-9, - _)
  --sync-token-file F       a file holding SYNC_TOKEN (or SYNC_TOKEN=… in the environment): to
                            run the dry run when SYNC_TOKEN was set by an earlier run
  --replace-secret NAME     put this secret again although Cloudflare has it (a new key);
                            may be repeated. --replace-secret SYNC_TOKEN makes a new password.
  --account-id ID           the Cloudflare account, when the login has several
  --answers F               a JSON file with any of: spreadsheet, tab, calltouchSiteId,
                            calltouchKeyFile, googleKeyFile, several, targetId, syncTokenFile,
                            accountId, waitMinutes (paths relative to the file)
  --wait-minutes N          how long to wait for the sheet to be shared
                            (default ${DEFAULT_WAIT_MINUTES}; 0: do not wait)
  --worker-url URL          the Worker's address, when wrangler deploy lists none (workers.dev
                            turned off, a custom domain only)
  --wrangler CMD            the wrangler command (default: deno run -A npm:wrangler@…; or the
                            WRANGLER environment variable)
  --config-dir DIR          where wrangler.toml is (default: the project root)
  --no-input                never ask (also when standard input is not a terminal)
  -h, --help                print this text

Secrets never go on the command line and are never printed, but for the SYNC_TOKEN and the
STATE_KEY made here (each shown once, to keep).
Exit codes: 0 done; 1 stopped at a step that needs you (the message says what to do; run init
again afterwards); 2 bad options or answers.`;

/**
 * Runs `init` and returns its exit code (see {@linkcode EXIT}).
 *
 * @example
 * Deno.exit(await main(Deno.args, { env: Deno.env.toObject(), cwd: Deno.cwd(), … }));
 */
export async function main(args: readonly string[], io: InitIo): Promise<number> {
  const full: Required<InitIo> = {
    ask: askAtTerminal,
    fetch: globalThis.fetch,
    sleep: (ms) => new Promise((done) => setTimeout(done, ms)),
    now: Date.now,
    ...io,
  };
  if (helpAsked(args)) {
    full.stdout(HELP + "\n");
    return EXIT.done;
  }
  const parsed = parseInitArgs(args);
  if (typeof parsed === "string") {
    full.stderr(`error: ${parsed}\nRun with --help for the options.\n`);
    return EXIT.usage;
  }
  try {
    let flags = parsed;
    if (flags.answersFile !== undefined) {
      const fromFile = await readAnswersFile(resolve(full.cwd, flags.answersFile));
      flags = { ...fromFile, ...withoutUndefined(flags) } as InitFlags;
    }
    const tomlPath = resolve(full.cwd, flags.configDir ?? ROOT, "wrangler.toml");
    const toml = await Deno.readTextFile(tomlPath).catch(() => {
      throw new Stop(`Cannot read ${tomlPath}: run init in the project (or give --config-dir)`, 2);
    });
    const ask: Ask = flags.noInput ? () => Promise.resolve(undefined) : full.ask;
    const run = wranglerRunner({
      command: wranglerCommand(flags.wrangler ?? full.env.WRANGLER),
      cwd: resolve(tomlPath, ".."),
      env: full.env,
    });
    return await init({ io: full, flags, ask, tomlPath, toml, run, changes: [] });
  } catch (error) {
    if (error instanceof Stop) {
      full.stderr(`\n${error.message}\n`);
      return error.code;
    }
    if (error instanceof WranglerError) {
      full.stderr(`\n${error.message}\nFix that, then run deno task init again.\n`);
      return EXIT.stopped;
    }
    if (error instanceof Error && /answers file/.test(error.message)) {
      full.stderr(`error: ${error.message}\n`);
      return EXIT.usage;
    }
    throw error;
  }
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

async function init(ctx: Context): Promise<number> {
  const { io } = ctx;
  const say = (text = "") => io.stdout(text + "\n");
  say("calltouch-sheet-sync init: a guided deploy (run it again any time: it repairs what is");
  say("missing and changes nothing else)");

  // Every answer first, checked before anything is created.
  const answers = await gatherAnswers(ctx);
  const account = answers.serviceAccount;

  section(ctx, "Cloudflare login");
  await checkLogin(ctx);

  section(ctx, "KV namespace");
  await ensureKvNamespace(ctx);
  if (answers.target !== undefined) {
    section(ctx, "Queues (several clinics)");
    await ensureQueues(ctx);
  }

  section(ctx, "Settings in wrangler.toml");
  await writeSettings(ctx, answers);

  section(ctx, "Secrets");
  const syncToken = await ensureSecrets(ctx, answers);

  // The settings as the deployed Worker will read them, this clinic's target among them.
  const settings = {
    ...tableStrings(ctx.toml, "vars"),
    GOOGLE_SERVICE_ACCOUNT: answers.keyJson,
    [answers.calltouchSecret]: answers.calltouchKey ?? KEY_NOT_NEEDED,
  };
  const targetId = answers.target?.id ?? DEFAULT_TARGET;
  const { targets, problems } = loadTargets(settings);
  const target = targets.find((t) => t.id === targetId);
  if (!target) {
    const mine = answers.target === undefined ? problems : problemsOf(problems, targetId);
    throw new Stop(`The settings in wrangler.toml have problems:\n${bullets(mine)}`);
  }
  let setupConfig;
  try {
    setupConfig = loadConfig(target.env, { needs: ["sheet"] });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new Stop(`The settings in wrangler.toml have problems:\n${bullets(error.problems)}`);
  }

  section(ctx, "Sharing the sheet");
  await waitForSheet(ctx, setupConfig, {
    minutes: answers.waitMinutes,
    email: account.clientEmail,
  });

  section(ctx, "Check (how the sheet is understood)");
  await runCheck(ctx, settings, answers.target?.id);

  section(ctx, "Sheet setup");
  try {
    const report = await setupSheetFromConfig(setupConfig, { fetch: io.fetch });
    say(indent(report.text));
    if (report.changed) ctx.changes.push(`prepared the tab «${report.tab}»`);
  } catch (error) {
    if (!(error instanceof UpstreamError)) throw error;
    throw new Stop(`Sheet setup failed: ${error.message}`);
  }

  section(ctx, "Deploy");
  say("  wrangler deploy …");
  const deployed = await deploy(ctx.run);
  const workerUrl = (ctx.flags.workerUrl ?? deployed.url)?.replace(/\/+$/, "");
  if (workerUrl === undefined) {
    say("  Deployed, but wrangler listed no address (workers.dev turned off?): give it with");
    say("  --worker-url https://… to run the dry run and get the panel's address.");
    summary(ctx);
    return EXIT.done;
  }
  say(`  Deployed: ${workerUrl}`);

  section(ctx, "Dry run through the Worker");
  const token = syncToken ?? await askSyncToken(ctx);
  const query = answers.target ? `&target=${encodeURIComponent(answers.target.id)}` : "";
  if (token === undefined) {
    say("  Skipped: SYNC_TOKEN was set by an earlier run and this one does not know it. Give it");
    say("  with SYNC_TOKEN=… or --sync-token-file F, or make a new one with");
    say("  --replace-secret SYNC_TOKEN (the panel's password and the menu's token change).");
  }
  // A Worker that does not answer yet still gets its address and the clinic's message printed.
  let code: number = EXIT.done;
  if (token !== undefined) {
    try {
      await dryRun(ctx, `${workerUrl}/sync?dryRun=1${query}`, token);
    } catch (error) {
      if (!(error instanceof Stop)) throw error;
      io.stderr(`\n${error.message}\n`);
      code = error.code;
    }
  }

  const panelUrl = `${workerUrl}/${answers.target ? `?target=${answers.target.id}` : ""}`;
  section(ctx, "Done");
  say(`  Control panel: ${panelUrl}`);
  say(
    "  (any user name; the password is SYNC_TOKEN" +
      (syncToken !== undefined && answers.syncTokenMade ? ", printed above)" : ")"),
  );
  summary(ctx);
  say("");
  say("Tell the clinic (copy what is between the lines; send the password separately):");
  say(CUT);
  say(clinicMessage({
    panelUrl,
    workerUrl,
    cron: cronOf(ctx.toml),
    tab: target.env.SHEET_NAME as string | undefined,
  }));
  say(CUT);
  return code;
}

const CUT = "-".repeat(72);

function summary(ctx: Context): void {
  ctx.io.stdout(
    ctx.changes.length === 0
      ? "  This run changed nothing (the code was deployed again as it is).\n"
      : `  This run: ${ctx.changes.join("; ")}.\n`,
  );
}

/** The `crons` array's first entry, read from `[triggers]` (tableStrings reads strings only). */
function cronOf(toml: string): string | undefined {
  const triggers = /^\[triggers\][^[]*?^crons\s*=\s*\[\s*"([^"]+)"/ms.exec(toml);
  return triggers?.[1];
}

/** Writes all of `text` (a single writeSync may write part of it). */
function writeAll(stream: { writeSync(p: Uint8Array): number }, text: string): void {
  let bytes = new TextEncoder().encode(text);
  while (bytes.length > 0) bytes = bytes.subarray(stream.writeSync(bytes));
}

if (import.meta.main) {
  Deno.exit(
    await main(Deno.args, {
      env: Deno.env.toObject(),
      cwd: Deno.cwd(),
      stdout: (text) => writeAll(Deno.stdout, text),
      stderr: (text) => writeAll(Deno.stderr, text),
    }),
  );
}
