/** The command line of the tool → a typed invocation, or what is wrong with it. Pure. */
import { parseArgs } from "node:util";
import type { Language } from "../deal.ts";

/** The commands of the tool. */
export type Command = "sync" | "check" | "verify" | "probe" | "setup" | "help";

/** A parsed command line. */
export interface Invocation {
  command: Command;
  dryRun: boolean;
  /** `--retry-held`: send every deal Calltouch refused again (with sync). */
  retryHeld?: boolean;
  json: boolean;
  /** `--env-file`: read settings from this file only. */
  envFile?: string;
  /** `--target`: which of the `TARGETS` to run (see `src/settings/targets.ts`). */
  target?: string;
  /** `--state`: the state file. */
  state?: string;
  /** `--order-number` (probe): the test deal's order number. */
  orderNumber?: string;
  /** `--out` (probe): where the probe file goes. */
  out?: string;
  /** `--language`: the language of the tool's own words. Absent: English. */
  language?: Language;
}

const COMMANDS: readonly Command[] = ["sync", "check", "verify", "probe", "setup", "help"];

const COMMAND_LIST = `${COMMANDS.slice(0, -1).join(", ")} or ${COMMANDS.at(-1)}`;

/**
 * Parses the arguments after the script name. `--help` (or `-h`, or the word `help`) anywhere
 * means help, after a `--` too; a `--` itself is ignored (`deno task sync -- --dry-run` passes
 * it on).
 *
 * @returns the invocation, or a one-line error for the user.
 *
 * @example
 * parseCommandLine(["sync", "--dry-run", "--json"]);
 * // { command: "sync", dryRun: true, json: true }
 * parseCommandLine(["push"]); // "unknown command \"push\": expected sync, check, verify, probe, setup or help"
 */
export function parseCommandLine(args: readonly string[]): Invocation | string {
  if (args.some((arg) => arg === "--help" || arg === "-h")) {
    return { command: "help", dryRun: false, json: false };
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: args.filter((arg) => arg !== "--"),
      allowPositionals: true,
      strict: true,
      options: {
        "dry-run": { type: "boolean", default: false },
        "retry-held": { type: "boolean", default: false },
        json: { type: "boolean", default: false },
        "env-file": { type: "string" },
        target: { type: "string" },
        state: { type: "string" },
        "order-number": { type: "string" },
        out: { type: "string" },
        language: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    // node:util's messages name the option ("Unknown option '--x'"); keep the first sentence.
    return String((error as Error).message).split(/\.\s/)[0].replace(/\.$/, "");
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: "help", dryRun: false, json: false };
  if (positionals.length === 0) {
    return `no command given: expected ${COMMAND_LIST}`;
  }
  const [command, ...extra] = positionals;
  if (extra.includes("help")) return { command: "help", dryRun: false, json: false };
  if (!COMMANDS.includes(command as Command)) {
    return `unknown command "${command}": expected ${COMMAND_LIST}`;
  }
  if (extra.length > 0) return `unexpected argument "${extra[0]}"`;
  if (values["dry-run"] && command !== "sync") return "--dry-run goes with the sync command";
  if (values.state !== undefined && command === "setup") {
    return "--state does not go with the setup command (it keeps no state)";
  }
  if (values["retry-held"] && command !== "sync") {
    return "--retry-held goes with the sync command";
  }
  for (const name of ["env-file", "state", "out", "target"] as const) {
    if (values[name] !== undefined && values[name].trim() === "") {
      return `--${name} needs a file name`;
    }
  }
  for (const name of ["order-number", "out"] as const) {
    if (values[name] !== undefined && command !== "probe") {
      return `--${name} goes with the probe command`;
    }
  }
  if (values.language !== undefined && values.language !== "ru" && values.language !== "en") {
    return `--language takes ru or en, got "${values.language}"`;
  }
  const orderNumber = values["order-number"]?.trim();
  if (orderNumber !== undefined && !/^[\w.:-]{1,64}$/.test(orderNumber)) {
    return "--order-number takes letters, digits and . _ : - (at most 64)";
  }
  const invocation: Invocation = {
    command: command as Command,
    dryRun: values["dry-run"],
    json: values.json,
  };
  if (values["retry-held"]) invocation.retryHeld = true;
  if (values["env-file"] !== undefined) invocation.envFile = values["env-file"];
  if (values.state !== undefined) invocation.state = values.state;
  if (values.target !== undefined) invocation.target = values.target;
  if (orderNumber !== undefined) invocation.orderNumber = orderNumber;
  if (values.out !== undefined) invocation.out = values.out;
  if (values.language !== undefined) invocation.language = values.language as Language;
  return invocation;
}
