/**
 * Where the command-line tool's settings come from, for every command (`sync`, `check`,
 * `verify`, `probe`, `setup`): a dotenv file (`.env`, else `.dev.vars`, or the one given with
 * `--env-file`) overlaid by the process environment. The file is read with Node's own dotenv
 * parser (`node:util` `parseEnv`), the reading `wrangler dev` shares for `.dev.vars`, plus the
 * two checks it lacks: a quote never closed (it would swallow the next settings) is an error
 * naming the line, and a value cut at `#` gets a warning saying how to keep it.
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { parseEnv } from "node:util";
import { SETTINGS } from "./table.ts";
import { targetSecretNames } from "./targets.ts";

/** Files looked for in the working directory, in this order; the first one found is used. */
export const ENV_FILES = [".env", ".dev.vars"] as const;

/** Settings the command-line tool reads (every setting but the Worker's HTTP secrets). */
export const CLI_SETTING_NAMES: readonly string[] = SETTINGS.filter((s) => !s.workerOnly)
  .flatMap((s) => s.alias ? [s.name, s.alias.name] : [s.name]);

/** The settings of a run, and the file they were partly read from. */
export interface GatheredSettings {
  settings: Record<string, string>;
  /** The dotenv file used, if any (as given or found). */
  file?: string;
  /** What in the file is read otherwise than it probably means (one line each). */
  warnings: string[];
}

/** A settings file that was asked for but cannot be read or parsed. */
export class SettingsFileError extends Error {
  override readonly name = "SettingsFileError";
}

const LINE_KEY = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*/;
const ASSIGNMENT = /^\s*(?:export\s+)?[A-Za-z_][A-Za-z0-9_.-]*\s*=/;

/**
 * Reads dotenv text as Node and wrangler do: `KEY=value` lines, optional `export `, `#`
 * comments (a `#` in an unquoted value starts one), `'single'`, `"double"` (where `\n` is a line
 * break) and `` `back` `` quotes, quoted values over several lines. The last assignment of a key
 * wins.
 *
 * @throws {SyntaxError} for a quote that is never closed (or closed only after the next
 * setting's line), naming the line.
 *
 * @example
 * readDotenv("A=1\nexport B='x y' # note\nC=\"line\\nbreak\"").values;
 * // { A: "1", B: "x y", C: "line\nbreak" }
 */
export function readDotenv(text: string): { values: Record<string, string>; warnings: string[] } {
  const clean = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  const warnings: string[] = [];
  const lines = clean.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const key = LINE_KEY.exec(lines[i]);
    if (!key || /^\s*#/.test(lines[i])) continue;
    const rest = lines[i].slice(key[0].length);
    const quote = rest[0];
    if (quote === '"' || quote === "'" || quote === "`") {
      if (rest.indexOf(quote, 1) > 0) continue;
      // A value over several lines: it must close before anything that looks like a setting.
      let closed = false;
      for (let j = i + 1; j < lines.length && !closed; j++) {
        if (ASSIGNMENT.test(lines[j])) break;
        if (lines[j].includes(quote)) closed = true;
      }
      if (!closed) throw new SyntaxError(`line ${i + 1}: the ${quote} quote is never closed`);
    } else if (/[^\s]#/.test(rest) && !/^https?:\/\//.test(rest)) {
      // (A URL's fragment is never needed: `…/edit#gid=0` is the same spreadsheet.)
      const cut = rest.slice(0, rest.search(/#/)).trim();
      warnings.push(
        `line ${i + 1}: ${key[1]} is read as "${cut}": what follows # is a comment ` +
          `(as wrangler reads it too); to keep it, quote the value: ${key[1]}="${rest.trim()}"`,
      );
    }
  }
  return { values: { ...parseEnv(clean) } as Record<string, string>, warnings };
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
 * Reads the dotenv file (if any) and overlays the environment. Only setting names are kept (and
 * the secrets `TARGETS` names): nothing else from the environment reaches the sync.
 *
 * @throws {SettingsFileError} when `envFile` cannot be read, or a file cannot be parsed.
 */
export async function gatherSettings(options: GatherOptions): Promise<GatheredSettings> {
  let file: string | undefined;
  let fromFile: Record<string, string> = {};
  let warnings: string[] = [];
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
      ({ values: fromFile, warnings } = readDotenv(text));
    } catch (error) {
      throw new SettingsFileError(
        `The settings file ${path} is malformed: ${(error as Error).message}`,
      );
    }
    warnings = warnings.map((warning) => `${name} ${warning}`);
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
  return { settings, file, warnings };
}
