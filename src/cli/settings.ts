/**
 * Where the command-line tool's settings come from: a dotenv file (`.env`, else `.dev.vars`, or
 * the one given with `--env-file`) overlaid by the process environment. Pure, but for reading
 * the file.
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { SETTING_NAMES } from "../config.ts";
import { targetSecretNames } from "../targets.ts";

/** Files looked for in the working directory, in this order; the first one found is used. */
export const ENV_FILES = [".env", ".dev.vars"] as const;

/** Settings the command-line tool reads (every Worker setting but SYNC_TOKEN, an HTTP secret). */
export const CLI_SETTING_NAMES: readonly string[] = [
  ...SETTING_NAMES.filter((name) => name !== "SYNC_TOKEN"),
  "TARGETS",
  "GOOGLE_SERVICE_ACCOUNT_FILE",
];

/** The settings of a run, and the file they were partly read from. */
export interface GatheredSettings {
  settings: Record<string, string>;
  /** The dotenv file used, if any (as given or found). */
  file?: string;
}

/** A settings file that was asked for but cannot be read or parsed. */
export class SettingsFileError extends Error {
  override readonly name = "SettingsFileError";
}

const LINE_KEY = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*/;
const ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\" };

/**
 * Parses dotenv text as wrangler and most tools do: `KEY=value` lines, optional `export `,
 * `#` comments (whole lines, or after a space in unquoted values); `'single'` and `` `back` ``
 * quotes keep their content as is, `"double"` quotes expand `\n`, `\t`, `\"` and `\\`; quoted
 * values may span lines. The last assignment of a key wins.
 *
 * @throws {SyntaxError} for a quote that is never closed, naming the line.
 *
 * @example
 * parseDotenv("A=1\nexport B='x y' # note\nC=\"line\\nbreak\"");
 * // { A: "1", B: "x y", C: "line\nbreak" }
 */
export function parseDotenv(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  const lines = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n").split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^\s*(#|$)/.test(line)) continue;
    const key = LINE_KEY.exec(line);
    if (!key) continue;
    let rest = line.slice(key[0].length);
    const quote = rest[0];
    if (quote === '"' || quote === "'" || quote === "`") {
      const startLine = i + 1;
      let body = rest.slice(1);
      let end = closingQuote(body, quote);
      while (end < 0 && i + 1 < lines.length) {
        body += "\n" + lines[++i];
        end = closingQuote(body, quote);
      }
      if (end < 0) throw new SyntaxError(`line ${startLine}: the ${quote} quote is never closed`);
      rest = body.slice(0, end);
      result[key[1]] = quote === '"'
        ? rest.replace(/\\([nrt"\\])/g, (_, c: string) => ESCAPES[c])
        : rest;
    } else {
      result[key[1]] = rest.replace(/\s+#.*$/, "").trim();
    }
  }
  return result;
}

function closingQuote(body: string, quote: string): number {
  for (let i = 0; i < body.length; i++) {
    if (quote === '"' && body[i] === "\\") i++;
    else if (body[i] === quote) return i;
  }
  return -1;
}

/** Options of {@linkcode gatherSettings}. */
export interface GatherOptions {
  /** The process environment; wins over the file for every setting it sets to a non-empty value. */
  env: Record<string, string | undefined>;
  /** Where `.env` / `.dev.vars` are looked for. */
  cwd: string;
  /** `--env-file`: this file only (it must exist), instead of looking for `.env` / `.dev.vars`. */
  envFile?: string;
}

/**
 * Reads the dotenv file (if any) and overlays the environment. Only setting names are kept:
 * nothing else from the environment reaches the sync.
 *
 * @throws {SettingsFileError} when `envFile` cannot be read, or a file cannot be parsed.
 */
export async function gatherSettings(options: GatherOptions): Promise<GatheredSettings> {
  let file: string | undefined;
  let fromFile: Record<string, string> = {};
  const candidates: string[] = options.envFile !== undefined ? [options.envFile] : [...ENV_FILES];
  for (const name of candidates) {
    const path = resolve(options.cwd, name);
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (options.envFile === undefined && code === "ENOENT") continue;
      const why = code === "ENOENT" ? "no such file" : code ?? String(error);
      throw new SettingsFileError(`Cannot read the settings file ${name}: ${why}`);
    }
    try {
      fromFile = parseDotenv(text);
    } catch (error) {
      throw new SettingsFileError(
        `The settings file ${path} is malformed: ${(error as Error).message}`,
      );
    }
    file = name;
    break;
  }
  const settings: Record<string, string> = {};
  const take = (name: string) => {
    const fromEnv = options.env[name];
    const value = fromEnv !== undefined && fromEnv.trim() !== "" ? fromEnv : fromFile[name];
    if (value !== undefined) settings[name] = value;
  };
  for (const name of CLI_SETTING_NAMES) take(name);
  // The secrets TARGETS names (one Calltouch key per target).
  for (const name of targetSecretNames(settings.TARGETS)) take(name);
  return { settings, file };
}
