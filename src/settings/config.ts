/**
 * Settings → a typed {@linkcode Config}: every setting of the table (`table.ts`) checked by its
 * schema at once, every problem reported in one error, by name, never echoing a secret's value.
 */
import * as z from "zod/mini";
import type { CustomSource, MatchMode } from "../calltouch/types.ts";
import type { CustomFieldMapping } from "../columns/spec.ts";
import type { Language } from "../deal.ts";
import type { ServiceAccount } from "../google/service_account.ts";
import { ConfigError } from "../util/errors.ts";
import { type KeySecrets, keySecrets } from "../util/keyring.ts";
import type { Zones } from "../util/zones.ts";
import { type Need, type Setting, setting, SETTINGS } from "./table.ts";

export { ConfigError };
export type { CustomFieldMapping, CustomSource, MatchMode, ServiceAccount };

/** The sheet's zone and the Calltouch project's (`CALLTOUCH_TIME_ZONE`, default the sheet's). */
export function zonesOf(config: Pick<Config, "calltouch">, sheetZone: string): Zones {
  return { sheet: sheetZone, calltouch: config.calltouch.timeZone ?? sheetZone };
}

/** Everything a sync needs to know, validated. */
export interface Config {
  /** The bare spreadsheet id, even when the setting held the full URL. */
  spreadsheetId: string;
  /** Tab holding the deals; undefined means the first tab. */
  sheetName?: string;
  calltouch: {
    siteId: string;
    token: string;
    apiUrl: string;
    crm: string;
    customSource: CustomSource;
    searchDepthMinutes: number;
    matchMode: MatchMode;
    /**
     * The Calltouch project's time zone (IANA); dates are sent in it. Undefined: the sheet's
     * (read with the spreadsheet), so nothing is converted.
     */
    timeZone?: string;
    /** Extra columns sent as deal custom fields (`CUSTOM_FIELDS`), in setting order. */
    customFields: CustomFieldMapping[];
    /**
     * The statistics token (`CALLTOUCH_STATS_TOKEN`, a secret): reads the deals journal. Not the
     * deals API key. Undefined: reading from Calltouch is off.
     */
    statsToken?: string;
    /** How often a run reads the journal to write attribution and count differences (ms). */
    reconcileEveryMs: number;
  };
  google: {
    serviceAccount: ServiceAccount;
    sheetsApiUrl: string;
    tokenUrl: string;
    /** Read requests a minute per service account (`GOOGLE_READS_PER_MINUTE`). */
    readsPerMinute: number;
  };
  /**
   * The secrets the keys of stored hashes come from (`STATE_KEY`, else `CALLTOUCH_TOKEN`; the
   * older ones that still recognise a state: `STATE_KEY_PREVIOUS`, and the token once
   * `STATE_KEY` is set). See `util/keyring.ts`.
   */
  stateKey: KeySecrets;
  /** Language of the status cells and row problems. */
  language: Language;
  /** Wall-clock budget of one run; what does not fit waits for the next run. */
  timeBudgetMs: number;
  /**
   * Outbound requests one run may make (Google and Calltouch, retries and splits included);
   * what does not fit waits for the next run. The Workers Free plan allows 50 per invocation.
   */
  maxSubrequests: number;
  /** Settings that work but should change (a deprecated name): `check` shows them. */
  warnings: string[];
  /**
   * For a target of `TARGETS`: its id, and how it names the settings it sets itself (a field of
   * the target, the secret a field names): messages say what to fix by these names.
   */
  origin?: { target: string; names: Record<string, string> };
}

/**
 * A setting as this deployment names it, for messages: `CALLTOUCH_TOKEN`, or for a target of
 * `TARGETS` the secret or field that sets it (`CALLTOUCH_TOKEN_FILIAL2`, `calltouchSiteId of
 * TARGETS "filial2"`).
 */
export function settingName(config: Pick<Config, "origin">, name: string): string {
  return config.origin?.names[name] ?? name;
}

/** The settings as strings, as Workers and `.dev.vars` deliver them. */
export type SettingsEnv = Record<string, unknown>;

/** Options of {@linkcode loadConfig}. */
export interface LoadConfigOptions {
  /**
   * What the command needs: settings required by something else are neither required nor read
   * (the go-live probe needs only Calltouch; sheet setup only the sheet). Default both.
   */
  needs?: readonly Need[];
}

/** The text of a setting: trimmed, undefined when empty or not a string (a binding). */
function textOf(env: SettingsEnv, name: string): string | undefined {
  const value = env[name];
  return typeof value === "string" && value.trim() ? value.trim() : undefined;
}

/** Parses `text` with the setting's schema: the value, or the problem's words. */
function parse(setting: Setting, text: string): { value: unknown } | { problem: string } {
  const parsed = z.safeParse(setting.schema, text);
  return parsed.success
    ? { value: parsed.data }
    : { problem: parsed.error.issues[0]?.message ?? "is invalid" };
}

/**
 * The value of one setting of the deployment (its default when unset or invalid: `loadConfig`
 * reports the problem), for what runs before any target's settings are read (the Worker's
 * bindings, the fan-out).
 *
 * @example
 * deploymentSetting(env, "GOOGLE_READS_PER_MINUTE"); // 60
 */
export function deploymentSetting(env: SettingsEnv, name: string): unknown {
  const entry = setting(name);
  const text = textOf(env, name);
  const parsed = text === undefined ? undefined : parse(entry, text);
  if (parsed && "value" in parsed) return parsed.value;
  const fallback = entry.default === undefined ? undefined : parse(entry, entry.default);
  return fallback && "value" in fallback ? fallback.value : undefined;
}

/**
 * The value of every setting (its default when unset), with the problems and warnings found.
 * Settings required by a need not asked for are left unread.
 */
export function readSettings(
  env: SettingsEnv,
  needs: readonly Need[] = ["sheet", "calltouch"],
): { values: Map<string, unknown>; problems: string[]; warnings: string[] } {
  const values = new Map<string, unknown>();
  const problems: string[] = [];
  const warnings: string[] = [];
  for (const setting of SETTINGS) {
    if (setting.required && !needs.includes(setting.required.by)) continue;
    let name = setting.name;
    let text = textOf(env, name);
    if (text === undefined && setting.alias && textOf(env, setting.alias.name) !== undefined) {
      name = setting.alias.name;
      text = textOf(env, name);
      warnings.push(setting.alias.warning);
    }
    if (text === undefined) {
      if (setting.required) problems.push(`${name} is missing: ${setting.required.hint}`);
      else if (setting.default !== undefined) {
        const parsed = parse(setting, setting.default);
        if ("value" in parsed) values.set(setting.name, parsed.value);
      }
      continue;
    }
    const parsed = parse(setting, text);
    if ("problem" in parsed) problems.push(`${name} ${parsed.problem}`);
    else values.set(setting.name, parsed.value);
  }
  return { values, problems, warnings };
}

/**
 * Validates every setting and returns the typed config, or throws one {@linkcode ConfigError}
 * listing every problem.
 *
 * @example
 * const config = loadConfig(env);
 */
export function loadConfig(env: SettingsEnv, options: LoadConfigOptions = {}): Config {
  const { values, problems, warnings } = readSettings(env, options.needs);
  if (problems.length > 0) throw new ConfigError(problems);
  // deno-lint-ignore no-explicit-any
  const v = (name: string) => values.get(name) as any;
  const timeZone = v("CALLTOUCH_TIME_ZONE") as string | undefined;
  const statsToken = v("CALLTOUCH_STATS_TOKEN") as string | undefined;
  return {
    spreadsheetId: v("SPREADSHEET_ID") ?? "",
    sheetName: v("SHEET_NAME"),
    calltouch: {
      siteId: v("CALLTOUCH_SITE_ID") ?? "",
      token: v("CALLTOUCH_TOKEN") ?? "",
      apiUrl: v("CALLTOUCH_API_URL"),
      crm: v("CRM_NAME"),
      customSource: v("CUSTOM_SOURCE"),
      searchDepthMinutes: v("SEARCH_DEPTH_MINUTES"),
      matchMode: v("MATCH_MODE"),
      ...(timeZone !== undefined ? { timeZone } : {}),
      customFields: v("CUSTOM_FIELDS") ?? [],
      ...(statsToken ? { statsToken } : {}),
      reconcileEveryMs: v("RECONCILE_EVERY_MINUTES") * 60_000,
    },
    google: {
      serviceAccount: v("GOOGLE_SERVICE_ACCOUNT") ?? { clientEmail: "", privateKey: "" },
      sheetsApiUrl: v("GOOGLE_SHEETS_API_URL"),
      tokenUrl: v("GOOGLE_TOKEN_URL"),
      readsPerMinute: v("GOOGLE_READS_PER_MINUTE"),
    },
    stateKey: keySecrets({
      stateKey: v("STATE_KEY"),
      previous: v("STATE_KEY_PREVIOUS"),
      calltouchToken: v("CALLTOUCH_TOKEN"),
    }),
    language: v("STATUS_LANGUAGE"),
    timeBudgetMs: Math.round(v("SYNC_TIME_BUDGET_SECONDS") * 1000),
    maxSubrequests: v("MAX_SUBREQUESTS_PER_RUN"),
    warnings,
  };
}
