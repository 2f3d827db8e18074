/**
 * A rig for command-line tests: the Google and Calltouch emulators in this process on
 * 127.0.0.1, a working directory with a `.env` pointing at them, and the tool run as a child
 * process (Deno or Bun) with a time limit.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SETTING_NAMES } from "../../src/settings/table.ts";
import type { CellValue } from "../../src/deal.ts";
import { type CalltouchEmulator, startCalltouchEmulator } from "../emulators/calltouch.ts";
import { type GoogleEmulator, startGoogleEmulator } from "../emulators/google.ts";
import { testServiceAccount } from "../support/service_account.ts";
import { emulatorSettings } from "../support/settings.ts";

export const SPREADSHEET_ID = "1ClinicCliSheet_abcdefghijklmnopqrstuvwxyz0123";
export const TAB = "Сделки";
/** The entry point under test. */
export const CLI = new URL("../../src/cli.ts", import.meta.url).pathname;
/** The repository root (Bun is run from there too, so it finds `node_modules`). */
export const ROOT = new URL("../..", import.meta.url).pathname;
/** Time limit of one run of the tool. */
export const RUN_TIMEOUT_MS = 90_000;

/** What one run of the tool did. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Everything a test needs; `close()` it (try/finally). */
export interface CliRig {
  google: GoogleEmulator;
  calltouch: CalltouchEmulator;
  /** The working directory of the tool (holds `.env` and the state). */
  dir: string;
  /** The settings written to `.env`. */
  settings: Record<string, string>;
  /** The default state file in `dir`. */
  statePath: string;
  /** Runs `deno run -A src/cli.ts …args` in `dir`. */
  run(args: string[], options?: RunOptions): Promise<CliResult>;
  /** The tab's cells as the emulator holds them now. */
  cells(): CellValue[][];
  /** The state file's bytes and modification time, or undefined when it does not exist. */
  stateFile(): Promise<{ text: string; mtimeMs: number } | undefined>;
  close(): Promise<void>;
}

/** Options of {@linkcode CliRig.run}. */
export interface RunOptions {
  /** Extra environment variables (they win over `.env`). */
  env?: Record<string, string>;
  /** The runtime's executable and arguments before the script. Default: this Deno, `run -A`. */
  runtime?: { command: string; args: string[] };
}

/** Options of {@linkcode startCliRig}. */
export interface CliRigOptions {
  rows: CellValue[][];
  /** Whether the spreadsheet is shared with the service account. Default true. */
  shared?: boolean;
  /** Extra or replaced settings in `.env`. */
  settings?: Record<string, string>;
}

/** Starts the emulators and writes `.env`. */
export async function startCliRig(options: CliRigOptions): Promise<CliRig> {
  const account = await testServiceAccount();
  const google = await startGoogleEmulator();
  const calltouch = await startCalltouchEmulator();
  google.createSpreadsheet({
    spreadsheetId: SPREADSHEET_ID,
    timeZone: "Europe/Moscow",
    sheets: [{ title: TAB, values: options.rows }],
    sharedWith: options.shared === false ? [] : [account.clientEmail],
  });
  const dir = await mkdtemp(join(tmpdir(), "cts-cli-"));
  const settings: Record<string, string> = {
    ...emulatorSettings({ spreadsheetId: SPREADSHEET_ID, google, calltouch, account }),
    SYNC_TIME_BUDGET_SECONDS: "60",
    ...options.settings,
  };
  await writeFile(join(dir, ".env"), dotenv(settings));
  const statePath = join(dir, ".calltouch-sync", "state.json");
  return {
    google,
    calltouch,
    dir,
    settings,
    statePath,
    run: (args, runOptions = {}) => runTool(args, { cwd: dir, ...runOptions }),
    cells: () => google.values(SPREADSHEET_ID, `'${TAB}'`) as CellValue[][],
    async stateFile() {
      try {
        const [text, info] = await Promise.all([readFile(statePath, "utf8"), stat(statePath)]);
        return { text, mtimeMs: info.mtimeMs };
      } catch {
        return undefined;
      }
    },
    async close() {
      await google.close();
      await calltouch.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** `KEY='value'` lines; single quotes keep the service account's `\n` escapes for JSON. */
export function dotenv(settings: Record<string, string>): string {
  return Object.entries(settings).map(([key, value]) => `${key}='${value}'\n`).join("");
}

/**
 * The environment of a child run: this process's, without any setting (so a developer's own
 * settings cannot leak into a test), plus `extra`.
 */
export function childEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env = Deno.env.toObject();
  for (const name of SETTING_NAMES) delete env[name];
  return { ...env, NO_COLOR: "1", ...extra };
}

/** Runs the tool once in `cwd`, killed after {@linkcode RUN_TIMEOUT_MS}. */
export async function runTool(
  args: string[],
  options: RunOptions & { cwd: string },
): Promise<CliResult> {
  const runtime = options.runtime ?? { command: Deno.execPath(), args: ["run", "-A"] };
  const output = await new Deno.Command(runtime.command, {
    args: [...runtime.args, CLI, ...args],
    cwd: options.cwd,
    env: childEnv(options.env),
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(RUN_TIMEOUT_MS),
  }).output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

/**
 * Every phone and e-mail of a sheet (the `Телефон` and `Email` columns), as typed and as they
 * would be sent, so tests can assert that output holds none of them.
 */
export function contactsOf(rows: CellValue[][]): string[] {
  const phone = rows[0].indexOf("Телефон");
  const email = rows[0].indexOf("Email");
  const found = new Set<string>();
  for (const row of rows.slice(1)) {
    for (const part of String(row[phone] ?? "").split(/[;,/\n]/)) {
      const digits = part.replace(/\D/g, "");
      if (digits.length >= 10) found.add(digits).add(`7${digits.slice(-10)}`);
    }
    for (const part of String(row[email] ?? "").split(/[;,\s]/)) {
      if (part.includes("@")) found.add(part).add(part.toLowerCase());
    }
  }
  return [...found];
}

/** A failure message with the child's output, for assertions. */
export function explain(result: CliResult): string {
  return `exit ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
}
