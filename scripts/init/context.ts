/**
 * What the steps of `deno task init` share: its process (`InitIo`), the run's context, its
 * answers, the way a step stops (`Stop`, with what to do), and the output helpers.
 */
import type { ServiceAccount } from "../../src/google/service_account.ts";
import type { RunWrangler } from "./wrangler.ts";

/** Exit codes: done, stopped (something to fix, named), bad arguments or answers. */

/** The command line of `deno task init`, parsed. */
export interface InitFlags {
  help: boolean;
  answersFile?: string;
  spreadsheet?: string;
  tab?: string;
  siteId?: string;
  calltouchKeyFile?: string;
  googleKeyFile?: string;
  several?: boolean;
  targetId?: string;
  syncTokenFile?: string;
  accountId?: string;
  /** Secrets to put again even though Cloudflare has them (e.g. a new Calltouch key). */
  replaceSecrets: string[];
  wrangler?: string;
  configDir?: string;
  workerUrl?: string;
  waitMinutes?: number;
  /** Never ask: every missing answer is an error. */
  noInput: boolean;
}

/** Asks a person; undefined when nobody can answer (no terminal, or --no-input). */
export type Ask = (
  question: string,
  options?: { default?: string; secret?: boolean },
) => Promise<string | undefined>;

export const EXIT = { done: 0, stopped: 1, usage: 2 } as const;

/** What `init` needs from its process; tests pass their own. */
export interface InitIo {
  /** The environment (wrangler runs with exactly this one). */
  env: Record<string, string>;
  /** Relative paths of the options are resolved against it. */
  cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Questions at the terminal. Default: {@linkcode askAtTerminal}. */
  ask?: Ask;
  /** Default: the global fetch (Google, and the deployed Worker). */
  fetch?: typeof fetch;
  /** Default: a timer. Tests advance their own clock. */
  sleep?(ms: number): Promise<void>;
  /** Default: Date.now. */
  now?(): number;
}

/** A step that cannot go on: what to do is in the message. */
export class Stop extends Error {
  constructor(message: string, readonly code: number = EXIT.stopped) {
    super(message);
  }
}

/** A target in TARGETS, as init writes it. */
export interface TargetEntry {
  id: string;
  spreadsheet?: string;
  tab?: string;
  calltouchSiteId?: string;
  calltouchTokenSecret?: string;
  [override: string]: unknown;
}

/** Everything the steps share. */
export interface Context {
  io: Required<InitIo>;
  flags: InitFlags;
  ask: Ask;
  tomlPath: string;
  toml: string;
  run: RunWrangler;
  /** What this run changed, in words, for the closing summary. */
  changes: string[];
}

/** The answers of a run, checked. */
export interface Answers {
  spreadsheetId: string;
  tab?: string;
  siteId: string;
  keyJson: string;
  serviceAccount: ServiceAccount;
  /** The Calltouch key, when given (needed only to put its secret). */
  calltouchKey?: string;
  /** The secret holding the Calltouch key. */
  calltouchSecret: string;
  /** SYNC_TOKEN, when given. */
  syncToken?: string;
  /** Whether SYNC_TOKEN was made by this run (then it is printed). */
  syncTokenMade?: boolean;
  /** With several clinics: this clinic's target. */
  target?: TargetEntry;
  /** The other targets of TARGETS, as they are. */
  targets: TargetEntry[];
  waitMinutes: number;
}

/** `text` with `prefix` before every line. */
export function indent(text: string, prefix = "  "): string {
  return text.split("\n").map((line) => (prefix + line).trimEnd()).join("\n");
}

/** One `- line` per line, indented. */
export function bullets(lines: readonly string[]): string {
  return lines.map((line) => `  - ${line}`).join("\n");
}

/** Prints a step's title. */
export function section(ctx: Context, title: string): void {
  ctx.io.stdout(`\n▸ ${title}\n`);
}
