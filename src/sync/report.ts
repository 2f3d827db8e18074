/** The run report: what one sync did, for `/sync`, the status page and the log. No personal data. */
import type { RekeyCounts } from "./rekey.ts";
import type { RunRequests } from "../connect.ts";
import type { Language } from "../deal.ts";
import { ConfigError, UpstreamError } from "../util/errors.ts";
import { words } from "../words/mod.ts";
import type { ParsedSheetOk } from "../columns/parse.ts";
import type { SyncPlan } from "./plan.ts";
import type { RowStatus } from "./status_text.ts";

/** What started the run. */
export type Trigger = "cron" | "manual" | "dry-run";

/** What happened to one row that was not unchanged. */
export interface RowReport {
  /** 1-based sheet row at the time of reading. */
  row: number;
  orderNumber?: string;
  action: "create" | "update" | "held" | "invalid";
  /** Whether Calltouch accepted the deal (false for problems, refusals and retries). */
  ok: boolean;
  /** The status-cell text (phones and e-mails masked). */
  message: string;
  /** The cell to look at (A1): the one at fault for a row problem, else the status cell. */
  cell?: string;
}

/** Counts of a run. `failed` = refused by Calltouch or not delivered this run (`retrying`). */
export interface RunCounts {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  held: number;
  invalid: number;
  failed: number;
  /** Part of `failed`: transient failures and deals that did not fit, retried next run. */
  retrying: number;
}

export type { RunRequests };

/** A run-level failure: nothing (or not everything) could be done. */
export interface RunError {
  /**
   * What failed: the settings, Google, the sheet's header, Calltouch, a bug; and, from the HTTP
   * layer, `auth` (a missing or wrong token, 401) and `not_found` (no such route, 404).
   */
  kind: "config" | "google" | "sheet" | "calltouch" | "internal" | "auth" | "not_found" | "busy";
  message: string;
  /** For config errors: one line per bad setting. */
  problems?: string[];
  /** What exactly went wrong, when it is known (`key`, `url`, `network`…; see `UpstreamError`). */
  code?: string;
}

/**
 * The run error an error stands for, in words for the person who acts (no stack, no secret):
 * the one place a failure becomes a run error (the run, the HTTP layer and the command line
 * all come here). A failure nobody foresaw is logged (structured, no personal data). Google's
 * and Calltouch's errors carry their words already (in the language of the run's settings);
 * `language` words the settings problems and the internal error. Default `"ru"`.
 */
export function runErrorOf(error: unknown, language: Language = "ru"): RunError {
  if (error instanceof ConfigError) {
    const message = words(language).run.config(error.problems);
    return { kind: "config", message, problems: error.problems };
  }
  if (error instanceof UpstreamError) {
    const runError: RunError = { kind: error.upstream, message: error.message };
    if (error.code !== undefined) runError.code = error.code;
    return runError;
  }
  console.error(JSON.stringify({
    event: "sync.internal_error",
    name: error instanceof Error ? error.name : typeof error,
    message: error instanceof Error ? error.message : String(error),
  }));
  return { kind: "internal", message: words(language).run.internal };
}

/** The report of one run. */
export interface RunReport {
  ok: boolean;
  trigger: Trigger;
  /** ISO 8601. */
  startedAt: string;
  durationMs: number;
  /** The cron expression that fired, for scheduled runs. */
  cron?: string;
  /** The spreadsheet's time zone, when it was read (status texts use it). */
  timeZone?: string;
  /** The deals tab's id (`gid` in the spreadsheet's links), when it was read. */
  tabId?: number;
  /** The deals tab's title, when it was read (the first tab's, without `SHEET_NAME`). */
  tab?: string;
  /** The Calltouch project's zone the dates were sent in (`CALLTOUCH_TIME_ZONE`). */
  calltouchTimeZone?: string;
  counts: RunCounts;
  requests: RunRequests;
  rows: RowReport[];
  /**
   * True when the tab (byte for byte), the state, the settings and the build were as a run
   * that did nothing found them: nothing was parsed, sent or written, and counts and rows are
   * that run's (see `quiet.ts`).
   */
  quiet?: true;
  /**
   * Why sending stopped before every deal was answered: the run's request budget
   * (`MAX_SUBREQUESTS_PER_RUN`) or its time. The rest is marked ⏳ and goes next run.
   */
  stopped?: "budget" | "out-of-time";
  /**
   * The run did nothing because another run of the same target holds its lease (see
   * `lease.ts`): that run's report is the one to look at. Not kept in the history.
   */
  skipped?: "running";
  /**
   * The Calltouch project's daily API points are spent (see `sync/rest.ts`): nothing goes to it
   * before this time (ISO 8601); its deals wait (⏳).
   */
  restsUntil?: string;
  /**
   * A run without state asked Calltouch's deals journal which deals exist (CALLTOUCH_STATS_TOKEN):
   * how many of the sheet's it found, or why it could not read it (the fallbacks then heal).
   */
  lookUp?: { found: number } | { error: string };
  /**
   * Deals in doubt looked up in Calltouch's deals journal: how many it showed as sent (accepted
   * without sending them again), or why it could not read it (they are sent again).
   */
  landed?: { landed: number } | { error: string };
  /**
   * The run reconciled with Calltouch's deals journal (see `reconcile.ts`): when, and how many
   * differences between the sheet and Calltouch it found, or why it could not read the journal.
   */
  reconciled?: { at: string; differences: number } | { at: string; error: string };
  /**
   * The run found the state under an older key (unkeyed, of a build before issue 22, or the key
   * `STATE_KEY_PREVIOUS` holds) and rewrote it under the current one (see `rekey.ts`): deals
   * whose hashes it recognised, deals whose hashes it dropped, entries it removed (a contact
   * as an ID). Once a run of every target says so, `STATE_KEY_PREVIOUS` can go.
   */
  rekeyed?: RekeyCounts;
  error?: RunError;
}

/** Counts of a run that did nothing yet. */
export function emptyCounts(): RunCounts {
  return {
    rows: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    held: 0,
    invalid: 0,
    failed: 0,
    retrying: 0,
  };
}

/** Counts of a planned run, before anything is sent: rows, unchanged, held, invalid. */
export function planCounts(sheet: ParsedSheetOk, plan: SyncPlan): RunCounts {
  const counts = emptyCounts();
  const valid = sheet.deals.length + sheet.knownRows.length;
  counts.rows = valid + new Set(sheet.problems.map((p) => p.row)).size;
  counts.unchanged = plan.unchanged.length;
  counts.held = plan.held.length;
  counts.invalid = counts.rows - valid;
  return counts;
}

/** The counts of a run: its plan's, plus what became of every deal it sent. */
export function runCounts(
  sheet: ParsedSheetOk,
  plan: SyncPlan,
  statuses: ReadonlyMap<string, RowStatus>,
): RunCounts {
  const counts = planCounts(sheet, plan);
  for (const status of statuses.values()) {
    if (status.kind === "created") counts.created++;
    else if (status.kind === "updated") counts.updated++;
    else {
      counts.failed++;
      if (status.kind === "pending") counts.retrying++;
    }
  }
  return counts;
}

/** Request counters of a run that made none yet. */
export function emptyRequests(): RunRequests {
  return {
    sheetsRead: 0,
    sheetsMetadata: 0,
    sheetsWrite: 0,
    token: 0,
    calltouch: 0,
    kvRead: 0,
    kvWrite: 0,
  };
}

/** The one structured log line of a run: counts and request totals, never rows. */
export interface RunLogLine {
  event: "sync.run";
  ok: boolean;
  trigger: Trigger;
  cron?: string;
  startedAt: string;
  durationMs: number;
  counts: RunCounts;
  requests: RunRequests;
  error?: Pick<RunError, "kind" | "message">;
  /** The target's id (`default` without `TARGETS`): `logRun` in `fan_out.ts` adds it. */
  target?: string;
}

/** A run's {@linkcode RunLogLine}. */
export function logLine(report: RunReport): RunLogLine {
  return {
    event: "sync.run",
    ok: report.ok,
    trigger: report.trigger,
    cron: report.cron,
    startedAt: report.startedAt,
    durationMs: report.durationMs,
    counts: report.counts,
    requests: report.requests,
    error: report.error ? { kind: report.error.kind, message: report.error.message } : undefined,
  };
}
