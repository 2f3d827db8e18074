/**
 * `check`: reads the deals tab as a sync would and says how its header was understood (which
 * column is which field, where the status column is or will be) and what is wrong with each row.
 * Sends nothing to Calltouch and writes nothing anywhere (the state store is only read, for a
 * cached Google token). With several targets, also how they fit Google's read quotas at the
 * deployment's cron.
 */
import { cliWords } from "../words/cli.ts";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type Config, ConfigError, type CustomFieldMapping, zonesOf } from "../settings/config.ts";
import { connect } from "../connect.ts";
import type { Language, RowProblem } from "../deal.ts";
import { columnLetters } from "../sheet/a1.ts";
import { findDealsTab } from "../google/sheets.ts";
import type { KeyValueStore } from "../platform.ts";
import { cellText } from "../sheet/cells.ts";
import {
  COLUMN_HEADERS,
  type ColumnField,
  customFieldOfHeader,
  fieldOfHeader,
  REQUIRED_FIELDS,
  type RequiredField,
} from "../columns/header.ts";
import { maskContacts } from "../sheet/mask.ts";
import { parseSheet } from "../columns/parse.ts";
import { type RunError, runErrorOf } from "../sync/report.ts";
import { STATUS_HEADER } from "../columns/written.ts";
import { UpstreamError } from "../util/errors.ts";
import { type Clock, systemClock } from "../util/clock.ts";
import { zoneNotes } from "../util/zones.ts";
import { describeKeys, type KeyDescription } from "../util/keyring.ts";
import { storedKeyId } from "../sync/state.ts";
import { targetOf } from "../sync/target.ts";
import { projectReadsAt, QUOTA_HEADROOM, type QuotaFit, READS_PER_RUN } from "../schedule.ts";

/** One non-empty cell of the header row and what it was recognised as. */
export interface HeaderColumn {
  /** Column letters: `A`, `B`, … */
  column: string;
  /** The header text (contacts masked, in case row 1 holds data instead of headers). */
  header: string;
  /** The field it holds; absent for a column the sync ignores. */
  field?: ColumnField;
  /** For a second column with the same meaning: the letters of the column that is used. */
  duplicateOf?: string;
  /** The Calltouch custom field it is sent as (`CUSTOM_FIELDS`). */
  customField?: string;
}

/** A column `CUSTOM_FIELDS` maps, and where the header has it. */
export interface CustomFieldColumn {
  header: string;
  field: string;
  /** Column letters; absent when the header has no such column (nothing is sent for it). */
  column?: string;
}

/** Where the sync writes each row's outcome. */
export interface StatusColumn {
  column: string;
  /** False when the sync will create the column (header {@linkcode STATUS_HEADER}) there. */
  exists: boolean;
  header: string;
}

/** How the header row was understood. */
export interface HeaderReport {
  columns: HeaderColumn[];
  /** Required fields without a column (the sync cannot run until they exist). */
  missing: RequiredField[];
  /** Undefined when required columns are missing. */
  status?: StatusColumn;
}

/** What {@linkcode checkSheet} found. No phones or e-mails in it. */
export interface CheckReport {
  /** True when the header is usable and no row has a problem. */
  ok: boolean;
  spreadsheetId: string;
  /** The tab read: SHEET_NAME, or the first tab. */
  tab?: string;
  /** The Calltouch project (`CALLTOUCH_SITE_ID`): with the tab, the sync's target. */
  siteId: string;
  timeZone?: string;
  /** The zone dates are sent in (`CALLTOUCH_TIME_ZONE`, default the sheet's). */
  calltouchTimeZone?: string;
  header?: HeaderReport;
  /** The columns `CUSTOM_FIELDS` maps: found, or not. */
  customFields: CustomFieldColumn[];
  /** Whether `verify` can read Calltouch's deals journal (CALLTOUCH_STATS_TOKEN is set). */
  journal: boolean;
  /**
   * The key of the hashes the sync keeps over deals: where it comes from (`STATE_KEY`, or
   * `CALLTOUCH_TOKEN` until one is set), the keys' public ids, and which key the stored state is
   * under (`current`, a `previous` one the next sync rewrites, `unkeyed` of a build before
   * issue 22, `unknown`: the sync stops until `STATE_KEY_PREVIOUS` holds it; `none` yet).
   */
  stateKey?: KeyDescription & { state: "current" | "previous" | "unkeyed" | "unknown" | "none" };
  counts?: {
    /** Non-blank data rows. */
    rows: number;
    /** Rows that would be sent. */
    valid: number;
    /** Rows with at least one problem. */
    invalid: number;
    /** Blank rows (skipped by the sync). */
    blank: number;
  };
  /** Every problem of every row, by row. */
  problems: RowProblem[];
  /** Things that are allowed but probably not meant (English, for the integrator). */
  warnings: string[];
  /** Why the sheet could not be used: settings, access, or a header without required columns. */
  error?: RunError;
}

/** What {@linkcode checkSheet} needs from its environment. */
export interface CheckDeps {
  /** State store; only read (a cached Google token). */
  store: KeyValueStore;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
  /** Default: the system clock. */
  clock?: Clock;
  /** Language of the warnings (the tool's). Default `"en"`. */
  language?: Language;
}

/**
 * Reads and checks the deals tab. Never throws for an expected failure: Google refusals and a
 * header without required columns come back as `error`.
 *
 * @example
 * const report = await checkSheet(loadConfig(settings), { store });
 * if (report.error) console.error(report.error.message);
 */
export async function checkSheet(config: Config, deps: CheckDeps): Promise<CheckReport> {
  const clock = deps.clock ?? systemClock;
  const language = config.language;
  const ownLanguage = deps.language ?? "en";
  const t = cliWords(ownLanguage);
  // Reads only (the cached Google token): check changes nothing.
  const { sheets } = connect(config, {
    store: deps.store,
    fetch: deps.fetch,
    clock,
    deadline: clock.now() + config.timeBudgetMs,
    readOnly: true,
  });
  const report: CheckReport = {
    ok: false,
    spreadsheetId: config.spreadsheetId,
    siteId: config.calltouch.siteId,
    customFields: [],
    journal: config.calltouch.statsToken !== undefined,
    problems: [],
    warnings: [...config.warnings],
  };
  try {
    report.stateKey = await stateKeyOf(config, deps.store);
    report.warnings.push(...stateKeyWarnings(report.stateKey));
    const info = await sheets.metadata();
    report.timeZone = info.timeZone;
    const zones = zonesOf(config, info.timeZone);
    report.calltouchTimeZone = zones.calltouch;
    const notes = zoneNotes(zones);
    if (notes.differ) report.warnings.push(t.zonesDiffer(zones.sheet, zones.calltouch));
    if (notes.notDefault) report.warnings.push(t.zoneNotDefault(zones.calltouch));
    const tab = findDealsTab(info.sheets, config.sheetName)?.title ?? config.sheetName ?? "";
    report.tab = tab;
    const values = await sheets.readTab(tab);
    const customFields = config.calltouch.customFields;
    const header = describeHeader(values[0] ?? [], customFields);
    report.header = header;
    report.customFields = customFields.map(({ header: name, field }) => {
      const column = header.columns.find((c) => c.customField === field)?.column;
      return column ? { header: name, field, column } : { header: name, field };
    });
    for (const missing of report.customFields.filter((c) => !c.column)) {
      report.warnings.push(t.customFieldMissing(missing.header, missing.field));
    }
    const sheet = parseSheet(values, { language, timeZone: info.timeZone, customFields });
    if (!sheet.ok) {
      report.error = { kind: "sheet", message: sheet.headerError.message };
      return report;
    }
    const columns = sheet.columns;
    header.status = {
      column: columnLetters(columns.syncStatus + 1),
      exists: columns.syncStatusExists,
      header: columns.syncStatusExists
        ? header.columns.find((c) => c.field === "syncStatus")?.header ?? STATUS_HEADER
        : STATUS_HEADER,
    };
    const invalidRows = new Set(sheet.problems.map((p) => p.row)).size;
    const rows = sheet.deals.length + invalidRows;
    report.counts = {
      rows,
      valid: sheet.deals.length,
      invalid: invalidRows,
      blank: Math.max(0, values.length - 1 - rows),
    };
    report.problems = sheet.problems;
    if (columns.phones === undefined && columns.emails === undefined) {
      report.warnings.push(t.noContactColumn(COLUMN_HEADERS.phones[0], COLUMN_HEADERS.emails[0]));
    }
    if (rows === 0) report.warnings.push(t.noDeals);
    report.ok = sheet.problems.length === 0;
  } catch (error) {
    // An unreadable private key is found only when the first token is signed.
    if (!(error instanceof ConfigError) && !(error instanceof UpstreamError)) throw error;
    report.error = runErrorOf(error, ownLanguage);
  }
  return report;
}

/** The key of the stored hashes, and which key the stored state is under. */
async function stateKeyOf(
  config: Config,
  store: KeyValueStore,
): Promise<NonNullable<CheckReport["stateKey"]>> {
  const keys = await describeKeys(config.stateKey);
  const stored = await storedKeyId(store, targetOf(config));
  const state = stored === undefined
    ? "none"
    : stored === ""
    ? "unkeyed"
    : stored === keys.id
    ? "current"
    : keys.previous.includes(stored)
    ? "previous"
    : "unknown";
  return { ...keys, state };
}

/** What to do about the key, if anything (English, for the integrator). */
function stateKeyWarnings(key: NonNullable<CheckReport["stateKey"]>): string[] {
  const warnings: string[] = [];
  if (key.source === "CALLTOUCH_TOKEN") {
    warnings.push(
      "STATE_KEY is not set: the hashes the sync keeps over deals are keyed with a key derived " +
        "from CALLTOUCH_TOKEN. Set STATE_KEY (openssl rand -hex 32; nothing is sent again when " +
        "you do), so that a new Calltouch token later needs no STATE_KEY_PREVIOUS.",
    );
  }
  if (key.state === "unknown") {
    warnings.push(
      "The sync's state is under a key this configuration does not know: syncs stop until " +
        "STATE_KEY_PREVIOUS holds the old STATE_KEY (or the old CALLTOUCH_TOKEN).",
    );
  }
  if (key.state === "current" && key.previousSetting) {
    warnings.push("The state is under the current key: STATE_KEY_PREVIOUS can be removed.");
  }
  return warnings;
}

/**
 * Every non-empty header cell with the field it is recognised as, by the same rules as the
 * sync's header mapping (the leftmost of two columns with the same meaning wins), and the
 * required fields that have no column. Pure.
 *
 * @example
 * describeHeader(["ID", "Дата", "Заметки"]);
 * // { columns: [{ column: "A", header: "ID", field: "orderNumber" },
 * //   { column: "B", header: "Дата", field: "orderDate" }, { column: "C", header: "Заметки" }],
 * //   missing: ["status"] }
 */
export function describeHeader(
  header: readonly (string | number | boolean | undefined)[],
  customFields: readonly CustomFieldMapping[] = [],
): HeaderReport {
  const columns: HeaderColumn[] = [];
  const first = new Map<ColumnField, string>();
  const customSeen = new Set<string>();
  header.forEach((cell, index) => {
    const text = cell === undefined ? "" : cellText(cell);
    if (text.trim() === "") return;
    const column = columnLetters(index + 1);
    const entry: HeaderColumn = { column, header: maskContacts(text) };
    // A CUSTOM_FIELDS mapping takes its column even under a header the sync knows (as mapHeader).
    const mapped = customFieldOfHeader(text, customFields);
    const field = mapped ? undefined : fieldOfHeader(text);
    if (mapped) {
      if (!customSeen.has(mapped.field)) entry.customField = mapped.field;
      customSeen.add(mapped.field);
    } else if (field !== undefined) {
      entry.field = field;
      const used = first.get(field);
      if (used === undefined) first.set(field, column);
      else entry.duplicateOf = used;
    }
    columns.push(entry);
  });
  return { columns, missing: REQUIRED_FIELDS.filter((field) => !first.has(field)) };
}

/** The cron this project's wrangler.toml ships (check_test keeps them equal), assumed without one. */
export const DEFAULT_CRON = "*/5 * * * *";

/** Where `check` found the deployment's cron (a key of the CLI words' `quota.cronFrom`). */
export type CronFrom = "toml" | "noToml" | "noCron";

/**
 * The deployment's cron, for `check`'s quota lines: the first of `crons` in `wrangler.toml` in
 * `cwd` (where the deployment is made), else {@linkcode DEFAULT_CRON}; `from` says which.
 */
export async function deploymentCron(cwd: string): Promise<{ cron: string; from: CronFrom }> {
  let toml: string;
  try {
    toml = await readFile(join(cwd, "wrangler.toml"), "utf8");
  } catch {
    return { cron: DEFAULT_CRON, from: "noToml" };
  }
  const found = /^\s*crons\s*=\s*\[\s*"([^"]+)"/m.exec(toml);
  return found ? { cron: found[1], from: "toml" } : { cron: DEFAULT_CRON, from: "noCron" };
}

/**
 * `check`'s lines on Google's read quotas with several targets: how many targets one tick
 * serves at the cron, how often each then runs, and what would serve all of them every tick.
 *
 * @example
 * describeQuota(quotaFit(targets, "*\/5 * * * *", Date.now()), "toml", "en");
 * // ["Google quota (…):", "  at *\/5 * * * * (wrangler.toml) one tick serves 75 of 500 …", …]
 */
export function describeQuota(fit: QuotaFit, from: CronFrom, language: Language): string[] {
  const t = cliWords(language).quota;
  const total = fit.perTick + fit.deferred.length;
  const where = `${t.cronFrom[from]}${fit.cronKnown ? "" : t.notUnderstood}`;
  const lines = [
    t.headline(
      fit.readsPerMinute,
      projectReadsAt(fit.readsPerMinute),
      READS_PER_RUN,
      Math.round(QUOTA_HEADROOM * 100),
    ),
    `  ${t.serves(fit.cron, where, fit.perTick, total)}${
      fit.fits ? t.everyTick : t.every(fit.everyMinutes ?? 0)
    }`,
  ];
  if (fit.accounts.length > 1 || !fit.fits) {
    for (const load of fit.accounts) {
      lines.push(`  ${t.account(load.account, load.targets, load.perTick, load.ticksPerRound)}`);
    }
  }
  if (!fit.fits) {
    lines.push(
      `  ${t.advice(fit.suggestedCron ?? fit.cron, fit.accountsNeeded, fit.projectsNeeded)}`,
    );
  }
  return lines;
}
