/**
 * Settings: turns the Worker's `env` (or a process environment) into a typed {@linkcode Config},
 * reporting every missing or invalid setting at once, by name, never echoing a secret's value.
 */
import * as z from "zod/mini";
import type { Language } from "./deal.ts";
import { fieldOfHeader } from "./sheet/columns.ts";
import { isTimeZone, type Zones } from "./util/zones.ts";
import { keyObjectProblem, privateKeyProblem, readKeyJson } from "./google/key_shape.ts";

/** The parts of a Google service-account key file the sync uses. */
export interface ServiceAccount {
  clientEmail: string;
  /** PEM, PKCS#8 (`-----BEGIN PRIVATE KEY-----`). */
  privateKey: string;
  privateKeyId?: string;
}

/** The sheet's zone and the Calltouch project's (`CALLTOUCH_TIME_ZONE`, default the sheet's). */
export function zonesOf(config: Pick<Config, "calltouch">, sheetZone: string): Zones {
  return { sheet: sheetZone, calltouch: config.calltouch.timeZone ?? sheetZone };
}

/** A sheet column sent as a Calltouch deal custom field. */
export interface CustomFieldMapping {
  /** The column's header, as typed in the setting. */
  header: string;
  /** The custom field's API name in Calltouch. */
  field: string;
}

/** source / medium / campaign of the `customSources` matching fallback. */
export interface CustomSource {
  source: string;
  medium: string;
  campaign: string;
}

export type MatchMode = "nearest" | "nearestUniq" | "nearestUniqLead";

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
     * The statistics token (`CALLTOUCH_STATS_TOKEN`, a secret): reads the deals journal for
     * `verify`. Not the deals API key. Undefined: reading from Calltouch is off.
     */
    statsToken?: string;
    /** How often a run reads the journal to write attribution and count differences (ms). */
    reconcileEveryMs: number;
  };
  google: {
    serviceAccount: ServiceAccount;
    sheetsApiUrl: string;
    tokenUrl: string;
  };
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
}

/** The settings as strings, as Workers and `.dev.vars` deliver them. */
export type SettingsEnv = Record<string, unknown>;

/** Names of every setting, for documentation and error messages. */
export const SETTING_NAMES = [
  "SPREADSHEET_ID",
  "SHEET_NAME",
  "CALLTOUCH_SITE_ID",
  "CALLTOUCH_TOKEN",
  "CALLTOUCH_STATS_TOKEN",
  "RECONCILE_EVERY_MINUTES",
  "GOOGLE_SERVICE_ACCOUNT",
  "SYNC_TOKEN",
  "CRM_NAME",
  "CUSTOM_SOURCE",
  "SEARCH_DEPTH_MINUTES",
  "MATCH_MODE",
  "STATUS_LANGUAGE",
  "SYNC_TIME_BUDGET_SECONDS",
  "MAX_SUBREQUESTS_PER_RUN",
  "CALLTOUCH_MAX_REQUESTS_PER_RUN",
  "GOOGLE_SHEETS_API_URL",
  "GOOGLE_TOKEN_URL",
  "CALLTOUCH_API_URL",
  "CALLTOUCH_TIME_ZONE",
  "CUSTOM_FIELDS",
] as const;

/** Thrown by {@linkcode loadConfig}; `problems` has one line per bad setting. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(readonly problems: string[]) {
    super(`Invalid settings:\n${problems.map((p) => `- ${p}`).join("\n")}`);
  }
}

// Every address Google shows for a spreadsheet: `/spreadsheets/d/<id>/…` with an account
// (`/u/1/`) or a Workspace domain (`/a/clinic.ru/`) before it and any path, query or fragment
// after it (`/edit#gid=0`, `/edit?usp=sharing`, `/htmlview`, `/copy`, mobile `/mobilebasic`),
// and Drive's `open?id=<id>`. Not `/spreadsheets/d/e/2PACX-…`: a published copy's id, which the
// Sheets API does not know.
const SPREADSHEET_URL = /\/spreadsheets\/(?:u\/\d+\/)?d\/(?!e\/)([A-Za-z0-9_-]{20,})/;
const DRIVE_OPEN_URL = /google\.com\/(?:[^?#\s]*\/)?open\?(?:[^#\s]*&)?id=([A-Za-z0-9_-]{20,})/;
const SPREADSHEET_ID = /^[A-Za-z0-9_-]{20,}$/;

/** Accepts a bare spreadsheet id or any docs.google.com URL of the spreadsheet. */
export function spreadsheetIdFrom(value: string): string | undefined {
  const trimmed = value.trim();
  const fromUrl = (SPREADSHEET_URL.exec(trimmed) ?? DRIVE_OPEN_URL.exec(trimmed))?.[1];
  if (fromUrl) return fromUrl;
  return SPREADSHEET_ID.test(trimmed) ? trimmed : undefined;
}

/**
 * Parses `CUSTOM_FIELDS`: `Header=field` pairs separated by `;` (or new lines), e.g.
 * `Врач=doctor; Филиал=branch`; returns what is wrong instead when it cannot be read.
 */
export function customFieldsFrom(value: string): CustomFieldMapping[] | string {
  const mappings: CustomFieldMapping[] = [];
  for (const part of value.split(/[;\n]/).map((p) => p.trim()).filter(Boolean)) {
    const [header, field, extra] = part.split("=").map((p) => p.trim());
    if (!header || !field || extra !== undefined || /\s/.test(field)) {
      return `must be Header=field pairs separated by ";" (e.g. "Врач=doctor; Филиал=branch"), ` +
        `got "${part}"`;
    }
    if (mappings.some((m) => m.header.toLowerCase() === header.toLowerCase())) {
      return `names the column "${header}" twice`;
    }
    if (mappings.some((m) => m.field === field)) return `names the custom field "${field}" twice`;
    if (fieldOfHeader(header) !== undefined) {
      return `maps "${header}", a column the sync already reads; custom fields are extra columns`;
    }
    mappings.push({ header, field });
  }
  return mappings;
}

/** Parses `source/medium/campaign`, or one value used for all three. */
export function customSourceFrom(value: string): CustomSource | undefined {
  const parts = value.split("/").map((p) => p.trim());
  if (parts.length === 1 && parts[0]) {
    return { source: parts[0], medium: parts[0], campaign: parts[0] };
  }
  if (parts.length === 3 && parts.every((p) => p.length > 0)) {
    return { source: parts[0], medium: parts[1], campaign: parts[2] };
  }
  return undefined;
}

const serviceAccountSchema = z.object({
  type: z.optional(z.string()),
  client_email: z.string().check(z.regex(/^[^@\s]+@[^@\s]+$/)),
  private_key: z.string().check(z.includes("-----BEGIN PRIVATE KEY-----")),
  private_key_id: z.optional(z.string()),
});

/** Explains what is wrong with a service-account key without echoing any of it. */
export function parseServiceAccount(raw: string): ServiceAccount | string {
  const read = readKeyJson(raw);
  if ("problem" in read) return read.problem;
  const notAKey = keyObjectProblem(read.json);
  if (notAKey !== undefined) return notAKey;
  const parsed = z.safeParse(serviceAccountSchema, read.json);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((i) => String(i.path[0] ?? "")))];
    const what = fields.map((f) =>
      f === "private_key"
        ? "private_key is missing or not a PKCS#8 PEM key (-----BEGIN PRIVATE KEY-----)"
        : f === "client_email"
        ? "client_email is missing or not an e-mail address"
        : f
        ? `${f} is invalid`
        : "it is not a JSON object"
    );
    return `is not a service-account key: ${what.join("; ")}`;
  }
  if (parsed.data.type !== undefined && parsed.data.type !== "service_account") {
    return `is a key of type "${parsed.data.type}", not "service_account"`;
  }
  // Keys pasted through some shells keep "\n" as two characters; PEM needs real newlines.
  const privateKey = parsed.data.private_key.replace(/\\n/g, "\n");
  const badKey = privateKeyProblem(privateKey);
  if (badKey !== undefined) return badKey;
  return {
    clientEmail: parsed.data.client_email,
    privateKey,
    privateKeyId: parsed.data.private_key_id,
  };
}

/**
 * Default outbound requests per run: the Workers Free plan's 50 subrequests per invocation minus
 * headroom (a big first sync continues on the next cron ticks). Raise it to 900 on Paid.
 */
export const DEFAULT_MAX_SUBREQUESTS = 45;

const MATCH_MODES: readonly MatchMode[] = ["nearest", "nearestUniq", "nearestUniqLead"];

/** Options of {@linkcode loadConfig}. */
export interface LoadConfigOptions {
  /**
   * Only the Calltouch settings are needed (the go-live probe): the spreadsheet and the Google
   * service account are then neither required nor read. Default false.
   */
  calltouchOnly?: boolean;
}

/**
 * Validates every setting and returns the typed config, or throws one {@linkcode ConfigError}
 * listing every problem.
 *
 * @example
 * const config = loadConfig(env);
 */
export function loadConfig(env: SettingsEnv, options: LoadConfigOptions = {}): Config {
  const problems: string[] = [];
  type Name = (typeof SETTING_NAMES)[number];
  // Non-string values (a KV binding under a setting's name, say) count as missing.
  const get = (name: Name): string | undefined => {
    const value = env[name];
    return typeof value === "string" && value.trim() ? value.trim() : undefined;
  };
  const required = (name: Name, hint: string): string => {
    const value = get(name);
    if (value === undefined) problems.push(`${name} is missing: ${hint}`);
    return value ?? "";
  };
  const url = (name: Name, fallback: string): string => {
    const value = get(name) ?? fallback;
    if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
      problems.push(`${name} is not an http(s) URL: "${value}"`);
      return fallback;
    }
    return value.replace(/\/+$/, "");
  };

  const spreadsheetRaw = options.calltouchOnly ? "" : required(
    "SPREADSHEET_ID",
    "set it to the spreadsheet's id or its full URL",
  );
  const spreadsheetId = spreadsheetRaw ? spreadsheetIdFrom(spreadsheetRaw) : undefined;
  if (spreadsheetRaw && !spreadsheetId) {
    problems.push(
      `SPREADSHEET_ID is neither a spreadsheet id nor a spreadsheet URL: "${spreadsheetRaw}"`,
    );
  }

  const siteId = required("CALLTOUCH_SITE_ID", "the Calltouch project id (a number)");
  if (siteId && !/^\d+$/.test(siteId)) {
    problems.push(`CALLTOUCH_SITE_ID must be a number, got "${siteId}"`);
  }
  const token = required(
    "CALLTOUCH_TOKEN",
    "the Calltouch API key (a secret: wrangler secret put, or .env for the CLI)",
  );

  const statsToken = get("CALLTOUCH_STATS_TOKEN");
  if (statsToken !== undefined && /\s/.test(statsToken)) {
    problems.push("CALLTOUCH_STATS_TOKEN must not contain spaces: copy the token as it is");
  }

  const saRaw = options.calltouchOnly ? "" : required(
    "GOOGLE_SERVICE_ACCOUNT",
    "the service account's JSON key file content (a secret: wrangler secret put, or .env for the CLI)",
  );
  let serviceAccount: ServiceAccount = { clientEmail: "", privateKey: "" };
  if (saRaw) {
    const parsed = parseServiceAccount(saRaw);
    if (typeof parsed === "string") problems.push(`GOOGLE_SERVICE_ACCOUNT ${parsed}`);
    else serviceAccount = parsed;
  }

  // Not required: a cron-only deployment has no HTTP routes (they answer 500 without it).
  const syncToken = get("SYNC_TOKEN");
  if (syncToken && syncToken.length < 16) {
    problems.push("SYNC_TOKEN is too short: use at least 16 characters");
  } else if (syncToken && !/^[A-Za-z0-9._~+/-]+=*$/.test(syncToken)) {
    // A bearer token (RFC 6750's token68): anything else cannot travel in the header as is.
    problems.push(
      "SYNC_TOKEN may hold only letters, digits and - . _ ~ + /: generate one with " +
        "`openssl rand -hex 24`",
    );
  }

  const customSourceRaw = get("CUSTOM_SOURCE") ?? "офлайн-визит";
  const customSource = customSourceFrom(customSourceRaw);
  if (!customSource) {
    problems.push(
      `CUSTOM_SOURCE must be "source/medium/campaign" or one value, got "${customSourceRaw}"`,
    );
  }

  const depthRaw = get("SEARCH_DEPTH_MINUTES") ?? "259200";
  const searchDepthMinutes = Number(depthRaw);
  if (!/^\d+$/.test(depthRaw) || searchDepthMinutes < 1) {
    problems.push(`SEARCH_DEPTH_MINUTES must be a whole number of minutes, got "${depthRaw}"`);
  }

  const matchMode = (get("MATCH_MODE") ?? "nearest") as MatchMode;
  if (!MATCH_MODES.includes(matchMode)) {
    problems.push(`MATCH_MODE must be one of ${MATCH_MODES.join(", ")}, got "${matchMode}"`);
  }

  const language = (get("STATUS_LANGUAGE") ?? "ru") as Language;
  if (language !== "ru" && language !== "en") {
    problems.push(`STATUS_LANGUAGE must be ru or en, got "${language}"`);
  }

  const budgetRaw = get("SYNC_TIME_BUDGET_SECONDS") ?? "120";
  const budgetSeconds = Number(budgetRaw);
  if (!Number.isFinite(budgetSeconds) || budgetSeconds <= 0 || budgetSeconds > 840) {
    problems.push(
      `SYNC_TIME_BUDGET_SECONDS must be a number of seconds between 1 and 840, got "${budgetRaw}"`,
    );
  }

  const reconcileRaw = get("RECONCILE_EVERY_MINUTES") ?? "60";
  const reconcileMinutes = Number(reconcileRaw);
  if (!/^\d+$/.test(reconcileRaw) || reconcileMinutes < 5 || reconcileMinutes > 10_080) {
    problems.push(
      `RECONCILE_EVERY_MINUTES must be a whole number of minutes between 5 and 10080, got "${reconcileRaw}"`,
    );
  }

  const warnings: string[] = [];
  // The old name, counted Calltouch requests only: accepted for one release.
  const alias = get("CALLTOUCH_MAX_REQUESTS_PER_RUN");
  const maxName = get("MAX_SUBREQUESTS_PER_RUN") === undefined && alias !== undefined
    ? "CALLTOUCH_MAX_REQUESTS_PER_RUN"
    : "MAX_SUBREQUESTS_PER_RUN";
  if (maxName === "CALLTOUCH_MAX_REQUESTS_PER_RUN") {
    warnings.push(
      "CALLTOUCH_MAX_REQUESTS_PER_RUN is deprecated: rename it MAX_SUBREQUESTS_PER_RUN (it now " +
        "counts every request of a run, Google's included; 45 on the Free plan, 900 on Paid)",
    );
  }
  const maxRaw = get(maxName) ?? String(DEFAULT_MAX_SUBREQUESTS);
  const maxSubrequests = Number(maxRaw);
  if (!/^\d+$/.test(maxRaw) || maxSubrequests < 8 || maxSubrequests > 100_000) {
    problems.push(`${maxName} must be a whole number from 8 to 100000, got "${maxRaw}"`);
  }

  const timeZone = get("CALLTOUCH_TIME_ZONE");
  if (timeZone !== undefined && !isTimeZone(timeZone)) {
    problems.push(
      `CALLTOUCH_TIME_ZONE must be an IANA time zone such as Europe/Moscow or ` +
        `Asia/Novosibirsk, got "${timeZone}"`,
    );
  }

  const customFields = customFieldsFrom(get("CUSTOM_FIELDS") ?? "");
  if (typeof customFields === "string") problems.push(`CUSTOM_FIELDS ${customFields}`);

  const sheetsApiUrl = url("GOOGLE_SHEETS_API_URL", "https://sheets.googleapis.com");
  const tokenUrl = url("GOOGLE_TOKEN_URL", "https://oauth2.googleapis.com/token");
  const apiUrl = url("CALLTOUCH_API_URL", "https://api.calltouch.ru");

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    spreadsheetId: spreadsheetId ?? "",
    sheetName: get("SHEET_NAME"),
    calltouch: {
      siteId,
      token,
      apiUrl,
      crm: get("CRM_NAME") ?? "Google Sheets",
      customSource: customSource!,
      searchDepthMinutes,
      matchMode,
      ...(timeZone !== undefined ? { timeZone } : {}),
      customFields: typeof customFields === "string" ? [] : customFields,
      ...(statsToken ? { statsToken } : {}),
      reconcileEveryMs: reconcileMinutes * 60_000,
    },
    google: { serviceAccount, sheetsApiUrl, tokenUrl },
    language,
    timeBudgetMs: Math.round(budgetSeconds * 1000),
    maxSubrequests,
    warnings,
  };
}
