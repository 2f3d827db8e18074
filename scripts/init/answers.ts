/**
 * What `deno task init` needs to know, and where it comes from: flags, then an answers file
 * (`--answers F`, JSON), then the environment, then what `wrangler.toml` already holds, then a
 * question (when a person is at the terminal). Secrets are read from files or the environment,
 * never from the command line, and never echoed.
 */
import { parseArgs } from "node:util";
import { dirname, resolve } from "node:path";
import { parseServiceAccount } from "../../src/google/service_account.ts";
import { spreadsheetIdFrom } from "../../src/settings/table.ts";
import { KEY_FIX } from "../../src/google/key_shape.ts";
import { withoutSeparators } from "../help.ts";
import { type Answers, bullets, type Context, Stop, type TargetEntry } from "./context.ts";
import type { Ask, InitFlags } from "./context.ts";
import { tableStrings } from "./toml.ts";

/** Reads the command line; returns what is wrong with it instead. */
export function parseInitArgs(args: readonly string[]): InitFlags | string {
  let parsed;
  try {
    parsed = parseArgs({
      args: withoutSeparators(args),
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: "boolean", short: "h", default: false },
        answers: { type: "string" },
        spreadsheet: { type: "string" },
        tab: { type: "string" },
        "site-id": { type: "string" },
        "calltouch-key-file": { type: "string" },
        "google-key-file": { type: "string" },
        several: { type: "boolean" },
        "target-id": { type: "string" },
        "sync-token-file": { type: "string" },
        "account-id": { type: "string" },
        "replace-secret": { type: "string", multiple: true, default: [] },
        wrangler: { type: "string" },
        "config-dir": { type: "string" },
        "worker-url": { type: "string" },
        "wait-minutes": { type: "string" },
        "no-input": { type: "boolean", default: false },
      },
    });
  } catch (error) {
    return String((error as Error).message).split(/\.\s/)[0].replace(/\.$/, "");
  }
  const v = parsed.values;
  let waitMinutes: number | undefined;
  if (v["wait-minutes"] !== undefined) {
    waitMinutes = Number(v["wait-minutes"]);
    if (!/^\d+$/.test(v["wait-minutes"]) || waitMinutes > 120) {
      return `--wait-minutes must be a whole number from 0 to 120, got "${v["wait-minutes"]}"`;
    }
  }
  return {
    help: v.help,
    answersFile: v.answers,
    spreadsheet: v.spreadsheet,
    tab: v.tab,
    siteId: v["site-id"],
    calltouchKeyFile: v["calltouch-key-file"],
    googleKeyFile: v["google-key-file"],
    several: v.several,
    targetId: v["target-id"],
    syncTokenFile: v["sync-token-file"],
    accountId: v["account-id"],
    replaceSecrets: v["replace-secret"],
    wrangler: v.wrangler,
    configDir: v["config-dir"],
    workerUrl: v["worker-url"],
    waitMinutes,
    noInput: v["no-input"],
  };
}

/** The keys an answers file may hold, and the flag each one stands for. */
export const ANSWER_KEYS = {
  spreadsheet: "spreadsheet",
  tab: "tab",
  calltouchSiteId: "siteId",
  calltouchKeyFile: "calltouchKeyFile",
  googleKeyFile: "googleKeyFile",
  several: "several",
  targetId: "targetId",
  syncTokenFile: "syncTokenFile",
  accountId: "accountId",
  waitMinutes: "waitMinutes",
} as const satisfies Record<string, keyof InitFlags>;

/**
 * Reads an answers file (JSON) into flags; file paths in it are relative to the file. Flags
 * given on the command line win.
 *
 * @throws {Error} naming the file and what is wrong with it.
 */
export async function readAnswersFile(path: string): Promise<Partial<InitFlags>> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    throw new Error(`Cannot read the answers file ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`The answers file ${path} is not valid JSON`);
  }
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new Error(`The answers file ${path} must hold a JSON object`);
  }
  const answers: Partial<InitFlags> = {};
  const base = dirname(resolve(path));
  for (const [key, value] of Object.entries(json)) {
    const flag = (ANSWER_KEYS as Record<string, keyof InitFlags>)[key];
    if (flag === undefined) {
      throw new Error(
        `The answers file ${path} has an unknown key "${key}": expected ${
          Object.keys(ANSWER_KEYS).join(", ")
        }`,
      );
    }
    const expected = flag === "several" ? "boolean" : flag === "waitMinutes" ? "number" : "string";
    const actual = typeof value;
    if (actual !== expected) {
      throw new Error(`The answers file ${path}: "${key}" must be a ${expected}`);
    }
    const isPath = flag === "calltouchKeyFile" || flag === "googleKeyFile" ||
      flag === "syncTokenFile";
    (answers as Record<string, unknown>)[flag] = isPath ? resolve(base, value as string) : value;
  }
  const wait = answers.waitMinutes;
  if (wait !== undefined && (!Number.isInteger(wait) || wait < 0 || wait > 120)) {
    throw new Error(`The answers file ${path}: "waitMinutes" must be a whole number from 0 to 120`);
  }
  return answers;
}

/**
 * Asks at the terminal: the question, the default in brackets (Enter keeps it); a secret is read
 * without echo. Undefined when standard input is not a terminal.
 */
export const askAtTerminal: Ask = async (question, options = {}) => {
  if (!Deno.stdin.isTerminal()) return undefined;
  const suffix = options.default ? ` [${options.default}]` : "";
  if (!options.secret) {
    const answer = prompt(`${question}${suffix}:`);
    if (answer === null) return undefined;
    return answer.trim() === "" ? options.default ?? "" : answer.trim();
  }
  return await readHidden(`${question}${suffix}: `);
};

/** Reads a line from the terminal without echoing it (a pasted key included). */
async function readHidden(question: string): Promise<string> {
  const encoder = new TextEncoder();
  await Deno.stdout.write(encoder.encode(question));
  const bytes: number[] = [];
  const buffer = new Uint8Array(4096);
  Deno.stdin.setRaw(true);
  try {
    reading: while (true) {
      const n = await Deno.stdin.read(buffer);
      if (n === null) break;
      for (const byte of buffer.subarray(0, n)) {
        if (byte === 3) throw new Deno.errors.Interrupted("interrupted");
        if (byte === 13 || byte === 10) break reading;
        if (byte === 127 || byte === 8) bytes.pop();
        else bytes.push(byte);
      }
    }
  } finally {
    Deno.stdin.setRaw(false);
    await Deno.stdout.write(encoder.encode("\n"));
  }
  return new TextDecoder().decode(new Uint8Array(bytes)).trim();
}

/** How long `init` waits for the sheet to be shared, by default. */
export const DEFAULT_WAIT_MINUTES = 10;
/** A target's id, as `src/settings/targets.ts` takes it. */
const TARGET_ID = /^[a-z0-9][a-z0-9_-]{0,39}$/;
/** A SYNC_TOKEN the Worker takes (`src/settings/table.ts`). */
const SYNC_TOKEN_SHAPE = /^[A-Za-z0-9._~+/-]{16,}=*$/;

/**
 * Every answer of the run, checked before anything is created: from the flags, the answers file,
 * the environment, wrangler.toml, or questions. Lists every missing answer at once.
 */
export async function gatherAnswers(ctx: Context): Promise<Answers> {
  const { flags, io, ask } = ctx;
  const vars = tableStrings(ctx.toml, "vars");
  // Every answer nobody gave, listed at once when nobody can be asked.
  const missing: string[] = [];
  const required = async (
    given: string | undefined,
    question: string,
    flag: string,
  ): Promise<string> => {
    const value = given ?? (await ask(question))?.trim();
    if (!value) missing.push(`${flag}: ${question}`);
    return value ?? "";
  };

  // Several clinics: a target in TARGETS (implied when wrangler.toml has TARGETS).
  const targetsText = vars.TARGETS?.trim();
  let targets: TargetEntry[] = [];
  if (targetsText) {
    try {
      targets = JSON.parse(targetsText);
      if (!Array.isArray(targets)) throw new Error();
    } catch {
      throw new Stop("TARGETS in wrangler.toml is not a JSON list: fix it by hand first", 2);
    }
  }
  // A wrangler.toml that already holds one clinic or several says which it is.
  let several = flags.several ??
    (targetsText ? true : vars.SPREADSHEET_ID?.trim() ? false : undefined);
  if (several === undefined) {
    const answer = await ask("Several clinics or branches in this Worker (TARGETS, a queue)? y/N", {
      default: "n",
    });
    several = /^(y|yes|д|да)$/i.test(answer?.trim() ?? "");
  }
  if (!several && targetsText) {
    throw new Stop("wrangler.toml has TARGETS (several clinics): run init with --several", 2);
  }
  if (several && !targetsText && vars.SPREADSHEET_ID?.trim()) {
    throw new Stop(
      "wrangler.toml already syncs one clinic (SPREADSHEET_ID is set). To add another, first move " +
        "it into TARGETS (README, «Several branches or clinics»; its key can stay in " +
        '"calltouchTokenSecret": "CALLTOUCH_TOKEN") and empty SPREADSHEET_ID, then run init ' +
        "--several again.",
      2,
    );
  }

  let target: TargetEntry | undefined;
  let known: { spreadsheet?: string; tab?: string; siteId?: string } = {};
  /** Whether wrangler.toml already holds this clinic (then an empty tab means the first tab). */
  let configured: boolean;
  if (several) {
    const id = await required(
      flags.targetId ?? (targets.length === 1 ? targets[0].id : undefined),
      "This clinic's short name in TARGETS (a-z, 0-9, - _)",
      "--target-id",
    );
    if (id && !TARGET_ID.test(id)) {
      throw new Stop(`--target-id must be 1–40 of a-z, 0-9, - and _, got "${id}"`, 2);
    }
    target = targets.find((t) => t.id === id) ?? { id };
    configured = targets.some((t) => t.id === id);
    known = { spreadsheet: target.spreadsheet, tab: target.tab, siteId: target.calltouchSiteId };
  } else {
    configured = Boolean(vars.SPREADSHEET_ID?.trim());
    known = {
      spreadsheet: vars.SPREADSHEET_ID,
      tab: vars.SHEET_NAME,
      siteId: vars.CALLTOUCH_SITE_ID,
    };
  }
  const fromToml = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);

  const spreadsheet = await required(
    flags.spreadsheet ?? fromToml(known.spreadsheet),
    "The Google spreadsheet's address (or id)",
    "--spreadsheet",
  );
  const spreadsheetId = spreadsheetIdFrom(spreadsheet);
  if (spreadsheet && !spreadsheetId) {
    throw new Stop(
      `--spreadsheet is neither a spreadsheet address nor an id: "${spreadsheet}" (copy the ` +
        "address bar of the open spreadsheet)",
      2,
    );
  }
  const tab = flags.tab ?? (configured ? known.tab?.trim() ?? "" : undefined) ??
    (await ask("The tab holding the deals (Enter: the first tab)"))?.trim();
  const siteRaw = await required(
    flags.siteId ?? fromToml(known.siteId),
    "The Calltouch project id (the number after /sites/ in my.calltouch.ru's address)",
    "--site-id",
  );
  const siteId = /\/sites\/(\d+)/.exec(siteRaw)?.[1] ?? siteRaw.trim();
  if (siteRaw && !/^\d+$/.test(siteId)) {
    throw new Stop(`The Calltouch project id must be a number, got "${siteRaw}"`, 2);
  }
  const keyFile = await required(
    flags.googleKeyFile ?? (io.env.GOOGLE_SERVICE_ACCOUNT_FILE || undefined),
    "The service account's JSON key file (its path)",
    "--google-key-file",
  );
  if (missing.length > 0) {
    throw new Stop(
      `Missing answers (give them as options, or run init at a terminal):\n${bullets(missing)}`,
      2,
    );
  }

  const keyPath = resolve(io.cwd, keyFile);
  const keyJson = await readSecretFile(keyPath, "the Google key file");
  const serviceAccount = parseServiceAccount(keyJson);
  if (typeof serviceAccount === "string") {
    throw new Stop(
      `The Google key file ${keyPath} ${serviceAccount.replace(KEY_FIX, "").trim()} ` +
        "Download a key: Google Cloud → IAM & Admin → Service accounts → the account → Keys → " +
        "Add key → Create new key → JSON.",
      2,
    );
  }

  let calltouchKey = flags.calltouchKeyFile !== undefined
    ? await readSecretFile(resolve(io.cwd, flags.calltouchKeyFile), "the Calltouch key file")
    : io.env.CALLTOUCH_TOKEN?.trim() || undefined;
  if (calltouchKey !== undefined) calltouchKey = checkedCalltouchKey(calltouchKey);
  const calltouchSecret = target?.calltouchTokenSecret ??
    (target ? `CALLTOUCH_TOKEN_${target.id.toUpperCase().replace(/-/g, "_")}` : "CALLTOUCH_TOKEN");

  let syncToken = flags.syncTokenFile !== undefined
    ? await readSecretFile(resolve(io.cwd, flags.syncTokenFile), "the SYNC_TOKEN file")
    : io.env.SYNC_TOKEN?.trim() || undefined;
  if (syncToken !== undefined) syncToken = checkedSyncToken(syncToken);

  const secrets = ["GOOGLE_SERVICE_ACCOUNT", calltouchSecret, "SYNC_TOKEN"];
  for (const name of flags.replaceSecrets) {
    if (!secrets.includes(name)) {
      throw new Stop(`--replace-secret ${name}: init puts only ${secrets.join(", ")}`, 2);
    }
  }

  return {
    spreadsheetId: spreadsheetId!,
    tab: tab || undefined,
    siteId,
    keyJson,
    serviceAccount,
    calltouchKey,
    calltouchSecret,
    syncToken,
    target,
    targets,
    waitMinutes: flags.waitMinutes ?? DEFAULT_WAIT_MINUTES,
  };
}

/** A secret's file, read; stops naming the file when it cannot be. */
async function readSecretFile(path: string, what: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    const why = error instanceof Deno.errors.NotFound ? "no such file" : (error as Error).message;
    throw new Stop(`Cannot read ${what} ${path}: ${why}`, 2);
  }
}

/** The Calltouch key, trimmed; stops when it is not one word. */
export function checkedCalltouchKey(key: string): string {
  const trimmed = key.trim();
  if (!trimmed || /\s/.test(trimmed)) {
    throw new Stop("The Calltouch key must be one word without spaces: copy the key as it is", 2);
  }
  return trimmed;
}

/** SYNC_TOKEN, trimmed; stops when the Worker would not take it. */
export function checkedSyncToken(token: string): string {
  const trimmed = token.trim();
  if (!SYNC_TOKEN_SHAPE.test(trimmed)) {
    throw new Stop(
      "SYNC_TOKEN must be at least 16 letters, digits or - . _ ~ + /: make one with " +
        "`openssl rand -hex 24`, or let init make it",
      2,
    );
  }
  return trimmed;
}

export type { Ask, InitFlags } from "./context.ts";
