/**
 * `check`: reads the deals tab as a sync would and says how its header was understood (which
 * column is which field, where the status column is or will be) and what is wrong with each row.
 * Sends nothing to Calltouch and writes nothing anywhere (the state store is only read, for a
 * cached Google token). With several targets, also how they fit Google's read quotas at the
 * deployment's cron.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type Config, ConfigError, type CustomFieldMapping, zonesOf } from "../settings/config.ts";
import { connect } from "../connect.ts";
import type { RowProblem } from "../deal.ts";
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
import type { RunError } from "../sync/report.ts";
import { STATUS_HEADER } from "../columns/written.ts";
import { UpstreamError } from "../util/errors.ts";
import { type Clock, systemClock } from "../util/clock.ts";
import { zoneWarnings } from "../util/zones.ts";
import {
  GOOGLE_PROJECT_READS_PER_MINUTE,
  GOOGLE_READS_PER_MINUTE,
  QUOTA_HEADROOM,
  type QuotaFit,
  READS_PER_RUN,
} from "../schedule.ts";

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
    const info = await sheets.metadata();
    report.timeZone = info.timeZone;
    const zones = zonesOf(config, info.timeZone);
    report.calltouchTimeZone = zones.calltouch;
    report.warnings.push(...zoneWarnings(zones));
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
      report.warnings.push(
        `CUSTOM_FIELDS maps "${missing.header}" to ${missing.field}, but the header has no such ` +
          "column: nothing is sent for it.",
      );
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
      report.warnings.push(
        `No phone or e-mail column (${COLUMN_HEADERS.phones[0]} / ${COLUMN_HEADERS.emails[0]}): ` +
          "Calltouch cannot match deals to calls or requests, only to CUSTOM_SOURCE.",
      );
    }
    if (rows === 0) report.warnings.push("The tab has no deals below the header.");
    report.ok = sheet.problems.length === 0;
  } catch (error) {
    // An unreadable private key is found only when the first token is signed.
    if (error instanceof ConfigError) {
      report.error = { kind: "config", message: error.message, problems: error.problems };
    } else if (error instanceof UpstreamError) {
      report.error = { kind: error.upstream, message: error.message };
    } else throw error;
  }
  return report;
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
    const field = fieldOfHeader(text);
    const mapped = field === undefined ? customFieldOfHeader(text, customFields) : undefined;
    if (mapped && !customSeen.has(mapped.field)) {
      customSeen.add(mapped.field);
      entry.customField = mapped.field;
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

/** The cron a deployment runs on when `wrangler.toml` says nothing else (its default). */
export const DEFAULT_CRON = "*/5 * * * *";

/**
 * The deployment's cron, for `check`'s quota lines: the first of `crons` in `wrangler.toml` in
 * `cwd` (where the deployment is made), else {@linkcode DEFAULT_CRON}; `from` says which.
 */
export async function deploymentCron(cwd: string): Promise<{ cron: string; from: string }> {
  let toml: string;
  try {
    toml = await readFile(join(cwd, "wrangler.toml"), "utf8");
  } catch {
    return { cron: DEFAULT_CRON, from: "no wrangler.toml here: the default cron" };
  }
  const found = /^\s*crons\s*=\s*\[\s*"([^"]+)"/m.exec(toml);
  return found
    ? { cron: found[1], from: "wrangler.toml" }
    : { cron: DEFAULT_CRON, from: "wrangler.toml has no crons: the default cron" };
}

/**
 * `check`'s lines on Google's read quotas with several targets: how many targets one tick
 * serves at the cron, how often each then runs, and what would serve all of them every tick.
 *
 * @example
 * describeQuota(quotaFit(targets, "*\/5 * * * *", Date.now()), "wrangler.toml");
 * // ["Google quota (…):", "  at *\/5 * * * * (wrangler.toml) one tick serves 75 of 500 …", …]
 */
export function describeQuota(fit: QuotaFit, from: string): string[] {
  const total = fit.perTick + fit.deferred.length;
  const lines = [
    `Google quota (${GOOGLE_READS_PER_MINUTE} reads a minute per service account, ` +
    `${GOOGLE_PROJECT_READS_PER_MINUTE} per project; a run reads up to ${READS_PER_RUN}, ` +
    `${Math.round(QUOTA_HEADROOM * 100)}% kept for manual runs):`,
    `  at ${fit.cron} (${from}${fit.cronKnown ? "" : "; not understood: 1 minute assumed"}) ` +
    `one tick serves ${fit.perTick} of ${total} targets` +
    (fit.fits ? ": every target, every tick" : `; each target runs every ${fit.everyMinutes} min`),
  ];
  if (fit.accounts.length > 1 || !fit.fits) {
    for (const load of fit.accounts) {
      lines.push(
        `  ${load.account}: ${load.targets} target(s), ${load.perTick} a tick` +
          (load.ticksPerRound > 1 ? `, each every ${load.ticksPerRound} ticks` : ""),
      );
    }
  }
  if (!fit.fits) {
    lines.push(
      `  to run every target every tick: crons = ["${fit.suggestedCron}"] in wrangler.toml, or ` +
        `${fit.accountsNeeded} service accounts (googleServiceAccountSecret) in ` +
        `${fit.projectsNeeded} Cloud project(s) at this cron`,
    );
  }
  return lines;
}
