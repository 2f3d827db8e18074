/**
 * Settings of the command-line sheet setup: the Worker's own settings, gathered the way
 * `wrangler dev` sees them (`wrangler.toml` `[vars]`, then `.dev.vars`), then the process
 * environment, and validated with the Worker's `loadConfig` for the Google part only.
 */
import { loadConfig, SETTING_NAMES, type SettingsEnv } from "../config.ts";
import type { SetupConfig } from "./run.ts";

/** The settings setup reads; Calltouch settings are not needed and not checked. */
export const SETUP_SETTINGS = [
  "SPREADSHEET_ID",
  "SHEET_NAME",
  "GOOGLE_SERVICE_ACCOUNT",
  "GOOGLE_SHEETS_API_URL",
  "GOOGLE_TOKEN_URL",
  "STATUS_LANGUAGE",
  "CALLTOUCH_STATS_TOKEN",
] as const;

/**
 * Validates the setup settings with the Worker's `loadConfig`, so every message is the one the
 * Worker would give. The Calltouch settings `loadConfig` requires are filled with placeholders
 * (and whatever the environment holds for them is ignored): setup never talks to Calltouch.
 *
 * @throws {ConfigError} listing every missing or invalid setup setting.
 * @example
 * const config = loadSetupConfig({ SPREADSHEET_ID: "https://docs.google.com/…", ... });
 */
export function loadSetupConfig(env: SettingsEnv): SetupConfig {
  const only = Object.fromEntries(SETUP_SETTINGS.map((name) => [name, env[name]]));
  const config = loadConfig({
    ...only,
    CALLTOUCH_SITE_ID: "1",
    CALLTOUCH_TOKEN: "not-used-by-sheet-setup",
  });
  return {
    spreadsheetId: config.spreadsheetId,
    sheetName: config.sheetName,
    google: config.google,
    language: config.language,
    // Only whether it is set: the attribution column is added with it.
    calltouch: { statsToken: config.calltouch.statsToken },
  };
}

/** Sources of {@linkcode gatherSettings}, lowest precedence first. */
export interface SettingsSources {
  /** Content of `wrangler.toml`, if any: its `[vars]` string values. */
  wranglerToml?: string;
  /** Content of `.dev.vars`, if any. */
  devVars?: string;
  /** The process environment. */
  env?: Record<string, string>;
}

/**
 * Merges the settings as a local run sees them: `wrangler.toml` `[vars]`, overridden by
 * `.dev.vars` (as `wrangler dev` does), overridden by the process environment. Only known
 * setting names are taken; empty values count as unset, so `SPREADSHEET_ID = ""` in
 * `wrangler.toml` does not hide a value from `.dev.vars`.
 */
export function gatherSettings(sources: SettingsSources): Record<string, string> {
  const layers = [
    sources.wranglerToml === undefined ? {} : wranglerVars(sources.wranglerToml),
    sources.devVars === undefined ? {} : parseDevVars(sources.devVars),
    sources.env ?? {},
  ];
  const settings: Record<string, string> = {};
  for (const layer of layers) {
    for (const name of SETTING_NAMES) {
      const value = layer[name];
      if (typeof value === "string" && value.trim() !== "") settings[name] = value;
    }
  }
  return settings;
}

// One `KEY=value` assignment: optional `export`, value single-, double- or back-quoted (may span
// lines) or bare up to a `#` comment. The syntax `wrangler dev` accepts (dotenv's).
const ASSIGNMENT =
  /^\s*(?:export\s+)?([\w.-]+)\s*=[ \t]*('(?:\\'|[^'])*'|"(?:\\"|[^"])*"|`(?:\\`|[^`])*`|[^#\r\n]*)?[ \t]*(?:#.*)?$/gm;

/**
 * Parses a `.dev.vars` (dotenv) file. Quoted values keep inner `#` and line breaks; in
 * double quotes `\n` and `\r` become line breaks, as dotenv does.
 *
 * @example
 * parseDevVars('SHEET_NAME="Сделки 2026" # the tab\nSYNC_TOKEN=abc');
 * // { SHEET_NAME: "Сделки 2026", SYNC_TOKEN: "abc" }
 */
export function parseDevVars(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const [, key, raw = ""] of text.replace(/\r\n?/g, "\n").matchAll(ASSIGNMENT)) {
    let value = raw.trim();
    const quote = value[0];
    if ((quote === "'" || quote === '"' || quote === "`") && value.endsWith(quote)) {
      value = value.slice(1, -1);
      if (quote === '"') value = value.replace(/\\n/g, "\n").replace(/\\r/g, "\r");
    }
    vars[key] = value;
  }
  return vars;
}

/**
 * The string values of the `[vars]` table of a `wrangler.toml`: `KEY = "basic"` (with TOML
 * escapes) or `KEY = 'literal'` on one line each. Other value types and multi-line strings are
 * skipped: the Worker's settings are one-line strings.
 */
export function wranglerVars(toml: string): Record<string, string> {
  const vars: Record<string, string> = {};
  let inVars = false;
  for (const line of toml.split(/\r?\n/)) {
    const table = /^\s*\[\s*([^\]]+?)\s*\]\s*(?:#.*)?$/.exec(line);
    if (table) {
      inVars = table[1] === "vars";
      continue;
    }
    if (!inVars) continue;
    const entry = /^\s*([A-Za-z0-9_-]+)\s*=\s*("(?:\\.|[^"\\])*"|'[^']*')\s*(?:#.*)?$/.exec(line);
    if (!entry) continue;
    const [, key, quoted] = entry;
    vars[key] = quoted.startsWith("'") ? quoted.slice(1, -1) : tomlBasicString(quoted);
  }
  return vars;
}

function tomlBasicString(quoted: string): string {
  const escapes: Record<string, string> = {
    b: "\b",
    t: "\t",
    n: "\n",
    f: "\f",
    r: "\r",
    '"': '"',
    "\\": "\\",
  };
  return quoted.slice(1, -1).replace(
    /\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)/g,
    (_, e: string) =>
      e.length > 1 ? String.fromCodePoint(parseInt(e.slice(1), 16)) : escapes[e] ?? `\\${e}`,
  );
}
