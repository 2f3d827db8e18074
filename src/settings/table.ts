/**
 * Every setting, in one table: its name, whether it is a var or a secret, its default, how its
 * text is checked and read (a zod/mini schema), whether a target of `TARGETS` may set it, and
 * one line of documentation. The typed `Config` (`config.ts`), the `TARGETS` fields
 * (`targets.ts`), the command-line help, the README's settings table, `.dev.vars.example` and
 * `wrangler.toml`'s `[vars]` are derived from it.
 */
import * as z from "zod/mini";
import { MATCH_MODES } from "../calltouch/types.ts";
import { customFieldsFrom } from "../columns/custom.ts";
import { parseServiceAccount } from "../google/service_account.ts";
import { isTimeZone } from "../util/zones.ts";
import { DEFAULT_MAX_SUBREQUESTS, PAID_MAX_SUBREQUESTS } from "../util/budget.ts";
import { GOOGLE_READS_PER_MINUTE } from "../schedule.ts";

/** Who needs a required setting: reading the sheet, talking to Calltouch, the HTTP routes. */
export type Need = "sheet" | "calltouch";

/** How a target of `TARGETS` may set a setting. */
export type TargetRole =
  /** A field of the target holding the value (`"spreadsheet": "1Abc…"`). */
  | { field: string }
  /**
   * A field naming the secret that holds the value (the value never sits in TARGETS). Without
   * the field the target has none, unless `inherits`: then the deployment's value.
   */
  | { secretField: string; required?: boolean; inherits?: boolean }
  /**
   * A field naming the secret that holds the target's own HTTP key (its panel, menu and routes):
   * the deployment's value stays the admin key, and the target runs without one.
   */
  | { keyField: string }
  /** The setting's own name, overriding the deployment's value for this target. */
  | "override";

/** One setting. */
export interface Setting {
  name: string;
  kind: "var" | "secret";
  /** The default, as text a person would type (checked by `schema` like any value). */
  default?: string;
  /** The default as the docs say it, when it is not a literal (`the sheet's time zone`). */
  defaultDoc?: string;
  /** Required by: a run without it cannot start (`hint`: where to find it). */
  required?: { by: Need; hint: string };
  /**
   * Reads the trimmed, non-empty text; an issue's message follows the setting's name
   * (`SEARCH_DEPTH_MINUTES must be a whole number of minutes, got "-5"`) and never echoes a
   * secret.
   */
  schema: z.ZodMiniType<unknown, string>;
  /** How a target of `TARGETS` may set it; absent: the deployment's value for every target. */
  target?: TargetRole;
  /** One line for people: README, `--help`, `.dev.vars.example`. */
  doc: string;
  /** The deprecated name still read for it (with a warning). */
  alias?: { name: string; warning: string };
  /** Not read by the command-line tool (an HTTP-only secret). */
  workerOnly?: boolean;
  /** Read by the command-line tool only (the Worker has no files). */
  cliOnly?: boolean;
}

/**
 * A schema from a reading function: `read` returns the value, or `{ problem }` with the words
 * that follow the setting's name.
 */
function reading<T>(read: (text: string) => T | { problem: string }) {
  return z.pipe(
    z.string(),
    z.transform((text: string, ctx) => {
      const result = read(text);
      if (typeof result === "object" && result !== null && "problem" in result) {
        ctx.issues.push({ code: "custom", message: result.problem, input: text });
        return z.NEVER;
      }
      return result as T;
    }),
  );
}

/** The problem of a text that is not what a setting takes: `must be <what>, got "<text>"`. */
function mustBe(what: string, text: string) {
  return { problem: `must be ${what}, got "${text}"` };
}

/** The text itself when `valid`; else {@linkcode mustBe} `what`. */
function checked(valid: (text: string) => boolean, what: string) {
  return reading((text) => valid(text) ? text : mustBe(what, text));
}

/** A schema from a parser that returns the value, or its problem as text. */
function parsedBy<T extends object>(parse: (text: string) => T | string) {
  return reading((text) => {
    const parsed = parse(text);
    return typeof parsed === "string" ? { problem: parsed } : parsed;
  });
}

/** A whole number from `min` to `max`; else {@linkcode mustBe} `what`. */
function wholeNumber(min: number, max: number, what: string) {
  return reading((text) => {
    const n = Number(text);
    return /^\d+$/.test(text) && n >= min && n <= max ? n : mustBe(what, text);
  });
}

/** An http(s) URL, without trailing slashes. */
const httpUrl = reading((text) =>
  URL.canParse(text) && /^https?:$/.test(new URL(text).protocol)
    ? text.replace(/\/+$/, "")
    : { problem: `is not an http(s) URL: "${text}"` }
);

/** Plain text. */
const text = z.string();

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

/** Parses `source/medium/campaign`, or one value used for all three. */
export function customSourceFrom(value: string) {
  const parts = value.split("/").map((p) => p.trim());
  if (parts.length === 1 && parts[0]) {
    return { source: parts[0], medium: parts[0], campaign: parts[0] };
  }
  if (parts.length === 3 && parts.every((p) => p.length > 0)) {
    return { source: parts[0], medium: parts[1], campaign: parts[2] };
  }
  return undefined;
}

/** The longest a run may take (s): a cron invocation's 15 minutes, less a minute of margin. */
export const MAX_RUN_SECONDS = 840;
/** The fewest requests a run may be given: a token, metadata, a read, a Calltouch call, a write. */
export const MIN_SUBREQUESTS = 8;

/** Every setting, in the order they are documented and their problems listed. */
export const SETTINGS: readonly Setting[] = [
  {
    name: "SPREADSHEET_ID",
    kind: "var",
    required: { by: "sheet", hint: "set it to the spreadsheet's id or its full URL" },
    schema: reading((value) =>
      spreadsheetIdFrom(value) ??
        { problem: `is neither a spreadsheet id nor a spreadsheet URL: "${value}"` }
    ),
    target: { field: "spreadsheet" },
    doc: "the spreadsheet's id, or its full URL",
  },
  {
    name: "SHEET_NAME",
    kind: "var",
    defaultDoc: "the first tab",
    schema: text,
    target: { field: "tab" },
    doc: "the tab holding the deals",
  },
  {
    name: "CALLTOUCH_SITE_ID",
    kind: "var",
    required: { by: "calltouch", hint: "the Calltouch project id (a number)" },
    schema: checked((value) => /^\d+$/.test(value), "a number"),
    target: { field: "calltouchSiteId" },
    doc: "the Calltouch project id (the `SiteId` header, «ID ЛК Calltouch»): the number after " +
      "`/sites/` in the address of the project's pages on my.calltouch.ru",
  },
  {
    name: "CALLTOUCH_TOKEN",
    kind: "secret",
    required: {
      by: "calltouch",
      hint: "the Calltouch API key (a secret: wrangler secret put, or .env for the CLI)",
    },
    schema: text,
    target: { secretField: "calltouchTokenSecret", required: true },
    doc: "the Calltouch API key (the `Access-Token` header): Интеграции → Отправка данных во " +
      "внешние системы → API и Webhooks",
  },
  {
    name: "CALLTOUCH_STATS_TOKEN",
    kind: "secret",
    defaultDoc: "none",
    schema: reading((value) =>
      /\s/.test(value) ? { problem: "must not contain spaces: copy the token as it is" } : value
    ),
    target: { secretField: "calltouchStatsTokenSecret" },
    doc: "the statistics token (`clientApiId`; Calltouch → Интеграции → API): another " +
      "credential, read-only. Turns on the deals journal: the `Источник (Calltouch)` column and " +
      "the reconciliation, the look-up after a state loss, the CLI's `verify`",
  },
  {
    name: "RECONCILE_EVERY_MINUTES",
    kind: "var",
    default: "60",
    schema: wholeNumber(5, 10_080, "a whole number of minutes between 5 and 10080"),
    target: "override",
    doc: "how often (5–10080 minutes) a sync reads the deals journal to refresh the attribution " +
      "column and count differences; needs `CALLTOUCH_STATS_TOKEN`",
  },
  {
    name: "TARGETS",
    kind: "var",
    defaultDoc: "none",
    schema: text, // read by targets.ts, which names every problem of every target
    doc: "several sheets, tabs or Calltouch projects in one deployment: a JSON list of targets " +
      '(see "Several branches or clinics"). Without it the other settings are the one target',
  },
  {
    name: "GOOGLE_SERVICE_ACCOUNT_FILE",
    kind: "var",
    defaultDoc: "none",
    schema: text, // read by the command-line tool into GOOGLE_SERVICE_ACCOUNT (cli/key_file.ts)
    doc: "the command-line tool only: the path of the Google service account's JSON key file as " +
      "Google downloads it (relative to the working directory), instead of " +
      "`GOOGLE_SERVICE_ACCOUNT`; share the spreadsheet with its `client_email` as an editor",
    cliOnly: true,
  },
  {
    name: "GOOGLE_SERVICE_ACCOUNT",
    kind: "secret",
    required: {
      by: "sheet",
      hint: "the service account's JSON key file content " +
        "(a secret: wrangler secret put, or .env for the CLI)",
    },
    schema: parsedBy(parseServiceAccount),
    // A service account is one user of Google's per-minute read quota: a target on an account
    // of its own gets a quota of its own (see schedule.ts).
    target: { secretField: "googleServiceAccountSecret", inherits: true },
    doc: "the service account's JSON key file, its whole content (for the Worker: " +
      "`deno task wrangler secret put GOOGLE_SERVICE_ACCOUNT < key.json`; for the command-line " +
      "tool, `GOOGLE_SERVICE_ACCOUNT_FILE` is simpler); with `TARGETS`, a target may read with " +
      "another (`googleServiceAccountSecret`): each service account has its own Google quota of " +
      `${GOOGLE_READS_PER_MINUTE} reads a minute (\`GOOGLE_READS_PER_MINUTE\`)`,
  },
  {
    name: "SYNC_TOKEN",
    kind: "secret",
    defaultDoc: "required for HTTP",
    schema: reading((value) =>
      value.length < 16
        ? { problem: "is too short: use at least 16 characters" }
        // A bearer token (RFC 6750's token68): anything else cannot travel in the header as is.
        : !/^[A-Za-z0-9._~+/-]+=*$/.test(value)
        ? {
          problem: "may hold only letters, digits and - . _ ~ + /: generate one with " +
            "`openssl rand -hex 24`",
        }
        : value
    ),
    target: { keyField: "syncTokenSecret" },
    doc: "the admin key: the bearer token of `/sync` and `/setup`, the password of the control " +
      "panel (≥ 16 characters); with `TARGETS` it opens every target, and each clinic may have " +
      'its own key (`syncTokenSecret`, see "Several branches or clinics")',
    workerOnly: true,
  },
  {
    name: "STATE_KEY",
    kind: "secret",
    defaultDoc: "derived from `CALLTOUCH_TOKEN`",
    schema: reading((value) =>
      value.length < 32
        ? { problem: "is too short: use at least 32 characters (`openssl rand -hex 32`)" }
        : value
    ),
    doc: "the key of every hash the sync keeps over deals (in KV and the command-line tool's " +
      "state file: they cover phones and e-mails), so that they cannot be tested against " +
      "guessed phones without it (≥ 32 characters, `openssl rand -hex 32`). Unset, the key is " +
      "derived from `CALLTOUCH_TOKEN` (`check` says which); set it before you change that " +
      "token. Rotating it sends nothing again (see docs/privacy.md)",
  },
  {
    name: "STATE_KEY_PREVIOUS",
    kind: "secret",
    defaultDoc: "none",
    schema: text,
    doc: "while you rotate `STATE_KEY` (or, without one, change `CALLTOUCH_TOKEN`): the old " +
      "value. The next run recognises the state by it and rewrites it under the new key, " +
      "sending nothing again (its report says `rekeyed`); remove it once every target has run",
  },
  {
    name: "CRM_NAME",
    kind: "var",
    default: "Google Sheets",
    schema: text,
    target: "override",
    doc: "the `crm` field of created deals",
  },
  {
    name: "CUSTOM_SOURCE",
    kind: "var",
    default: "офлайн-визит",
    schema: reading((value) =>
      customSourceFrom(value) ?? mustBe('"source/medium/campaign" or one value', value)
    ),
    target: "override",
    doc: "source/medium/campaign of deals Calltouch cannot match to a call or request " +
      "(`source/medium/campaign`, or one value for all three)",
  },
  {
    name: "SEARCH_DEPTH_MINUTES",
    kind: "var",
    default: "259200",
    defaultDoc: "`259200` (180 days)",
    schema: wholeNumber(1, Number.MAX_SAFE_INTEGER, "a whole number of minutes"),
    target: "override",
    doc: "how far back Calltouch looks for the call or request (`searchDepth`, minutes)",
  },
  {
    name: "MATCH_MODE",
    kind: "var",
    default: "nearest",
    schema: checked(
      (value) => (MATCH_MODES as readonly string[]).includes(value),
      `one of ${MATCH_MODES.join(", ")}`,
    ),
    target: "override",
    doc: `\`callTypeToMatch\` / \`requestTypeToMatch\`: ${MATCH_MODES.join(", ")}`,
  },
  {
    name: "STATUS_LANGUAGE",
    kind: "var",
    default: "ru",
    schema: checked((value) => value === "ru" || value === "en", "ru or en"),
    target: "override",
    doc:
      "language of everything the clinic reads (status cells, row problems, the control panel, " +
      "the sheet menu, HTTP error messages): `ru` or `en`",
  },
  {
    name: "SYNC_TIME_BUDGET_SECONDS",
    kind: "var",
    default: "120",
    schema: reading((value) => {
      const seconds = Number(value);
      return Number.isFinite(seconds) && seconds > 0 && seconds <= MAX_RUN_SECONDS
        ? seconds
        : mustBe(`a number of seconds between 1 and ${MAX_RUN_SECONDS}`, value);
    }),
    target: "override",
    doc: `wall-clock budget of one run (1–${MAX_RUN_SECONDS} s); what does not fit is sent by ` +
      "the next run, marked `⏳`",
  },
  {
    name: "MAX_SUBREQUESTS_PER_RUN",
    kind: "var",
    default: String(DEFAULT_MAX_SUBREQUESTS),
    schema: wholeNumber(
      MIN_SUBREQUESTS,
      100_000,
      `a whole number from ${MIN_SUBREQUESTS} to 100000`,
    ),
    target: "override",
    alias: {
      name: "CALLTOUCH_MAX_REQUESTS_PER_RUN",
      warning: "CALLTOUCH_MAX_REQUESTS_PER_RUN is deprecated: rename it MAX_SUBREQUESTS_PER_RUN " +
        "(it now counts every request of a run, Google's included; 45 on the Free plan, 200 on " +
        "Paid)",
    },
    doc: "every outbound request one run may make (Google and Calltouch, retries and splits " +
      "included; 100 deals per Calltouch request); the status write-back's requests are " +
      "reserved first, and what does not fit is marked `⏳` and sent by the next runs. " +
      `${DEFAULT_MAX_SUBREQUESTS} keeps a run under the Workers Free plan's 50 subrequests; set ` +
      `\`${PAID_MAX_SUBREQUESTS}\` on the Paid plan (~19,000 deals a run; its 10,000 ` +
      "subrequests do not bind then, the 1,000 operations per invocation of KV and the " +
      "`RATE_GATE` do: up to 4 per Calltouch request)",
  },
  {
    name: "CALLTOUCH_TIME_ZONE",
    kind: "var",
    defaultDoc: "the sheet's time zone",
    schema: checked(isTimeZone, "an IANA time zone such as Europe/Moscow or Asia/Novosibirsk"),
    target: "override",
    doc: "the Calltouch project's time zone (IANA name, e.g. `Asia/Novosibirsk`); every date " +
      "sent is converted from the sheet's zone to it",
  },
  {
    name: "CUSTOM_FIELDS",
    kind: "var",
    defaultDoc: "none",
    schema: parsedBy(customFieldsFrom),
    target: "override",
    doc: "extra columns sent as Calltouch deal custom fields: `Header=field` pairs separated by " +
      "`;`, e.g. `Врач=doctor; Филиал=branch` (`field`: the custom field's API name in Calltouch)",
  },
  {
    name: "GOOGLE_READS_PER_MINUTE",
    kind: "var",
    default: String(GOOGLE_READS_PER_MINUTE),
    schema: wholeNumber(10, 100_000, "a whole number of reads a minute between 10 and 100000"),
    doc: "Google Sheets read requests a minute per service account (per user) in the Cloud " +
      `project's quota: ${GOOGLE_READS_PER_MINUTE} unless Google raised it` +
      " (IAM & Admin → Quotas). The schedule of many " +
      "targets and the `RATE_GATE` keep within it",
  },
  {
    name: "GOOGLE_SHEETS_API_URL",
    kind: "var",
    default: "https://sheets.googleapis.com",
    schema: httpUrl,
    doc: "override, for tests and proxies",
  },
  {
    name: "GOOGLE_TOKEN_URL",
    kind: "var",
    default: "https://oauth2.googleapis.com/token",
    schema: httpUrl,
    doc: "override, likewise",
  },
  {
    name: "CALLTOUCH_API_URL",
    kind: "var",
    default: "https://api.calltouch.ru",
    schema: httpUrl,
    target: "override",
    doc: "override, likewise",
  },
];

/** Every setting's name (and the deprecated aliases still read). */
export const SETTING_NAMES: readonly string[] = SETTINGS.flatMap((s) =>
  s.alias ? [s.name, s.alias.name] : [s.name]
);

/** The entry of a setting. */
export function setting(name: string): Setting {
  const found = SETTINGS.find((s) => s.name === name);
  if (!found) throw new TypeError(`no setting ${name}`);
  return found;
}
